"""What each open item still owes once credits are applied (*lettrage*, *imputation*), before ageing.

:func:`cashmission.ledger.ageing.aged_balance` ages amounts after two rules, applied in
this order to the items open at ``as_of``, before any grouping (so a row of the aged
balance, whatever ``by`` is, always adds up):

1. **Lettering groups** (*lettrage partiel*, :func:`net_matched`): the items with a
   non-blank ``match_code`` and no ``cleared_date`` form groups by (``entity``,
   ``customer_id``, ``match_code``).  In a group with debits D = Σ positive amounts and
   credits C = Σ negative amounts (C ≤ 0), the applied amount is A = min(D, −C); each
   debit d becomes d × (D − A) / D and each credit c becomes c × (C + A) / C.  The
   group's remainder D + C stays with its larger side: the invoices' rows when it is a
   partial payment, the credits' rows when they exceed the invoices.  A remainder
   within 1e-9 of max(D, −C) (float noise) is zero.  Example: an invoice of 100 and a
   payment of −40 lettered together become 60 and 0.
2. **Customers whose payments are not lettered** (*imputation à l'antériorité*,
   :func:`allocate_oldest_first`): in a table that records lettering
   (:func:`records_lettering`), a customer none of whose debits booked by ``as_of`` is
   lettered (:func:`unlettered_customers`) has its open credits (payments, credit
   notes, other credits, after rule 1) applied to its open debits, oldest document
   first: its net balance is aged.  Example: invoices of 100 (January) and 50 (March)
   and a payment of −120 become 0, 30 and 0.

Both rules move amounts between the items of one customer; they never change its
total.  ``allocate=False`` / ``net_matched=False`` on the ageing functions give the
views without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission.ledger.groups import group_codes
from cashmission.ledger.open_items import booked_by

NETTING_KEYS: tuple[str, ...] = ("entity", "customer_id", "match_code")
"""Columns that identify a lettering group for :func:`net_matched`."""

CUSTOMER_KEYS: tuple[str, ...] = ("entity", "customer_id")
"""Columns that identify a customer for :func:`allocate_oldest_first`."""

_NOISE = 1e-9
"""Relative size below which a remaining balance is float noise (zero)."""


def _coded(code: pd.Series) -> np.ndarray:
    """True where a lettering code is filled (not missing, not blank); the few distinct
    codes are looked at, not every row."""
    c, uniques = pd.factorize(code)
    if not len(uniques):
        return np.zeros(len(code), dtype=bool)
    blank = np.asarray(pd.Index(uniques).astype(str).str.strip() == "")
    return (c >= 0) & ~blank[np.maximum(c, 0)]


# --------------------------------------------------------------------------- lettering groups
def net_matched(data: pd.DataFrame, amount: np.ndarray) -> np.ndarray:
    """Amounts after applying, in each open lettering group, the credits to the debits
    (rule 1 of the module docstring).

    Vectorised: the groups are numbered once (``pd.factorize``) and summed with
    ``np.bincount``.  Returns ``amount`` itself when no row takes part.

    >>> data = pd.DataFrame({"customer_id": ["C1", "C1", "C1"], "match_code": ["A", "A", None]})
    >>> net_matched(data, np.array([100.0, -40.0, -30.0])).tolist()  # 100 − 40 = 60; −30 has no code
    [60.0, 0.0, -30.0]
    """
    if "match_code" not in data.columns:
        return amount
    part = _coded(data["match_code"])
    if "cleared_date" in data.columns:  # a complete group was lettered after as_of
        part &= data["cleared_date"].isna().to_numpy(dtype=bool)
    rows = np.flatnonzero(part)
    if not len(rows):
        return amount
    keys = [c for c in NETTING_KEYS if c in data.columns]
    g, first = group_codes(data.iloc[rows][keys], keys)
    a = amount[rows]
    n = len(first)
    has_both = (np.bincount(g, weights=a > 0, minlength=n) > 0) & (np.bincount(g, weights=a < 0, minlength=n) > 0)
    keep = has_both[g]
    if not keep.any():
        return amount
    out = amount.copy()
    out[rows[keep]] = _apply(a[keep], g[keep], n)
    return out


def _apply(a: np.ndarray, g: np.ndarray, n: int, rank: np.ndarray | None = None) -> np.ndarray:
    """Amounts of ``n`` groups after applying each group's credits to its debits:
    A = min(D, −C); credits c × (C + A) / C; debits pro rata, d × (D − A) / D, or, given
    the ``rank`` of each row (its age order), oldest first (:func:`_oldest_first`)."""
    pos, neg = a > 0, a < 0
    debit = np.bincount(g, weights=np.where(pos, a, 0.0), minlength=n)
    credit = np.bincount(g, weights=np.where(neg, a, 0.0), minlength=n)
    applied = np.minimum(debit, -credit)
    left_debit = debit - applied  # >= 0
    left_credit = credit + applied  # <= 0
    # a remainder within float noise of the amounts is zero (0.1 + 0.2 - 0.3)
    noise = np.abs(left_debit + left_credit) <= _NOISE * np.maximum(debit, -credit)
    left_debit[noise] = 0.0
    left_credit[noise] = 0.0
    applied[noise] = debit[noise]
    new = a.copy()
    if rank is None:
        new[pos] = a[pos] * left_debit[g[pos]] / debit[g[pos]]
    else:
        new[pos] = _oldest_first(a[pos], g[pos], applied, rank[pos])
    new[neg] = a[neg] * left_credit[g[neg]] / credit[g[neg]]
    return new + 0.0  # + 0.0 turns -0.0 into 0.0


def _oldest_first(a: np.ndarray, g: np.ndarray, applied: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Debits ``a`` (groups ``g``) after each group's ``applied`` amount is taken from
    them in the order of ``rank``: a debit keeps what the credits do not reach."""
    if not len(a):
        return a.copy()
    by_age = np.lexsort((rank, g))
    a_sorted, g_sorted = a[by_age], g[by_age]
    before = np.cumsum(a_sorted) - a_sorted  # the debits before this one, all groups
    opens = np.concatenate(([True], g_sorted[1:] != g_sorted[:-1]))
    within = before - before[opens][np.cumsum(opens) - 1]  # … of its own group
    taken = np.clip(applied[g_sorted] - within, 0.0, a_sorted)
    out = np.empty_like(a)
    out[by_age] = a_sorted - taken
    return out


# --------------------------------------------------------------------------- unlettered customers
def lettered(items: pd.DataFrame) -> np.ndarray:
    """Rows lettered (*lettrées*): a non-blank ``match_code`` or a ``cleared_date``."""
    out = np.zeros(len(items), dtype=bool)
    if "match_code" in items.columns:
        out |= _coded(items["match_code"])
    if "cleared_date" in items.columns:
        out |= items["cleared_date"].notna().to_numpy(dtype=bool)
    return out


def records_lettering(items: pd.DataFrame) -> bool:
    """True when the table shows which items are lettered, so that a customer whose
    payments are not lettered can be told apart.

    A customer ledger rebuilt from a FEC (its ``lettering_status`` column: every line
    says whether it is lettered) or a ledger with settlement dates (some
    ``cleared_date`` filled) does.  An extract of open items does not: the
    accounting system has removed what it lettered, and the credits it lists are
    unapplied by its own books, so they stay in their columns.

    >>> records_lettering(pd.DataFrame({"amount": [1.0], "cleared_date": pd.to_datetime([None])}))
    False
    >>> records_lettering(pd.DataFrame({"amount": [1.0], "lettering_status": ["unlettered"]}))
    True
    """
    if "lettering_status" in items.columns:
        return True
    return "cleared_date" in items.columns and bool(items["cleared_date"].notna().any())


def _booked_by(items: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Rows in the books at ``as_of`` (:func:`cashmission.ledger.open_items.booked_by`;
    every row when the table has no date to tell)."""
    if "booked_date" not in items.columns and "document_date" not in items.columns:
        return np.ones(len(items), dtype=bool)
    return booked_by(items, as_of).to_numpy(dtype=bool)


def lettering_rate(items: pd.DataFrame, as_of: str | pd.Timestamp) -> float:
    """Lettering rate (*taux de lettrage*): the share of the debits that are lettered.

    Σ amount of the debits (positive amounts) booked by ``as_of`` that are lettered
    (:func:`lettered`) / Σ amount of the debits booked by ``as_of``, a fraction
    (:func:`lettered_debits` gives both sums).  NaN when the table does not record
    lettering (:func:`records_lettering`) or holds no debit: it says how far an
    ageing by invoice can be trusted.

    >>> items = pd.DataFrame({"document_date": pd.to_datetime(["2024-01-05"] * 3),
    ...     "amount": [300.0, 100.0, -300.0], "match_code": ["A", None, "A"],
    ...     "cleared_date": pd.to_datetime(["2024-02-01", None, "2024-02-01"])})
    >>> lettering_rate(items, "2024-03-31")  # 300 / (300 + 100)
    0.75
    """
    done, debits = lettered_debits(items, as_of)
    return done / debits if debits > 0 else float("nan")


def lettered_debits(items: pd.DataFrame, as_of: str | pd.Timestamp) -> tuple[float, float]:
    """(Σ lettered debits, Σ debits) booked by ``as_of``; NaN, NaN when the table does
    not record lettering (see :func:`lettering_rate`)."""
    if not records_lettering(items) or "amount" not in items.columns:
        return float("nan"), float("nan")
    amount = pd.to_numeric(items["amount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    debit = (amount > 0) & _booked_by(items, pd.Timestamp(as_of))
    return float(amount[debit & lettered(items)].sum()), float(amount[debit].sum())


def unlettered_customers(items: pd.DataFrame, as_of: str | pd.Timestamp, among: np.ndarray | None = None) -> np.ndarray:
    """Rows of customers whose payments are not lettered (*comptes non lettrés*), as a mask.

    A customer (``entity``, ``customer_id``) is not lettered at ``as_of`` when the
    table records lettering (:func:`records_lettering`) and none of the customer's
    debits booked by ``as_of`` is lettered (:func:`lettered`).  Its credits are then
    applied to its oldest invoices by :func:`allocate_oldest_first`; a customer that
    letters some of its invoices keeps its unlettered credits as unapplied cash.
    ``among`` (a mask) limits the answer to the customers of those rows, e.g. those with
    an open credit: on a million-line ledger only their lines are looked at.

    >>> items = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C2"],
    ...     "document_date": pd.to_datetime(["2024-01-05"] * 4), "amount": [100.0, -40.0, 80.0, -80.0],
    ...     "match_code": [None, None, "A", "A"], "lettering_status": ["unlettered"] * 2 + ["lettered"] * 2})
    >>> unlettered_customers(items, "2024-03-31").tolist()
    [True, True, False, False]
    """
    out = np.zeros(len(items), dtype=bool)
    if not records_lettering(items) or "customer_id" not in items.columns or not len(items):
        return out
    if among is None or among.sum() > len(items) // 20:  # many customers: look at every line
        near = np.arange(len(items))
    else:
        ids = items["customer_id"].iloc[np.flatnonzero(among)].unique()
        near = np.flatnonzero(items["customer_id"].isin(ids).to_numpy(dtype=bool))
    if not len(near):
        return out
    sub = items.iloc[near]
    g, first = group_codes(sub, [c for c in CUSTOMER_KEYS if c in items.columns])
    amount = pd.to_numeric(sub["amount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    lettered_debit = (amount > 0) & _booked_by(sub, pd.Timestamp(as_of)) & lettered(sub)
    letters = np.bincount(g, weights=lettered_debit, minlength=len(first)) > 0
    out[near] = ~letters[g]
    return out


def _date_key(data: pd.DataFrame, column: str) -> np.ndarray:
    """Dates as sortable integers, a missing date last (no order from a column that
    does not hold dates: the ageing refuses it with its name)."""
    if column not in data.columns:
        return np.zeros(len(data), dtype=np.int64)
    dates = data[column]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(dates.dtype):
        return np.zeros(len(dates), dtype=np.int64)
    values = dates.to_numpy().astype("datetime64[D]")
    key = values.astype(np.int64)
    key[np.isnat(values)] = np.iinfo(np.int64).max
    return key


def allocate_oldest_first(data: pd.DataFrame, amount: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """Amounts after applying each treated customer's credits to its oldest debits
    (rule 2 of the module docstring).

    Per customer (:data:`CUSTOMER_KEYS`) among the rows where ``treated`` is True:
    A = min(D, −C); the debits, ordered by ``document_date`` then ``due_date`` (then
    row order), are reduced in turn until A is used; each credit c becomes
    c × (C + A) / C.  Returns ``amount`` itself when no row takes part.

    >>> data = pd.DataFrame({"customer_id": ["C1"] * 3,
    ...     "document_date": pd.to_datetime(["2024-03-01", "2024-01-01", "2024-03-20"]),
    ...     "due_date": pd.to_datetime(["2024-03-31", "2024-01-31", "2024-03-20"])})
    >>> allocate_oldest_first(data, np.array([50.0, 100.0, -120.0]), np.ones(3, bool)).tolist()
    [30.0, 0.0, 0.0]
    """
    rows = np.flatnonzero(treated & (amount != 0) & ~np.isnan(amount))
    if not len(rows):
        return amount
    keys = [c for c in CUSTOMER_KEYS if c in data.columns]
    sub = data.iloc[rows]
    g, first = group_codes(sub, keys)
    order = np.lexsort((np.arange(len(rows)), _date_key(sub, "due_date"), _date_key(sub, "document_date"), g))
    rank = np.empty(len(rows), dtype=np.intp)
    rank[order] = np.arange(len(rows))
    out = amount.copy()
    out[rows] = _apply(amount[rows], g, len(first), rank)
    return out
