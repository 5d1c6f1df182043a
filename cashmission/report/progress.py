"""The weekly progress report's tables and summary (:mod:`cashmission.ledger.progress`), French or English."""

from __future__ import annotations

import math

import pandas as pd

from cashmission.report.formats import format_amount, format_date, format_percent
from cashmission.report.labels import Lang, label
from cashmission.report.views import format_table

WEEKLY_COLUMNS = (
    "as_of",
    "week",
    "n_items",
    "total",
    "not_due",
    "overdue",
    "overdue_rate",
    "overdue_change",
    "overdue_vs_start",
    "cash_collected",
    "target_overdue",
)


def weekly_table(progress: pd.DataFrame, lang: Lang = "fr", scale: str = "k") -> pd.DataFrame:
    """The week-by-week table of :func:`~cashmission.ledger.progress.weekly_progress`, labelled and formatted."""
    cols = [c for c in WEEKLY_COLUMNS if c in progress.columns]
    shown = progress[cols].assign(as_of=[format_date(d, lang) for d in progress["as_of"]])
    return format_table(shown, lang, scale=scale, index="as_of", kinds={"as_of": "text"})  # type: ignore[arg-type]


def weekly_summary(progress: pd.DataFrame, lang: Lang = "fr") -> str:
    """The one-page reading of the week, one line a figure: the overdue stock since week 0, the week,
    the cash collected, the overdue rate, the gap to the target path (when there is one), disputes."""
    first, last = progress.iloc[0], progress.iloc[-1]

    def amount(x: float, sign: bool = False) -> str:
        return format_amount(x, lang, sign=sign, prose=True)

    lines = [
        label("weekly_stock", lang).format(
            start=amount(first["overdue"]),
            start_date=format_date(first["as_of"], lang),
            now=amount(last["overdue"]),
            now_date=format_date(last["as_of"], lang),
            change=format_percent(last["overdue_vs_start"], lang, 0, sign=True),
        )
    ]
    if len(progress) > 1:
        cash = last.get("cash_collected", float("nan"))
        lines.append(
            label("weekly_week", lang).format(
                change=amount(last["overdue_change"], sign=True),
                cash=amount(cash) if _finite(cash) else "–",
            )
        )
    if "cash_collected" in progress.columns and len(progress) > 1:
        lines.append(label("weekly_cash", lang).format(cash=amount(progress["cash_collected"].sum(skipna=True))))
    lines.append(
        label("weekly_rate", lang).format(
            start=format_percent(first["overdue_rate"], lang), now=format_percent(last["overdue_rate"], lang)
        )
    )
    if "target_overdue" in progress.columns:
        gap = float(last["overdue"] - last["target_overdue"])
        verdict = label("weekly_ahead" if gap <= 0 else "weekly_behind", lang)
        lines.append(
            label("weekly_target", lang).format(
                target=amount(progress["target_overdue"].iloc[-1]), gap=amount(gap, sign=True), verdict=verdict
            )
        )
    if "disputed" in progress.columns:
        lines.append(label("weekly_disputed", lang).format(now=amount(last["disputed"])))
    return "\n".join(lines)


def movers_table(movers: pd.DataFrame, lang: Lang = "fr", scale: str = "k") -> pd.DataFrame:
    """The movers of :func:`~cashmission.ledger.progress.movers`, their direction in words."""
    shown = movers.assign(direction=movers["direction"].map(lambda d: label(d, lang)))
    return format_table(shown, lang, scale=scale, kinds={"direction": "text"})  # type: ignore[arg-type]


def progress_table(by: pd.DataFrame, lang: Lang = "fr", scale: str = "k") -> pd.DataFrame:
    """The progress per collector / entity of :func:`~cashmission.ledger.progress.progress_by`."""
    return format_table(by, lang, scale=scale)  # type: ignore[arg-type]


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
