"""Seeded synthetic sample client (*client de démonstration*) for demos, tests and benchmarks.

The sample client is an invented industrial group that sells food-production lines
and safety pumps in France and abroad, audited on a Monday (week 0) and followed for
twelve more weeks of collection work.  Everything is synthetic: customer names are
built from invented syllables, collectors have invented first names, no identifier
(SIREN, VAT number) is generated.

The data are a *ledger*: one table in the canonical ``open_items`` schema holding
every document open at some point of the mission (and every document issued during
it), with its ``document_date`` and ``cleared_date``, so that
``open_at(ledger, date)`` gives the open items at any date of the mission, and in
particular each weekly snapshot.  Around it: customers, payments (one row per settled
document), disputes, dunning actions and a monthly revenue / receivables table.

How the data are made (all draws from one ``numpy.random.default_rng(seed)``):

1. Customers: entity, network (*réseau*), country and currency, collector, terms,
   payer profile (A to E) and a size weight.
2. A flow of invoices issued every business day (French public holidays off, a
   quieter August) from about 17 months before the audit to the end of the third
   mission month; each has a natural payment date (due date + a delay drawn from
   the customer's payer profile).  Invoices paid before the audit are not in the
   ledger (they only feed the monthly table).
3. A stock of old, mostly small overdue items (residues, deductions, forgotten
   invoices) that fills the week-0 open items up to ``n_items``; credit notes,
   unapplied cash and other entries (recovery indemnities, payment differences).
4. The stock is scaled so that the week-0 overdue stock is 6.6 M€ per 20,000 items.
   Disputes are drawn on overdue items (older and bigger more likely) up to 6.5 %
   of the overdue amount; FR20 invoices of customers under the factoring contract
   are factored.
5. From the audit on, collection work settles overdue items with a hazard that is
   high for recent, big, undisputed items of good payers and low for old or
   disputed ones; its scale is solved so that the overdue stock at the last
   snapshot is 1.5 M€ per 20,000 items (-77 %).
6. Credit notes and unapplied cash are applied (lettered) to invoices settled
   later; payments, disputes and customer-level dunning are derived from the
   ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import tables
from cashmission.samples.calendar import _DAY0, _Cal, _days, _month_end, _to_ts, french_holidays
from cashmission.samples.collections import _disputes, _dunning, _payments
from cashmission.samples.customers import _make_customers
from cashmission.samples.ledger import _TYPE_CODES, _TYPE_PREFIX, _build_ledger
from cashmission.samples.names import (
    COLLECTORS,
    COUNTRIES,
    DISPUTE_CODES,
    ENDINGS,
    ENTITIES,
    FRENCH_FORMS,
    FX_RATES,
    MIDDLES,
    NAME_TEMPLATES,
    ONSETS,
    SEGMENTS,
)
from cashmission.samples.working_capital import monthly_table, simulation, workbook_figures
from cashmission.samples.writer import FRENCH_EXPORT_HEADERS, french_export, weekly_figures, write_sample

# The sample client's public names, importable from here as before the split by job.
__all__ = [
    "COLLECTORS",
    "COUNTRIES",
    "DISPUTE_CODES",
    "ENDINGS",
    "ENTITIES",
    "FRENCH_EXPORT_HEADERS",
    "FRENCH_FORMS",
    "FX_RATES",
    "MIDDLES",
    "NAME_TEMPLATES",
    "ONSETS",
    "SEGMENTS",
    "SampleData",
    "french_export",
    "french_holidays",
    "generate_open_items",
    "generate_sample",
    "main",
    "weekly_figures",
    "write_sample",
]


@dataclass(frozen=True)
class SampleData:
    """The synthetic sample client: canonical tables and the weekly snapshot dates.

    ``ledger`` is in the ``open_items`` schema with ``cleared_date``;
    ``open_at(ledger, snapshot_dates[w])`` is the open-items snapshot of week ``w``.
    ``monthly`` is in the ``working_capital`` schema (plus a ``source`` column);
    ``working_capital`` is the workbook of the working-capital report (two rolling years
    ending at the audit date and a year before, and the months before the audit), from
    the same simulation: its receivables at the audit date are the ledger's.
    """

    customers: pd.DataFrame
    ledger: pd.DataFrame
    payments: pd.DataFrame
    disputes: pd.DataFrame
    dunning: pd.DataFrame
    monthly: pd.DataFrame
    snapshot_dates: list[pd.Timestamp]
    seed: int
    working_capital: pd.DataFrame

    def snapshot(self, week: int = 0) -> pd.DataFrame:
        """Open items (*postes ouverts*) at the snapshot of week ``week`` (0 = audit)."""
        from cashmission.ledger.ageing import open_at

        if not 0 <= week < len(self.snapshot_dates):
            raise ValueError(f"week must be in 0..{len(self.snapshot_dates) - 1}, got {week}")
        return open_at(self.ledger, self.snapshot_dates[week]).reset_index(drop=True)


# --------------------------------------------------------------------------- public API


def generate_sample(
    seed: int = 2026,
    n_customers: int = 2000,
    n_items: int = 20000,
    start: str = "2026-08-03",
    weeks: int = 13,
) -> SampleData:
    """Generate the synthetic sample client (*client de démonstration*).

    Parameters
    ----------
    seed : seed of ``numpy.random.default_rng``; the same seed gives the same data.
    n_customers : number of customer accounts.
    n_items : number of open items at the audit (week 0); the headline amounts scale
        with it (6.6 M€ overdue at week 0 and 1.5 M€ at the last week per 20,000 items).
    start : audit date, week 0 (ISO).
    weeks : number of weekly snapshots (week 0 included).

    Returns
    -------
    SampleData
        ``customers``, ``ledger`` (``open_items`` schema with ``cleared_date``),
        ``payments``, ``disputes``, ``dunning``, ``monthly`` (``working_capital``
        schema) and ``snapshot_dates``.

    Notes
    -----
    The ledger runs to the end of the month of the last snapshot (2026-10-31 by
    default) so that the month-end receivables of the mission months come from it;
    ``cleared_date`` is empty for items still open then.  Overdue means a positive
    item whose due date is before the snapshot date.
    """
    if n_customers < 10 or n_items < 100 or weeks < 1:
        raise ValueError(f"need n_customers >= 10, n_items >= 100, weeks >= 1; got {n_customers}, {n_items}, {weeks}")
    rng = np.random.default_rng(seed)
    as_of = _days(start)
    snaps = [as_of + 7 * w for w in range(weeks)]
    horizon = int(_month_end(np.array([snaps[-1]]))[0])
    cal = _Cal(as_of - 1200, horizon + 800)
    cust, size, ticket = _make_customers(rng, n_customers, as_of)
    earlier = np.random.default_rng([seed, 1])  # its own stream: the ledger's draws are unchanged
    ledger, extra, paid_before = _build_ledger(
        rng, cust, size, ticket, n_items, as_of, snaps[-1], horizon, cal, earlier_rng=earlier
    )
    payments = _payments(ledger, cust)
    disputes = _disputes(ledger, extra, rng, cal, snaps[-1])
    dunning = _dunning(ledger, extra, cust, rng, cal, snaps, as_of)
    sim = simulation(ledger, extra["customer_index"], paid_before, cust)
    monthly = monthly_table(sim, as_of, horizon)
    working_capital = workbook_figures(sim, as_of)
    ledger = tables.coerce(ledger, "open_items").drop(columns=["source_row"])
    customers = tables.coerce(cust, "customers").drop(columns=["siren"])
    return SampleData(
        customers=customers,
        ledger=ledger,
        payments=tables.coerce(payments, "payments"),
        disputes=tables.coerce(disputes, "disputes"),
        dunning=tables.coerce(dunning, "dunning"),
        monthly=tables.coerce(monthly, "working_capital")[
            [
                "period_end",
                "period_days",
                "revenue",
                "vat_collected",
                "receivables",
                "receivables_not_due",
                "source",
            ]
        ],
        snapshot_dates=[pd.Timestamp(_DAY0 + s) for s in snaps],
        seed=seed,
        working_capital=working_capital,
    )


def generate_open_items(n: int, seed: int = 0, as_of: str = "2026-08-03") -> pd.DataFrame:
    """Fast synthetic open items (*postes ouverts*) in the canonical schema, for benchmarks.

    Vectorised: a million rows take a second or two.  No ``cleared_date``; the mix
    (90 % invoices, credit notes, unapplied cash, other entries, 3 % disputed, a
    long tail of old overdue items) looks like :func:`generate_sample`'s week 0.

    >>> items = generate_open_items(1000, seed=1)
    >>> len(items), items["document_id"].is_unique
    (1000, True)
    """
    rng = np.random.default_rng(seed)
    d0 = _days(as_of)
    n_cust = max(10, n // 20)
    pool, _, ticket = _make_customers(np.random.default_rng(seed + 1), min(n_cust, 500), d0)
    cust = rng.integers(0, n_cust, n)
    pool_i = cust % len(pool)
    kind = rng.choice(4, size=n, p=[0.90, 0.06, 0.03, 0.01])
    age = np.where(rng.random(n) < 0.6, rng.exponential(40.0, n), rng.uniform(40, 1100, n)).astype(np.int64)
    doc = d0 - age
    terms = pool["payment_terms_days"].to_numpy(np.int64)[pool_i]
    due = np.where(kind == 0, doc + terms, doc)
    amount = ticket[pool_i] * rng.lognormal(0.0, 1.0, n)
    amount = np.round(np.where((kind == 1) | (kind == 2), -0.3 * amount, amount), 2)
    currency = pool["currency"].to_numpy()[pool_i]
    rate = np.select([currency == "USD", currency == "GBP"], [FX_RATES["USD"], FX_RATES["GBP"]], 1.0)
    disputed = (kind == 0) & (rng.random(n) < 0.03)
    codes = np.asarray(list(DISPUTE_CODES), dtype=object)[rng.integers(0, len(DISPUTE_CODES), n)]
    prefix = np.asarray(_TYPE_PREFIX, dtype=object)[kind]
    ids = np.array([f"{p}{i:08d}" for p, i in zip(prefix, range(n), strict=True)], dtype=object)
    columns = {
        "entity": pool["entity"].to_numpy()[pool_i],
        "customer_id": np.array([f"C{i:06d}" for i in range(n_cust)], dtype=object)[cust],
        "customer_name": pool["customer_name"].to_numpy()[pool_i],
        "document_id": ids,
        "document_type": np.asarray(_TYPE_CODES, dtype=object)[kind],
        "document_date": _to_ts(doc),
        "due_date": _to_ts(due),
        "amount": amount,
        "currency": currency,
        "amount_currency": np.round(amount * rate, 2),
        "dispute": disputed,
        "dispute_code": np.where(disputed, codes, None),
        "collector": pool["collector"].to_numpy()[pool_i],
        "segment": pool["segment"].to_numpy()[pool_i],
        "factored": pool["factoring"].to_numpy(bool)[pool_i] & (kind == 0),
    }
    # explicit object dtype: pandas 3 would infer its own string dtype, not the canonical one
    return pd.DataFrame({k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in columns.items()})


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cashmission.samples [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m cashmission.samples",
        description="Regenerate the synthetic sample client files.",
    )
    default_out = Path(__file__).resolve().parents[2] / "data_samples" / "demo"
    parser.add_argument("--out", type=Path, default=default_out, help=f"output folder (default: {default_out})")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, generate_sample(seed=args.seed)).values():
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
