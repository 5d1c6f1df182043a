"""Benchmark: what the text parse of a FEC costs with each reading option (the floor under ``read_fec``).

On the 1 M-line FEC of ``fec_scale.py``, each in a fresh child process: ``pandas.read_csv``
as ``read_fec`` calls it (every text column ``str``, amounts ``float64``), then with the
low-cardinality columns as ``category`` (the C parser hashes them without making one
Python string per cell), then also keeping only the columns ``cashmission kpi`` uses
(``usecols``), then pyarrow's parser (``engine="pyarrow"``, with an interpreter where
pyarrow is installed: ``ARROW_PYTHON``), and DuckDB's ``read_csv`` of all 18 columns into
a table.  No dates are parsed and no checks made: it is the parse alone.
Writes benchmarks/results/fec_read_options.md.

Run: ``ARROW_PYTHON=<venv with pyarrow>/bin/python .venv/bin/python benchmarks/fec_read_options.py``
"""

from __future__ import annotations

import os

import _common
from fec_scale import fec_file

CHILD = r"""
import csv, json, sys, time
t0 = time.perf_counter()
how, path = sys.argv[1], sys.argv[2]
names = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
         "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
         "ValidDate", "Montantdevise", "Idevise"]
low = {"JournalCode", "JournalLib", "CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "ValidDate", "Idevise",
       "EcritureDate", "PieceDate", "DateLet"}
kpi = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompAuxNum", "PieceRef", "Debit",
       "Credit"]
if how == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE TABLE l AS SELECT * FROM read_csv('{path}', delim='\t', header=true, quote='', escape='', "
                "all_varchar=true)")
    rows = con.execute("SELECT count(*) FROM l").fetchone()[0]
    mb = float("nan")
else:
    import pandas as pd
    kw = dict(sep="\t", header=None, skiprows=1, names=names, index_col=False, keep_default_na=False,
              na_values=[""], quoting=csv.QUOTE_NONE, decimal=",")
    amounts = {"Debit": "float64", "Credit": "float64", "Montantdevise": "float64"}
    if how == "str":
        df = pd.read_csv(path, dtype={n: amounts.get(n, str) for n in names}, engine="c", **kw)
    elif how == "category":
        types = {n: amounts.get(n, "category" if n in low else str) for n in names}
        df = pd.read_csv(path, dtype=types, engine="c", **kw)
    elif how == "category_usecols":
        df = pd.read_csv(path, dtype={n: amounts.get(n, "category" if n in low else str) for n in kpi}, usecols=kpi,
                         engine="c", **kw)
    else:  # pyarrow
        df = pd.read_csv(path, dtype={n: amounts.get(n, str) for n in names}, engine="pyarrow",
                         **{k: v for k, v in kw.items() if k not in ("quoting", "index_col")})
    rows = len(df)
    mb = float(df.memory_usage(deep=True).sum() / 2**20)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(), "rows": rows, "mb": mb}))
"""

WAYS = {
    "str": "pandas C parser, every text column `str` (as `read_fec`)",
    "category": "pandas C parser, the 11 low-cardinality columns (journal, accounts, labels, dates) `category`",
    "category_usecols": "the same, only the 9 columns `kpi` uses (`usecols`)",
    "pyarrow": 'pandas `engine="pyarrow"` (interpreter with pyarrow), text `str`',
    "duckdb": "DuckDB `read_csv`, all 18 columns as text, into a table",
}


def main() -> None:
    path, facts = fec_file(1_000_000)
    arrow = os.environ.get("ARROW_PYTHON")
    runs: dict[str, list[dict]] = {k: [] for k in WAYS}
    for _ in range(2):
        for k in WAYS:
            if k == "pyarrow" and not arrow:
                continue
            runs[k].append(_common.run_child(CHILD, k, path, python=arrow if k == "pyarrow" else None))
            print(k, runs[k][-1], flush=True)
    lines = [
        "# Parsing a 1 M-line FEC: the reading options",
        "",
        _common.machine("pandas", "numpy", "duckdb"),
        "",
        f"File: `{path.name}` ({path.stat().st_size / 2**20:.0f} MB, {facts['lines']:,} lines).  Fresh process each "
        "(imports included); least wall and least CPU time of 2 runs; peak = the child's `VmHWM` (largest).  "
        "The parse alone: no dates, no checks.",
        "",
        "| reader | wall s | CPU s | peak MB | frame MB (deep) |",
        "|---|---|---|---|---|",
    ]
    for k, label in WAYS.items():
        if not runs[k]:
            lines.append(f"| {label} | not run (set ARROW_PYTHON) | | | |")
            continue
        wall = min(r["wall"] for r in runs[k])
        cpu = min(r["cpu"] for r in runs[k])
        peak = max(r["peak_mb"] for r in runs[k])
        lines.append(f"| {label} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {runs[k][0]['mb']:.0f} |")
    lines += ["", "Run: `ARROW_PYTHON=... .venv/bin/python benchmarks/fec_read_options.py`."]
    _common.write_results("fec_read_options.md", lines)


if __name__ == "__main__":
    main()
