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
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import meta
from cashmission.io.fec_entries import _TOL, _agg, entry_key, is_opening
from cashmission.io.parsing import (
    amount_hint,
    date_hint,
    in_date_range,
    parse_amounts,
    parse_dates,
    unicode_digits,
)
from cashmission.problems import LoadReport, Problem, excerpt, fail

FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
"""The 18 columns of the standard FEC (article A47 A-1 LPF), in order."""

CASH_BASIS_COLUMNS = ("DateRglt", "ModeRglt", "NatOp", "IdClient")
"""Extra columns of the cash-basis regimes (*comptabilité de trésorerie*, BNC/BA)."""

DATE_COLUMNS = ("EcritureDate", "PieceDate", "DateLet", "ValidDate", "DateRglt")
_KEY_TEXT = ("JournalCode", "EcritureNum", "CompteNum", "CompAuxNum", "PieceRef", "EcritureLet", "Idevise")
# without these the file cannot be used at all
_CORE = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum")
_KNOWN = {c.lower(): c for c in (*FEC_COLUMNS, *CASH_BASIS_COLUMNS, "Montant", "Sens")}
_NAME_RE = re.compile(r"(\d{9})FEC(\d{8})", re.IGNORECASE)


# --------------------------------------------------------------------------- reading
SEPARATORS = {"\t": "tab", "|": "pipe", ";": "semicolon", ",": "comma"}
"""Separators a FEC header is looked for with; A47 A-1 allows only the tab and the pipe."""
_COMPLIANT_SEPARATORS = ("\t", "|")
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


def _read_bytes(path: Path, fname: str, encoding: str | None) -> tuple[bytes, str, str, str]:
    """(bytes with CR CR LF made one line end, encoding reported, codec, line ending)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("unreadable", f"cannot read the file: {err.strerror or err}", file=fname) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8-sig"
    elif encoding is not None:
        enc = encoding
    else:
        enc = _decode(data)[1]
    # line ends: CR CR LF is one line end (bytes: the same in every encoding accepted)
    if b"\r" in data:
        head = data[:100_000]
        ending = "CRCRLF" if b"\r\r\n" in head else ("CRLF" if b"\r\n" in head else "CR")
        if ending == "CRCRLF":
            data = data.replace(b"\r\r\n", b"\n")
        # the C parser takes CRLF and lone CR as line ends itself
    else:
        ending = "LF"
    codec = "utf-8" if enc == "utf-8-sig" else enc
    return data, enc, codec, ending


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


def _quoted(data: bytes, sep: str) -> bool:
    """True when quotes enclose fields: always after a semicolon or comma; after a tab or pipe if the header is."""
    return sep not in _COMPLIANT_SEPARATORS or data[:1] == b'"'


def _fields(lines: list[str], sep: str, quoted: bool) -> list[list[str]]:
    """``lines`` split into fields, quotes respected when ``quoted``."""
    if quoted:
        return list(csv.reader(lines, delimiter=sep))
    return [line.split(sep) for line in lines]


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


def _split_lines(
    data: bytes,
    split: tuple[str, bool],
    names: list[str],
    amount_names: list[str],
    decimal: str,
    codec: str,
    fname: str,
    report: LoadReport,
) -> tuple[pd.DataFrame, bool]:
    """(lines read by the C parser, True when it read the amounts as floats); ``split`` = (separator, quoted)."""
    sep, quoted = split
    kw = dict(
        sep=sep,
        header=None,
        skiprows=1,
        names=names,
        index_col=False,
        keep_default_na=False,
        na_values=[""],
        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
        skip_blank_lines=False,
        engine="c",
        encoding=codec,
    )
    fast = True
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            try:  # fast path: the C parser reads the amounts as floats
                dtypes = {n: ("float64" if n in amount_names else str) for n in names}
                df = pd.read_csv(io.BytesIO(data), dtype=dtypes, decimal=decimal, **kw)
            except pd.errors.ParserError:
                raise
            except ValueError:  # an amount the C parser cannot read: parse them ourselves
                fast = False
                df = pd.read_csv(io.BytesIO(data), dtype=str, **kw)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            # some line has more fields than the header: fatal unless they are empty
            n_trailing = _extra_fields(data, split, len(names), codec, fname)
            message = f"{n_trailing} lines end with an extra empty field (ignored)"
            report.problems.append(Problem("info", "trailing_separator", message, file=fname))
    except pd.errors.ParserError as err:
        line = _line_of(str(err))
        message = f"cannot split the line into {len(names)} fields ({err})".split("\n")[0]
        raise fail("bad_line", message, file=fname, row=line) from None
    except UnicodeDecodeError as err:
        raise fail("bad_encoding", f"not valid {codec}: {err.reason} at byte {err.start}", file=fname) from None
    return df, fast


def _number_lines(df: pd.DataFrame, montant_sens: bool) -> tuple[pd.DataFrame, int]:
    """``line_no`` (header = 1) on every line, then the blank lines left out: (lines, blank lines)."""
    df.index = pd.RangeIndex(2, 2 + len(df))
    df.insert(0, "line_no", df.index.to_numpy(dtype="int64"))
    blank = df[["JournalCode", "EcritureNum", "CompteNum"]].isna().all(axis=1)
    if montant_sens:
        blank &= df["Montant"].isna()
    else:
        blank &= df["Debit"].isna() & df["Credit"].isna()
    n_blank = int(blank.sum())
    if n_blank:
        df = df.loc[~blank]
    return df.reset_index(drop=True), n_blank


def _amount_columns(
    df: pd.DataFrame, amount_names: list[str], fast: bool, decimal: str, fname: str, report: LoadReport
) -> str:
    """Amounts as floats (in place); an infinite amount (``1e400``) is fatal.  Returns the decimal mark."""
    for c in amount_names:
        if not fast:
            wide = unicode_digits(df[c])
            values, dec = _parse_fec_amounts(df[c], df["line_no"], c, fname)
            df[c] = values
            if c != "Montantdevise" and dec:
                decimal = dec
            if wide.any():
                what = f"{c} written in non-ASCII digits (Arabic-Indic, full-width): read as the digits they are"
                report.problems.append(_agg("warning", "unicode_digits", what, df, wide, fname, c))
        infinite = df[c].notna() & ~np.isfinite(df[c].astype("float64"))
        if infinite.any():
            i = int(np.flatnonzero(infinite.to_numpy())[0])
            raise fail(
                "bad_amount",
                f"{c} is not a usable number: beyond the range of numbers (infinite)",
                file=fname,
                row=int(df["line_no"].iloc[i]),
                column=c,
            )
    return decimal


def _debit_credit_from_sens(df: pd.DataFrame, fname: str, report: LoadReport) -> None:
    """``Debit`` and ``Credit`` (in place) from ``Montant`` and ``Sens`` (D/C, +1/-1)."""
    sens = _strip(df["Sens"]).str.upper()
    debit_side = sens.isin(["D", "+1", "1", "+"])
    credit_side = sens.isin(["C", "-1", "-"])
    bad = ~(debit_side | credit_side)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise fail(
            "bad_value",
            f"Sens must be D or C (or +1/-1), found {excerpt(df['Sens'].iloc[i])}",
            file=fname,
            row=int(df["line_no"].iloc[i]),
            column="Sens",
        )
    m = df["Montant"].fillna(0.0)
    pos = df.columns.get_loc("Montant")
    df.insert(pos, "Debit", m.where(debit_side, 0.0))
    df.insert(pos + 1, "Credit", m.where(credit_side, 0.0))
    report.problems.append(Problem("info", "montant_sens", "amounts given as Montant + Sens", file=fname))


def _date_columns(df: pd.DataFrame, fname: str, report: LoadReport) -> dict[str, list[int]]:
    """Dates parsed in place; returns the line numbers of the bad ones per column."""
    bad_dates: dict[str, list[int]] = {}
    for c in DATE_COLUMNS:
        if c not in df.columns:
            continue
        parsed, bad, other = _parse_fec_dates(df[c])
        if bad.any():
            value = df.loc[bad, c].iloc[0]
            example = str(value).strip()
            bad_dates[c] = df.loc[bad, "line_no"].astype(int).tolist()
            level = "error" if c == "EcritureDate" else "warning"
            what = f"{c} is not a valid date (e.g. {excerpt(example)}{date_hint(example)})"
            report.problems.append(_agg(level, "bad_date", what, df, bad, fname, c))
        if other.any():
            what = f"{c} is not in the FEC form YYYYMMDD (read anyway)"
            report.problems.append(_agg("warning", "date_format", what, df, other, fname, c))
        df[c] = parsed
    return bad_dates


def _add_missing_columns(df: pd.DataFrame, fname: str, report: LoadReport) -> None:
    """Missing non-core columns added empty (in place), with a warning each."""
    for c in FEC_COLUMNS:
        if c in df.columns:
            continue
        report.problems.append(
            Problem("warning", "missing_column", f"column {c} is missing: taken as empty", file=fname, row=1, column=c)
        )
        if c in ("Debit", "Credit", "Montantdevise"):
            df[c] = np.nan
        elif c in DATE_COLUMNS:
            df[c] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        else:
            df[c] = pd.Series(pd.NA, index=df.index, dtype=df["CompteNum"].dtype)


def _fec_facts(df: pd.DataFrame, fy_end: pd.Timestamp | None) -> dict[str, object]:
    """Entries (and their grouping), journals, date range, cash-basis columns, closing date from the name."""
    if len(df):
        ekey, grouping, _ = entry_key(df)
        entries = int(ekey.nunique())
    else:
        entries, grouping = 0, "JournalCode+EcritureNum"
    dates = df["EcritureDate"]
    return {
        "entries": entries,
        "entry_grouping": grouping,
        "journals": int(df["JournalCode"].nunique()),
        "first_date": None if dates.isna().all() else dates.min().date().isoformat(),
        "last_date": None if dates.isna().all() else dates.max().date().isoformat(),
        "cash_basis_columns": all(c in df.columns for c in CASH_BASIS_COLUMNS),
        "fiscal_year_end_from_name": None if fy_end is None else fy_end.date().isoformat(),
    }


def _totals(df: pd.DataFrame, report: LoadReport) -> float | None:
    """Rows and debit/credit totals into ``report``; the difference when the file is unbalanced, else None."""
    debit, credit = float(df["Debit"].sum()), float(df["Credit"].sum())
    report.rows_read = report.rows_kept = len(df)
    report.debit_read = report.debit_kept = round(debit, 2)
    report.credit_read = report.credit_kept = round(-credit, 2)
    report.total_read = report.total_kept = round(debit - credit, 2)
    if abs(debit - credit) <= _TOL:
        return None
    report.problems.append(
        Problem(
            "error",
            "unbalanced_file",
            f"total debits {debit:,.2f} != total credits {credit:,.2f} (difference {debit - credit:,.2f})",
            file=report.file,
        )
    )
    return round(debit - credit, 2)


def _decode(data: bytes, partial: bool = False) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8", errors="replace" if partial else "strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if partial and err.start >= len(data) - 3:  # a character cut by the 4 kB read
            return data[: err.start].decode("utf-8"), "utf-8"
    has_c1 = any(0x80 <= b <= 0x9F for b in set(data))
    if b"\xa4" in data and not has_c1:
        return data.decode("iso-8859-15"), "iso-8859-15"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("iso-8859-15"), "iso-8859-15"


def _line_of(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def _parse_fec_amounts(values: pd.Series, line_no: pd.Series, column: str, fname: str) -> tuple[pd.Series, str | None]:
    """Fast path for FEC amounts: no thousands separator, comma or dot decimal."""
    s = values.astype(object)
    filled = s.notna()
    if not filled.any():
        return pd.Series(np.nan, index=values.index, dtype="float64"), None
    txt = pd.Series(s[filled].to_numpy(dtype=object), index=s.index[filled]).astype(str)
    has_comma = bool(txt.str.contains(",", regex=False).any())
    if has_comma:
        txt = txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    num = pd.to_numeric(txt, errors="coerce")
    bad = num.isna()
    if bad.any():
        # spaces as thousands separators, signs after the number, currency signs...
        again, still_bad = parse_amounts(values[filled][bad], decimal="," if has_comma else ".")
        num[bad] = again
        if still_bad.any():
            idx = still_bad[still_bad].index[0]
            raise fail(
                "bad_amount",
                f"{column} is not a number: {excerpt(values[idx])}{amount_hint(values[idx])}",
                file=fname,
                row=int(line_no[idx]),
                column=column,
            )
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    out[filled] = num.astype("float64").to_numpy()
    return out, ("," if has_comma else ".")


def _strip(values: pd.Series) -> pd.Series:
    """Strip spaces, whitespace-only -> missing; works on the distinct values only."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return values
    u = pd.Series(uniques, dtype=object).astype(str)
    su = u.str.strip()
    if (su == u).all():
        return values
    su = su.mask(su == "")
    arr = su.to_numpy(dtype=object)[codes]
    arr[codes < 0] = None
    return pd.Series(arr, index=values.index).astype(values.dtype)


def _extra_fields(data: bytes, split: tuple[str, bool], n: int, codec: str, fname: str) -> int:
    """Lines with more than ``n`` fields: raise on the first with a non-empty extra
    field; return how many have only empty extra fields."""
    sep, quoted = split
    count = 0
    lines = data.decode(codec, errors="replace").splitlines()
    for i, fields in enumerate(_fields(lines, sep, quoted), start=1):
        if len(fields) > n:
            if any(f.strip() for f in fields[n:]):
                raise fail("bad_line", f"{len(fields)} fields where the header has {n}", file=fname, row=i)
            count += 1
    return count


def _sniff_decimal(data: bytes, sep: str, positions: list[int], codec: str, quoted: bool = False) -> str:
    """Decimal mark of the amount columns, from the first 2,000 lines."""
    sample = data[:400_000].decode(codec, errors="replace").splitlines()[1:2000]
    for fields in _fields(sample, sep, quoted):
        for i in positions:
            if i < len(fields) and "," in fields[i]:
                return ","
    return "."


def _parse_fec_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(dates, bad, other_format): YYYYMMDD fast, other forms through parse_dates.

    Parses the distinct values only (a year has about 365 of them).
    """
    codes, uniques = pd.factorize(values)
    u = pd.Series(uniques, dtype=object).astype(str).str.strip()
    parsed = pd.to_datetime(u, format="%Y%m%d", errors="coerce")
    out_u = parsed.where(in_date_range(parsed)).astype("datetime64[ns]")  # 23230206: bad, not a crash
    todo = out_u.isna() & (u != "")
    bad_u = pd.Series(False, index=u.index)
    other_u = pd.Series(False, index=u.index)
    if todo.any():
        again, still = parse_dates(u[todo])
        out_u[todo] = again
        bad_u[todo] = still.to_numpy()
        other_u[todo] = (~still).to_numpy()
    valid = codes >= 0
    take = np.where(valid, codes, 0)
    dates = out_u.to_numpy()[take] if len(u) else np.full(len(codes), np.datetime64("NaT"), "datetime64[ns]")
    dates = np.where(valid, dates, np.datetime64("NaT"))
    bad = bad_u.to_numpy()[take] & valid if len(u) else np.zeros(len(codes), bool)
    other = other_u.to_numpy()[take] & valid if len(u) else np.zeros(len(codes), bool)
    idx = values.index
    return (
        pd.Series(dates, index=idx).astype("datetime64[ns]"),
        pd.Series(bad, index=idx),
        pd.Series(other, index=idx),
    )


def _with_file(fname: str | None):
    def f(p: Problem) -> Problem:
        return Problem(p.level, p.code, p.message, file=p.file or fname, sheet=p.sheet, row=p.row, column=p.column)

    return f


def _d(x: object) -> str:
    return "no date" if x is None or pd.isna(x) else pd.Timestamp(x).date().isoformat()


def _empty(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_float_dtype(s):
        return s.isna()
    t = s.astype(object)
    return (t.isna() | (t.astype(str).str.strip() == "")).astype(bool)


def _capped(detail: list[Problem], cap: int, what: str, fname: str | None) -> list[Problem]:
    if len(detail) <= cap:
        return detail
    first = detail[0]
    return [
        *detail[:cap],
        Problem(
            first.level, first.code, f"{len(detail) - cap} more {what} not listed ({len(detail)} in all)", file=fname
        ),
    ]


def fec_source(lines: pd.DataFrame) -> meta.FecSource:
    """The :class:`cashmission.meta.FecSource` of lines read by :func:`read_fec`.

    Lines built otherwise (by hand, or a frame that lost its record) give an empty one:
    no file, no closing date from a name, nothing the reader already reported.

    >>> fec_source(pd.DataFrame())
    FecSource(file=None, fiscal_year_end_from_name=None, bad_dates={}, unbalanced_reported=None)
    """
    return meta.of(lines, meta.FecSource) or meta.FecSource()


def _year_start(lines: pd.DataFrame) -> pd.Timestamp | None:
    """First day of the fiscal year of ``lines`` (``None`` without any valid date)."""
    if not lines["EcritureDate"].notna().any():
        return None
    return _fiscal_year(lines, None, None, fec_source(lines))[0]


def _month_end(ts: pd.Timestamp) -> pd.Timestamp:
    return (pd.Timestamp(ts) + pd.offsets.MonthEnd(0)).normalize()


def _fiscal_year(
    lines: pd.DataFrame, fiscal_year_end: object, file_name: object, source: meta.FecSource
) -> tuple[pd.Timestamp, pd.Timestamp, str, list[Problem]]:
    """(start, end, source of the end, problems) of the fiscal year of ``lines``."""
    problems: list[Problem] = []
    opening = is_opening(lines)
    d = lines.loc[~opening, "EcritureDate"].dropna()
    if d.empty:
        d = lines["EcritureDate"].dropna()
    last = d.max() if len(d) else pd.Timestamp("1970-01-01")
    end: pd.Timestamp | None
    if fiscal_year_end is not None:
        end, how = pd.Timestamp(fiscal_year_end).normalize(), "the fiscal_year_end parameter"
    else:
        end = fiscal_year_end_from_name(file_name) if file_name is not None else source.fiscal_year_end_from_name
        how = "the file name"
        if end is not None:
            start12 = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
            inside = ((d >= start12) & (d <= end)).any()
            if not inside or last > end:
                problems.append(
                    Problem(
                        "warning",
                        "fiscal_year_mismatch",
                        f"the file name gives the closing date {end.date()} but the entries run from "
                        f"{_d(d.min())} to {_d(last)}: the name does not fit the data (anonymised or "
                        "renamed file?); the fiscal year is taken from the data",
                    )
                )
                end = None
        if end is None:
            end, how = _month_end(last), "the data (month end of the last entry)"
    start = _year_first_day(lines, d, opening, end)
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), how, problems


def _year_first_day(lines: pd.DataFrame, d: pd.Series, opening: pd.Series, end: pd.Timestamp) -> pd.Timestamp:
    """First day of the fiscal year ending at ``end``: 1 to 24 months (*exercice court ou long*).

    The date of the opening entries (*à-nouveaux*, their latest date) when it comes no
    later than the first other entry; else the first day of the month of the first entry
    (a fiscal year starts on a month's first day unless its opening entries say
    otherwise).  Entries more than 24 months before ``end`` do not count.
    """
    earliest = end - pd.DateOffset(months=24) + pd.Timedelta(days=1)
    inside = d[(d >= earliest) & (d <= end)]
    first = inside.min() if len(inside) else pd.NaT
    month_start = end.replace(day=1) if pd.isna(first) else pd.Timestamp(first).replace(day=1)
    o = lines.loc[opening, "EcritureDate"].dropna()
    o = o[(o >= earliest) & (o <= end)]
    if len(o) and (pd.isna(first) or o.max() <= first):
        return max(pd.Timestamp(o.max()), earliest)
    return max(month_start, earliest)


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
