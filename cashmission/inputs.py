"""Any supported input file → a canonical table, whatever its format.

One dispatch for notebooks and the command line: a FEC (recognised by its header) or
an ERP export (CSV/Excel) for receivables; a FEC or the filled Excel template for the
working-capital figures.  Each returns the table and the :class:`LoadReport` of what
was read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cashmission.checks import LoadReport, Problem


def load_receivables(
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    terms_days: int | None = None,
    end_of_month: bool = False,
) -> tuple[pd.DataFrame, LoadReport]:
    """Customer receivables (*postes clients*) from a FEC or an open-items export.

    A FEC has no due dates: they come from ``terms_days`` (30 when not given, said in
    an info problem of the report) counted from the document date, or from the end of
    its month with ``end_of_month``.  The FEC gives a ledger (items with their
    settlement date), so an aged balance at any past date ties to the books.
    """
    from cashmission import fec, loaders

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
        items = fec.fec_receivables(lines, terms_days=terms_days, end_of_month=end_of_month)
        report.extra["items"] = len(items)
        return items, report
    return loaders.load_open_items(p, mapping=mapping, sheet=sheet, terms_days=terms_days)


def load_working_capital(path: str | Path) -> tuple[pd.DataFrame, LoadReport]:
    """Working-capital figures (``working_capital`` table) from a FEC or the filled template.

    From a FEC: one row per month of the fiscal year (:func:`cashmission.fec.fec_monthly_figures`);
    from the template: the periods the client typed in (:func:`cashmission.kpis.read_kpi_template`).
    """
    from cashmission import fec, kpis

    p = Path(path)
    if p.exists() and fec.is_fec(p):
        lines, report = fec.read_fec(p)
        return fec.fec_monthly_figures(lines), report
    return kpis.read_kpi_template(p)
