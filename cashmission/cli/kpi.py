"""`cashmission kpi`: working-capital KPIs of a FEC or a filled template, each with its formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.output import emit, source_of
from cashmission.cli.values import DATE, input_options, output_options, terms_options


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
    "--with-services/--purchases-only",
    "with_services",
    default=True,
    show_default=True,
    help="For a FEC, the purchases behind DPO: purchases and other external charges 60 + 61 + 62 TTC "
    "(default, the Banque de France measure: the supplier accounts hold every supplier, goods and services), "
    "or purchases of account 60 only (--purchases-only).",
)
@click.option(
    "--supplier-debits",
    type=click.Choice(["reclassify", "net"]),
    default="reclassify",
    show_default=True,
    help="For a FEC: suppliers with a debit balance are reclassified as assets, auxiliary account by "
    "auxiliary account, as on the tax return and the balance sheet (reclassify, the default), or netted "
    "against the other suppliers (net, as some simplified returns show); the output says which.",
)
@click.option(
    "--through",
    type=click.Choice(["last-entry", "fiscal-year-end"]),
    default="last-entry",
    show_default=True,
    help="For a FEC: the period ends at the last entry (a file cut before its year end, on the 15th: a partial "
    "month) or runs to the fiscal year end.",
)
@terms_options(
    "For a FEC: payment terms in days (0 to 365) giving the due dates behind best possible DSO, "
    "ADD, overdue rate and CEI (a FEC has none; default: the project's FEC terms, said in the output)."
)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@output_options
@input_options
@friendly
def kpi(
    file: Path,
    as_of: Any,
    days: str,
    vat_rate: float | None,
    with_services: bool,
    supplier_debits: str,
    through: str,
    terms: int | None,
    end_of_month: bool,
    customers: Path | None,
    lang: str,
    fmt: str,
    output: Path | None,
    mapping: dict[str, str] | None,
    date_order: str | None,
) -> None:
    """Working-capital KPIs (DSO, DPO, stock days, BFR, cash per day) of a FEC or a filled template.

    Each KPI is printed with its value, unit, convention and the formula, so that a
    finance director can check it by hand.  For a FEC: the due dates behind best
    possible DSO, ADD, overdue rate and CEI come from --terms / --customers (a default
    otherwise), the purchases behind DPO are 60 + 61 + 62 (--purchases-only: 60), and
    the whole fiscal year as on the tax return (liasse fiscale) follows the table.
    --mapping names the columns of a CSV of figures; --dayfirst/--monthfirst the order
    of its (or the template's) period ends.
    """
    from cashmission.working_capital import table as working_capital_table

    fec_terms = {"terms_days": terms, "end_of_month": end_of_month, "customers": customers}
    # a FEC is measured at --as-of itself (any day); a template or CSV keeps its rows
    figures, report = _figures(
        file,
        with_services,
        supplier_debits,
        as_of if as_of is not None else through,
        fec_terms,
        mapping=mapping,
        date_order=date_order,
        lang=lang,
    )
    table = working_capital_table.kpi_table(figures, as_of=as_of, days_basis=int(days), vat_rate=vat_rate)
    table = _with_sources(table, figures, report)
    title = "Indicateurs de BFR" if lang == "fr" else "Working-capital KPIs"
    if fmt != "table":
        params = {"as_of": as_of, "days": days, "vat_rate": vat_rate, "terms": terms, "through": through}
        emit(table, fmt, output, lang, title=title, source=source_of(report, params))
        return
    end = as_of if as_of is not None else figures["period_end"].max()
    header = f"{title}: {file.name}, {end:%Y-%m-%d} ({days}-day year)"
    click.echo(kpi_text(table, header, lang, _basis(figures).period))
    for line in fec_notes(report, figures, lang):
        click.echo(line)


def _figures(
    file: Path,
    with_services: bool,
    supplier_debits: str,
    through: Any,
    fec_terms: dict[str, Any],
    *,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
    lang: str = "fr",
) -> tuple[Any, Any]:
    """The file's working-capital figures and load report; its load warnings and figure notes go to stderr."""
    from cashmission.report.formula_words import formula_text
    from cashmission.report.labels import label
    from cashmission.working_capital import table as working_capital_table
    from cashmission.working_capital.sources import load_working_capital

    figures, report = load_working_capital(
        file,
        include_services=with_services,
        reclassify_debit_suppliers=supplier_debits == "reclassify",
        through=through.replace("-", "_") if isinstance(through, str) else through,
        **fec_terms,
        mapping=mapping,
        date_order=date_order,
    )
    if report.kind != "fec" and (fec_terms["terms_days"] is not None or fec_terms["customers"] is not None):
        click.echo(label("cli_note", lang).format(text=label("cli_terms_fec_only", lang)), err=True)
    others = [w for w in report.warnings if w.code != "period"]
    if others:
        click.echo(label("cli_warnings", lang).format(n=len(others), name=file.name, path=file), err=True)
    notes = [w.message for w in report.warnings if w.code == "period"] + working_capital_table.figure_warnings(figures)
    for warning in notes:
        click.echo(label("cli_note", lang).format(text=formula_text(warning, lang)), err=True)
    return figures, report


def _basis(figures: Any) -> Any:
    """The :class:`cashmission.meta.FigureBasis` of a FEC's figures; an empty one for a template or a CSV."""
    from cashmission.meta import FigureBasis, of

    return of(figures, FigureBasis) or FigureBasis()


_NOT_DUE_KPIS = ("dso_best_possible", "average_days_delinquent", "overdue_rate", "collection_effectiveness_index")


def _with_sources(table: Any, figures: Any, report: Any) -> Any:
    """The KPI table with what a FEC's figures rest on added to the conventions.

    The purchases accounts behind DPO, and the payment terms behind the receivables
    not yet due (best possible DSO, ADD, overdue rate, CEI).
    """
    out = table.copy()
    purchases = _basis(figures).convention.get("purchases")
    if purchases:
        dpo = out["kpi"].isin(["dpo", "cash_per_day_dpo"])
        out.loc[dpo, "convention"] = out.loc[dpo, "convention"] + f"; purchases: {purchases}"
    due_dates = report.extra.get("due_dates")
    if due_dates:
        rows = out["kpi"].isin(_NOT_DUE_KPIS)
        assumed = " (assumed: no --terms)" if report.extra.get("terms", {}).get("assumed") else ""
        out.loc[rows, "convention"] = out.loc[rows, "convention"] + f"; {due_dates}{assumed}"
    return out


def fec_notes(report: Any, figures: Any, lang: str) -> list[str]:
    """What a FEC's KPIs rest on, in words: the terms, the purchases behind DPO, and the tax-return view."""
    from cashmission.report import labels as report_labels

    if report.kind != "fec":
        return []

    def say(key: str, **values: object) -> str:
        return report_labels.label(key, lang).format(**values)

    lines = [""]
    terms = report.extra.get("terms")
    if terms:
        master = report.extra.get("terms_from_customer_master")
        lines.append(
            say(
                "kpi_terms",
                days=terms["days"],
                eom=say("kpi_terms_eom") if terms["end_of_month"] else "",
                source=say("kpi_terms_assumed" if terms["assumed"] else "kpi_terms_given")
                + (say("kpi_terms_master", n=master) if master else ""),
            )
        )
    purchases = _basis(figures).convention.get("purchases", "")
    if purchases:
        accounts = purchases.split(" (")[0]
        lines.append(say("kpi_purchases_services" if "61" in accounts else "kpi_purchases_goods", accounts=accounts))
    return lines + tax_return_text(report.extra.get("tax_return"), report.extra.get("tax_return_period", {}), lang)


def tax_return_text(rows: list[dict[str, Any]] | None, period: dict[str, Any], lang: str) -> list[str]:
    """The tax-return view (:func:`cashmission.working_capital.tax_return.tax_return_view` records) as lines."""
    from cashmission.report import formats
    from cashmission.report import labels as report_labels

    if not rows:
        return []
    net = period.get("supplier_debits") == "net"
    keys = {"stocks": "stocks_net", "supplier_debit_balances": "supplier_debit_balances_net" if net else None}
    labels = [report_labels.label(keys.get(r["key"]) or r["key"], lang) for r in rows]
    codes = [f"{r['form']} {r['line']}".strip() for r in rows]
    amounts = [formats.format_amount(r["amount"], lang).replace(report_labels.NBSP, " ") for r in rows]
    width, cwidth, awidth = (max(map(len, x)) for x in (labels, codes, amounts))
    title = report_labels.label("tax_return_title", lang).format(
        start=period.get("start", "?"), end=period.get("end", "?"), months=period.get("months", "?")
    )
    out = ["", title]
    out += [f"  {a:<{width}}  {b:<{cwidth}}  {c:>{awidth}}" for a, b, c in zip(labels, codes, amounts, strict=True)]
    out.append("  (" + report_labels.label("tax_return_net" if net else "tax_return_reclassify", lang) + ")")
    return out


def kpi_text(table: Any, header: str, lang: str, period: dict[str, Any] | None = None) -> str:
    """The KPI table as text: ``header``, the period measured (a FEC's), then each KPI.

    ``period`` is the ``period`` of a FEC's figures' :class:`cashmission.meta.FigureBasis`
    (none for a template or a CSV).  Each KPI: its label, value and formula, its convention below.
    """
    from cashmission.report import formula_words, views
    from cashmission.report import labels as report_labels

    labels = [report_labels.label(k, lang) for k in table["kpi"]]
    values = [
        views.format_by_unit(v, u, lang).replace(report_labels.NBSP, " ").replace("\u202f", " ")
        for v, u in zip(table["value"], table["unit"], strict=True)
    ]
    width, vwidth = max(map(len, labels), default=0), max(map(len, values), default=0)
    note = views.period_note(period, lang)
    lines = [formula_words.formula_text(header, lang), *(["  " + note] if note else [])]
    if lang == "fr":  # the formulas are written the English way; say so to a French reader
        lines.append("  " + report_labels.label("formula_note", lang))
    for label_, value, row in zip(labels, values, table.itertuples(index=False), strict=True):
        formula, convention = (formula_words.formula_text(str(t), lang) for t in (row.formula, row.convention))
        lines.append(f"  {label_:<{width}} {value:>{vwidth}}   {formula}")
        lines.append(f"  {'':<{width}} {'':>{vwidth}}   ({convention})")
    return "\n".join(line for line in lines if line)
