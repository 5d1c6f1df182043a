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

from pathlib import Path

import pandas as pd

from cashmission import tables
from cashmission.io.columns import _known_names, map_columns
from cashmission.io.date_columns import parse_date_columns
from cashmission.io.export_steps import (
    _apply_defaults,
    _check_required,
    _check_signs,
    _drop_missing_required,
    _due_dates,
    _guess_decimal,
    _Load,
    _mark_ragged,
    _note_currencies,
    _parse_amount_columns,
    _parse_flag_columns,
    _parse_text_columns,
    _type_from_sign,
)
from cashmission.io.open_items import _duplicates
from cashmission.io.parsing import (
    DATE_ORDERS,
)
from cashmission.io.raw import read_raw
from cashmission.io.row_problems import RowProblems as _Problems
from cashmission.io.totals_row import totals_row
from cashmission.problems import InputError, LoadReport

__all__ = ["MAX_DETAILED_PROBLEMS", "check_file", "load_open_items", "load_table", "map_columns"]

MAX_DETAILED_PROBLEMS = 1000
"""Row-level problems listed one by one per code; the rest are summarised in one."""


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
