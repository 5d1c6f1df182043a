"""Benchmark: the aged balance on 1,000,000 open items, vectorised vs. row-wise apply.

Times, in one run on the same data:

1. ``cashmission.aged_balance(items, as_of, by="customer_id")``, best of 3;
2. the naive way, as found in consultants' scripts: ``DataFrame.apply(axis=1)``
   computing each row's bucket, then a pivot table by customer.  It runs on the full
   million when a 100,000-row trial says that will take < 30 s; otherwise on 100,000
   rows, extrapolated linearly (the report says which);
3. "load + ageing": the items written as a French CSV (``;``, decimal comma,
   dd/mm/yyyy, French headers) under benchmarks/_work/ (git-ignored), read with
   ``cashmission.io.exports.load_open_items`` and aged (skipped with a message if the
   loader does not exist).

Both ways must give the same totals by customer and bucket (checked, else it stops).
Targets: < 0.5 s for 1M items; >= 50x faster than apply.
Writes benchmarks/results/aging.md (or the path given after n).
Run: .venv/bin/python benchmarks/aging.py [n [output.md]]
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

import _common
import numpy as np
import pandas as pd

from cashmission.ledger.ageing import aged_balance
from cashmission.ledger.buckets import bucket_keys

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
AS_OF = pd.Timestamp("2026-08-03")  # the sample client's audit date
SEED = 20260630


def generate(n: int, seed: int = SEED) -> tuple[pd.DataFrame, str]:
    """``n`` open items: the package's sample generator when it exists, else our own."""
    try:
        samples = importlib.import_module("cashmission.samples")
        gen = samples.generate_open_items
    except (ImportError, AttributeError):
        gen = None
    if gen is not None:
        return gen(n, seed, as_of=str(AS_OF.date())), "cashmission.samples.generator.generate_open_items"
    return _own_generator(n, seed), "the benchmark's own seeded generator"


def _own_generator(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_customers = max(1, n // 50)  # 20,000 customers for 1M items
    # a few large customers hold many items (Zipf-like)
    cust = np.minimum(rng.zipf(1.3, n), n_customers) - 1
    cust = rng.permutation(n_customers)[cust]
    doc_type = rng.choice(np.array(["invoice", "credit_note", "payment", "other"]), n, p=[0.85, 0.07, 0.06, 0.02])
    doc_date = AS_OF - pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    terms = rng.choice(np.array([0, 30, 45, 60]), n, p=[0.1, 0.4, 0.2, 0.3])
    amount = np.round(rng.lognormal(7, 1.2, n), 2)
    amount = np.where(doc_type == "invoice", amount, -amount)
    segments = np.array(["France", "Export", "Grands comptes", None], dtype=object)
    collectors = np.array(["Anne", "Bruno", "Chloé", None], dtype=object)
    return pd.DataFrame(
        {
            "entity": np.where(cust % 3 == 0, "DE01", "FR01"),
            "customer_id": pd.Series(cust).map("C{:06d}".format).to_numpy(),
            "customer_name": pd.Series(cust).map("Client {:06d}".format).to_numpy(),
            "document_id": pd.RangeIndex(n).map("F{:08d}".format).to_numpy(),
            "document_type": doc_type,
            "document_date": doc_date,
            "due_date": doc_date + pd.to_timedelta(terms, unit="D"),
            "amount": amount,
            "currency": "EUR",
            "dispute": rng.random(n) < 0.03,
            "collector": collectors[cust % 4],
            "segment": segments[cust % 4],
        }
    )


# --------------------------------------------------------------------------- the naive way
def naive_aged_balance(items: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Row-wise bucket with DataFrame.apply, then a pivot table (the slow reference)."""
    credit_kind = {
        "payment": "unapplied_cash",
        "credit_note": "credit_notes",
        "invoice": "credit_notes",
    }

    def bucket(row: pd.Series) -> str:
        if row["amount"] < 0:
            return credit_kind.get(row["document_type"], "other_credits")
        days = (as_of - row["due_date"]).days
        if days <= 0:
            return "not_due"
        if days <= 30:
            return "d1_30"
        if days <= 60:
            return "d31_60"
        if days <= 90:
            return "d61_90"
        if days <= 180:
            return "d91_180"
        return "over_180"

    open_items = items[items["document_date"] <= as_of]
    b = open_items.apply(bucket, axis=1)
    table = open_items.assign(bucket=b).pivot_table(
        index="customer_id", columns="bucket", values="amount", aggfunc="sum", fill_value=0.0
    )
    table["total"] = table.sum(axis=1)
    return table


def best_of(k: int, fn, *args, **kw) -> tuple[float, object]:
    times, out = [], None
    for _ in range(k):
        t0 = time.perf_counter()
        out = fn(*args, **kw)
        times.append(time.perf_counter() - t0)
    return min(times), out


def check_same(fast: pd.DataFrame, slow: pd.DataFrame) -> float:
    """Largest absolute difference between the two, by customer and column."""
    f = fast.set_index("customer_id")
    cols = [*bucket_keys(), "credit_notes", "unapplied_cash", "other_credits", "total"]
    s = slow.reindex(index=f.index, columns=cols, fill_value=0.0)
    diff = float(np.abs(f[cols].to_numpy() - s.to_numpy()).max())
    if diff > 1e-6 * max(1.0, float(f["total"].abs().max())):
        raise SystemExit(f"vectorised and naive ageing differ by {diff}")
    return diff


def write_french_csv(items: pd.DataFrame, path: Path) -> None:
    fr = pd.DataFrame(
        {
            "Société": items["entity"],
            "N° client": items["customer_id"],
            "Raison sociale": items["customer_name"],
            "N° pièce": items["document_id"],
            "Type": items["document_type"].map(
                {
                    "invoice": "Facture",
                    "credit_note": "Avoir",
                    "payment": "Règlement",
                    "other": "OD",
                }
            ),
            "Date pièce": items["document_date"].dt.strftime("%d/%m/%Y"),
            "Date échéance": items["due_date"].dt.strftime("%d/%m/%Y"),
            "Montant TTC": items["amount"],
            "Devise": items["currency"],
            "Litige": np.where(items["dispute"], "Oui", "Non"),
            "Recouvreur": items["collector"],
            "Réseau": items["segment"],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fr.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8", float_format="%.2f")


def main(n: int = 1_000_000, out: Path | None = None) -> None:
    t0 = time.perf_counter()
    items, source = generate(n)
    gen_s = time.perf_counter() - t0
    print(f"generated {len(items):,} items in {gen_s:.1f} s ({source})")

    fast_s, aged = best_of(3, aged_balance, items, AS_OF, by="customer_id")
    print(f"aged_balance: {fast_s:.3f} s, {len(aged):,} customers")

    # naive: a 100,000-row trial first, then the full million if it fits in 30 s
    trial_n = min(100_000, n)
    trial = items.iloc[:trial_n]
    t0 = time.perf_counter()
    naive_aged_balance(trial, AS_OF)
    trial_s = time.perf_counter() - t0
    if trial_s * n / trial_n < 30:
        naive_s, slow = best_of(3, naive_aged_balance, items, AS_OF)
        naive_how = f"measured on all {n:,} rows (best of 3, like the vectorised one)"
        diff = check_same(aged, slow)
    else:
        naive_s = trial_s * n / trial_n
        naive_how = f"measured on {trial_n:,} rows ({trial_s:.1f} s, one run), extrapolated linearly to {n:,}"
        diff = check_same(aged_balance(trial, AS_OF), naive_aged_balance(trial, AS_OF))
    print(f"naive apply: {naive_s:.1f} s ({naive_how}); max difference {diff:.2e}")
    speedup = naive_s / fast_s
    control = float(items.loc[items["document_date"] <= AS_OF, "amount"].sum())
    recon = abs(float(aged["total"].sum()) - control)

    # load + ageing
    load_lines: list[str]
    try:
        loaders = importlib.import_module("cashmission.io.exports")
        load_open_items = loaders.load_open_items
    except (ImportError, AttributeError):
        load_open_items = None
    if load_open_items is None:
        msg = "skipped: cashmission.io.exports.load_open_items does not exist yet"
        print(msg)
        load_lines = [f"Load + ageing: {msg}."]
    else:
        path = WORK / "open_items_fr.csv"
        t0 = time.perf_counter()
        write_french_csv(items, path)
        write_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        loaded, report = load_open_items(path)
        load_s = time.perf_counter() - t0
        age2_s, aged_loaded = best_of(3, aged_balance, loaded, AS_OF, by="customer_id")
        loaded_total = float(aged_loaded["total"].sum())
        print(
            f"CSV {size_mb:.0f} MB written in {write_s:.1f} s; load_open_items {load_s:.1f} s "
            f"({report.rows_kept:,} rows kept); ageing {age2_s:.2f} s; "
            f"total {loaded_total:,.2f} vs generated {control:,.2f}"
        )
        load_lines = [
            "Load + ageing (French CSV: `;`, decimal comma, dd/mm/yyyy, French headers, UTF-8):",
            "",
            "| step | seconds |",
            "|---|---|",
            f"| write the CSV ({size_mb:.0f} MB, not part of the timing below) | {write_s:.1f} |",
            f"| `load_open_items(path)` ({report.rows_kept:,} of {report.rows_read:,} rows kept, "
            f"{len(report.problems)} problems reported) | {load_s:.1f} |",
            f"| `aged_balance` on the loaded items (object-dtype strings; best of 3) | {age2_s:.2f} |",
            f"| **load + ageing** | **{load_s + age2_s:.1f}** |",
            "",
            f"Total after loading: {loaded_total:,.2f}; generated: {control:,.2f}; "
            f"difference {abs(loaded_total - control):.2e} (amounts written with 2 decimals).",
            *(
                ["", "Problems reported by the loader:", ""] + [f"- {p}" for p in report.problems[:5]]
                if report.problems
                else []
            ),
        ]

    lines = [
        "# Aged balance benchmark",
        "",
        f"Machine: {os.cpu_count()} cores ({_common.cpu_model()}), {platform.system()} "
        f"{platform.machine()}; Python {platform.python_version()}, pandas {pd.__version__}, "
        f"numpy {np.__version__}.  Load average at the end of the run "
        f"(1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other jobs share "
        "the machine, so absolute times vary; both ways ran in the same process, same data).",
        f"Data: {n:,} open items from {source} (seed {SEED}), {len(aged):,} customers, "
        f"as_of {AS_OF.date()}.  Run: `.venv/bin/python benchmarks/aging.py`.",
        "",
        "| way | seconds | |",
        "|---|---|---|",
        f'| `aged_balance(items, as_of, by="customer_id")`, vectorised (best of 3) '
        f"| {fast_s:.3f} | target < 0.5 s: {'met' if fast_s < 0.5 else 'NOT met'} |",
        f"| row-wise `DataFrame.apply(axis=1)` bucket + `pivot_table`, {naive_how} | {naive_s:.1f} | |",
        f"| **speed-up** | **{speedup:,.0f}x** | target >= 50x: {'met' if speedup >= 50 else 'NOT met'} |",
        "",
        f"Same figures: the largest difference by customer and bucket between the two ways is "
        f"{diff:.2e}.  Σ total over customers − Σ amount of the open items = {recon:.2e}.",
        "",
        *load_lines,
        "",
    ]
    out = out or HERE / "results" / "aging.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000,
        Path(sys.argv[2]) if len(sys.argv) > 2 else None,
    )
