"""Customer receivables: the aged balance (*balance âgée*) and its headline figures.

The steps: the items open at ``as_of`` (:mod:`cashmission.ledger.open_items`), what
each still owes once credits are applied (:mod:`cashmission.ledger.lettering`), then
the sums by group and bucket.  Everything here takes the canonical ``open_items``
table (see :mod:`cashmission.tables`) and an explicit ``as_of`` date, and returns new frames:
inputs are never modified.  Ageing uses ``amount`` (company currency) only;
``amount_currency`` is ignored, so a multi-currency ledger ages in one currency.

Bucket keys are identifiers (``not_due``, ``d1_30``, …, ``over_180``); the French and
English display labels live in the presentation layer.

Columns of the aged balance (:func:`aged_balance`)
--------------------------------------------------
Amounts are ``amount`` (company currency, signed, tax included); nothing is
rounded.  The rules of :mod:`cashmission.ledger.lettering` are applied to the
open items first, before any grouping: they move amounts between items of one
customer, so every row, whatever ``by`` is, ties.

- Bucket columns: Σ of the **positive** amounts in each bucket.  Days are
  ``as_of − due_date`` (or ``− document_date``); intervals are closed on the
  right: with the default edges 30 days is ``d1_30``, 31 is ``d31_60``, and an
  item due on ``as_of`` is ``not_due``.
- Negative amounts go to ``credit_notes`` (``document_type`` credit_note, or a
  negative invoice), ``unapplied_cash`` (payment) or ``other_credits`` (other,
  or no ``document_type`` column).
- ``total`` = Σ amount = Σ buckets + credit_notes + unapplied_cash +
  other_credits on every row; Σ ``total`` over the rows is the total of the open
  items as given.  ``gross_debit`` = Σ buckets.
- ``overdue`` = Σ positive amounts with ``due_date < as_of``, whatever the basis
  (NaN with the document-date basis and no ``due_date`` column);
  ``overdue_rate`` = :func:`overdue_rate` (overdue / total, the share of the
  balance).  ``disputed`` = Σ positive amounts with ``dispute`` True.
- ``applied_credits`` = Σ of the credits applied to debits by both rules
  (positive), so that gross_debit + applied_credits = Σ positive amounts as given
  (what a reconciliation with the file compares).
- ``allocated_credits`` = Σ of the credits applied to older invoices by rule 2
  (positive; 0 for a customer that letters its payments).
- ``n_items`` counts every open item, zero amounts included.  An item without
  the date its basis needs raises ``ValueError`` (:func:`days_past_due`); a
  missing ``amount`` makes its group's ``total`` NaN.
- ``by="customer_id"`` merges one account number of two entities; use
  ``by=["entity", "customer_id"]`` (:func:`customer_keys` chooses).
- Vectorised (``pd.factorize``, ``np.bincount``): about 0.15–0.3 s for a million
  items on 2 cores (``benchmarks/aging.py``); a ledger that records lettering adds
  one pass over the customers with an open credit (rule 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from cashmission.ledger.buckets import (
    CREDIT_KEYS,
    DEFAULT_EDGES,
    Basis,
    _bucket_index,
    _check_basis,
    _check_edges,
    bucket_keys,
)
from cashmission.ledger.groups import customer_keys as customer_keys
from cashmission.ledger.groups import first_present, group_codes, sort_by_total
from cashmission.ledger.lettering import (
    CUSTOMER_KEYS,
    NETTING_KEYS,
    allocate_oldest_first,
    lettering_rate,
    net_matched,
    unlettered_customers,
)
from cashmission.ledger.open_items import _as_of_day, _day_numbers, _days, _open_mask
from cashmission.ledger.open_items import days_past_due as days_past_due
from cashmission.ledger.open_items import open_at as open_at

SUMMARY_COLUMNS: tuple[str, ...] = (
    "total",
    "gross_debit",
    "overdue",
    "overdue_rate",
    "disputed",
    "applied_credits",
    "allocated_credits",
    "n_items",
)
"""Columns of :func:`aged_balance` after the bucket and credit columns."""


# --------------------------------------------------------------------------- aged balance
def overdue_rate(overdue: float | np.ndarray, balance: float | np.ndarray) -> float | np.ndarray:
    """Overdue rate (*taux d'échu*): the share of the balance that is past due.

    overdue / balance, a fraction, where ``overdue`` is Σ of the amounts still owed
    past their due date and ``balance`` the total balance (*solde*: debits less
    credits); NaN when the balance is zero or negative.  The one definition behind
    every "Échu … (x % du solde)" and every "Taux d'échu" column: it is above 100 %
    when credits not applied to the overdue invoices offset part of the balance.

    >>> overdue_rate(400.0, 1_000.0)
    0.4
    >>> overdue_rate(np.array([50.0, 10.0]), np.array([40.0, -5.0])).tolist()
    [1.25, nan]
    """
    o = np.asarray(overdue, dtype=np.float64)
    b = np.asarray(balance, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(b > 0, o / np.where(b > 0, b, 1.0), np.nan)
    return float(rate) if rate.ndim == 0 else rate


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    keys = list(by)
    if not all(isinstance(k, str) for k in keys):
        raise TypeError(f"by must be a column name, a list of names or None, got {by!r}")
    return keys


def _columns(buckets: list[str]) -> list[str]:
    return [*buckets, *CREDIT_KEYS, *SUMMARY_COLUMNS]


_USED = ("document_date", "due_date", "amount", "document_type", "dispute")


def _lettering_columns(items: pd.DataFrame, net: bool, allocate: bool) -> list[str]:
    """Columns the lettering rules need (none when there is nothing to apply)."""
    cols: list[str] = []
    if net and "match_code" in items.columns and items["match_code"].notna().any():
        cols += [*NETTING_KEYS, "cleared_date"]
    if allocate:
        cols += list(CUSTOMER_KEYS)
    return [c for c in dict.fromkeys(cols) if c in items.columns]


def _select(
    items: pd.DataFrame, as_of: pd.Timestamp, extra: list[str], open_only: bool
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The columns ageing uses, restricted to the items open at ``as_of`` (no copy of
    the other columns: this matters for a million rows), and the positions of those
    rows in ``items`` (``None`` when every row is kept)."""
    cols = list(dict.fromkeys(c for c in [*extra, *_USED] if c in items.columns))
    data = items[cols]
    if open_only:
        mask = _open_mask(items, as_of).to_numpy(dtype=bool)
        if not mask.all():
            positions = np.flatnonzero(mask)
            return data.iloc[positions], positions
    return data, None


class _Open(NamedTuple):
    """The items aged: their columns, positions in the table, and three amounts each."""

    data: pd.DataFrame
    positions: np.ndarray | None
    given: np.ndarray
    netted: np.ndarray
    """After the lettering groups (rule 1 of :mod:`cashmission.ledger.lettering`)."""
    amount: np.ndarray
    """After the allocation of unlettered customers' credits too (rule 2): what is aged."""


def _open_items(
    items: pd.DataFrame, as_of: pd.Timestamp, keys: list[str], open_only: bool, net: bool, allocate: bool
) -> _Open:
    """Step 1 of the aged balance: the open items and what each still owes."""
    data, positions = _select(items, as_of, [*keys, *_lettering_columns(items, net, allocate)], open_only)
    given = data["amount"].to_numpy(dtype=np.float64, na_value=np.nan)
    netted = net_matched(data, given) if net else given
    amount = netted
    if allocate and (netted < 0).any():
        treated = _unlettered(items, as_of, positions, netted < 0)
        if treated.any():
            amount = allocate_oldest_first(data, netted, treated)
    return _Open(data, positions, given, netted, amount)


def _unlettered(
    items: pd.DataFrame, as_of: pd.Timestamp, positions: np.ndarray | None, credit: np.ndarray
) -> np.ndarray:
    """The open rows of customers not lettered (:func:`unlettered_customers`), looking
    only at the customers with an open credit (nothing to allocate for the others)."""
    among = credit
    if positions is not None:
        among = np.zeros(len(items), dtype=bool)
        among[positions[credit]] = True
    treated = unlettered_customers(items, as_of, among=among)
    return treated if positions is None else treated[positions]


def _aggregate(
    found: _Open, as_of: pd.Timestamp, basis: str, edges: tuple[int, ...], codes: np.ndarray, g: int
) -> dict[str, np.ndarray]:
    """Step 2: the columns of the aged balance summed by group (``np.bincount``), each
    an array of ``g`` values: buckets, credits, total, the other summary columns and
    ``disputed_overdue``."""
    _check_basis(basis)
    data, amount = found.data, found.amount
    days = _days(data, as_of, basis)
    positive = amount > 0

    def add(mask: np.ndarray, weights: np.ndarray = amount) -> np.ndarray:
        return np.bincount(codes, weights=np.where(mask, weights, 0.0), minlength=g).astype(np.float64)

    out = _bucket_sums(amount, days, basis, edges, codes, g)
    out.update(_credit_sums(data, amount, codes, g))
    out["total"] = add(np.ones(len(amount), dtype=bool))
    out["gross_debit"] = add(positive)
    past_due = _past_due(data, as_of, basis, days)
    out["overdue"] = np.full(g, np.nan) if past_due is None else add(positive & past_due)
    disputed = positive & (data["dispute"].eq(True).fillna(False).to_numpy(dtype=bool) if "dispute" in data else False)
    out["disputed"] = add(disputed)
    out["disputed_overdue"] = np.full(g, np.nan) if past_due is None else add(disputed & past_due)
    out["applied_credits"] = add(found.given < 0, found.amount - found.given)
    out["allocated_credits"] = add(found.netted < 0, found.amount - found.netted)
    out["n_items"] = np.bincount(codes, minlength=g).astype(np.int64)
    out["overdue_rate"] = np.asarray(overdue_rate(out["overdue"], out["total"]), dtype=np.float64)
    return out


def _bucket_sums(
    amount: np.ndarray, days: np.ndarray, basis: str, edges: tuple[int, ...], codes: np.ndarray, g: int
) -> dict[str, np.ndarray]:
    """The positive amounts summed by group and bucket."""
    buckets = bucket_keys(edges, basis)  # type: ignore[arg-type]
    nb = len(buckets)
    pos = np.flatnonzero(amount > 0)
    bucket = _bucket_index(days[pos], edges, basis)
    by_bucket = np.bincount(codes[pos] * nb + bucket, weights=amount[pos], minlength=g * nb)
    by_bucket = by_bucket.astype(np.float64).reshape(g, nb)
    return {k: by_bucket[:, i] for i, k in enumerate(buckets)}


def _credit_sums(data: pd.DataFrame, amount: np.ndarray, codes: np.ndarray, g: int) -> dict[str, np.ndarray]:
    """The negative amounts summed by group and kind: 0 credit note (or negative
    invoice), 1 unapplied cash (payment), 2 other."""
    negative = np.flatnonzero(amount < 0)
    kind = np.full(len(negative), 2, dtype=np.intp)
    if "document_type" in data.columns and len(negative):
        doc_type = data["document_type"].iloc[negative]
        kind[doc_type.isin(["credit_note", "invoice"]).to_numpy(dtype=bool)] = 0
        kind[doc_type.isin(["payment"]).to_numpy(dtype=bool)] = 1
    by_kind = np.bincount(codes[negative] * 3 + kind, weights=amount[negative], minlength=g * 3)
    by_kind = by_kind.astype(np.float64).reshape(g, 3)
    return {k: by_kind[:, i] for i, k in enumerate(CREDIT_KEYS)}


def _past_due(data: pd.DataFrame, as_of: pd.Timestamp, basis: str, days: np.ndarray) -> np.ndarray | None:
    """Rows whose due date is before ``as_of`` (None: no due date to tell)."""
    if basis == "due_date":
        return days > 0
    if "due_date" in data.columns:
        return (_as_of_day(as_of) - _day_numbers(data["due_date"])) > 0  # NaN: False
    return None


def aged_balance(
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    by: str | Sequence[str] | None = "customer_id",
    basis: Basis = "due_date",
    edges: Sequence[int] = DEFAULT_EDGES,
    open_only: bool = True,
    net_matched: bool = True,
    allocate: bool = True,
) -> pd.DataFrame:
    """Aged balance (*balance âgée*) of customer receivables at ``as_of``.

    Parameters
    ----------
    items : DataFrame
        Canonical ``open_items`` (or a ledger with ``cleared_date``).  Uses
        ``document_date``, ``due_date``, ``amount`` and the ``by`` columns; optional
        ``document_type`` (to split the credits), ``dispute``, ``cleared_date``,
        ``customer_name``, ``match_code``, ``entity``, ``customer_id``.
    as_of : date
        Observation date (end of day).  Never defaults to today.
    by : str, list of str or None
        Grouping columns; ``None`` gives one row labelled ``"total"``.  Missing
        values in a grouping column (no collector, no segment) form their own group.
    basis : {"due_date", "document_date"}
        Age by days past due (default) or by age since the document date.
    edges : sequence of int
        Bucket edges in days, see :func:`bucket_keys`.
    open_only : bool
        When True (default) the items are first restricted to :func:`open_at`
        ``(items, as_of)``, so that an aged balance at a past date ties to the books.
        When False, every row is taken as open.
    net_matched : bool
        True (default): the credits of an open lettering group (a partial settlement:
        same ``match_code``, ``cleared_date`` empty) are applied to its debits (rule 1
        of :mod:`cashmission.ledger.lettering`).  False: the gross view.
    allocate : bool
        True (default): a customer whose payments are not lettered has its credits
        applied to its oldest invoices (rule 2 of :mod:`cashmission.ledger.lettering`),
        counted in ``allocated_credits``.  False: its credits stay in their columns.

    Returns
    -------
    DataFrame
        One row per group (RangeIndex), columns: the ``by`` keys, ``customer_name``
        (when ``by`` includes ``customer_id`` and the column exists: the group's first
        non-missing name), the buckets of :func:`bucket_keys`, ``credit_notes``,
        ``unapplied_cash``, ``other_credits``, ``total``, ``gross_debit``, ``overdue``,
        ``overdue_rate``, ``disputed``, ``applied_credits``, ``allocated_credits``,
        ``n_items``.  Sorted by
        ``total`` descending (largest accounts first), ties by the keys.

    Notes
    -----
    The rules behind every column are in the module docstring (*Columns of the aged
    balance*); the lettering rules in :mod:`cashmission.ledger.lettering`.

    Examples
    --------
    >>> items = pd.DataFrame({
    ...     "customer_id": ["C1", "C1", "C1"],
    ...     "document_type": ["invoice", "invoice", "credit_note"],
    ...     "document_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-03-10"]),
    ...     "due_date": pd.to_datetime(["2024-01-31", "2024-03-31", "2024-03-10"]),
    ...     "amount": [100.0, 50.0, -20.0],
    ... })
    >>> aged = aged_balance(items, "2024-03-15")
    >>> aged[["customer_id", "not_due", "d31_60", "credit_notes", "total", "overdue"]]
      customer_id  not_due  d31_60  credit_notes  total  overdue
    0          C1     50.0   100.0         -20.0  130.0    100.0

    A payment of −40 lettered with the overdue invoice (``match_code``) is applied
    to it: 100 − 40 = 60 left in its bucket; the gross view keeps 100 and −40.

    >>> items["document_type"] = ["invoice", "invoice", "payment"]
    >>> items["amount"] = [100.0, 50.0, -40.0]
    >>> items["match_code"] = ["A", None, "A"]
    >>> aged_balance(items, "2024-03-15")[["d31_60", "unapplied_cash", "total", "overdue"]]
       d31_60  unapplied_cash  total  overdue
    0    60.0             0.0  110.0     60.0
    >>> aged_balance(items, "2024-03-15", net_matched=False)[["d31_60", "unapplied_cash", "overdue"]]
       d31_60  unapplied_cash  overdue
    0   100.0           -40.0    100.0
    """
    _check_basis(basis)
    e = _check_edges(edges)
    keys = _keys(by)
    missing = [k for k in keys if k not in items.columns]
    if missing:
        raise KeyError(f"by: no column {missing[0]!r} in items; columns: {', '.join(map(str, items.columns))}")
    d = pd.Timestamp(as_of)
    found = _open_items(items, d, keys, open_only, net_matched, allocate)
    codes, first = group_codes(found.data, keys)
    sums = _aggregate(found, d, basis, e, codes, len(first) if keys else 1)
    columns = _columns(bucket_keys(e, basis))
    if not keys:
        return pd.DataFrame({c: sums[c] for c in columns}, index=pd.Index(["total"]))
    out = pd.DataFrame({k: found.data[k].iloc[first].reset_index(drop=True) for k in keys})
    if "customer_id" in keys and "customer_name" in items.columns and "customer_name" not in keys:
        # names are read at the groups' first rows, not copied for every item
        out["customer_name"] = first_present(items["customer_name"], codes, len(first), first, found.positions)
    for c in columns:
        out[c] = sums[c]
    return sort_by_total(out, keys)


def aged_amounts(
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    open_only: bool = True,
    net_matched: bool = True,
    allocate: bool = True,
) -> pd.DataFrame:
    """The items open at ``as_of`` with what each still owes, as :func:`aged_balance` ages them.

    ``amount`` is the amount after the rules of :mod:`cashmission.ledger.lettering`
    (same arguments as :func:`aged_balance`); ``amount_given`` keeps the amount as
    given.  A decomposition of the balance that must match the aged balance (the DSO
    bridge) starts here instead of recomputing the lettering.

    >>> items = pd.DataFrame({"customer_id": ["C1", "C1"], "document_date": pd.to_datetime(["2024-01-01"] * 2),
    ...     "due_date": pd.to_datetime(["2024-01-31"] * 2), "amount": [100.0, -40.0], "match_code": ["A", "A"]})
    >>> aged_amounts(items, "2024-03-15")[["amount_given", "amount"]]
       amount_given  amount
    0         100.0    60.0
    1         -40.0     0.0
    """
    d = pd.Timestamp(as_of)
    found = _open_items(items, d, [], open_only, net_matched, allocate)
    out = items.iloc[found.positions].copy() if found.positions is not None else items.copy()
    out["amount_given"] = found.given
    out["amount"] = found.amount
    return out


def aged_balance_long(
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    by: str | Sequence[str] | None = "customer_id",
    basis: Basis = "due_date",
    edges: Sequence[int] = DEFAULT_EDGES,
    open_only: bool = True,
    net_matched: bool = True,
    allocate: bool = True,
) -> pd.DataFrame:
    """The aged balance in long form: one row per group and bucket, for plotting.

    Columns: the ``by`` keys, ``bucket`` (the keys of :func:`bucket_keys`, then
    ``credit_notes``, ``unapplied_cash``, ``other_credits``) and ``amount``.  The
    amounts of a group sum to its ``total`` in :func:`aged_balance` (same
    arguments, ``net_matched`` and ``allocate`` included).  Groups keep the
    order of :func:`aged_balance`, buckets their natural order.

    >>> items = pd.DataFrame({
    ...     "document_date": pd.to_datetime(["2024-01-01", "2024-01-01"]),
    ...     "due_date": pd.to_datetime(["2024-01-31", "2024-01-31"]),
    ...     "amount": [100.0, -40.0],
    ... })
    >>> long = aged_balance_long(items, "2024-02-15", by=None, edges=(0, 30))
    >>> long
               bucket  amount
    0         not_due     0.0
    1           d1_30   100.0
    2         over_30     0.0
    3    credit_notes     0.0
    4  unapplied_cash     0.0
    5   other_credits   -40.0
    """
    e = _check_edges(edges)
    keys = _keys(by)
    aged = aged_balance(
        items, as_of, by=by, basis=basis, edges=e, open_only=open_only, net_matched=net_matched, allocate=allocate
    )
    parts = [*bucket_keys(e, basis), *CREDIT_KEYS]
    n = len(aged)
    values = aged[parts].to_numpy(dtype=np.float64)  # n groups × parts
    out = {k: np.repeat(aged[k].to_numpy(), len(parts)) for k in keys}
    long = pd.DataFrame(out)
    for k in keys:
        long[k] = long[k].astype(aged[k].dtype)
    long["bucket"] = np.tile(np.asarray(parts, dtype=object), n)
    long["bucket"] = long["bucket"].astype(str) if n else pd.Series([], dtype=str)
    long["amount"] = values.reshape(-1)
    return long


def aging_summary(
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    basis: Basis = "due_date",
    edges: Sequence[int] = DEFAULT_EDGES,
    net_matched: bool = True,
    allocate: bool = True,
) -> dict[str, float | int]:
    """Headline figures of the aged balance (*synthèse de la balance âgée*) at ``as_of``.

    ``basis``, ``edges``, ``net_matched`` and ``allocate`` are those of
    :func:`aged_balance`; the items are restricted to :func:`open_at` ``(items, as_of)``.

    Returns
    -------
    dict
        Plain Python numbers, in this order:

        - ``total``: Σ amount of the open items (= Σ ``total`` of :func:`aged_balance`);
        - ``control_total``: the same sum computed directly on the amounts as given,
          apart from the bucketing, so that a report can show that it reconciles;
        - ``gross_debit``: Σ positive amounts after the lettering rules, = Σ buckets;
        - ``credit_notes``, ``unapplied_cash``, ``other_credits`` (negative numbers);
        - ``not_due``: gross_debit − overdue (positive amounts not yet due);
        - ``overdue``: positive amounts with ``due_date < as_of`` (any basis);
        - ``overdue_rate``: :func:`overdue_rate` (overdue / total, the share of the
          balance), NaN when the total is not positive;
        - ``disputed``, ``disputed_overdue``: positive amounts in dispute, and the
          part of them overdue;
        - one entry per bucket of :func:`bucket_keys` (with the due-date basis the
          ``not_due`` bucket is the ``not_due`` above);
        - ``applied_credits``: credits applied to debits (both rules, positive);
          ``allocated_credits``: the part applied to older invoices (rule 2 of
          :mod:`cashmission.ledger.lettering`); ``n_customers_allocated``: the customers
          treated so; ``lettering_rate``: :func:`cashmission.ledger.lettering.lettering_rate`
          (NaN when the table does not record lettering);
        - ``n_items``: open items; ``n_customers``: distinct ``customer_id`` among
          them; ``n_customers_overdue``: customers with an overdue amount > 0.

    Examples
    --------
    >>> items = pd.DataFrame({
    ...     "customer_id": ["C1", "C2"],
    ...     "document_date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
    ...     "due_date": pd.to_datetime(["2024-01-31", "2024-03-31"]),
    ...     "amount": [100.0, 300.0],
    ...     "dispute": [True, False],
    ... })
    >>> s = aging_summary(items, "2024-03-15")
    >>> s["total"], s["overdue"], s["overdue_rate"], s["disputed_overdue"], s["n_customers"]
    (400.0, 100.0, 0.25, 100.0, 2)
    """
    _check_basis(basis)
    e = _check_edges(edges)
    d = pd.Timestamp(as_of)
    found = _open_items(items, d, ["customer_id"], True, net_matched, allocate)
    keys = ["customer_id"] if "customer_id" in found.data.columns else []
    codes, first = group_codes(found.data, keys)
    by_customer = _aggregate(found, d, basis, e, codes, len(first) if keys else 1)
    sums = {k: float(v.sum()) for k, v in by_customer.items()}
    gross, overdue = sums["gross_debit"], sums["overdue"]
    out: dict[str, float | int] = {
        "total": sums["total"],
        "control_total": float(np.nansum(found.given)) if len(found.given) else 0.0,
        "gross_debit": gross,
        "credit_notes": sums["credit_notes"],
        "unapplied_cash": sums["unapplied_cash"],
        "other_credits": sums["other_credits"],
        "not_due": gross - overdue,
        "overdue": overdue,
        "overdue_rate": float(overdue_rate(overdue, sums["total"])),
        "disputed": sums["disputed"],
        "disputed_overdue": sums["disputed_overdue"],
    }
    for k in bucket_keys(e, basis):
        out[k] = sums[k]
    out["applied_credits"] = sums["applied_credits"]
    out["allocated_credits"] = sums["allocated_credits"]
    out["n_customers_allocated"] = _customers_allocated(found)
    out["lettering_rate"] = lettering_rate(items, d)
    out["n_items"] = len(found.data)
    out["n_customers"] = len(first) if keys else 0
    out["n_customers_overdue"] = int((by_customer["overdue"] > 0).sum()) if keys else 0
    return out


def _customers_allocated(found: _Open) -> int:
    """Customers (entity and number) with credits applied to older invoices (rule 2)."""
    moved = found.amount != found.netted
    if not moved.any():
        return 0
    keys = [c for c in CUSTOMER_KEYS if c in found.data.columns]
    return int(found.data.loc[moved, keys].drop_duplicates().shape[0])
