"""DSO measures (*délai de paiement clients*), one pure function per measure.

The customer side of working capital: simple, countback and best possible DSO, average days delinquent,
overdue rate, collection effectiveness index, days beyond terms and economic DSO.

Each function is named by what it returns.  The KPI table built from the
canonical ``working_capital`` table (:mod:`cashmission.tables`) is
:func:`cashmission.working_capital.table.kpi_table` (every KPI at one period end, each
with the formula filled in with its numbers), its series and the tracking N−1 → N are in
:mod:`cashmission.working_capital.series`; :func:`cashmission.working_capital.bridge.dso_bridge`
explains a change of DSO by its causes.

The figures come either from a FEC (``cashmission.working_capital.fec_figures.fec_monthly_figures``) or from
the Excel template written by :func:`cashmission.io.kpi_template.write_kpi_template` and read back by
:func:`cashmission.io.kpi_template.read_kpi_template`.

The conventions every measure follows (tax basis, days, ratios) are in
:mod:`cashmission.working_capital.conventions`; DPO, stock days, BFR and cash per day in
:mod:`cashmission.working_capital.measures_cycle`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cashmission.working_capital.conventions import Basis, BeyondHistory, _check_days, _fmt, _ratio_days, _same_basis


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
    (receivables − receivables not due) / receivables, a fraction: the one definition
    of :func:`cashmission.ledger.ageing.overdue_rate` (overdue / balance), with the
    overdue taken as what is not yet due subtracted from the receivables.  NaN when the
    receivables are zero or negative.  Source: domain conventions (*créances échues /
    non échues*); a due date passed is overdue from the next day, as for late-payment
    interest under Code de commerce L441-10.

    >>> overdue_rate(400_000, 300_000)
    0.25
    """
    from cashmission.ledger.ageing import overdue_rate as share_of_balance

    r = float(receivables)
    return float(share_of_balance(r - float(receivables_not_due), r))


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
