"""Receivables not yet due at each month end, from a customer ledger with due dates (a FEC's, with its terms)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from cashmission.ledger.ageing import aged_balance
from cashmission.working_capital.fec_figures import _RECEIVABLE_BALANCE


def receivables_not_due(
    items: pd.DataFrame,
    month_ends: Iterable[str | pd.Timestamp],
    *,
    accounts: Sequence[str] = _RECEIVABLE_BALANCE,
) -> np.ndarray:
    """Receivables not yet due (*créances non échues*) at each date, from a customer ledger.

    Parameters
    ----------
    items : a customer ledger with due dates and clearing dates, e.g.
        :func:`cashmission.ledger.fec_ledger.fec_receivables` (its ``account`` column
        restricts it to ``accounts``; without it every item counts).
    month_ends : the dates (the month ends of the working-capital figures).
    accounts : account prefixes of the receivables figure (411, 413, 416, 418, as
        :func:`cashmission.working_capital.fec_figures.fec_monthly_figures`; 419,
        advances received, is a liability).

    Returns
    -------
    One float per date.

    Notes
    -----
    At each date d, per account and customer (the grouping of the ``receivables``
    figure, whose customers in credit are liabilities): with B the balance of its open
    items at d and N the positive amounts not yet due (``due_date`` ≥ d, the
    ``not_due`` bucket of :func:`cashmission.ledger.ageing.aged_balance`),

        not yet due = min(N, B) when B > 0, else 0.

    Credits not lettered to an invoice (unapplied cash, credit notes) settle the
    oldest invoices first, the usual convention: they take the overdue invoices
    before the ones not yet due, so what remains not due is at most the balance.
    So 0 ≤ not yet due ≤ receivables and overdue = receivables − not yet due ≥ 0.

    >>> items = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C2"],
    ...     "document_type": ["invoice", "invoice", "invoice", "payment"],
    ...     "document_date": pd.to_datetime(["2024-05-10", "2024-06-20", "2024-06-25", "2024-06-28"]),
    ...     "due_date": pd.to_datetime(["2024-06-09", "2024-07-20", "2024-07-25", "2024-06-28"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0]})
    >>> receivables_not_due(items, ["2024-06-30"]).tolist()  # C1 50; C2 min(80, 80 - 30)
    [100.0]
    """
    if "account" in items.columns:
        items = items[items["account"].astype(str).str.startswith(tuple(accounts))]
    keys = [k for k in ("account", "customer_id") if k in items.columns]
    out = []
    for d in month_ends:
        aged = aged_balance(items, d, by=keys)
        total, not_due = aged["total"].to_numpy(dtype=float), aged["not_due"].to_numpy(dtype=float)
        out.append(float(np.where(total > 0, np.minimum(not_due, total), 0.0).sum()))
    return np.asarray(out, dtype=float)
