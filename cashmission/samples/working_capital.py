"""The sample client's working-capital figures (*chiffres du BFR*), from the same simulation as its ledger.

Receivables, revenue and VAT at any date or over any period come from the generator's
invoice flow: the ledger (every document open at a snapshot or issued during the
mission, with its ``cleared_date``) plus the invoices paid before the audit that are
not in it.  So the receivables of the workbook at the audit date are the ledger's aged
balance total at that date, to the cent, and the diagnostic and working-capital reports
tell one story.  The sample ledger holds receivables only: purchases, payables and
stocks are derived from revenue by the fixed ratios below (invented, stated in the
README), so that every figure of a date is consistent with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.samples.calendar import _DAY0, _days, _to_ts

PURCHASES_SHARE = 0.55
"""Purchases HT / revenue HT."""
RAW_MATERIALS_SHARE, GOODS_SHARE = 0.60, 0.15
"""Raw-material and goods purchases as shares of purchases."""
PURCHASES_VAT = 0.20
"""VAT rate on every purchase."""
PAYABLES_DAYS = 55
"""Payables at a date = purchases TTC of the ``PAYABLES_DAYS`` days before it."""
STOCK_DAYS = {"stock_raw_materials": 50, "stock_goods": 60, "stock_finished_goods": 30}
"""Stocks at a date = that many days of their flow (raw-material or goods purchases, revenue HT)."""
HISTORY_MONTHS = 24
"""Calendar months of the workbook before the audit month."""


@dataclass(frozen=True)
class Simulation:
    """Every sales document of the sample (ledger + invoices paid before the audit), as day numbers."""

    doc: np.ndarray
    due: np.ndarray
    clear: np.ndarray  # 10**7 while open at the end of the ledger
    amount: np.ndarray  # TTC
    sales: np.ndarray  # invoices and credit notes (revenue)
    vat: np.ndarray  # VAT rate of the customer (20 % in France, else 0)


def simulation(
    ledger: pd.DataFrame, customer_index: np.ndarray, paid_before: pd.DataFrame, cust: pd.DataFrame
) -> Simulation:
    """The whole simulation: ``ledger`` (customer of each row in ``customer_index``) + ``paid_before``."""
    vat_c = np.where(cust["country"].to_numpy() == "FR", 0.20, 0.0)
    dt = ledger["document_type"].to_numpy()

    def days(col: str) -> np.ndarray:
        v = ledger[col].to_numpy()
        return np.where(pd.isna(v), 10**7, (v.astype("datetime64[D]") - _DAY0).astype(np.int64))

    return Simulation(
        doc=np.concatenate([days("document_date"), paid_before["doc"].to_numpy()]),
        due=np.concatenate([days("due_date"), paid_before["due"].to_numpy()]),
        clear=np.concatenate([days("cleared_date"), paid_before["clear"].to_numpy()]),
        amount=np.concatenate([ledger["amount"].to_numpy(), paid_before["amount"].to_numpy()]),
        sales=np.concatenate([np.isin(dt, ["invoice", "credit_note"]), np.ones(len(paid_before), bool)]),
        vat=np.concatenate([vat_c[customer_index], vat_c[paid_before["c"].to_numpy()]]),
    )


def revenue(sim: Simulation, start: int, end: int) -> tuple[float, float]:
    """Revenue HT and VAT collected of the sales documents dated ``start`` to ``end`` (day numbers, inclusive)."""
    inside = sim.sales & (sim.doc >= start) & (sim.doc <= end)
    ttc = float(sim.amount[inside].sum())
    ht = float((sim.amount[inside] / (1 + sim.vat[inside])).sum())
    return ht, ttc - ht


def receivables(sim: Simulation, end: int) -> tuple[float, float]:
    """Receivables open at the end of day ``end`` and the part not yet due.

    Not yet due = the positive items due on or after ``end``: the ``not_due`` bucket of
    :func:`cashmission.ledger.ageing.aged_balance` (credits have columns of their own).
    """
    open_ = (sim.doc <= end) & (sim.clear > end)
    not_due = open_ & (sim.due >= end) & (sim.amount > 0)
    return float(sim.amount[open_].sum()), float(sim.amount[not_due].sum())


def period_row(sim: Simulation, start: int, end: int) -> dict[str, object]:
    """Revenue, VAT and receivables of the period ``start`` to ``end``, rounded to the cent."""
    ht, vat = revenue(sim, start, end)
    total, not_due = receivables(sim, end)
    return {
        "period_end": _to_ts(np.array([end]))[0],
        "period_days": end - start + 1,
        "revenue": round(ht, 2),
        "vat_collected": round(vat, 2),
        "receivables": round(total, 2),
        "receivables_not_due": round(not_due, 2),
    }


def monthly_table(sim: Simulation, as_of: int, horizon: int) -> pd.DataFrame:
    """Calendar months from 12 months before the audit month to the month of ``horizon`` (``monthly.csv``)."""
    first = (_DAY0 + as_of).astype("datetime64[M]") - 12
    rows = []
    for start, end in _months(first, (_DAY0 + horizon).astype("datetime64[M]")):
        rows.append({**period_row(sim, start, end), "source": "ledger" if end >= as_of else "simulation"})
    return pd.DataFrame(rows)


def workbook_figures(sim: Simulation, as_of: int) -> pd.DataFrame:
    """The working-capital workbook of the sample (canonical ``working_capital`` rows with ``period_label``).

    Two rolling years ending at the audit date and at the same date a year before
    (365 days each) and the :data:`HISTORY_MONTHS` calendar months before the audit
    month.  Receivables come from the simulation; purchases, payables and stocks from
    revenue by the module's ratios; factored and discounted receivables are 0 (the
    sample's factored invoices stay on its ledger).
    """
    audit = pd.Timestamp(_DAY0 + as_of)
    year_before = _days(audit - pd.DateOffset(years=1))
    years = [
        (_days(audit - pd.DateOffset(years=2)) + 1, year_before),
        (year_before + 1, as_of),
    ]
    month = (_DAY0 + as_of).astype("datetime64[M]")
    rows = [
        {"period_label": f"12 mois au {pd.Timestamp(_DAY0 + e):%d/%m/%Y}", **_full_row(sim, s, e)} for s, e in years
    ]
    for start, end in _months(month - HISTORY_MONTHS, month - 1):
        rows.append({"period_label": f"{pd.Timestamp(_DAY0 + end):%m/%Y}", **_full_row(sim, start, end)})
    return pd.DataFrame(rows)


def _full_row(sim: Simulation, start: int, end: int) -> dict[str, object]:
    """:func:`period_row` plus the invented purchases, payables and stocks of the period / at its end."""
    row = period_row(sim, start, end)
    purchases = PURCHASES_SHARE * float(row["revenue"])  # type: ignore[arg-type]

    def ht_before(days: int) -> float:
        return revenue(sim, end - days + 1, end)[0]

    row.update(
        {
            "factored_receivables": 0.0,
            "discounted_receivables": 0.0,
            "purchases": round(purchases, 2),
            "vat_deductible": round(purchases * PURCHASES_VAT, 2),
            "purchases_raw_materials": round(purchases * RAW_MATERIALS_SHARE, 2),
            "purchases_goods": round(purchases * GOODS_SHARE, 2),
            "payables": round(PURCHASES_SHARE * (1 + PURCHASES_VAT) * ht_before(PAYABLES_DAYS), 2),
            "stock_raw_materials": round(
                PURCHASES_SHARE * RAW_MATERIALS_SHARE * ht_before(STOCK_DAYS["stock_raw_materials"]), 2
            ),
            "stock_goods": round(PURCHASES_SHARE * GOODS_SHARE * ht_before(STOCK_DAYS["stock_goods"]), 2),
            "stock_finished_goods": round(ht_before(STOCK_DAYS["stock_finished_goods"]), 2),
        }
    )
    return row


def _months(first: np.datetime64, last: np.datetime64) -> list[tuple[int, int]]:
    """(first day, last day) of each calendar month from ``first`` to ``last`` (datetime64[M]), as day numbers."""
    out = []
    for m in np.arange(first, last + 1):
        start = int((m.astype("datetime64[D]") - _DAY0).astype(np.int64))
        end = int(((m + 1).astype("datetime64[D]") - _DAY0).astype(np.int64)) - 1
        out.append((start, end))
    return out
