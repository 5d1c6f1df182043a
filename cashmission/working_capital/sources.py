"""Working-capital figures from any source (a FEC, a filled template or a CSV) as the canonical table."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission.meta import FigureBasis, TaxReturnBasis, of
from cashmission.problems import InputError, LoadReport, Problem, fail


def load_working_capital(
    path: str | Path,
    *,
    include_services: bool = True,
    reclassify_debit_suppliers: bool = True,
    fiscal_year_end: str | pd.Timestamp | None = None,
    through: str | pd.Timestamp = "last_entry",
    terms_days: int | None = None,
    end_of_month: bool = False,
    customers: str | Path | pd.DataFrame | None = None,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Working-capital figures (``working_capital`` table) from a FEC or the filled template.

    From a FEC: one row per month of the fiscal year up to the last month with
    entries (:func:`cashmission.working_capital.fec_figures.fec_monthly_figures`, which the keyword arguments
    go to; ``include_services`` counts 61, 62 with 60 in the purchases and their VAT, False
    keeps 60 alone,
    ``reclassify_debit_suppliers`` counts suppliers in debit as assets); the accounts
    used are in ``report.extra["convention"]``, the period measured and why in
    ``report.extra["period"]`` (:func:`cashmission.working_capital.fec_figures.fec_period`;
    ``through`` may be a date, the day to measure at), with an ``info`` problem
    ``period`` saying it and a ``warning`` when the file name's closing date does not fit
    the entries or the file holds only opening entries.  A FEC has no due dates: the
    receivables not yet due at each month end (``receivables_not_due``, behind best
    possible DSO, ADD, overdue rate and CEI) come from its customer ledger with
    ``terms_days`` (default :data:`cashmission.terms.DEFAULT_TERMS_DAYS`), ``end_of_month``
    and the customer master's terms (``customers``), as
    :func:`cashmission.ledger.sources.fec_items` (the terms used in
    ``report.extra["terms"]`` and ``["due_dates"]``;
    :func:`cashmission.working_capital.not_due.receivables_not_due`).  The fiscal
    year as on the tax return is in ``report.extra["tax_return"]``
    (:func:`cashmission.working_capital.tax_return.tax_return_view`, records, with
    ``["tax_return_period"]``: its :class:`cashmission.meta.TaxReturnBasis` as a dict,
    the fields it has).  From the template: the periods the
    client typed in (:func:`cashmission.io.kpi_template.read_kpi_template`); the keyword
    arguments do not apply.  A CSV (``.csv``, ``.txt``) that is not a FEC holds
    monthly figures under the canonical column names
    (:func:`cashmission.io.kpi_template.read_figures_csv`, like the demo's ``monthly.csv``),
    or the client's headers named by ``mapping``.  ``date_order`` (``dayfirst`` or
    ``monthfirst``) forces the order of the template's and the CSV's period ends
    (default: detected from the values); a FEC's dates are ``YYYYMMDD``.
    """
    from cashmission.io import fec, kpi_template
    from cashmission.working_capital import fec_figures, tax_return

    p = Path(path)
    if p.exists() and fec.is_fec(p):
        lines, report = fec.read_fec(p)
        figures = fec_figures.fec_monthly_figures(
            lines,
            include_services=include_services,
            reclassify_debit_suppliers=reclassify_debit_suppliers,
            fiscal_year_end=fiscal_year_end,
            through=through,
        )
        if figures.empty:
            raise fail("empty", "no working-capital figures: the FEC has no dated entries", file=str(p))
        basis = of(figures, FigureBasis) or FigureBasis()
        report.extra["convention"] = basis.convention
        report.extra["through"] = basis.through
        report.extra["period"] = basis.period
        report.problems += _period_problems(basis.period, str(p))
        figures["receivables_not_due"] = _not_due(lines, report, figures, terms_days, end_of_month, customers)
        view = tax_return.tax_return_view(
            lines,
            supplier_debits="reclassify" if reclassify_debit_suppliers else "net",
            fiscal_year=basis.fiscal_year,
        )
        report.extra["tax_return"] = view.to_dict("records")
        stated = asdict(of(view, TaxReturnBasis) or TaxReturnBasis())
        report.extra["tax_return_period"] = {k: v for k, v in stated.items() if v is not None}
        return figures, report
    if p.suffix.lower() in (".csv", ".txt"):  # monthly figures with the canonical column names
        try:
            figures = kpi_template.read_figures_csv(p, mapping=mapping, date_order=date_order)
        except (UnicodeDecodeError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            if isinstance(err, InputError):
                raise
            raise fail(
                "unreadable",
                "not working-capital figures: expected a FEC, the Excel template, or a UTF-8 CSV with the columns "
                f"period_end, period_days, revenue, … ({type(err).__name__})",
                file=str(p),
            ) from None
        if figures.empty:
            raise fail("empty", "no working-capital figures: the file has a header but no rows", file=str(p))
        report = LoadReport(file=str(p), kind="working_capital", rows_read=len(figures), rows_kept=len(figures))
        return figures, report
    return kpi_template.read_kpi_template(p, date_order=date_order)


def _not_due(
    lines: pd.DataFrame,
    report: LoadReport,
    figures: pd.DataFrame,
    terms_days: int | None,
    end_of_month: bool,
    customers: str | Path | pd.DataFrame | None,
) -> np.ndarray:
    """Receivables not yet due at each month end of ``figures``, from the FEC's customer ledger and terms.

    Left empty, with a warning naming the first line, when a customer line has no date
    (it has no due date): :func:`cashmission.ledger.sources.load_receivables` refuses them.
    """
    from cashmission.io.fec import fec_entity
    from cashmission.ledger.sources import fec_items
    from cashmission.working_capital.not_due import receivables_not_due

    entity = fec_entity(report.file or "")
    items = fec_items(
        lines, report, terms_days=terms_days, end_of_month=end_of_month, customers=customers, entity=entity
    )
    undated = items["document_date"].isna() | items["due_date"].isna()
    if undated.any():
        first = items.loc[undated, "source_row"].iloc[0] if "source_row" in items.columns else None
        report.problems.append(
            Problem(
                "warning",
                "missing_date",
                f"{int(undated.sum())} customer line(s) without a valid PieceDate or EcritureDate: no due date, "
                "so the receivables not yet due are left empty",
                file=report.file,
                row=None if first is None or pd.isna(first) else int(first),
            )
        )
        return np.full(len(figures), np.nan)
    return receivables_not_due(items, figures["period_end"])


def _period_problems(period: dict, file: str) -> list[Problem]:
    """The period a FEC's figures cover, as an ``info`` problem, and its warnings."""
    if not period:
        return []
    from cashmission.working_capital.fec_figures import period_sentence

    out = [Problem("info", "period", period_sentence(period), file=file)]
    return out + [Problem("warning", "period", w, file=file) for w in period.get("warnings", [])]


def dso_bridge_from_files(
    items_path: str | Path | None,
    revenue_path: str | Path | None,
    figures: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    factoring_derecognised: bool = True,
    date_order: str | None = None,
) -> pd.DataFrame | None:
    """The DSO bridge (*pont de DSO*) between two dates from a customer ledger file, or ``None`` without one.

    The ledger (an open-items history with settlement dates, or a FEC) is loaded with
    :func:`cashmission.ledger.sources.load_receivables`; the monthly revenue comes from
    ``revenue_path`` (a CSV of canonical ``working_capital`` rows) when given, else from
    ``figures``; ``date_order`` forces the order of both files' dates (default: detected).
    The bridge itself is
    :func:`cashmission.working_capital.bridge.dso_bridge_between`.  A report section that
    does not apply (no ledger file) gets ``None`` and shows nothing.
    """
    from cashmission.io.kpi_template import read_figures_csv
    from cashmission.ledger.sources import load_receivables
    from cashmission.working_capital.bridge import dso_bridge_between

    if not items_path:
        return None
    items, _ = load_receivables(items_path, date_order=date_order)
    monthly = read_figures_csv(revenue_path, date_order=date_order) if revenue_path else figures
    return dso_bridge_between(items, monthly, start, end, factoring_derecognised=factoring_derecognised)
