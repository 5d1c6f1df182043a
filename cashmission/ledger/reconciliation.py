"""Reconciliation (*rapprochement*) of an aged balance to the source file's control totals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cashmission.ledger.buckets import CREDIT_KEYS, bucket_columns
from cashmission.ledger.lettering import records_lettering


def _ledger_split(
    report_summary: Mapping[str, Any], items: pd.DataFrame | None, as_of: object
) -> tuple[dict[str, float] | None, dict[str, float]]:
    """(loaded figures taken from the items, or None; figures of the items not open at ``as_of``)."""
    zero = {"recon_items": 0.0, "recon_total": 0.0, "recon_debit": 0.0, "recon_credit": 0.0}
    if items is None or as_of is None or "document_date" not in items.columns:
        return None, zero

    def sums(frame: pd.DataFrame) -> dict[str, float]:
        a = pd.to_numeric(frame["amount"], errors="coerce").fillna(0.0)
        return {
            "recon_items": float(len(frame)),
            "recon_total": round(float(a.sum()), 2),
            "recon_debit": round(float(a[a > 0].sum()), 2),
            "recon_credit": round(float(a[a < 0].sum()), 2),
        }

    not_open = _not_open(items, as_of)
    # A FEC's load report counts journal lines of every account: the loaded receivables
    # are then the customer items built from it.
    loaded = sums(items) if report_summary.get("kind") == "fec" else None
    return loaded, sums(not_open)


def reconcile(
    report: Any,
    aged: pd.DataFrame | pd.Series,
    tolerance: float = 0.01,
    *,
    items: pd.DataFrame | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Tie an aged balance back to the loader's control totals.

    Parameters
    ----------
    report : LoadReport or its ``summary()`` dict
    aged : DataFrame (an aged balance, any grouping) or Series (``aging_summary``)
    tolerance : float
        Largest absolute difference still counted as tied (default one cent).
    items, as_of : the loaded items and the closing date, for a ledger (items with
        ``cleared_date``): the loader's totals cover every item of the file, the aged
        balance only those open at ``as_of``; the others are shown in ``not_open``.
        For a FEC, whose load report counts journal lines, the loaded figures are those
        of the customer items built from it.

    Returns
    -------
    DataFrame with columns ``check``, ``loader``, ``not_open`` (items of the file not
    open at ``as_of``; 0 without a ledger), ``report``, ``difference`` = report −
    (loader − not_open), ``ok``; one row per check: ``recon_items`` (rows kept vs items
    aged), ``recon_total`` (total kept vs total balance), ``recon_debit`` (debits kept
    vs gross debit + applied credits: the debits before lettering), ``recon_credit``
    (credits kept vs total − that) and, for a
    frame, ``recon_columns`` (bucket and credit columns vs total balance).  A gap
    usually means items filtered out between loading and ageing.

    >>> from cashmission.problems import LoadReport
    >>> rep = LoadReport("f.csv", "open_items", rows_kept=2, total_kept=70.0, debit_kept=100.0, credit_kept=-30.0)
    >>> aged = pd.DataFrame({"not_due": [100.0], "credit_notes": [-30.0], "total": [70.0],
    ...                      "gross_debit": [100.0], "n_items": [2]})
    >>> reconcile(rep, aged)["ok"].all()
    np.True_
    """
    s = report.summary() if hasattr(report, "summary") else dict(report)
    if isinstance(aged, pd.Series):
        tot = aged
        columns_sum = None
    else:
        tot = aged.sum(numeric_only=True)
        parts = bucket_columns(aged) + [c for c in CREDIT_KEYS if c in aged.columns]
        columns_sum = float(aged[parts].to_numpy(dtype=float).sum()) if parts else None
    total = float(tot.get("total", float("nan")))
    # debits as given: the aged debits plus the credits applied to them (lettering)
    gross = float(tot.get("gross_debit", float("nan"))) + float(tot.get("applied_credits", 0.0))
    loaded, not_open = _ledger_split(s, items, as_of)
    if loaded is None:
        loaded = {
            "recon_items": float(s.get("rows_kept", float("nan"))),
            "recon_total": float(s.get("total_kept", float("nan"))),
            "recon_debit": float(s.get("debit_kept", float("nan"))),
            "recon_credit": float(s.get("credit_kept", float("nan"))),
        }
    reported = {
        "recon_items": float(tot.get("n_items", float("nan"))),
        "recon_total": total,
        "recon_debit": gross,
        "recon_credit": total - gross,
    }
    rows = [
        (k, loaded[k], not_open[k], reported[k]) for k in ("recon_items", "recon_total", "recon_debit", "recon_credit")
    ]
    if columns_sum is not None:
        rows.append(("recon_columns", total, 0.0, columns_sum))
    out = pd.DataFrame(rows, columns=["check", "loader", "not_open", "report"])
    out["report"] = out["report"].round(2)
    out["difference"] = (out["report"] - (out["loader"] - out["not_open"])).round(2)
    out["ok"] = out["difference"].abs() <= tolerance
    return out


def _not_open(items: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """The items of ``items`` not open at ``as_of`` (settled by then, or dated after it)."""
    from cashmission.ledger.ageing import open_at

    return items.drop(index=open_at(items, as_of).index)


@dataclass(frozen=True)
class TieOut:
    """How an aged balance ties to the files it was read from (see :func:`tie_out`)."""

    rows_read: int
    rows_kept: int
    kept: float
    """Control total of the files: the loader's total kept (for a FEC, its items' total)."""
    aged: float
    """Total of the aged balance at the date (the items open then)."""
    not_open: float
    """Total of the items not open at the date (settled by then, or dated after), to the cent."""
    gaps: dict[str, float]
    """The checks that do not tie, ``file``, ``rows``, ``columns``, with their difference."""

    @property
    def tied(self) -> bool:
        """True when every check ties to the cent and every figure is a finite number."""
        figures = (self.kept, self.aged, self.not_open)
        return not self.gaps and all(math.isfinite(v) for v in figures)


def tie_out(
    loaded: Sequence[tuple[pd.DataFrame, Any]],
    table: pd.DataFrame,
    total: pd.DataFrame,
    as_of: object,
) -> TieOut:
    """Tie an aged balance of one or several files (*rapprochement*) to their control totals.

    ``loaded``: each file's (items, load report); ``table``: the aged balance by any
    grouping; ``total``: the same balance in one row (``by=None``).  Four checks, each
    a difference kept in ``gaps`` when it is not below half a cent or not a finite number
    (a NaN or an infinite amount never ties):

    - ``file``: aged total + items not open at ``as_of`` − the files' control total
      (a file's total kept; a FEC's load report counts journal lines of every account,
      so its control total is that of the items built from it);
    - ``rows``: sum of the rows' ``total`` − aged total;
    - ``columns``: sum of the bucket and credit columns of ``total`` − aged total;
    - every row of ``table``: its bucket and credit columns − its ``total``, kept as
      ``row <its first key>`` (at most three rows named, then ``rows not tied`` with
      how many).

    >>> from cashmission.problems import LoadReport
    >>> items = pd.DataFrame({"document_date": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...                       "amount": [100.0, 40.0]})
    >>> rep = LoadReport("f.csv", "open_items", rows_read=2, rows_kept=2, total_kept=140.0)
    >>> aged = pd.DataFrame({"not_due": [100.0], "credit_notes": [0.0], "total": [100.0]})
    >>> t = tie_out([(items, rep)], aged, aged, "2026-01-31")
    >>> (t.kept, t.aged, t.not_open, t.gaps, t.tied)
    (140.0, 100.0, 40.0, {}, True)
    """
    kept = sum(float(i["amount"].sum()) if r.kind == "fec" else float(r.total_kept) for i, r in loaded)
    items = pd.concat([i for i, _ in loaded], ignore_index=True) if len(loaded) > 1 else loaded[0][0]
    not_open = float(_not_open(items, as_of)["amount"].sum())
    aged = float(total["total"].iloc[0])
    parts = bucket_columns(total) + [c for c in CREDIT_KEYS if c in total.columns]
    differences = {
        "file": aged + not_open - kept,
        "rows": float(table["total"].sum()) - aged,
        "columns": float(total[parts].to_numpy(dtype=float).sum()) - aged,
    }
    gaps = {k: round(v, 2) for k, v in differences.items() if not math.isfinite(v) or abs(v) >= 0.005}
    gaps.update(_row_gaps(table))
    return TieOut(
        rows_read=sum(r.rows_read for _, r in loaded),
        rows_kept=sum(r.rows_kept for _, r in loaded),
        kept=kept,
        aged=aged,
        not_open=round(not_open, 2) + 0.0,  # no "-0.00"
        gaps=gaps,
    )


def _row_gaps(table: pd.DataFrame) -> dict[str, float]:
    """Rows whose bucket and credit columns do not add up to their ``total`` (to half a cent).

    >>> _row_gaps(pd.DataFrame({"collector": ["Alice", "Bob"], "not_due": [60.0, 0.0],
    ...     "unapplied_cash": [0.0, 0.0], "total": [100.0, -40.0]}))
    {'row Alice': -40.0, 'row Bob': 40.0}
    """
    parts = bucket_columns(table) + [c for c in CREDIT_KEYS if c in table.columns]
    if not parts or "total" not in table.columns or table.empty:
        return {}
    with np.errstate(invalid="ignore"):  # inf − inf is NaN: a gap, said as such
        diff = table[parts].to_numpy(dtype=float).sum(axis=1) - table["total"].to_numpy(dtype=float)
    bad = [i for i, v in enumerate(diff) if not math.isfinite(v) or abs(v) >= 0.005]
    names = table.iloc[:, 0].astype(str).tolist() if table.columns[0] not in parts else [str(i) for i in table.index]
    out = {f"row {names[i]}": round(float(diff[i]), 2) for i in bad[:3]}
    if len(bad) > 3:
        out["rows not tied"] = float(len(bad))
    return out


def snapshot_before_extraction(items: pd.DataFrame | None, as_of: object) -> pd.Timestamp | None:
    """The latest document date when ``items`` is an open-items extract aged at an earlier date, else ``None``.

    An extract of open items (no ``cleared_date``, or none filled) lists what was open
    when it was taken, at the latest on its most recent ``document_date``.  Aged at an
    earlier ``as_of``, it misses every item paid in between, so it cannot tie to the
    balance sheet of that date: the ledger (with settlement dates) or the FEC can.

    >>> items = pd.DataFrame({"document_date": pd.to_datetime(["2026-05-02", "2026-07-31"]), "amount": [1.0, 2.0]})
    >>> snapshot_before_extraction(items, "2026-06-30")
    Timestamp('2026-07-31 00:00:00')
    >>> snapshot_before_extraction(items, "2026-07-31") is None
    True
    """
    if items is None or as_of is None or items.empty or "document_date" not in items.columns:
        return None
    if records_lettering(items):
        return None  # a ledger (settlement dates, or a FEC's): open_at() rebuilds any past date
    latest = pd.to_datetime(items["document_date"], errors="coerce").max()
    if pd.isna(latest) or latest <= pd.Timestamp(as_of):
        return None
    return pd.Timestamp(latest)
