"""Weekly progress of a collection mission (*suivi hebdomadaire du recouvrement*): the overdue stock week by week.

A mission takes an overdue stock in hand at an audit date (week 0) and reduces it week
after week.  Each week gives a snapshot of the open items (an extract, or the ledger's
items open at that date, :func:`~cashmission.ledger.open_items.open_at`); this module
turns the snapshots into the figures of the weekly steering meeting:

- :func:`weekly_aged`: the aged balance of every snapshot, one row a week (and a group);
- :func:`weekly_progress`: overdue stock, its change on the week and since week 0
  (``overdue_vs_start = overdue / overdue at week 0 − 1``: −77 % when 6.6 M€ became 1.5 M€),
  the overdue rate, the disputed overdue, cash collected in the week and the target path;
- :func:`target_path`: the straight line from the starting overdue stock to the target;
- :func:`cash_collected`: payments received in each week, ``(previous snapshot, snapshot]``;
- :func:`movers`: the customers whose overdue changed most between two snapshots;
- :func:`progress_by`: overdue at the start and now per collector, entity or segment.

Every figure comes from :func:`~cashmission.ledger.ageing.aged_balance` (the one ageing
rule): a snapshot's overdue is what the aged balance of that date says, with one
convention of the weekly follow-up: ``allocate=False`` by default, i.e. the unlettered
payments and credit notes of a customer are shown as such (``unapplied_cash``,
``credit_notes``) and not spread over its oldest invoices.  The stock entrusted to the
collectors is the list of overdue invoices they chase; an invoice counts as collected
when it is settled (lettered), and a payment received but not yet lettered is work left
to do (lettering), not collection progress.  ``allocate=True`` gives the diagnostic's view.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission.ledger.ageing import aged_balance, overdue_rate
from cashmission.ledger.buckets import DEFAULT_EDGES
from cashmission.ledger.open_items import open_at
from cashmission.problems import LoadReport, fail

Snapshots = Mapping[pd.Timestamp, pd.DataFrame]


def snapshots_from_ledger(
    ledger: pd.DataFrame, dates: Sequence[str | pd.Timestamp]
) -> dict[pd.Timestamp, pd.DataFrame]:
    """The open items of ``ledger`` (items with their ``cleared_date``) at each date: one snapshot a week."""
    return {pd.Timestamp(d): open_at(ledger, d) for d in sorted(pd.Timestamp(d) for d in dates)}


def weekly_aged(
    snapshots: Snapshots,
    by: str | Sequence[str] | None = None,
    edges: Sequence[int] = DEFAULT_EDGES,
    allocate: bool = False,
) -> pd.DataFrame:
    """The aged balance of each snapshot at its own date, stacked: columns ``as_of``, ``week`` (0 = first), ``by``.

    Each snapshot is aged as an extract (every row open: ``open_only=False``), with the
    lettering rules of :func:`~cashmission.ledger.ageing.aged_balance`.
    """
    frames = []
    for week, (as_of, items) in enumerate(sorted(snapshots.items())):
        aged = aged_balance(items, as_of, by=by, edges=edges, open_only=False, allocate=allocate)
        aged = aged.reset_index(drop=True)
        aged.insert(0, "week", week)
        aged.insert(0, "as_of", pd.Timestamp(as_of))
        frames.append(aged)
    if not frames:
        raise ValueError("no snapshot: give at least one week")
    return pd.concat(frames, ignore_index=True)


def target_path(start: float, target: float, weeks: int) -> np.ndarray:
    """The target overdue stock of each week: a straight line from ``start`` (week 0) to ``target`` (last week).

    target(w) = start + (target − start) × w / (weeks − 1)

    >>> target_path(6.6, 1.5, 4).round(2).tolist()  # 6.6, 6.6 − 5.1/3 = 4.9, 3.2, 1.5
    [6.6, 4.9, 3.2, 1.5]
    """
    if weeks < 2:
        return np.array([float(target)] * weeks)
    return start + (target - start) * np.arange(weeks) / (weeks - 1)


def cash_collected(
    payments: pd.DataFrame, dates: Sequence[pd.Timestamp], date_column: str = "payment_date"
) -> pd.Series:
    """Payments received in each week: the sum of ``amount`` dated in (previous snapshot, snapshot].

    Week 0 (the audit) has no week before it: NaN.  Amounts in the company currency.

    >>> pay = pd.DataFrame({"payment_date": pd.to_datetime(["2026-01-02", "2026-01-08", "2026-01-12"]),
    ...                     "amount": [10.0, 20.0, 5.0]})
    >>> cash_collected(pay, pd.to_datetime(["2026-01-05", "2026-01-12"])).tolist()
    [nan, 25.0]
    """
    when = pd.to_datetime(payments[date_column])
    out = [np.nan]
    ordered = sorted(pd.Timestamp(d) for d in dates)
    for before, after in pairwise(ordered):
        window = (when > before) & (when <= after)
        out.append(round(float(payments.loc[window, "amount"].sum()), 2))
    return pd.Series(out, index=pd.DatetimeIndex(ordered, name="as_of"), name="cash_collected")


def weekly_progress(
    snapshots: Snapshots,
    payments: pd.DataFrame | None = None,
    target_overdue: float | None = None,
    edges: Sequence[int] = DEFAULT_EDGES,
    allocate: bool = False,
) -> pd.DataFrame:
    """One row a week: the balance, the overdue stock and how it moves.

    Columns: ``as_of``, ``week``, ``n_items``, ``total``, ``not_due``, ``overdue``,
    ``overdue_rate`` (overdue ÷ total), ``disputed`` (disputed overdue), the bucket
    columns, ``overdue_change`` (overdue − last week's), ``overdue_vs_start``
    (overdue ÷ week 0's overdue − 1), ``cash_collected`` (when ``payments`` are given)
    and ``target_overdue`` (the straight path to ``target_overdue`` when given).
    """
    aged = weekly_aged(snapshots, by=None, edges=edges, allocate=allocate)
    out = aged.copy()
    out["overdue_rate"] = overdue_rate(out["overdue"].to_numpy(), out["total"].to_numpy())
    out["overdue_change"] = out["overdue"].diff()
    start = float(out["overdue"].iloc[0])
    out["overdue_vs_start"] = out["overdue"] / start - 1 if start else np.nan
    if payments is not None:
        out["cash_collected"] = cash_collected(payments, list(out["as_of"])).to_numpy()
    if target_overdue is not None:
        out["target_overdue"] = target_path(start, float(target_overdue), len(out))
    return out


def movers(
    before: pd.DataFrame,
    after: pd.DataFrame,
    as_of_before: str | pd.Timestamp,
    as_of_after: str | pd.Timestamp,
    by: str = "customer_id",
    n: int = 10,
    edges: Sequence[int] = DEFAULT_EDGES,
    allocate: bool = False,
) -> pd.DataFrame:
    """The ``n`` groups whose overdue fell most and the ``n`` whose overdue rose most between two snapshots.

    ``change = overdue after − overdue before`` (a group absent from a snapshot has 0
    there); sorted from the largest fall to the largest rise; ``direction`` says which.
    """
    options = {"by": by, "edges": edges, "open_only": False, "allocate": allocate}
    a = aged_balance(before, as_of_before, **options).set_index(by)["overdue"]
    b = aged_balance(after, as_of_after, **options).set_index(by)["overdue"]
    both = pd.concat({"overdue_before": a, "overdue_after": b}, axis=1).fillna(0.0)
    both["change"] = both["overdue_after"] - both["overdue_before"]
    falls = both.loc[both["change"] < 0].sort_values("change").head(n).assign(direction="down")
    rises = both.loc[both["change"] > 0].sort_values("change", ascending=False).head(n).assign(direction="up")
    return pd.concat([falls, rises]).rename_axis(by).reset_index()


def progress_by(
    snapshots: Snapshots, by: str, edges: Sequence[int] = DEFAULT_EDGES, allocate: bool = False
) -> pd.DataFrame:
    """Overdue at the first and the last snapshot per ``by`` (collector, entity, segment), and the change.

    ``overdue_vs_start = overdue now ÷ overdue at start − 1`` (NaN when it started at 0);
    the rows add up to :func:`weekly_progress`'s first and last overdue.
    """
    aged = weekly_aged(snapshots, by=by, edges=edges, allocate=allocate)
    first, last = aged["week"].min(), aged["week"].max()
    start = aged.loc[aged["week"] == first].set_index(by)["overdue"]
    now = aged.loc[aged["week"] == last].set_index(by)["overdue"]
    out = pd.concat({"overdue_start": start, "overdue_now": now}, axis=1).fillna(0.0)
    out["change"] = out["overdue_now"] - out["overdue_start"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["overdue_vs_start"] = np.where(
            out["overdue_start"] > 0, out["overdue_now"] / out["overdue_start"] - 1, np.nan
        )
    return out.sort_values("overdue_start", ascending=False).reset_index()


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def weekly_dates(start: str | pd.Timestamp, as_of: str | pd.Timestamp) -> list[pd.Timestamp]:
    """Week 0 (``start``, the audit) then every 7 days up to ``as_of`` included.

    >>> [f"{d:%d/%m}" for d in weekly_dates("2026-08-03", "2026-08-20")]
    ['03/08', '10/08', '17/08']
    """
    first, last = pd.Timestamp(start), pd.Timestamp(as_of)
    if last < first:
        raise ValueError(f"as_of {last:%Y-%m-%d} is before the start {first:%Y-%m-%d}")
    return list(pd.date_range(first, last, freq="7D"))


def snapshot_date(name: str) -> pd.Timestamp | None:
    """The date a weekly extract's file name carries (``open_items_2026-08-10.csv``, ``balance_20260810.xlsx``).

    >>> snapshot_date("balance_20260810.xlsx"), snapshot_date("open_items.csv")
    (Timestamp('2026-08-10 00:00:00'), None)
    """
    m = _DATE_IN_NAME.search(Path(name).name)
    if m is None:
        return None
    try:
        return pd.Timestamp(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    except ValueError:
        return None


def load_snapshots(
    *,
    weekly_dir: str | Path | None = None,
    ledger_path: str | Path | None = None,
    start: str | pd.Timestamp | None = None,
    as_of: str | pd.Timestamp | None = None,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
) -> tuple[dict[pd.Timestamp, pd.DataFrame], list[LoadReport]]:
    """The weekly snapshots of a mission and the load report of every file read.

    From ``weekly_dir``: one open-items extract a week, its date in its file name
    (:func:`snapshot_date`), those from ``start`` to ``as_of`` kept; a file whose name
    carries no date is an error naming it.  Else from ``ledger_path`` (items with their
    settlement dates, or a FEC): the items open at each of :func:`weekly_dates`.
    """
    from cashmission.io.exports import load_open_items
    from cashmission.ledger.sources import load_receivables

    if weekly_dir is not None:
        files = sorted(p for p in Path(weekly_dir).iterdir() if p.is_file() and not p.name.startswith("."))
        undated = [p.name for p in files if snapshot_date(p.name) is None]
        if undated:
            raise fail(
                "snapshot_date", f"no date (YYYY-MM-DD or YYYYMMDD) in the file names {undated}", file=str(weekly_dir)
            )
        lo = pd.Timestamp(start) if start is not None else pd.Timestamp.min
        hi = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.max
        snaps, reports = {}, []
        for p in files:
            d = snapshot_date(p.name)
            if d is not None and lo <= d <= hi:
                snaps[d], report = load_open_items(p, mapping, date_order=date_order)
                reports.append(report)
        if not snaps:
            raise fail(
                "snapshot_date", f"no weekly extract dated from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}", file=str(weekly_dir)
            )
        return dict(sorted(snaps.items())), reports
    if ledger_path is None or start is None or as_of is None:
        raise ValueError("give weekly_dir, or ledger_path with start and as_of")
    items, report = load_receivables(ledger_path, mapping=mapping, date_order=date_order)
    return snapshots_from_ledger(items, weekly_dates(start, as_of)), [report]


def load_payments(
    path: str | Path | None, mapping: dict[str, str] | None = None, date_order: str | None = None
) -> pd.DataFrame | None:
    """The canonical payments table of ``path`` (``None`` when no file is given)."""
    if path is None:
        return None
    from cashmission.io.exports import load_table

    frame, _report = load_table(path, "payments", mapping, date_order=date_order)
    return frame


def last_two(snapshots: Snapshots) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """The last week's and this week's snapshots and dates, for :func:`movers` (the same one twice at week 0)."""
    dates = sorted(snapshots)
    before = dates[-2] if len(dates) > 1 else dates[-1]
    return snapshots[before], snapshots[dates[-1]], before, dates[-1]


def weekly_figures(progress: pd.DataFrame) -> dict[str, object]:
    """This week's figures for ``weekly_figures.json``: next week's run compares itself with them."""
    last, first = progress.iloc[-1], progress.iloc[0]
    keys = (
        "total",
        "overdue",
        "overdue_rate",
        "overdue_change",
        "overdue_vs_start",
        "cash_collected",
        "target_overdue",
    )
    return {
        "as_of": f"{last['as_of']:%Y-%m-%d}",
        "start": f"{first['as_of']:%Y-%m-%d}",
        "week": int(last["week"]),
        "overdue_start": float(first["overdue"]),
        **{k: (None if pd.isna(last[k]) else float(last[k])) for k in keys if k in progress.columns},
        "cash_collected_since_start": float(progress["cash_collected"].sum()) if "cash_collected" in progress else None,
    }
