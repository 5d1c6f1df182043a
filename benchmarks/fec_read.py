"""Benchmark: read a 1,000,000-line FEC, build the customer ledger, age it at one date.

Builds a synthetic FEC (tab, UTF-8, CRLF, decimal comma, 18 columns) in
benchmarks/_work/ (git-ignored): sales invoices (411 aux / 706 / 44571), customer
payments lettered to them (512 / 411), supplier invoices (401 aux / 607 / 44566).
Times ``read_fec`` + ``fec_receivables`` + ageing at one date
(``cashmission.ledger.ageing.aged_balance`` by customer),
in a fresh process, and its peak memory (the child's own ``VmHWM`` from /proc/self/status,
and tracemalloc's peak of Python allocations in a second run).  ``ru_maxrss`` is not used:
Linux carries it over fork + exec, so it reported the parent's peak (1,119 MB at 1 M lines,
the parent having built the file) instead of the child's (see ``_common.py``).

Targets: a few seconds on 2 cores; peak memory well under 2 GB.
Writes benchmarks/results/fec_read.md.  Run: .venv/bin/python benchmarks/fec_read.py
"""

from __future__ import annotations

import time
from pathlib import Path

import _common
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


def _d8(d: np.ndarray) -> np.ndarray:
    return np.char.replace(np.datetime_as_string(d, unit="D"), "-", "")


def _frame(j, jl, num, date, acc, acclib, aux, auxlib, pref, pdate, lib, debit, credit, let, dlet) -> pd.DataFrame:
    """The lines of one kind of FEC line; ``debit`` and ``credit`` are numbers (formatted here, kept for the totals)."""
    arrays = (num, date, acc, aux, pref, pdate, debit, credit, let, dlet)
    n = max((len(v) for v in arrays if isinstance(v, np.ndarray)), default=1)
    debit = np.broadcast_to(np.asarray(debit, dtype=float), (n,))
    credit = np.broadcast_to(np.asarray(credit, dtype=float), (n,))
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
            "Debit": _amount(debit),
            "Credit": _amount(credit),
            "EcritureLet": let,
            "DateLet": dlet,
            "ValidDate": "20250115",
            "Montantdevise": "",
            "Idevise": "",
            "_order": np.arange(n),
            "_debit": debit,
        }
    )


def _chunk(n_lines: int, rng: np.random.Generator, base: int, rich: np.random.Generator | None) -> pd.DataFrame:
    """About ``n_lines`` lines (within 2); document numbers start at ``base``; ``rich``: the random
    generator of the extra cases (see :func:`build`), or ``None`` for the plain file."""
    n_inv = n_lines // 6  # 3 lines per invoice
    n_pay = int(n_inv * 0.8)  # 2 lines per payment, 80 % of invoices paid
    start = np.datetime64("2024-01-01")
    inv_day = rng.integers(0, 366, n_inv)
    inv_date = start + inv_day.astype("timedelta64[D]")
    cust = rng.integers(0, 20_000, n_inv)
    ht = np.round(rng.lognormal(7, 1, n_inv), 2)
    vat = np.round(ht * 0.2, 2)
    ttc = ht + vat
    inv_no = base + np.arange(n_inv)
    paid = np.zeros(n_inv, bool)
    paid[rng.choice(n_inv, n_pay, replace=False)] = True
    pay_date = inv_date + rng.integers(10, 90, n_inv).astype("timedelta64[D]")
    paid &= pay_date <= np.datetime64("2024-12-31")
    letter = np.char.add("L", inv_no.astype(str))
    cust_s = np.char.add("C", np.char.zfill(cust.astype(str), 5))
    piece = np.char.add("F", np.char.zfill(inv_no.astype(str), 7))
    num = np.char.add("VE", inv_no.astype(str))
    ds = d_piece = _d8(inv_date)
    let_inv = np.where(paid, letter, "")
    dlet_inv = np.where(paid, _d8(pay_date), "")
    k = np.flatnonzero(paid)
    pay_amount = ttc[k]
    dlet_pay = _d8(pay_date[k])
    frames: list[pd.DataFrame] = []
    if rich is not None:
        # partial payments and over-payments (lettered, the group does not net to zero)
        part = rich.random(len(k)) < 0.05
        pay_amount = pay_amount.copy()
        pay_amount[part] = np.round(pay_amount[part] * rich.uniform(0.3, 1.2, int(part.sum())), 2)
        # complete lettering without DateLet (cleared on the group's last entry date)
        no_dl = ~part & (rich.random(len(k)) < 0.02)
        dlet_pay = np.where(no_dl, "", dlet_pay)
        dlet_inv[k[no_dl]] = ""
        # placeholder or empty PieceDate (document date taken from EcritureDate)
        ph = rich.random(n_inv)
        d_piece = np.where(ph < 0.005, "19000101", np.where(ph < 0.01, "", ds))
        frames += _extras(rich, base, n_inv, paid, inv_date, ttc, letter, cust_s, let_inv, dlet_inv)
    inv = dict(j="VE", jl="Ventes", num=num, date=ds, pref=piece, pdate=d_piece, lib=np.char.add("Facture ", piece))
    frames.append(
        _frame(
            **inv,
            acc="411000",
            acclib="Clients",
            aux=cust_s,
            auxlib=np.char.add("Client ", cust_s),
            debit=ttc,
            credit=0.0,
            let=let_inv,
            dlet=dlet_inv,
        )
    )
    frames.append(
        _frame(**inv, acc="706000", acclib="Prestations", aux="", auxlib="", debit=0.0, credit=ht, let="", dlet="")
    )
    frames.append(
        _frame(**inv, acc="445710", acclib="TVA collectée", aux="", auxlib="", debit=0.0, credit=vat, let="", dlet="")
    )
    # payments
    pk = inv_no[k].astype(str)
    pds = _d8(pay_date[k])
    pay = dict(j="BQ", jl="Banque", num=np.char.add("BQ", pk), date=pds, pref=np.char.add("VIR", pk), pdate=pds)
    pay["lib"] = "Virement client"
    frames.append(
        _frame(**pay, acc="512000", acclib="Banque", aux="", auxlib="", debit=pay_amount, credit=0.0, let="", dlet="")
    )
    frames.append(
        _frame(
            **pay,
            acc="411000",
            acclib="Clients",
            aux=cust_s[k],
            auxlib=np.char.add("Client ", cust_s[k]),
            debit=0.0,
            credit=pay_amount,
            let=letter[k],
            dlet=dlet_pay,
        )
    )
    # supplier invoices: fill up to n_lines (within 2)
    n_sup = (n_lines - sum(len(f) for f in frames)) // 3
    sd = start + rng.integers(0, 366, n_sup).astype("timedelta64[D]")
    sds = _d8(sd)
    sht = np.round(rng.lognormal(7, 1, n_sup), 2)
    svat = np.round(sht * 0.2, 2)
    snum = np.char.add("AC", (base + np.arange(n_sup)).astype(str))
    sup = np.char.add("F", np.char.zfill(rng.integers(0, 3000, n_sup).astype(str), 4))
    ac = dict(j="AC", jl="Achats", num=snum, date=sds, pref=snum, pdate=sds, lib="Facture fournisseur")
    frames.append(
        _frame(
            **ac,
            acc="401000",
            acclib="Fournisseurs",
            aux=sup,
            auxlib=np.char.add("Fournisseur ", sup),
            debit=0.0,
            credit=sht + svat,
            let="",
            dlet="",
        )
    )
    frames.append(
        _frame(
            **ac,
            acc="607000",
            acclib="Achats de marchandises",
            aux="",
            auxlib="",
            debit=sht,
            credit=0.0,
            let="",
            dlet="",
        )
    )
    frames.append(
        _frame(**ac, acc="445660", acclib="TVA déductible", aux="", auxlib="", debit=svat, credit=0.0, let="", dlet="")
    )
    df = pd.concat(frames, ignore_index=True)
    df.attrs["facts"] = {"invoices": int(n_inv), "paid": len(k)}
    return df.sort_values(["JournalCode", "EcritureNum", "_order"], kind="stable")


def _extras(
    rich: np.random.Generator,
    base: int,
    n_inv: int,
    paid: np.ndarray,
    inv_date: np.ndarray,
    ttc: np.ndarray,
    letter: np.ndarray,
    cust_s: np.ndarray,
    let_inv: np.ndarray,
    dlet_inv: np.ndarray,
) -> list[pd.DataFrame]:
    """Credit notes lettered with unpaid invoices (complete or partial; ``let_inv`` and ``dlet_inv``
    are updated), unlettered customer payments (unapplied cash) and detailed opening entries
    (*à-nouveaux*, some paid in the year)."""
    frames: list[pd.DataFrame] = []
    end = np.datetime64("2024-12-31")
    # credit notes on 2 % of the invoices, among the unpaid ones: a third cancel the invoice (lettered),
    # a third are lettered with it for part of it, a third are not lettered
    m = min(int(n_inv * 0.02), int((~paid).sum()))
    idx = rich.choice(np.flatnonzero(~paid), m, replace=False)
    how = rich.integers(0, 3, m)
    full = how == 0
    c_ttc = np.where(full, ttc[idx], np.round(ttc[idx] * rich.uniform(0.1, 0.5, m), 2))
    c_ht = np.round(c_ttc / 1.2, 2)
    c_vat = np.round(c_ttc - c_ht, 2)
    c_date = np.minimum(inv_date[idx] + rich.integers(5, 60, m).astype("timedelta64[D]"), end)
    cds = _d8(c_date)
    c_dlet = np.where(full, cds, "")
    c_let = np.where(how < 2, letter[idx], "")
    let_inv[idx] = c_let
    dlet_inv[idx] = c_dlet
    cno = np.char.add("AV", (base + np.arange(m)).astype(str))
    av = dict(j="VE", jl="Ventes", num=cno, date=cds, pref=cno, pdate=cds, lib="Avoir")
    aux = dict(aux=cust_s[idx], auxlib=np.char.add("Client ", cust_s[idx]))
    frames.append(_frame(**av, acc="411000", acclib="Clients", **aux, debit=0.0, credit=c_ttc, let=c_let, dlet=c_dlet))
    frames.append(
        _frame(**av, acc="706000", acclib="Prestations", aux="", auxlib="", debit=c_ht, credit=0.0, let="", dlet="")
    )
    frames.append(
        _frame(**av, acc="445710", acclib="TVA collectée", aux="", auxlib="", debit=c_vat, credit=0.0, let="", dlet="")
    )
    # unapplied cash: 1 % of the invoices' count, unlettered payments
    u = int(n_inv * 0.01)
    u_cust = cust_s[rich.integers(0, n_inv, u)]
    u_amt = np.round(rich.lognormal(6, 1, u), 2)
    uds = _d8(np.datetime64("2024-01-01") + rich.integers(0, 366, u).astype("timedelta64[D]"))
    uno = np.char.add("BQU", (base + np.arange(u)).astype(str))
    bq = dict(j="BQ", jl="Banque", num=uno, date=uds, pref=uno, pdate=uds, lib="Virement non affecté")
    frames.append(
        _frame(**bq, acc="512000", acclib="Banque", aux="", auxlib="", debit=u_amt, credit=0.0, let="", dlet="")
    )
    frames.append(
        _frame(
            **bq,
            acc="411000",
            acclib="Clients",
            aux=u_cust,
            auxlib=np.char.add("Client ", u_cust),
            debit=0.0,
            credit=u_amt,
            let="",
            dlet="",
        )
    )
    # detailed opening entries: 3 % of the invoices' count, invoices of late 2023 carried forward
    o = int(n_inv * 0.03)
    o_cust = cust_s[rich.integers(0, n_inv, o)]
    o_amt = np.round(rich.lognormal(7, 1, o) * 1.2, 2)
    o_pdate = _d8(np.datetime64("2023-09-01") + rich.integers(0, 122, o).astype("timedelta64[D]"))
    o_ref = np.char.add("F23", (base + np.arange(o)).astype(str))
    o_paid = rich.random(o) < 0.6
    o_pay = np.datetime64("2024-01-10") + rich.integers(0, 60, o).astype("timedelta64[D]")
    o_let = np.where(o_paid, np.char.add("LA", (base + np.arange(o)).astype(str)), "")
    o_dlet = np.where(o_paid, _d8(o_pay), "")
    an = dict(j="AN", jl="A nouveaux", num=f"AN{base}", date="20240101", lib="Report à nouveau")
    frames.append(
        _frame(
            **an,
            acc="411000",
            acclib="Clients",
            aux=o_cust,
            auxlib=np.char.add("Client ", o_cust),
            pref=o_ref,
            pdate=o_pdate,
            debit=o_amt,
            credit=0.0,
            let=o_let,
            dlet=o_dlet,
        )
    )
    frames.append(
        _frame(
            **an,
            acc="890000",
            acclib="Bilan d'ouverture",
            aux="",
            auxlib="",
            pref="AN",
            pdate="20240101",
            debit=0.0,
            credit=np.round(o_amt.sum(), 2),
            let="",
            dlet="",
        )
    )
    p = np.flatnonzero(o_paid)
    pno = np.char.add("BQA", (base + p).astype(str))
    pds = _d8(o_pay[p])
    bqa = dict(j="BQ", jl="Banque", num=pno, date=pds, pref=pno, pdate=pds, lib="Virement client")
    frames.append(
        _frame(**bqa, acc="512000", acclib="Banque", aux="", auxlib="", debit=o_amt[p], credit=0.0, let="", dlet="")
    )
    frames.append(
        _frame(
            **bqa,
            acc="411000",
            acclib="Clients",
            aux=o_cust[p],
            auxlib=np.char.add("Client ", o_cust[p]),
            debit=0.0,
            credit=o_amt[p],
            let=o_let[p],
            dlet=o_dlet[p],
        )
    )
    return frames


def build(
    path: Path, n_lines: int = N_LINES, seed: int = 4, *, rich: bool = False, chunk_lines: int = 1_000_000
) -> dict[str, float]:
    """Write the synthetic FEC; return its control figures.

    Sales invoices (411 aux / 706 / 44571), customer payments lettered to them (512 / 411),
    supplier invoices (401 aux / 607 / 44566).  With ``rich``, also the cases the ageing rules
    treat apart: partial payments and over-payments (lettered groups that do not net to zero),
    complete lettering without DateLet, placeholder (19000101) and empty PieceDate, credit
    notes lettered with invoices (complete or partial), unlettered payments, and detailed
    opening entries (journal AN, PieceDate in 2023) partly paid in the year.  Written in
    chunks of ``chunk_lines`` so that 10 M lines fit in memory; one chunk (the default for
    1 M lines) gives the same file as before chunking.
    """
    rng = np.random.default_rng(seed)
    extra = np.random.default_rng(seed + 7919) if rich else None
    path.parent.mkdir(parents=True, exist_ok=True)
    facts = {"lines": 0, "debit": 0.0, "invoices": 0, "paid": 0}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\r\n")
        for i, size in enumerate(_sizes(n_lines, chunk_lines)):
            df = _chunk(size, rng, i * 10_000_000, extra)
            facts["lines"] += len(df)
            facts["debit"] += float(df["_debit"].sum())
            facts["invoices"] += df.attrs["facts"]["invoices"]
            facts["paid"] += df.attrs["facts"]["paid"]
            df = df.drop(columns=["_order", "_debit"])
            df.to_csv(fh, sep="\t", header=False, index=False, lineterminator="\r\n")
            del df
    facts["debit"] = round(facts["debit"], 2)
    return facts


def _sizes(n_lines: int, chunk_lines: int) -> list[int]:
    full, rest = divmod(n_lines, chunk_lines)
    return [chunk_lines] * full + ([rest] if rest else [])


CHILD = r"""
import json, sys, time, tracemalloc
trace = sys.argv[2] == "1"
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
from cashmission.io.fec import read_fec
from cashmission.ledger.fec_ledger import fec_receivables
from cashmission.ledger.ageing import aged_balance
lines, report = read_fec(sys.argv[1])
t1 = time.perf_counter()
items = fec_receivables(lines, terms_days=30)
t2 = time.perf_counter()
aged = aged_balance(items, sys.argv[3], by="customer_id")
t3 = time.perf_counter()
out = {"read": t1 - t0, "ledger": t2 - t1, "aging": t3 - t2, "total": t3 - t0,
       "how": "aged_balance(items, as_of, by='customer_id')",
       "rows": report.rows_read, "debit": report.debit_read, "entries": report.extra["entries"],
       "items": len(items), "groups": len(aged), "peak_mb": _peak_mb(), "cpu": _cpu_s(),
       "open_total": float(aged["total"].sum())}
if trace:
    out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
"""


def run_child(path: Path, trace: bool) -> dict:
    return _common.run_child(CHILD, path, "1" if trace else "0", AS_OF)


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
    peak = max(r["peak_mb"] for r in runs)
    lines = [
        "# FEC read benchmark",
        "",
        _common.machine("pandas", "numpy"),
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
        f"| CPU time of that run (user + system) | {best['cpu']:.2f} |",
        "",
        "All runs (total s): " + ", ".join(f"{r['total']:.2f}" for r in runs) + ".",
        "",
        "| memory | MB |",
        "|---|---|",
        f"| peak resident set size of the child process (its own `VmHWM`, max of the 3 runs) | {peak:.0f} |",
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
