"""Ageing buckets (*tranches d'antériorité*): edges, keys and the columns of an aged balance."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

Basis = Literal["due_date", "document_date"]

DEFAULT_EDGES: tuple[int, ...] = (0, 30, 60, 90, 180)
"""Default bucket edges in days: not due, 1–30, 31–60, 61–90, 91–180, over 180."""

BASES: tuple[str, ...] = ("due_date", "document_date")


# --------------------------------------------------------------------------- buckets
def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}; allowed: {', '.join(BASES)}")


def _broken_rule(edges: Sequence[object]) -> tuple[type[Exception], str, object] | None:
    """The first rule ``edges`` breaks, as (exception type, rule, offending value); ``None`` when valid.

    The one statement of the edge rules: whole non-negative days, strictly increasing, at
    least two, starting at 0.  :func:`_check_edges` (the API) and :func:`parse_edges` (user
    input) word the same rule for their audience.
    """
    out: list[int] = []
    for e in edges:
        if isinstance(e, bool | np.bool_):
            return TypeError, "must be ints", repr(e)
        try:
            v = operator.index(e)  # type: ignore[arg-type]
        except TypeError:
            return TypeError, "must be ints (days)", repr(e)
        if v < 0:
            return ValueError, "must be non-negative", v
        if out and v <= out[-1]:
            return ValueError, "must be strictly increasing", f"{v} after {out[-1]}"
        out.append(v)
    if len(out) < 2:
        return ValueError, "need at least two values such as (0, 30)", None
    if out[0] != 0:
        return ValueError, "must start at 0 (the due date or the document date)", out[0]
    return None


def _check_edges(edges: Sequence[int]) -> tuple[int, ...]:
    if isinstance(edges, str | bytes) or not isinstance(edges, Sequence | np.ndarray):
        raise TypeError(f"edges must be a sequence of ints such as {DEFAULT_EDGES}, got {edges!r}")
    broken = _broken_rule(list(edges))
    if broken is not None:
        kind, rule, got = broken
        where = f"{tuple(edges)!r}" if got is None else f"{got} in {tuple(edges)!r}"
        raise kind(f"edges {rule}, got {where}")
    return tuple(operator.index(e) for e in edges)


def parse_edges(value: object) -> tuple[int, ...]:
    """Bucket edges from any user input (*tranches*): the one parser for the CLI, the mission file and the API.

    Accepts a sequence of whole days (``[0, 30, 60]``) or a comma-separated text
    (``"0,30,60"``, spaces allowed).  Rules: at least two edges, whole non-negative
    days, strictly increasing, starting at 0 (the due date or the document date).

    Raises
    ------
    ValueError
        One sentence naming the bad value and the rule it breaks.

    Examples
    --------
    >>> parse_edges("0, 30,60")
    (0, 30, 60)
    >>> parse_edges("30,60")
    Traceback (most recent call last):
    ...
    ValueError: bucket edges must start at 0 (the due date or the document date), got 30 in '30,60'; e.g. 0,30,60,90,180
    """
    shown = repr(value) if not isinstance(value, str) else repr(value[:60])
    hint = "; e.g. 0,30,60,90,180"
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
        if any(not re.fullmatch(r"\d{1,6}", p) for p in parts):
            raise ValueError(f"bucket edges must be whole days separated by commas, got {shown}{hint}")
        items: list[object] = [int(p) for p in parts]
    elif isinstance(value, Sequence | np.ndarray) and not isinstance(value, bytes):
        items = list(value)
    else:
        raise ValueError(f"bucket edges must be a list of whole days, got {shown}{hint}")
    broken = _broken_rule(items)
    if broken is not None:
        _kind, rule, got = broken
        where = shown if got is None else f"{got} in {shown}"
        raise ValueError(f"bucket edges {rule}, got {where}{hint}")
    return tuple(int(v) for v in items)  # type: ignore[call-overload]


def bucket_keys(edges: Sequence[int] = DEFAULT_EDGES, basis: Basis = "due_date") -> list[str]:
    """Keys of the ageing buckets (*tranches d'ancienneté*) defined by ``edges``.

    Parameters
    ----------
    edges : sequence of int
        Strictly increasing non-negative day counts starting at 0, e.g.
        ``(0, 30, 60, 90, 180)``.
    basis : {"due_date", "document_date"}
        ``"due_date"``: buckets of days past due (*retard*), the first one being
        ``not_due`` (days past due ≤ 0).  ``"document_date"``: buckets of age since
        the document date (*ancienneté*), the first one being ``d0_30``.

    Returns
    -------
    list of str
        With edges ``e0=0 < e1 < … < ek``: for the due-date basis ``not_due`` (x ≤ 0),
        then ``d{e(i-1)+1}_{ei}`` (e(i-1) < x ≤ ei) for i = 1…k, then ``over_{ek}``
        (x > ek); for the document-date basis ``d0_{e1}`` (x ≤ e1), then the same.

    Examples
    --------
    >>> bucket_keys()
    ['not_due', 'd1_30', 'd31_60', 'd61_90', 'd91_180', 'over_180']
    >>> bucket_keys((0, 45, 90), basis="document_date")
    ['d0_45', 'd46_90', 'over_90']
    """
    _check_basis(basis)
    e = _check_edges(edges)
    middle = [f"d{lo + 1}_{hi}" for lo, hi in itertools.pairwise(e[1:])]
    first = ["not_due", f"d1_{e[1]}"] if basis == "due_date" else [f"d0_{e[1]}"]
    return [*first, *middle, f"over_{e[-1]}"]


def _bucket_index(days: np.ndarray, edges: tuple[int, ...], basis: str) -> np.ndarray:
    """Position of each day count in :func:`bucket_keys` (right-closed intervals):
    the number of edges strictly below it (the first edge is skipped for the
    document-date basis, whose first bucket is ``d0_…``)."""
    index = np.zeros(len(days), dtype=np.intp)
    for e in edges if basis == "due_date" else edges[1:]:
        index += days > e
    return index


# The standard ageing buckets (edges 0, 30, 60, 90, 180) plus the first bucket of the
# document-date basis; other edges get generated labels (see :func:`bucket_label`).
BUCKET_KEYS: tuple[str, ...] = ("not_due", "d0_30", "d1_30", "d31_60", "d61_90", "d91_180", "over_180")
CREDIT_KEYS: tuple[str, ...] = ("credit_notes", "unapplied_cash", "other_credits")
"""Columns of :func:`cashmission.ledger.ageing.aged_balance` holding the negative amounts, by document type."""
_BUCKET_RE = re.compile(r"^(not_due|d(\d+)_(\d+)|over_(\d+))$")


def is_bucket(key: object) -> bool:
    """True for an ageing-bucket column key (``not_due``, ``d1_30``, ``over_180``, …).

    >>> is_bucket("d31_60"), is_bucket("over_45"), is_bucket("overdue")
    (True, True, False)
    """
    return isinstance(key, str) and _BUCKET_RE.match(key) is not None


def bucket_columns(df: pd.DataFrame | pd.Series) -> list[str]:
    """The ageing-bucket columns of an aged balance, in their order.

    >>> bucket_columns(pd.DataFrame(columns=["customer_id", "not_due", "d1_30", "over_30", "total"]))
    ['not_due', 'd1_30', 'over_30']
    """
    keys = df.index if isinstance(df, pd.Series) else df.columns
    return [str(c) for c in keys if is_bucket(c)]
