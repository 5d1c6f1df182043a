"""The fiscal year of a FEC's lines (*exercice*): its end from a parameter, the file name or the data; its first day.

An *exercice* runs 1 to 24 months (*exercice court ou long*); its first day is the date
of the opening entries (*à-nouveaux*) or the first day of the month of the first entry.
"""

from __future__ import annotations

import pandas as pd

from cashmission import meta
from cashmission.io.fec import fec_source, fiscal_year_end_from_name
from cashmission.io.fec_entries import is_opening
from cashmission.problems import Problem


def _d(x: object) -> str:
    return "no date" if x is None or pd.isna(x) else pd.Timestamp(x).date().isoformat()


def _month_end(ts: pd.Timestamp) -> pd.Timestamp:
    return (pd.Timestamp(ts) + pd.offsets.MonthEnd(0)).normalize()


def _year_start(lines: pd.DataFrame) -> pd.Timestamp | None:
    """First day of the fiscal year of ``lines`` (``None`` without any valid date)."""
    if not lines["EcritureDate"].notna().any():
        return None
    return _fiscal_year(lines, None, None, fec_source(lines))[0]


def _fiscal_year(
    lines: pd.DataFrame, fiscal_year_end: object, file_name: object, source: meta.FecSource
) -> tuple[pd.Timestamp, pd.Timestamp, str, list[Problem]]:
    """(start, end, source of the end, problems) of the fiscal year of ``lines``."""
    problems: list[Problem] = []
    opening = is_opening(lines)
    d = lines.loc[~opening, "EcritureDate"].dropna()
    if d.empty:
        d = lines["EcritureDate"].dropna()
    last = d.max() if len(d) else pd.Timestamp("1970-01-01")
    end: pd.Timestamp | None
    if fiscal_year_end is not None:
        end, how = pd.Timestamp(fiscal_year_end).normalize(), "the fiscal_year_end parameter"
    else:
        end = fiscal_year_end_from_name(file_name) if file_name is not None else source.fiscal_year_end_from_name
        how = "the file name"
        if end is not None:
            start12 = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
            inside = ((d >= start12) & (d <= end)).any()
            if not inside or last > end:
                problems.append(
                    Problem(
                        "warning",
                        "fiscal_year_mismatch",
                        f"the file name gives the closing date {end.date()} but the entries run from "
                        f"{_d(d.min())} to {_d(last)}: the name does not fit the data (anonymised or "
                        "renamed file?); the fiscal year is taken from the data",
                    )
                )
                end = None
        if end is None:
            end, how = _month_end(last), "the data (month end of the last entry)"
    start = _year_first_day(lines, d, opening, end)
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), how, problems


def _year_first_day(lines: pd.DataFrame, d: pd.Series, opening: pd.Series, end: pd.Timestamp) -> pd.Timestamp:
    """First day of the fiscal year ending at ``end``: 1 to 24 months (*exercice court ou long*).

    The date of the opening entries (*à-nouveaux*, their latest date) when it comes no
    later than the first other entry; else the first day of the month of the first entry
    (a fiscal year starts on a month's first day unless its opening entries say
    otherwise).  Entries more than 24 months before ``end`` do not count.
    """
    earliest = end - pd.DateOffset(months=24) + pd.Timedelta(days=1)
    inside = d[(d >= earliest) & (d <= end)]
    first = inside.min() if len(inside) else pd.NaT
    month_start = end.replace(day=1) if pd.isna(first) else pd.Timestamp(first).replace(day=1)
    o = lines.loc[opening, "EcritureDate"].dropna()
    o = o[(o >= earliest) & (o <= end)]
    if len(o) and (pd.isna(first) or o.max() <= first):
        return max(pd.Timestamp(o.max()), earliest)
    return max(month_start, earliest)
