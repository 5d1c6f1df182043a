"""Benchmark: read a 1,000,000-line FEC, build the customer ledger, age it at one date.

Builds a synthetic FEC (tab, UTF-8, CRLF, decimal comma, 18 columns) in
benchmarks/_work/ (git-ignored): sales invoices (411 aux / 706 / 44571), customer
payments lettered to them (512 / 411), supplier invoices (401 aux / 607 / 44566).
Times ``read_fec`` + ``fec_receivables`` + ageing at one date
(``cashmission.receivables.aged_balance`` when present, else ``open_at`` + a groupby),
in a fresh process, and its peak memory (``resource.getrusage`` max RSS, and
tracemalloc's peak of Python allocations in a second run).

Targets: a few seconds on 2 cores; peak memory well under 2 GB.
Writes benchmarks/results/fec_read.md.  Run: .venv/bin/python benchmarks/fec_read.py
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
RESULTS = HERE / "results"
N_LINES = 1_000_000
AS_OF = "2024-09-30"
HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)


def _amount(x: np.ndarray) -> np.ndarray:
    return np.char.replace(np.char.mod("%.2f", x), ".", ",")


def build(path: Path, n_lines: int = N_LINES, seed: int = 4) -> dict[str, float]:
    """Write the synthetic FEC; return its control figures."""
    rng = np.random.default_rng(seed)
    n_inv = n_lines // 6  # 3 lines per invoice
    n_pay = int(n_inv * 0.8)  # 2 lines per payment, 80 % of invoices paid
    start = np.datetime64("2024-01-01")
    # sales invoices
    inv_day = rng.integers(0, 366, n_inv)
    inv_date = start + inv_day.astype("timedelta64[D]")
    cust = rng.integers(0, 20_000, n_inv)
    ht = np.round(rng.lognormal(7, 1, n_inv), 2)
    vat = np.round(ht * 0.2, 2)
    ttc = ht + vat
    inv_no = np.arange(n_inv)
    paid = np.zeros(n_inv, bool)
    paid[rng.choice(n_inv, n_pay, replace=False)] = True
    pay_date = inv_date + rng.integers(10, 90, n_inv).astype("timedelta64[D]")
    paid &= pay_date <= np.datetime64("2024-12-31")
    letter = np.char.add("L", inv_no.astype(str))
    d8 = lambda d: np.char.replace(np.datetime_as_string(d, unit="D"), "-", "")  # noqa: E731
    cust_s = np.char.add("C", np.char.zfill(cust.astype(str), 5))
    piece = np.char.add("F", np.char.zfill(inv_no.astype(str), 7))
    frames = []

    def frame(j, jl, num, date, acc, acclib, aux, auxlib, pref, pdate, lib, debit, credit, let, dlet):
        n = len(date)
        return pd.DataFrame(
            {
                "JournalCode": j,
                "JournalLib": jl,
                "EcritureNum": num,
                "EcritureDate": date,
                "CompteNum": acc,
                "CompteLib": acclib,
                "CompAuxNum": aux,
                "CompAuxLib": auxlib,
                "PieceRef": pref,
                "PieceDate": pdate,
                "EcritureLib": lib,
                "Debit": debit,
                "Credit": credit,
                "EcritureLet": let,
                "DateLet": dlet,
                "ValidDate": "20250115",
                "Montantdevise": "",
                "Idevise": "",
                "_order": np.arange(n),
            }
        )

    zero = np.full(n_inv, "0,00")
    num = np.char.add("VE", inv_no.astype(str))
    ds = d8(inv_date)
    let_inv = np.where(paid, letter, "")
    dlet_inv = np.where(paid, d8(pay_date), "")
    frames.append(
        frame(
            "VE",
            "Ventes",
            num,
            ds,
            "411000",
            "Clients",
            cust_s,
            np.char.add("Client ", cust_s),
            piece,
            ds,
            np.char.add("Facture ", piece),
            _amount(ttc),
            zero,
            let_inv,
            dlet_inv,
        )
    )
    frames.append(
        frame(
            "VE",
            "Ventes",
            num,
            ds,
            "706000",
            "Prestations",
            "",
            "",
            piece,
            ds,
            np.char.add("Facture ", piece),
            zero,
            _amount(ht),
            "",
            "",
        )
    )
    frames.append(
        frame(
            "VE",
            "Ventes",
            num,
            ds,
            "445710",
            "TVA collectée",
            "",
            "",
            piece,
            ds,
            np.char.add("Facture ", piece),
            zero,
            _amount(vat),
            "",
            "",
        )
    )
    # payments
    k = np.flatnonzero(paid)
    pnum = np.char.add("BQ", k.astype(str))
    pds = d8(pay_date[k])
    pz = np.full(len(k), "0,00")
    frames.append(
        frame(
            "BQ",
            "Banque",
            pnum,
            pds,
            "512000",
            "Banque",
            "",
            "",
            np.char.add("VIR", k.astype(str)),
            pds,
            "Virement client",
            _amount(ttc[k]),
            pz,
            "",
            "",
        )
    )
    frames.append(
        frame(
            "BQ",
            "Banque",
            pnum,
            pds,
            "411000",
            "Clients",
            cust_s[k],
            np.char.add("Client ", cust_s[k]),
            np.char.add("VIR", k.astype(str)),
            pds,
            "Virement client",
            pz,
            _amount(ttc[k]),
            letter[k],
            pds,
        )
    )
    # supplier invoices: fill up to n_lines (within 2)
    n_sup = (n_lines - 3 * n_inv - 2 * len(k)) // 3
    sd = start + rng.integers(0, 366, n_sup).astype("timedelta64[D]")
    sds = d8(sd)
    sht = np.round(rng.lognormal(7, 1, n_sup), 2)
    svat = np.round(sht * 0.2, 2)
    snum = np.char.add("AC", np.arange(n_sup).astype(str))
    sup = np.char.add("F", np.char.zfill(rng.integers(0, 3000, n_sup).astype(str), 4))
    sz = np.full(n_sup, "0,00")
    frames.append(
        frame(
            "AC",
            "Achats",
            snum,
            sds,
            "401000",
            "Fournisseurs",
            sup,
            np.char.add("Fournisseur ", sup),
            snum,
            sds,
            "Facture fournisseur",
            sz,
            _amount(sht + svat),
            "",
            "",
        )
    )
    frames.append(
        frame(
            "AC",
            "Achats",
            snum,
            sds,
            "607000",
            "Achats de marchandises",
            "",
            "",
            snum,
            sds,
            "Facture fournisseur",
            _amount(sht),
            sz,
            "",
            "",
        )
    )
    frames.append(
        frame(
            "AC",
            "Achats",
            snum,
            sds,
            "445660",
            "TVA déductible",
            "",
            "",
            snum,
            sds,
            "Facture fournisseur",
            _amount(svat),
            sz,
            "",
            "",
        )
    )
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["JournalCode", "EcritureNum", "_order"], kind="stable").drop(columns="_order")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\r\n")
        df.to_csv(fh, sep="\t", header=False, index=False, lineterminator="\r\n")
    debit = float(ttc.sum() + ttc[k].sum() + (sht + svat).sum())
    return {"lines": len(df), "debit": round(debit, 2), "invoices": int(n_inv), "paid": len(k)}


CHILD = r"""
import json, resource, sys, time, tracemalloc
import pandas as pd
trace = sys.argv[2] == "1"
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
from cashmission.fec import read_fec, fec_receivables
lines, report = read_fec(sys.argv[1])
t1 = time.perf_counter()
items = fec_receivables(lines, terms_days=30)
t2 = time.perf_counter()
try:
    from cashmission.receivables import aged_balance
    aged = aged_balance(items, sys.argv[3], by="customer_id")
    how = "aged_balance(items, as_of, by='customer_id')"
except ImportError:
    from cashmission.receivables import open_at
    aged = open_at(items, sys.argv[3]).groupby("customer_id")["amount"].sum()
    how = "open_at + groupby"
t3 = time.perf_counter()
out = {"read": t1 - t0, "ledger": t2 - t1, "aging": t3 - t2, "total": t3 - t0, "how": how,
       "rows": report.rows_read, "debit": report.debit_read, "entries": report.extra["entries"],
       "items": len(items), "groups": len(aged), "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
       "open_total": float(aged["total"].sum()) if hasattr(aged, "columns") else float(aged.sum())}
if trace:
    out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
"""


def run_child(path: Path, trace: bool) -> dict:
    res = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "1" if trace else "0", AS_OF],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    path = WORK / "synthetic_1M_FEC.txt"
    t0 = time.perf_counter()
    facts = build(path)
    build_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 2**20
    runs = [run_child(path, trace=False) for _ in range(3)]
    best = min(runs, key=lambda r: r["total"])
    traced = run_child(path, trace=True)
    ok_rows = best["rows"] == facts["lines"] and abs(best["debit"] - facts["debit"]) < 0.01
    peak = max(r["maxrss_mb"] for r in runs)
    lines = [
        "# FEC read benchmark",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}; Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}.",
        f"Data: synthetic FEC of {facts['lines']:,} lines ({size_mb:.0f} MB; tab, UTF-8, CRLF, decimal comma), "
        f"{facts['invoices']:,} sales invoices of which {facts['paid']:,} paid and lettered, 20,000 customers; "
        f"built in {build_s:.1f} s (not timed below).  Run: `.venv/bin/python benchmarks/fec_read.py`.",
        "",
        "Each run is a fresh process (import included in `read_fec`).  Best of 3:",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| `read_fec(path)` ({best['rows']:,} rows, {best['entries']:,} entries) | {best['read']:.2f} |",
        f"| `fec_receivables(lines, terms_days=30)` ({best['items']:,} items) | {best['ledger']:.2f} |",
        f"| ageing at {AS_OF}: `{best['how']}` ({best['groups']:,} customers) | {best['aging']:.2f} |",
        f"| **total** | **{best['total']:.2f}** |",
        "",
        "All runs (total s): " + ", ".join(f"{r['total']:.2f}" for r in runs) + ".",
        "",
        "| memory | MB |",
        "|---|---|",
        f"| peak resident set size of the process (`ru_maxrss`, max of the 3 runs) | {peak:.0f} |",
        f"| peak of Python allocations (`tracemalloc`, separate run, slower) | {traced['traced_peak_mb']:.0f} |",
        "",
        f"Checks: rows read = lines written: {best['rows'] == facts['lines']}; debit total read = "
        f"written ({facts['debit']:,.2f}): {abs(best['debit'] - facts['debit']) < 0.01}; open total at {AS_OF}: "
        f"{best['open_total']:,.2f}.",
        "",
        f"Targets: a few seconds on 2 cores — {'met' if best['total'] < 10 else 'NOT met'} "
        f"({best['total']:.1f} s); peak memory well under 2 GB — {'met' if peak < 1500 else 'NOT met'} "
        f"({peak:.0f} MB).",
        "",
    ]
    if not ok_rows:
        lines.append("**WARNING: the control figures read do not match the ones written.**")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fec_read.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
