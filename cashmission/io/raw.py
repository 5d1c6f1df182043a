"""Reading a delimited or Excel export into raw text cells: encoding, separator, sheet, header row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission.io.presets import _keys, _known_keys
from cashmission.problems import InputError, excerpt, fail

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")  # also gzipped: .csv.gz, .txt.gz, .tsv.gz
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
DELIMITERS = (";", "\t", "|", ",")
HEADER_SEARCH_ROWS = 30


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
    """Decode → split into a grid of text cells → number each record by its first line."""
    text, enc_name = _decoded_text(path, file)
    delim = _detect_delimiter(text[:200000].split("\n", 400)[:400])
    grid, notes = _split_text(text, delim, file)
    grid.index = pd.Index(_record_lines(grid, text), name="source_row")
    meta = {"kind": "text", "encoding": enc_name, "delimiter": delim, "sheet": None, "notes": notes}
    return grid, meta


def _decoded_text(path: Path, file: str) -> tuple[str, str]:
    """(text with every line end as ``\\n``, encoding name); raise on an empty, gzip-broken or binary file."""
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
    return text, enc_name


def _split_text(text: str, delim: str, file: str) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """(grid of text cells, notes): a never-closed quote is read as a plain character, with a warning."""
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
    return grid, notes


def _record_lines(grid: pd.DataFrame, text: str) -> np.ndarray:
    """1-based line of each record: records with quoted line breaks span several lines."""
    line = np.arange(1, len(grid) + 1, dtype="int64")
    if '"' in text and "\n" in text:
        extra = np.zeros(len(grid), dtype="int64")
        for c in grid.columns:
            s = grid[c]
            if s.str.contains("\n", regex=False, na=False).any():
                extra += s.str.count("\n").fillna(0).to_numpy(dtype="int64")
        line = line + np.concatenate([[0], np.cumsum(extra)[:-1]])
    return line


def _excel_engine(ext: str = ".xlsx") -> str:
    """``calamine`` when python-calamine imports, else ``openpyxl`` (which cannot read ``.xls``: an error then)."""
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
    """Open the workbook → the sheets asked for → the one that holds data → its cells, rows numbered from 1."""
    engine = _excel_engine(path.suffix.lower())
    try:
        book = pd.ExcelFile(path, engine=engine)
        names = [str(n) for n in book.sheet_names]
    except InputError:
        raise
    except Exception as err:  # corrupt workbook, wrong format, encrypted, ...
        msg = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
        raise fail("unreadable_file", f"cannot read this Excel file ({msg})", file=file) from None
    candidates = _candidate_sheets(names, sheet, file)
    name, grid = _data_sheet(book, names, candidates, known, file)
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


def _candidate_sheets(names: list[str], sheet: str | int | None, file: str) -> list[str]:
    """The sheet asked for (by 0-based number, exact name, then name ignoring case), or every sheet."""
    if sheet is None:
        return names
    listing = _sheet_listing(names)
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise fail("unknown_sheet", f"no sheet number {sheet}; {listing}", file=file)
        return [names[sheet]]
    match = [n for n in names if n == str(sheet)] or [
        n for n in names if n.strip().casefold() == str(sheet).strip().casefold()
    ]
    if not match:
        raise fail("unknown_sheet", f"no sheet {excerpt(sheet)}; {listing}", file=file)
    return match[:1]


def _data_sheet(
    book: pd.ExcelFile, names: list[str], candidates: list[str], known: set[str], file: str
) -> tuple[str, pd.DataFrame]:
    """The one sheet holding data (a header row and a row below), else the first with a header, else the first.

    Several sheets holding data: ``several_sheets``, naming each, rather than a guess.
    """
    first = with_header = chosen = None
    holding: list[str] = []  # sheets with a header row and data below it
    for name in candidates:
        try:
            grid = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
        except Exception as err:
            raise fail("unreadable_file", f"cannot read sheet {name!r} ({err})", file=file, sheet=name) from None
        grid = grid.dropna(axis=1, how="all")  # columns keep their position labels
        if len(candidates) == 1:
            return name, grid
        first = first or (name, grid)
        pos = _find_header(grid, known)
        if pos is None:
            continue
        with_header = with_header or (name, grid)
        if not grid.iloc[pos + 1 :].dropna(how="all").empty:
            chosen = chosen or (name, grid)
            holding.append(name)
    if len(holding) > 1:
        raise fail(
            "several_sheets",
            f"{len(holding)} sheets hold data: "
            + ", ".join(f"{n!r} (number {names.index(n)})" for n in holding)
            + "; choose one with --sheet NAME or NUMBER (sheet= in Python; numbers count from 0)",
            file=file,
        )
    return chosen or with_header or first  # type: ignore[return-value]


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
    pos = _header_position(grid, header_row, keys, file, meta["sheet"])
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
    names = _column_names(head, body.columns, meta["kind"] == "excel")
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


def _header_position(grid: pd.DataFrame, header_row: int | None, keys: set[str], file: str, sheet: str | None) -> int:
    """Position of the header row: the line given, else the first with two known headers; raise ``no_header``."""
    if header_row is not None:
        hits = np.flatnonzero(grid.index.to_numpy() == int(header_row))
        if not len(hits):
            raise fail("no_header", f"header_row={header_row} is beyond the end of the file", file=file, sheet=sheet)
        return int(hits[0])
    found = _find_header(grid, keys)
    if found is not None:
        return found
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
        f"'Date pièce', 'Montant TTC'); first line read: {excerpt(first)}",
        file=file,
        sheet=sheet,
    )


def _column_names(head: list, columns: pd.Index, excel: bool) -> list[str]:
    """Header cells as column names: an empty one ``(column N)`` / ``(column X)``, a repeated one ``Name (2)``."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, col in enumerate(columns):
        v = head[i] if i < len(head) else None
        if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip():
            name = f"(column {_col_letter(int(col)) if excel else i + 1})"
        else:
            name = str(v).strip()
        n = seen.get(name, 0) + 1
        seen[name] = n
        names.append(name if n == 1 else f"{name} ({n})")
    return names
