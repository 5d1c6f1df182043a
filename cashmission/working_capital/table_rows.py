"""The rows of the KPI table, family by family: volumes, DSO, CEI, DPO, stock days, BFR, cash per day."""

from __future__ import annotations

import math

import pandas as pd

from cashmission.periods import _month_before, month_days
from cashmission.working_capital.conventions import _fmt, _ratio_days
from cashmission.working_capital.measures import (
    _countback,
    collection_effectiveness_index,
    countback_exhausted,
    overdue_rate,
)
from cashmission.working_capital.measures_cycle import working_capital_requirement
from cashmission.working_capital.window import (
    _num,
    _receivables_at,
    _ttc,
    _Window,
)


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
"""What each stock's flow simplifies (see :func:`cashmission.working_capital.measures_cycle.stock_days`)."""


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
