"""The KPIs over time: the series period by period and the working-capital tracking N−1 → N."""

from __future__ import annotations

import pandas as pd

from cashmission.meta import Period, attach
from cashmission.periods import _month_before
from cashmission.problems import fail
from cashmission.working_capital.table import kpi_table
from cashmission.working_capital.window import (
    _months_available,
    _prepare,
    _receivables_at,
)

_WINDOW_FREE = frozenset(
    {"receivables", "overdue_rate", "bfr", "dso_countback", "dso_best_possible", "average_days_delinquent"}
)
"""KPIs of :func:`kpi_table` that do not depend on the window of flows (balances, and the
countback, which walks all the months up to the date)."""


def kpi_series(
    figures: pd.DataFrame,
    days_basis: int | None = None,
    *,
    vat_rate: float | None = None,
    window: int = 3,
) -> pd.DataFrame:
    """The KPIs period by period (*suivi mensuel*): one row per period end, one column per KPI.

    Parameters
    ----------
    figures : the canonical ``working_capital`` table.
    days_basis, vat_rate : as in :func:`kpi_table`.
    window : months of flows behind every monthly point (default 3, the trailing
        quarter), the same at every month.

    Returns
    -------
    DataFrame indexed by ``period_end``, one column per KPI of :func:`kpi_table`
    (values only; :func:`kpi_table` gives units and formulas).  Its
    :class:`cashmission.meta.Period` holds ``frequency`` (``"month"`` or ``"year"``)
    and ``window_months`` (``window`` for monthly rows, None for annual rows).

    Notes
    -----
    Monthly rows when there are any, else the annual rows (each year its own flows).
    Every monthly point uses the trailing ``window`` calendar months, so that points
    compare: a month with fewer months of history before it has its flow-based KPIs
    (DSO, DPO, stock days, BFR in days, cash per day, CEI) left NaN rather than
    computed on a shorter window; balances, overdue rate, BFR and the countback DSO
    (which walks every month up to the date) are shown at every month.  Three months
    by default: the usual window of a monthly DSO (as :func:`trailing_revenue_ttc`),
    it keeps the seasonality and the effect of collection actions that a trend is
    meant to show, where twelve months would smooth them away and need a full year of
    history before the first point (a FEC of one fiscal year would give one point).

    The CEI of a monthly point opens on the receivables that close the month before
    its window (from a monthly or an annual row ending that day).  Where there is none
    (the first month with a full window, when the figures start with that window),
    :func:`kpi_table` would open on the window's first month and run over ``window``
    − 1 months: that point's CEI is left NaN, so that every CEI of the series covers
    ``window`` months.
    """
    if not (isinstance(window, int) and 1 <= window <= 12):
        raise ValueError(f"window must be an integer from 1 to 12; got {window!r}")
    f = _prepare(figures)
    freq = "month" if (f["_freq"] == "month").any() else "year"
    ends = f.loc[f["_freq"] == freq, "period_end"].drop_duplicates()
    if ends.empty:
        raise fail("empty", "the working_capital table has no monthly or annual rows")
    first = ends.min().to_period("M")
    records = {}
    for end in ends:
        t = kpi_table(
            figures,
            as_of=end,
            days_basis=days_basis,
            vat_rate=vat_rate,
            frequency=freq,
            window_months=window if freq == "month" else 12,
        )
        values = t.set_index("kpi")["value"]
        if freq == "month" and (end.to_period("M") - first).n + 1 < window:
            values = values.where(values.index.isin(_WINDOW_FREE))
        elif freq == "month" and _receivables_at(f, _month_before(end, window)).empty:
            # no balance closing the month before the window: CEI would run over window − 1 months
            values["collection_effectiveness_index"] = float("nan")
        records[end] = values
    out = pd.DataFrame(records).T
    out.index.name = "period_end"
    out.columns.name = None
    return attach(out, Period(frequency=freq, window_months=window if freq == "month" else None))


def bfr_tracking(
    figures: pd.DataFrame,
    year_n_minus_1_end: str | pd.Timestamp,
    year_n_end: str | pd.Timestamp,
    days_basis: int | None = None,
    *,
    vat_rate: float | None = None,
) -> pd.DataFrame:
    """Working-capital tracking N−1 → N (*suivi du BFR*): each KPI at both dates and its variation.

    Annual rows ending at the two dates are used when present; otherwise monthly rows,
    with the same window of flows at both dates: the trailing 12 months, or as many
    months as the figures hold up to the earlier date (a FEC covers one fiscal year:
    its first month-end has one month of history, so both dates use one month).

    Returns
    -------
    DataFrame with ``kpi``, ``unit``, ``n_minus_1``, ``n``, ``variation`` (n − n_minus_1).
    Its :class:`cashmission.meta.Period` holds ``start``, ``end`` (ISO dates), ``window``
    (``"year"`` for annual rows, else the number of months of flows) and
    ``one_year_apart`` (bool), which :func:`cashmission.report.views.tracking_heading`
    states in the report.
    """
    f = _prepare(figures)
    start, end = pd.Timestamp(year_n_minus_1_end).normalize(), pd.Timestamp(year_n_end).normalize()

    def has_year(e: pd.Timestamp) -> bool:
        return bool(((f["period_end"] == e) & (f["_freq"] == "year")).any())

    both_monthly = not has_year(start) and not has_year(end)
    window = max(1, _months_available(figures, start)) if both_monthly else 12

    def at(e: pd.Timestamp) -> pd.DataFrame:
        yearly = has_year(e)
        return kpi_table(
            figures,
            as_of=e,
            days_basis=days_basis,
            vat_rate=vat_rate,
            frequency="year" if yearly else "auto",
            window_months=12 if yearly else window,
        )

    a, b = at(start), at(end)
    out = a[["kpi", "unit"]].copy()
    out["n_minus_1"] = a["value"].to_numpy()
    b_values = b.set_index("kpi")["value"]
    out["n"] = out["kpi"].map(b_values).astype("float64")
    out["variation"] = out["n"] - out["n_minus_1"]
    out = out.reset_index(drop=True)
    a_year_before = start == end - pd.DateOffset(years=1) or (
        end.is_month_end and start == (end - pd.DateOffset(years=1)) + pd.offsets.MonthEnd(0)
    )
    dates = Period(
        start=start.date().isoformat(),
        end=end.date().isoformat(),
        window=window if both_monthly else "year",
        one_year_apart=bool(a_year_before),
    )
    return attach(out, dates)
