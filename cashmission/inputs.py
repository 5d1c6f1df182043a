"""Any supported input file → a canonical table, whatever its format.

One dispatch for notebooks and the command line: a FEC (recognised by its header) or
an ERP export (CSV/Excel) for receivables; a FEC or the filled Excel template for the
working-capital figures.  Each returns the table and the :class:`LoadReport` of what
was read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cashmission.checks import InputError, LoadReport, Problem, fail

LEDGERS = ("customers", "suppliers")


def terms_description(
    terms_days: int, end_of_month: bool = False, terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None
) -> str:
    """The payment terms used to derive due dates, in words.

    >>> terms_description(30, True)
    'due dates derived: 30 days end of month from the document date'
    >>> terms_description(30, False, {"C1": (45, True), "C2": 60})
    'due dates derived: 30 days from the document date; per party: C1 45 days end of month, C2 60 days'
    >>> terms_description(30, False, {f"C{i}": 60 if i < 4 else (45, True) for i in range(6)})
    'due dates derived: 30 days from the document date; per party (6): 45 days end of month 2, 60 days 4'
    """

    def one(days: int, eom: bool) -> str:
        return f"{int(days)} days{' end of month' if eom else ''}"

    text = f"due dates derived: {one(terms_days, end_of_month)} from the document date"
    if terms_by_customer:
        from cashmission.fec import party_terms

        pairs = {pid: party_terms(t) for pid, t in terms_by_customer.items()}
        if len(pairs) <= 5:
            text += "; per party: " + ", ".join(f"{pid} {one(d, e)}" for pid, (d, e) in pairs.items())
        else:  # a customer master: count the parties per term rather than list them
            counts = Counter(pairs.values())
            text += f"; per party ({len(pairs)}): " + ", ".join(
                f"{one(d, e)} {n}" for (d, e), n in sorted(counts.items())
            )
    return text


_FEC_NAME = re.compile(r"(\d{9})FEC\d{8}", re.IGNORECASE)


def fec_entity(path: str | Path) -> str:
    """The company of a FEC: the SIREN that starts its legal file name, else ``"MAIN"``.

    A FEC is named ``<SIREN>FEC<AAAAMMJJ>`` (article A47 A-1 of the Livre des
    procédures fiscales), so the files of a group's companies stay apart as entities.

    >>> fec_entity("data/123456789FEC20241231.txt"), fec_entity("grand_livre.txt")
    ('123456789', 'MAIN')
    """
    match = _FEC_NAME.search(Path(path).name)
    return match.group(1) if match else "MAIN"


def terms_from_customers(customers: pd.DataFrame) -> dict[str, tuple[int, bool]]:
    """Payment terms per customer (*délai de paiement*) from the customer master.

    ``{customer_id: (payment_terms_days, terms_end_of_month)}`` for the customers whose
    ``payment_terms_days`` is filled (``terms_end_of_month`` missing counts as False).
    Due date = document date + days, or end of the document's month + days when
    ``terms_end_of_month`` (the *45 jours fin de mois* reading of Code de commerce
    L441-10 used by :func:`cashmission.fec.fec_receivables`).

    >>> master = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...                        "payment_terms_days": [45, None, 60],
    ...                        "terms_end_of_month": [True, False, None]})
    >>> terms_from_customers(master)
    {'C1': (45, True), 'C3': (60, False)}
    """
    if "payment_terms_days" not in customers.columns:
        return {}
    days = pd.to_numeric(customers["payment_terms_days"], errors="coerce")
    eom = (
        customers["terms_end_of_month"].fillna(False).astype(bool)
        if "terms_end_of_month" in customers.columns
        else pd.Series(False, index=customers.index)
    )
    keep = days.notna()
    return {
        str(c): (int(d), bool(e))
        for c, d, e in zip(customers.loc[keep, "customer_id"], days[keep], eom[keep], strict=True)
    }


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

    ``entity``: for a FEC, the ``entity`` of its items; default the SIREN of its file
    name (:func:`fec_entity`), so several companies' FECs can be aged together.

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
        if customers is not None and ledger == "customers":
            master = customers
            if not isinstance(master, pd.DataFrame):
                master, master_report = loaders.load_table(master, "customers")
                report.problems.extend(p for p in master_report.problems if p.level != "info")
            from_master = terms_from_customers(master)
            report.extra["terms_from_customer_master"] = len(from_master)
            terms_by_customer = {**from_master, **(terms_by_customer or {})}
        described = terms_description(terms_days, end_of_month, terms_by_customer)
        report.extra["due_dates"] = described
        report.extra["ledger"] = ledger
        report.problems.append(Problem("info", "terms_used", described, file=p.name))
        company = entity or fec_entity(p)
        report.extra["entity"] = company
        if ledger == "customers":
            items = fec.fec_receivables(
                lines,
                terms_days=terms_days,
                end_of_month=end_of_month,
                terms_by_customer=terms_by_customer,
                entity=company,
            )
        else:
            items = fec.fec_payables(
                lines,
                terms_days=terms_days,
                end_of_month=end_of_month,
                terms_by_supplier=terms_by_customer,
                entity=company,
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
    arguments do not apply.  A CSV (``.csv``, ``.txt``) that is not a FEC holds
    monthly figures under the canonical column names
    (:func:`cashmission.kpis.read_figures_csv`, like the demo's ``monthly.csv``).
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
    if p.suffix.lower() in (".csv", ".txt"):  # monthly figures with the canonical column names
        try:
            figures = kpis.read_figures_csv(p)
        except (UnicodeDecodeError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            if isinstance(err, InputError):
                raise
            raise fail(
                "unreadable",
                "not working-capital figures: expected a FEC, the Excel template, or a UTF-8 CSV with the columns "
                f"period_end, period_days, revenue, … ({type(err).__name__})",
                file=str(p),
            ) from None
        report = LoadReport(file=str(p), kind="working_capital", rows_read=len(figures), rows_kept=len(figures))
        return figures, report
    return kpis.read_kpi_template(p)
