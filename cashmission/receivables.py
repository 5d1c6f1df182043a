"""Customer receivables: open items at a date and the aged balance (*balance âgée*)."""

from __future__ import annotations

import pandas as pd


def open_at(items: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Items open (*non soldés*) at the end of day ``as_of``.

    An item is open at date D when ``document_date <= D`` and it was not yet settled:
    ``cleared_date`` is empty or later than D.  Items without a ``cleared_date``
    column are all taken as open (an open-items extract).

    Notes
    -----
    This is what makes an aged balance "as of" a past date tie to the balance sheet:
    it needs the ledger (items with their settlement date), not today's open items.

    >>> items = pd.DataFrame({
    ...     "document_id": ["A", "B", "C"],
    ...     "document_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
    ...     "cleared_date": pd.to_datetime(["2024-01-25", None, None]),
    ... })
    >>> open_at(items, "2024-01-31")["document_id"].tolist()
    ['B']
    >>> open_at(items, "2024-01-24")["document_id"].tolist()
    ['A', 'B']
    """
    d = pd.Timestamp(as_of)
    mask = items["document_date"] <= d
    if "cleared_date" in items.columns:
        cleared = items["cleared_date"]
        mask &= cleared.isna() | (cleared > d)
    return items.loc[mask].copy()
