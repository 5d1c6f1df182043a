"""Grouping rows of a table (*regroupements*): group numbers, first rows, one row per customer.

The aged balance (:mod:`cashmission.ledger.ageing`) and the lettering rules
(:mod:`cashmission.ledger.lettering`) number their groups here once, with
``pd.factorize``, and sum them with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_codes(data: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group number of each row (0…g−1, in order of first appearance) and, for each
    group, the position of its first row.  Missing key values form their own group."""
    n = len(data)
    if not keys:
        return np.zeros(n, dtype=np.intp), np.zeros(min(n, 1), dtype=np.intp)
    codes = np.zeros(n, dtype=np.int64)
    for i, k in enumerate(keys):
        c, _ = pd.factorize(data[k], use_na_sentinel=False)
        if i == 0:
            codes = c.astype(np.int64, copy=False)
        else:  # combine, then renumber so that the numbers stay small
            combined = codes * (int(c.max(initial=0)) + 1) + c
            codes = pd.factorize(combined)[0].astype(np.int64, copy=False)
    return codes.astype(np.intp, copy=False), _first_positions(codes)


def _first_positions(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each group, for codes numbered in order of first
    appearance (as ``pd.factorize`` numbers them): a row opens a new group exactly
    when its code exceeds every code before it."""
    if not len(codes):
        return np.zeros(0, dtype=np.intp)
    running = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate(([True], running[1:] > running[:-1])))


def customer_keys(items: pd.DataFrame) -> list[str]:
    """The keys of one row per customer: ``customer_id``, or entity and customer id.

    In a group of companies the same customer number can name two different
    customers in two entities (*sociétés*); grouped on the number alone they would be
    merged under the first name.  When some ``customer_id`` appears in more than one
    ``entity``, the keys are ``["entity", "customer_id"]``; otherwise ``["customer_id"]``.

    >>> items = pd.DataFrame({"entity": ["FR10", "EX30"], "customer_id": ["C1", "C2"]})
    >>> customer_keys(items)
    ['customer_id']
    >>> customer_keys(items.assign(customer_id=["C1", "C1"]))
    ['entity', 'customer_id']
    """
    if "entity" in items.columns and len(items):
        per_customer = items.groupby("customer_id", observed=True, sort=False)["entity"].nunique()
        if bool((per_customer > 1).any()):
            return ["entity", "customer_id"]
    return ["customer_id"]


def sort_by_total(out: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows by total descending, ties by the keys (strings are sorted only for ties)."""
    total = out["total"].to_numpy()
    tied = pd.Series(total).duplicated(keep=False).to_numpy()
    tie_rank = np.zeros(len(out), dtype=np.intp)
    if tied.any():
        sub = out.loc[tied, keys].assign(_total=total[tied])
        sub = sub.sort_values(
            ["_total", *keys],
            ascending=[False] + [True] * len(keys),
            na_position="last",
            kind="stable",
        )
        tie_rank[sub.index.to_numpy()] = np.arange(len(sub))
    order = np.lexsort((tie_rank, -total))
    return out.iloc[order].reset_index(drop=True)


def first_present(
    values: pd.Series,
    codes: np.ndarray,
    n_groups: int,
    first: np.ndarray,
    positions: np.ndarray | None = None,
) -> pd.Series:
    """First non-missing value of each group (missing when the group has none).

    ``codes`` and ``first`` refer to the selected rows; ``positions`` maps them to rows
    of ``values`` (``None``: the same rows).
    """

    def at(rows: np.ndarray) -> pd.Series:
        return values.iloc[rows if positions is None else positions[rows]]

    at_first = at(first).reset_index(drop=True)
    if at_first.notna().all():  # the usual case: every first row has a value
        return at_first
    selected = values if positions is None else values.iloc[positions]
    present = np.flatnonzero(selected.notna().to_numpy(dtype=bool))
    first = present[~pd.Series(codes[present]).duplicated().to_numpy()]
    where = np.full(n_groups, -1, dtype=np.intp)
    where[codes[first]] = first
    found = where >= 0
    picked = selected.iloc[np.where(found, where, 0)] if len(selected) else selected.iloc[:0]
    return picked.reset_index(drop=True).where(pd.Series(found))
