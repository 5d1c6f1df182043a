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
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import tables
from cashmission.io.columns import _known_names, _missing_column, map_columns
from cashmission.io.date_columns import parse_date_columns
from cashmission.io.open_items import _duplicates
from cashmission.io.parsing import (
    DATE_ORDERS,
    amount_hint,
    clean_text,
    infer_decimal,
    parse_amounts,
    unicode_digits,
)
from cashmission.io.presets import _ACTION_MAP, _BOOL_MAP, _TYPE_MAP, _key
from cashmission.io.raw import _blank, _by_unique, read_raw
from cashmission.io.row_problems import RowProblems as _Problems
from cashmission.io.totals_row import totals_row
from cashmission.problems import InputError, LoadReport, excerpt

__all__ = ["MAX_DETAILED_PROBLEMS", "check_file", "load_open_items", "load_table", "map_columns"]

MAX_DETAILED_PROBLEMS = 1000
"""Row-level problems listed one by one per code; the rest are summarised in one."""


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
    pattern = r"-?[0-9]+(,[0-9]+)?" if dec == "," else r"-?[0-9]+(\.[0-9]+)?"  # ASCII digits only
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
    infinite = vals.notna() & ~np.isfinite(vals)  # 400 digits: beyond the float range
    return vals.where(~infinite), (bad | infinite).astype(bool)


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
    date_order: str | None = None,
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
    dayfirst : the default order of a date column whose values do not tell
        (``01/02/2024``: 1 February, French, when True; 2 January when False).
    date_order : ``"dayfirst"`` or ``"monthfirst"`` to force the order of every date
        column; ``None`` detects it per column (:func:`detect_date_order`: a second
        field above 12 means month first, a first field above 12 day first, both an
        error naming the rows), a column without evidence following the file's other
        date columns, else ``dayfirst``.  The load report says which order was used.
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
        date_order=date_order,
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
    **kw : ``dayfirst``, ``date_order``, ``decimal``, ``defaults``, ``header_row`` of :func:`load_table`.

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


@dataclass
class _Load:
    """What the steps of :func:`_load` share: the raw cells, the columns found, the parsed values, the rows dropped."""

    table: str
    t: tables.Table
    file: str
    raw: pd.DataFrame
    meta: dict
    P: _Problems
    cols: dict[str, str]
    ignored: list[str]
    dayfirst: bool
    drop: pd.Series
    ragged: pd.Index
    date_order: str | None = None
    control: dict[str, object] | None = None  # the file's own totals row, when it has one
    out: dict[str, pd.Series] = field(default_factory=dict)
    extra: dict[str, pd.Series] = field(default_factory=dict)  # extra columns, carried after the canonical ones
    amount_cols: list[str] = field(default_factory=list)
    dec: str = ","

    @property
    def idx(self) -> pd.Index:
        return self.raw.index

    @property
    def excel(self) -> bool:
        return self.meta["kind"] == "excel"

    @property
    def is_open(self) -> bool:
        return self.table == "open_items"

    @property
    def required(self) -> set[str]:
        return set(self.t.required)

    def bad_rows(self, mask: pd.Series) -> list[int]:
        return self.idx[mask.to_numpy()].tolist()

    def cell(self, row: int, src: str) -> str:
        """The cell at ``row`` under ``src``, quoted and cut to 60 characters."""
        return excerpt(self.raw.at[row, src])

    def of_kind(self, *kinds: str) -> list[str]:
        """Canonical columns of the table, found in the file, of one of ``kinds``."""
        return [c for c in self.t.names if c in self.cols and self.t.column(c).kind in kinds]


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
    date_order: str | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read → map columns → check required → parse amounts, dates, flags, text → policies → assemble → report."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)} or None, got {date_order!r}")
    raw, meta = read_raw(path, sheet, header_row, known=_known_names(table, mapping))
    c = _start(str(path), table, mapping, sheet, raw, meta, dayfirst)
    c.date_order = date_order
    defaults = dict(defaults or {})
    if "entity" in c.t.names:  # an empty entity cell is the default entity, as a missing column
        defaults.setdefault("entity", c.t.column("entity").default)
    _check_required(c, list(raw.columns), terms_days)
    _mark_ragged(c)
    decimal = _guess_decimal(c, decimal)
    c.dec = decimal or ","
    amount_read = totals_row(c, _parse_amount_columns(c))
    parse_date_columns(c)
    _parse_flag_columns(c)
    _parse_text_columns(c)
    _drop_missing_required(c)
    if c.is_open:
        _type_from_sign(c)
        _check_signs(c)
        _due_dates(c, terms_days)
    _apply_defaults(c, defaults)
    _note_currencies(c)
    frame = _assemble(c)
    return frame, _report(c, frame, amount_read, decimal)


def _start(
    file: str,
    table: str,
    mapping: dict[str, str] | None,
    sheet: str | int | None,
    raw: pd.DataFrame,
    meta: dict,
    dayfirst: bool,
) -> _Load:
    """The shared state: reading notes, the columns mapped, nothing dropped yet."""
    P = _Problems(file, meta["sheet"], MAX_DETAILED_PROBLEMS)
    for level, code, msg in meta["notes"]:
        P.add(level, code, msg)
    if sheet is not None and meta["kind"] != "excel":
        P.add("info", "sheet_ignored", f"sheet={sheet!r} ignored for a text file")
    cols, ignored, map_problems = map_columns(list(raw.columns), table, mapping)
    for p in map_problems:
        P.add(p.level, p.code, p.message, column=p.column)
    ragged = pd.Index(meta.get("ragged_rows") or [])
    return _Load(
        table=table,
        t=tables.table(table),
        file=file,
        raw=raw,
        meta=meta,
        P=P,
        cols=cols,
        ignored=ignored,
        dayfirst=dayfirst,
        drop=pd.Series(False, index=raw.index),
        ragged=ragged[ragged.isin(raw.index)],
    )


def _check_required(c: _Load, headers: list[str], terms_days: int | None) -> None:
    """Raise ``missing_column`` for a required column not found; a Débit/Crédit pair stands for ``amount``."""
    sh = c.meta["sheet"]
    for canon in c.t.required:
        if canon in c.cols:
            continue
        if canon == "amount" and ("debit" in c.cols or "credit" in c.cols):
            if not ("debit" in c.cols and "credit" in c.cols):
                other = "credit" if "debit" in c.cols else "debit"
                hint = " (amount from a Débit/Crédit pair needs both)"
                raise _missing_column(other, headers, c.file, sh, unused=c.ignored, hint=hint)
            continue
        if c.is_open and (canon == "document_type" or (canon == "due_date" and terms_days is not None)):
            continue
        hint = " (or give terms_days)" if c.is_open and canon == "due_date" else ""
        raise _missing_column(canon, headers, c.file, sh, hint=hint, unused=c.ignored)
    if "amount" in c.cols and ("debit" in c.cols or "credit" in c.cols):
        c.P.add(
            "info",
            "debit_credit_ignored",
            f"amount read from {c.cols['amount']!r}; "
            + " and ".join(repr(c.cols[k]) for k in ("debit", "credit") if k in c.cols)
            + " not used",
        )
        for k in ("debit", "credit"):
            if k in c.cols:
                c.ignored.append(c.cols.pop(k))


def _mark_ragged(c: _Load) -> None:
    """Drop the rows with more fields than the header; note blank rows and an empty body."""
    if len(c.ragged):
        message = "more fields than the header (an unquoted separator in a value?); row dropped"
        c.P.rows("warning", "too_many_fields", c.ragged, None, message)
        c.drop[c.ragged] = True
    if c.meta.get("blank_rows"):
        c.P.add("info", "blank_rows", f"{c.meta['blank_rows']} empty rows skipped")
    if len(c.raw) == 0:
        c.P.add("warning", "no_data", "no data rows below the header")


def _guess_decimal(c: _Load, decimal: str | None) -> str | None:
    """The decimal separator: given, else one guess over every amount column of the file."""
    kinds = ("float", "int")
    c.amount_cols = [
        k
        for k in c.cols
        if k in ("debit", "credit", "amount_gross") or (k in c.t.names and c.t.column(k).kind in kinds)
    ]
    if decimal is not None or not c.amount_cols or not len(c.raw):
        return decimal
    texts = pd.concat([c.raw[c.cols[k]] for k in c.amount_cols], ignore_index=True)
    texts = pd.Series(pd.unique(texts.dropna().to_numpy(dtype=object)), dtype=object)
    texts = texts[texts.map(lambda v: isinstance(v, str))].iloc[:20000]  # a sample is enough to vote
    decimal = infer_decimal(texts)
    if (
        decimal == ","
        and c.meta.get("delimiter") == ","
        and not texts.astype(str).str.contains(r",\d{1,2}-?\)?$|\.\d{3},", regex=True).any()
    ):
        decimal = "."  # comma-separated file without decimal-comma evidence
    return decimal


def _read_amounts(c: _Load, src: str, code: str, then: str, keep: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse the column ``src``; warn on each bad cell (``code``, message ending ``then``) and on Unicode digits.

    ``keep`` marks a column whose bad cells do not drop the row.
    """
    vals, bad = _amounts(c.raw[src], c.dec)
    c.P.rows(
        "warning",
        code,
        c.bad_rows(bad & ~c.drop),
        src,
        lambda r: f"cannot read {c.cell(r, src)} as a number{amount_hint(c.raw.at[r, src])}{then}",
    )
    wide = unicode_digits(c.raw[src]) & ~bad & ~c.drop
    c.P.rows(
        "warning",
        "unicode_digits",
        c.bad_rows(wide),
        src,
        lambda r: f"{c.cell(r, src)} is written in non-ASCII digits: read as {vals[r]:g}",
    )
    if not keep:
        c.drop |= bad
    return vals, bad


def _parse_amount_columns(c: _Load) -> pd.Series | None:
    """Amounts and counts (and ``amount`` from Débit - Crédit); returns the amounts read, for the totals."""
    for canon in c.of_kind("float", "int"):
        src, kind, req = c.cols[canon], c.t.column(canon).kind, canon in c.required
        then = "; row dropped" if req else "; left empty"
        if kind == "int":
            vals, bad = _amounts(c.raw[src], c.dec)
            frac = vals.notna() & (vals != vals.round())
            bad, vals = bad | frac, vals.where(~frac)
            message = lambda r, s=src, t=then: f"cannot read {c.cell(r, s)} as a number{t}"  # noqa: E731
            c.P.rows("warning", "bad_number", c.bad_rows(bad & ~c.drop), src, message)
            if req:
                c.drop |= bad
        else:
            vals, _ = _read_amounts(c, src, "bad_amount", then, keep=not req)
        c.out[canon] = vals
    if "amount" in c.t.names and "amount" not in c.cols and "debit" in c.cols:
        _debit_minus_credit(c)
    if "amount_gross" in c.cols:
        src = c.cols["amount_gross"]
        c.extra["amount_gross"], _ = _read_amounts(c, src, "bad_amount", "; amount_gross left empty", keep=True)
        c.P.add(
            "info",
            "open_amount",
            f"amount (open amount) read from {c.cols['amount']!r}; the gross amount {src!r} kept as amount_gross",
            column=c.cols["amount"],
        )
    if "amount" not in c.out:
        return None
    return c.out["amount"].where(~pd.Series(c.idx.isin(c.ragged), index=c.idx))


def _debit_minus_credit(c: _Load) -> None:
    """``amount = Débit - Crédit`` (missing when both are empty); a bad cell on either side drops the row."""
    d, bad_d = _read_amounts(c, c.cols["debit"], "bad_amount", "; row dropped")
    cr, bad_c = _read_amounts(c, c.cols["credit"], "bad_amount", "; row dropped")
    amt = d.fillna(0.0) - cr.fillna(0.0)
    amt = amt.where(d.notna() | cr.notna())
    c.out["amount"] = amt.where(~(bad_d | bad_c))
    c.cols["amount"] = f"{c.cols['debit']} - {c.cols['credit']}"


def _parse_flag_columns(c: _Load) -> None:
    """Yes/no columns (Oui/Non, O/N, Yes/No, 1/0, X); an unknown value is no, with a warning."""
    for canon in c.of_kind("bool"):
        src = c.cols[canon]
        mapped, _, unknown = _labels(c.raw[src], c.excel, _BOOL_MAP)
        c.P.rows(
            "warning",
            "bad_boolean",
            c.bad_rows(unknown & ~c.drop),
            src,
            lambda r, s=src: f"cannot read {c.cell(r, s)} as yes/no (Oui/Non, O/N, Yes/No, 1/0, X); taken as no",
        )
        c.out[canon] = mapped.where(mapped.notna(), False).astype(bool)


def _parse_text_columns(c: _Load) -> None:
    """Text and categories: document types and dunning actions through their label maps, the rest as text."""
    for canon in c.of_kind("str", "category"):
        src = c.cols[canon]
        if canon == "document_type":
            c.out[canon] = _document_types(c, src)
        elif canon == "action":
            mapped, _, unknown = _labels(c.raw[src], c.excel, _ACTION_MAP)
            allowed = ", ".join(tables.DUNNING_ACTIONS)
            c.P.rows(
                "warning",
                "bad_value",
                c.bad_rows(unknown & ~c.drop),
                src,
                lambda r, s=src, a=allowed: f"unknown action {c.cell(r, s)} (allowed: {a}); row dropped",
            )
            c.drop |= unknown
            c.out[canon] = mapped
        else:
            c.out[canon] = _text(c.raw[src], c.excel)


def _document_types(c: _Load, src: str) -> pd.Series:
    """Document types from labels; an unknown label is ``other`` with one warning per label."""
    mapped, txt, unknown = _labels(c.raw[src], c.excel, _TYPE_MAP)
    live = unknown & ~c.drop
    for label, count in txt[live].value_counts(sort=False).items():
        first = int(c.idx[(live & (txt == label)).to_numpy()][0])
        c.P.add(
            "warning",
            "unknown_type",
            f"unknown document type {excerpt(label)} on {count} rows (first at row {first}); taken as 'other'",
            row=first,
            column=src,
        )
    return mapped.where(~unknown, "other")


def _drop_missing_required(c: _Load) -> None:
    """An empty required value drops the row (an open item's due date and type have their own rules)."""
    for canon in sorted(c.required & set(c.out)):
        if c.is_open and canon in ("due_date", "document_type"):
            continue
        missing = c.out[canon].isna() & ~c.drop
        if canon in c.cols and c.cols[canon] in c.raw.columns:
            missing &= _blank(c.raw[c.cols[canon]])
        elif canon == "amount":
            missing &= c.out["amount"].isna()
        c.P.rows(
            "warning", "missing_value", c.bad_rows(missing), c.cols.get(canon, canon), f"empty {canon}; row dropped"
        )
        c.drop |= missing


def _type_from_sign(c: _Load) -> None:
    """Open items without a type label: ``amount >= 0`` an invoice, ``< 0`` a credit note (info)."""
    if "document_type" in c.out:
        no_label = c.out["document_type"].isna() & ~c.drop
        if no_label.any():
            c.P.add(
                "info",
                "type_from_sign",
                f"{int(no_label.sum())} rows without a document type: amount >= 0 taken as invoice, < 0 as credit_note",
                column=c.cols["document_type"],
            )
    else:
        live = int((~c.drop).sum())
        if live:
            c.P.add(
                "info",
                "type_from_sign",
                f"no document type column: {live} rows typed by sign (amount >= 0 invoice, < 0 credit_note)",
            )
        c.out["document_type"] = pd.Series(np.nan, index=c.idx, dtype=object)
    by_sign = pd.Series(np.where(c.out["amount"] < 0, "credit_note", "invoice"), index=c.idx)
    types = c.out["document_type"].astype(object)
    c.out["document_type"] = types.where(types.notna(), by_sign)


def _check_signs(c: _Load) -> None:
    """Signs are never changed: a sign that contradicts the type is a warning, the row kept."""
    amount, typ = c.out["amount"], c.out["document_type"]
    for kind, wrong, what in (
        ("credit_note", amount > 0, "credit note with a positive amount"),
        ("payment", amount > 0, "payment with a positive amount"),
        ("invoice", amount < 0, "invoice with a negative amount"),
    ):
        rows = c.bad_rows((typ == kind) & wrong & ~c.drop)
        message = f"{what}: kept as given (check the export's sign convention)"
        c.P.rows("warning", f"{kind}_sign", rows, c.cols.get("amount"), message)


def _due_dates(c: _Load, terms_days: int | None) -> None:
    """Due dates of open items: from ``terms_days`` without a column; an empty one is the document date."""
    doc_date = c.out["document_date"]
    if "due_date" not in c.cols:
        c.out["due_date"] = doc_date + pd.Timedelta(days=int(terms_days or 0))
        c.P.add("info", "due_date_from_terms", f"no due-date column: due date = document date + {terms_days} days")
    else:
        src = c.cols["due_date"]
        due = c.out["due_date"]
        empty_due = due.isna() & _blank(c.raw[src]) & ~c.drop
        message = "empty due date: taken as immediately due (due date = document date)"
        c.P.rows("warning", "missing_due_date", c.bad_rows(empty_due), src, message)
        early = (due < doc_date) & ~c.drop
        c.P.rows("warning", "due_before_document", c.bad_rows(early), src, "due date before the document date")
        c.out["due_date"] = due.where(due.notna(), doc_date)
    if "dispute" not in c.cols and "dispute_code" in c.out:
        c.out["dispute"] = c.out["dispute_code"].notna()
        c.P.add("info", "dispute_from_code", "no dispute column: an item with a dispute code is taken as disputed")


def _apply_defaults(c: _Load, defaults: dict[str, object]) -> None:
    """Defaults fill empty cells of optional text columns and stand for absent columns."""
    for canon, value in defaults.items():
        if canon not in c.t.names:
            raise ValueError(f"defaults names {canon!r}, not a column of {c.table}")
        if canon in c.out and c.t.column(canon).kind == "str":
            c.out[canon] = c.out[canon].where(c.out[canon].notna(), str(value))
        elif canon not in c.out:
            c.out[canon] = pd.Series([value] * len(c.raw), index=c.idx, dtype=object)


def _note_currencies(c: _Load) -> None:
    if "currency" in c.out and "currency" in c.cols:
        cur = c.out["currency"][~c.drop].dropna()
        counts = cur.str.upper().value_counts()
        if len(counts) > 1:
            c.P.add(
                "info",
                "currencies",
                "several currencies: " + ", ".join(f"{k} ({v} rows)" for k, v in counts.items()),
                column=c.cols["currency"],
            )


def _assemble(c: _Load) -> pd.DataFrame:
    """The canonical frame: rows not dropped, coerced to the schema, duplicates handled."""
    frame = pd.DataFrame({k: c.out[k] for k in c.t.names if k in c.out}, index=c.idx)
    frame["source_row"] = c.idx.to_numpy()
    for k, v in c.extra.items():
        frame[k] = v
    frame = frame.loc[~c.drop.to_numpy()]
    frame = tables.coerce(frame.reset_index(drop=True), c.table)
    if c.table != "dunning" and len(frame):
        frame = _duplicates(frame, c.t, c.is_open, c.P, c.cols)
    return frame


def _report(c: _Load, frame: pd.DataFrame, amount_read: pd.Series | None, decimal: str | None) -> LoadReport:
    report = LoadReport(
        file=c.file,
        kind=c.table,
        sheet=c.meta["sheet"],
        encoding=c.meta.get("encoding"),
        rows_read=len(c.raw),
        rows_kept=len(frame),
        columns=dict(c.cols),
        ignored_columns=c.ignored,
    )
    if amount_read is not None:
        report.set_totals(amount_read, frame["amount"])
    report.extra.update(
        {
            "delimiter": c.meta.get("delimiter"),
            "header_line": c.meta["header_line"],
            "decimal": decimal if c.amount_cols else None,
        }
    )
    if c.meta.get("date_order"):
        report.extra["date_order"] = c.meta["date_order"]
    if c.control is not None:
        report.extra["control_total"] = c.control
    report.problems = c.P.finish()
    return report
