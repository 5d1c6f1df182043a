"""Calendar of the sample client: day numbers, French public holidays, business days, due dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

_DAY0 = np.datetime64("1970-01-01", "D")


# --------------------------------------------------------------------------- calendar helpers


def _days(d: str | pd.Timestamp) -> int:
    return int((np.datetime64(pd.Timestamp(d).date(), "D") - _DAY0).astype(np.int64))


def _easter(year: int) -> np.datetime64:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "D")


def french_holidays(first_year: int, last_year: int) -> np.ndarray:
    """French public holidays (*jours fériés*) of the years given, as ``datetime64[D]``."""
    out = []
    for y in range(first_year, last_year + 1):
        out += [
            np.datetime64(f"{y}-{md}", "D")
            for md in ("01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25")
        ]
        e = _easter(y)
        out += [e + 1, e + 39, e + 50]  # Easter Monday, Ascension, Whit Monday
    return np.array(sorted(out), dtype="datetime64[D]")


class _Cal:
    """Business-day rolling on integer day numbers (days since 1970-01-01)."""

    def __init__(self, first: int, last: int) -> None:
        y0 = int(str(_DAY0 + first)[:4]) - 1
        y1 = int(str(_DAY0 + last)[:4]) + 2
        self.holidays = french_holidays(y0, y1)

    def roll(self, days: np.ndarray, forward: bool = True) -> np.ndarray:
        d = _DAY0 + np.asarray(days, dtype=np.int64)
        rolled = np.busday_offset(d, 0, roll="forward" if forward else "backward", holidays=self.holidays)
        return (rolled - _DAY0).astype(np.int64)

    def business_days(self, first: int, last: int) -> np.ndarray:
        d = _DAY0 + np.arange(first, last + 1, dtype=np.int64)
        return (d[np.is_busday(d, holidays=self.holidays)] - _DAY0).astype(np.int64)

    def add(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        d = _DAY0 + np.asarray(days, dtype=np.int64)
        out = np.busday_offset(d, n, roll="forward", holidays=self.holidays)
        return (out - _DAY0).astype(np.int64)


def _month_end(days: np.ndarray) -> np.ndarray:
    d = _DAY0 + np.asarray(days, dtype=np.int64)
    me = (d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return (me - _DAY0).astype(np.int64)


def _due(doc: np.ndarray, terms: np.ndarray, eom: np.ndarray) -> np.ndarray:
    """Due date: document date + terms, then end of month for "fin de mois" terms."""
    d = doc + terms
    return np.where(eom, _month_end(d), d)


def _to_ts(days: np.ndarray) -> np.ndarray:
    """Integer day numbers (``-1`` = missing) to ``datetime64[ns]``."""
    days = np.asarray(days, dtype=np.int64)
    out = (_DAY0 + days).astype("datetime64[ns]")
    out[days < 0] = np.datetime64("NaT")
    return out
