"""`cashmission payers`: how each customer pays, from a FEC's lettering or any item history with settlement dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.output import emit
from cashmission.cli.values import DATE, input_options, output_options, parse_sheet, terms_options


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, required=True, help="Date of the analysis, YYYY-MM-DD or DD/MM/YYYY.")
@terms_options(
    "Payment terms in days (0 to 365) when the file has no due date (a FEC never has one).",
    customers=False,
)
@click.option("--sheet", default=None, help="Excel sheet name or number (0 = the first).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Column labels.")
@output_options
@input_options
@friendly
def payers(
    file: Path,
    as_of: Any,
    terms: int | None,
    end_of_month: bool,
    sheet: str | None,
    lang: str,
    fmt: str,
    output: Path | None,
    mapping: dict[str, str] | None,
    date_order: str | None,
) -> None:
    """Payer behaviour (comportement payeur) per customer as of a date, worst payers first.

    FILE is a FEC (invoices paid = lettered; due dates from --terms) or an item history
    with document, due and settlement dates (an export with a settled-date column).
    Per customer: invoices paid, average and amount-weighted days to pay and days late,
    share paid late, days late over the last 3 and 12 months and their difference, the
    items still open and overdue at the date (counted as late in the overall days late
    and share late, so unpaid invoices are not hidden by a few paid on time), disputes.
    """
    from cashmission.ledger.behaviour import payer_behaviour

    history, items, read = _history(file, mapping, terms, end_of_month, sheet, date_order, lang)
    table = payer_behaviour(history, items, as_of)
    title = f"Comportement payeur au {as_of:%Y-%m-%d}" if lang == "fr" else f"Payer behaviour as of {as_of:%Y-%m-%d}"
    emit(table, fmt, output, lang, title=title)
    click.echo(_summary(table, read, as_of, lang), err=output is None)


def _history(
    file: Path,
    mapping: dict[str, str] | None,
    terms: int | None,
    end_of_month: bool,
    sheet: str | None,
    date_order: str | None,
    lang: str = "fr",
) -> tuple[Any, Any, str]:
    """The payment history, the items and a sentence on what was read."""
    from cashmission.cli.values import number
    from cashmission.io import fec
    from cashmission.ledger.behaviour import fec_payment_history, item_payment_history
    from cashmission.ledger.sources import load_receivables
    from cashmission.report.labels import label

    if fec.is_fec(file):
        from cashmission.ledger.fec_ledger import fec_receivables

        if terms is None:
            raise click.ClickException("a FEC has no due dates: give --terms N (days), e.g. --terms 30")
        lines, _ = fec.read_fec(file)
        items = fec_receivables(lines, terms_days=terms, end_of_month=end_of_month)
        history = fec_payment_history(None, items=items)  # the ledger carries each line's DateLet
        return history, items, label("payers_read_fec", lang).format(name=file.name, terms=terms)
    items, report = load_receivables(
        file, mapping=mapping, sheet=parse_sheet(sheet), terms_days=terms, date_order=date_order
    )
    if "cleared_date" not in items.columns or items["cleared_date"].isna().all():
        raise click.ClickException(
            f"{file.name} has no settlement dates (cleared_date): payer behaviour needs the date each invoice "
            "was paid (map it with --mapping, e.g. `cleared_date: SettledDate`)"
        )
    read = label("payers_read_items", lang).format(name=file.name, n=number(report.rows_kept, lang, 0))
    if report.warnings:
        read += "; " + label("cli_warnings", lang).format(n=len(report.warnings), name=file.name, path=file)
    return item_payment_history(items), items, read


def _summary(table: Any, read: str, as_of: Any, lang: str = "fr") -> str:
    """One line under the table: what was read and how many invoices the figures rest on."""
    from cashmission.cli.values import number
    from cashmission.report.labels import label

    paid, overdue = int(table["invoices_paid"].sum()), int(table["open_overdue_items"].sum())
    return label("payers_summary", lang).format(
        read=read,
        customers=number(len(table), lang, 0),
        as_of=f"{as_of:%Y-%m-%d}",
        paid=number(paid, lang, 0),
        overdue=number(overdue, lang, 0),
    )
