"""Any supported input file → a canonical table, whatever its format.

One dispatch for notebooks and the command line: a FEC (recognised by its header) or
an ERP export (CSV/Excel) for receivables; a FEC or the filled Excel template for the
working-capital figures.  Each returns the table and the :class:`LoadReport` of what
was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cashmission.checks import LoadReport, Problem

LEDGERS = ("customers", "suppliers")


def terms_description(
    terms_days: int, end_of_month: bool = False, terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None
) -> str:
    """The payment terms used to derive due dates, in words.

    >>> terms_description(30, True)
    'due dates derived: 30 days end of month from the document date'
    >>> terms_description(30, False, {"C1": (45, True), "C2": 60})
    'due dates derived: 30 days from the document date; per party: C1 45 days end of month, C2 60 days'
    """

    def one(days: int, eom: bool) -> str:
        return f"{int(days)} days{' end of month' if eom else ''}"

    text = f"due dates derived: {one(terms_days, end_of_month)} from the document date"
    if terms_by_customer:
        per = []
        for pid, t in terms_by_customer.items():
            d, e = (t, False) if isinstance(t, int) else (int(t[0]), bool(t[1]))
            per.append(f"{pid} {one(d, e)}")
        text += "; per party: " + ", ".join(per)
    return text


def load_receivables(
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    terms_days: int | None = None,
    end_of_month: bool = False,
    terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None,
    ledger: str = "customers",
) -> tuple[pd.DataFrame, LoadReport]:
    """Customer receivables (*postes clients*) from a FEC or an open-items export.

    A FEC has no due dates: they come from ``terms_days`` (30 when not given, said in
    an info problem of the report) counted from the document date, or from the end of
    its month with ``end_of_month``; ``terms_by_customer`` (``{id: days}`` or
    ``{id: (days, end_of_month)}``) overrides them per customer (per supplier with
    ``ledger="suppliers"``).  The terms used are stated in ``report.extra["due_dates"]``
    and in a ``terms_used`` info problem.  The FEC gives a ledger (items with their
    settlement date), so an aged balance at any past date ties to the books.

    ``ledger``: ``"customers"`` (411…, :func:`cashmission.fec.fec_receivables`) or
    ``"suppliers"`` (401…, :func:`cashmission.fec.fec_payables`, amounts owed by the
    company positive); FEC only.
    """
    from cashmission import fec, loaders

    if ledger not in LEDGERS:
        raise ValueError(f"ledger must be one of {', '.join(LEDGERS)}, got {ledger!r}")
    p = Path(path)
    if p.exists() and fec.is_fec(p):
        lines, report = fec.read_fec(p)
        if terms_days is None:
            terms_days = 30
            report.problems.append(
                Problem(
                    "info",
                    "terms_assumed",
                    "a FEC has no due dates: due date = document date + 30 days (set terms_days)",
                    file=p.name,
                )
            )
        described = terms_description(terms_days, end_of_month, terms_by_customer)
        report.extra["due_dates"] = described
        report.extra["ledger"] = ledger
        report.problems.append(Problem("info", "terms_used", described, file=p.name))
        if ledger == "customers":
            items = fec.fec_receivables(
                lines, terms_days=terms_days, end_of_month=end_of_month, terms_by_customer=terms_by_customer
            )
        else:
            items = fec.fec_payables(
                lines, terms_days=terms_days, end_of_month=end_of_month, terms_by_supplier=terms_by_customer
            )
        items.attrs["due_dates"] = described
        report.extra["items"] = len(items)
        return items, report
    if ledger != "customers":
        raise ValueError(f"ledger={ledger!r} needs a FEC; {p.name} is read as customer open items")
    return loaders.load_open_items(p, mapping=mapping, sheet=sheet, terms_days=terms_days)


def load_working_capital(
    path: str | Path,
    *,
    include_services: bool = False,
    reclassify_debit_suppliers: bool = True,
    fiscal_year_end: str | pd.Timestamp | None = None,
    through: str = "last_entry",
) -> tuple[pd.DataFrame, LoadReport]:
    """Working-capital figures (``working_capital`` table) from a FEC or the filled template.

    From a FEC: one row per month of the fiscal year up to the last month with
    entries (:func:`cashmission.fec.fec_monthly_figures`, which the keyword arguments
    go to; ``include_services`` adds 61, 62 to the purchases and their VAT,
    ``reclassify_debit_suppliers`` counts suppliers in debit as assets); the accounts
    used are in ``report.extra["convention"]``.  From the template: the periods the
    client typed in (:func:`cashmission.kpis.read_kpi_template`); the keyword
    arguments do not apply.
    """
    from cashmission import fec, kpis

    p = Path(path)
    if p.exists() and fec.is_fec(p):
        lines, report = fec.read_fec(p)
        figures = fec.fec_monthly_figures(
            lines,
            include_services=include_services,
            reclassify_debit_suppliers=reclassify_debit_suppliers,
            fiscal_year_end=fiscal_year_end,
            through=through,
        )
        report.extra["convention"] = figures.attrs.get("convention", {})
        report.extra["through"] = figures.attrs.get("through")
        return figures, report
    return kpis.read_kpi_template(p)
