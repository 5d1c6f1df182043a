"""Open items at a date (*pièces non soldées*) and their days past due (*jours de retard*).

The first step of every ageing (:mod:`cashmission.ledger.ageing`): which items of a
ledger are open at ``as_of``, and how many days each is past due or old.  Time is
always an argument.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission.ledger.buckets import Basis, _check_basis


def booked_by(items: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Items in the books at the end of ``as_of``: ``booked_date`` (else ``document_date``) ≤ ``as_of``."""
    booked = items["booked_date"] if "booked_date" in items.columns else items["document_date"]
    return booked <= as_of


def _open_mask(items: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    mask = booked_by(items, as_of)
    if "cleared_date" in items.columns:
        cleared = items["cleared_date"]
        mask &= cleared.isna() | (cleared > as_of)
    return mask


def open_at(items: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Items open (*non soldés*) at the end of day ``as_of``.

    An item is open at date D when it was in the books at D and not yet settled:
    its booking date (``booked_date`` when the table has that column, e.g. a ledger
    rebuilt from a FEC, where it is the entry date *EcritureDate*; else
    ``document_date``) is on or before D, and ``cleared_date`` is empty or later than
    D.  Items without a ``cleared_date`` column are all taken as open (an open-items
    extract).

    Notes
    -----
    This is what makes an aged balance "as of" a past date tie to the balance sheet:
    it needs the ledger (items with their settlement date), not today's open items,
    and the date each item was booked: an invoice dated 31 January but entered on
    2 March is not in the 31 January balance of the customer accounts.  Ageing still
    counts from ``document_date`` / ``due_date``.

    >>> items = pd.DataFrame({
    ...     "document_id": ["A", "B", "C"],
    ...     "document_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
    ...     "cleared_date": pd.to_datetime(["2024-01-25", None, None]),
    ... })
    >>> open_at(items, "2024-01-31")["document_id"].tolist()
    ['B']
    >>> open_at(items, "2024-01-24")["document_id"].tolist()
    ['A', 'B']
    >>> items["booked_date"] = pd.to_datetime(["2024-01-10", "2024-02-02", "2024-02-05"])
    >>> open_at(items, "2024-01-31")["document_id"].tolist()  # B was booked on 2 February
    []
    """
    d = pd.Timestamp(as_of)
    return items.loc[_open_mask(items, d)].copy()


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Dates as whole days since the epoch (float, NaN for missing)."""
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(dates.dtype):
        raise TypeError(
            f"column {dates.name!r} must hold dates (datetime64), got dtype {dates.dtype}; parse dates when loading"
        )
    values = dates.to_numpy().astype("datetime64[D]")
    days = values.astype(np.int64).astype(np.float64)
    days[np.isnat(values)] = np.nan
    return days


def _as_of_day(as_of: str | pd.Timestamp) -> int:
    return int(np.datetime64(pd.Timestamp(as_of).normalize().to_datetime64(), "D").astype(np.int64))


def days_past_due(items: pd.DataFrame, as_of: str | pd.Timestamp, basis: Basis = "due_date") -> pd.Series:
    """Days past due (*jours de retard*) of each item at ``as_of``, or its age.

    Parameters
    ----------
    items : DataFrame
        Needs ``due_date`` (basis ``"due_date"``) or ``document_date``.
    as_of : date
        The observation date; only its day counts.
    basis : {"due_date", "document_date"}
        ``as_of − due_date`` (days past due; ≤ 0 means not yet due) or
        ``as_of − document_date`` (age of the document).

    Returns
    -------
    Series of int64 named ``days_past_due``, on the index of ``items``.

    Raises
    ------
    ValueError
        If a date is missing: an item without a date cannot be aged, and dropping it
        would break the reconciliation with the ledger.

    Examples
    --------
    >>> items = pd.DataFrame({"due_date": pd.to_datetime(["2024-03-31", "2024-03-01"])})
    >>> days_past_due(items, "2024-03-31").tolist()
    [0, 30]
    """
    _check_basis(basis)
    days = _days(items, as_of, basis)
    return pd.Series(days.astype(np.int64), index=items.index, name="days_past_due")


def _days(items: pd.DataFrame, as_of: str | pd.Timestamp, basis: str) -> np.ndarray:
    """``as_of − items[basis]`` in whole days (float array); missing dates raise."""
    days = _as_of_day(as_of) - _day_numbers(items[basis])
    missing = np.isnan(days)
    if missing.any():
        first = int(missing.argmax())
        ref = items["document_id"].iloc[first] if "document_id" in items else f"index {items.index[first]!r}"
        raise ValueError(
            f"{int(missing.sum())} item(s) have no {basis} (first: {ref!r}); every item needs a {basis} to be aged"
        )
    return days
