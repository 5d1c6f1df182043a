"""The window of one KPI table: the rows of a period end, the flows it counts and their days."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.meta import FigureBasis, of
from cashmission.periods import _frequency_of, _is_full_month, _window, window_days
from cashmission.problems import fail
from cashmission.working_capital.conventions import Frequency
from cashmission.working_capital.fec_figures import period_sentence


def _num(row: pd.Series, col: str) -> float:
    v = row.get(col, float("nan"))
    try:
        return float(v) if v is not None and not pd.isna(v) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def _prepare(figures: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("period_end", "period_days", "revenue", "receivables") if c not in figures.columns]
    if missing:
        raise fail(
            "missing_column",
            f"the working_capital table lacks {', '.join(missing)}",
            column=missing[0],
        )
    f = figures.copy()
    f["period_end"] = pd.to_datetime(f["period_end"]).astype("datetime64[ns]")
    f["_freq"] = _frequency_of(f["period_days"])
    return f.sort_values(["period_end", "period_days"]).reset_index(drop=True)


def _pick_rows(f: pd.DataFrame, as_of: pd.Timestamp | None, frequency: Frequency) -> tuple[pd.DataFrame, str]:
    if frequency not in ("auto", "month", "year"):
        raise ValueError(f"frequency must be 'auto', 'month' or 'year'; got {frequency!r}")
    if f.empty:
        raise fail("empty", "the working_capital table has no rows")
    when = f["period_end"].max() if as_of is None else pd.Timestamp(as_of).normalize()
    at = f[f["period_end"] == when]
    if at.empty:
        ends = ", ".join(sorted({d.strftime("%Y-%m-%d") for d in f["period_end"]})[-6:])
        raise fail(
            "as_of",
            f"as_of {when:%Y-%m-%d} is not a period end of the figures; last period ends: {ends}",
        )
    if frequency == "auto":
        freq = "month" if (at["_freq"] == "month").any() else str(at["_freq"].iloc[-1])
    else:
        freq = frequency
        if not (at["_freq"] == freq).any():
            raise fail("as_of", f"no {freq}ly row ends on {when:%Y-%m-%d}")
    return f[f["_freq"] == freq], freq


def _months_available(figures: pd.DataFrame, when: str | pd.Timestamp, months: int = 12) -> int:
    """Monthly rows in the ``months`` months ending at ``when`` (how far back the flows go)."""
    f = _prepare(figures)
    rows = f[f["_freq"] == "month"].drop_duplicates("period_end")
    return len(_window(rows, pd.Timestamp(when).normalize(), "month", months))


def _receivables_at(f: pd.DataFrame, when: pd.Timestamp, near_days: int = 0) -> pd.DataFrame:
    """Rows of any frequency ending at ``when`` (± ``near_days``) with known receivables (a CEI opening)."""
    return f[((f["period_end"] - when).abs() <= pd.Timedelta(days=near_days)) & f["receivables"].notna()]


def _ttc(frame: pd.DataFrame, col: str, vat_col: str, vat_rate: float | None) -> tuple[pd.Series | None, str | None]:
    """A flow tax included, row by row, and how it was grossed up (``"vat"`` or ``"rate"``).

    Flow + its VAT column when that VAT is given for every row that has a flow; else
    flow × (1 + ``vat_rate``); ``(None, None)`` when neither is known.  A row whose flow
    is missing stays NaN: it is never added as zero.
    """
    nan = pd.Series(np.nan, index=frame.index, dtype="float64")
    base = pd.to_numeric(frame[col], errors="coerce").astype("float64") if col in frame.columns else nan
    vat = pd.to_numeric(frame[vat_col], errors="coerce").astype("float64") if vat_col in frame.columns else nan
    if vat.notna().any() and (vat.notna() | base.isna()).all():
        return base + vat, "vat"
    if vat_rate is not None:
        return base * (1 + float(vat_rate)), "rate"
    return None, None


def _holes(rows: pd.DataFrame, when: pd.Timestamp, months: int) -> list[str]:
    """Months absent from the monthly ``rows`` between their first month and ``when``, within ``months``."""
    have = set(rows.loc[rows["period_end"] <= when, "period_end"].dt.to_period("M"))
    if not have:
        return []
    last = pd.Timestamp(when).to_period("M")
    first = max(min(have), last - (months - 1))
    return [str(p) for p in pd.period_range(first, last, freq="M") if p not in have]


def _months_lacking(frame: pd.DataFrame, col: str) -> list[str]:
    """Period ends (YYYY-MM) of the rows where ``col`` is missing."""
    if col not in frame.columns:
        return [f"{d:%Y-%m}" for d in frame["period_end"]]
    values = pd.to_numeric(frame[col], errors="coerce")
    return [f"{d:%Y-%m}" for d in frame.loc[values.isna(), "period_end"]]


@dataclass(frozen=True)
class _Window:
    """The rows and conventions one :func:`kpi_table` works over: flows of the window, balances at ``when``."""

    figures: pd.DataFrame  # every row, prepared (the CEI opening may come from another frequency)
    rows: pd.DataFrame  # the rows of the chosen frequency
    freq: str
    when: pd.Timestamp
    win: pd.DataFrame  # the rows whose flows count
    holes: list[str]  # months absent from the window
    days: float
    n_months: int
    span: str
    days_basis: int | None
    vat_rate: float | None
    period: str = ""  # the period a FEC's figures cover and why, in words (their FigureBasis.period)

    @property
    def last(self) -> pd.Series:
        return self.win.iloc[-1]

    @property
    def conv(self) -> str:
        day_txt = "calendar days" if self.days_basis is None else f"{self.days_basis}-day year"
        return f"{self.span}; {day_txt}"

    def balance(self, col: str) -> float:
        """A balance at ``when`` (NaN when missing)."""
        return _num(self.last, col)

    def total(self, col: str, vat_col: str | None = None) -> float:
        """Sum over the window; NaN when a month is absent or the figure is missing in any month."""
        if self.holes or col not in self.win.columns:
            return float("nan")
        if vat_col is None:
            base = pd.to_numeric(self.win[col], errors="coerce")
        else:
            grossed, _ = _ttc(self.win, col, vat_col, self.vat_rate)
            if grossed is None:
                return float("nan")
            base = grossed
        return float(base.sum()) if base.notna().all() else float("nan")

    def lacking(self, col: str) -> str:
        """The convention's note on the months of the window where ``col`` is missing."""
        months = [] if self.holes else _months_lacking(self.win, col)
        return f"; {col} missing for {', '.join(months)}: left empty" if months else ""


def _span(
    freq: str, when: pd.Timestamp, n_months: int, window_months: int, holes: list[str], no_revenue: list[str]
) -> str:
    """What the flows cover, in words: the trailing months or the period, and what is missing."""
    if freq == "month":
        span = f"trailing {n_months} month{'s' if n_months > 1 else ''} to {when:%Y-%m-%d}" + (
            "" if n_months == window_months else f" (fewer than {window_months} available)"
        )
    else:
        span = f"{freq} ending {when:%Y-%m-%d}"
    if holes:
        span += f"; no figures for {', '.join(holes)}: flows of the window left empty"
    elif no_revenue:
        span += f"; revenue missing for {', '.join(no_revenue)}: flows of revenue left empty"
    return span


def _own_days_note(win: pd.DataFrame, days_basis: int | None, window_months: int) -> str:
    """The partial months of a monthly window, and the days it then counts (:func:`window_days`)."""
    full = _is_full_month(win["period_end"], win["period_days"])
    partial = [
        f"{e:%Y-%m} partial ({int(d)} days)"
        for e, d, f in zip(win["period_end"], win["period_days"], full, strict=True)
        if not f
    ]
    note = f"; {', '.join(partial)}" if partial else ""
    if days_basis is not None and (partial or len(win) < window_months):
        unit = "calendar" if days_basis == 365 else "30/360"
        note += f"; under {window_months} whole months: its own days ({unit}), not twelfths of a year"
    return note


def _kpi_window(
    figures: pd.DataFrame,
    as_of: str | pd.Timestamp | None,
    days_basis: int | None,
    vat_rate: float | None,
    frequency: Frequency,
    window_months: int,
) -> _Window:
    """Check the arguments and pick the rows, the window of flows and its days."""
    if days_basis is not None and days_basis not in (360, 365):
        raise ValueError(f"days_basis must be None, 360 or 365; got {days_basis!r}")
    f = _prepare(figures)
    rows, freq = _pick_rows(f, None if as_of is None else pd.Timestamp(as_of), frequency)
    if not (isinstance(window_months, int) and 1 <= window_months <= 12):
        raise ValueError(f"window_months must be an integer from 1 to 12; got {window_months!r}")
    when = f["period_end"].max() if as_of is None else pd.Timestamp(as_of).normalize()
    win = _window(rows, when, freq, window_months)
    holes = _holes(rows, when, window_months) if freq == "month" else []
    days = window_days(win["period_end"], win["period_days"], days_basis, window_months) if not holes else float("nan")
    n_months = len(win) + len(holes) if freq == "month" else 12 if freq == "year" else round(days / 30.4)
    span = _span(freq, when, n_months, window_months, holes, _months_lacking(win, "revenue"))
    if freq == "month" and not holes:
        span += _own_days_note(win, days_basis, window_months)
    basis = of(figures, FigureBasis)
    period = basis.period if basis is not None else {}
    at_end = period.get("end") == f"{when:%Y-%m-%d}"  # said for the period's end only
    about = f"; {period_sentence(period)}" if at_end else ""
    return _Window(f, rows, freq, when, win, holes, days, n_months, span, days_basis, vat_rate, about)
