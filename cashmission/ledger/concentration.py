"""Concentration of receivables (*concentration du poste clients*): top customers and the Pareto curve."""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cashmission.ledger.ageing import _keys

OTHERS = "others"
"""Key given to the row that gathers the remaining groups in :func:`concentration`."""


# --------------------------------------------------------------------------- concentration
def concentration(
    aged: pd.DataFrame,
    value: str = "overdue",
    n: int = 10,
    key: str | Sequence[str] = "customer_id",
) -> pd.DataFrame:
    """Concentration of an amount on the largest groups: the top-``n`` table.

    Parameters
    ----------
    aged : DataFrame
        Typically :func:`aged_balance` (one row per customer).
    value : str
        Column to rank by (``overdue``, ``total``, ``disputed``, a bucket, …).
    n : int
        Number of rows kept before the ``others`` row.
    key : str or list of str
        Identifying column(s) of a row, copied to the result (with
        ``customer_name`` when ``aged`` has it).

    Returns
    -------
    DataFrame
        Columns ``rank`` (Int64, 1…; <NA> on the others row), the key(s),
        [``customer_name``], ``value`` (the column's name, e.g. ``overdue``),
        ``share``, ``cumulative_share``, ``n_groups``.  The top rows are the rows
        with the ``n`` largest **positive** values (ties by the key); when rows
        remain, a last row with key ``"others"`` (:data:`OTHERS`; other key columns
        missing) holds their sum and their count in ``n_groups``, so that the
        ``value`` column sums to the total of ``aged[value]``.

    Notes
    -----
    share = value / Σ aged[value]; cumulative_share = running sum of share (1.0 on
    the others row).  Shares are NaN when Σ aged[value] ≤ 0.

    Examples
    --------
    >>> aged = pd.DataFrame({"customer_id": ["A", "B", "C"], "overdue": [50.0, 30.0, 20.0]})
    >>> concentration(aged, n=2)[["customer_id", "overdue", "share", "cumulative_share"]]
      customer_id  overdue  share  cumulative_share
    0           A     50.0    0.5               0.5
    1           B     30.0    0.3               0.8
    2      others     20.0    0.2               1.0
    """
    keys = _keys(key)
    if n < 0 or isinstance(n, bool) or operator.index(n) != n:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    for c in [value, *keys]:
        if c not in aged.columns:
            raise KeyError(f"no column {c!r} in aged; columns: {', '.join(map(str, aged.columns))}")
    extra = ["customer_name"] if "customer_name" in aged.columns and "customer_name" not in keys else []
    cols = [*keys, *extra, value]
    ranked = aged[cols].sort_values(
        [value, *keys], ascending=[False] + [True] * len(keys), na_position="last", kind="stable"
    )
    positive = ranked[value].to_numpy(dtype=np.float64) > 0
    top = ranked[positive].head(n)
    rest = ranked.drop(index=top.index)
    total = float(aged[value].sum())
    top = top.reset_index(drop=True)
    top["n_groups"] = 1
    if len(rest):
        others: dict[str, list[object]] = {c: [None] for c in cols}
        others[keys[0]] = [OTHERS]
        others[value] = [float(rest[value].sum())]
        row = pd.DataFrame(others).astype({c: top[c].dtype for c in [*keys, *extra]})
        row["n_groups"] = len(rest)
        top = pd.concat([top, row], ignore_index=True)
    values = top[value].to_numpy(dtype=np.float64)
    share = values / total if total > 0 else np.full(len(top), np.nan)
    top["share"] = share
    top["cumulative_share"] = np.cumsum(share)
    rank = pd.array(np.arange(1, len(top) + 1), dtype="Int64")
    if len(rest):
        rank[-1] = pd.NA
    top.insert(0, "rank", rank)
    top[value] = values
    top["n_groups"] = top["n_groups"].astype(np.int64)
    return top[["rank", *cols, "share", "cumulative_share", "n_groups"]]


def pareto(
    aged: pd.DataFrame, value: str = "overdue", threshold: float = 0.8, top_n: int = 10
) -> dict[str, float | int]:
    """Pareto (*loi des 80/20*) figures of ``aged[value]`` over its rows (customers).

    Only positive values count (a customer in credit does not "make" overdue).  With
    the positive values sorted descending, v1 ≥ v2 ≥ …, and V = Σ vi:

    - ``n_groups``: rows of ``aged``; ``n_positive``: rows with a positive value;
    - ``n_for_threshold``: the smallest k with v1 + … + vk ≥ threshold × V;
    - ``share_of_groups``: n_for_threshold / n_groups (e.g. "12 % of the customers
      make 80 % of the overdue");
    - ``top_n``, ``top_n_share``: (v1 + … + v_top_n) / V;
    - ``herfindahl``: Σ (vi / V)² (1/n for an even spread, 1 for a single customer);
      ``effective_n`` = 1 / herfindahl, the number of equal customers that would
      give the same concentration;
    - ``value_total``: V.

    Shares are NaN when V is 0.

    >>> aged = pd.DataFrame({"overdue": [60.0, 20.0, 10.0, 10.0, 0.0]})
    >>> p = pareto(aged, threshold=0.8, top_n=1)
    >>> p["n_for_threshold"], p["share_of_groups"], p["top_n_share"], round(p["herfindahl"], 2)
    (2, 0.4, 0.6, 0.42)
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if value not in aged.columns:
        raise KeyError(f"no column {value!r} in aged; columns: {', '.join(map(str, aged.columns))}")
    v = aged[value].to_numpy(dtype=np.float64, na_value=np.nan)
    v = np.sort(v[v > 0])[::-1]
    total = float(v.sum())
    n_groups = len(aged)
    if total > 0:
        cum = np.cumsum(v)
        k = int(np.searchsorted(cum, threshold * total * (1 - 1e-12), side="left") + 1)
        k = min(k, len(v))
        s = v / total
        hhi = float((s * s).sum())
        out_share = k / n_groups
        top_share = float(v[:top_n].sum() / total)
        eff = 1 / hhi
    else:
        k, hhi, out_share, top_share, eff = (
            0,
            float("nan"),
            float("nan"),
            float("nan"),
            float("nan"),
        )
    return {
        "value_total": total,
        "n_groups": n_groups,
        "n_positive": len(v),
        "threshold": float(threshold),
        "n_for_threshold": k,
        "share_of_groups": out_share,
        "top_n": int(top_n),
        "top_n_share": top_share,
        "herfindahl": hhi,
        "effective_n": eff,
    }
