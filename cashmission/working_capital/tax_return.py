"""The tax-return view of a FEC (*liasse fiscale* 2050-2053): fiscal-year turnover, receivables, payables, stocks."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cashmission.meta import TaxReturnBasis, attach
from cashmission.working_capital.fec_figures import fec_closing_figures

TAX_RETURN_ROWS: tuple[tuple[str, str, str], ...] = (
    ("net_turnover", "2052", "FL"),
    ("rebates_granted", "2052", "FL"),
    ("trade_receivables", "2050", "BX"),
    ("customer_credit_balances", "2051", ""),
    ("trade_payables", "2051", "DX"),
    ("supplier_debit_balances", "2050", "BZ"),
    ("stock_raw_materials", "2050", "BL - BM"),
    ("stock_finished_goods", "2050", "BN + BP + BR"),
    ("stock_goods", "2050", "BT - BU"),
    ("stocks", "2050", "BL…BU"),
)
"""Rows of :func:`tax_return_view`, in order: key, form, line(s) of the tax return (*régime
réel normal*; the simplified 2033 has its own numbers).  ``rebates_granted`` is the part of
the turnover already deducted (709); the customer and supplier balances in the
unexpected direction are the amounts reclassified."""

SUPPLIER_DEBITS = ("reclassify", "net")
"""Conventions for the suppliers with a debit balance: ``reclassify`` (to the assets,
*autres créances*, as on the tax return and the balance sheet: the default) or ``net``
(netted against the other suppliers, as some simplified returns show)."""


def fiscal_year_months(start: str | pd.Timestamp, end: str | pd.Timestamp) -> int:
    """Calendar months from ``start`` to ``end``, both included (an *exercice* of 1 to 23 months).

    >>> fiscal_year_months("2022-04-01", "2023-04-30"), fiscal_year_months("2024-01-01", "2024-12-31")
    (13, 12)
    """
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return (e.year - s.year) * 12 + e.month - s.month + 1


def tax_return_view(
    lines: pd.DataFrame,
    *,
    supplier_debits: str = "reclassify",
    fiscal_year: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The FEC's fiscal-year figures as on the tax return (*liasse fiscale*), reclassifications shown.

    Parameters
    ----------
    lines : the lines of a FEC (:func:`cashmission.io.fec.read_fec`), the whole fiscal
        year.
    supplier_debits : ``"reclassify"`` (default, the tax-return presentation) or
        ``"net"``, see :data:`SUPPLIER_DEBITS`.
    fiscal_year : ``{"start": ISO date, "end": ISO date}`` (the ``fiscal_year`` of the
        :class:`cashmission.meta.FigureBasis` of
        :func:`cashmission.working_capital.fec_figures.fec_monthly_figures`), stated in
        the view's :class:`cashmission.meta.TaxReturnBasis`.

    Returns
    -------
    DataFrame, one row per :data:`TAX_RETURN_ROWS`: ``key``, ``form``, ``line``,
    ``amount`` (euros and cents, as booked: the return rounds to the euro).  Its
    :class:`cashmission.meta.TaxReturnBasis` holds ``supplier_debits``, and ``start``,
    ``end``, ``months`` of the fiscal year when given.

    Notes
    -----
    The balances and flows are those of
    :func:`cashmission.working_capital.fec_figures.fec_closing_figures` (every line of
    the file; flows without the opening and closing entries):

    - net turnover (*chiffre d'affaires net*, 2052 FL) = Σ 70 (credit − debit), the
      rebates granted 709 (debit − credit, shown apart) already deducted;
    - trade receivables (*clients et comptes rattachés*, 2050 BX) = Σ debit balances of
      411, 413, 416, 418; customer credit balances = Σ their credit balances,
      reclassified to the liabilities;
    - trade payables (*fournisseurs et comptes rattachés*, 2051 DX) = Σ credit balances of
      401, 403, 408; supplier debit balances = Σ their debit balances, reclassified to
      the assets (*autres créances*, BZ), or with ``supplier_debits="net"`` payables =
      credit balances − debit balances;
    - a balance's direction is decided per auxiliary account (CompAuxNum) when the
      line has one, else per account number (CompteNum);
    - stocks net of their write-downs (39): raw materials 31, 32 − 391, 392 (BL − BM);
      work in progress and finished goods 33, 34, 35 − 393 to 395 (BN, BP, BR);
      goods for resale 37 with 36 and 38 − 396 to 398 (BT − BU).
    """
    if supplier_debits not in SUPPLIER_DEBITS:
        raise ValueError(f"supplier_debits must be one of {', '.join(SUPPLIER_DEBITS)}; got {supplier_debits!r}")
    c = fec_closing_figures(lines, reclassify_debit_suppliers=supplier_debits == "reclassify")
    c["stocks"] = c["stock_raw_materials"] + c["stock_finished_goods"] + c["stock_goods"]
    out = pd.DataFrame(
        [{"key": k, "form": form, "line": line, "amount": float(c[k])} for k, form, line in TAX_RETURN_ROWS]
    )
    if not fiscal_year:
        return attach(out, TaxReturnBasis(supplier_debits=supplier_debits))
    start, end = fiscal_year["start"], fiscal_year["end"]
    return attach(
        out,
        TaxReturnBasis(supplier_debits=supplier_debits, start=start, end=end, months=fiscal_year_months(start, end)),
    )
