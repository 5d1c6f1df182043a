"""`cashmission kpi`: working-capital KPIs of a FEC or a filled template, each with its formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.output import emit
from cashmission.cli.values import DATE


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Date to report, YYYY-MM-DD or DD/MM/YYYY (default: the end of the period). For a FEC any day of its "
    "fiscal year (a partial month counts its own days); for a template or a CSV one of its period ends.",
)
@click.option(
    "--days",
    "days",
    type=click.Choice(["360", "365"]),
    default="365",
    show_default=True,
    help="Days in a year for annual ratios (360: Banque de France convention).",
)
@click.option(
    "--vat-rate",
    "vat_rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="VAT rate (0.20) to gross revenue and purchases up to TTC when the file gives no VAT "
    "collected / deductible; without it those DSO and DPO stay empty rather than mixing HT and TTC.",
)
@click.option(
    "--with-services",
    is_flag=True,
    help="For a FEC: purchases include external services (61, 62) besides 60, with their VAT, for DPO.",
)
@click.option(
    "--supplier-debits",
    type=click.Choice(["reclassify", "net"]),
    default="reclassify",
    show_default=True,
    help="For a FEC: suppliers with a debit balance are reclassified as assets, as on the balance sheet "
    "(reclassify), or netted against the other suppliers (net).",
)
@click.option(
    "--through",
    type=click.Choice(["last-entry", "fiscal-year-end"]),
    default="last-entry",
    show_default=True,
    help="For a FEC: the period ends at the last entry (a file cut before its year end, on the 15th: a partial "
    "month) or runs to the fiscal year end.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@friendly
def kpi(
    file: Path,
    as_of: Any,
    days: str,
    vat_rate: float | None,
    with_services: bool,
    supplier_debits: str,
    through: str,
    lang: str,
    fmt: str,
) -> None:
    """Working-capital KPIs (DSO, DPO, stock days, BFR, cash per day) of a FEC or a filled template.

    Each KPI is printed with its value, unit, convention and the formula, so that a
    finance director can check it by hand.
    """
    from cashmission.working_capital import table as working_capital_table

    # a FEC is measured at --as-of itself (any day); a template or CSV keeps its rows
    figures = _figures(file, with_services, supplier_debits, as_of if as_of is not None else through)
    table = working_capital_table.kpi_table(figures, as_of=as_of, days_basis=int(days), vat_rate=vat_rate)
    title = "Indicateurs de BFR" if lang == "fr" else "Working-capital KPIs"
    if fmt != "table":
        emit(table, fmt, None, lang, title=title)
        return
    end = as_of if as_of is not None else figures["period_end"].max()
    click.echo(kpi_text(table, f"{title}: {file.name}, {end:%Y-%m-%d} ({days}-day year)", lang, figures.attrs))


def _figures(file: Path, with_services: bool, supplier_debits: str, through: Any) -> Any:
    """The file's working-capital figures; its load warnings and figure notes go to stderr."""
    from cashmission.working_capital import table as working_capital_table
    from cashmission.working_capital.sources import load_working_capital

    figures, report = load_working_capital(
        file,
        include_services=with_services,
        reclassify_debit_suppliers=supplier_debits == "reclassify",
        through=through.replace("-", "_") if isinstance(through, str) else through,
    )
    others = [w for w in report.warnings if w.code != "period"]
    if others:
        click.echo(f"{len(others)} warning(s) in {file.name}: run `cashmission check {file}`", err=True)
    notes = [w.message for w in report.warnings if w.code == "period"] + working_capital_table.figure_warnings(figures)
    for warning in notes:
        click.echo(f"Note: {warning}.", err=True)
    return figures


def kpi_text(table: Any, header: str, lang: str, attrs: Any = None) -> str:
    """The KPI table as text: ``header``, the period measured (a FEC's, from ``attrs``), then each KPI.

    Each KPI: its label, value and formula, its convention below.
    """
    from cashmission.report import labels as report_labels
    from cashmission.report import views

    labels = [report_labels.label(k, lang) for k in table["kpi"]]
    values = [
        views.format_by_unit(v, u, lang).replace(report_labels.NBSP, " ").replace("\u202f", " ")
        for v, u in zip(table["value"], table["unit"], strict=True)
    ]
    width, vwidth = max(map(len, labels), default=0), max(map(len, values), default=0)
    note = views.period_note((attrs or {}).get("period"), lang)
    lines = [header, *(["  " + note] if note else [])]
    if lang == "fr":  # the formulas are written the English way; say so to a French reader
        lines.append("  " + report_labels.label("formula_note", lang))
    for label_, value, row in zip(labels, values, table.itertuples(index=False), strict=True):
        lines.append(f"  {label_:<{width}} {value:>{vwidth}}   {row.formula}")
        lines.append(f"  {'':<{width}} {'':>{vwidth}}   ({row.convention})")
    return "\n".join(line for line in lines if line)
