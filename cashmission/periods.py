"""Periods of the working-capital figures: monthly or yearly rows, trailing windows by calendar month."""

from __future__ import annotations

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- tables from working_capital
_MONTH_MAX_DAYS = 31
_YEAR_MIN_DAYS = 365


def _frequency_of(days: pd.Series) -> pd.Series:
    d = pd.to_numeric(days, errors="coerce")
    return pd.Series(
        np.where(d <= _MONTH_MAX_DAYS, "month", np.where(d >= _YEAR_MIN_DAYS, "year", "other")),
        index=days.index,
    )


def _window(rows: pd.DataFrame, when: pd.Timestamp, freq: str, months: int = 12) -> pd.DataFrame:
    """Rows whose flows make the period ending at ``when``: trailing ``months`` months, or the one row."""
    upto = rows[rows["period_end"] <= when]
    if freq != "month":
        return upto.tail(1)
    # compare calendar months, not dates: 28/02 − 1 month = 28/01 would let January in
    first = pd.Timestamp(when).to_period("M") - (months - 1)
    return upto[upto["period_end"].dt.to_period("M") >= first]


def _month_before(period_end: pd.Timestamp, months: int = 1) -> pd.Timestamp:
    """End of the calendar month ``months`` months before the month of ``period_end``."""
    return (pd.Timestamp(period_end).to_period("M") - months).to_timestamp(how="end").normalize()


def _is_full_month(period_end: pd.Series, period_days: pd.Series) -> pd.Series:
    """Rows covering their whole calendar month (``period_days`` = days in the month of ``period_end``)."""
    ends = pd.to_datetime(period_end)
    return pd.to_numeric(period_days, errors="coerce") == ends.dt.days_in_month


def month_days(period_end: pd.Series, period_days: pd.Series, days_basis: int | None) -> pd.Series:
    """Days each monthly row counts when a countback walks it (*jours du mois*).

    Calendar days (``days_basis`` None or 365); on the 360-day basis a whole month
    counts 30 days and a partial month (a period starting or ending within it) its
    calendar days, at most 30 (the 30/360 count: the 1st to the 15th is 15 days).

    >>> ends = pd.Series(pd.to_datetime(["2024-11-30", "2024-12-15"]))
    >>> month_days(ends, pd.Series([30, 15]), 360).tolist(), month_days(ends, pd.Series([30, 15]), 365).tolist()
    ([30.0, 15.0], [30.0, 15.0])
    """
    d = pd.to_numeric(period_days, errors="coerce").astype("float64")
    if days_basis != 360:
        return d
    full = _is_full_month(period_end, period_days).to_numpy()
    return pd.Series(np.where(full, 30.0, np.minimum(d, 30.0)), index=d.index)


def window_days(period_end: pd.Series, period_days: pd.Series, days_basis: int | None, months: int = 12) -> float:
    """Days a window of flows counts (*nombre de jours de la période*): the ``days`` of DSO, DPO, BFR in days.

    - ``days_basis`` None: the calendar days of the rows.
    - Monthly rows that make ``months`` whole calendar months: ``months`` twelfths of
      ``days_basis`` (12 months = 360 or 365, whatever the leap years).
    - Monthly rows that fall short of it, because the figures start later (a short
      fiscal year, *exercice court*; a FEC of seven months) or a month is partial (a
      FEC extracted on the 15th): the period's own days, not a year's.  On 365: its
      calendar days (1 January - 15 December 2024 = 350); on 360: 30 a whole month and
      the calendar days of a partial month, at most 30 (:func:`month_days`).  At most
      ``days_basis``.
    - Annual rows: ``days_basis``; other rows: calendar days × ``days_basis`` / 365.

    >>> ends = pd.Series(pd.to_datetime(["2024-10-31", "2024-11-30", "2024-12-31"]))
    >>> window_days(ends, pd.Series([31, 30, 31]), 365, months=3)  # 3 × 365 / 12
    91.25
    >>> window_days(ends, pd.Series([31, 30, 31]), 365)  # a period of 3 months: its own 92 days
    92.0
    >>> part = pd.Series(pd.to_datetime(["2024-10-31", "2024-11-30", "2024-12-15"]))
    >>> window_days(part, pd.Series([31, 30, 15]), 365, 3), window_days(part, pd.Series([31, 30, 15]), 360, 3)
    (76.0, 75.0)
    """
    d = pd.to_numeric(period_days, errors="coerce").astype("float64")
    if days_basis is None:
        return float(d.sum())
    freq = _frequency_of(period_days)
    if len(d) and (freq == "month").all():
        if len(d) == months and _is_full_month(period_end, period_days).all():
            return months * days_basis / 12
        return float(min(month_days(period_end, period_days, days_basis).sum(), days_basis))
    per_row = np.where(
        freq == "month", days_basis / 12, np.where(freq == "year", float(days_basis), d * days_basis / 365)
    )
    return float(per_row.sum())
