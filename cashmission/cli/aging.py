"""`cashmission aging`: the aged balance of exports or FECs, with a TOTAL row tied to the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.output import emit
from cashmission.cli.values import BUCKETS, DATE, input_options, number, output_options, parse_sheet, terms_options
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
    "--no-allocate",
    "no_allocate",
    is_flag=True,
    help="Keep the credits of customers whose payments are not lettered in their columns, instead of "
    "allocating them to their oldest invoices (ageing their net balance).",
)
@terms_options("Payment terms in days (0 to 365) when the file has no due date (a FEC never has one).")
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
@output_options
@input_options
@friendly
def aging(
    files: tuple[Path, ...],
    as_of: Any,
    by: str,
    basis: str,
    buckets: tuple[int, ...],
    gross: bool,
    no_allocate: bool,
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

    Buckets always sum to the total on every row; credit notes and unapplied cash
    have their own columns, except a partial payment or credit note matched to its
    invoice (same lettering code, not yet fully lettered), which is applied to it
    (--gross: not), and the credits of a customer whose payments are not lettered at
    all (in a FEC or a ledger with settlement dates), which are allocated to its
    oldest invoices (--no-allocate: not); the lettering rate is printed.  The last
    row (TOTAL) is recomputed over all open items at once and the line printed after
    the table ties it, and every row, to the file's control total.  With --by
    customer, a customer number found in several entities is kept apart per entity.
    A FEC has no due dates: they come from --terms, said in the output.
    """
    from cashmission.ledger.ageing import aged_balance
    from cashmission.ledger.reconciliation import tie_out
    from cashmission.report.labels import label

    reading = {"mapping": mapping, "date_order": date_order}
    loaded = [_items_for_aging(f, terms, end_of_month, sheet, ledger, customers, **reading) for f in files]
    items = _together(loaded)
    keys = _grouping(items, by)
    ageing = {"basis": basis, "edges": buckets, "net_matched": not gross, "allocate": not no_allocate}
    table = aged_balance(items, as_of, by=keys, **ageing)
    total = aged_balance(items, as_of, by=None, **ageing)
    title = f"Balance âgée au {as_of:%Y-%m-%d}" if lang == "fr" else f"Aged balance as of {as_of:%Y-%m-%d}"
    emit(
        _shown(_with_currency_amounts(table, items, as_of, ageing), total, keys, ledger), fmt, output, lang, title=title
    )
    to_stderr = output is None  # the table went to stdout: the reconciliation and notes go to stderr
    click.echo("\n" + _headline(table, total, keys, lang), err=to_stderr)
    for note in _lettering_notes(items, table, as_of, ageing, lang):
        click.echo(note, err=to_stderr)
    click.echo(tie_line(tie_out(loaded, table, total, as_of), as_of, lang), err=to_stderr)
    for note in _notes(loaded, as_of, split=keys != BY_CHOICES[by], lang=lang):
        click.echo(note, err=to_stderr)
    for f, (_, r) in zip(files, loaded, strict=True):
        if r.warnings:
            click.echo(label("cli_warnings", lang).format(n=len(r.warnings), name=f.name, path=f), err=True)


def _headline(table: Any, total: Any, keys: list[str] | None, lang: str) -> str:
    """The headline under the table: balance, overdue and its share of the balance
    (:func:`cashmission.ledger.ageing.overdue_rate`, the same figure as the table's), disputes."""
    from cashmission.report.views import headline

    row = total.iloc[0]
    figures = {k: row[k] for k in ("total", "overdue", "overdue_rate", "disputed", "n_items")}
    if keys and "customer_id" in keys:
        figures["n_customers"] = len(table)
    return headline(figures, lang)  # type: ignore[arg-type]


def _lettering_notes(items: Any, table: Any, as_of: Any, ageing: dict[str, Any], lang: str) -> list[str]:
    """How far the ageing by invoice can be trusted: the lettering rate, and the customers
    whose unlettered credits were allocated to their oldest invoices."""
    from cashmission.ledger import lettering
    from cashmission.report.formats import format_amount, format_percent
    from cashmission.report.labels import label

    if not lettering.records_lettering(items):
        return [label("note_no_lettering", lang)] if float(table["unapplied_cash"].sum()) != 0 else []
    done, debits = lettering.lettered_debits(items, as_of)
    rate = format_percent(done / debits if debits > 0 else float("nan"), lang)
    notes = [
        label("note_lettering_rate", lang).format(
            rate=rate, lettered=format_amount(done, lang), debits=format_amount(debits, lang), as_of=f"{as_of:%Y-%m-%d}"
        )
    ]
    allocated = _allocated_customers(items, as_of, ageing)
    if len(allocated):
        who = allocated.drop(columns="allocated_credits")
        names = [" ".join(str(v) for v in r if v == v and v is not None) for r in who.itertuples(index=False)]
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        amount = format_amount(float(allocated["allocated_credits"].sum()), lang)
        notes.append(label("note_allocated", lang).format(n=len(names), amount=amount, names=shown))
    return notes


def _allocated_customers(items: Any, as_of: Any, ageing: dict[str, Any]) -> Any:
    """The customers whose credits were allocated (number, name, credits allocated)."""
    from cashmission.ledger.ageing import aged_balance, customer_keys

    if not ageing["allocate"] or "customer_id" not in items.columns:
        return items.iloc[:0]
    by_customer = aged_balance(items, as_of, by=customer_keys(items), **ageing)
    shown = [c for c in ("entity", "customer_id", "customer_name", "allocated_credits") if c in by_customer.columns]
    if "entity" in shown and customer_keys(items) == ["customer_id"]:
        shown.remove("entity")
    return by_customer.loc[by_customer["allocated_credits"] > 0, shown]


def _with_currency_amounts(table: Any, items: Any, as_of: Any, ageing: dict[str, Any]) -> Any:
    """With ``--by currency``: each currency's balance in the document currency beside the
    amount in euros, ``total_currency`` = Σ amount_currency × (amount aged / amount given)."""
    import numpy as np

    from cashmission.ledger.ageing import aged_amounts

    if "currency" not in table.columns or "amount_currency" not in items.columns:
        return table
    open_items = aged_amounts(items, as_of, net_matched=ageing["net_matched"], allocate=ageing["allocate"])
    given = open_items["amount_given"].to_numpy(dtype=float)
    share = np.divide(open_items["amount"].to_numpy(dtype=float), given, out=np.zeros(len(given)), where=given != 0)
    in_currency = (open_items["amount_currency"].astype(float) * share).groupby(open_items["currency"]).sum()
    out = table.copy()
    out.insert(out.columns.get_loc("currency") + 1, "total_currency", out["currency"].map(in_currency))
    return out


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
    if "total_currency" in shown.columns:  # no sum across currencies on the TOTAL row
        shown.loc[shown["currency"] == "TOTAL", "total_currency"] = float("nan")
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
    return pd.concat([table, row.reindex(columns=table.columns)], ignore_index=True)


def tie_line(tie: Any, as_of: Any, lang: str = "fr") -> str:
    """The reconciliation line (:class:`cashmission.ledger.reconciliation.TieOut`): "tied." only when it ties."""
    from cashmission.report.labels import label

    if tie.tied:
        verdict = label("cli_tied", lang)
    elif tie.gaps:
        verdict = label("cli_gap", lang).format(gaps=", ".join(f"{k} {number(v, lang)}" for k, v in tie.gaps.items()))
    else:
        verdict = label("cli_gap_nan", lang)
    return label("cli_tie", lang).format(
        rows_read=number(tie.rows_read, lang, 0),
        rows_kept=number(tie.rows_kept, lang, 0),
        kept=number(tie.kept, lang),
        as_of=f"{as_of:%Y-%m-%d}",
        aged=number(tie.aged, lang),
        not_open=number(tie.not_open, lang),
        verdict=verdict,
    )


def _notes(loaded: list[tuple[Any, LoadReport]], as_of: Any, split: bool, lang: str = "fr") -> list[str]:
    """Sentences printed under the reconciliation: each file's notes, split customers, a shared entity."""
    from cashmission.report.labels import label

    notes = [n for i, r in loaded for n in _aging_notes(i, r, as_of, lang)]
    notes += [n for n in (_before_entries(i, as_of, lang) for i, _ in loaded) if n]
    if split:
        notes.append(label("cli_split", lang))
    entities = [sorted(set(i["entity"].dropna().astype(str))) if "entity" in i.columns else [] for i, _ in loaded]
    shared = sorted(set.intersection(*(set(e) for e in entities))) if len(loaded) > 1 else []
    if shared:
        notes.append(label("cli_shared_entity", lang).format(entities=", ".join(shared)))
    return notes


def _before_entries(items: Any, as_of: Any, lang: str) -> str | None:
    """A sentence when ``as_of`` comes before the first entry of a file (nothing is open
    yet) or, in a FEC, before its first entry after the opening (*à-nouveaux*): then the
    aged balance shows the opening balances."""
    import pandas as pd

    from cashmission.report.formats import format_date
    from cashmission.report.labels import label

    if items.empty:
        return None
    booked = items["booked_date"] if "booked_date" in items.columns else items["document_date"]
    when = pd.Timestamp(as_of)
    if bool((booked > when).all()):
        return label("note_before_first", lang).format(
            as_of=format_date(when, lang), first=format_date(booked.min(), lang)
        )
    if "opening" not in items.columns:  # a FEC's customer ledger says which lines are opening lines
        return None
    opening = items["opening"].fillna(False).to_numpy(dtype=bool)
    booked_by = (booked <= when).to_numpy(dtype=bool)
    if opening[booked_by].all() and (~opening).any():
        return label("note_opening_only", lang).format(as_of=format_date(when, lang))
    return None


def _aging_notes(items: Any, report: LoadReport, as_of: Any, lang: str = "fr") -> list[str]:
    """Sentences under the aged balance of one file: its totals row, due dates derived, past date of an extract."""
    from cashmission.cli.check import control_line
    from cashmission.ledger import reconciliation
    from cashmission.report.formula_words import formula_text
    from cashmission.report.labels import label

    notes = []
    if report.extra.get("control_total"):  # the export's own totals row
        notes.append(f"{Path(report.file).name}: {control_line(report.extra['control_total'], lang)}.")
    if report.kind == "fec" and report.extra.get("due_dates"):
        notes.append(
            label("cli_fec_terms", lang).format(
                name=Path(report.file).name,
                entity=report.extra.get("entity"),
                due_dates=formula_text(report.extra["due_dates"], lang),
            )
        )
    latest = reconciliation.snapshot_before_extraction(items, as_of)
    if latest is not None:
        notes.append(
            label("cli_extract", lang).format(file=report.file, latest=f"{latest:%Y-%m-%d}", as_of=f"{as_of:%Y-%m-%d}")
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
