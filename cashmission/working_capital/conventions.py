"""The conventions every working-capital measure shares: tax basis, days, ratios in days, figures in words.

Conventions
-----------
- Receivables and payables are on the ledger tax included (TTC); revenue, purchases
  and stocks excluding tax (HT).  DSO and DPO put both sides on one basis: TTC/TTC
  (the French practice, by default) or HT/HT through a VAT rate; a mixed ratio cannot
  be asked for.
- Days: calendar days of the period by default; ``days_basis=360`` or ``365`` counts a
  year as that many days and a month as a twelfth of it; a period shorter than its
  window (a short fiscal year, a month cut on the 15th) counts its own days
  (:func:`cashmission.periods.window_days`).
- Simplified: stock days of raw materials and goods are over purchases, not
  consumption; finished goods over revenue HT; BFR is trade working capital only
  (:func:`cashmission.working_capital.measures_cycle.stock_days`,
  :func:`cashmission.working_capital.measures_cycle.working_capital_requirement`).
- Ratios are fractions (0.25 = 25 %); days and amounts are plain floats; an undefined
  ratio (no sales, no purchases) is NaN, never a division error.
"""

from __future__ import annotations

import math
from typing import Literal

Basis = Literal["ttc", "ht"]
BeyondHistory = Literal["extrapolate", "cap", "raise"]
Frequency = Literal["auto", "month", "year"]


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


def _fmt(x: float, decimals: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{decimals}f}"
