"""Charts for the reports (matplotlib, seaborn palettes), one function per chart.

Every function takes the computed table, an optional ``ax`` (a new figure is made when
it is ``None``) and ``lang`` for the labels, draws, and returns the Axes; nothing is
computed here beyond sums and sorting needed to draw.  Charts are deterministic (no
randomness, stable sorts) and work with the non-interactive Agg backend.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from cashmission.ledger.buckets import bucket_columns
from cashmission.meta import Period, of
from cashmission.report import formats
from cashmission.report.labels import Lang, label

_SCALE = {"": 1.0, "k": 1e3, "M": 1e6}
GREY = "#7f7f7f"
BLUE = "#1f4e79"
RED = "#c0392b"
GREEN = "#2e8b57"

REPORT_STYLE: dict[str, Any] = {
    "figure.figsize": (8.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.hashsalt": "cashmission",
}


def use_report_style() -> None:
    """Set the report look (sizes, fonts, grid) and PNG figures in notebooks.

    PNG rather than SVG: SVG output carries random ids that break nbval comparisons.
    """
    mpl.rcParams.update(REPORT_STYLE)
    try:  # in a notebook kernel only
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except Exception:
        pass


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize or tuple(mpl.rcParams["figure.figsize"]))
    return new


def wrap_label(text: str, width: int = 14) -> str:
    """Break a long tick or legend label into lines of at most ``width`` characters.

    Words are never cut; a word longer than ``width`` stays whole on its own line.

    >>> wrap_label("Agroalimentaire grands comptes")
    'Agroalimentaire\\ngrands comptes'
    >>> wrap_label("Stocks")
    'Stocks'
    """
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)) or str(text)


def _number_formatter(lang: Lang, decimals: int = 1) -> FuncFormatter:
    """Axis ticks written by :func:`formats.format_number` (``1 234,5`` / ``1,234.5``, minus :data:`formats.MINUS`)."""
    return FuncFormatter(lambda v, _pos: formats.format_number(v, decimals, lang))


def _percent_formatter(lang: Lang, decimals: int = 0) -> FuncFormatter:
    """Axis ticks of a fraction written by :func:`formats.format_percent` (``80 %`` / ``80%``)."""
    return FuncFormatter(lambda v, _pos: formats.format_percent(v, lang, decimals))


def bucket_colors(n: int) -> list[tuple[float, float, float]]:
    """``n`` colours from green (not due) to red (oldest bucket)."""
    import seaborn as sns

    return list(sns.color_palette("RdYlGn_r", n_colors=max(n, 1)))


def _scale_label(scale: str, lang: Lang) -> str:
    return label(f"amount_scale_{scale}", lang)


def aging_bars(
    aged: pd.DataFrame,
    by: str | None = None,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    scale: str = "M",
    title: str | None = None,
    annotate: bool = True,
) -> Axes:
    """Composition of the balance by ageing bucket (M€ by default).

    Parameters
    ----------
    aged : DataFrame
        An aged balance (:func:`cashmission.ledger.ageing.aged_balance`), any grouping;
        its bucket columns (``not_due``, ``d1_30`` … ``over_180``) are drawn.
    by : str, optional
        ``None``: one bar per bucket for the whole balance.  A column or index level
        (``entity``, ``segment``, a snapshot date …): one bar per value, stacked by
        bucket, e.g. the weekly evolution of the overdue stock.
    scale : {"", "k", "M"}
        Unit of the axis.

    Returns
    -------
    Axes, with ``len(buckets)`` bars (``by=None``) or ``groups × buckets`` bars.
    """
    if scale not in _SCALE:
        raise ValueError(f"unknown scale {scale!r}; allowed: '', 'k', 'M'")
    buckets = bucket_columns(aged)
    if not buckets:
        raise ValueError("no ageing-bucket column (not_due, d1_30, …) in the frame")
    ax = _axes(ax)
    colors = bucket_colors(len(buckets))
    div = _SCALE[scale]
    if by is None:
        values = aged[buckets].sum().to_numpy(dtype=float) / div
        names = [label(b, lang) for b in buckets]
        bars = ax.bar(names, values, color=colors, edgecolor="white")
        if annotate:
            ax.bar_label(bars, labels=[formats.format_number(v, 1, lang) for v in values], padding=2, fontsize=8)
    else:
        if by in aged.columns:
            grouped = aged.groupby(by, sort=True, dropna=False)[buckets].sum()
        elif by in (aged.index.names or []):
            grouped = aged.groupby(level=by, sort=True)[buckets].sum()
        else:
            raise ValueError(f"by={by!r} is neither a column nor an index level of the aged balance")
        groups = [
            formats.format_value(g, "date" if isinstance(g, pd.Timestamp) else "text", lang) for g in grouped.index
        ]
        x = np.arange(len(groups))
        pos_bottom = np.zeros(len(groups))
        neg_bottom = np.zeros(len(groups))
        for b, color in zip(buckets, colors, strict=True):
            v = grouped[b].to_numpy(dtype=float) / div
            bottom = np.where(v >= 0, pos_bottom, neg_bottom)
            ax.bar(x, v, bottom=bottom, color=color, edgecolor="white", label=label(b, lang))
            pos_bottom += np.where(v >= 0, v, 0.0)
            neg_bottom += np.where(v < 0, v, 0.0)
        ax.set_xticks(x, [wrap_label(g) for g in groups])
        if annotate:
            for xi, top in zip(x, pos_bottom, strict=True):
                ax.annotate(
                    formats.format_number(top, 1, lang),
                    (xi, top),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        if len(groups) > 6:
            ax.tick_params(axis="x", labelrotation=45)
    ax.yaxis.set_major_formatter(_number_formatter(lang, 1 if scale == "M" else 0))
    ax.set_ylabel(_scale_label(scale, lang))
    ax.set_title(title if title is not None else label("sec_chart", lang))
    return ax


def _customer_names(frame: pd.DataFrame, lang: Lang) -> list[str]:
    if "customer_name" in frame.columns:
        names = frame["customer_name"].astype("object")
        if "customer_id" in frame.columns:
            names = names.where(names.notna(), frame["customer_id"])
    elif "customer_id" in frame.columns:
        names = frame["customer_id"]
    else:
        names = pd.Series([str(i) for i in frame.index], index=frame.index)
    return [formats.format_value(n, "text", lang)[:40] for n in names]


def top_customers_bar(
    aged: pd.DataFrame,
    value: str = "overdue",
    n: int = 10,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    scale: str = "k",
    title: str | None = None,
) -> Axes:
    """The ``n`` customers with the largest ``value`` (overdue by default), as horizontal bars.

    ``aged`` is an aged balance by customer.  Ties keep the table's order (stable
    sort); the largest is at the top.  Returns the Axes with ``min(n, customers with a
    positive value)`` bars.
    """
    if scale not in _SCALE:
        raise ValueError(f"unknown scale {scale!r}; allowed: '', 'k', 'M'")
    ax = _axes(ax, (8.0, max(2.5, 0.35 * n + 1)))
    data = aged.loc[aged[value] > 0]
    top = data.sort_values(value, ascending=False, kind="mergesort").head(n)
    names = _customer_names(top, lang)[::-1]
    values = top[value].to_numpy(dtype=float)[::-1] / _SCALE[scale]
    bars = ax.barh(names, values, color=RED if value == "overdue" else BLUE)
    ax.bar_label(
        bars, labels=[formats.format_number(v, 0 if scale else 2, lang) for v in values], padding=2, fontsize=8
    )
    ax.xaxis.set_major_formatter(_number_formatter(lang, 0))
    ax.set_xlabel(f"{label(value, lang)} – {_scale_label(scale, lang)}")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title if title is not None else label("sec_top", lang))
    return ax


def pareto_curve(
    aged: pd.DataFrame,
    value: str = "overdue",
    *,
    threshold: float = 0.8,
    ax: Axes | None = None,
    lang: Lang = "fr",
    title: str | None = None,
) -> Axes:
    """Concentration (Pareto / Lorenz) curve: cumulative share of ``value`` vs share of customers.

    Customers (rows of ``aged``) are sorted from the largest positive ``value``; the
    dashed lines show the share of customers that makes ``threshold`` (80 %) of the
    total, as :func:`cashmission.ledger.concentration.pareto` counts it.
    """
    ax = _axes(ax, (6.0, 4.0))
    n_rows = len(aged)
    v = np.sort(aged.loc[aged[value] > 0, value].to_numpy(dtype=float))[::-1]
    if v.size == 0:
        ax.set_title(title if title is not None else label("sec_pareto", lang))
        return ax
    # x over every row (customer), as receivables.pareto counts them: customers with
    # nothing overdue make the flat end of the curve.
    cum = np.concatenate([[0.0], np.cumsum(v) / v.sum(), np.ones(n_rows - v.size)])
    x = np.arange(n_rows + 1) / n_rows
    ax.plot(x, cum, color=BLUE, linewidth=2)
    ax.fill_between(x, cum, x, color=BLUE, alpha=0.08)
    ax.plot([0, 1], [0, 1], color=GREY, linewidth=1, linestyle=":")
    k = int(np.searchsorted(cum, threshold - 1e-12))
    xs = x[k]
    ax.axhline(threshold, color=RED, linestyle="--", linewidth=1)
    ax.axvline(xs, color=RED, linestyle="--", linewidth=1)
    text = label("pareto_note", lang).format(
        customers=formats.format_percent(xs, lang, 0), share=formats.format_percent(threshold, lang, 0)
    )
    ax.annotate(text, (xs, threshold), xytext=(8, -16), textcoords="offset points", color=RED, fontsize=9)
    ax.xaxis.set_major_formatter(_percent_formatter(lang))
    ax.yaxis.set_major_formatter(_percent_formatter(lang))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(label("share_of_customers", lang))
    ax.set_ylabel(label("share_of_value", lang) if value == "overdue" else label("cumulative_share", lang))
    ax.set_title(title if title is not None else label("sec_pareto", lang))
    return ax


_TREND_DEFAULT = (
    "dso",
    "dso_countback",
    "dpo",
    "stock_days",
    "stock_days_raw_materials",
    "stock_days_goods",
    "stock_days_finished_goods",
)


def kpi_trend(
    series: pd.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    title: str | None = None,
) -> Axes:
    """Monthly trend of KPIs in days (DSO, DPO, stock days), one line each.

    ``series`` has one row per period, the period end in a ``period_end`` column or
    the index, and one column per KPI (days).  ``kpis`` defaults to those of
    ``dso``, ``dso_countback``, ``dpo`` and the stock-days columns present.  The axis
    states the months of flows behind each point (``window_months`` of the series'
    :class:`cashmission.meta.Period`, :func:`cashmission.working_capital.series.kpi_series`).
    Returns the Axes with one line per KPI.
    """
    ax = _axes(ax)
    frame = series.set_index("period_end") if "period_end" in series.columns else series
    keys = list(kpis) if kpis is not None else [k for k in _TREND_DEFAULT if k in frame.columns]
    if not keys:
        raise ValueError(f"no KPI column to draw; columns: {', '.join(map(str, frame.columns))}")
    x = np.arange(len(frame))
    for k in keys:
        ax.plot(
            x,
            frame[k].to_numpy(dtype=float),
            marker="o",
            markersize=3,
            linewidth=1.8,
            label=wrap_label(label(k, lang), 22),
        )
    step = max(1, len(frame) // 12)
    ax.set_xticks(x[::step], [formats.format_month(d, lang) for d in frame.index[::step]])
    ax.tick_params(axis="x", labelrotation=45)
    ax.yaxis.set_major_formatter(_number_formatter(lang, 0))
    dates = of(series, Period)
    window = dates.window_months if dates is not None else None
    ylabel = label("days_axis", lang)
    if window:
        ylabel += " — " + label("trend_window", lang).format(n=window)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title if title is not None else label("sec_trend", lang))
    return ax


def waterfall(
    steps: pd.Series,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    kind: str = "days",
    increase_is_bad: bool = True,
    title: str | None = None,
    scale: str = "",
) -> Axes:
    """A waterfall: first value is the starting level, then deltas, last value the end level.

    ``steps`` is indexed by step keys or labels (translated with :func:`label`).  The
    end bar is drawn at its own value; if start + deltas do not reach it the gap shows.
    Increases are red and decreases green when ``increase_is_bad`` (DSO, BFR).
    Returns the Axes with ``len(steps)`` bars.
    """
    if len(steps) < 2:
        raise ValueError("a waterfall needs at least a start and an end value")
    # wide enough for every step name to sit horizontally, wrapped on word boundaries
    ax = _axes(ax, figsize=(max(6.4, 1.05 * len(steps)), 4.2))
    div = _SCALE.get(scale, 1.0) if kind == "amount" else 1.0
    vals = steps.to_numpy(dtype=float) / div
    names = [wrap_label(label(k, lang)) for k in steps.index]
    bottoms, heights, colors = [0.0], [vals[0]], [BLUE]
    level = vals[0]
    for d in vals[1:-1]:
        bottoms.append(level if d >= 0 else level + d)
        heights.append(abs(d))
        colors.append((RED if d > 0 else GREEN) if increase_is_bad else (GREEN if d > 0 else RED))
        level += d
    bottoms.append(0.0)
    heights.append(vals[-1])
    colors.append(BLUE)
    bars = ax.bar(names, heights, bottom=bottoms, color=colors, edgecolor="white")
    decimals = 1 if kind == "days" else (1 if scale == "M" else 0)
    shown = [vals[0], *vals[1:-1], vals[-1]]
    texts = [formats.format_number(v, decimals, lang) for v in shown]
    texts = [t if i in (0, len(texts) - 1) or t.startswith(formats.MINUS) else "+" + t for i, t in enumerate(texts)]
    # values inside the bars, or just above the bars too thin to hold them
    thin = np.asarray(heights) < 0.06 * max(float(np.max(np.abs(vals))), 1e-9)
    inside = [t if not small else "" for t, small in zip(texts, thin, strict=True)]
    above = [t if small else "" for t, small in zip(texts, thin, strict=True)]
    ax.bar_label(bars, labels=inside, label_type="center", fontsize=8, color="white")
    ax.bar_label(bars, labels=above, label_type="edge", fontsize=8, color=GREY, padding=2)
    ax.yaxis.set_major_formatter(_number_formatter(lang, 0))
    ax.set_ylabel(label("days_axis", lang) if kind == "days" else _scale_label(scale, lang))
    ax.tick_params(axis="x", labelsize=8)
    if title is not None:
        ax.set_title(title)
    return ax


def dso_bridge_waterfall(
    bridge: pd.DataFrame | pd.Series,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    title: str | None = None,
) -> Axes:
    """Waterfall of a DSO bridge: DSO N−1, each effect in days, DSO N.

    ``bridge`` is a Series indexed by step (first the start, last the end) or a frame
    with a step column (``step``) and a value column (``days`` or ``value``).
    """
    if isinstance(bridge, pd.DataFrame):
        step_col = next((c for c in ("step", "effect", "label") if c in bridge.columns), bridge.columns[0])
        val_col = next((c for c in ("days", "value", "dso") if c in bridge.columns), bridge.columns[-1])
        bridge = pd.Series(bridge[val_col].to_numpy(dtype=float), index=bridge[step_col].astype(str))
    return waterfall(
        bridge, ax=ax, lang=lang, kind="days", title=title if title is not None else label("sec_bridge", lang)
    )


def _balances(figures: pd.DataFrame, when: str | pd.Timestamp) -> dict[str, float]:
    rows = figures.loc[pd.to_datetime(figures["period_end"]) == pd.Timestamp(when)]
    if rows.empty:
        raise ValueError(f"no period ends on {pd.Timestamp(when).date()} in the working-capital figures")
    row = rows.iloc[-1]
    stocks = sum(
        float(row[k])
        for k in ("stock_raw_materials", "stock_goods", "stock_finished_goods")
        if k in row.index and not pd.isna(row[k])
    )
    get = lambda k: float(row[k]) if k in row.index and not pd.isna(row[k]) else 0.0  # noqa: E731
    return {"receivables": get("receivables"), "payables": get("payables"), "stocks": stocks}


def bfr_waterfall(
    figures: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    ax: Axes | None = None,
    lang: Lang = "fr",
    scale: str = "M",
    title: str | None = None,
) -> Axes:
    """Waterfall from the BFR at ``start`` to the BFR at ``end``: receivables, stocks, payables.

    ``figures`` is the working-capital table (``period_end``, ``receivables``,
    ``payables``, ``stock_*``); balances are read at the two period ends.  BFR =
    stocks + receivables − payables, so a rise in payables lowers the BFR.  Five bars.
    """
    p, c = _balances(figures, start), _balances(figures, end)
    bfr_p = p["stocks"] + p["receivables"] - p["payables"]
    bfr_c = c["stocks"] + c["receivables"] - c["payables"]
    steps = pd.Series(
        {
            f"{label('bfr', lang)} {formats.format_date(start, lang)}": bfr_p,
            label("receivables", lang): c["receivables"] - p["receivables"],
            label("stocks", lang): c["stocks"] - p["stocks"],
            label("payables", lang): -(c["payables"] - p["payables"]),
            f"{label('bfr', lang)} {formats.format_date(end, lang)}": bfr_c,
        }
    )
    return waterfall(
        steps,
        ax=ax,
        lang=lang,
        kind="amount",
        scale=scale,
        title=title if title is not None else label("sec_bfr", lang),
    )


def progress_chart(progress: pd.DataFrame, *, ax: Axes | None = None, lang: Lang = "fr", scale: str = "M") -> Axes:
    """The overdue stock week by week (bars, M€) against the target path (line), from
    :func:`cashmission.ledger.progress.weekly_progress`; no title (the section has one)."""
    ax = _axes(ax)
    div = _SCALE[scale]
    weeks = [formats.format_date(d, lang)[:5] if lang == "fr" else f"{d:%m-%d}" for d in progress["as_of"]]
    x = np.arange(len(weeks))
    values = progress["overdue"].to_numpy(dtype=float) / div
    bars = ax.bar(x, values, color=RED, edgecolor="white", label=label("overdue", lang))
    ax.bar_label(bars, labels=[formats.format_number(v, 1, lang) for v in values], padding=2, fontsize=8)
    if "target_overdue" in progress.columns:
        ax.plot(
            x,
            progress["target_overdue"].to_numpy(dtype=float) / div,
            color=BLUE,
            marker="o",
            label=label("target_overdue", lang),
        )
    ax.set_xticks(x, weeks)
    if len(weeks) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    ax.yaxis.set_major_formatter(_number_formatter(lang, 1 if scale == "M" else 0))
    ax.set_ylabel(_scale_label(scale, lang))
    ax.legend(loc="upper right", fontsize=8)
    return ax
