"""Working-capital cycle measures (*cycle d'exploitation*): DPO, stock days, BFR, cash per day and cash at stake.

One pure function per measure; the conventions are those of :mod:`cashmission.working_capital.conventions`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cashmission.problems import is_missing
from cashmission.working_capital.conventions import Basis, _check_days, _ratio_days, _same_basis


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
    progress against revenue.  NaN when the flow is zero.

    Simplified conventions (what a FEC or the template gives): raw materials and goods
    are over their **purchases**, not their consumption (purchases ± stock variation,
    603), which a growing or shrinking stock makes differ; finished goods are over
    **revenue HT**, not the cost of production (*coût de production des produits vendus*).  Source: domain conventions
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
    HT, receivables and payables TTC).  Trade working capital only (*BFR commercial*):
    the other operating receivables and payables of a full *BFR d'exploitation* (VAT,
    social and tax debts, advances paid and received, prepaid items) are left out.
    Source: domain conventions ("BFR = stocks + receivables − payables"), the French
    *BFR d'exploitation*.

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
