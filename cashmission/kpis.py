"""Working-capital KPIs (*indicateurs de BFR*): DSO, DPO, stock days, BFR, cash per day.

One pure function per measure, named by what it returns, plus three tables built from
the canonical ``working_capital`` table (:mod:`cashmission.schemas`):
:func:`kpi_table` (every KPI at one period end, each with the formula filled in with
its numbers), :func:`kpi_series` (month by month) and :func:`bfr_tracking` (N−1, N
and the variation).  :func:`dso_bridge` explains a change of DSO by its causes.

The figures come either from a FEC (``cashmission.fec.fec_monthly_figures``) or from
the Excel template written by :func:`write_kpi_template` and read back by
:func:`read_kpi_template`.

Conventions
-----------
- Receivables and payables are on the ledger tax included (TTC); revenue, purchases
  and stocks excluding tax (HT).  DSO and DPO put both sides on one basis: TTC/TTC
  (the French practice, by default) or HT/HT through a VAT rate; a mixed ratio cannot
  be asked for.
- Days: calendar days of the period by default; ``days_basis=360`` or ``365`` counts a
  year as that many days and a month as a twelfth of it.
- Ratios are fractions (0.25 = 25 %); days and amounts are plain floats; an undefined
  ratio (no sales, no purchases) is NaN, never a division error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from cashmission.checks import LoadReport, Problem, fail, is_missing

Basis = Literal["ttc", "ht"]
BeyondHistory = Literal["extrapolate", "cap", "raise"]
Frequency = Literal["auto", "month", "year"]

__all__ = [
    "BRIDGE_CAUSES",
    "TEMPLATE_COLUMNS",
    "average_days_delinquent",
    "bfr_tracking",
    "cash_at_stake",
    "cash_per_day",
    "cash_released",
    "collection_effectiveness_index",
    "days_beyond_terms",
    "dpo",
    "dso_best_possible",
    "dso_bridge",
    "dso_bridge_between",
    "dso_components",
    "dso_countback",
    "dso_economic",
    "dso_simple",
    "figure_warnings",
    "kpi_series",
    "kpi_table",
    "load_kpi_input",
    "overdue_rate",
    "read_figures_csv",
    "read_kpi_template",
    "stock_days",
    "trailing_revenue_ttc",
    "working_capital_days",
    "working_capital_requirement",
    "write_kpi_template",
]


# --------------------------------------------------------------------------- helpers
def _check_days(days: float, name: str = "days") -> float:
    d = float(days)
    if not d > 0 or math.isinf(d):
        raise ValueError(f"{name} must be a positive number of days (e.g. 30, 90, 360, 365); got {days!r}")
    return d


def _check_basis(value: str, name: str) -> str:
    if value not in ("ttc", "ht"):
        raise ValueError(f"{name} must be 'ttc' or 'ht'; got {value!r}")
    return value


def _same_basis(
    balance_ttc: float,
    flow: float,
    *,
    flow_is: str,
    basis: str,
    vat_rate: float | None,
    flow_name: str,
    balance_name: str,
) -> tuple[float, float]:
    """Put a TTC balance and a flow on the same tax basis; refuse a silent mix."""
    _check_basis(flow_is, f"{flow_name}_is")
    _check_basis(basis, "basis")
    if vat_rate is not None and not 0 <= float(vat_rate) < 1:
        raise ValueError(f"vat_rate is a fraction between 0 and 1 (0.20 for 20 %); got {vat_rate!r}")
    if flow_is == basis == "ttc":
        return float(balance_ttc), float(flow)
    if vat_rate is None:
        raise ValueError(
            f"{balance_name} are TTC and {flow_name} is {flow_is.upper()} with basis={basis!r}: "
            f"give vat_rate (e.g. 0.20) to put both on the {basis.upper()} basis, "
            f"or pass {flow_name} TTC with {flow_name}_is='ttc' and basis='ttc'"
        )
    gross = 1.0 + float(vat_rate)
    flow_ttc = float(flow) * gross if flow_is == "ht" else float(flow)
    if basis == "ttc":
        return float(balance_ttc), flow_ttc
    return float(balance_ttc) / gross, flow_ttc / gross


def _ratio_days(balance: float, flow: float, days: float) -> float:
    if not flow > 0:  # zero, negative or NaN flow: the ratio means nothing
        return float("nan")
    return float(balance) / float(flow) * days


# --------------------------------------------------------------------------- DSO
def dso_simple(
    receivables: float,
    revenue: float,
    days: float,
    *,
    revenue_is: Basis,
    basis: Basis = "ttc",
    vat_rate: float | None = None,
) -> float:
    """Days sales outstanding, simple method (*DSO, méthode comptable*).

    Parameters
    ----------
    receivables : trade receivables at the period end, tax included (TTC), as on the
        ledger.
    revenue : revenue of the period, HT or TTC as said by ``revenue_is``.
    days : days of the period (30, 90, 360, 365 …).
    revenue_is : ``"ttc"`` or ``"ht"``: the tax basis of ``revenue``.  Required, so that
        a call always says what it divides.
    basis : ``"ttc"`` (TTC/TTC, default) or ``"ht"`` (HT/HT).
    vat_rate : effective VAT rate as a fraction (0.20); needed whenever a side must be
        converted (revenue HT with basis TTC, or basis HT).

    Returns
    -------
    float : days; NaN when revenue is zero or negative (undefined).  Negative
    receivables (customers in credit overall) give a negative DSO, shown as is.

    Notes
    -----
    DSO = receivables / revenue × days, with receivables and revenue on the same tax
    basis: TTC/TTC (receivables / (revenue HT × (1 + VAT))) or HT/HT
    ((receivables / (1 + VAT)) / revenue HT).  Both give the same number; what is
    refused is the mixed ratio receivables TTC / revenue HT, which overstates DSO by
    the VAT rate (20 % in France).  Source: French practice (DFCG, Banque de France).

    Examples
    --------
    Outstanding TTC 5,700, revenue TTC of the quarter 7,600, 91 days:

    >>> round(dso_simple(5_700, 7_600, 91, revenue_is="ttc"), 2)
    68.25
    >>> round(dso_simple(1_200, 1_000, 30, revenue_is="ht", vat_rate=0.20), 2)
    30.0
    """
    d = _check_days(days)
    r, rev = _same_basis(
        receivables,
        revenue,
        flow_is=revenue_is,
        basis=basis,
        vat_rate=vat_rate,
        flow_name="revenue",
        balance_name="receivables",
    )
    return _ratio_days(r, rev, d)


def _months(
    sales_by_month: pd.Series | Sequence[float],
    days_in_month: float | Sequence[float] | pd.Series | None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Sales, days and a label per month, most recent first.

    A dated series with a hole (no November between October and December) gets the
    missing month back with unknown sales (NaN), so that the walk cannot jump over it.
    """
    if isinstance(sales_by_month, pd.Series):
        sales = sales_by_month
    else:
        sales = pd.Series(list(sales_by_month), dtype="float64")
    if len(sales) == 0:
        raise ValueError("sales_by_month is empty: countback needs at least one month of sales")
    index = sales.index
    dated = isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))
    if not dated and not isinstance(index, pd.RangeIndex):
        raise ValueError(
            f"sales_by_month must be indexed by month end (DatetimeIndex or PeriodIndex) or be a plain "
            f"sequence, most recent month first; got an index of type {type(index).__name__}"
        )
    if days_in_month is None:
        if not dated:
            raise ValueError(
                "days_in_month is required when sales_by_month has no dates "
                "(give e.g. [31, 30, 31], or 30 for 30-day months)"
            )
        days = pd.Series(np.asarray(index.days_in_month, dtype="float64"), index=index)
    elif np.isscalar(days_in_month):
        days = pd.Series(float(days_in_month), index=index)  # type: ignore[arg-type]
    else:
        values = np.asarray(list(days_in_month), dtype="float64")  # type: ignore[arg-type]
        if len(values) != len(sales):
            raise ValueError(f"days_in_month has {len(values)} values for {len(sales)} months of sales")
        days = pd.Series(values, index=index)
    if (days <= 0).any() or days.isna().any():
        raise ValueError(f"days_in_month must be positive; got {days.tolist()}")
    values = pd.to_numeric(sales, errors="coerce").astype("float64")
    if not dated:
        labels = [f"month {k} back" if k else "the last month" for k in range(len(values))]
        return values.to_numpy(), days.to_numpy(), labels
    periods = index.asfreq("M") if isinstance(index, pd.PeriodIndex) else pd.DatetimeIndex(index).to_period("M")
    frame = pd.DataFrame({"sales": values.to_numpy(), "days": days.to_numpy()}, index=periods)
    holes = pd.period_range(periods.min(), periods.max(), freq="M").difference(periods)
    if len(holes):
        fill = float(days_in_month) if days_in_month is not None and np.isscalar(days_in_month) else None
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    {
                        "sales": np.nan,
                        "days": [fill if fill is not None else float(h.days_in_month) for h in holes],
                    },
                    index=holes,
                ),
            ]
        )
    frame = frame.sort_index(ascending=False, kind="stable")
    return frame["sales"].to_numpy(), frame["days"].to_numpy(), [str(p) for p in frame.index]


def dso_countback(
    receivables: float,
    sales_by_month: pd.Series | Sequence[float],
    days_in_month: float | Sequence[float] | pd.Series | None = None,
    *,
    beyond_history: BeyondHistory = "extrapolate",
) -> float:
    """Days sales outstanding, countback method (*DSO par épuisement du chiffre d'affaires*).

    Parameters
    ----------
    receivables : receivables at the period end, on the same tax basis as the sales
        (normally both TTC).
    sales_by_month : monthly sales, either a Series indexed by month (DatetimeIndex of
        month ends or PeriodIndex, any order) or a plain sequence, most recent month
        first.
    days_in_month : days counted for each month.  ``None`` (default) takes the calendar
        days from a dated index; a number (30) is used for every month; a sequence is
        matched position by position with ``sales_by_month`` as given (use it for a
        partial current month: ``[15, 31, 30]``).
    beyond_history : what to do when the receivables exceed all the sales given:
        ``"extrapolate"`` (default) adds the remainder at the average daily sales of the
        whole history; ``"cap"`` returns the days of the whole history (a lower bound);
        ``"raise"`` raises ValueError.

    Returns
    -------
    float : days.  0.0 for zero receivables; NaN for negative receivables (a credit
    balance has no days of sales), when the history must be extrapolated but holds
    no sales, and when the walk reaches a month whose sales are unknown (NaN, or a
    month absent between two months of a dated series): an unknown month is never
    taken as a month without sales.

    Notes
    -----
    From the period end, walk back month by month: a month whose sales fit in what is
    left of the receivables adds its days and is subtracted; the month where the
    receivables run out adds ``left / sales × its days`` and the walk stops.  A month
    with zero or negative net sales (credit notes) consumes nothing and adds its days.
    Source: Credit Research Foundation; French *méthode par épuisement du CA*.

    Examples
    --------
    500,000 of receivables; December 200,000, November 180,000, October 220,000:
    31 + 30 + 120,000 / 220,000 × 31 = 77.91.

    >>> round(dso_countback(500_000, [200_000, 180_000, 220_000], [31, 30, 31]), 2)
    77.91
    >>> sales = pd.Series([700, 800, 1_200], index=pd.to_datetime(["2024-09-30", "2024-10-31", "2024-11-30"]))
    >>> round(dso_countback(2_500, sales), 2)
    82.43
    """
    return _countback(receivables, sales_by_month, days_in_month, beyond_history)[0]


def _countback(
    receivables: float,
    sales_by_month: pd.Series | Sequence[float],
    days_in_month: float | Sequence[float] | pd.Series | None,
    beyond_history: str,
) -> tuple[float, list[str]]:
    """The countback value and the terms of its sum, as text (for the formula column)."""
    if beyond_history not in ("extrapolate", "cap", "raise"):
        raise ValueError(f"beyond_history must be 'extrapolate', 'cap' or 'raise'; got {beyond_history!r}")
    sales, days, labels = _months(sales_by_month, days_in_month)
    left = float(receivables)
    if math.isnan(left):
        return float("nan"), ["receivables unknown"]
    if left < 0:
        return float("nan"), ["negative receivables: no days of sales"]
    total, terms = 0.0, []
    for s, d, month in zip(sales, days, labels, strict=True):
        if left <= 0:
            return total, terms
        if math.isnan(float(s)):  # an unknown month is not a month without sales
            return float("nan"), [*terms, f"sales of {month} missing: walk stopped"]
        s = max(float(s), 0.0)
        if s >= left:
            terms.append(f"{_fmt(left)} / {_fmt(s)} × {_fmt(float(d), 0)}")
            return total + left / s * float(d), terms
        total += float(d)
        terms.append(_fmt(float(d), 0))
        left -= s
    if left <= 0:
        return total, terms
    if beyond_history == "cap":
        return total, [*terms, f"(history exhausted, {_fmt(left)} left uncounted)"]
    if beyond_history == "raise":
        raise ValueError(
            f"receivables {float(receivables):,.2f} exceed the {len(sales)} months of sales given "
            f"({float(np.clip(sales, 0, None).sum()):,.2f}): give more history or choose "
            f"beyond_history='extrapolate' or 'cap'"
        )
    history = float(np.clip(sales, 0, None).sum())
    daily = history / float(days.sum())
    if not daily > 0:
        return float("nan"), [*terms, "no sales to extrapolate from"]
    terms.append(f"{_fmt(left)} / ({_fmt(history)} / {_fmt(float(days.sum()), 0)})")
    return total + left / daily, terms


def countback_exhausted(receivables: float, sales_by_month: pd.Series | Sequence[float]) -> bool:
    """True when ``receivables`` exceed all the sales given (the countback runs out of history).

    >>> countback_exhausted(5_000, [1_000, 1_000])
    True
    """
    values = pd.Series(sales_by_month, dtype="float64") if not isinstance(sales_by_month, pd.Series) else sales_by_month
    return bool(float(receivables) > float(values.fillna(0).clip(lower=0).sum()))


def dso_best_possible(
    receivables_not_due: float,
    sales_by_month: pd.Series | Sequence[float],
    days_in_month: float | Sequence[float] | pd.Series | None = None,
    *,
    beyond_history: BeyondHistory = "extrapolate",
) -> float:
    """Best possible DSO (*DSO incompressible*): the countback on the not-yet-due receivables.

    Notes
    -----
    BPDSO = countback DSO of the receivables not yet due, same sales, same days; it is
    the DSO the company would have if every customer paid on its due date, so it
    measures the payment terms granted.  Source: Credit Research Foundation.

    >>> dso_best_possible(150_000, [200_000, 180_000], [31, 30])
    23.25
    """
    return dso_countback(receivables_not_due, sales_by_month, days_in_month, beyond_history=beyond_history)


def average_days_delinquent(dso: float, best_possible_dso: float) -> float:
    """Average days delinquent (*retard moyen de paiement*, ADD) = DSO − best possible DSO.

    Notes
    -----
    Both DSO must come from the same method (countback with countback, simple with
    simple).  Source: Credit Research Foundation.

    >>> round(average_days_delinquent(77.91, 23.25), 2)
    54.66
    """
    return float(dso) - float(best_possible_dso)


def overdue_rate(receivables: float, receivables_not_due: float) -> float:
    """Overdue rate (*taux d'échu*): share of the receivables past their due date.

    Notes
    -----
    (receivables − receivables not due) / receivables, a fraction.  NaN when the
    receivables are zero or negative.  Source: domain conventions (*créances échues /
    non échues*); a due date passed is overdue from the next day, as for late-payment
    interest under Code de commerce L441-10.

    >>> overdue_rate(400_000, 300_000)
    0.25
    """
    r = float(receivables)
    if not r > 0:
        return float("nan")
    return (r - float(receivables_not_due)) / r


def collection_effectiveness_index(
    opening_receivables: float,
    credit_sales: float,
    closing_receivables: float,
    closing_current_receivables: float,
    months: int,
) -> float:
    """Collection effectiveness index (*indice d'efficacité du recouvrement*, CEI), as a fraction.

    Parameters
    ----------
    opening_receivables : total receivables at the start of the period.
    credit_sales : credit sales over the period (TTC, like the receivables).
    closing_receivables : total receivables at the end.
    closing_current_receivables : receivables not yet due at the end.
    months : N, the number of months of the period.

    Returns
    -------
    float : a fraction (0.8 means the CRF's "80"); 1.0 means everything collectable
    was collected.  NaN when the denominator is zero.

    Notes
    -----
    CEI = (opening + credit sales / N − closing total) / (opening + credit sales / N −
    closing current).  The Credit Research Foundation multiplies by 100; this function
    returns the fraction, like every ratio in cashmission.

    >>> collection_effectiveness_index(1_000, 1_200, 1_000, 700, 12)
    0.25
    """
    if int(months) < 1:
        raise ValueError(f"months must be a whole number of months, at least 1; got {months!r}")
    base = float(opening_receivables) + float(credit_sales) / int(months)
    den = base - float(closing_current_receivables)
    if den == 0 or math.isnan(den):
        return float("nan")
    return (base - float(closing_receivables)) / den


def days_beyond_terms(paid: pd.DataFrame) -> float:
    """Days beyond terms (*retard de paiement moyen pondéré*) of paid invoices, amount-weighted.

    Parameters
    ----------
    paid : one row per paid invoice with columns ``amount``, ``due_date`` and
        ``payment_date``.  Rows with an amount of zero or less (credit notes) carry no
        terms and are left out.

    Returns
    -------
    float : days; NaN when no invoice is left.

    Notes
    -----
    Per invoice: max(0, payment date − due date) in days; for the portfolio:
    Σ amount × days / Σ amount.  Early payments count as 0, not as negative days.
    Source: domain conventions ("days beyond terms of a paid invoice: max(0, payment
    date − due date); of a portfolio: amount-weighted"), after the Credit Research
    Foundation's days beyond terms; the due date is the one agreed under Code de
    commerce L441-10 (at most 60 days from invoice, or 45 days end of month).

    >>> paid = pd.DataFrame({"amount": [1_000.0, 3_000.0],
    ...     "due_date": pd.to_datetime(["2024-01-31", "2024-01-31"]),
    ...     "payment_date": pd.to_datetime(["2024-02-10", "2024-01-20"])})
    >>> days_beyond_terms(paid)
    2.5
    """
    missing = [c for c in ("amount", "due_date", "payment_date") if c not in paid.columns]
    if missing:
        raise ValueError(f"paid needs columns amount, due_date, payment_date; missing: {', '.join(missing)}")
    amount = pd.to_numeric(paid["amount"], errors="coerce")
    keep = amount > 0
    unpaid = int((keep & (paid["payment_date"].isna() | paid["due_date"].isna())).sum())
    if unpaid:
        raise ValueError(f"{unpaid} invoice(s) have no payment_date or due_date: pass paid invoices only")
    a = amount[keep]
    if a.empty:
        return float("nan")
    late = (pd.to_datetime(paid.loc[keep, "payment_date"]) - pd.to_datetime(paid.loc[keep, "due_date"])).dt.days
    late = late.clip(lower=0).astype("float64")
    return float((a * late).sum() / a.sum())


def dso_economic(
    receivables: float,
    factored: float,
    discounted: float,
    revenue: float,
    days: float,
    *,
    revenue_is: Basis,
    basis: Basis = "ttc",
    vat_rate: float | None = None,
) -> float:
    """Economic DSO (*DSO économique*): simple DSO with factored and discounted receivables added back.

    Notes
    -----
    (receivables + factored receivables + discounted bills not yet due) / revenue ×
    days, on one tax basis as in :func:`dso_simple`.  Factoring and discounting take
    receivables off the balance sheet: the reported DSO falls although customers pay
    no faster.  When neither amount is given (both None or NaN) the economic DSO is
    NaN: nothing says there is no factoring.  When one is given, the other missing
    counts as zero.  Source: domain conventions ("economic DSO adds factored and
    discounted receivables back into the receivables, otherwise factoring flatters
    DSO"), the French *DSO économique*.

    >>> dso_economic(300_000, 150_000, 50_000, 3_000_000, 360, revenue_is="ttc")
    60.0
    """
    given = [float(x) for x in (factored, discounted) if x is not None and not pd.isna(x)]
    if not given:
        return float("nan")
    extra = sum(given)
    return dso_simple(
        float(receivables) + extra,
        revenue,
        days,
        revenue_is=revenue_is,
        basis=basis,
        vat_rate=vat_rate,
    )


# --------------------------------------------------------------------------- DPO, stocks, BFR
def dpo(
    payables: float,
    purchases: float,
    days: float,
    *,
    purchases_is: Basis,
    basis: Basis = "ttc",
    vat_rate: float | None = None,
) -> float:
    """Days payable outstanding (*délai fournisseurs*, DPO).

    Notes
    -----
    DPO = payables / purchases × days, both on one tax basis: payables are TTC on the
    ledger, so purchases are taken TTC (purchases HT + deductible VAT, or × (1 + VAT))
    or both HT through ``vat_rate``; see :func:`dso_simple` for the rules.  NaN when
    purchases are zero.  Source: domain conventions ("DPO = payables / purchases ×
    days"); 360-day year of the Banque de France or 365 days through ``days``.

    >>> dpo(100_000, 600_000, 360, purchases_is="ttc")
    60.0
    """
    d = _check_days(days)
    p, buy = _same_basis(
        payables,
        purchases,
        flow_is=purchases_is,
        basis=basis,
        vat_rate=vat_rate,
        flow_name="purchases",
        balance_name="payables",
    )
    return _ratio_days(p, buy, d)


def stock_days(stock: float, flow: float, days: float) -> float:
    """Stock rotation in days (*rotation des stocks en jours*).

    Notes
    -----
    stock / flow × days, everything excluding tax: raw materials against raw-material
    purchases, goods for resale against goods purchases, finished goods and work in
    progress against revenue.  NaN when the flow is zero.  Source: domain conventions
    (stock rotation in days: raw materials / raw-material purchases × 365, goods /
    goods purchases × 365, finished goods and WIP / revenue × 365); ``days`` = 360
    for the Banque de France convention.

    >>> stock_days(50_000, 600_000, 360)
    30.0
    """
    return _ratio_days(float(stock), float(flow), _check_days(days))


def working_capital_requirement(stocks: float, receivables: float, payables: float) -> float:
    """Operating working-capital requirement (*besoin en fonds de roulement d'exploitation*, BFR), in €.

    Notes
    -----
    BFR = stocks + trade receivables − trade payables, as on the balance sheet (stocks
    HT, receivables and payables TTC).  Source: domain conventions ("BFR = stocks +
    receivables − payables"), the French *BFR d'exploitation*.

    >>> working_capital_requirement(200_000, 500_000, 300_000)
    400000.0
    """
    return float(stocks) + float(receivables) - float(payables)


def working_capital_days(bfr: float, revenue: float, days: float) -> float:
    """Working-capital requirement in days of revenue (*BFR en jours de CA*).

    Notes
    -----
    BFR / revenue HT × days (360 or 365 for a year).  NaN when revenue is zero.
    Source: domain conventions ("in days of revenue = BFR / revenue × 360 or 365"),
    360 days being the Banque de France convention.

    >>> working_capital_days(400_000, 3_600_000, 360)
    40.0
    """
    return _ratio_days(float(bfr), float(revenue), _check_days(days))


def cash_per_day(flow_ttc: float, days: float) -> float:
    """Cash worth one day (*valeur d'un jour*): what one day of DSO, DPO or stock is worth.

    Notes
    -----
    flow / days: revenue TTC for a day of DSO ("what does one day of customer terms
    gained bring in cash?"), purchases TTC for a day of DPO, the stock's flow (HT) for
    a day of stock.  Source: domain conventions ("cash worth one day of DSO ≈ revenue
    TTC / 365"); ``days`` = 360 for the Banque de France year.

    >>> cash_per_day(3_650_000, 365)
    10000.0
    """
    return float(flow_ttc) / _check_days(days)


def cash_released(current_dso: float, target_dso: float, revenue_ttc: float, days: float) -> float:
    """Cash released (*trésorerie libérée*) by bringing DSO from current to target.

    Notes
    -----
    (current DSO − target DSO) × revenue TTC / days; negative when the target is
    above the current DSO (cash consumed).  Works the same for stock days with the
    stock's flow.  Source: domain conventions (cash worth one day of DSO × the days
    gained).

    >>> cash_released(65, 60, 3_650_000, 365)
    50000.0
    """
    return (float(current_dso) - float(target_dso)) * cash_per_day(revenue_ttc, days)


def cash_at_stake(
    table: pd.DataFrame,
    target_dso: float | None = None,
    target_dpo: float | None = None,
    target_stock_days: Mapping[str, float] | None = None,
    *,
    dso_kpi: str = "dso_simple",
) -> pd.DataFrame:
    """Cash at stake (*trésorerie en jeu*): cash released by reaching target days, from a :func:`kpi_table`.

    ``target_stock_days`` maps a stock kind (``raw_materials``, ``goods``,
    ``finished_goods``, or the KPI key ``stock_days_<kind>``) to its target days.

    One row per lever (``dso_kpi``, ``dpo``, ``stock_days_*``):
    ``current``, ``target``, ``cash_per_day`` (the value of one day) and
    ``cash_released`` = (current − target) × cash per day for DSO and stocks,
    (target − current) × cash per day for DPO (paying later releases cash).  Without a
    target, ``target`` and ``cash_released`` are NaN: the value of one day still shows.

    The DSO lever is the simple-method DSO by default: one of its days is worth exactly
    revenue TTC / days (``cash_per_day_dso``); ``dso_kpi="dso_countback"`` uses the
    professional norm, for which that value of a day is an approximation.

    Source: domain conventions (cash worth one day × the days gained, as
    :func:`cash_released`); 60 days is the legal cap on payment terms (Code de commerce
    L441-10), a natural DPO target.

    >>> table = pd.DataFrame({"kpi": ["dso_simple", "cash_per_day_dso"], "value": [65.0, 10_000.0]})
    >>> cash_at_stake(table, target_dso=60)[["kpi", "cash_released"]]
              kpi  cash_released
    0  dso_simple        50000.0
    """
    v = table.set_index("kpi")["value"]
    stock_targets = {
        k if str(k).startswith("stock_days_") else f"stock_days_{k}": t for k, t in (target_stock_days or {}).items()
    }
    dso_key = dso_kpi if dso_kpi in v.index and not is_missing(v[dso_kpi]) else "dso_simple"
    levers = [(dso_key, "cash_per_day_dso", target_dso, 1.0), ("dpo", "cash_per_day_dpo", target_dpo, -1.0)]
    for k in ("raw_materials", "goods", "finished_goods"):
        levers.append((f"stock_days_{k}", f"cash_per_day_stock_{k}", stock_targets.get(f"stock_days_{k}"), 1.0))
    rows = []
    for key, per_day_key, target, sign in levers:
        if key not in v.index or is_missing(v[key]) or per_day_key not in v.index:
            continue
        current, per_day = float(v[key]), float(v[per_day_key])
        released = float("nan") if target is None else sign * (current - float(target)) * per_day
        rows.append(
            {
                "kpi": key,
                "current": current,
                "target": float("nan") if target is None else float(target),
                "cash_per_day": per_day,
                "cash_released": released,
            }
        )
    return pd.DataFrame(rows, columns=["kpi", "current", "target", "cash_per_day", "cash_released"])


# --------------------------------------------------------------------------- DSO bridge
BRIDGE_CAUSES: tuple[str, ...] = (
    "not_due",
    "overdue_undisputed",
    "disputed",
    "unapplied_cash_and_credits",
    "factored",
    "sales_level",
)
"""Rows of :func:`dso_bridge`, in order: payment terms granted (not-due part), payment
delays (overdue, undisputed), disputes, unapplied cash and credit notes, factoring,
and the sales level / seasonality (the revenue denominator)."""

_COMPONENTS = BRIDGE_CAUSES[:-1]


def dso_components(
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    revenue_ttc: float,
    days: float,
    *,
    factoring_derecognised: bool = True,
) -> pd.Series:
    """Receivables split into the causes of :func:`dso_bridge` (*décomposition du poste clients*).

    Parameters
    ----------
    items : open items at ``as_of`` (canonical ``open_items`` table; see
        ``receivables.open_at``); uses ``document_type``, ``due_date``, ``amount`` and,
        when present, ``dispute`` and ``factored``.
    as_of : the date of the picture.
    revenue_ttc, days : revenue TTC of the period that ends at ``as_of`` and its days.
    factoring_derecognised : True (default) when items assigned to the factor are off
        the balance sheet: they are counted in their bucket and taken out again in
        ``factored``.  False when they stay on the balance sheet (then ``factored`` is 0).

    Returns
    -------
    Series with ``not_due``, ``overdue_undisputed``, ``disputed``,
    ``unapplied_cash_and_credits`` (negative), ``factored`` (positive amount taken off
    the balance), ``revenue_ttc`` and ``days``.  The reported receivables are
    not_due + overdue_undisputed + disputed + unapplied_cash_and_credits − factored.

    Notes
    -----
    Credit notes and payments (unapplied cash) go to ``unapplied_cash_and_credits``
    whatever their dates; other items go to ``disputed`` when flagged, else to
    ``overdue_undisputed`` when ``due_date < as_of``, else to ``not_due``.

    >>> items = pd.DataFrame({"document_type": ["invoice", "invoice", "invoice", "credit_note"],
    ...     "due_date": pd.to_datetime(["2024-07-15", "2024-06-10", "2024-05-31", "2024-06-01"]),
    ...     "amount": [600.0, 300.0, 200.0, -100.0], "dispute": [False, False, True, False]})
    >>> dso_components(items, "2024-06-30", 1_000.0, 30)[list(_COMPONENTS)].tolist()
    [600.0, 300.0, 200.0, -100.0, 0.0]
    """
    d = pd.Timestamp(as_of)
    amount = pd.to_numeric(items["amount"], errors="coerce").fillna(0.0)
    credit = items["document_type"].isin(["credit_note", "payment"])
    disputed = items["dispute"].fillna(False).astype(bool) if "dispute" in items.columns else False
    overdue = pd.to_datetime(items["due_date"]) < d
    out = {
        "not_due": float(amount[~credit & ~disputed & ~overdue].sum()),
        "overdue_undisputed": float(amount[~credit & ~disputed & overdue].sum()),
        "disputed": float(amount[~credit & disputed].sum()),
        "unapplied_cash_and_credits": float(amount[credit].sum()),
        "factored": 0.0,
    }
    if factoring_derecognised and "factored" in items.columns:
        out["factored"] = float(amount[items["factored"].fillna(False).astype(bool)].sum())
    out["revenue_ttc"] = float(revenue_ttc)
    out["days"] = _check_days(days)
    return pd.Series(out, dtype="float64")


def _bridge_side(side: Mapping[str, float] | pd.Series, name: str) -> tuple[dict[str, float], float]:
    keys = set(side.keys())
    unknown = keys - set(_COMPONENTS) - {"revenue_ttc", "days"}
    if unknown:
        raise ValueError(
            f"{name} has unknown keys {sorted(unknown)}; allowed: {', '.join(_COMPONENTS)}, revenue_ttc, days"
        )
    for k in ("revenue_ttc", "days"):
        if k not in keys:
            raise ValueError(f"{name} needs {k!r} (the revenue TTC of the period and its days)")
    comps = {c: float(side.get(c, 0.0) or 0.0) for c in _COMPONENTS}
    if comps["factored"] < 0:
        raise ValueError(
            f"{name}['factored'] is the amount assigned to the factor and taken off the balance "
            f"sheet, a positive number; got {comps['factored']!r}"
        )
    comps["factored"] = -comps["factored"]  # its contribution to the reported receivables
    revenue = float(side["revenue_ttc"])
    if not revenue > 0:
        raise ValueError(f"{name}['revenue_ttc'] must be positive to compute a DSO; got {revenue!r}")
    daily = revenue / _check_days(side["days"], f"{name}['days']")
    return comps, daily


def dso_bridge(before: Mapping[str, float] | pd.Series, after: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """DSO bridge (*pont de DSO*): the change of DSO between two dates, split exactly by cause.

    Parameters
    ----------
    before, after : mappings or Series (e.g. from :func:`dso_components`) with the
        receivables by cause — ``not_due``, ``overdue_undisputed``, ``disputed``,
        ``unapplied_cash_and_credits`` (negative), ``factored`` (positive amount off the
        balance sheet); a missing cause counts 0 — and ``revenue_ttc`` and ``days`` of
        the period ending at that date.

    Returns
    -------
    DataFrame with one row per ``cause``: ``dso_before`` (kind "level"), the six
    :data:`BRIDGE_CAUSES` (kind "effect") and ``dso_after`` (kind "level"); columns
    ``cause``, ``kind``, ``amount_before``, ``amount_after`` (the cause's signed part of
    the reported receivables), ``days`` (DSO level, or the cause's effect) and ``cash``
    (days × revenue TTC per day after: for a cause, the change of its amount; for the
    sales level, the value of those days at today's sales, no cash moved).  The effects
    add up exactly to ``dso_after − dso_before``.

    Notes
    -----
    Simple-method DSO = Σ components R_c / s with s = revenue TTC / days.  For each
    cause, Δ(R_c / s) = (R_c1 − R_c0) / s1 (volume effect, that cause) +
    R_c0 × (1/s1 − 1/s0); the second terms, summed over causes, form the "sales level
    and seasonality" effect R_0 × (1/s1 − 1/s0).  The decomposition is exact with no
    residual.  The countback DSO does not split additively, so the bridge uses the
    simple method with TTC/TTC.  Source: domain conventions (simple DSO, TTC/TTC;
    best possible DSO and ADD of the Credit Research Foundation for the split between
    terms granted and payment delays; economic DSO for the factoring row).

    >>> before = {"not_due": 300_000, "overdue_undisputed": 100_000, "revenue_ttc": 3_600_000, "days": 360}
    >>> after = {"not_due": 300_000, "overdue_undisputed": 160_000, "revenue_ttc": 3_600_000, "days": 360}
    >>> b = dso_bridge(before, after)
    >>> b.set_index("cause")["days"].round(2).to_dict()["overdue_undisputed"]
    6.0
    """
    c0, s0 = _bridge_side(before, "before")
    c1, s1 = _bridge_side(after, "after")
    r0, r1 = sum(c0.values()), sum(c1.values())
    rows = [
        {
            "cause": "dso_before",
            "kind": "level",
            "amount_before": r0,
            "amount_after": float("nan"),
            "days": r0 / s0,
            "cash": float("nan"),
        }
    ]
    for c in _COMPONENTS:
        effect = (c1[c] - c0[c]) / s1
        rows.append(
            {
                "cause": c,
                "kind": "effect",
                "amount_before": c0[c],
                "amount_after": c1[c],
                "days": effect,
                "cash": effect * s1,
            }
        )
    level = r0 * (1 / s1 - 1 / s0)
    rows.append(
        {
            "cause": "sales_level",
            "kind": "effect",
            "amount_before": s0,
            "amount_after": s1,
            "days": level,
            "cash": level * s1,
        }
    )
    rows.append(
        {
            "cause": "dso_after",
            "kind": "level",
            "amount_before": float("nan"),
            "amount_after": r1,
            "days": r1 / s1,
            "cash": float("nan"),
        }
    )
    return pd.DataFrame(rows, columns=["cause", "kind", "amount_before", "amount_after", "days", "cash"])


# --------------------------------------------------------------------------- tables from working_capital
_MONTH_MAX_DAYS = 31
_YEAR_MIN_DAYS = 365


def _frequency_of(days: pd.Series) -> pd.Series:
    d = pd.to_numeric(days, errors="coerce")
    return pd.Series(
        np.where(d <= _MONTH_MAX_DAYS, "month", np.where(d >= _YEAR_MIN_DAYS, "year", "other")),
        index=days.index,
    )


def _conv_days(period_days: pd.Series, days_basis: int | None) -> pd.Series:
    """Days counted per row: calendar, or a year = days_basis and a month = days_basis / 12."""
    d = pd.to_numeric(period_days, errors="coerce").astype("float64")
    if days_basis is None:
        return d
    freq = _frequency_of(period_days)
    return pd.Series(
        np.where(
            freq == "month",
            days_basis / 12,
            np.where(freq == "year", float(days_basis), d * days_basis / 365),
        ),
        index=d.index,
    )


def _num(row: pd.Series, col: str) -> float:
    v = row.get(col, float("nan"))
    try:
        return float(v) if v is not None and not pd.isna(v) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def _fmt(x: float, decimals: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{decimals}f}"


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


def _window(rows: pd.DataFrame, when: pd.Timestamp, freq: str, months: int = 12) -> pd.DataFrame:
    """Rows whose flows make the period ending at ``when``: trailing ``months`` months, or the one row."""
    upto = rows[rows["period_end"] <= when]
    if freq != "month":
        return upto.tail(1)
    # compare calendar months, not dates: 28/02 − 1 month = 28/01 would let January in
    first = pd.Timestamp(when).to_period("M") - (months - 1)
    return upto[upto["period_end"].dt.to_period("M") >= first]


def _months_available(figures: pd.DataFrame, when: str | pd.Timestamp, months: int = 12) -> int:
    """Monthly rows in the ``months`` months ending at ``when`` (how far back the flows go)."""
    f = _prepare(figures)
    rows = f[f["_freq"] == "month"].drop_duplicates("period_end")
    return len(_window(rows, pd.Timestamp(when).normalize(), "month", months))


def _month_before(period_end: pd.Timestamp, months: int = 1) -> pd.Timestamp:
    """End of the calendar month ``months`` months before the month of ``period_end``."""
    return (pd.Timestamp(period_end).to_period("M") - months).to_timestamp(how="end").normalize()


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
    if days_basis is not None and days_basis not in (360, 365):
        raise ValueError(f"days_basis must be None, 360 or 365; got {days_basis!r}")
    f = _prepare(figures)
    rows, freq = _pick_rows(f, None if as_of is None else pd.Timestamp(as_of), frequency)
    if not (isinstance(window_months, int) and 1 <= window_months <= 12):
        raise ValueError(f"window_months must be an integer from 1 to 12; got {window_months!r}")
    when = f["period_end"].max() if as_of is None else pd.Timestamp(as_of).normalize()
    win = _window(rows, when, freq, window_months)
    last = win.iloc[-1]
    holes = _holes(rows, when, window_months) if freq == "month" else []
    no_revenue = _months_lacking(win, "revenue")
    days_by_row = _conv_days(win["period_days"], days_basis)
    days = float(days_by_row.sum()) if not holes else float("nan")
    n_months = len(win) + len(holes) if freq == "month" else 12 if freq == "year" else round(days / 30.4)
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
    day_txt = "calendar days" if days_basis is None else f"{days_basis}-day year"

    def total(col: str, vat_col: str | None = None) -> float:
        """Sum over the window; NaN when a month is absent or the figure is missing in any month."""
        if holes or col not in win.columns:
            return float("nan")
        if vat_col is None:
            base = pd.to_numeric(win[col], errors="coerce")
        else:
            grossed, _ = _ttc(win, col, vat_col, vat_rate)
            if grossed is None:
                return float("nan")
            base = grossed
        return float(base.sum()) if base.notna().all() else float("nan")

    def lacking(col: str) -> str:
        months = [] if holes else _months_lacking(win, col)
        return f"; {col} missing for {', '.join(months)}: left empty" if months else ""

    revenue = total("revenue")
    revenue_ttc = total("revenue", "vat_collected")
    purchases_ttc = total("purchases", "vat_deductible")
    receivables = _num(last, "receivables")
    not_due = _num(last, "receivables_not_due")
    payables = _num(last, "payables")
    _, how = _ttc(win, "revenue", "vat_collected", vat_rate)
    ttc_note = {
        "vat": "TTC/TTC (revenue + VAT collected)",
        "rate": f"TTC/TTC (revenue HT × {1 + (vat_rate or 0):.2f})",
        None: "TTC/TTC: needs VAT collected (or vat_rate)",
    }[how]
    out: list[dict[str, object]] = []

    def add(kpi: str, value: float, unit: str, convention: str, formula: str) -> None:
        out.append(
            {
                "kpi": kpi,
                "value": float(value),
                "unit": unit,
                "convention": convention,
                "formula": formula,
            }
        )

    conv = f"{span}; {day_txt}"
    add("days", days, "days", conv, f"days counted in the period = {_fmt(days, 2)}")
    add("revenue", revenue, "EUR", f"HT; {span}", f"sum of revenue HT = {_fmt(revenue)}")
    add(
        "revenue_ttc",
        revenue_ttc,
        "EUR",
        f"TTC; {span}",
        f"revenue HT + VAT collected = {_fmt(revenue_ttc)}",
    )
    add(
        "receivables",
        receivables,
        "EUR",
        f"TTC at {when:%Y-%m-%d}",
        f"trade receivables = {_fmt(receivables)}",
    )

    dso_s = _ratio_days(receivables, revenue_ttc, days) if days > 0 else float("nan")
    add(
        "dso_simple",
        dso_s,
        "days",
        f"{ttc_note}; {conv}",
        f"{_fmt(receivables)} / {_fmt(revenue_ttc)} × {_fmt(days, 2)} = {_fmt(dso_s, 2)}",
    )

    # countback on monthly revenue TTC, all months up to as_of
    dso_c = bp = float("nan")
    cb_conv = "needs monthly figures"
    cb_terms: list[str] = []
    bp_terms: list[str] = []
    if freq == "month":
        hist = rows[rows["period_end"] <= when]
        sales, _ = _ttc(hist, "revenue", "vat_collected", vat_rate)
        if sales is not None:
            sales.index = pd.DatetimeIndex(hist["period_end"])
            dim = 30.0 if days_basis == 360 else list(pd.to_numeric(hist["period_days"]).astype(float))
            dso_c, cb_terms = _countback(receivables, sales, dim, "extrapolate")
            exhausted = not math.isnan(dso_c) and countback_exhausted(receivables, sales)
            cb_conv = (
                f"TTC/TTC; {'30-day' if days_basis == 360 else 'calendar'} months walked back from "
                f"{when:%Y-%m-%d}"
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
        else:
            cb_conv = "needs VAT collected (or vat_rate) for revenue TTC"
    walk = (
        "months of revenue TTC walked back from the period end: full months add their days, "
        "the last one remaining / its sales × its days"
    )
    add(
        "dso_countback",
        dso_c,
        "days",
        cb_conv,
        f"{' + '.join(cb_terms)} = {_fmt(dso_c, 2)}" if cb_terms else walk,
    )
    if freq == "month":
        add(
            "dso_best_possible",
            bp,
            "days",
            cb_conv + "; on receivables not yet due",
            f"{' + '.join(bp_terms)} = {_fmt(bp, 2)}" if bp_terms else walk,
        )
        add_value = dso_c - bp
        add(
            "average_days_delinquent",
            add_value,
            "days",
            "countback DSO − best possible DSO",
            f"{_fmt(dso_c, 2)} − {_fmt(bp, 2)} = {_fmt(add_value, 2)}",
        )
    else:
        bp = _ratio_days(not_due, revenue_ttc, days)
        add(
            "dso_best_possible",
            bp,
            "days",
            f"simple method on receivables not yet due; {conv}",
            f"{_fmt(not_due)} / {_fmt(revenue_ttc)} × {_fmt(days, 2)} = {_fmt(bp, 2)}",
        )
        add_value = dso_s - bp
        add(
            "average_days_delinquent",
            add_value,
            "days",
            "simple DSO − best possible DSO",
            f"{_fmt(dso_s, 2)} − {_fmt(bp, 2)} = {_fmt(add_value, 2)}",
        )
    od = overdue_rate(receivables, not_due) if not math.isnan(not_due) else float("nan")
    add(
        "overdue_rate",
        od,
        "fraction",
        f"share of receivables past due at {when:%Y-%m-%d}",
        f"({_fmt(receivables)} − {_fmt(not_due)}) / {_fmt(receivables)} = {_fmt(od, 4)}",
    )

    # CEI: opening receivables = the balance closing the period just before the window, from
    # any row ending that day (the previous month end, or the annual row of the year before)
    first = win.iloc[0]
    if freq == "month":
        open_date, near = _month_before(first["period_end"]), 0
    else:
        open_date, near = first["period_end"] - pd.Timedelta(days=float(first["period_days"])), 1
    opening_rows = _receivables_at(f, open_date, near)
    cei_win, open_note = win, f"opening receivables at {open_date:%Y-%m-%d}"
    if opening_rows.empty and freq == "month" and len(win) > 1 and not holes:
        # no balance before the window: its first month opens the period, over N − 1 months
        opening_rows, cei_win = win.iloc[:1], win.iloc[1:]
        open_note = (
            f"no receivables at {open_date:%Y-%m-%d}: opening at {first['period_end']:%Y-%m-%d}, "
            f"CEI over the {len(cei_win)} months after it"
        )
    n = len(cei_win) if freq == "month" else n_months
    opening = _num(opening_rows.iloc[-1], "receivables") if not opening_rows.empty else float("nan")
    if holes:
        sales_ttc = float("nan")
    else:
        grossed, _ = _ttc(cei_win, "revenue", "vat_collected", vat_rate)
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
    add(
        "collection_effectiveness_index",
        cei,
        "fraction",
        f"Credit Research Foundation, as a fraction (×100 for the CRF figure); N = {n} months; {open_note}",
        cei_formula,
    )

    factored = _num(last, "factored_receivables")
    discounted = _num(last, "discounted_receivables")
    econ_conv = f"{ttc_note}; factored and discounted receivables added back; {conv}"
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
    add("dso_economic", dso_e, "days", econ_conv, econ_formula)

    d_po = _ratio_days(payables, purchases_ttc, days)
    add(
        "dpo",
        d_po,
        "days",
        f"TTC/TTC (purchases HT + deductible VAT); {conv}{lacking('purchases')}",
        f"{_fmt(payables)} / {_fmt(purchases_ttc)} × {_fmt(days, 2)} = {_fmt(d_po, 2)}",
    )

    stocks = {}
    for key, stock_col, flow_col, flow_label in (
        (
            "raw_materials",
            "stock_raw_materials",
            "purchases_raw_materials",
            "raw-material purchases HT",
        ),
        ("goods", "stock_goods", "purchases_goods", "goods purchases HT"),
        ("finished_goods", "stock_finished_goods", "revenue", "revenue HT"),
    ):
        stock = _num(last, stock_col)
        flow = total(flow_col)
        stocks[key] = (stock, flow)
        value = _ratio_days(stock, flow, days) if not math.isnan(stock) else float("nan")
        add(
            f"stock_days_{key}",
            value,
            "days",
            f"HT; stock at {when:%Y-%m-%d} / {flow_label}; {conv}"
            + ("" if flow_col == "revenue" or math.isnan(stock) else lacking(flow_col)),
            f"{_fmt(stock)} / {_fmt(flow)} × {_fmt(days, 2)} = {_fmt(value, 2)}",
        )

    stock_total = sum(0.0 if math.isnan(s) else s for s, _ in stocks.values())
    no_stock = [f"stock_{k}" for k, (s, _) in stocks.items() if math.isnan(s)]
    bfr_conv = f"stocks HT + receivables TTC − payables TTC at {when:%Y-%m-%d}"
    if no_stock:
        bfr_conv += f"; {', '.join(no_stock)} not given: counted 0"
    unknown = [name for name, value in (("receivables", receivables), ("payables", payables)) if math.isnan(value)]
    if unknown:
        bfr = float("nan")
        bfr_conv += f"; {' and '.join(unknown)} missing: BFR left empty"
    else:
        bfr = working_capital_requirement(stock_total, receivables, payables)
    add(
        "bfr",
        bfr,
        "EUR",
        bfr_conv,
        f"{_fmt(stock_total)} + {_fmt(receivables)} − {_fmt(payables)} = {_fmt(bfr)}",
    )
    bfr_d = _ratio_days(bfr, revenue, days)
    add(
        "bfr_days",
        bfr_d,
        "days",
        f"days of revenue HT; {conv}",
        f"{_fmt(bfr)} / {_fmt(revenue)} × {_fmt(days, 2)} = {_fmt(bfr_d, 2)}",
    )

    for kpi, flow, label in (
        ("cash_per_day_dso", revenue_ttc, "revenue TTC"),
        ("cash_per_day_dpo", purchases_ttc, "purchases TTC"),
        (
            "cash_per_day_stock_raw_materials",
            stocks["raw_materials"][1],
            "raw-material purchases HT",
        ),
        ("cash_per_day_stock_goods", stocks["goods"][1], "goods purchases HT"),
        ("cash_per_day_stock_finished_goods", stocks["finished_goods"][1], "revenue HT"),
    ):
        value = flow / days if days > 0 else float("nan")
        add(
            kpi,
            value,
            "EUR",
            f"cash worth one day; {conv}",
            f"{label} {_fmt(flow)} / {_fmt(days, 2)} = {_fmt(value, 2)}",
        )
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
    (values only; :func:`kpi_table` gives units and formulas).  ``attrs`` holds
    ``frequency`` (``"month"`` or ``"year"``) and ``window_months`` (``window`` for
    monthly rows, None for annual rows).

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
    out.attrs = {"frequency": freq, "window_months": window if freq == "month" else None}
    return out


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
    ``attrs`` holds ``start``, ``end`` (ISO dates), ``window`` (``"year"`` for annual
    rows, else the number of months of flows) and ``one_year_apart`` (bool), which
    :func:`cashmission.reporting.tracking_heading` states in the report.
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
    out.attrs = {
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "window": window if both_monthly else "year",
        "one_year_apart": bool(a_year_before),
    }
    return out


# --------------------------------------------------------------------------- DSO bridge from a ledger
def trailing_revenue_ttc(
    figures: pd.DataFrame,
    as_of: str | pd.Timestamp,
    months: int = 3,
    *,
    vat_rate: float | None = None,
) -> tuple[float, float]:
    """Revenue TTC of the last closed months before a date, and their days (*CA TTC glissant*).

    Parameters
    ----------
    figures : monthly rows of the ``working_capital`` table (``period_end``,
        ``period_days``, ``revenue``, ``vat_collected``); annual rows are ignored.
    as_of : the date of the receivables.  The months used are the ``months`` calendar
        months that end on ``as_of`` when it is a month end, else on the month end before
        it (a Monday 3 August uses May, June, July).
    months : how many months (default 3, the usual window of a monthly DSO).
    vat_rate : grosses revenue HT up to TTC where ``vat_collected`` is missing.

    Returns
    -------
    (revenue TTC, days) : Σ (revenue + vat_collected) and Σ period_days of those months.

    Raises
    ------
    InputError : a month is missing from the figures, or its VAT is unknown without
        ``vat_rate``.

    >>> f = pd.DataFrame({"period_end": pd.to_datetime(["2024-05-31", "2024-06-30", "2024-07-31"]),
    ...     "period_days": [31, 30, 31], "revenue": [100.0, 200.0, 300.0], "vat_collected": [20.0, 40.0, 60.0]})
    >>> trailing_revenue_ttc(f, "2024-08-03")
    (720.0, 92.0)
    """
    if not (isinstance(months, int) and months >= 1):
        raise ValueError(f"months must be a positive integer; got {months!r}")
    d = pd.Timestamp(as_of).normalize()
    last = d if d.is_month_end else d - pd.offsets.MonthEnd(1)
    wanted = [last - pd.offsets.MonthEnd(k) if k else last for k in range(months - 1, -1, -1)]
    lacking = [c for c in ("period_end", "period_days", "revenue") if c not in figures.columns]
    if lacking:
        raise fail("missing_column", f"the revenue figures lack {', '.join(lacking)}", column=lacking[0])
    f = figures.assign(period_end=pd.to_datetime(figures["period_end"]).dt.normalize())
    monthly = _frequency_of(f["period_days"]) == "month"
    rows = f[monthly].sort_values("period_end").drop_duplicates("period_end", keep="last").set_index("period_end")
    missing = [w for w in wanted if w not in rows.index]
    if missing:
        have = rows.index
        span = f"{have.min():%Y-%m} to {have.max():%Y-%m}" if len(have) else "no monthly rows"
        raise fail(
            "revenue",
            f"no monthly revenue for {', '.join(f'{m:%Y-%m}' for m in missing)} (the {months} months "
            f"before {d:%Y-%m-%d}); the figures have {span}",
        )
    win = rows.loc[wanted]
    revenue = pd.to_numeric(win["revenue"], errors="coerce")
    vat = pd.to_numeric(win["vat_collected"], errors="coerce") if "vat_collected" in win else None
    if vat is not None and vat.notna().all():
        ttc = float((revenue + vat).sum())
    elif vat_rate is not None:
        ttc = float(revenue.sum()) * (1 + vat_rate)
    else:
        raise fail("revenue", f"vat_collected is missing for the months before {d:%Y-%m-%d}; give vat_rate")
    return ttc, float(pd.to_numeric(win["period_days"]).sum())


def dso_bridge_between(
    items: pd.DataFrame,
    figures: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    months: int = 3,
    factoring_derecognised: bool = True,
    vat_rate: float | None = None,
) -> pd.DataFrame:
    """DSO bridge between two dates from a customer ledger (*pont de DSO entre deux dates*).

    Parameters
    ----------
    items : a customer ledger (canonical ``open_items`` with ``cleared_date``, e.g. from
        a FEC or ``ledger.csv``): the open items at each date are taken with
        :func:`cashmission.receivables.open_at`.  An open-items extract without
        ``cleared_date`` is taken as open at both dates.
    figures : monthly ``working_capital`` rows giving revenue HT and VAT collected.
    start, end : the two dates (ISO strings or timestamps).
    months : months of revenue behind each DSO (:func:`trailing_revenue_ttc`).
    factoring_derecognised : passed to :func:`dso_components`; True when factored items
        are off the balance sheet, False when the ledger keeps them (then ``factored``
        is 0 and they stay in their bucket).

    Returns
    -------
    The frame of :func:`dso_bridge`: DSO at ``start``, the six causes (days and cash),
    DSO at ``end``; ``attrs`` holds ``start``, ``end`` (ISO) and ``months``.

    Notes
    -----
    DSO at a date = receivables open at that date / revenue TTC of the ``months``
    closed months before it × their days (simple method, TTC/TTC).
    """
    from cashmission.receivables import open_at

    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise ValueError(f"end {e:%Y-%m-%d} is before start {s:%Y-%m-%d}")
    sides = []
    for when in (s, e):
        revenue, days = trailing_revenue_ttc(figures, when, months, vat_rate=vat_rate)
        sides.append(
            dso_components(open_at(items, when), when, revenue, days, factoring_derecognised=factoring_derecognised)
        )
    out = dso_bridge(*sides)
    out.attrs = {"start": s.date().isoformat(), "end": e.date().isoformat(), "months": months}
    return out


def read_figures_csv(path: str | Path) -> pd.DataFrame:
    """Monthly ``working_capital`` figures from a CSV (e.g. ``monthly.csv`` of the demo).

    The CSV has the canonical column names (``period_end`` as ISO dates,
    ``period_days``, ``revenue``, ``vat_collected``, ``receivables`` …); other columns
    are kept.

    Raises
    ------
    InputError : the file is missing or lacks ``period_end``, ``period_days`` or ``revenue``.
    """
    p = Path(path)
    if not p.is_file():
        raise fail("not_found", f"no such file: {p.name}", file=str(p))
    frame = pd.read_csv(p)
    missing = [c for c in ("period_end", "period_days", "revenue") if c not in frame.columns]
    if missing:
        raise fail("missing_column", f"{p.name} lacks {', '.join(missing)}", file=str(p), column=missing[0])
    frame["period_end"] = pd.to_datetime(frame["period_end"], format="%Y-%m-%d")
    return frame


# --------------------------------------------------------------------------- Excel template
TEMPLATE_SHEET = "Chiffres"
README_SHEET = "Lisez-moi"

TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # canonical name, French header, English note
    (
        "period_label",
        "Période (libellé libre)",
        "period label (free text), e.g. Exercice 2025, janv. 2025",
    ),
    ("period_end", "Fin de période (jj/mm/aaaa)", "period_end: last day of the period"),
    ("period_days", "Nombre de jours", "period_days: calendar days of the period (31, 365, 366 …)"),
    ("revenue", "CA HT", "revenue: revenue excl. VAT over the period (accounts 70)"),
    (
        "vat_collected",
        "TVA collectée",
        "vat_collected: VAT collected on sales over the period (44571)",
    ),
    (
        "receivables",
        "Créances clients TTC",
        "receivables: trade receivables incl. VAT at period end (411, 413, 416, 418)",
    ),
    (
        "receivables_not_due",
        "dont non échues",
        "receivables_not_due: part of the receivables not yet due",
    ),
    (
        "factored_receivables",
        "Créances cédées au factor (hors bilan)",
        "factored_receivables: assigned to a factor, off the ledger",
    ),
    (
        "discounted_receivables",
        "Effets escomptés non échus",
        "discounted_receivables: bills discounted, not yet due",
    ),
    (
        "payables",
        "Dettes fournisseurs TTC",
        "payables: trade payables incl. VAT at period end (401, 403, 408)",
    ),
    (
        "purchases",
        "Achats HT",
        "purchases: purchases excl. VAT over the period (60, 61/62 where chosen)",
    ),
    (
        "vat_deductible",
        "TVA déductible sur achats",
        "vat_deductible: deductible VAT on those purchases (44566)",
    ),
    (
        "purchases_raw_materials",
        "Achats de matières premières HT",
        "purchases_raw_materials: raw-material purchases (601, 602)",
    ),
    (
        "purchases_goods",
        "Achats de marchandises HT",
        "purchases_goods: purchases of goods for resale (607)",
    ),
    (
        "stock_raw_materials",
        "Stock de matières premières",
        "stock_raw_materials: at period end (31, 32)",
    ),
    ("stock_goods", "Stock de marchandises", "stock_goods: goods for resale at period end (37)"),
    (
        "stock_finished_goods",
        "Stock de produits finis et en-cours",
        "stock_finished_goods: finished goods and WIP (33, 34, 35)",
    ),
)
_REQUIRED_FIGURES = ("revenue", "receivables")

_README_ROWS: tuple[tuple[str, str], ...] = (
    (
        "Objet",
        "Ce classeur recueille les chiffres du BFR (poste clients, fournisseurs, stocks) pour calculer "
        "DSO, DPO, rotation des stocks et BFR. Purpose: the figures behind DSO, DPO, stock days and BFR.",
    ),
    (
        "Une ligne par période",
        "Feuille « Chiffres » : une ligne par période, à partir de la ligne 3. Mettez les deux "
        "exercices (N−1, N) et, si possible, les 12 derniers mois (le DSO par épuisement du CA "
        "a besoin des mois). One row per period from row 3: years N−1 and N, and the last 12 "
        "months if you can.",
    ),
    (
        "Flux et soldes",
        "CA, TVA et achats : totaux de la période. Créances, dettes et stocks : soldes à la date de fin "
        "de période. Flows are totals over the period; balances are at the period end.",
    ),
    (
        "HT / TTC",
        "Créances et dettes TTC (comme au grand livre) ; CA, achats et stocks HT ; la TVA collectée et "
        "déductible permet de calculer DSO et DPO en TTC/TTC, sans mélange. Receivables and payables incl. "
        "VAT; revenue, purchases, stocks excl. VAT; the VAT columns make DSO/DPO TTC/TTC.",
    ),
    (
        "Signes et unités",
        "Montants en euros, positifs, sans séparateur de milliers imposé. Amounts in euros, positive.",
    ),
    (
        "Obligatoire",
        "Fin de période, nombre de jours, CA HT et créances clients TTC. Les autres colonnes sont "
        "facultatives : un indicateur sans ses chiffres reste vide. Required: period end, days, revenue, "
        "receivables; other KPIs stay empty without their figures.",
    ),
    (
        "Jours",
        "Nombre de jours calendaires de la période (31 pour janvier, 365 ou 366 pour un exercice). Laissé vide, "
        "le mois calendaire de la date de fin est supposé (avec un avertissement).",
    ),
)


def _readme_lines() -> list[tuple[str, str, str]]:
    from cashmission.schemas import WORKING_CAPITAL

    lines = [(k, "", v) for k, v in _README_ROWS]
    lines.append(("", "", ""))
    lines.append(("Colonne (feuille Chiffres)", "Nom canonique", "Signification / meaning"))
    for i, (name, header, note) in enumerate(TEMPLATE_COLUMNS):
        from openpyxl.utils import get_column_letter

        desc = note if name == "period_label" else WORKING_CAPITAL.column(name).description
        required = " (obligatoire)" if name in ("period_end", "period_days", *_REQUIRED_FIGURES) else ""
        lines.append((f"{get_column_letter(i + 1)} — {header}{required}", name, desc))
    return lines


def write_kpi_template(path: str | Path, figures: pd.DataFrame | None = None) -> Path:
    """Write the Excel template a client fills in (*modèle de saisie des chiffres du BFR*).

    Sheet "Chiffres": row 1 French headers, row 2 the English notes (canonical name
    first), one row per period from row 3.  Sheet "Lisez-moi": what each column means
    and the conventions.  With ``figures`` (a working_capital table, optionally with a
    ``period_label`` column), the rows are filled in: that is how the demo file is made.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, (_, header, note) in enumerate(TEMPLATE_COLUMNS, start=1):
        c = ws.cell(row=1, column=j, value=header)
        c.font, c.fill, c.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
        n = ws.cell(row=2, column=j, value=note)
        n.font, n.alignment = grey, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = 18 if j > 1 else 22
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "B3"
    if figures is not None:
        for i, (_, r) in enumerate(figures.reset_index(drop=True).iterrows(), start=3):
            for j, (name, _, _) in enumerate(TEMPLATE_COLUMNS, start=1):
                v = r.get(name)
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                cell = ws.cell(row=i, column=j)
                if name == "period_end":
                    cell.value = pd.Timestamp(v).to_pydatetime()
                    cell.number_format = "DD/MM/YYYY"
                elif name == "period_label":
                    cell.value = str(v)
                elif name == "period_days":
                    cell.value = int(v)
                else:
                    cell.value = float(v)
                    cell.number_format = "#,##0"
    rd = wb.create_sheet(README_SHEET)
    for i, (a, b, c) in enumerate(_readme_lines(), start=1):
        rd.cell(row=i, column=1, value=a or None).font = bold
        rd.cell(row=i, column=2, value=b or None)
        rd.cell(row=i, column=3, value=c or None).alignment = Alignment(wrap_text=True)
    (
        rd.column_dimensions["A"].width,
        rd.column_dimensions["B"].width,
        rd.column_dimensions["C"].width,
    ) = 45, 26, 100
    # fixed document dates, so that regenerating a template does not change its metadata
    fixed = pd.Timestamp("2026-01-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "cashmission"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _excel_engine() -> str:
    try:
        import python_calamine  # noqa: F401
    except ImportError:  # pragma: no cover - calamine is a dependency
        return "openpyxl"
    return "calamine"


def read_kpi_template(path: str | Path) -> tuple[pd.DataFrame, LoadReport]:
    """Read a filled template back into the ``working_capital`` table (*lecture du modèle BFR*).

    Returns
    -------
    (figures, report) : the canonical table (plus ``period_label``) sorted by period
    end, and the load report.  Rows left empty are skipped; a row without a readable
    period end is dropped with a warning; a missing required figure (revenue,
    receivables) or an unreadable number is a warning naming its cell (``Chiffres!D5``)
    and stays empty; a missing number of days assumes the calendar month of the period
    end (warning); negative amounts are warnings.  A year and its last month may share
    a period end (annual and monthly rows are told apart by ``period_days``).

    Raises
    ------
    InputError : the file has no "Chiffres" (or "Figures") sheet, or none of the
    expected headers.
    """
    from openpyxl.utils import get_column_letter

    from cashmission.parsing import normalise_header, parse_amounts, parse_dates
    from cashmission.schemas import coerce

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    report = LoadReport(file=str(path), kind="working_capital_template")
    engine = _excel_engine()
    try:
        book = pd.read_excel(path, sheet_name=None, header=None, engine=engine, dtype=object)
    except Exception as err:
        raise fail("unreadable", f"cannot read the workbook: {err}", file=str(path)) from None
    sheet = next((s for s in book if normalise_header(s) in ("chiffres", "figures")), None)
    if sheet is None:
        raise fail(
            "missing_sheet",
            f"no sheet 'Chiffres' (or 'Figures'); sheets: {', '.join(book)}",
            file=str(path),
        )
    report.sheet = sheet
    raw = book[sheet]
    if raw.empty:
        raise fail(
            "empty",
            "the sheet is empty: it should start with the template's headers",
            file=str(path),
            sheet=sheet,
        )
    by_header = {normalise_header(h): n for n, h, _ in TEMPLATE_COLUMNS}
    by_name = {n: n for n, _, _ in TEMPLATE_COLUMNS}
    mapping: dict[int, str] = {}
    for j, h in raw.iloc[0].items():
        key = normalise_header(h) if h is not None and not pd.isna(h) else ""
        name = by_header.get(key) or by_name.get(str(h).strip() if h is not None else "")
        if name is None and raw.shape[0] > 1 and raw.iloc[1, j] is not None and not pd.isna(raw.iloc[1, j]):
            name = by_name.get(str(raw.iloc[1, j]).split(":")[0].strip())
        if name is not None and name not in mapping.values():
            mapping[int(j)] = name
            report.columns[name] = str(h)
        elif key:
            report.ignored_columns.append(str(h))
    for needed in ("period_end", "revenue", "receivables"):
        if needed not in mapping.values():
            raise fail(
                "missing_column",
                f"no column for {needed!r} (header {dict((n, h) for n, h, _ in TEMPLATE_COLUMNS)[needed]!r})",
                file=str(path),
                sheet=sheet,
            )
    second = raw.iloc[1] if raw.shape[0] > 1 else None
    notes_row = second is not None and any(
        isinstance(v, str) and v.split(":")[0].strip() in by_name for v in second.tolist()
    )
    first_data = 2 if notes_row else 1
    data = raw.iloc[first_data:].copy()
    data = data[[j for j in mapping]].rename(columns=mapping)
    excel_row = pd.Series(data.index + 1, index=data.index)  # 0-based frame row -> 1-based Excel row
    letters = {name: get_column_letter(j + 1) for j, name in mapping.items()}
    blank = data.map(
        lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())
    ).all(axis=1)
    data, excel_row = data[~blank], excel_row[~blank]
    report.rows_read = len(data)

    def warn(code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        cell = f"{sheet}!{letters[column]}{row}" if column in letters and row is not None else None
        report.problems.append(
            Problem(
                "warning",
                code,
                (f"{cell}: " if cell else "") + message,
                file=str(path),
                sheet=sheet,
                row=row,
                column=column,
            )
        )

    out = pd.DataFrame(index=data.index)
    ends, bad = parse_dates(data["period_end"])
    for i in data.index[bad | ends.isna()]:
        warn(
            "bad_period_end" if bad[i] else "missing_period_end",
            f"period end {data.loc[i, 'period_end']!r} is not a date: row left out"
            if bad[i]
            else "no period end: row left out",
            int(excel_row[i]),
            "period_end",
        )
    out["period_end"] = ends
    if "period_label" in data.columns:
        out["period_label"] = data["period_label"].map(lambda v: None if v is None or pd.isna(v) else str(v).strip())
    if "period_days" in data.columns:
        days, _ = parse_amounts(data["period_days"])
    else:
        days = pd.Series(np.nan, index=data.index)
    for i in data.index[(days.isna() | (days <= 0)) & ends.notna()]:
        guess = int(ends[i].days_in_month)
        warn(
            "missing_period_days",
            f"number of days missing or not positive: assumed the calendar month ({guess} days)",
            int(excel_row[i]),
            "period_days",
        )
        days[i] = guess
    out["period_days"] = days
    for name, _, _ in TEMPLATE_COLUMNS[3:]:
        if name not in data.columns:
            out[name] = np.nan
            continue
        values, bad_values = parse_amounts(data[name])
        for i in data.index[bad_values]:
            warn(
                "bad_number",
                f"{data.loc[i, name]!r} is not a number: left empty",
                int(excel_row[i]),
                name,
            )
        if name in _REQUIRED_FIGURES:
            for i in data.index[values.isna() & ~bad_values & ends.notna()]:
                warn(
                    "missing_figure",
                    f"{name} is required and missing: KPIs using it stay empty",
                    int(excel_row[i]),
                    name,
                )
        for i in data.index[values < 0]:
            warn(
                "negative_amount",
                f"{name} is negative ({values[i]:,.2f}): check the sign",
                int(excel_row[i]),
                name,
            )
        out[name] = values
    nd, r = out["receivables_not_due"], out["receivables"]
    for i in out.index[(nd > r + 0.005)]:
        warn(
            "not_due_above_total",
            f"receivables not due {nd[i]:,.2f} exceed the receivables {r[i]:,.2f}",
            int(excel_row[i]),
            "receivables_not_due",
        )
    keep = out["period_end"].notna()
    freq = _frequency_of(out["period_days"])
    dup = out[keep].assign(_f=freq[keep]).duplicated(["period_end", "_f"], keep=False)
    for i in dup[dup].index:
        warn(
            "duplicate_period",
            f"another row has the same period end {out.loc[i, 'period_end']:%d/%m/%Y} and length",
            int(excel_row[i]),
            "period_end",
        )
    figures = out[keep].copy()
    figures["period_days"] = figures["period_days"].round().astype("Int64")
    figures = coerce(figures.sort_values(["period_end", "period_days"]).reset_index(drop=True), "working_capital")
    report.rows_kept = len(figures)
    report.extra["annual_rows"] = int((_frequency_of(figures["period_days"]) == "year").sum())
    report.extra["monthly_rows"] = int((_frequency_of(figures["period_days"]) == "month").sum())
    _check_months_vs_year(figures, report, sheet)
    return figures, report


def _check_months_vs_year(figures: pd.DataFrame, report: LoadReport, sheet: str) -> None:
    """Warn when 12 monthly revenues ending on a year end do not add up to the annual revenue."""
    freq = _frequency_of(figures["period_days"])
    months = figures[freq == "month"]
    for _, year in figures[freq == "year"].iterrows():
        end = year["period_end"]
        window = _window(months.drop_duplicates("period_end"), end, "month", 12)
        if len(window) != 12:
            continue
        total = float(window["revenue"].sum())
        if not math.isnan(year["revenue"]) and abs(total - float(year["revenue"])) > 1.0:
            report.problems.append(
                Problem(
                    "warning",
                    "months_vs_year",
                    f"the 12 months to {end:%d/%m/%Y} add up to revenue {total:,.2f} but the year says "
                    f"{float(year['revenue']):,.2f}",
                    file=report.file,
                    sheet=sheet,
                    column="revenue",
                )
            )


def load_kpi_input(path: str | Path) -> pd.DataFrame:
    """The ``working_capital`` table of a filled template (.xlsx), for ``cashmission kpi``.

    Warnings of the load are not returned here; call :func:`read_kpi_template` for the
    :class:`~cashmission.checks.LoadReport`.  A FEC is read by ``cashmission.fec``.

    Raises
    ------
    InputError : the file is not an Excel workbook (.xlsx, .xlsm).
    """
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise fail(
            "unsupported_format",
            f"expected a filled KPI template (.xlsx, .xlsm) or a FEC; got {p.name!r}",
            file=str(p),
        )
    figures, _ = read_kpi_template(p)
    return figures


# --------------------------------------------------------------------------- demo
def _demo_figures() -> pd.DataFrame:
    """Invented figures of a demo company (industrial pumps): years 2024, 2025 and the 12 months of 2025."""
    seasonal = [0.07, 0.075, 0.09, 0.085, 0.08, 0.095, 0.085, 0.055, 0.09, 0.09, 0.085, 0.1]
    revenue_2025 = 26_400_000.0
    ends = pd.date_range("2025-01-31", periods=12, freq="ME")
    rows = []
    for k, (end, share) in enumerate(zip(ends, seasonal, strict=True)):
        rev = round(revenue_2025 * share, -3)
        purchases = round(rev * 0.55, -3)
        rows.append(
            {
                "period_label": end.strftime("%m/%Y"),
                "period_end": end,
                "period_days": int(end.days_in_month),
                "revenue": rev,
                "vat_collected": round(rev * 0.2, -2),
                "receivables": round(5_200_000 + 40_000 * k - (150_000 if end.month == 12 else 0), -3),
                "receivables_not_due": round(3_400_000 + 15_000 * k, -3),
                "factored_receivables": 600_000.0,
                "discounted_receivables": 100_000.0,
                "payables": round(3_100_000 + 20_000 * k, -3),
                "purchases": purchases,
                "vat_deductible": round(purchases * 0.2, -2),
                "purchases_raw_materials": round(purchases * 0.6, -3),
                "purchases_goods": round(purchases * 0.15, -3),
                "stock_raw_materials": round(1_300_000 + 10_000 * k, -3),
                "stock_goods": 400_000.0,
                "stock_finished_goods": round(2_100_000 + 25_000 * k, -3),
            }
        )
    months = pd.DataFrame(rows)
    dec = months.iloc[-1]
    flows = [
        "revenue",
        "vat_collected",
        "purchases",
        "vat_deductible",
        "purchases_raw_materials",
        "purchases_goods",
    ]
    year_n = {
        **dec.to_dict(),
        **{c: float(months[c].sum()) for c in flows},
        "period_label": "Exercice 2025",
        "period_days": 365,
    }
    year_n1 = {
        "period_label": "Exercice 2024",
        "period_end": pd.Timestamp("2024-12-31"),
        "period_days": 366,
        "revenue": 24_000_000.0,
        "vat_collected": 4_800_000.0,
        "receivables": 4_600_000.0,
        "receivables_not_due": 3_300_000.0,
        "factored_receivables": 500_000.0,
        "discounted_receivables": 100_000.0,
        "payables": 3_000_000.0,
        "purchases": 13_200_000.0,
        "vat_deductible": 2_640_000.0,
        "purchases_raw_materials": 7_900_000.0,
        "purchases_goods": 2_000_000.0,
        "stock_raw_materials": 1_250_000.0,
        "stock_goods": 380_000.0,
        "stock_finished_goods": 1_950_000.0,
    }
    return pd.concat([pd.DataFrame([year_n1, year_n]), months], ignore_index=True)


def write_all_templates(root: str | Path) -> list[Path]:
    """Regenerate the two blank templates and the demo file under the project ``root``."""
    root = Path(root)
    return [
        write_kpi_template(root / "cashmission" / "templates" / "working_capital_template.xlsx"),
        write_kpi_template(root / "templates" / "working_capital_template.xlsx"),
        write_kpi_template(root / "data_samples" / "working_capital_demo.xlsx", _demo_figures()),
    ]


if __name__ == "__main__":  # pragma: no cover
    for written in write_all_templates(Path(__file__).resolve().parents[1]):
        print(written)  # noqa: T201
