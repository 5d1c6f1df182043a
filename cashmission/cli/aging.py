"""`cashmission aging`: the aged balance of exports or FECs, with a TOTAL row tied to the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.output import FORMATS_TABLE, emit
from cashmission.cli.values import BUCKETS, DATE, TERMS, input_options, parse_sheet
from cashmission.problems import LoadReport

BY_CHOICES = {
    "customer": ["customer_id"],
    "entity": ["entity"],
    "segment": ["segment"],
    "collector": ["collector"],
    "entity-customer": ["entity", "customer_id"],
    "currency": ["currency"],
    "none": None,
}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, required=True, help="Date of the aged balance, YYYY-MM-DD or DD/MM/YYYY.")
@click.option(
    "--by",
    "by",
    type=click.Choice(list(BY_CHOICES)),
    default="customer",
    show_default=True,
    help="One row per customer, entity, segment, collector, ... or one total row (none).",
)
@click.option(
    "--basis",
    type=click.Choice(["due_date", "document_date"]),
    default="due_date",
    show_default=True,
    help="Age from the due date (overdue days) or the document date.",
)
@click.option(
    "--buckets",
    type=BUCKETS,
    default="0,30,60,90,180",
    show_default=True,
    help="Bucket edges in days, comma-separated, from 0.",
)
@click.option(
    "--gross",
    is_flag=True,
    help="Do not apply matched partial payments and credit notes (same lettering code) to their invoices: "
    "show invoices at their full amount and the credits in their own columns.",
)
@click.option(
    "--terms",
    "terms",
    type=TERMS,
    default=None,
    help="Payment terms in days (0 to 365) when the file has no due date (a FEC never has one).",
)
@click.option("--end-of-month", is_flag=True, help="With --terms: terms count from the end of the month.")
@click.option(
    "--customers",
    "customers",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="For a FEC: the customer master (CSV/Excel with payment terms per customer, "
    "e.g. 'Délai de paiement', 'Fin de mois'); its terms override --terms for those customers.",
)
@click.option(
    "--ledger",
    type=click.Choice(["customers", "suppliers"]),
    default="customers",
    show_default=True,
    help="For a FEC: age the customer accounts (411…) or the supplier accounts (401…, payables).",
)
@click.option(
    "--sheet",
    default=None,
    help="Excel sheet name or number (0 = the first); default: the only sheet holding data "
    "(an error lists the sheets when several do).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Column labels for table and xlsx output.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS_TABLE), default="table", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (required for xlsx; default stdout for csv/json/table).",
)
@input_options
@friendly
def aging(
    files: tuple[Path, ...],
    as_of: Any,
    by: str,
    basis: str,
    buckets: tuple[int, ...],
    gross: bool,
    terms: int | None,
    end_of_month: bool,
    customers: Path | None,
    ledger: str,
    sheet: str | None,
    lang: str,
    fmt: str,
    output: Path | None,
    mapping: dict[str, str] | None,
    date_order: str | None,
) -> None:
    """Aged balance (balance âgée) of FILES as of a date: open items exports or FECs.

    Several files are aged together, e.g. the FECs of a group's companies (each FEC
    is the entity named by the SIREN of its file name): use --by entity or
    entity-customer to keep them apart.

    Buckets always sum to the total; credit notes and unapplied cash have their own
    columns, except a partial payment or credit note matched to its invoice (same
    lettering code, not yet fully lettered), which is applied to it (--gross: not).
    The last row (TOTAL) is recomputed over all open items at once and the line
    printed after the table ties it to the file's control total.  With
    --by customer, a customer number found in several entities is kept apart per
    entity.  A FEC has no due dates: they come from --terms, said in the output.
    """
    from cashmission.ledger.ageing import aged_balance
    from cashmission.ledger.reconciliation import tie_out

    reading = {"mapping": mapping, "date_order": date_order}
    loaded = [_items_for_aging(f, terms, end_of_month, sheet, ledger, customers, **reading) for f in files]
    items = _together(loaded)
    keys = _grouping(items, by)
    ageing = {"basis": basis, "edges": buckets, "net_matched": not gross}
    table = aged_balance(items, as_of, by=keys, **ageing)
    total = aged_balance(items, as_of, by=None, **ageing)
    title = f"Balance âgée au {as_of:%Y-%m-%d}" if lang == "fr" else f"Aged balance as of {as_of:%Y-%m-%d}"
    emit(_shown(table, total, keys, ledger), fmt, output, lang, title=title)
    to_stderr = output is None  # the table went to stdout: the reconciliation and notes go to stderr
    click.echo("\n" + tie_line(tie_out(loaded, table, total, as_of), as_of), err=to_stderr)
    for note in _notes(loaded, as_of, split=keys != BY_CHOICES[by]):
        click.echo(note, err=to_stderr)
    for f, (_, r) in zip(files, loaded, strict=True):
        if r.warnings:
            click.echo(f"{len(r.warnings)} warning(s) in {f.name}: run `cashmission check {f}`", err=True)


def _together(loaded: list[tuple[Any, LoadReport]]) -> Any:
    """The items of every file in one table."""
    import pandas as pd

    return pd.concat([i for i, _ in loaded], ignore_index=True) if len(loaded) > 1 else loaded[0][0]


def _grouping(items: Any, by: str) -> list[str] | None:
    """The ``--by`` keys; a customer number present in several entities is split by entity."""
    from cashmission.ledger.ageing import customer_keys

    keys = BY_CHOICES[by]
    return customer_keys(items) if keys == ["customer_id"] else keys


def _shown(table: Any, total: Any, keys: list[str] | None, ledger: str) -> Any:
    """The table printed: the rows, a TOTAL row, supplier columns for the supplier ledger."""
    shown = _with_total_row(table, total, keys)
    if ledger == "suppliers":  # payables: supplier accounts, not customers
        names = {"customer_id": "supplier_id", "customer_name": "supplier_name", "gross_debit": "gross_payable"}
        shown = shown.rename(columns=names)
    return shown


def _with_total_row(table: Any, total: Any, keys: list[str] | None) -> Any:
    """``table`` with a last row TOTAL taken from the ungrouped aged balance ``total``."""
    import pandas as pd

    if not keys:
        return table
    row = total.reset_index(drop=True).copy()
    for i, key in enumerate(keys):
        row.insert(i, key, "TOTAL" if i == 0 else "")
    if "customer_name" in table.columns:
        row.insert(len(keys), "customer_name", "")
    return pd.concat([table, row[table.columns]], ignore_index=True)


def tie_line(tie: Any, as_of: Any) -> str:
    """The reconciliation line (:class:`cashmission.ledger.reconciliation.TieOut`): "tied." only when it ties."""
    verdict = "tied." if tie.tied else "GAP " + ", ".join(f"{k} {v:,.2f}" for k, v in tie.gaps.items())
    if not tie.tied and not tie.gaps:
        verdict = "GAP: a total is not a number (an amount read as infinite or NaN)"
    return (
        f"Read {tie.rows_read:,} rows, kept {tie.rows_kept:,} (total {tie.kept:,.2f}) = aged at {as_of:%Y-%m-%d} "
        f"{tie.aged:,.2f} + not open at that date {tie.not_open:,.2f}; rows and columns add up to the aged total: "
        + verdict
    )


def _notes(loaded: list[tuple[Any, LoadReport]], as_of: Any, split: bool) -> list[str]:
    """Sentences printed under the reconciliation: each file's notes, split customers, a shared entity."""
    notes = [n for i, r in loaded for n in _aging_notes(i, r, as_of)]
    if split:
        notes.append("Some customer numbers exist in several entities: one row per entity and customer.")
    entities = [sorted(set(i["entity"].dropna().astype(str))) if "entity" in i.columns else [] for i, _ in loaded]
    shared = sorted(set.intersection(*(set(e) for e in entities))) if len(loaded) > 1 else []
    if shared:
        notes.append(
            f"Warning: several files hold entity {', '.join(shared)}: their items are added together; "
            "give each company's file its own entity (a column, or a FEC named <SIREN>FEC<date>)."
        )
    return notes


def _aging_notes(items: Any, report: LoadReport, as_of: Any) -> list[str]:
    """Sentences under the aged balance of one file: its totals row, due dates derived, past date of an extract."""
    from cashmission.cli.check import control_line
    from cashmission.ledger import reconciliation

    notes = []
    if report.extra.get("control_total"):  # the export's own totals row
        notes.append(f"{Path(report.file).name}: {control_line(report.extra['control_total'])}.")
    if report.kind == "fec" and report.extra.get("due_dates"):
        name = Path(report.file).name
        notes.append(
            f"A FEC has no due date ({name}, entity {report.extra.get('entity')}): {report.extra['due_dates']}."
        )
    latest = reconciliation.snapshot_before_extraction(items, as_of)
    if latest is not None:
        notes.append(
            f"Warning: {report.file} is an extract of open items (no settlement dates) whose latest document "
            f"is dated {latest:%Y-%m-%d}: items paid between {as_of:%Y-%m-%d} and then are not in it, so this aged "
            "balance cannot tie to the balance sheet at that date. Use the customer ledger (with settlement "
            "dates) or the FEC for a past date."
        )
    return notes


def _items_for_aging(
    file: Path,
    terms: int | None,
    end_of_month: bool,
    sheet: str | None,
    ledger: str = "customers",
    customers: Path | None = None,
    *,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
) -> tuple[Any, LoadReport]:
    """One file's items and load report; a FEC (:func:`cashmission.io.fec.is_fec`) needs ``--terms``."""
    from cashmission.io import fec
    from cashmission.ledger.sources import load_receivables
    from cashmission.terms import DEFAULT_TERMS_DAYS

    is_fec = fec.is_fec(file)
    if terms is None and is_fec:
        raise click.ClickException(f"a FEC has no due dates: give --terms N (days), e.g. --terms {DEFAULT_TERMS_DAYS}")
    if ledger != "customers" and not is_fec:
        raise click.ClickException("--ledger suppliers needs a FEC (an export holds one ledger already)")
    fec_only = {"ledger": ledger, "customers": customers} if is_fec else {}
    return load_receivables(
        file,
        sheet=parse_sheet(sheet),
        terms_days=terms,
        end_of_month=end_of_month,
        mapping=mapping,
        date_order=date_order,
        **fec_only,
    )
