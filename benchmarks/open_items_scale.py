"""Benchmark: a 1,000,000-row open-items CSV export, cashmission's loader vs plain typed readers.

The export is generated once in benchmarks/_work/ (git-ignored) with ``aging.generate``
and ``aging.write_french_csv`` (French style: ``;``, decimal comma, dd/mm/yyyy, French
headers, UTF-8; 12 columns).  Then, in fresh child processes, interleaved:

(a) ``cashmission.io.exports.load_open_items(path)``, with every check it makes;
(b) a plain typed ``pandas.read_csv`` of the same file (text columns ``str``, the amount
    ``float64`` read with ``decimal=","``, the two dates parsed with their format);
(c) DuckDB's ``read_csv`` of the same file into an in-memory table (the columnar floor),
    and (d) the same handed to pandas (``.df()``), what a DuckDB-backed loader would return.

Reports wall time, CPU time and the child's own peak memory (``VmHWM``); checks that the
four read the same number of rows and the same amount total (to the cent).
Goal of issue 11: (a) within 3× of (b), under 600 MB.  Writes benchmarks/results/open_items_scale.md.

Run: ``.venv/bin/python benchmarks/open_items_scale.py [--rows 1000000] [--repeat 3]``
Uses ``duckdb`` (a runtime dependency).
"""

from __future__ import annotations

import argparse
import json
import time

import _common
from aging import generate, write_french_csv

ROWS = 1_000_000

LOADER = r"""
import json, sys, time
t0 = time.perf_counter()
from cashmission.io.exports import load_open_items
items, report = load_open_items(sys.argv[1])
t1 = time.perf_counter()
print(json.dumps({"wall": t1 - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(), "rows": len(items),
                  "total": float(items["amount"].sum()), "problems": len(report.problems),
                  "mb": float(items.memory_usage(deep=True).sum() / 2**20)}))
"""

READ_CSV = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
text = ["Société", "N° client", "Raison sociale", "N° pièce", "Type", "Devise", "Litige", "Recouvreur", "Réseau"]
df = pd.read_csv(sys.argv[1], sep=";", decimal=",", encoding="utf-8",
                 dtype={**{c: str for c in text}, "Montant TTC": "float64"})
for c in ("Date pièce", "Date échéance"):
    df[c] = pd.to_datetime(df[c], format="%d/%m/%Y")
t1 = time.perf_counter()
print(json.dumps({"wall": t1 - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(), "rows": len(df),
                  "total": float(df["Montant TTC"].sum()), "mb": float(df.memory_usage(deep=True).sum() / 2**20)}))
"""

DUCKDB = r"""
import json, sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
src = (f"read_csv('{sys.argv[1]}', delim=';', header=true, decimal_separator=',', dateformat='%d/%m/%Y', "
       "types={'Montant TTC': 'DOUBLE', 'Date pièce': 'DATE', 'Date échéance': 'DATE', 'N° client': 'VARCHAR', "
       "'N° pièce': 'VARCHAR'})")
if sys.argv[2] == "table":
    con.execute(f"CREATE TABLE items AS SELECT * FROM {src}")
    rows, total = con.execute('SELECT count(*), sum("Montant TTC") FROM items').fetchone()
else:
    df = con.execute(f"SELECT * FROM {src}").df()
    rows, total = len(df), float(df["Montant TTC"].sum())
t1 = time.perf_counter()
print(json.dumps({"wall": t1 - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(), "rows": rows, "total": total}))
"""

WAYS = {
    "loader": ("`cashmission.io.exports.load_open_items(path)`", LOADER, ()),
    "read_csv": ("plain typed `pandas.read_csv` + `to_datetime(format=...)`", READ_CSV, ()),
    "duckdb": ("DuckDB `read_csv` → in-memory table", DUCKDB, ("table",)),
    "duckdb_df": ("DuckDB `read_csv` → pandas (`.df()`)", DUCKDB, ("df",)),
}


def export_file(rows: int) -> tuple[object, dict]:
    path = _common.WORK / f"open_items_{rows}_fr.csv"
    facts_path = path.with_suffix(".json")
    if path.exists() and facts_path.exists():
        return path, json.loads(facts_path.read_text())
    t0 = time.perf_counter()
    items, source = generate(rows)
    write_french_csv(items, path)
    facts = {"rows": len(items), "total": round(float(items["amount"].sum()), 2), "source": source}
    facts["build_s"] = time.perf_counter() - t0
    facts_path.write_text(json.dumps(facts))
    return path, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=ROWS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path, facts = export_file(args.rows)
    runs: dict[str, list[dict]] = {k: [] for k in WAYS}
    for i in range(args.repeat):
        for k, (_, code, extra) in WAYS.items():
            runs[k].append(_common.run_child(code, path, *extra))
            print(f"run {i + 1} {k}: {runs[k][-1]['wall']:.2f} s, {runs[k][-1]['peak_mb']:.0f} MB", flush=True)
    best = {k: min(v, key=lambda r: r["wall"]) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    for k, r in best.items():
        if r["rows"] != facts["rows"] or abs(r["total"] - facts["total"]) >= 0.005:
            raise SystemExit(f"{k} read {r['rows']} rows, total {r['total']:.2f}; written {facts}")
    size = path.stat().st_size / 2**20
    base = best["read_csv"]
    lines = [
        "# Open-items export at scale: `load_open_items` vs plain typed readers",
        "",
        _common.machine("pandas", "numpy", "duckdb", "pyarrow"),
        "",
        f"Data: {facts['rows']:,} open items ({facts['source']}), written by `aging.write_french_csv` "
        f"(`;`, decimal comma, dd/mm/yyyy, French headers, UTF-8, 12 columns): {size:.0f} MB.  Each run is a "
        f"fresh process (imports included); the ways alternate; best wall time of {args.repeat} with the CPU "
        "time of that run; memory is the child's own peak resident set (`VmHWM`), the largest of the runs.",
        "",
        "| way | wall s | CPU s | peak MB | peak / file | × read_csv wall | × read_csv CPU | × read_csv peak |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k, (label, _, _) in WAYS.items():
        r = best[k]
        lines.append(
            f"| {label} | {r['wall']:.2f} | {r['cpu']:.2f} | {peak[k]:.0f} | {peak[k] / size:.1f}× | "
            f"{r['wall'] / base['wall']:.1f}× | {r['cpu'] / base['cpu']:.1f}× | {peak[k] / peak['read_csv']:.1f}× |"
        )
    ld = best["loader"]
    lines += [
        "",
        f"Same data: every way read {facts['rows']:,} rows and the amount total {facts['total']:,.2f} (to the cent).  "
        f"The loader reported {ld['problems']} problem(s); its table takes {ld['mb']:.0f} MB "
        f"(`memory_usage(deep=True)`), the plain read_csv's {best['read_csv']['mb']:.0f} MB.",
        "",
        f"Goal (issue 11): the loader within 3× of read_csv — {'met' if ld['wall'] <= 3 * base['wall'] else 'NOT met'} "
        f"({ld['wall'] / base['wall']:.1f}× wall, {ld['cpu'] / base['cpu']:.1f}× CPU); "
        f"under 600 MB — {'met' if peak['loader'] < 600 else 'NOT met'} ({peak['loader']:.0f} MB).",
        "",
        "Run: `.venv/bin/python benchmarks/open_items_scale.py`.",
    ]
    _common.write_results("open_items_scale.md", lines)


if __name__ == "__main__":
    main()
