"""Benchmark: reading a large .xlsx with pandas, engine="calamine" vs "openpyxl".

Generates once a 200,000 x 12 workbook shaped like an open-items export (text ids,
dates, amounts, labels) in ``benchmarks/_work/`` (git-ignored), reads it with both
engines in the same run, checks the two frames are identical, and writes the
figures to ``benchmarks/results/excel_read.md``.

Run: ``.venv/bin/python benchmarks/excel_read.py [--rows N] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
RESULTS = HERE / "results" / "excel_read.md"
COLUMNS = [
    "Société",
    "N° client",
    "Raison sociale",
    "N° pièce",
    "Type",
    "Date pièce",
    "Date échéance",
    "Montant TTC",
    "Devise",
    "Montant devise",
    "Litige",
    "Recouvreur",
]


def make_workbook(path: Path, rows: int) -> None:
    """Write a rows x 12 workbook (write-only mode; fixed seed)."""
    rng = np.random.default_rng(42)
    start = dt.datetime(2024, 1, 1)
    days = rng.integers(0, 730, rows)
    terms = rng.choice([30, 45, 60], rows)
    amounts = np.round(rng.lognormal(7, 1.2, rows) * np.where(rng.random(rows) < 0.1, -1, 1), 2)
    customers = rng.integers(1, 3000, rows)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Balance")
    ws.append(COLUMNS)
    for i in range(rows):
        doc = start + dt.timedelta(days=int(days[i]))
        amt = float(amounts[i])
        ws.append(
            [
                "FR01",
                f"C{customers[i]:05d}",
                f"Client {customers[i]} SAS",
                f"FA{i:07d}",
                "Avoir" if amt < 0 else "Facture",
                doc,
                doc + dt.timedelta(days=int(terms[i])),
                amt,
                "EUR",
                amt,
                "Oui" if i % 37 == 0 else "Non",
                f"Recouvreur {customers[i] % 7}",
            ]
        )
    wb.save(path)


def timed(engine: str, path: Path, repeat: int) -> tuple[float, pd.DataFrame]:
    best, frame = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        frame = pd.read_excel(path, engine=engine, sheet_name="Balance")
        best = min(best, time.perf_counter() - t0)
    return best, frame  # type: ignore[return-value]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs per engine; the best is kept")
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    path = WORK / f"open_items_{args.rows}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        make_workbook(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
    results = {}
    for engine in ("calamine", "openpyxl"):
        secs, frame = timed(engine, path, args.repeat)
        results[engine] = (secs, frame)
        print(f"{engine:9s} {secs:7.2f} s  shape={frame.shape}")
    cal, opx = results["calamine"][1], results["openpyxl"][1]
    try:
        pd.testing.assert_frame_equal(cal, opx)
        same = "yes (pandas.testing.assert_frame_equal)"
    except AssertionError as err:
        same = "NO: " + str(err).splitlines()[0]
    ratio = results["openpyxl"][0] / results["calamine"][0]
    from importlib.metadata import version

    lines = [
        "# Excel read benchmark: calamine vs openpyxl",
        "",
        f"Script: `benchmarks/excel_read.py --rows {args.rows} --repeat {args.repeat}` "
        "(both engines timed in the same run; best of the repeats).",
        "",
        f"Workbook: {args.rows:,} rows x {len(COLUMNS)} columns (text ids, two date columns, amounts, "
        f"labels), {path.stat().st_size / 1e6:.1f} MB, one sheet.",
        "",
        "| engine | seconds | rows/s |",
        "|---|---:|---:|",
        *(f"| {e} | {s:.2f} | {args.rows / s:,.0f} |" for e, (s, _) in results.items()),
        "",
        f"**calamine is {ratio:.1f}x faster than openpyxl.**  Frames identical: {same}.",
        "",
        "Machine: "
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, openpyxl {openpyxl.__version__}, "
        f"python-calamine {version('python-calamine')}, numpy {np.__version__}.",
        "",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
