"""Input loaders for CSV and Excel ERP exports (*extractions ERP*).

An export from a client's ERP or collection tool is turned into a canonical table
(:mod:`cashmission.schemas`) plus a :class:`~cashmission.checks.LoadReport` that says
what was read, what was kept, and why anything was not.

Reading (:func:`read_raw`)
--------------------------
- Text files (``.csv``, ``.txt``, ``.tsv``): encoding detected from the bytes
  (UTF-16 or UTF-8 with a BOM, UTF-8, else cp1252, else latin-1); delimiter detected
  among ``;``, TAB, ``|`` and ``,`` (the one with the highest median count per line,
  quoted text ignored); line ends ``\\n``, ``\\r\\n``, ``\\r`` and the doubled
  ``\\r\\r\\n`` (a file converted twice) each count as one line end.  Every cell is
  read as text: nothing is lost to pandas' type guessing (``00123`` stays ``00123``).
- Excel files (``.xlsx``, ``.xlsm``, ``.xls``): pandas with ``engine="calamine"``
  when python-calamine imports, else openpyxl.  Cells are kept as they are: text as
  text, numbers as numbers and dates as datetimes.
- Workbooks: without ``sheet``, the sheet that holds data (a header row and a row
  below it) is read; when several sheets do (one per entity, say ``FR10`` and
  ``EX30``) the loader stops with ``several_sheets``, naming each sheet and its
  number, rather than silently read the first: load each with ``sheet=`` (the CLI's
  ``--sheet``).  Sheets are numbered from 0, as in pandas.
- The header row is the first of the first :data:`HEADER_SEARCH_ROWS` rows with at
  least two cells that match a known header (:data:`HEADER_PRESETS`, canonical names,
  the user mapping), so title and blank lines above it are skipped.
- Fully empty rows are dropped and counted.  Every data row keeps its 1-based line
  number as a user sees it (text-editor line / Excel row) as the frame's index; it
  becomes ``source_row``.

Loading (:func:`load_table`, :func:`load_open_items`)
-----------------------------------------------------
Headers are matched to canonical columns through :data:`HEADER_PRESETS` (accents,
case and punctuation ignored); a user mapping (canonical -> source header) overrides
them.  Values are parsed with :mod:`cashmission.parsing`.  Policies, all reported:

- a required value (e.g. ``customer_id``, ``document_id``, ``document_date``,
  ``amount``) that is empty or unparseable: warning naming row and column, row dropped;
- a text row with more fields than the header (an unquoted separator inside a value
  shifts every later column): warning ``too_many_fields``, row dropped, and its amount
  is left out of ``total_read`` too, since the cell under the amount header is not
  reliably an amount;
- ``amount`` = the signed open amount (*solde TTC*), else ``Débit - Crédit`` (when a
  file has both, the signed amount column is used); when a file has both an
  open-amount header (``Solde``, ``Reste à payer``, ``Open amount``, ...,
  :data:`AMOUNT_OPEN_HEADERS`) and a gross one (``Montant TTC``, ``Montant``,
  ``Amount``), the open amount is ``amount`` and the gross is kept as the extra
  column ``amount_gross`` (info ``open_amount``);
- ``document_type`` from labels (*Facture*/FA/INV -> invoice, *Avoir*/AV/CN ->
  credit_note, *Règlement*/RG/*Encaissement*/Payment -> payment, *Autre*/OD -> other);
  an unknown label becomes ``other`` with one warning per label; with no type
  column (or an empty label), the sign decides: ``amount >= 0`` invoice, ``< 0``
  credit_note (info);
- signs are never changed: a credit note or a payment with a positive amount, or an
  invoice with a negative one, is kept as given with a warning (the export may give
  unsigned amounts; the loader will not guess);
- ``due_date``: a missing column is an error unless ``terms_days`` is given (then
  ``due_date = document_date + terms_days``, info); an empty or unparseable due date
  on a row is a warning and the item is taken as immediately due
  (``due_date = document_date``);
- duplicate ``(entity, document_id)``: rows identical in every loaded column -> the
  first is kept, the others dropped (warning ``duplicate_row``).  Otherwise all rows
  are kept and ids made unique as ``id``, ``id/2``, ``id/3`` (debit rows first, then
  credit rows, each in file order, so an invoice keeps its number), and:

  * a debit (invoice or other item, ``amount >= 0``) and a credit (credit note,
    payment or negative amount) on one id -> a payment or credit note carrying the
    invoice's number: a *partial settlement*, warning ``partial_settlement`` naming
    the rows; each row of the group with an empty ``match_code`` gets the bare id
    as ``match_code`` (the lettering code shared by matched items), document types
    unchanged, so ageing can apply the credit to its invoice;
  * same type, same sign and all due dates different -> instalments
    (*échéances*), info ``instalments``;
  * anything else (a repeated due date with other differences, two types on the
    same side) -> warning ``duplicate_id``.

Row-level problems are all counted; at most :data:`MAX_DETAILED_PROBLEMS` are listed
one by one per problem code, followed by one summary problem giving the number not
listed.  Fatal problems (missing or empty file, unreadable or binary file,
unsupported extension, unknown sheet, no header row, missing required column) raise
:class:`~cashmission.checks.InputError`; :func:`check_file` turns them into a report.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import schemas
from cashmission.checks import InputError, LoadReport, Problem, fail
from cashmission.parsing import clean_text, infer_decimal, normalise_header, parse_amounts, parse_dates

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")  # also gzipped: .csv.gz, .txt.gz, .tsv.gz
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
DELIMITERS = (";", "\t", "|", ",")
"""Candidate delimiters, in order of preference when counts tie."""
HEADER_SEARCH_ROWS = 30
"""The header row is looked for in this many first rows."""
MAX_DETAILED_PROBLEMS = 1000
"""Row-level problems listed one by one per code; the rest are summarised in one."""

AMOUNT_OPEN_HEADERS: tuple[str, ...] = (
    "Solde",
    "Solde TTC",
    "Reste à payer",
    "Montant ouvert",
    "Restant dû",
    "Open amount",
    "Amount due",
    "Balance",
    "Outstanding",
)
"""Headers of an open amount (*solde TTC*, what is still owed).  In ``open_items`` the
canonical ``amount`` is the open amount, so when a file has both one of these and a
gross amount header (``Montant TTC``, ``Montant``, ``Amount``, ...), the open amount
is read as ``amount`` wherever the columns stand, and the gross one is kept as the
extra column ``amount_gross``.  They open the ``amount`` synonyms of
:data:`HEADER_PRESETS`, which are built from them."""

HEADER_PRESETS: dict[str, list[str]] = {
    # -- shared ------------------------------------------------------------------
    "entity": [
        "Société",
        "Entité",
        "Code société",
        "Soc",
        "Company",
        "Company code",
        "Entity",
        "Legal entity",
        "Business unit",
    ],
    "customer_id": [
        "N° client",
        "Code client",
        "Compte",
        "Compte client",
        "Numéro client",
        "Compte auxiliaire",
        "Tiers",
        "Code tiers",
        "CompAuxNum",
        "Customer ID",
        "Customer number",
        "Customer code",
        "Customer no",
        "Customer account",
        "Account",
        "Debtor",
        "Sold-to",
    ],
    "customer_name": [
        "Client",
        "Raison sociale",
        "Nom client",
        "Nom",
        "Libellé client",
        "CompAuxLib",
        "Customer name",
        "Customer",
        "Name",
        "Debtor name",
    ],
    "document_id": [
        "N° pièce",
        "N° facture",
        "Pièce",
        "Numéro de pièce",
        "Numéro facture",
        "N° document",
        "Référence pièce",
        "PieceRef",
        "Invoice number",
        "Invoice no",
        "Invoice",
        "Document number",
        "Document no",
        "Document",
        "Reference",
    ],
    "document_type": ["Type", "Type pièce", "Type de pièce", "Nature", "Type document", "Document type", "Doc type"],
    "document_date": [
        "Date pièce",
        "Date facture",
        "Date de pièce",
        "Date document",
        "Date",
        "PieceDate",
        "Document date",
        "Invoice date",
        "Posting date",
    ],
    "due_date": [
        "Date échéance",
        "Échéance",
        "Date d'échéance",
        "Date limite de paiement",
        "EcheanceDate",
        "Due date",
        "Due",
        "Net due date",
        "Payment due date",
    ],
    "amount": [  # open-amount headers first, then the gross ones
        *AMOUNT_OPEN_HEADERS,
        "Montant TTC",
        "Montant",
        "Amount",
        "Amount in local currency",
    ],
    "debit": ["Débit", "Debit", "Débit TTC"],
    "credit": ["Crédit", "Credit", "Crédit TTC"],
    "currency": ["Devise", "Code devise", "Idevise", "Currency", "Currency code"],
    "amount_currency": [
        "Montant devise",
        "Montant en devise",
        "Solde devise",
        "Montantdevise",
        "Amount currency",
        "Amount in currency",
        "Amount in document currency",
        "Foreign amount",
    ],
    "dispute": ["Litige", "En litige", "Bloqué", "Disputed", "Dispute", "In dispute"],
    "dispute_code": ["Code litige", "Motif litige", "Motif de litige", "Dispute code", "Dispute reason"],
    "collector": [
        "Recouvreur",
        "Gestionnaire",
        "Chargé de recouvrement",
        "Collector",
        "Credit controller",
        "Account manager",
    ],
    "segment": ["Réseau", "Segment", "Secteur", "Activité", "Network", "Business line"],
    "factored": ["Affacturé", "Cédé", "Affacturage", "Factored", "Assigned to factor"],
    "cleared_date": [
        "Date lettrage",
        "Date de lettrage",
        "DateLet",
        "Cleared date",
        "Clearing date",
        "Settlement date",
    ],
    "match_code": ["Lettrage", "Code lettrage", "EcritureLet", "Match code", "Clearing code", "Matching code"],
    # -- customers ---------------------------------------------------------------
    "country": ["Pays", "Code pays", "Country", "Country code"],
    "credit_limit": ["Encours autorisé", "Plafond", "Limite de crédit", "Credit limit"],
    "payment_terms_days": ["Délai de paiement", "Délai", "Jours", "Payment terms", "Terms days"],
    "terms_end_of_month": ["Fin de mois", "FDM", "End of month"],
    "payment_method": ["Mode de règlement", "Mode de paiement", "Payment method"],
    "legal_form": ["Forme juridique", "Legal form"],
    "share_capital": ["Capital", "Capital social", "Share capital"],
    "creation_date": ["Date de création", "Date création", "Creation date"],
    "siren": ["SIREN", "N° SIREN"],
    "group": ["Groupe", "Group", "Parent"],
    # -- payments ----------------------------------------------------------------
    "payment_id": [
        "N° règlement",
        "Référence règlement",
        "N° encaissement",
        "Payment reference",
        "Payment ID",
        "Payment number",
    ],
    "payment_date": [
        "Date règlement",
        "Date encaissement",
        "Date de valeur",
        "Date valeur",
        "Date",
        "Payment date",
        "Value date",
    ],
    "method": ["Mode de règlement", "Mode", "Method", "Payment method"],
    # -- disputes ----------------------------------------------------------------
    "dispute_id": ["N° litige", "Référence litige", "Dispute ID", "Dispute number"],
    "opened_date": ["Date ouverture", "Date d'ouverture", "Date litige", "Opened date", "Opened"],
    "closed_date": ["Date clôture", "Date de clôture", "Date résolution", "Closed date", "Closed"],
    "reason": ["Motif", "Motif litige", "Code litige", "Reason", "Reason code"],
    "owner": ["Responsable", "Service", "Owner", "Department"],
    "stage": ["Étape", "Statut", "Stage", "Status"],
    # -- dunning -----------------------------------------------------------------
    "action_date": ["Date relance", "Date action", "Date", "Action date"],
    "action": ["Action", "Type relance", "Niveau de relance", "Niveau", "Dunning level"],
    "channel": ["Canal", "Channel"],
    "promise_date": ["Date promesse", "Promise date"],
    "promise_amount": ["Montant promis", "Montant promesse", "Promise amount"],
}
"""Header synonyms (French and English) per canonical column, matched with accents,
case and punctuation ignored.  ``debit`` and ``credit`` are not canonical columns:
together they give ``amount = debit - credit``.  The canonical name itself
(``customer_id``) is always recognised, and a user mapping overrides these."""

_DOCUMENT_TYPE_LABELS = {
    "invoice": ["Facture", "Factures", "FA", "FAC", "FACT", "F", "INV", "Invoice", "Bill", "Facture client", "Vente"],
    "credit_note": [
        "Avoir",
        "Avoirs",
        "AV",
        "AVO",
        "CN",
        "Credit note",
        "Creditnote",
        "Note de crédit",
        "Credit memo",
        "Credit_note",
    ],
    "payment": [
        "Règlement",
        "Reglements",
        "RG",
        "REG",
        "RGT",
        "Paiement",
        "Encaissement",
        "ENC",
        "Payment",
        "PMT",
        "Cash",
        "Virement",
        "VIR",
        "Chèque",
        "Unapplied cash",
    ],
    "other": ["Autre", "Other", "OD", "Divers", "Misc", "Opération diverse"],
}
_DUNNING_ACTION_LABELS = {
    "pre_reminder": ["Pré-relance", "Prérelance", "Pre reminder"],
    "reminder_1": ["Relance", "Relance 1", "Relance 1er niveau", "Reminder", "Reminder 1", "R1"],
    "reminder_2": ["Relance 2", "Reminder 2", "R2"],
    "reminder_3": ["Relance 3", "Reminder 3", "R3"],
    "call": ["Appel", "Appel téléphonique", "Téléphone", "Call", "Phone call"],
    "formal_notice": ["Mise en demeure", "MED", "Formal notice"],
    "injunction": ["Injonction de payer", "Injonction", "IP", "Injunction"],
    "litigation": ["Contentieux", "Litigation"],
    "write_off": ["Passage en perte", "Perte", "Write off", "Write-off"],
    "promise": ["Promesse", "Promesse de paiement", "Promise"],
}
_BOOL_TRUE = ("oui", "o", "yes", "y", "1", "true", "vrai", "x", "t")
_BOOL_FALSE = ("non", "n", "no", "0", "false", "faux", "f")


def _key(name: object) -> str:
    """Header key: :func:`normalise_header`, then any punctuation as one space.

    >>> _key("Date d'échéance"), _key("N°_pièce"), _key("Montant (€)")
    ('date d echeance', 'n piece', 'montant')
    """
    return re.sub(r"[^a-z0-9]+", " ", normalise_header(name)).strip()


def _keys(name: object) -> set[str]:
    """Keys a header matches: its own, and without a bracketed unit (``Montant (EUR)``)."""
    raw = str(name)
    out = {_key(raw)}
    bare = re.sub(r"[\(\[].*?[\)\]]", " ", raw)
    if bare != raw and _key(bare):
        out.add(_key(bare))
    out.discard("")
    return out


def _label_map(labels: dict[str, list[str]]) -> dict[str, str]:
    out = {}
    for value, names in labels.items():
        out[_key(value)] = value
        for n in names:
            out[_key(n)] = value
    return out


_TYPE_MAP = _label_map(_DOCUMENT_TYPE_LABELS)
_ACTION_MAP = _label_map(_DUNNING_ACTION_LABELS)
_BOOL_MAP = {**dict.fromkeys(_BOOL_TRUE, True), **dict.fromkeys(_BOOL_FALSE, False)}


# --------------------------------------------------------------------------------------
# Problems, with a cap on row-level details
# --------------------------------------------------------------------------------------
class _Problems:
    """Collects problems for one file; row-level ones are capped per code."""

    def __init__(self, file: str, sheet: str | None):
        self.file, self.sheet = file, sheet
        self.items: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.levels: dict[str, str] = {}

    def add(self, level: str, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.items.append(
            Problem(
                level,
                code,
                message,
                file=self.file,
                sheet=self.sheet,  # type: ignore[arg-type]
                row=row,
                column=column,
            )
        )

    def rows(self, level: str, code: str, rows: Iterable[int], column: str | None, message: object) -> None:
        """One problem per row (``message`` is a str or a callable of the row)."""
        for r in rows:
            n = self.counts.get(code, 0)
            self.counts[code] = n + 1
            self.levels[code] = level
            if n < MAX_DETAILED_PROBLEMS:
                text = message(r) if callable(message) else str(message)
                self.add(level, code, text, row=int(r), column=column)

    def more(self, level: str, code: str, n: int) -> None:
        """Count ``n`` more rows with problem ``code``, none of them listed."""
        if n > 0:
            self.counts[code] = self.counts.get(code, 0) + n
            self.levels[code] = level

    def finish(self) -> list[Problem]:
        for code, n in self.counts.items():
            if n > MAX_DETAILED_PROBLEMS:
                self.add(
                    self.levels[code],
                    code,
                    f"{n - MAX_DETAILED_PROBLEMS} more rows with this problem (not listed; {n} in all)",
                )
        return self.items


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------
def _known_keys(table: str | None = None, mapping: dict[str, str] | None = None) -> set[str]:
    names: list[str] = []
    cols = set(schemas.table(table).names) | {"debit", "credit"} if table else None
    for canon, syn in HEADER_PRESETS.items():
        if cols is None or canon in cols:
            names += [canon, *syn]
    if cols:
        names += list(cols)
    names += list((mapping or {}).values())
    return {k for n in names for k in _keys(n)}


def _detect_encoding(data: bytes) -> tuple[str, str]:
    """(codec used to decode, name reported)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8", "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252", "cp1252"
    except UnicodeDecodeError:
        return "latin-1", "latin-1"


_MAGIC = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Office document (an .xls workbook?)",
    b"%PDF": "a PDF document",
}


def _detect_delimiter(lines: list[str]) -> str:
    """Delimiter with the highest median count per non-empty line (quotes ignored)."""
    sample = [re.sub(r'"[^"]*"', "", ln) for ln in lines if ln.strip()][:50]
    best, best_score = DELIMITERS[0], 0.0
    for d in DELIMITERS:
        score = float(np.median([ln.count(d) for ln in sample])) if sample else 0.0
        if score > best_score:
            best, best_score = d, score
    return best


def _read_text(path: Path, file: str) -> tuple[pd.DataFrame, dict]:
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":  # a gzipped export (.csv.gz): read it as it is
        import gzip
        import zlib

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            raise fail("binary_file", "not a valid gzip file", file=file) from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise fail("empty_file", "the file is empty", file=file)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise fail(
                "binary_file",
                f"not a text file: it looks like {what}; save it as CSV or give it its real extension",
                file=file,
            )
    codec, enc_name = _detect_encoding(data)
    text = data.decode(codec, errors="replace")
    head = text[:20000]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in head or controls > max(2, len(head) // 100):
        raise fail(
            "binary_file", "not a text file (binary content); expected a CSV/TXT export or an Excel workbook", file=file
        )
    if "\r" in text:
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise fail("empty_file", "the file is empty (blank lines only)", file=file)
    delim = _detect_delimiter(text[:200000].split("\n", 400)[:400])
    opts = dict(
        sep=delim,
        header=None,
        dtype=str,
        skip_blank_lines=False,
        skipinitialspace=True,
        keep_default_na=False,
        na_values=[""],
        engine="c",
    )
    notes: list[tuple[str, str, str]] = []
    try:
        grid = pd.read_csv(io.StringIO(text), **opts)
    except pd.errors.ParserError as err:
        if "EOF inside string" in str(err):
            notes.append(
                ("warning", "unbalanced_quote", 'a quote (") is never closed; quotes read as plain characters')
            )
            opts["quoting"] = csv.QUOTE_NONE
        lines = pd.Series(text.split("\n"))
        if opts.get("quoting") != csv.QUOTE_NONE:
            lines = lines.str.replace(r'"[^"]*"', "", regex=True)
        width = int(lines.str.count(re.escape(delim)).max()) + 1
        grid = pd.read_csv(io.StringIO(text), names=list(range(width)), **opts)
    except pd.errors.EmptyDataError:
        raise fail("empty_file", "the file is empty", file=file) from None
    grid.columns = range(grid.shape[1])
    # 1-based line of each record: records with quoted line breaks span several lines
    line = np.arange(1, len(grid) + 1, dtype="int64")
    if '"' in text and "\n" in text:
        extra = np.zeros(len(grid), dtype="int64")
        for c in grid.columns:
            s = grid[c]
            if s.str.contains("\n", regex=False, na=False).any():
                extra += s.str.count("\n").fillna(0).to_numpy(dtype="int64")
        line = line + np.concatenate([[0], np.cumsum(extra)[:-1]])
    grid.index = pd.Index(line, name="source_row")
    meta = {"kind": "text", "encoding": enc_name, "delimiter": delim, "sheet": None, "notes": notes}
    return grid, meta


def _excel_engine(ext: str) -> str:
    try:
        import python_calamine  # noqa: F401

        return "calamine"
    except ImportError:
        if ext == ".xls":
            raise fail(
                "unreadable_file",
                "reading .xls needs python-calamine; pip install python-calamine, or save the file as .xlsx",
            ) from None
        return "openpyxl"


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _read_excel(path: Path, file: str, sheet: str | int | None, known: set[str]) -> tuple[pd.DataFrame, dict]:
    engine = _excel_engine(path.suffix.lower())
    try:
        book = pd.ExcelFile(path, engine=engine)
        names = [str(n) for n in book.sheet_names]
    except InputError:
        raise
    except Exception as err:  # corrupt workbook, wrong format, encrypted, ...
        msg = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
        raise fail("unreadable_file", f"cannot read this Excel file ({msg})", file=file) from None
    listing = _sheet_listing(names)
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise fail("unknown_sheet", f"no sheet number {sheet}; {listing}", file=file)
            candidates = [names[sheet]]
        else:
            match = [n for n in names if n == str(sheet)] or [
                n for n in names if n.strip().casefold() == str(sheet).strip().casefold()
            ]
            if not match:
                raise fail("unknown_sheet", f"no sheet {sheet!r}; {listing}", file=file)
            candidates = match[:1]
    else:
        candidates = names
    first = with_header = chosen = None
    holding: list[str] = []  # sheets with a header row and data below it
    for name in candidates:
        try:
            grid = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
        except Exception as err:
            raise fail("unreadable_file", f"cannot read sheet {name!r} ({err})", file=file, sheet=name) from None
        grid = grid.dropna(axis=1, how="all")  # columns keep their position labels
        if first is None:
            first = (name, grid)
        if len(candidates) == 1:
            break
        pos = _find_header(grid, known)
        if pos is None:
            continue
        if with_header is None:
            with_header = (name, grid)
        if not grid.iloc[pos + 1 :].dropna(how="all").empty:
            if not holding:
                chosen = (name, grid)
            holding.append(name)
    else:  # several sheets: the one that holds data, else the first with a header, else the first
        if len(holding) > 1:
            raise fail(
                "several_sheets",
                f"{len(holding)} sheets hold data: "
                + ", ".join(f"{n!r} (number {names.index(n)})" for n in holding)
                + "; choose one with --sheet NAME or NUMBER (sheet= in Python; numbers count from 0)",
                file=file,
            )
        name, grid = chosen if holding else (with_header or first)  # type: ignore[misc]
    if grid.dropna(how="all").empty:
        label = f"sheet {name!r}" if sheet is not None or len(names) == 1 else "the workbook"
        raise fail("empty_file", f"{label} has no data", file=file, sheet=name)
    grid.index = pd.Index(np.arange(1, len(grid) + 1, dtype="int64"), name="source_row")
    return grid, {
        "kind": "excel",
        "encoding": None,
        "delimiter": None,
        "sheet": name,
        "sheets": names,
        "engine": engine,
        "notes": [],
    }


def _sheet_listing(names: list[str]) -> str:
    """The sheets of a workbook by name and number (0-based, as ``sheet=`` takes them).

    >>> _sheet_listing(["FR10", "EX30"])
    "the workbook has 2 sheets: 'FR10' (number 0), 'EX30' (number 1)"
    """
    shown = ", ".join(f"{n!r} (number {i})" for i, n in enumerate(names))
    return f"the workbook has {len(names)} sheet{'s' if len(names) != 1 else ''}: {shown}"


def _find_header(grid: pd.DataFrame, known: set[str]) -> int | None:
    """Position of the first of the first rows with at least two known headers."""
    top = grid.iloc[:HEADER_SEARCH_ROWS]
    for pos in range(len(top)):
        cells = [v for v in top.iloc[pos].tolist() if isinstance(v, str) and v.strip()]
        if sum(1 for v in cells if _keys(v) & known) >= 2:
            return pos
    return None


def _blank(s: pd.Series) -> pd.Series:
    """True where a cell is empty or only spaces.

    Text files are read with leading spaces skipped, so a cell of spaces is already
    missing there; only Excel cells (few, Python objects) need the strip.
    """
    out = s.isna()
    if s.dtype == object and len(s):
        codes, uniq = pd.factorize(s)
        spaces = np.array([isinstance(u, str) and not u.strip() for u in uniq] + [True])
        out = out | spaces[codes]
    return out.astype(bool)


def _by_unique(func, s: pd.Series):
    """Apply ``func`` (Series -> Series or tuple of Series) to the distinct values only.

    Export columns repeat a few values (dates, customers, types) many times; parsing
    each distinct value once and broadcasting back is what makes a million rows fast.
    """
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    if len(uniq) > 0.5 * len(s):
        return func(s)
    base = pd.Series(np.append(np.asarray(uniq, dtype=object), None), dtype=object)
    res = func(base)
    take = np.where(codes < 0, len(uniq), codes)

    def back(r: pd.Series) -> pd.Series:
        return pd.Series(r.to_numpy()[take], index=s.index, name=s.name).astype(r.dtype)

    return tuple(back(r) for r in res) if isinstance(res, tuple) else back(res)


def read_raw(
    path: str | Path,
    sheet: str | int | None = None,
    header_row: int | None = None,
    *,
    known: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Read a CSV/TXT or Excel export as found: cells as text, the header located.

    Parameters
    ----------
    path : the file (``.csv``, ``.txt``, ``.tsv``, ``.xlsx``, ``.xlsm``, ``.xls``).
    sheet : Excel sheet name or 0-based position; ``None`` takes the only sheet that
        holds data (a recognisable header and a row below it), else the first sheet
        with a header; with several sheets holding data it raises ``several_sheets``
        (listing them) rather than guess.  Ignored for text files.
    header_row : 1-based line (Excel row) of the header; ``None`` to detect it.
    known : header names to recognise the header row by; default every name of
        :data:`HEADER_PRESETS` and the canonical column names.

    Returns
    -------
    (frame, meta) : ``frame`` has one column per header cell (named as in the file;
    an empty header becomes ``(column N)`` / ``(column X)``, a repeated one
    ``Name (2)``) and one row per non-empty data row, indexed by its 1-based line
    number in the file (``source_row``).  Text cells are ``str`` (missing when empty);
    Excel numbers and dates stay numbers and datetimes.  ``meta`` holds ``kind``
    (``text``/``excel``), ``encoding``, ``delimiter``, ``sheet``, ``sheets``,
    ``header_line``, ``blank_rows`` (empty rows dropped after the header),
    ``ragged_rows`` (lines with more fields than the header; text files) and
    ``notes`` (``(level, code, message)`` found while reading).

    Raises
    ------
    InputError
        missing file, unsupported extension, empty, binary or unreadable file,
        unknown sheet, no header row found.
    """
    p = Path(path)
    file = str(path)
    if not p.exists():
        raise fail("missing_file", "file not found", file=file)
    if not p.is_file():
        raise fail("missing_file", "not a file (a folder?)", file=file)
    ext = p.suffix.lower()
    if ext == ".gz" and Path(p.stem).suffix.lower() in TEXT_EXTENSIONS:
        ext = Path(p.stem).suffix.lower()
    keys = {k for n in known for k in _keys(n)} if known is not None else _known_keys()
    if ext in EXCEL_EXTENSIONS:
        grid, meta = _read_excel(p, file, sheet, keys)
    elif ext in TEXT_EXTENSIONS:
        grid, meta = _read_text(p, file)
    else:
        raise fail(
            "unsupported_extension",
            f"unsupported file type {ext or '(no extension)'!r}; "
            "expected " + ", ".join(TEXT_EXTENSIONS + EXCEL_EXTENSIONS),
            file=file,
        )
    sh = meta["sheet"]
    if header_row is not None:
        hits = np.flatnonzero(grid.index.to_numpy() == int(header_row))
        if not len(hits):
            raise fail("no_header", f"header_row={header_row} is beyond the end of the file", file=file, sheet=sh)
        pos = int(hits[0])
    else:
        found = _find_header(grid, keys)
        if found is None:
            first = next(
                (
                    " | ".join(str(v) for v in r if pd.notna(v))
                    for r in grid.iloc[:HEADER_SEARCH_ROWS].itertuples(index=False)
                    if any(pd.notna(v) and str(v).strip() for v in r)
                ),
                "",
            )
            raise fail(
                "no_header",
                f"no header row recognised in the first {HEADER_SEARCH_ROWS} "
                "rows (need two known headers such as 'N° client', 'N° pièce', "
                f"'Date pièce', 'Montant TTC'); first line read: {first[:120]!r}",
                file=file,
                sheet=sh,
            )
        pos = found
    header_line = int(grid.index[pos])
    head = grid.iloc[pos].tolist()
    filled = [i for i, v in enumerate(head) if pd.notna(v) and str(v).strip()]
    width = (max(filled) + 1) if filled else 0
    body = grid.iloc[pos + 1 :]
    ragged: list[int] = []
    if meta["kind"] == "text" and body.shape[1] > width:
        beyond = ~pd.concat([_blank(body[c]) for c in body.columns[width:]], axis=1).all(axis=1)
        ragged = body.index[beyond.to_numpy()].tolist()
        body = body[body.columns[:width]]
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, col in enumerate(body.columns):
        v = head[i] if i < len(head) else None
        if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip():
            name = f"(column {_col_letter(int(col)) if meta['kind'] == 'excel' else i + 1})"
        else:
            name = str(v).strip()
        n = seen.get(name, 0) + 1
        seen[name] = n
        names.append(name if n == 1 else f"{name} ({n})")
    body = body.set_axis(names, axis=1)
    empty = (
        pd.concat([_blank(body[c]) for c in body.columns], axis=1).all(axis=1)
        if names
        else pd.Series(True, index=body.index)
    )
    unnamed_empty = [n for n in names if n.startswith("(column ") and _blank(body[n]).all()]
    blank_rows = int(empty.sum())
    body = body.loc[~empty.to_numpy()].drop(columns=unnamed_empty)
    meta.update(header_line=header_line, blank_rows=blank_rows, ragged_rows=ragged)
    meta.setdefault("sheets", None)
    return body, meta


# --------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------
def map_columns(
    headers: list[str], table: str = "open_items", mapping: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Match source headers to the canonical columns of ``table``.

    Returns ``(columns, ignored, problems)``: ``columns`` maps canonical name (and
    ``debit``/``credit``, ``amount_gross``) to source header, ``ignored`` lists the
    headers not used.  A user ``mapping`` (canonical -> source header, matched exactly,
    then with accents, case and punctuation ignored) wins over :data:`HEADER_PRESETS`;
    when two source columns match one canonical column the first (leftmost) wins, with
    a warning.  One exception, for ``open_items`` only: ``amount`` is the open amount,
    so an open-amount header (:data:`AMOUNT_OPEN_HEADERS`) wins over a gross one
    (``Montant TTC``) wherever it stands, without a warning, and the leftmost gross
    one becomes ``amount_gross``.

    >>> cols, ignored, _ = map_columns(["N° client", "Date d'échéance", "Notes"])
    >>> cols, ignored
    ({'customer_id': 'N° client', 'due_date': "Date d'échéance"}, ['Notes'])
    >>> map_columns(["Montant TTC", "Solde"])[0]
    {'amount': 'Solde', 'amount_gross': 'Montant TTC'}
    """
    t = schemas.table(table)
    targets = [c for c in t.names if c != "source_row"]
    if "amount" in targets:
        targets += ["debit", "credit"]
    open_first = table == "open_items"
    if open_first:
        targets.append("amount_gross")
    open_keys = {k for n in AMOUNT_OPEN_HEADERS for k in _keys(n)}
    problems: list[Problem] = []
    cols: dict[str, str] = {}
    used: set[str] = set()
    for canon, src in (mapping or {}).items():
        if canon not in targets:
            problems.append(
                Problem(
                    "warning",
                    "mapping_unknown_column",
                    f"mapping names {canon!r}, not a column of {table}; columns: {', '.join(targets)}",
                )
            )
            continue
        hit = next((h for h in headers if h == src), None) or next(
            (h for h in headers if h not in used and _keys(h) & _keys(src)), None
        )
        if hit is None:
            problems.append(
                Problem(
                    "warning",
                    "mapping_not_found",
                    f"mapping {canon!r} -> {src!r}: no such column in the file",
                    column=src,
                )
            )
            continue
        cols[canon] = hit
        used.add(hit)
    header_keys = {h: _keys(h) for h in headers}
    for canon in targets:
        if canon in cols or canon == "amount_gross":
            continue
        syn = {k for n in [canon, *HEADER_PRESETS.get(canon, [])] for k in _keys(n)}
        hits = [h for h in headers if h not in used and header_keys[h] & syn]
        if not hits:
            continue
        gross_hit = None
        if canon == "amount" and open_first:
            opens = [h for h in hits if header_keys[h] & open_keys]
            gross = [h for h in hits if h not in opens]
            if opens and gross:  # open amount as amount, the gross kept aside
                if "amount_gross" not in cols:
                    gross_hit, gross = gross[0], gross[1:]
                hits = opens + gross
        cols[canon] = hits[0]
        used.add(hits[0])
        if gross_hit is not None:
            cols["amount_gross"] = gross_hit
            used.add(gross_hit)
        if len(hits) > 1:
            problems.append(
                Problem(
                    "warning",
                    "ambiguous_column",
                    f"{canon!r} matches {hits[0]!r} and {', '.join(map(repr, hits[1:]))}; "
                    f"using {hits[0]!r} (set a mapping to choose)",
                    column=hits[0],
                )
            )
    ignored = [h for h in headers if h not in used]
    return cols, ignored, problems


def _closest(canon: str, headers: list[str]) -> str | None:
    syn = [_key(n) for n in [canon, *HEADER_PRESETS.get(canon, [])]]
    best, score = None, 0.0
    for h in headers:
        for s in syn:
            r = difflib.SequenceMatcher(None, _key(h), s).ratio()
            if r > score:
                best, score = h, r
    return best if score >= 0.7 else None


def _missing_column(
    canon: str, headers: list[str], file: str, sheet: str | None, hint: str = "", unused: list[str] | None = None
) -> InputError:
    examples = ", ".join(repr(n) for n in HEADER_PRESETS.get(canon, [])[:3])
    close = _closest(canon, headers if unused is None else unused)
    msg = (
        f"required column {canon!r} not found (known headers: {examples}{', ...' if examples else ''}); "
        f"columns found: {', '.join(headers) or '(none)'}"
    )
    if close:
        msg += f"; closest: {close!r} -> add mapping {{{canon!r}: {close!r}}}"
    return fail("missing_column", msg + hint, file=file, sheet=sheet, column=canon)


# --------------------------------------------------------------------------------------
# Value parsing helpers
# --------------------------------------------------------------------------------------
def _amounts(s: pd.Series, dec: str) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_amounts` with a fast path for plain numbers (``-1234,56``).

    Cells that are a bare signed number with the file's decimal separator (the bulk
    of most exports) are converted directly; the others go through
    :func:`parse_amounts` (spaces, thousands groups, parentheses, signs, ...).
    """
    if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
        return parse_amounts(s, dec)  # type: ignore[arg-type]
    pattern = r"-?\d+(,\d+)?" if dec == "," else r"-?\d+(\.\d+)?"
    txt = s.astype("string") if s.dtype == object else s
    simple = txt.str.fullmatch(pattern).fillna(False).astype(bool)
    if simple.mean() < 0.5:
        return _by_unique(lambda v: parse_amounts(v, dec), s)  # type: ignore[arg-type]
    plain = txt[simple]
    if dec == ",":
        plain = plain.str.replace(",", ".", regex=False)
    vals = pd.Series(np.nan, index=s.index, dtype="float64")
    vals[simple] = pd.to_numeric(plain).astype("float64")
    bad = pd.Series(False, index=s.index)
    rest = ~simple & s.notna()
    if rest.any():
        v2, b2 = _by_unique(lambda v: parse_amounts(v, dec), s[rest])  # type: ignore[arg-type]
        vals[rest] = v2
        bad[rest] = b2
    return vals, bad.astype(bool)


def _excel_text(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _text(s: pd.Series, excel: bool) -> pd.Series:
    if excel:
        return _by_unique(lambda u: clean_text(u.map(_excel_text)), s).astype(object)
    return _by_unique(clean_text, s).astype(object)


def _labels(s: pd.Series, excel: bool, table_map: dict[str, object]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(mapped values, cleaned text, unknown mask) through a normalised label map."""
    txt = _text(s, excel)
    uniq = txt.dropna().unique()
    lookup = {u: table_map.get(_key(u)) for u in uniq}
    mapped = txt.map(lookup)
    unknown = (txt.notna() & mapped.isna()).astype(bool)
    return mapped, txt, unknown


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------
def load_table(
    path: str | Path,
    table: str = "open_items",
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    *,
    dayfirst: bool = True,
    decimal: str | None = None,
    defaults: dict[str, object] | None = None,
    header_row: int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load an export into the canonical table ``table`` (see :mod:`cashmission.schemas`).

    Parameters
    ----------
    path : CSV/TXT or Excel file.
    table : canonical table name (``open_items``, ``customers``, ``payments``,
        ``disputes``, ``dunning``, ``working_capital``).
    mapping : canonical column -> source header, overriding :data:`HEADER_PRESETS`.
    sheet : Excel sheet name or 0-based position (default: the only sheet holding
        data; an error naming the sheets when several do, see :func:`read_raw`).
    dayfirst : read ``01/02/2024`` as 1 February (French) rather than 2 January.
    decimal : ``","`` or ``"."``; ``None`` infers it once from all amount columns.
    defaults : canonical column -> value for columns absent from the file and for
        empty cells of optional text columns (e.g. ``{"entity": "FR01"}``).
    header_row : 1-based line of the header; ``None`` to detect it.

    Returns
    -------
    (frame, report) : the table after :func:`schemas.coerce`, with ``source_row`` the
    line number in the file, and the :class:`LoadReport`.

    Raises
    ------
    InputError
        fatal input problems (see the module notes); row problems are only reported.

    Notes
    -----
    See the module docstring for the policies (dropped rows, signs, due dates,
    duplicates).  For ``open_items`` prefer :func:`load_open_items`.
    """
    return _load(
        path,
        table,
        mapping,
        sheet,
        dayfirst=dayfirst,
        decimal=decimal,
        defaults=defaults,
        header_row=header_row,
        terms_days=None,
    )


def load_open_items(
    path: str | Path,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    *,
    terms_days: int | None = None,
    currency: str = "EUR",
    **kw: object,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load an aged-balance / open-items export (*balance âgée, postes clients ouverts*).

    Parameters
    ----------
    path, mapping, sheet : as :func:`load_table`.
    terms_days : payment terms in days, used to compute ``due_date = document_date +
        terms_days`` when the file has no due-date column.
    currency : currency of rows without one (no currency column or an empty cell).
    **kw : ``dayfirst``, ``decimal``, ``defaults``, ``header_row`` of :func:`load_table`.

    Returns
    -------
    (items, report) : canonical ``open_items`` and the :class:`LoadReport`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bal.csv"
    >>> _ = p.write_text("N° client;N° pièce;Date pièce;Date échéance;Montant TTC\\n"
    ...                  "C1;F1;31/01/2024;01/03/2024;1 200,50\\n", encoding="utf-8")
    >>> items, report = load_open_items(p)
    >>> items[["customer_id", "document_type", "amount", "source_row"]].values.tolist()
    [['C1', 'invoice', 1200.5, 2]]
    """
    defaults = dict(kw.pop("defaults", None) or {})  # type: ignore[call-overload]
    defaults.setdefault("currency", currency)
    return _load(path, "open_items", mapping, sheet, defaults=defaults, terms_days=terms_days, **kw)  # type: ignore[arg-type]


def check_file(
    path: str | Path,
    table: str = "open_items",
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    **kw: object,
) -> LoadReport:
    """Load report for ``path`` without raising on input problems.

    A fatal :class:`InputError` becomes one ``error`` problem of the report (with
    ``rows_read = rows_kept = 0``); everything else is as :func:`load_table` reports it.
    """
    try:
        if table == "open_items":
            return load_open_items(path, mapping, sheet, **kw)[1]  # type: ignore[arg-type]
        return load_table(path, table, mapping, sheet, **kw)[1]  # type: ignore[arg-type]
    except InputError as err:
        p = err.problem
        return LoadReport(file=str(path), kind=table, sheet=p.sheet, problems=[p])


def _load(
    path: str | Path,
    table: str,
    mapping: dict[str, str] | None,
    sheet: str | int | None,
    *,
    dayfirst: bool = True,
    decimal: str | None = None,
    defaults: dict[str, object] | None = None,
    header_row: int | None = None,
    terms_days: int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    t = schemas.table(table)
    file = str(path)
    raw, meta = read_raw(path, sheet, header_row, known=_known_names(table, mapping))
    sh = meta["sheet"]
    excel = meta["kind"] == "excel"
    P = _Problems(file, sh)
    for level, code, msg in meta["notes"]:
        P.add(level, code, msg)
    if sheet is not None and not excel:
        P.add("info", "sheet_ignored", f"sheet={sheet!r} ignored for a text file")
    headers = list(raw.columns)
    cols, ignored, map_problems = map_columns(headers, table, mapping)
    for p in map_problems:
        P.add(p.level, p.code, p.message, column=p.column)
    defaults = dict(defaults or {})
    if "entity" in t.names:  # an empty entity cell is the default entity, as a missing column
        defaults.setdefault("entity", t.column("entity").default)
    is_open = table == "open_items"

    # -- required columns -----------------------------------------------------------
    for canon in t.required:
        if canon in cols:
            continue
        if canon == "amount" and ("debit" in cols or "credit" in cols):
            if not ("debit" in cols and "credit" in cols):
                other = "credit" if "debit" in cols else "debit"
                raise _missing_column(
                    other, headers, file, sh, unused=ignored, hint=" (amount from a Débit/Crédit pair needs both)"
                )
            continue
        if is_open and canon == "document_type":
            continue
        if is_open and canon == "due_date" and terms_days is not None:
            continue
        hint = " (or give terms_days)" if is_open and canon == "due_date" else ""
        raise _missing_column(canon, headers, file, sh, hint=hint, unused=ignored)
    if "amount" in cols and ("debit" in cols or "credit" in cols):
        P.add(
            "info",
            "debit_credit_ignored",
            f"amount read from {cols['amount']!r}; "
            + " and ".join(repr(cols[k]) for k in ("debit", "credit") if k in cols)
            + " not used",
        )
        for k in ("debit", "credit"):
            if k in cols:
                ignored.append(cols.pop(k))

    idx = raw.index
    n = len(raw)
    drop = pd.Series(False, index=idx)
    ragged = pd.Index(meta.get("ragged_rows") or [])
    ragged = ragged[ragged.isin(idx)]
    if len(ragged):
        P.rows(
            "warning",
            "too_many_fields",
            ragged,
            None,
            "more fields than the header (an unquoted separator in a value?); row dropped",
        )
        drop[ragged] = True
    if meta.get("blank_rows"):
        P.add("info", "blank_rows", f"{meta['blank_rows']} empty rows skipped")
    if n == 0:
        P.add("warning", "no_data", "no data rows below the header")

    # -- decimal separator: one guess over every amount column -----------------------
    amount_cols = [
        c
        for c in cols
        if c in ("debit", "credit", "amount_gross") or (c in t.names and t.column(c).kind in ("float", "int"))
    ]
    if decimal is None and amount_cols and n:
        texts = pd.concat([raw[cols[c]] for c in amount_cols], ignore_index=True)
        texts = pd.Series(pd.unique(texts.dropna().to_numpy(dtype=object)), dtype=object)
        texts = texts[texts.map(lambda v: isinstance(v, str))].iloc[:20000]  # a sample is enough to vote
        decimal = infer_decimal(texts)
        if (
            decimal == ","
            and meta.get("delimiter") == ","
            and not texts.astype(str).str.contains(r",\d{1,2}-?\)?$|\.\d{3},", regex=True).any()
        ):
            decimal = "."  # comma-separated file without decimal-comma evidence
    dec = decimal or ","

    out: dict[str, pd.Series] = {}
    required = set(t.required)

    def bad_rows(mask: pd.Series) -> list[int]:
        return idx[mask.to_numpy()].tolist()

    # -- amounts ----------------------------------------------------------------------
    amount_read = None
    for canon in [c for c in t.names if c in cols and t.column(c).kind in ("float", "int")]:
        src = cols[canon]
        vals, bad = _amounts(raw[src], dec)
        kind = t.column(canon).kind
        if kind == "int":
            frac = vals.notna() & (vals != vals.round())
            bad = bad | frac
            vals = vals.where(~frac)
        req = canon in required
        P.rows(
            "warning",
            "bad_number" if kind == "int" else "bad_amount",
            bad_rows(bad & ~drop),
            src,
            lambda r, s=src, q=req: (
                f"cannot read {raw.at[r, s]!r} as a number" + ("; row dropped" if q else "; left empty")
            ),
        )
        if req:
            drop |= bad
        out[canon] = vals
    if "amount" in t.names and "amount" not in cols and "debit" in cols:
        d, bad_d = _amounts(raw[cols["debit"]], dec)
        c, bad_c = _amounts(raw[cols["credit"]], dec)
        amt = d.fillna(0.0) - c.fillna(0.0)
        amt = amt.where(d.notna() | c.notna())
        for bad, src in ((bad_d, cols["debit"]), (bad_c, cols["credit"])):
            P.rows(
                "warning",
                "bad_amount",
                bad_rows(bad & ~drop),
                src,
                lambda r, s=src: f"cannot read {raw.at[r, s]!r} as a number; row dropped",
            )
            drop |= bad
        amt = amt.where(~(bad_d | bad_c))
        out["amount"] = amt
        cols["amount"] = f"{cols['debit']} - {cols['credit']}"
    if "amount" in out:
        amount_read = out["amount"].where(~pd.Series(idx.isin(ragged), index=idx))
    extra: dict[str, pd.Series] = {}  # extra columns, carried after the canonical ones
    if "amount_gross" in cols:
        src = cols["amount_gross"]
        vals, bad = _amounts(raw[src], dec)
        P.rows(
            "warning",
            "bad_amount",
            bad_rows(bad & ~drop),
            src,
            lambda r, s=src: f"cannot read {raw.at[r, s]!r} as a number; amount_gross left empty",
        )
        extra["amount_gross"] = vals
        P.add(
            "info",
            "open_amount",
            f"amount (open amount) read from {cols['amount']!r}; the gross amount {src!r} kept as amount_gross",
            column=cols["amount"],
        )

    # -- dates ------------------------------------------------------------------------
    for canon in [c for c in t.names if c in cols and t.column(c).kind == "date"]:
        src = cols[canon]
        vals, bad = _by_unique(lambda v: parse_dates(v, dayfirst=dayfirst), raw[src])
        req = canon in required
        if is_open and canon == "due_date":
            P.rows(
                "warning",
                "bad_date",
                bad_rows(bad & ~drop),
                src,
                lambda r, s=src: (
                    f"cannot read {raw.at[r, s]!r} as a date; taken as immediately due (due date = document date)"
                ),
            )
        else:
            P.rows(
                "warning",
                "bad_date",
                bad_rows(bad & ~drop),
                src,
                lambda r, s=src, q=req: (
                    f"cannot read {raw.at[r, s]!r} as a date" + ("; row dropped" if q else "; left empty")
                ),
            )
            if req:
                drop |= bad
        out[canon] = vals

    # -- booleans ---------------------------------------------------------------------
    for canon in [c for c in t.names if c in cols and t.column(c).kind == "bool"]:
        src = cols[canon]
        mapped, txt, unknown = _labels(raw[src], excel, _BOOL_MAP)
        P.rows(
            "warning",
            "bad_boolean",
            bad_rows(unknown & ~drop),
            src,
            lambda r, s=src: f"cannot read {raw.at[r, s]!r} as yes/no (Oui/Non, O/N, Yes/No, 1/0, X); taken as no",
        )
        out[canon] = mapped.where(mapped.notna(), False).astype(bool)

    # -- text and categories ----------------------------------------------------------
    for canon in [c for c in t.names if c in cols and t.column(c).kind in ("str", "category")]:
        src = cols[canon]
        if canon == "document_type":
            mapped, txt, unknown = _labels(raw[src], excel, _TYPE_MAP)
            live = unknown & ~drop
            for label, count in txt[live].value_counts(sort=False).items():
                first = int(idx[(live & (txt == label)).to_numpy()][0])
                P.add(
                    "warning",
                    "unknown_type",
                    f"unknown document type {label!r} on {count} rows (first at row {first}); taken as 'other'",
                    row=first,
                    column=src,
                )
            out[canon] = mapped.where(~unknown, "other")
        elif canon == "action":
            mapped, txt, unknown = _labels(raw[src], excel, _ACTION_MAP)
            P.rows(
                "warning",
                "bad_value",
                bad_rows(unknown & ~drop),
                src,
                lambda r, s=src: (
                    f"unknown action {raw.at[r, s]!r} (allowed: "
                    + ", ".join(schemas.DUNNING_ACTIONS)
                    + "); row dropped"
                ),
            )
            drop |= unknown
            out[canon] = mapped
        else:
            out[canon] = _text(raw[src], excel)
    for canon in sorted(required & set(out)):
        if is_open and canon in ("due_date", "document_type"):
            continue
        missing = out[canon].isna() & ~drop
        if canon in cols and cols[canon] in raw.columns:
            missing &= _blank(raw[cols[canon]])
        elif canon == "amount":
            missing &= out["amount"].isna()
        P.rows("warning", "missing_value", bad_rows(missing), cols.get(canon, canon), f"empty {canon}; row dropped")
        drop |= missing

    # -- open items specifics ---------------------------------------------------------
    if is_open:
        amount = out["amount"]
        doc_date = out["document_date"]
        if "document_type" in out:
            no_label = out["document_type"].isna() & ~drop
            if no_label.any():
                P.add(
                    "info",
                    "type_from_sign",
                    f"{int(no_label.sum())} rows without a document "
                    "type: amount >= 0 taken as invoice, < 0 as credit_note",
                    column=cols["document_type"],
                )
        else:
            live = int((~drop).sum())
            if live:
                P.add(
                    "info",
                    "type_from_sign",
                    f"no document type column: {live} rows typed by sign (amount >= 0 invoice, < 0 credit_note)",
                )
            out["document_type"] = pd.Series(np.nan, index=idx, dtype=object)
        by_sign = pd.Series(np.where(amount < 0, "credit_note", "invoice"), index=idx)
        dtype_ = out["document_type"].astype(object)
        out["document_type"] = dtype_.where(dtype_.notna(), by_sign)
        typ = out["document_type"]
        for kind, wrong, what in (
            ("credit_note", amount > 0, "credit note with a positive amount"),
            ("payment", amount > 0, "payment with a positive amount"),
            ("invoice", amount < 0, "invoice with a negative amount"),
        ):
            rows = bad_rows((typ == kind) & wrong & ~drop)
            P.rows(
                "warning",
                f"{kind}_sign",
                rows,
                cols.get("amount"),
                f"{what}: kept as given (check the export's sign convention)",
            )
        if "due_date" not in cols:
            out["due_date"] = doc_date + pd.Timedelta(days=int(terms_days or 0))
            P.add("info", "due_date_from_terms", f"no due-date column: due date = document date + {terms_days} days")
        else:
            src = cols["due_date"]
            due = out["due_date"]
            empty_due = due.isna() & _blank(raw[src]) & ~drop
            P.rows(
                "warning",
                "missing_due_date",
                bad_rows(empty_due),
                src,
                "empty due date: taken as immediately due (due date = document date)",
            )
            early = (due < doc_date) & ~drop
            P.rows("warning", "due_before_document", bad_rows(early), src, "due date before the document date")
            out["due_date"] = due.where(due.notna(), doc_date)
        if "dispute" not in cols and "dispute_code" in out:
            out["dispute"] = out["dispute_code"].notna()
            P.add("info", "dispute_from_code", "no dispute column: an item with a dispute code is taken as disputed")

    # -- defaults for optional text columns ------------------------------------------
    for canon, value in defaults.items():
        if canon not in t.names:
            raise ValueError(f"defaults names {canon!r}, not a column of {table}")
        if canon in out and t.column(canon).kind == "str":
            out[canon] = out[canon].where(out[canon].notna(), str(value))
        elif canon not in out:
            out[canon] = pd.Series([value] * n, index=idx, dtype=object)
    if "currency" in out and "currency" in cols:
        cur = out["currency"][~drop].dropna()
        counts = cur.str.upper().value_counts()
        if len(counts) > 1:
            P.add(
                "info",
                "currencies",
                "several currencies: " + ", ".join(f"{k} ({v} rows)" for k, v in counts.items()),
                column=cols["currency"],
            )

    # -- assemble, drop, duplicates ---------------------------------------------------
    frame = pd.DataFrame({c: out[c] for c in t.names if c in out}, index=idx)
    frame["source_row"] = idx.to_numpy()
    for c, v in extra.items():
        frame[c] = v
    frame = frame.loc[~drop.to_numpy()]
    frame = schemas.coerce(frame.reset_index(drop=True), table)
    if table != "dunning" and len(frame):
        frame = _duplicates(frame, t, is_open, P, cols)
    report = LoadReport(
        file=file,
        kind=table,
        sheet=sh,
        encoding=meta.get("encoding"),
        rows_read=n,
        rows_kept=len(frame),
        columns=dict(cols),
        ignored_columns=ignored,
    )
    if amount_read is not None:
        report.set_totals(amount_read, frame["amount"])
    report.extra.update(
        {
            "delimiter": meta.get("delimiter"),
            "header_line": meta["header_line"],
            "decimal": decimal if amount_cols else None,
        }
    )
    report.problems = P.finish()
    return frame, report


def _known_names(table: str, mapping: dict[str, str] | None) -> list[str]:
    t = schemas.table(table)
    names = [*t.names, "debit", "credit", *(mapping or {}).values()]
    for canon in [*t.names, "debit", "credit"]:
        names += HEADER_PRESETS.get(canon, [])
    return names


def _duplicates(
    frame: pd.DataFrame, t: schemas.Table, is_open: bool, P: _Problems, cols: dict[str, str]
) -> pd.DataFrame:
    """Apply the duplicate-key policy (module docstring) to a coerced frame.

    Vectorised: groups are numbered once, classified with per-group counts, and
    messages are built only for the groups listed (at most
    :data:`MAX_DETAILED_PROBLEMS` per problem code); the others are only counted.
    """
    key = [k for k in t.key if k in frame.columns]
    if not key:
        return frame
    content = [c for c in frame.columns if c != "source_row"]
    exact = frame.duplicated(subset=content, keep="first")
    if exact.any():
        first_row = frame.groupby(content, dropna=False, sort=False)["source_row"].transform("first")
        pos = np.flatnonzero(exact.to_numpy())
        rows = frame["source_row"].to_numpy()[pos].astype(int)
        firsts = dict(
            zip(rows[:MAX_DETAILED_PROBLEMS].tolist(), first_row.to_numpy()[pos][:MAX_DETAILED_PROBLEMS], strict=True)
        )
        P.rows(
            "warning",
            "duplicate_row",
            rows[:MAX_DETAILED_PROBLEMS],
            cols.get(key[-1]),
            lambda r: f"same as row {int(firsts[r])}; dropped",
        )
        P.more("warning", "duplicate_row", len(rows) - MAX_DETAILED_PROBLEMS)
        frame = frame.loc[~exact.to_numpy()].reset_index(drop=True)
    dup = frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return frame
    if not is_open:
        P.rows(
            "warning",
            "duplicate_key",
            frame.loc[dup, "source_row"].astype(int).tolist(),
            cols.get(key[-1]),
            f"key ({', '.join(key)}) not unique; kept",
        )
        return frame
    return _open_item_groups(frame, dup.to_numpy(), key, P, cols.get("document_id"))


_CREDIT_TYPES = ("credit_note", "payment")


def _open_item_groups(
    frame: pd.DataFrame, dup: np.ndarray, key: list[str], P: _Problems, src: str | None
) -> pd.DataFrame:
    """Rows of ``open_items`` sharing ``(entity, document_id)``: classify each group.

    - *partial settlement*: the group holds a debit row (an invoice or other item
      with ``amount >= 0``) and a credit row (a credit note or payment, or a negative
      amount): a credit carrying an invoice's number.  All rows kept; warning
      ``partial_settlement``; every row of the group whose ``match_code`` is empty
      gets the bare document id as ``match_code`` so the credit can be applied to
      its invoice.
    - *instalments*: same type, same sign and all due dates different (info).
    - otherwise ``duplicate_id`` (warning).

    Ids are made unique as ``id``, ``id/2``, ... : debit rows first, then credit
    rows, each in file order (so the invoice keeps its number).
    """
    sub = frame.loc[dup, [*key, "document_type", "due_date", "amount", "source_row"]]
    gid = sub.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    n_groups = int(gid.max()) + 1
    typ = sub["document_type"].astype(object)
    amount = sub["amount"].to_numpy(dtype=np.float64)
    credit = (typ.isin(_CREDIT_TYPES).to_numpy() | (amount < 0)).astype(np.int64)
    size = np.bincount(gid, minlength=n_groups)
    n_credit = np.bincount(gid, weights=credit, minlength=n_groups).astype(np.int64)
    by_gid = pd.DataFrame(
        {"g": gid, "t": typ.to_numpy(), "s": amount < 0, "d": sub["due_date"].to_numpy()}, index=sub.index
    )
    n_type = by_gid.groupby("g", sort=True)["t"].nunique(dropna=False).to_numpy()
    n_sign = by_gid.groupby("g", sort=True)["s"].nunique().to_numpy()
    n_due = by_gid.groupby("g", sort=True)["d"].nunique(dropna=False).to_numpy()
    settle = (n_credit > 0) & (n_credit < size)
    instal = ~settle & (n_type == 1) & (n_sign == 1) & (n_due == size)
    conflict = ~settle & ~instal

    # rank in the group: debit rows first, then credit rows, each in file order
    order = np.lexsort((np.arange(len(gid)), credit, gid))
    starts = np.r_[0, np.flatnonzero(np.diff(gid[order])) + 1]
    rank = np.empty(len(gid), dtype=np.int64)
    rank[order] = np.arange(len(gid)) - np.repeat(starts, np.diff(np.r_[starts, len(gid)])) + 1
    out = frame.copy()
    pos = np.flatnonzero(dup)
    ids = out["document_id"].to_numpy(dtype=object).copy()
    base = ids[pos].copy()
    later = rank > 1
    ids[pos[later]] = base[later] + "/" + rank[later].astype(str).astype(object)
    out["document_id"] = pd.Series(ids, index=out.index, dtype=object)
    tagged = settle[gid]
    if tagged.any():
        mc = out["match_code"].astype(object).to_numpy().copy()
        empty = pd.isna(mc[pos])
        fill = tagged & empty
        mc[pos[fill]] = base[fill]
        out["match_code"] = pd.Series(mc, index=out.index, dtype=object)

    # problems: messages only for the groups listed, the others counted
    for mask, level, code in (
        (settle, "warning", "partial_settlement"),
        (instal, "info", "instalments"),
        (conflict, "warning", "duplicate_id"),
    ):
        groups = np.flatnonzero(mask)
        if not len(groups):
            continue
        shown = groups[:MAX_DETAILED_PROBLEMS]
        sel = np.isin(gid, shown)
        rows_sel = sub.loc[sel]
        g_sel, r_sel = gid[sel], rank[sel]
        for g in shown:
            m = g_sel == g
            part = rows_sel.loc[m].assign(rank_=r_sel[m]).sort_values("rank_")
            P.rows(level, code, [int(part["source_row"].min())], src, _group_message(code, part))
        P.more(level, code, len(groups) - len(shown))
    return out


def _group_message(code: str, part: pd.DataFrame) -> str:
    doc = str(part["document_id"].iat[0])
    n = len(part)
    rows = ", ".join(str(int(r)) for r in sorted(part["source_row"]))
    ids_txt = ", ".join([doc] + [f"{doc}/{i}" for i in range(2, n + 1)])
    if code == "instalments":
        return f"document {doc!r} on {n} rows with different due dates (rows {rows}): instalments kept as {ids_txt}"
    if code == "duplicate_id":
        return f"document {doc!r} on {n} rows (rows {rows}) differing in amount or other fields: all kept as {ids_txt}"
    items = "; ".join(
        f"row {int(r.source_row)} {r.document_type} {r.amount:.2f} as {doc if r.rank_ == 1 else f'{doc}/{r.rank_}'}"
        for r in part.itertuples(index=False)
    )
    return (
        f"document {doc!r} on {n} rows (rows {rows}) mixing debits and credits: a payment or credit note "
        f"carrying the invoice's number, i.e. a partial settlement ({items}); all kept, match_code {doc!r} "
        f"set so the credit is applied to its invoice; open balance {part['amount'].sum():.2f}"
    )
