"""The KPI table and series: every working-capital measure over a period's figures, with its formula."""

from __future__ import annotations

import pandas as pd

from cashmission.working_capital.conventions import Frequency
from cashmission.working_capital.table_rows import (
    _bfr_rows,
    _cash_per_day_rows,
    _cei_row,
    _dpo_row,
    _dso_rows,
    _economic_dso_row,
    _stock_rows,
    _volume_rows,
)
from cashmission.working_capital.window import (
    _kpi_window,
)


def kpi_table(
    figures: pd.DataFrame,
    as_of: str | pd.Timestamp | None = None,
    days_basis: int | None = None,
    *,
    vat_rate: float | None = None,
    frequency: Frequency = "auto",
    window_months: int = 12,
) -> pd.DataFrame:
    """Every working-capital KPI at one period end, with its formula (*tableau des indicateurs de BFR*).

    Parameters
    ----------
    figures : the canonical ``working_capital`` table, monthly and/or annual rows.
    as_of : the period end to report; default the last one.  Must be a period end.
    days_basis : ``None`` for calendar days; 360 or 365 to count a year as that many
        days (a month as a twelfth; the countback then walks 30-day months for 360,
        calendar months for 365).
    vat_rate : used only where ``vat_collected`` / ``vat_deductible`` are missing, to
        gross revenue / purchases up to TTC; without it those DSO/DPO are NaN.
    frequency : ``"auto"`` (monthly rows when some end at ``as_of``, else annual),
        ``"month"`` or ``"year"``.
    window_months : months of flows for monthly rows (default 12: the trailing year);
        :func:`bfr_tracking` narrows it so that two dates compare equal windows.

    Returns
    -------
    DataFrame, one row per KPI: ``kpi``, ``value``, ``unit`` (``days``, ``EUR``,
    ``fraction``), ``convention`` and ``formula`` (the arithmetic with its numbers).

    Notes
    -----
    Flows are the trailing ``window_months`` calendar months ending with the month of
    ``as_of`` for monthly rows (fewer when the figures start later, said in
    ``convention``), or the period of the row for annual rows; balances are those at
    ``as_of``.  Revenue TTC = revenue + vat_collected, purchases TTC = purchases +
    vat_deductible (or × (1 + ``vat_rate``)).  The countback DSO, best possible DSO and
    ADD need monthly rows (all the months up to ``as_of``).

    Missing figures are never read as zero (*un indicateur sans ses chiffres reste
    vide*): a month absent from the window, or a month whose revenue is empty, leaves
    every flow of the window NaN and the ``convention`` names the month; the countback
    stops with NaN when it reaches an unknown month; BFR is NaN without receivables or
    payables (empty stock columns count 0, said in ``convention``); the economic DSO is
    NaN when neither factored nor discounted receivables are given (one of them
    missing counts 0, said).  CEI opens on the receivables that close the period just
    before the window, from any row ending that day (the previous month end or the
    annual row of the year before); without one, a monthly window opens on its own
    first month (N − 1 months, said).  Sources: the conventions of each measure's
    function (Credit Research Foundation for countback, CEI and ADD; Banque de France
    360-day year).
    """
    w = _kpi_window(figures, as_of, days_basis, vat_rate, frequency, window_months)
    out = [
        *_volume_rows(w),
        *_dso_rows(w),
        _cei_row(w),
        _economic_dso_row(w),
        _dpo_row(w),
        *_stock_rows(w),
        *_bfr_rows(w),
        *_cash_per_day_rows(w),
    ]
    return pd.DataFrame(out, columns=["kpi", "value", "unit", "convention", "formula"])


def figure_warnings(figures: pd.DataFrame) -> list[str]:
    """What in the monthly figures makes a KPI say little, in plain sentences.

    For monthly rows (``period_days`` < 60): a balance (receivables or payables) that is
    zero or missing at more than half of the month ends while the matching flow
    (revenue or purchases) is booked means the accounts are settled at once or booked
    only at closing (cash sales, a retailer, receivables entered at year end): a DSO or
    DPO at those dates, or walked back from them, describes the bookkeeping, not the
    customers.  Empty list when nothing stands out.

    >>> months = pd.DataFrame({"period_end": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]),
    ...                        "period_days": [31, 29, 31], "revenue": [10.0, 12.0, 9.0],
    ...                        "receivables": [0.0, 0.0, 25.0]})
    >>> print(*figure_warnings(months))  # doctest: +NORMALIZE_WHITESPACE
    receivables are zero or missing at 2 of 3 month ends although revenue was booked:
    they are settled at once or booked only at closing, so DSO says little about customers
    """
    if "period_days" not in figures.columns:
        return []
    monthly = figures[pd.to_numeric(figures["period_days"], errors="coerce") < 60]
    out = []
    for balance, flow, kpi in (("receivables", "revenue", "DSO"), ("payables", "purchases", "DPO")):
        if balance not in monthly.columns or flow not in monthly.columns or len(monthly) < 3:
            continue
        booked = pd.to_numeric(monthly[flow], errors="coerce").fillna(0.0) != 0
        empty = pd.to_numeric(monthly[balance], errors="coerce").fillna(0.0).abs() < 0.005
        n_empty, n = int((empty & booked).sum()), int(booked.sum())
        if n and n_empty * 2 > n:
            out.append(
                f"{balance} are zero or missing at {n_empty} of {n} month ends although {flow} was booked: "
                f"they are settled at once or booked only at closing, so {kpi} says little about "
                f"{'customers' if kpi == 'DSO' else 'suppliers'}"
            )
    return out
