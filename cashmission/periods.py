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
