"""Input loaders for CSV and Excel ERP exports (*extractions ERP*).

An export from a client's ERP or collection tool is turned into a canonical table
(:mod:`cashmission.tables`) plus a :class:`~cashmission.problems.LoadReport` that says
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
them.  Values are parsed with :mod:`cashmission.io.parsing`.  Policies, all reported:

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
:class:`~cashmission.problems.InputError`; :func:`check_file` turns them into a report.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import tables
from cashmission.io.parsing import clean_text, infer_decimal, parse_amounts, parse_dates
from cashmission.io.presets import _ACTION_MAP, _BOOL_MAP, _TYPE_MAP, AMOUNT_OPEN_HEADERS, HEADER_PRESETS, _key, _keys
from cashmission.io.raw import _blank, _by_unique, read_raw
from cashmission.problems import InputError, LoadReport, Problem, fail

"""Candidate delimiters, in order of preference when counts tie."""
"""The header row is looked for in this many first rows."""
MAX_DETAILED_PROBLEMS = 1000
"""Row-level problems listed one by one per code; the rest are summarised in one."""
"""Headers of an open amount (*solde TTC*, what is still owed).  In ``open_items`` the
canonical ``amount`` is the open amount, so when a file has both one of these and a
gross amount header (``Montant TTC``, ``Montant``, ``Amount``, ...), the open amount
is read as ``amount`` wherever the columns stand, and the gross one is kept as the
extra column ``amount_gross``.  They open the ``amount`` synonyms of
:data:`HEADER_PRESETS`, which are built from them."""
"""Header synonyms (French and English) per canonical column, matched with accents,
case and punctuation ignored.  ``debit`` and ``credit`` are not canonical columns:
together they give ``amount = debit - credit``.  The canonical name itself
(``customer_id``) is always recognised, and a user mapping overrides these."""


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
    t = tables.table(table)
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
    """Load an export into the canonical table ``table`` (see :mod:`cashmission.tables`).

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
    t = tables.table(table)
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
                    f"unknown action {raw.at[r, s]!r} (allowed: " + ", ".join(tables.DUNNING_ACTIONS) + "); row dropped"
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
    frame = tables.coerce(frame.reset_index(drop=True), table)
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
    t = tables.table(table)
    names = [*t.names, "debit", "credit", *(mapping or {}).values()]
    for canon in [*t.names, "debit", "credit"]:
        names += HEADER_PRESETS.get(canon, [])
    return names


def _duplicates(
    frame: pd.DataFrame, t: tables.Table, is_open: bool, P: _Problems, cols: dict[str, str]
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
