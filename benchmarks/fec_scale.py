"""Benchmark: FEC → customer aged balance at 1 M and 3 M lines, cashmission vs the columnar floor (DuckDB).

For each size, a synthetic FEC is written once in benchmarks/_work/ (git-ignored) by
``fec_read.build(..., rich=True)`` (sales invoices, payments lettered to them, partial
and over-payments, credit notes lettered completely or partly, unlettered payments,
detailed opening entries, placeholder PieceDate, lettering without DateLet, supplier
invoices), then, in fresh child processes, interleaved (pandas, DuckDB, pandas, DuckDB…)
so that both see the same load on a shared machine:

(a) cashmission: ``read_fec`` + ``fec_ledger.fec_receivables(terms_days=30)`` +
    ``ledger.ageing.aged_balance(items, AS_OF, by="customer_id")``;
(b) the columnar floor: one DuckDB SQL query (:func:`aged_balance_sql`) over the same
    text file computing the same table with the same rules.

Reports wall time, CPU time and the child's own peak memory (``VmHWM``), the ratios, and
asserts that the totals over customers (each bucket, each credit column, the balance)
are equal to the cent between the two; the per-customer tables are compared too.
Writes benchmarks/results/fec_scale.md.

Run: ``.venv/bin/python benchmarks/fec_scale.py [--lines 1000000 3000000] [--repeat 3]``
(``--lines 10000000`` for a manual 10 M run: about 1.2 GB of text in benchmarks/_work).
Uses ``duckdb`` (a runtime dependency).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import _common
from fec_read import build

from cashmission.io.fec_entries import _OPENING_CODES, _TOL, CUSTOMER_ACCOUNTS
from cashmission.ledger.ageing import _NOISE
from cashmission.ledger.buckets import CREDIT_KEYS, DEFAULT_EDGES, bucket_keys
from cashmission.terms import DEFAULT_TERMS_DAYS

AS_OF = "2024-09-30"
SIZES = (1_000_000, 3_000_000)
COLUMNS = (*bucket_keys(DEFAULT_EDGES), *CREDIT_KEYS, "total")
"""The columns compared: the buckets of the package's default edges, the credits, the balance."""

_FEC_TYPES = {
    "JournalCode": "VARCHAR",
    "JournalLib": "VARCHAR",
    "EcritureNum": "VARCHAR",
    "EcritureDate": "DATE",
    "CompteNum": "VARCHAR",
    "CompteLib": "VARCHAR",
    "CompAuxNum": "VARCHAR",
    "CompAuxLib": "VARCHAR",
    "PieceRef": "VARCHAR",
    "PieceDate": "DATE",
    "EcritureLib": "VARCHAR",
    "Debit": "DOUBLE",
    "Credit": "DOUBLE",
    "EcritureLet": "VARCHAR",
    "DateLet": "DATE",
    "ValidDate": "VARCHAR",
    "Montantdevise": "DOUBLE",
    "Idevise": "VARCHAR",
}


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def aged_balance_sql(
    path: Path,
    as_of: str = AS_OF,
    *,
    terms_days: int = DEFAULT_TERMS_DAYS,
    edges: tuple[int, ...] = DEFAULT_EDGES,
    accounts: tuple[str, ...] = CUSTOMER_ACCOUNTS,
    varchar: bool = False,
) -> str:
    """The customer aged balance of a FEC text file as one DuckDB query, with cashmission's rules.

    Rules, each from the package function it mirrors:

    - lines: tab-separated, decimal comma, dates YYYYMMDD, no quoting; identifiers
      stripped, empty = missing; missing Debit/Credit = 0 (``io.fec.read_fec``);
    - opening lines: journal code in ``_OPENING_CODES`` or label containing "nouveau"
      (``io.fec_entries.is_opening``); journal kinds from the name, then the classes of
      the accounts (``journal_kinds``);
    - the fiscal year's start (``io.fec._fiscal_year``, end = month end of the last
      non-opening entry: the generated files have no SIREN name): opening lines dated
      later are booked on it;
    - customer lines: CompteNum starting with ``accounts``; amount = Debit − Credit;
      party = CompAuxNum else CompteNum; document type by journal kind and sign;
      document date = PieceDate, or EcritureDate when it is empty or before 1950; due
      date = document date + ``terms_days`` for invoices, else the document date
      (``ledger.fec_ledger.fec_receivables``);
    - clearing: a lettered group (CompteNum, CompAuxNum, EcritureLet) netting to zero
      within half a cent is cleared on the line's DateLet, else the group's latest
      DateLet, else its latest EcritureDate (``_clearing``);
    - open at ``as_of``: booked on or before, not cleared or cleared after;
    - partial lettering netted per (party, letter) among the open, uncleared lettered
      items: A = min(D, −C), debits × (D − A)/D, credits × (C + A)/C, float noise
      (1e-9 of max(D, −C)) is zero (``ledger.ageing._net_matched``);
    - positive amounts in the buckets of days past due (right-closed edges), negative
      ones in credit notes (credit note or invoice), unapplied cash (payment) or other
      credits; total = Σ amount as given (``ledger.ageing._aggregate``).

    ``varchar``: read every cell as text and convert in SQL (any FEC column set, BOM, extra
    columns: for real files) instead of the typed 18-column reader (the benchmark's files).
    """
    keys = bucket_keys(edges)
    days = "(" + " + ".join(f"(days > {e})::INTEGER" for e in edges) + ")"
    buckets = ",\n    ".join(f"coalesce(sum(a) FILTER (a > 0 AND {days} = {i}), 0) AS {k}" for i, k in enumerate(keys))
    opening_codes = ", ".join(_q(c) for c in sorted(_OPENING_CODES))
    prefix = " OR ".join(f"starts_with(acc, {_q(p)})" for p in accounts)
    types = "{" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in _FEC_TYPES.items()) + "}"
    if varchar:
        source = (
            f"read_csv({_q(str(path))}, delim = '\t', header = true, quote = '', escape = '', all_varchar = true, "
            "strict_mode = false)"
        )
        num = "try_cast(replace(trim({}), ',', '.') AS DOUBLE)".format
        day = "try_strptime(trim({}), '%Y%m%d')::DATE".format
    else:
        source = (
            f"read_csv({_q(str(path))}, delim = '\t', header = true, quote = '', escape = '', auto_detect = false, "
            f"columns = {types}, dateformat = '%Y%m%d', decimal_separator = ',')"
        )
        num = day = "{}".format
    return f"""
WITH lines AS MATERIALIZED (
  SELECT
    nullif(trim(JournalCode), '') AS j,
    JournalLib AS jl,
    nullif(trim(CompteNum), '') AS acc,
    nullif(trim(CompAuxNum), '') AS aux,
    nullif(trim(EcritureLet), '') AS let,
    {day("EcritureDate")} AS ed, {day("PieceDate")} AS pd, {day("DateLet")} AS dl,
    coalesce({num("Debit")}, 0) - coalesce({num("Credit")}, 0) AS amount,
    (upper(coalesce(trim(JournalCode), '')) IN ({opening_codes})
      OR contains(lower(coalesce(JournalLib, '')), 'nouveau')) AS opening
  FROM {source}
),
stats AS (  -- per journal, opening flag and month: everything the journal kinds and the year need
  SELECT j, opening, date_trunc('month', ed)::DATE AS m, count(*) AS n, min(jl) AS lib, max(ed) AS last,
    count(*) FILTER (left(acc, 1) = '2') AS c2, count(*) FILTER (left(acc, 1) = '5') AS c5,
    count(*) FILTER (left(acc, 1) = '6') AS c6, count(*) FILTER (left(acc, 1) = '7') AS c7,
    count(*) FILTER (left(acc, 2) = '40') AS c40, count(*) FILTER (left(acc, 2) = '41') AS c41
  FROM lines GROUP BY ALL
),
journals AS (
  SELECT j, lower(coalesce(j, '') || ' ' || coalesce(min(lib), '')) AS name, sum(n) AS n,
    coalesce(sum(n) FILTER (opening), 0) AS n_open,
    sum(c2) AS c2, sum(c5) AS c5, sum(c6) AS c6, sum(c7) AS c7, sum(c40) AS c40, sum(c41) AS c41,
    CASE WHEN sum(c2 + c5 + c6 + c7) = 0 THEN 1 ELSE sum(c2 + c5 + c6 + c7) END AS core
  FROM stats GROUP BY j
),
kinds AS (
  SELECT j, CASE
    WHEN n_open > 0.5 * n THEN 'opening'
    WHEN regexp_matches(name, '\\bventes?\\b|\\bsales\\b|^v[et]\\w*\\b') THEN 'sales'
    WHEN regexp_matches(name, '\\bachats?\\b|\\bpurchases?\\b|^(ac|ha)\\w*\\b') THEN 'purchases'
    WHEN regexp_matches(name, '^od|\\bo\\.d\\.|divers|r[ée]gularisation|inventaire|\\bpaye?\\b|salaire') THEN 'other'
    WHEN c7 / core >= 0.5 AND c41 > 0 THEN 'sales'
    WHEN (c6 + c2) / core >= 0.5 AND c40 > 0 THEN 'purchases'
    WHEN c5 / core >= 0.5 THEN 'bank'
    ELSE 'other' END AS kind
  FROM journals
),
dated AS (  -- the dates the fiscal year is read from: non-opening lines, else all
  SELECT * FROM stats WHERE last IS NOT NULL
    AND (NOT opening OR NOT EXISTS (SELECT 1 FROM stats WHERE NOT opening AND last IS NOT NULL))
),
year_end AS (
  SELECT last_day(max(last)) AS fy_end FROM dated
),
bounds AS (
  SELECT (fy_end - INTERVAL 24 MONTH + INTERVAL 1 DAY)::DATE AS earliest,
         (fy_end - INTERVAL 12 MONTH + INTERVAL 1 DAY)::DATE AS latest,
         (SELECT min(m) FROM dated, year_end y WHERE m >= (y.fy_end - INTERVAL 24 MONTH + INTERVAL 1 DAY)::DATE
            AND m <= y.fy_end) AS first
  FROM year_end
),
fy AS (
  SELECT least(greatest(coalesce(first, latest), earliest), latest) AS fy_start FROM bounds
),
items AS (
  SELECT coalesce(aux, acc) AS party, acc, aux, let, dl, ed, amount,
    CASE WHEN coalesce(k.kind, 'other') = 'sales' THEN CASE WHEN amount > 0 THEN 'invoice' ELSE 'credit_note' END
         WHEN amount > 0 THEN CASE WHEN k.kind = 'opening' THEN 'invoice' ELSE 'other' END
         ELSE 'payment' END AS doc_type,
    CASE WHEN pd IS NULL OR pd < DATE '1950-01-01' THEN ed ELSE pd END AS doc_date,
    CASE WHEN opening AND ed > (SELECT fy_start FROM fy) THEN (SELECT fy_start FROM fy) ELSE ed END AS booked
  FROM lines LEFT JOIN kinds k USING (j)
  WHERE {prefix}
),
clear_groups AS (  -- lettering groups: net amount, latest DateLet, latest entry date
  SELECT acc, coalesce(aux, '') AS aux_k, let, sum(amount) AS gnet, max(dl) AS gdl, max(ed) AS ged
  FROM items WHERE let IS NOT NULL GROUP BY ALL
),
cleared AS (
  SELECT i.party, i.let, i.amount, i.doc_type, i.booked,
    CASE WHEN i.doc_type = 'invoice' THEN i.doc_date + {int(terms_days)} ELSE i.doc_date END AS due,
    CASE WHEN abs(g.gnet) <= {_TOL} THEN coalesce(i.dl, g.gdl, g.ged) END AS cleared
  FROM items i LEFT JOIN clear_groups g ON g.acc = i.acc AND g.aux_k = coalesce(i.aux, '') AND g.let = i.let
),
open_items AS (
  SELECT *, (let IS NOT NULL AND cleared IS NULL) AS part,
    DATE {_q(as_of)} - due AS days
  FROM cleared
  WHERE booked <= DATE {_q(as_of)} AND (cleared IS NULL OR cleared > DATE {_q(as_of)})
),
net_groups AS (  -- partly lettered groups open at as_of: debits D, credits C
  SELECT party, let, sum(greatest(amount, 0)) AS d, sum(least(amount, 0)) AS c
  FROM open_items WHERE part GROUP BY ALL
),
netted AS (
  SELECT o.party, o.doc_type, o.days, o.amount AS given,
    CASE WHEN n.d > 0 AND n.c < 0 THEN
      CASE WHEN abs(n.d + n.c) <= {_NOISE} * greatest(n.d, -n.c) THEN 0.0
           WHEN o.amount > 0 THEN o.amount * (n.d - least(n.d, -n.c)) / n.d
           WHEN o.amount < 0 THEN o.amount * (n.c + least(n.d, -n.c)) / n.c
           ELSE o.amount END
    ELSE o.amount END AS a
  FROM open_items o LEFT JOIN net_groups n ON o.part AND n.party = o.party AND n.let = o.let
)
SELECT party AS customer_id,
    {buckets},
    coalesce(sum(a) FILTER (a < 0 AND doc_type IN ('credit_note', 'invoice')), 0) AS credit_notes,
    coalesce(sum(a) FILTER (a < 0 AND doc_type = 'payment'), 0) AS unapplied_cash,
    coalesce(sum(a) FILTER (a < 0 AND doc_type NOT IN ('credit_note', 'invoice', 'payment')), 0) AS other_credits,
    sum(given) AS total
FROM netted
GROUP BY party
"""


PANDAS_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from cashmission.io.fec import read_fec
from cashmission.ledger.fec_ledger import fec_receivables
from cashmission.ledger.ageing import aged_balance
path, as_of, out, columns = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
lines, report = read_fec(path)
t1 = time.perf_counter()
items = fec_receivables(lines, terms_days=30)
t2 = time.perf_counter()
aged = aged_balance(items, as_of, by="customer_id")
t3 = time.perf_counter()
res = {"wall": t3 - t0, "read": t1 - t0, "ledger": t2 - t1, "aging": t3 - t2, "cpu": _cpu_s(),
       "peak_mb": _peak_mb(), "rows": report.rows_read, "items": len(items), "customers": len(aged),
       "sums": {c: float(aged[c].sum()) for c in columns}}
if out != "-":
    aged[["customer_id", *columns]].to_csv(out, index=False)
print(json.dumps(res))
"""

DUCKDB_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import duckdb
sql, out, columns = open(sys.argv[1]).read(), sys.argv[2], json.loads(sys.argv[3])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
rows = con.execute(sql).fetchall()
t1 = time.perf_counter()
res = {"wall": t1 - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(), "customers": len(rows),
       "sums": {c: sum(r[i + 1] for r in rows) for i, c in enumerate(columns)}}
if out != "-":
    import csv
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["customer_id", *columns])
        w.writerows(rows)
print(json.dumps(res))
"""


def fec_file(n_lines: int) -> tuple[Path, dict]:
    """The generated FEC of ``n_lines`` lines (built once, kept with its facts in benchmarks/_work)."""
    path = _common.WORK / f"scale_{n_lines}_FEC.txt"
    facts_path = path.with_suffix(".json")
    if path.exists() and facts_path.exists():
        return path, json.loads(facts_path.read_text())
    t0 = time.perf_counter()
    facts = build(path, n_lines, rich=True)
    facts["build_s"] = time.perf_counter() - t0
    facts_path.write_text(json.dumps(facts))
    return path, facts


def compare(n_lines: int, pandas_run: dict, duck_run: dict) -> tuple[dict[str, float], float, int]:
    """(difference of each column's total, largest per-customer difference, customers compared); raises
    when a total differs by half a cent or more."""
    import pandas as pd

    diffs = {c: pandas_run["sums"][c] - duck_run["sums"][c] for c in COLUMNS}
    bad = {c: d for c, d in diffs.items() if abs(d) >= 0.005}
    a = pd.read_csv(_common.WORK / f"scale_{n_lines}_pandas.csv", dtype={"customer_id": str}).set_index("customer_id")
    b = pd.read_csv(_common.WORK / f"scale_{n_lines}_duckdb.csv", dtype={"customer_id": str}).set_index("customer_id")
    b = b.reindex(a.index.union(b.index), fill_value=0.0)
    a = a.reindex(b.index, fill_value=0.0)
    worst = float((a[list(COLUMNS)] - b[list(COLUMNS)]).abs().max().max())
    if bad:
        raise SystemExit(f"{n_lines:,} lines: totals differ between cashmission and DuckDB: {bad}")
    return diffs, worst, len(a)


def measure(n_lines: int, repeat: int) -> dict:
    path, facts = fec_file(n_lines)
    sql_path = _common.WORK / f"scale_{n_lines}.sql"
    sql_path.write_text(aged_balance_sql(path), encoding="utf-8")
    cols = json.dumps(list(COLUMNS))
    runs: dict[str, list[dict]] = {"pandas": [], "duckdb": []}
    for i in range(repeat):
        out_p = str(_common.WORK / f"scale_{n_lines}_pandas.csv") if i == 0 else "-"
        out_d = str(_common.WORK / f"scale_{n_lines}_duckdb.csv") if i == 0 else "-"
        runs["pandas"].append(_common.run_child(PANDAS_CHILD, path, AS_OF, out_p, cols))
        runs["duckdb"].append(_common.run_child(DUCKDB_CHILD, sql_path, out_d, cols))
        print(
            f"{n_lines:,} lines, run {i + 1}: cashmission {runs['pandas'][-1]['wall']:.1f} s "
            f"{runs['pandas'][-1]['peak_mb']:.0f} MB; DuckDB {runs['duckdb'][-1]['wall']:.2f} s "
            f"{runs['duckdb'][-1]['peak_mb']:.0f} MB",
            flush=True,
        )
    diffs, worst, n_customers = compare(n_lines, runs["pandas"][0], runs["duckdb"][0])
    return {"n": n_lines, "path": path, "facts": facts, "runs": runs, "diffs": diffs, "worst": worst, "nc": n_customers}


def real_files(folder: Path) -> list[str]:
    """The two engines on the real FECs of ``folder`` (small files, in this process), at the closing date of
    each file's name and six months before: the rules restated in SQL must hold on real files too."""
    import duckdb
    import pandas as pd

    from cashmission.io.fec import fiscal_year_end_from_name, read_fec
    from cashmission.ledger.ageing import aged_balance
    from cashmission.ledger.fec_ledger import fec_receivables

    out = [
        "",
        f"Real FECs ({folder}, read with the text reader: `aged_balance_sql(..., varchar=True)`):",
        "",
        "| file | as of | lines | customers (cashmission / DuckDB) | balance | largest difference, any column |",
        "|---|---|---|---|---|---|",
    ]
    for path in sorted(folder.glob("*FEC*.txt")):
        lines, _ = read_fec(path)
        items = fec_receivables(lines, terms_days=30)
        end = fiscal_year_end_from_name(path)
        for as_of in (end, end - pd.DateOffset(months=6)):
            day = str(pd.Timestamp(as_of).date())
            a = aged_balance(items, day, by="customer_id").set_index("customer_id")[list(COLUMNS)]
            d = duckdb.sql(aged_balance_sql(path, day, varchar=True)).df().set_index("customer_id")[list(COLUMNS)]
            idx = a.index.union(d.index)
            worst = float((a.reindex(idx, fill_value=0.0) - d.reindex(idx, fill_value=0.0)).abs().max().max())
            if worst >= 0.005:
                raise SystemExit(f"{path.name} at {day}: cashmission and DuckDB differ by {worst}")
            out.append(
                f"| {path.name} | {day} | {len(lines):,} | {len(a)} / {len(d)} | {a['total'].sum():,.2f} "
                f"| {worst:.1e} |"
            )
    return out


def _best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def report(results: list[dict], repeat: int, real: list[str]) -> list[str]:
    lines = [
        "# FEC → customer aged balance at scale: cashmission vs the columnar floor (DuckDB)",
        "",
        _common.machine("pandas", "numpy", "duckdb", "pyarrow"),
        "",
        f"Data: synthetic FECs from `fec_read.build(rich=True)` (tab, UTF-8, CRLF, decimal comma; 20,000 customers; "
        "sales invoices, payments lettered to them, 5 % of payments partial or over-paid, credit notes lettered "
        "completely or partly, unlettered payments, detailed opening entries partly paid, placeholder and empty "
        f"PieceDate, lettering without DateLet, supplier invoices).  As of {AS_OF}, terms 30 days, buckets "
        f"{DEFAULT_EDGES} (`ledger.buckets.DEFAULT_EDGES`).",
        "",
        "(a) cashmission: `read_fec` + `fec_receivables(terms_days=30)` + `aged_balance(items, as_of, "
        'by="customer_id")`; (b) DuckDB: one SQL query over the same text file '
        "(`fec_scale.aged_balance_sql`, the package's rules restated in SQL).  Each run is a fresh process "
        f"(imports included), the two alternating; best wall time of {repeat}, with the CPU time of that run; "
        "memory is the child's own peak resident set (`VmHWM`), the largest of the runs.",
        "",
        "| lines | file MB | engine | wall s | CPU s | peak MB | customers |",
        "|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for r in results:
        size = r["path"].stat().st_size / 2**20
        p, d = _best(r["runs"]["pandas"]), _best(r["runs"]["duckdb"])
        pm = max(x["peak_mb"] for x in r["runs"]["pandas"])
        dm = max(x["peak_mb"] for x in r["runs"]["duckdb"])
        lines.append(
            f"| {r['facts']['lines']:,} | {size:.0f} | cashmission (read {p['read']:.1f} + ledger "
            f"{p['ledger']:.1f} + ageing {p['aging']:.2f}) | {p['wall']:.1f} | {p['cpu']:.1f} | {pm:.0f} | "
            f"{p['customers']:,} |"
        )
        lines.append(
            f"| {r['facts']['lines']:,} | {size:.0f} | DuckDB SQL | {d['wall']:.2f} | {d['cpu']:.1f} | {dm:.0f} | "
            f"{d['customers']:,} |"
        )
        ratios.append((r, p["wall"] / d["wall"], p["cpu"] / d["cpu"], pm / dm, pm))
    lines += [
        "",
        "| lines | wall ratio | CPU ratio | memory ratio | goal (3 M: ≤ 3× wall, < 1.2 GB) |",
        "|---|---|---|---|---|",
    ]
    for r, wr, cr, mr, pm in ratios:
        goal = ""
        if r["n"] >= 3_000_000:
            goal = f"{'met' if wr <= 3 else 'NOT met'} (wall), {'met' if pm < 1200 else 'NOT met'} (memory)"
        lines.append(f"| {r['facts']['lines']:,} | {wr:.1f}× | {cr:.1f}× | {mr:.1f}× | {goal} |")
    lines += ["", "Same figures (asserted: every column total equal to the cent, else the benchmark stops):", ""]
    lines += ["| lines | " + " | ".join(COLUMNS) + " | largest per-customer difference |"]
    lines += ["|---|" + "---|" * (len(COLUMNS) + 1)]
    for r in results:
        sums = r["runs"]["pandas"][0]["sums"]
        lines.append(
            f"| {r['facts']['lines']:,} | "
            + " | ".join(f"{sums[c]:,.2f} (Δ {r['diffs'][c]:.1e})" for c in COLUMNS)
            + f" | {r['worst']:.1e} over {r['nc']:,} customers |"
        )
    lines += [
        *real,
        "",
        "Run: `.venv/bin/python benchmarks/fec_scale.py` (`--lines 10000000` for 10 M).",
    ]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="fec_scale.md")
    ap.add_argument(
        "--real", type=Path, default=_common.HERE.parent.parent / "shared" / "fec", help="real FECs to check"
    )
    args = ap.parse_args()
    real = real_files(args.real) if args.real.is_dir() else ["", f"(no real FECs checked: {args.real} not found)"]
    results = [measure(n, args.repeat) for n in args.lines]
    _common.write_results(args.out, report(results, args.repeat, real))


if __name__ == "__main__":
    main()
