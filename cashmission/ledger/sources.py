"""Receivables from any source (an open-items export or a FEC) as the canonical open-items table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from cashmission.io.fec import fec_entity
from cashmission.meta import LedgerNotes, attach, of
from cashmission.problems import LoadReport, Problem, fail
from cashmission.terms import DEFAULT_TERMS_DAYS, terms_description, terms_from_customers

LEDGERS = ("customers", "suppliers")


def load_receivables(
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    terms_days: int | None = None,
    end_of_month: bool = False,
    terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None,
    ledger: str = "customers",
    customers: str | Path | pd.DataFrame | None = None,
    entity: str | None = None,
    date_order: str | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Customer receivables (*postes clients*) from a FEC or an open-items export.

    A FEC has no due dates: they come from ``terms_days`` (30 when not given, said in
    an info problem of the report) counted from the document date, or from the end of
    its month with ``end_of_month``; ``terms_by_customer`` (``{id: days}`` or
    ``{id: (days, end_of_month)}``) overrides them per customer (per supplier with
    ``ledger="suppliers"``).  The terms used are stated in ``report.extra["due_dates"]``
    and in a ``terms_used`` info problem.  The FEC gives a ledger (items with their
    settlement date), so an aged balance at any past date ties to the books.

    ``customers``: the customer master (a canonical ``customers`` table, or a file
    loaded as one); for a FEC its ``payment_terms_days`` / ``terms_end_of_month`` give
    each customer's terms (:func:`terms_from_customers`); ``terms_by_customer`` still
    wins for the ids it names.  An export with due dates does not need it.

    ``date_order``: ``"dayfirst"`` or ``"monthfirst"`` forces the order of an export's
    dates (and the customer master's); ``None`` detects it per column
    (:func:`cashmission.io.exports.load_table`).  A FEC's dates are ``YYYYMMDD``.

    ``entity``: for a FEC, the ``entity`` of its items; default the SIREN of its file
    name (:func:`fec_entity`), so several companies' FECs can be aged together.

    ``ledger``: ``"customers"`` (411…, :func:`cashmission.ledger.fec_ledger.fec_receivables`) or
    ``"suppliers"`` (401…, :func:`cashmission.ledger.fec_ledger.fec_payables`, amounts owed by the
    company positive); FEC only.
    """
    from cashmission.io import exports, fec

    if ledger not in LEDGERS:
        raise ValueError(f"ledger must be one of {', '.join(LEDGERS)}, got {ledger!r}")
    p = Path(path)
    if p.exists() and fec.is_fec(p):
        lines, report = fec.read_fec(p)
        items = fec_items(
            lines,
            report,
            terms_days=terms_days,
            end_of_month=end_of_month,
            terms_by_customer=terms_by_customer,
            ledger=ledger,
            customers=customers,
            entity=entity or fec_entity(p),
            date_order=date_order,
        )
        _require_dates(items, p.name)
        return items, report
    if ledger != "customers":
        raise ValueError(f"ledger={ledger!r} needs a FEC; {p.name} is read as customer open items")
    return exports.load_open_items(p, mapping=mapping, sheet=sheet, terms_days=terms_days, date_order=date_order)


def fec_items(
    lines: pd.DataFrame,
    report: LoadReport,
    *,
    terms_days: int | None = None,
    end_of_month: bool = False,
    terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None,
    ledger: str = "customers",
    customers: str | Path | pd.DataFrame | None = None,
    entity: str = "MAIN",
    date_order: str | None = None,
) -> pd.DataFrame:
    """The customer (or supplier) items of a FEC already read, with due dates from the terms.

    What :func:`load_receivables` does with a FEC once it is read (the same arguments):
    the terms default to :data:`cashmission.terms.DEFAULT_TERMS_DAYS` (said in a
    ``terms_assumed`` info problem), the customer master's terms override them per
    customer, and ``report`` records them (``extra["due_dates"]`` in words, also the
    ``due_dates`` of the items' :class:`cashmission.meta.LedgerNotes`; ``extra["terms"]``
    as ``days``, ``end_of_month``, ``assumed``, ``per_party``).
    Items without a date are kept (:func:`load_receivables` refuses them).  ``date_order``
    is the order of the customer master's dates (a FEC's own dates are ``YYYYMMDD``).
    """
    from cashmission.io import exports
    from cashmission.ledger import fec_ledger

    name = Path(report.file).name if report.file else None
    assumed = terms_days is None
    if assumed:
        terms_days = DEFAULT_TERMS_DAYS
        report.problems.append(
            Problem(
                "info",
                "terms_assumed",
                f"a FEC has no due dates: due date = document date + {DEFAULT_TERMS_DAYS} days (set terms_days)",
                file=name,
            )
        )
    if customers is not None and ledger == "customers":
        master = customers
        if not isinstance(master, pd.DataFrame):
            master, master_report = exports.load_table(master, "customers", date_order=date_order)
            report.problems.extend(p for p in master_report.problems if p.level != "info")
        from_master = terms_from_customers(master)
        report.extra["terms_from_customer_master"] = len(from_master)
        terms_by_customer = {**from_master, **(terms_by_customer or {})}
    described = terms_description(terms_days, end_of_month, terms_by_customer)
    report.extra["due_dates"] = described
    report.extra["terms"] = {
        "days": int(terms_days),
        "end_of_month": bool(end_of_month),
        "assumed": assumed,
        "per_party": len(terms_by_customer or {}),
    }
    report.extra["ledger"] = ledger
    report.problems.append(Problem("info", "terms_used", described, file=name))
    report.extra["entity"] = entity
    build = fec_ledger.fec_receivables if ledger == "customers" else fec_ledger.fec_payables
    party = "terms_by_customer" if ledger == "customers" else "terms_by_supplier"
    items = build(lines, terms_days=terms_days, end_of_month=end_of_month, entity=entity, **{party: terms_by_customer})
    attach(items, replace(of(items, LedgerNotes) or LedgerNotes(), due_dates=described))
    report.extra["items"] = len(items)
    return items


def _require_dates(items: pd.DataFrame, file: str) -> None:
    """Refuse a FEC whose third-party line has no valid date (PieceDate and EcritureDate
    both empty or impossible, e.g. 31/02/2024): it has no due date, so it cannot be aged,
    and leaving it out would break the tie to the books.  One line naming the first row."""
    missing = items["document_date"].isna() | items["due_date"].isna()
    if not missing.any():
        return
    first = items.loc[missing, "source_row"].iloc[0] if "source_row" in items.columns else None
    raise fail(
        "missing_date",
        f"{int(missing.sum())} third-party line(s) without a valid PieceDate or EcritureDate: "
        f"no due date, so they cannot be aged (fix the dates; `cashmission check {file}` lists them)",
        file=file,
        row=None if pd.isna(first) else int(first),
    )
