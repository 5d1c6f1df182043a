"""The KPI table and series: every working-capital measure over a period's figures, with its formula."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.meta import FigureBasis, Period, attach, of
from cashmission.periods import _frequency_of, _is_full_month, _month_before, _window, month_days, window_days
from cashmission.problems import fail
from cashmission.working_capital.fec_figures import period_sentence
from cashmission.working_capital.measures import (
    Frequency,
    _countback,
    _fmt,
    _ratio_days,
    collection_effectiveness_index,
    countback_exhausted,
    overdue_rate,
    working_capital_requirement,
)


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


def _kpi(kpi: str, value: float, unit: str, convention: str, formula: str) -> dict[str, object]:
    """One row of the KPI table."""
    return {"kpi": kpi, "value": float(value), "unit": unit, "convention": convention, "formula": formula}


def _ttc_note(w: _Window) -> str:
    _, how = _ttc(w.win, "revenue", "vat_collected", w.vat_rate)
    return {
        "vat": "TTC/TTC (revenue + VAT collected)",
        "rate": f"TTC/TTC (revenue HT × {1 + (w.vat_rate or 0):.2f})",
        None: "TTC/TTC: needs VAT collected (or vat_rate)",
    }[how]


def _volume_rows(w: _Window) -> list[dict[str, object]]:
    """Days, revenue HT and TTC of the window, receivables at its end."""
    revenue, revenue_ttc, receivables = (
        w.total("revenue"),
        w.total("revenue", "vat_collected"),
        w.balance("receivables"),
    )
    return [
        _kpi("days", w.days, "days", w.conv + w.period, f"days counted in the period = {_fmt(w.days, 2)}"),
        _kpi("revenue", revenue, "EUR", f"HT; {w.span}", f"sum of revenue HT = {_fmt(revenue)}"),
        _kpi(
            "revenue_ttc",
            revenue_ttc,
            "EUR",
            f"TTC; {w.span}",
            f"revenue HT + VAT collected = {_fmt(revenue_ttc)}",
        ),
        _kpi(
            "receivables",
            receivables,
            "EUR",
            f"TTC at {w.when:%Y-%m-%d}",
            f"trade receivables = {_fmt(receivables)}",
        ),
    ]


def _countbacks(w: _Window) -> tuple[float, list[str], float, list[str], str]:
    """Countback DSO and best possible DSO walked over the monthly revenue TTC up to ``when``.

    Returns the DSO and its terms, the best possible DSO and its terms, and the convention.
    """
    receivables, not_due = w.balance("receivables"), w.balance("receivables_not_due")
    dso_c = bp = float("nan")
    cb_terms: list[str] = []
    bp_terms: list[str] = []
    if w.freq != "month":
        return dso_c, cb_terms, bp, bp_terms, "needs monthly figures"
    hist = w.rows[w.rows["period_end"] <= w.when]
    sales, _ = _ttc(hist, "revenue", "vat_collected", w.vat_rate)
    if sales is None:
        return dso_c, cb_terms, bp, bp_terms, "needs VAT collected (or vat_rate) for revenue TTC"
    sales.index = pd.DatetimeIndex(hist["period_end"])
    dim = list(month_days(hist["period_end"], hist["period_days"], w.days_basis))
    dso_c, cb_terms = _countback(receivables, sales, dim, "extrapolate")
    exhausted = not math.isnan(dso_c) and countback_exhausted(receivables, sales)
    cb_conv = (
        f"TTC/TTC; {'30-day' if w.days_basis == 360 else 'calendar'} months walked back from "
        f"{w.when:%Y-%m-%d}"
        + (
            "; receivables exceed the whole history: remainder extrapolated at the average daily sales"
            if exhausted
            else ""
        )
    )
    if cb_terms and cb_terms[-1].endswith("walk stopped"):
        cb_conv += f"; {cb_terms[-1]}"
    if not math.isnan(not_due):
        bp, bp_terms = _countback(not_due, sales, dim, "extrapolate")
    return dso_c, cb_terms, bp, bp_terms, cb_conv


_WALK = (
    "months of revenue TTC walked back from the period end: full months add their days, "
    "the last one remaining / its sales × its days"
)


def _dso_rows(w: _Window) -> list[dict[str, object]]:
    """Simple and countback DSO, best possible DSO, average days delinquent, overdue rate."""
    receivables, not_due = w.balance("receivables"), w.balance("receivables_not_due")
    revenue_ttc, days, conv = w.total("revenue", "vat_collected"), w.days, w.conv
    dso_s = _ratio_days(receivables, revenue_ttc, days) if days > 0 else float("nan")
    out = [
        _kpi(
            "dso_simple",
            dso_s,
            "days",
            f"{_ttc_note(w)}; {conv}",
            f"{_fmt(receivables)} / {_fmt(revenue_ttc)} × {_fmt(days, 2)} = {_fmt(dso_s, 2)}",
        )
    ]
    dso_c, cb_terms, bp, bp_terms, cb_conv = _countbacks(w)
    out.append(
        _kpi(
            "dso_countback",
            dso_c,
            "days",
            cb_conv,
            f"{' + '.join(cb_terms)} = {_fmt(dso_c, 2)}" if cb_terms else _WALK,
        )
    )
    if w.freq == "month":
        add_value = dso_c - bp
        out += [
            _kpi(
                "dso_best_possible",
                bp,
                "days",
                cb_conv + "; on receivables not yet due",
                f"{' + '.join(bp_terms)} = {_fmt(bp, 2)}" if bp_terms else _WALK,
            ),
            _kpi(
                "average_days_delinquent",
                add_value,
                "days",
                "countback DSO − best possible DSO",
                f"{_fmt(dso_c, 2)} − {_fmt(bp, 2)} = {_fmt(add_value, 2)}",
            ),
        ]
    else:
        bp = _ratio_days(not_due, revenue_ttc, days)
        add_value = dso_s - bp
        out += [
            _kpi(
                "dso_best_possible",
                bp,
                "days",
                f"simple method on receivables not yet due; {conv}",
                f"{_fmt(not_due)} / {_fmt(revenue_ttc)} × {_fmt(days, 2)} = {_fmt(bp, 2)}",
            ),
            _kpi(
                "average_days_delinquent",
                add_value,
                "days",
                "simple DSO − best possible DSO",
                f"{_fmt(dso_s, 2)} − {_fmt(bp, 2)} = {_fmt(add_value, 2)}",
            ),
        ]
    od = overdue_rate(receivables, not_due) if not math.isnan(not_due) else float("nan")
    out.append(
        _kpi(
            "overdue_rate",
            od,
            "fraction",
            f"share of receivables past due at {w.when:%Y-%m-%d}",
            f"({_fmt(receivables)} − {_fmt(not_due)}) / {_fmt(receivables)} = {_fmt(od, 4)}",
        )
    )
    return out


def _cei_row(w: _Window) -> dict[str, object]:
    """Collection effectiveness index over the window.

    Opening receivables = the balance closing the period just before the window, from any
    row ending that day (the previous month end, or the annual row of the year before).
    """
    receivables, not_due = w.balance("receivables"), w.balance("receivables_not_due")
    first = w.win.iloc[0]
    if w.freq == "month":
        open_date, near = _month_before(first["period_end"]), 0
    else:
        open_date, near = first["period_end"] - pd.Timedelta(days=float(first["period_days"])), 1
    opening_rows = _receivables_at(w.figures, open_date, near)
    cei_win, open_note = w.win, f"opening receivables at {open_date:%Y-%m-%d}"
    if opening_rows.empty and w.freq == "month" and len(w.win) > 1 and not w.holes:
        # no balance before the window: its first month opens the period, over N − 1 months
        opening_rows, cei_win = w.win.iloc[:1], w.win.iloc[1:]
        open_note = (
            f"no receivables at {open_date:%Y-%m-%d}: opening at {first['period_end']:%Y-%m-%d}, "
            f"CEI over the {len(cei_win)} months after it"
        )
    n = len(cei_win) if w.freq == "month" else w.n_months
    opening = _num(opening_rows.iloc[-1], "receivables") if not opening_rows.empty else float("nan")
    if w.holes:
        sales_ttc = float("nan")
    else:
        grossed, _ = _ttc(cei_win, "revenue", "vat_collected", w.vat_rate)
        sales_ttc = float(grossed.sum()) if grossed is not None and grossed.notna().all() else float("nan")
    needs = [
        text
        for value, text in (
            (opening, f"receivables at {open_date:%Y-%m-%d} (opening)"),
            (sales_ttc, "revenue TTC of every month of the period (VAT collected or vat_rate)"),
            (receivables, "receivables"),
            (not_due, "receivables not yet due"),
        )
        if math.isnan(value)
    ]
    if needs:
        cei = float("nan")
        cei_formula = "needs " + ", ".join(needs)
    else:
        cei = collection_effectiveness_index(opening, sales_ttc, receivables, not_due, n)
        cei_formula = (
            f"({_fmt(opening)} + {_fmt(sales_ttc)} / {n} − {_fmt(receivables)}) / "
            f"({_fmt(opening)} + {_fmt(sales_ttc)} / {n} − {_fmt(not_due)}) = {_fmt(cei, 4)}"
        )
    return _kpi(
        "collection_effectiveness_index",
        cei,
        "fraction",
        f"Credit Research Foundation, as a fraction (×100 for the CRF figure); N = {n} months; {open_note}",
        cei_formula,
    )


def _economic_dso_row(w: _Window) -> dict[str, object]:
    """DSO with factored and discounted receivables added back (a missing one counts 0, said)."""
    receivables, revenue_ttc, days, conv = w.balance("receivables"), w.total("revenue", "vat_collected"), w.days, w.conv
    factored = w.balance("factored_receivables")
    discounted = w.balance("discounted_receivables")
    econ_conv = f"{_ttc_note(w)}; factored and discounted receivables added back; {conv}"
    if math.isnan(factored) and math.isnan(discounted):
        dso_e = float("nan")
        econ_conv = f"no factoring or discount figures given: economic DSO left empty; {conv}"
        econ_formula = "needs factored_receivables or discounted_receivables"
    else:
        for name, value in (("factored", factored), ("discounted", discounted)):
            if math.isnan(value):
                econ_conv += f"; no {name} receivables given: counted 0"
        factored_0 = 0.0 if math.isnan(factored) else factored
        discounted_0 = 0.0 if math.isnan(discounted) else discounted
        dso_e = _ratio_days(receivables + factored_0 + discounted_0, revenue_ttc, days)
        econ_formula = (
            f"({_fmt(receivables)} + {_fmt(factored_0)} + {_fmt(discounted_0)}) / {_fmt(revenue_ttc)} × "
            f"{_fmt(days, 2)} = {_fmt(dso_e, 2)}"
        )
    return _kpi("dso_economic", dso_e, "days", econ_conv, econ_formula)


def _dpo_row(w: _Window) -> dict[str, object]:
    payables, purchases_ttc, days = w.balance("payables"), w.total("purchases", "vat_deductible"), w.days
    d_po = _ratio_days(payables, purchases_ttc, days)
    return _kpi(
        "dpo",
        d_po,
        "days",
        f"TTC/TTC (purchases HT + deductible VAT); {w.conv}{w.lacking('purchases')}",
        f"{_fmt(payables)} / {_fmt(purchases_ttc)} × {_fmt(days, 2)} = {_fmt(d_po, 2)}",
    )


# stock key, stock column, flow column, flow label
_STOCKS = (
    ("raw_materials", "stock_raw_materials", "purchases_raw_materials", "raw-material purchases HT"),
    ("goods", "stock_goods", "purchases_goods", "goods purchases HT"),
    ("finished_goods", "stock_finished_goods", "revenue", "revenue HT"),
)
_SIMPLIFIED = {
    "purchases_raw_materials": "simplified: purchases, not consumption",
    "purchases_goods": "simplified: purchases, not consumption",
    "revenue": "simplified: revenue, not the cost of production",
}
"""What each stock's flow simplifies (see :func:`cashmission.working_capital.measures.stock_days`)."""


def _stock_rows(w: _Window) -> list[dict[str, object]]:
    """Stock days of each stock: stock HT at ``when`` / its flow HT × days."""
    out = []
    for key, stock_col, flow_col, flow_label in _STOCKS:
        stock, flow = w.balance(stock_col), w.total(flow_col)
        value = _ratio_days(stock, flow, w.days) if not math.isnan(stock) else float("nan")
        out.append(
            _kpi(
                f"stock_days_{key}",
                value,
                "days",
                f"HT; stock at {w.when:%Y-%m-%d} / {flow_label} ({_SIMPLIFIED[flow_col]}); {w.conv}"
                + ("" if flow_col == "revenue" or math.isnan(stock) else w.lacking(flow_col)),
                f"{_fmt(stock)} / {_fmt(flow)} × {_fmt(w.days, 2)} = {_fmt(value, 2)}",
            )
        )
    return out


def _bfr_rows(w: _Window) -> list[dict[str, object]]:
    """BFR (stocks HT + receivables TTC − payables TTC) and BFR in days of revenue HT."""
    receivables, payables = w.balance("receivables"), w.balance("payables")
    stocks = {key: w.balance(stock_col) for key, stock_col, _, _ in _STOCKS}
    stock_total = sum(0.0 if math.isnan(s) else s for s in stocks.values())
    no_stock = [f"stock_{k}" for k, s in stocks.items() if math.isnan(s)]
    bfr_conv = (
        f"trade working capital only: stocks HT + receivables TTC − payables TTC at {w.when:%Y-%m-%d} "
        "(VAT, social and tax debts, advances, prepaid items left out)"
    )
    if no_stock:
        bfr_conv += f"; {', '.join(no_stock)} not given: counted 0"
    unknown = [name for name, value in (("receivables", receivables), ("payables", payables)) if math.isnan(value)]
    if unknown:
        bfr = float("nan")
        bfr_conv += f"; {' and '.join(unknown)} missing: BFR left empty"
    else:
        bfr = working_capital_requirement(stock_total, receivables, payables)
    revenue = w.total("revenue")
    bfr_d = _ratio_days(bfr, revenue, w.days)
    return [
        _kpi(
            "bfr",
            bfr,
            "EUR",
            bfr_conv,
            f"{_fmt(stock_total)} + {_fmt(receivables)} − {_fmt(payables)} = {_fmt(bfr)}",
        ),
        _kpi(
            "bfr_days",
            bfr_d,
            "days",
            f"days of revenue HT; {w.conv}",
            f"{_fmt(bfr)} / {_fmt(revenue)} × {_fmt(w.days, 2)} = {_fmt(bfr_d, 2)}",
        ),
    ]


def _cash_per_day_rows(w: _Window) -> list[dict[str, object]]:
    """Cash worth one day of each flow: flow / days."""
    flows = {key: w.total(flow_col) for key, _, flow_col, _ in _STOCKS}
    out = []
    for kpi, flow, label in (
        ("cash_per_day_dso", w.total("revenue", "vat_collected"), "revenue TTC"),
        ("cash_per_day_dpo", w.total("purchases", "vat_deductible"), "purchases TTC"),
        ("cash_per_day_stock_raw_materials", flows["raw_materials"], "raw-material purchases HT"),
        ("cash_per_day_stock_goods", flows["goods"], "goods purchases HT"),
        ("cash_per_day_stock_finished_goods", flows["finished_goods"], "revenue HT"),
    ):
        value = flow / w.days if w.days > 0 else float("nan")
        out.append(
            _kpi(
                kpi,
                value,
                "EUR",
                f"cash worth one day; {w.conv}",
                f"{label} {_fmt(flow)} / {_fmt(w.days, 2)} = {_fmt(value, 2)}",
            )
        )
    return out


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


_WINDOW_FREE = frozenset(
    {"receivables", "overdue_rate", "bfr", "dso_countback", "dso_best_possible", "average_days_delinquent"}
)
"""KPIs of :func:`kpi_table` that do not depend on the window of flows (balances, and the
countback, which walks all the months up to the date)."""


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
