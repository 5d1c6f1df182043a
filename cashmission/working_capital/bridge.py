"""The DSO bridge (*pont de DSO*): a change of DSO split into its causes, between two dates."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cashmission.meta import Period, attach
from cashmission.periods import _frequency_of
from cashmission.problems import fail
from cashmission.working_capital.conventions import _check_days
from cashmission.working_capital.window import _months_lacking

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
    net_matched: bool = True,
    allocate: bool = True,
) -> pd.Series:
    """Receivables split into the causes of :func:`dso_bridge` (*décomposition du poste clients*).

    Parameters
    ----------
    items : a customer ledger or the open items at ``as_of`` (canonical ``open_items``
        table); uses ``document_type``, ``due_date``, ``amount`` and, when present,
        ``dispute``, ``factored`` and the lettering columns (``match_code``,
        ``cleared_date``, ``lettering_status``).  Items with a ``document_date`` (or
        ``booked_date``) are restricted to those open at ``as_of``.
    as_of : the date of the picture.
    revenue_ttc, days : revenue TTC of the period that ends at ``as_of`` and its days.
    factoring_derecognised : True (default) when items assigned to the factor are off
        the balance sheet: they are counted in their bucket and taken out again in
        ``factored``.  False when they stay on the balance sheet (then ``factored`` is 0).
    net_matched, allocate : the lettering rules of the aged balance
        (:func:`cashmission.ledger.ageing.aged_balance`), applied the same way.

    Returns
    -------
    Series with ``not_due``, ``overdue_undisputed``, ``disputed``,
    ``unapplied_cash_and_credits`` (negative), ``factored`` (positive amount taken off
    the balance), ``revenue_ttc`` and ``days``.  The reported receivables are
    not_due + overdue_undisputed + disputed + unapplied_cash_and_credits − factored.

    Notes
    -----
    The decomposition is that of the aged balance: each open item's amount is what it
    still owes after the lettering rules (:func:`cashmission.ledger.ageing.aged_amounts`,
    not recomputed here).  A positive amount goes to ``disputed`` when flagged, else to
    ``overdue_undisputed`` when ``due_date < as_of``, else to ``not_due``: so
    not_due + overdue_undisputed + disputed = the buckets, and overdue_undisputed +
    the disputed part overdue = its ``overdue``.  Every negative amount (credit notes,
    unapplied cash, other credits) goes to ``unapplied_cash_and_credits``.

    >>> items = pd.DataFrame({"document_type": ["invoice", "invoice", "invoice", "credit_note"],
    ...     "due_date": pd.to_datetime(["2024-07-15", "2024-06-10", "2024-05-31", "2024-06-01"]),
    ...     "amount": [600.0, 300.0, 200.0, -100.0], "dispute": [False, False, True, False]})
    >>> dso_components(items, "2024-06-30", 1_000.0, 30)[list(_COMPONENTS)].tolist()
    [600.0, 300.0, 200.0, -100.0, 0.0]
    """
    from cashmission.ledger.ageing import aged_amounts

    d = pd.Timestamp(as_of)
    dated = any(c in items.columns for c in ("booked_date", "document_date"))
    aged = aged_amounts(items, d, open_only=dated, net_matched=net_matched, allocate=allocate)
    amount = pd.Series(aged["amount"].to_numpy(dtype=float), index=aged.index).fillna(0.0)
    debit, credit = amount > 0, amount < 0
    disputed = aged["dispute"].eq(True) if "dispute" in aged.columns else pd.Series(False, index=aged.index)
    overdue = pd.to_datetime(aged["due_date"]) < d
    out = {
        "not_due": float(amount[debit & ~disputed & ~overdue].sum()),
        "overdue_undisputed": float(amount[debit & ~disputed & overdue].sum()),
        "disputed": float(amount[debit & disputed].sum()),
        "unapplied_cash_and_credits": float(amount[credit].sum()),
        "factored": 0.0,
    }
    if factoring_derecognised and "factored" in aged.columns:
        out["factored"] = float(amount[aged["factored"].eq(True)].sum())
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
    InputError : a month is missing from the figures, its revenue is empty (never read
        as zero: the same check as :func:`cashmission.working_capital.table.kpi_table`,
        which leaves the flows empty and names the month), or its VAT is unknown without
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
    empty = _months_lacking(win.reset_index(), "revenue")
    if empty:
        raise fail(
            "revenue",
            f"revenue missing for {', '.join(empty)} (the {months} months before {d:%Y-%m-%d}): "
            "a missing figure is not zero; fill it in",
        )
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
        :func:`cashmission.ledger.ageing.open_at` and decomposed as the aged balance
        shows them (:func:`dso_components`).  An open-items extract without
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
    DSO at ``end``; its :class:`cashmission.meta.Period` holds ``start``, ``end`` (ISO)
    and ``months``.

    Notes
    -----
    DSO at a date = receivables open at that date / revenue TTC of the ``months``
    closed months before it × their days (simple method, TTC/TTC).
    """
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise ValueError(f"end {e:%Y-%m-%d} is before start {s:%Y-%m-%d}")
    sides = []
    for when in (s, e):
        revenue, days = trailing_revenue_ttc(figures, when, months, vat_rate=vat_rate)
        sides.append(
            # the whole ledger: the ageing takes the items open at the date, and needs their
            # history to tell a customer that letters its payments from one that does not
            dso_components(items, when, revenue, days, factoring_derecognised=factoring_derecognised)
        )
    out = dso_bridge(*sides)
    return attach(out, Period(start=s.date().isoformat(), end=e.date().isoformat(), months=months))
