"""The French legal ledger export (*Fichier des Écritures Comptables*, FEC).

Every French company must be able to hand its FEC (article A47 A-1 of the *Livre des
procédures fiscales*) to the tax office; a consultant can ask for it on day one.  From
that one file this module rebuilds, with no column mapping to write:

- the lines themselves (:func:`read_fec`) and their compliance findings
  (:func:`validate_fec`, in the spirit of the DGFiP "Test Compta Demat" tool);
- the customer ledger at any date (:func:`fec_receivables`, :func:`fec_open_items`) and
  the supplier ledger (:func:`fec_payables`), in the canonical ``open_items`` schema;
- the payment behaviour of every customer (:func:`fec_payment_history`,
  :func:`customer_payment_behaviour`);
- the monthly figures behind DSO, DPO and stock rotation (:func:`fec_monthly_figures`,
  ``working_capital`` schema) and the year-end figures of the tax return
  (:func:`fec_closing_figures`).

The lines table keeps the official FEC column names (they are a legal standard):
``JournalCode, JournalLib, EcritureNum, EcritureDate, CompteNum, CompteLib, CompAuxNum,
CompAuxLib, PieceRef, PieceDate, EcritureLib, Debit, Credit, EcritureLet, DateLet,
ValidDate, Montantdevise, Idevise`` (plus ``DateRglt, ModeRglt, NatOp, IdClient`` for
cash-basis regimes, and any other column carried along), and adds ``line_no``, the
1-based line number in the file (the header is line 1).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from cashmission import meta
from cashmission.io.fec_columns import _CORE, _KNOWN, FEC_COLUMNS
from cashmission.io.fec_columns import CASH_BASIS_COLUMNS as CASH_BASIS_COLUMNS
from cashmission.io.fec_entries import _agg
from cashmission.io.fec_text import (
    _COMPLIANT_SEPARATORS,
    _decode,
    _number_lines,
    _quoted,
    _read_bytes,
    _sniff_decimal,
    _split_lines,
)
from cashmission.io.fec_values import (
    _add_missing_columns,
    _amount_columns,
    _date_columns,
    _debit_credit_from_sens,
    _fec_facts,
    _strip,
    _totals,
)
from cashmission.problems import LoadReport, Problem, fail

_KEY_TEXT = ("JournalCode", "EcritureNum", "CompteNum", "CompAuxNum", "PieceRef", "EcritureLet", "Idevise")

_NAME_RE = re.compile(r"(\d{9})FEC(\d{8})", re.IGNORECASE)


# --------------------------------------------------------------------------- reading
SEPARATORS = {"\t": "tab", "|": "pipe", ";": "semicolon", ",": "comma"}
"""Separators a FEC header is looked for with; A47 A-1 allows only the tab and the pipe."""

_HEADER_CORE = {"journalcode", "ecriturenum", "comptenum"}


def is_fec(path: str | Path) -> bool:
    """True when the file's first line is a FEC header, whatever the file's name or extension.

    Reads only the first 4 kB: the header, split by a tab, pipe, semicolon or comma
    (quotes respected; :func:`sniff_header`), must name at least ``JournalCode``,
    ``EcritureNum`` and ``CompteNum`` (any case).  This is the one FEC detection.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    text = _decode(head, partial=True)[0].lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    found = sniff_header(first)
    return found is not None and _HEADER_CORE <= {n.lower() for n in found[1]}


def sniff_header(line: str) -> tuple[str, list[str]] | None:
    """(separator, header names) of a FEC header line, or ``None`` when no separator splits it into FEC columns.

    Each separator of :data:`SEPARATORS` splits the line (quotes respected, names
    stripped); the one giving the most official column names wins, if it gives at
    least three.

    >>> sniff_header('"JournalCode","EcritureNum","CompteNum","Debit"')
    (',', ['JournalCode', 'EcritureNum', 'CompteNum', 'Debit'])
    >>> sniff_header("customer;amount") is None
    True
    """
    best: tuple[int, str, list[str]] = (0, "\t", [])
    for sep in SEPARATORS:
        names = [n.strip() for n in next(csv.reader([line], delimiter=sep), [])]
        score = sum(1 for n in names if n.lower() in _KNOWN)
        if score > best[0]:
            best = (score, sep, names)
    return (best[1], best[2]) if best[0] >= 3 else None


def fiscal_year_end_from_name(name: str | Path) -> pd.Timestamp | None:
    """Closing date from a FEC file name ``<SIREN>FEC<YYYYMMDD>``, or ``None``.

    >>> fiscal_year_end_from_name("123456789FEC20231231.txt")
    Timestamp('2023-12-31 00:00:00')
    >>> fiscal_year_end_from_name("ledger.txt") is None
    True
    """
    m = _NAME_RE.search(Path(str(name)).name)
    if not m:
        return None
    ts = pd.to_datetime(m.group(2), format="%Y%m%d", errors="coerce")
    return None if pd.isna(ts) else pd.Timestamp(ts)


def read_fec(path: str | Path, *, encoding: str | None = None) -> tuple[pd.DataFrame, LoadReport]:
    """Read a FEC into a lines table and a load report.

    Parameters
    ----------
    path : the FEC file.
    encoding : force an encoding; by default UTF-8 (with or without BOM) is tried,
        then cp1252, then ISO-8859-15 (chosen over cp1252 when the file has a ``0xA4``
        byte, the euro sign there, and no byte of the C1 range).

    Returns
    -------
    (lines, report)
        ``lines``: one row per FEC line with the official column names, ``line_no``
        (1-based line number in the file, header = 1), ``Debit``/``Credit``/
        ``Montantdevise`` as floats and the dates as ``datetime64[ns]``; identifiers
        stripped, empty cells missing.  ``report``: a :class:`~cashmission.problems.LoadReport`
        with the rows read, the debit and credit totals and, in ``extra``, the number of
        entries and ``entry_grouping``, the grouping that counted them (the one
        :func:`entry_key` and :func:`validate_fec` use: JournalCode + EcritureNum, or
        JournalCode + EcritureDate + PieceRef when EcritureNum is unusable), journals,
        the date range, the separator, line ending and decimal mark.

    Notes
    -----
    Accepted variations: tab or pipe separator (detected from the header); the
    ``Montant`` + ``Sens`` variant (``Sens`` = ``D``/``C`` or ``+1``/``-1``) instead of
    ``Debit``/``Credit``; the cash-basis columns ``DateRglt, ModeRglt, NatOp, IdClient``;
    CRLF, LF, CR and CR CR LF line ends (CR CR LF is one line end, not a record plus a
    blank line); decimal comma or dot; dates ``YYYYMMDD`` (other common forms are
    accepted with a warning).  Blank lines are skipped and not counted as rows, but
    they keep their place in ``line_no``.

    Fatal problems raise :class:`~cashmission.problems.InputError` with one line naming
    the file, line and column: no FEC header, a core column missing (JournalCode,
    EcritureNum, EcritureDate, CompteNum, the amounts), a line with more fields than
    the header, an amount that is not a number.  Header names are matched ignoring
    case; a missing non-core column is added empty with a warning.
    """
    path = Path(path)
    fname = str(path)
    data, enc, codec, ending = _read_bytes(path, fname, encoding)
    sep, raw_names, names = _header(data, codec, fname)
    quoted = _quoted(data, sep)
    report = LoadReport(file=fname, kind="fec", encoding=enc)
    if sep not in _COMPLIANT_SEPARATORS:
        report.problems.append(
            Problem(
                "warning",
                "fec_separator",
                f"fields separated by a {SEPARATORS[sep]}: article A47 A-1 asks for a tab or a pipe (read anyway)",
                file=fname,
                row=1,
            )
        )
    report.columns = {n: r for n, r in zip(names, raw_names, strict=True) if n in _KNOWN.values()}
    report.ignored_columns = []
    montant_sens = _check_core_columns(names, fname)
    amount_names = ["Montant"] if montant_sens else ["Debit", "Credit"]
    if "Montantdevise" in names:
        amount_names.append("Montantdevise")
    decimal = _sniff_decimal(data, sep, [names.index(c) for c in amount_names], codec, quoted)
    df, fast = _split_lines(data, (sep, quoted), names, amount_names, decimal, codec, fname, report)
    del data
    df, n_blank = _number_lines(df, montant_sens)
    for c in _KEY_TEXT:  # identifiers: strip, whitespace only -> missing
        if c in df.columns:
            df[c] = _strip(df[c])
    decimal = _amount_columns(df, amount_names, fast, decimal, fname, report)
    if montant_sens:
        _debit_credit_from_sens(df, fname, report)
    for c in ("Debit", "Credit"):
        miss = df[c].isna()
        if miss.any():
            report.problems.append(_agg("warning", "missing_amount", f"{c} is empty", df, miss, fname, c))
            df[c] = df[c].fillna(0.0)
    bad_dates = _date_columns(df, fname, report)
    _add_missing_columns(df, fname, report)
    order = ["line_no", *FEC_COLUMNS]
    df = df[order + [c for c in df.columns if c not in order]]
    fy_end = fiscal_year_end_from_name(path)
    report.extra = {
        **_fec_facts(df, fy_end),
        "separator": SEPARATORS[sep],
        "line_ending": ending,
        "decimal": decimal,
        "blank_lines": n_blank,
        "variant": "Montant+Sens" if montant_sens else "Debit/Credit",
    }
    unbalanced = _totals(df, report)
    # validate_fec does not repeat what this report already says about the same lines
    source = meta.FecSource(
        file=fname, fiscal_year_end_from_name=fy_end, bad_dates=bad_dates, unbalanced_reported=unbalanced
    )
    return meta.attach(df, source), report


def _header(data: bytes, codec: str, fname: str) -> tuple[str, list[str], list[str]]:
    """(separator, header names as written, official names matched ignoring case)."""
    header_line = re.split(rb"[\r\n]", data[:65536], maxsplit=1)[0].decode(codec, errors="replace")
    found = sniff_header(header_line)
    if found is None:
        raise fail(
            "not_fec",
            "not a FEC: the header is not split by tabs, pipes, semicolons or commas into the FEC columns",
            file=fname,
            row=1,
        )
    sep, raw_names = found
    while raw_names and raw_names[-1] == "":  # a trailing separator on the header
        raw_names.pop()
    return sep, raw_names, [_KNOWN.get(h.lower(), h) for h in raw_names]


def _check_core_columns(names: list[str], fname: str) -> bool:
    """Raise on a missing core column; return True for the ``Montant`` + ``Sens`` variant."""
    montant_sens = "Debit" not in names and "Credit" not in names and {"Montant", "Sens"} <= set(names)
    missing_core = [c for c in _CORE if c not in names]
    if not montant_sens and not {"Debit", "Credit"} <= set(names):
        missing_core += [c for c in ("Debit", "Credit") if c not in names]
    if missing_core:
        raise fail(
            "missing_column",
            f"not a usable FEC: column {missing_core[0]} is missing from the header",
            file=fname,
            row=1,
            column=missing_core[0],
        )
    return montant_sens


def fec_source(lines: pd.DataFrame) -> meta.FecSource:
    """The :class:`cashmission.meta.FecSource` of lines read by :func:`read_fec`.

    Lines built otherwise (by hand, or a frame that lost its record) give an empty one:
    no file, no closing date from a name, nothing the reader already reported.

    >>> fec_source(pd.DataFrame())
    FecSource(file=None, fiscal_year_end_from_name=None, bad_dates={}, unbalanced_reported=None)
    """
    return meta.of(lines, meta.FecSource) or meta.FecSource()


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
