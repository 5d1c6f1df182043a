"""The customer and supplier ledgers rebuilt from a FEC's lines at any date (*grand livre auxiliaire*)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cashmission.io.fec import fec_source
from cashmission.io.fec_entries import (
    _TOL,
    CUSTOMER_ACCOUNTS,
    SUPPLIER_ACCOUNTS,
    _account_starts,
    _agg,
    is_opening,
    journal_kinds,
)
from cashmission.io.fec_period import _year_start
from cashmission.meta import LedgerNotes, attach
from cashmission.problems import Problem
from cashmission.terms import DEFAULT_TERMS_DAYS, party_terms


# --------------------------------------------------------------------------- ledgers
def fec_receivables(
    lines: pd.DataFrame,
    *,
    terms_days: int = DEFAULT_TERMS_DAYS,
    end_of_month: bool = False,
    terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None,
    accounts: Sequence[str] = CUSTOMER_ACCOUNTS,
    entity: str = "MAIN",
) -> pd.DataFrame:
    """Customer ledger (*grand livre clients*) from a FEC, in the ``open_items`` schema.

    One item per FEC line on a customer account (CompteNum starting with one of
    ``accounts``: 411 customers, 413 bills receivable, 416 doubtful, 418 unbilled,
    419 advances received), with its clearing date, so that
    :func:`cashmission.ledger.ageing.open_at` gives the open items at any date.

    Parameters
    ----------
    terms_days, end_of_month : payment terms applied to invoices (a FEC has no due
        dates): ``due_date = document_date + terms_days`` or, with ``end_of_month``,
        the last day of the month of ``document_date + terms_days`` (*N jours fin de
        mois*, the "add the days, then go to the end of the month" reading).
    terms_by_customer : per-customer terms, ``{customer_id: days}`` or
        ``{customer_id: (days, end_of_month)}``, overriding the default.
    accounts : account prefixes of the customer ledger.
    entity : value of the ``entity`` column.

    Returns
    -------
    DataFrame in the ``open_items`` schema, plus the columns ``journal_code``,
    ``entry_date`` (EcritureDate), ``booked_date`` (the date the line enters the
    books: EcritureDate, or the first day of the fiscal year for an opening line dated
    later), ``piece_ref`` (PieceRef), ``account`` (CompteNum),
    ``label`` (EcritureLib), ``lettering_status`` (``unlettered``, ``lettered``,
    ``partial``), ``opening`` (True for a line of an opening entry, *à-nouveaux*:
    :func:`cashmission.io.fec_entries.is_opening`), ``document_date_source`` and
    ``due_date_source``.  Problems found
    on the way (placeholder dates) are the ``problems`` of its
    :class:`cashmission.meta.LedgerNotes`.

    Notes
    -----
    - Amounts: ``Debit - Credit`` (what the customer owes is positive).
    - ``customer_id`` = CompAuxNum, or CompteNum when the line has no auxiliary
      account; ``customer_name`` = CompAuxLib, else CompteLib, without leading or
      trailing blanks (the fixed-width padding of some exports).
    - ``document_id`` = ``"<PieceRef>/L<line_no>"``: a FEC piece reference is not
      unique (an invoice and its payment often share it), the line number makes it so
      and leads back to the file.  ``piece_ref`` keeps the plain reference.
    - ``document_type``: a debit in a sales journal is an ``invoice``, a credit there a
      ``credit_note``; a credit in any other journal is a ``payment`` (or unapplied
      cash); a debit in an opening journal (*à-nouveaux*) is an ``invoice`` carried
      forward; any other debit is ``other``.  Journals are classified by
      :func:`journal_kinds`.
    - ``document_date`` = PieceDate (so opening entries keep the original invoice
      date); when PieceDate is empty or a placeholder before 1950 (e.g. 19000101),
      EcritureDate instead, counted in a ``placeholder_date`` warning.  Ageing uses
      ``document_date``; whether an item is in the books at a date uses
      ``booked_date`` (see :func:`cashmission.ledger.ageing.open_at`): an invoice dated
      2024-01-31 but booked on 2024-03-02 is not in the 2024-01-31 balance of the
      customer accounts, so it is not open at that date either.
    - ``due_date``: only invoices get terms; credit notes, payments and other items
      are due on their document date.  ``due_date_source`` says which rule applied
      (``"terms:30"``, ``"terms:45eom"``, ``"customer_terms:60"``, ``"document_date"``):
      **due dates are not in a FEC**, they are derived from the terms given.
    - Clearing (*lettrage*): lines of one (CompteNum, CompAuxNum, EcritureLet) group
      are cleared when the group nets to zero (within half a cent).  ``cleared_date``
      = the line's DateLet, else the group's latest DateLet, else the latest
      EcritureDate of the group (the date the last matching line was booked).  A group
      that does not net to zero (partial lettering) stays open: ``cleared_date`` is
      empty and ``lettering_status`` is ``partial``.  ``lettering_date`` is the line's
      own DateLet (empty when the FEC leaves it empty).  Unlettered lines are open.  An
      item is therefore open at date D when it is unlettered, partially lettered, or
      cleared after D.  ``match_code`` = EcritureLet.
    - ``currency``: Idevise when filled (``amount_currency`` = Montantdevise with the
      sign of the amount), else EUR.  ``source_row`` = ``line_no``.
    """
    return _ledger(
        lines,
        accounts=accounts,
        sign=1.0,
        terms_days=terms_days,
        end_of_month=end_of_month,
        terms_by_party=terms_by_customer,
        entity=entity,
        invoice_journal="sales",
    )


def fec_payables(
    lines: pd.DataFrame,
    *,
    terms_days: int = DEFAULT_TERMS_DAYS,
    end_of_month: bool = False,
    terms_by_supplier: Mapping[str, int | tuple[int, bool]] | None = None,
    accounts: Sequence[str] = SUPPLIER_ACCOUNTS,
    entity: str = "MAIN",
) -> pd.DataFrame:
    """Supplier ledger (*grand livre fournisseurs*) from a FEC, in the ``open_items`` schema.

    The mirror of :func:`fec_receivables` on supplier accounts (401 suppliers, 403
    bills payable, 408 invoices not yet received) with amounts ``Credit - Debit``, so
    that what the company owes is positive and the same ageing applies; supplier ids
    are in ``customer_id``.  ``document_type``: a credit in a purchases journal (or in
    an opening journal) is an ``invoice``, a debit there a ``credit_note``, a debit in
    any other journal a ``payment``, any other credit ``other``.  Terms, clearing and
    the extra columns follow :func:`fec_receivables`.
    """
    return _ledger(
        lines,
        accounts=accounts,
        sign=-1.0,
        terms_days=terms_days,
        end_of_month=end_of_month,
        terms_by_party=terms_by_supplier,
        entity=entity,
        invoice_journal="purchases",
    )


def fec_open_items(lines: pd.DataFrame, as_of: str | pd.Timestamp, **kw: object) -> pd.DataFrame:
    """Customer items open at the end of day ``as_of`` (*postes clients non soldés*).

    ``open_at(fec_receivables(lines, **kw), as_of)``: keyword arguments go to
    :func:`fec_receivables`.
    """
    from cashmission.ledger.ageing import open_at

    return open_at(fec_receivables(lines, **kw), as_of)  # type: ignore[arg-type]


def _document_types(lines: pd.DataFrame, sub: pd.DataFrame, amount: np.ndarray, invoice_journal: str) -> np.ndarray:
    """Invoice / credit note on the invoice journal; else invoice (opening debit), other (debit) or payment (credit)."""
    jkind = sub["JournalCode"].astype(object).map(journal_kinds(lines)).fillna("other").to_numpy(dtype=object)
    positive = amount > 0
    return np.where(
        jkind == invoice_journal,
        np.where(positive, "invoice", "credit_note"),
        np.where(positive, np.where(jkind == "opening", "invoice", "other"), "payment"),
    ).astype(object)


def _booking_dates(lines: pd.DataFrame, sub: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Document date (PieceDate, or EcritureDate when it is a placeholder), the placeholder mask, booking date.

    The booking date is the entry date; opening lines are booked at the start of the year.
    """
    piece = sub["PieceDate"]
    placeholder = piece.isna() | (piece < pd.Timestamp("1950-01-01"))
    doc_date = piece.where(~placeholder, sub["EcritureDate"]).astype("datetime64[ns]")
    booked = sub["EcritureDate"].astype("datetime64[ns]")
    open_sub = is_opening(sub).to_numpy()
    if open_sub.any():
        year_start = _year_start(lines)
        if year_start is not None:
            booked = booked.where(~open_sub | (booked <= year_start), year_start)
    return doc_date, placeholder, booked


def _due_dates(
    doc_date: pd.Series,
    is_inv: np.ndarray,
    party: pd.Series,
    terms_days: int,
    end_of_month: bool,
    terms_by_party: Mapping[str, int | tuple[int, bool]] | None,
) -> tuple[pd.Series, np.ndarray]:
    """Due dates of invoices from the party's terms (else the default), other documents due on their date.

    Returns the due dates and where each came from (``terms:…``, ``customer_terms:…``, ``document_date``).
    """
    n = len(doc_date)
    days = np.full(n, int(terms_days), dtype="int64")
    eom = np.full(n, bool(end_of_month))
    source = np.full(n, f"terms:{int(terms_days)}{'eom' if end_of_month else ''}", dtype=object)
    if terms_by_party:
        # one lookup for all parties (a customer master holds thousands), not a pass per party
        ids = list(terms_by_party)
        per = [party_terms(terms_by_party[pid]) for pid in ids]
        at = pd.Index(ids).get_indexer(pd.Index(party.to_numpy(dtype=object)))
        hit = at >= 0
        days[hit] = np.array([d_ for d_, _ in per], dtype="int64")[at[hit]]
        eom[hit] = np.array([e_ for _, e_ in per], dtype=bool)[at[hit]]
        labels = np.array([f"customer_terms:{d_}{'eom' if e_ else ''}" for d_, e_ in per], dtype=object)
        source[hit] = labels[at[hit]]
    due = doc_date + pd.to_timedelta(days, unit="D")
    due = due.where(~eom, due + pd.offsets.MonthEnd(0))
    due = due.where(is_inv, doc_date).astype("datetime64[ns]")
    return due, np.where(is_inv, source, "document_date")


def _clearing(sub: pd.DataFrame, amount: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Cleared date and lettering status of each line.

    A line is cleared when its lettering group (account, auxiliary account, letter) nets to
    zero: on its DateLet, else the group's latest DateLet, else its latest entry date.
    """
    let = sub["EcritureLet"].astype(object)
    lettered = let.notna().to_numpy()
    gkey = pd.MultiIndex.from_arrays(
        [
            sub["CompteNum"].astype(object).to_numpy(dtype=object),
            sub["CompAuxNum"].astype(object).fillna("").to_numpy(dtype=object),
            let.fillna("").to_numpy(dtype=object),
        ]
    )
    gid = pd.Series(pd.factorize(gkey)[0], index=sub.index)
    frame = pd.DataFrame({"g": gid, "a": amount, "dl": sub["DateLet"], "ed": sub["EcritureDate"]}, index=sub.index)
    grp = frame.groupby("g", sort=False)
    gnet = grp["a"].transform("sum").to_numpy()
    gdl = grp["dl"].transform("max")
    ged = grp["ed"].transform("max")
    full = lettered & (np.abs(gnet) <= _TOL)
    cleared = sub["DateLet"].where(sub["DateLet"].notna(), gdl.where(gdl.notna(), ged))
    cleared = cleared.where(full).astype("datetime64[ns]")
    status = np.where(~lettered, "unlettered", np.where(full, "lettered", "partial")).astype(object)
    return cleared, status


def _trimmed(values: pd.Series) -> pd.Series:
    """Text without leading and trailing blanks; blank text is missing.

    >>> _trimmed(pd.Series(["  CLIENT UN   ", "   ", None])).tolist()
    ['CLIENT UN', None, None]
    """
    text = values.astype(object)
    filled = text.notna()
    stripped = text.where(~filled, text[filled].astype(str).str.strip())
    return stripped.where(filled & (stripped != ""), None).astype(object)


def _ledger(
    lines: pd.DataFrame,
    *,
    accounts: Sequence[str],
    sign: float,
    terms_days: int,
    end_of_month: bool,
    terms_by_party: Mapping[str, int | tuple[int, bool]] | None,
    entity: str,
    invoice_journal: str,
) -> pd.DataFrame:
    sub = lines.loc[_account_starts(lines, accounts)]
    acc = sub["CompteNum"].astype(object)
    aux = sub["CompAuxNum"].astype(object)
    has_aux = aux.notna()
    party = aux.where(has_aux, acc).astype(object)
    # names and labels lose the fixed-width padding of some exports ("CLIENT UN    ")
    aux_name, account_name = _trimmed(sub["CompAuxLib"]), _trimmed(sub["CompteLib"])
    name = aux_name.where(has_aux & aux_name.notna(), account_name)
    amount = sign * (sub["Debit"].to_numpy(dtype=float) - sub["Credit"].to_numpy(dtype=float))
    doc_type = _document_types(lines, sub, amount, invoice_journal)
    doc_date, placeholder, booked = _booking_dates(lines, sub)
    problems: list[Problem] = []
    if placeholder.any():
        problems.append(
            _agg(
                "warning",
                "placeholder_date",
                "PieceDate empty or before 1950: document_date taken from EcritureDate",
                sub,
                placeholder,
                fec_source(lines).file,
                "PieceDate",
            )
        )
    due, source = _due_dates(doc_date, doc_type == "invoice", party, terms_days, end_of_month, terms_by_party)
    cleared, status = _clearing(sub, amount)
    idev = sub["Idevise"].astype(object)
    has_cur = idev.notna().to_numpy()
    mdev = sub["Montantdevise"].to_numpy(dtype=float)
    amount_cur = np.where(has_cur & ~np.isnan(mdev), np.sign(amount) * np.abs(mdev), amount)
    piece_ref = sub["PieceRef"].astype(object)
    line_no = sub["line_no"].to_numpy(dtype="int64")
    doc_id = piece_ref.fillna("").astype(str) + "/L" + pd.Series(line_no, index=sub.index).astype(str)
    out = pd.DataFrame(
        {
            "entity": entity,
            "customer_id": party.to_numpy(dtype=object),
            "customer_name": name.to_numpy(dtype=object),
            "document_id": doc_id.to_numpy(dtype=object),
            "document_type": doc_type,
            "document_date": doc_date.to_numpy(),
            "due_date": due.to_numpy(),
            "amount": amount,
            "currency": np.where(has_cur, idev.to_numpy(dtype=object), "EUR").astype(object),
            "amount_currency": amount_cur,
            "dispute": False,
            "dispute_code": None,
            "collector": None,
            "segment": None,
            "factored": False,
            "cleared_date": cleared.to_numpy(),
            "match_code": sub["EcritureLet"].astype(object).to_numpy(dtype=object),
            "source_row": pd.array(line_no, dtype="Int64"),
            "journal_code": sub["JournalCode"].to_numpy(dtype=object),
            "entry_date": sub["EcritureDate"].to_numpy(),
            "lettering_date": sub["DateLet"].to_numpy(),
            "booked_date": booked.to_numpy(),
            "piece_ref": piece_ref.to_numpy(dtype=object),
            "account": acc.to_numpy(dtype=object),
            "label": _trimmed(sub["EcritureLib"]).to_numpy(dtype=object),
            "lettering_status": status,
            "opening": is_opening(sub).to_numpy(dtype=bool),
            "document_date_source": np.where(placeholder.to_numpy(), "EcritureDate", "PieceDate").astype(object),
            "due_date_source": source.astype(object),
        }
    )
    for c in ("customer_id", "customer_name", "document_id", "match_code", "piece_ref"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return attach(out, LedgerNotes(problems=tuple(problems)))
