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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from cashmission.checks import LoadReport, Problem, fail
from cashmission.parsing import parse_dates

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
_OPENING_CODES = {"AN", "ANO", "RAN", "AND", "ANX", "OUV", "NOUV"}
_TOL = 0.005  # amounts within half a cent are equal

_B = TypeVar("_B", float, np.ndarray)  # a balance: one amount, or one per month end

CUSTOMER_ACCOUNTS = ("411", "413", "416", "418", "419")
SUPPLIER_ACCOUNTS = ("401", "403", "408")


# --------------------------------------------------------------------------- reading
def is_fec(path: str | Path) -> bool:
    """True when the file's first line looks like a FEC header.

    Reads only the first 4 kB: the header must be separated by tabs or pipes and name
    at least ``JournalCode``, ``EcritureNum`` and ``CompteNum`` (any case).
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    text = _decode(head, partial=True)[0].lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    for sep in ("\t", "|"):
        names = {n.strip().lower() for n in first.split(sep)}
        if {"journalcode", "ecriturenum", "comptenum"} <= names:
            return True
    return False


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
        stripped, empty cells missing.  ``report``: a :class:`~cashmission.checks.LoadReport`
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

    Fatal problems raise :class:`~cashmission.checks.InputError` with one line naming
    the file, line and column: no FEC header, a core column missing (JournalCode,
    EcritureNum, EcritureDate, CompteNum, the amounts), a line with more fields than
    the header, an amount that is not a number.  Header names are matched ignoring
    case; a missing non-core column is added empty with a warning.
    """
    path = Path(path)
    fname = str(path)
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
    header_line = re.split(rb"[\r\n]", data[:65536], maxsplit=1)[0].decode(codec, errors="replace")
    sep = _separator(header_line, fname)
    raw_names = [h.strip() for h in header_line.split(sep)]
    while raw_names and raw_names[-1] == "":  # a trailing separator on the header
        raw_names.pop()
    names = [_KNOWN.get(h.lower(), h) for h in raw_names]
    report = LoadReport(file=fname, kind="fec", encoding=enc)
    report.columns = {n: r for n, r in zip(names, raw_names, strict=True) if n in _KNOWN.values()}
    report.ignored_columns = []
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
    amount_names = ["Montant"] if montant_sens else ["Debit", "Credit"]
    if "Montantdevise" in names:
        amount_names.append("Montantdevise")
    decimal = _sniff_decimal(data, sep, [names.index(c) for c in amount_names], codec)
    kw = dict(
        sep=sep,
        header=None,
        skiprows=1,
        names=names,
        index_col=False,
        keep_default_na=False,
        na_values=[""],
        quoting=csv.QUOTE_NONE,
        skip_blank_lines=False,
        engine="c",
        encoding=codec,
    )
    fast = True
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            try:  # fast path: the C parser reads the amounts as floats
                df = pd.read_csv(
                    io.BytesIO(data),
                    dtype={n: ("float64" if n in amount_names else str) for n in names},
                    decimal=decimal,
                    **kw,
                )
            except pd.errors.ParserError:
                raise
            except ValueError:  # an amount the C parser cannot read: parse them ourselves
                fast = False
                df = pd.read_csv(io.BytesIO(data), dtype=str, **kw)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            # some line has more fields than the header: fatal unless they are empty
            n_trailing = _extra_fields(data, sep, len(names), codec, fname)
            report.problems.append(
                Problem(
                    "info",
                    "trailing_separator",
                    f"{n_trailing} lines end with an extra empty field (ignored)",
                    file=fname,
                )
            )
    except pd.errors.ParserError as err:
        line = _line_of(str(err))
        raise fail(
            "bad_line", f"cannot split the line into {len(names)} fields ({err})".split("\n")[0], file=fname, row=line
        ) from None
    except UnicodeDecodeError as err:
        raise fail("bad_encoding", f"not valid {codec}: {err.reason} at byte {err.start}", file=fname) from None
    del data
    df.index = pd.RangeIndex(2, 2 + len(df))
    df.insert(0, "line_no", df.index.to_numpy(dtype="int64"))
    # blank lines (e.g. a trailing empty line): not rows
    blank = df[["JournalCode", "EcritureNum", "CompteNum"]].isna().all(axis=1)
    if montant_sens:
        blank &= df["Montant"].isna()
    else:
        blank &= df["Debit"].isna() & df["Credit"].isna()
    n_blank = int(blank.sum())
    if n_blank:
        df = df.loc[~blank]
    df = df.reset_index(drop=True)
    rows = len(df)
    # identifiers: strip, whitespace only -> missing
    for c in _KEY_TEXT:
        if c in df.columns:
            df[c] = _strip(df[c])
    # amounts
    if not fast:
        for c in amount_names:
            values, dec = _parse_fec_amounts(df[c], df["line_no"], c, fname)
            df[c] = values
            if c != "Montantdevise" and dec:
                decimal = dec
    if montant_sens:
        sens = _strip(df["Sens"]).str.upper()
        debit_side = sens.isin(["D", "+1", "1", "+"])
        credit_side = sens.isin(["C", "-1", "-"])
        bad = ~(debit_side | credit_side)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise fail(
                "bad_value",
                f"Sens must be D or C (or +1/-1), found {df['Sens'].iloc[i]!r}",
                file=fname,
                row=int(df["line_no"].iloc[i]),
                column="Sens",
            )
        m = df["Montant"].fillna(0.0)
        pos = df.columns.get_loc("Montant")
        df.insert(pos, "Debit", m.where(debit_side, 0.0))
        df.insert(pos + 1, "Credit", m.where(credit_side, 0.0))
        report.problems.append(Problem("info", "montant_sens", "amounts given as Montant + Sens", file=fname))
    for c in ("Debit", "Credit"):
        miss = df[c].isna()
        if miss.any():
            report.problems.append(_agg("warning", "missing_amount", f"{c} is empty", df, miss, fname, c))
            df[c] = df[c].fillna(0.0)
    # dates
    bad_dates: dict[str, list[int]] = {}
    for c in DATE_COLUMNS:
        if c not in df.columns:
            continue
        parsed, bad, other = _parse_fec_dates(df[c])
        if bad.any():
            example = str(df.loc[bad, c].iloc[0]).strip()
            bad_dates[c] = df.loc[bad, "line_no"].astype(int).tolist()
            report.problems.append(
                _agg(
                    "error" if c == "EcritureDate" else "warning",
                    "bad_date",
                    f"{c} is not a valid date (e.g. {example!r})",
                    df,
                    bad,
                    fname,
                    c,
                )
            )
        if other.any():
            report.problems.append(
                _agg(
                    "warning", "date_format", f"{c} is not in the FEC form YYYYMMDD (read anyway)", df, other, fname, c
                )
            )
        df[c] = parsed
    # missing non-core columns: add them empty
    for c in FEC_COLUMNS:
        if c not in df.columns:
            report.problems.append(
                Problem(
                    "warning", "missing_column", f"column {c} is missing: taken as empty", file=fname, row=1, column=c
                )
            )
            df[c] = (
                np.nan
                if c in ("Debit", "Credit", "Montantdevise")
                else (
                    pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
                    if c in DATE_COLUMNS
                    else pd.Series(pd.NA, index=df.index, dtype=df["CompteNum"].dtype)
                )
            )
    order = ["line_no", *FEC_COLUMNS]
    df = df[order + [c for c in df.columns if c not in order]]
    # report
    debit, credit = float(df["Debit"].sum()), float(df["Credit"].sum())
    report.rows_read = report.rows_kept = rows
    report.debit_read = report.debit_kept = round(debit, 2)
    report.credit_read = report.credit_kept = round(-credit, 2)
    report.total_read = report.total_kept = round(debit - credit, 2)
    if rows:
        ekey, grouping, _ = entry_key(df)
        entries = int(ekey.nunique())
    else:
        entries, grouping = 0, "JournalCode+EcritureNum"
    dates = df["EcritureDate"]
    fy_end = fiscal_year_end_from_name(path)
    report.extra = {
        "entries": entries,
        "entry_grouping": grouping,
        "journals": int(df["JournalCode"].nunique()),
        "first_date": None if dates.isna().all() else dates.min().date().isoformat(),
        "last_date": None if dates.isna().all() else dates.max().date().isoformat(),
        "separator": "tab" if sep == "\t" else "pipe",
        "line_ending": ending,
        "decimal": decimal,
        "blank_lines": n_blank,
        "variant": "Montant+Sens" if montant_sens else "Debit/Credit",
        "cash_basis_columns": all(c in df.columns for c in CASH_BASIS_COLUMNS),
        "fiscal_year_end_from_name": None if fy_end is None else fy_end.date().isoformat(),
    }
    unbalanced = abs(debit - credit) > _TOL
    if unbalanced:
        report.problems.append(
            Problem(
                "error",
                "unbalanced_file",
                f"total debits {debit:,.2f} != total credits {credit:,.2f} (difference {debit - credit:,.2f})",
                file=fname,
            )
        )
    df.attrs["fec"] = {
        "file": fname,
        "fiscal_year_end_from_name": fy_end,
        # validate_fec does not repeat what this report already says about the same lines
        "bad_dates": bad_dates,
        "unbalanced_reported": round(debit - credit, 2) if unbalanced else None,
    }
    return df, report


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


def _separator(header: str, fname: str) -> str:
    counts = {sep: header.count(sep) for sep in ("\t", "|")}
    sep = max(counts, key=lambda k: counts[k])
    if counts[sep] < 10:
        raise fail(
            "not_fec", "not a FEC: the header is not split by tabs or pipes into the FEC columns", file=fname, row=1
        )
    return sep


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
        from cashmission.parsing import parse_amounts

        again, still_bad = parse_amounts(values[filled][bad], decimal="," if has_comma else ".")
        num[bad] = again
        if still_bad.any():
            idx = still_bad[still_bad].index[0]
            raise fail(
                "bad_amount",
                f"{column} is not a number: {values[idx]!r}",
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


def _extra_fields(data: bytes, sep: str, n: int, codec: str, fname: str) -> int:
    """Lines with more than ``n`` fields: raise on the first with a non-empty extra
    field; return how many have only empty extra fields."""
    count = 0
    for i, line in enumerate(data.decode(codec, errors="replace").splitlines(), start=1):
        fields = line.split(sep)
        if len(fields) > n:
            if any(f.strip() for f in fields[n:]):
                raise fail("bad_line", f"{len(fields)} fields where the header has {n}", file=fname, row=i)
            count += 1
    return count


def _sniff_decimal(data: bytes, sep: str, positions: list[int], codec: str) -> str:
    """Decimal mark of the amount columns, from the first 2,000 lines."""
    sample = data[:400_000].decode(codec, errors="replace").splitlines()[1:2000]
    for line in sample:
        fields = line.split(sep)
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
    out_u = pd.to_datetime(u, format="%Y%m%d", errors="coerce").astype("datetime64[ns]")
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


def _agg(
    level: str,
    code: str,
    what: str,
    df: pd.DataFrame,
    mask: pd.Series,
    fname: str | None,
    column: str | None = None,
    unit: str = "line",
) -> Problem:
    """One problem for all the lines in ``mask``: count, first line numbers."""
    rows = df.loc[mask, "line_no"]
    n = len(rows)
    first = ", ".join(str(int(x)) for x in rows.iloc[:5])
    more = f", ... ({n - 5} more)" if n > 5 else ""
    return Problem(
        level,
        code,
        f"{n} {unit}{'s' if n != 1 else ''}: {what} (lines {first}{more})",  # type: ignore[arg-type]
        file=fname,
        row=int(rows.iloc[0]) if n else None,
        column=column,
    )


# --------------------------------------------------------------------------- structure
def _by_value(values: pd.Series, func) -> np.ndarray:
    """``func`` (str Series -> Series) applied to the distinct values only, then spread
    back; missing values are seen as ``""``.  Fast on 1M lines with few distinct values."""
    codes, uniques = pd.factorize(values)
    u = pd.Series(np.append(np.asarray(uniques, dtype=object), ""), dtype=object).fillna("").astype(str)
    res = np.asarray(func(u))
    return res[np.where(codes >= 0, codes, len(uniques))]


def _account_starts(lines: pd.DataFrame, prefixes: Iterable[str]) -> np.ndarray:
    """Bool array: CompteNum starts with one of ``prefixes``."""
    pre = tuple(prefixes)
    return _by_value(lines["CompteNum"], lambda u: u.str.startswith(pre)).astype(bool)


def is_opening(lines: pd.DataFrame) -> pd.Series:
    """Lines of opening entries (*à-nouveaux*).

    A line is an opening line when its journal code is one of AN, ANO, RAN, AND, ANX,
    OUV, NOUV (any case) or its journal label contains "nouveau" (*A nouveaux*,
    *Report à nouveau*).
    """
    code = _by_value(lines["JournalCode"], lambda u: u.str.upper().isin(list(_OPENING_CODES)))
    lib = _by_value(lines["JournalLib"], lambda u: u.str.lower().str.contains("nouveau", regex=False))
    return pd.Series(code.astype(bool) | lib.astype(bool), index=lines.index)


def _closing_mask(lines: pd.DataFrame) -> pd.Series:
    lib = _by_value(lines["JournalLib"], lambda u: u.str.lower().str.contains(r"cl[oô]ture", regex=True))
    return pd.Series(lib.astype(bool), index=lines.index)


def entry_key(lines: pd.DataFrame) -> tuple[pd.Series, str, list[Problem]]:
    """The entry (*écriture*) each line belongs to, and which grouping was used.

    Returns ``(key, grouping, problems)``: ``key`` is an integer entry id per line;
    ``grouping`` is ``"JournalCode+EcritureNum"`` or, when EcritureNum is unusable,
    ``"JournalCode+EcritureDate+PieceRef"``.

    Notes
    -----
    In the fallback grouping, the lines of an opening journal (:func:`is_opening`)
    form one entry per journal: detailed opening entries (*à-nouveaux détaillés*)
    keep each item's own date and reference but balance only as a whole.
    EcritureNum is unusable when it is empty on some lines, or when more than half of
    the lines sit in a (JournalCode, EcritureNum) group that spans several
    EcritureDate values (an entry has one date; files where EcritureNum is always
    "0" fall there).
    """
    problems: list[Problem] = []
    num_key = lines.groupby(["JournalCode", "EcritureNum"], sort=False, dropna=False).ngroup()
    empty_num = lines["EcritureNum"].isna()
    ndates = lines.groupby(num_key.to_numpy())["EcritureDate"].transform("nunique")
    multi = ndates.to_numpy() > 1
    if len(lines) and (empty_num.any() or multi.mean() > 0.5):
        top = lines["EcritureNum"].value_counts(dropna=False)
        why = (
            f"EcritureNum is empty on {int(empty_num.sum())} lines"
            if empty_num.any()
            else f"{int(multi.sum())} of {len(lines)} lines are in (JournalCode, EcritureNum) groups spanning "
            f"several dates (most common EcritureNum {top.index[0]!r} on {int(top.iloc[0])} lines)"
        )
        problems.append(
            Problem(
                "warning",
                "ecriture_num_unusable",
                f"EcritureNum cannot identify entries: {why}; entries are grouped by "
                "JournalCode + EcritureDate + PieceRef instead",
            )
        )
        # opening entries (detailed à-nouveaux keep the items' original dates and
        # references) form one entry per opening journal
        opening = is_opening(lines)
        date = lines["EcritureDate"].where(~opening)
        ref = lines["PieceRef"].astype(object).where(~opening.to_numpy(), None)
        key = (
            pd.DataFrame({"j": lines["JournalCode"].astype(object), "d": date, "r": ref})
            .groupby(["j", "d", "r"], sort=False, dropna=False)
            .ngroup()
        )
        return key.astype("int64"), "JournalCode+EcritureDate+PieceRef", problems
    return num_key.astype("int64"), "JournalCode+EcritureNum", problems


def journal_kinds(lines: pd.DataFrame) -> dict[str, str]:
    """Kind of each journal: ``opening``, ``sales``, ``purchases``, ``bank`` or ``other``.

    Notes
    -----
    Opening journals by :func:`is_opening`.  Then by name: a code or label starting
    with VE/VT or containing *vente(s)*/sales is a sales journal; AC/HA or *achat(s)*/
    purchase(s) a purchases journal; OD, *diverses*, *régularisation*, *inventaire*,
    *paye*/*salaires* an ``other`` journal.  Otherwise from the accounts its lines touch
    among classes 2, 5, 6 and 7: at least half on class 7 (*produits*), with customer
    lines (41), makes a sales journal; on classes 6 (*charges*) and 2 (fixed assets),
    with supplier lines (40), a purchases journal; on class 5 (*banque, caisse*) a bank
    journal; else ``other``.
    """
    if lines.empty:
        return {}
    cats = ("2", "5", "6", "7", "40", "41")
    # per line: index in cats of the account class (0-3), of the 40/41 prefix (4-5), or -1
    cls = _by_value(lines["CompteNum"], lambda u: u.str[:1].map({c: i for i, c in enumerate(cats[:4])}).fillna(-1))
    third = _by_value(lines["CompteNum"], lambda u: u.str[:2].map({"40": 4, "41": 5}).fillna(-1))
    jcodes, journals = pd.factorize(lines["JournalCode"].astype(object).fillna(""))
    nj = len(journals)
    counts = np.zeros((nj, len(cats)))
    for col in (cls.astype(int), third.astype(int)):
        ok = col >= 0
        np.add.at(counts, (jcodes[ok], col[ok]), 1)
    n_lines = np.bincount(jcodes, minlength=nj)
    n_open = np.bincount(jcodes, weights=is_opening(lines).to_numpy().astype(float), minlength=nj)
    first = pd.Series(np.arange(len(jcodes))).groupby(jcodes).first().to_numpy()
    libs = lines["JournalLib"].astype(object).fillna("").to_numpy(dtype=object)[first]
    out: dict[str, str] = {}
    for i in np.argsort(np.asarray(journals, dtype=str)):
        j = journals[i]
        name = f"{j} {libs[i]}".lower()
        c2, c5, c6, c7, c40, c41 = counts[i]
        core = c2 + c5 + c6 + c7 or 1.0
        if n_open[i] > 0.5 * n_lines[i]:
            out[j] = "opening"
        elif re.search(r"\bventes?\b|\bsales\b|^v[et]\w*\b", name):
            out[j] = "sales"
        elif re.search(r"\bachats?\b|\bpurchases?\b|^(ac|ha)\w*\b", name):
            out[j] = "purchases"
        elif re.search(r"^od|\bo\.d\.|divers|r[ée]gularisation|inventaire|\bpaye?\b|salaire", name):
            out[j] = "other"
        elif c7 / core >= 0.5 and c41 > 0:
            out[j] = "sales"
        elif (c6 + c2) / core >= 0.5 and c40 > 0:
            out[j] = "purchases"
        elif c5 / core >= 0.5:
            out[j] = "bank"
        else:
            out[j] = "other"
    return out


# --------------------------------------------------------------------------- validation
def validate_fec(
    lines: pd.DataFrame,
    fiscal_year_end: str | pd.Timestamp | None = None,
    *,
    file_name: str | Path | None = None,
    max_per_code: int = 200,
) -> list[Problem]:
    """Compliance findings on a FEC, in the spirit of the DGFiP "Test Compta Demat".

    Parameters
    ----------
    lines : the table from :func:`read_fec`.
    fiscal_year_end : closing date of the fiscal year (*date de clôture*); by default
        from the file name ``<SIREN>FEC<YYYYMMDD>`` (``file_name``, or the name
        :func:`read_fec` recorded), else from the data.
    max_per_code : at most this many per-entry / per-group findings of one code; the
        rest is summed up in one more finding of the same code.

    Returns
    -------
    list of Problem, never raises on bad data.  Codes:

    - ``fiscal_year`` (info): the fiscal year used and where it came from;
      ``fiscal_year_mismatch`` (warning): the name's closing date does not fit the
      data (no entry in the twelve months before it, or entries after it), the year
      is then taken from the data.
    - ``entry_grouping`` (info): how entries were identified;
      ``ecriture_num_unusable`` (warning): EcritureNum cannot identify entries,
      fallback to JournalCode + EcritureDate + PieceRef (see :func:`entry_key`).
    - ``no_valid_dates`` (error): no line has a valid EcritureDate; the fiscal year and
      the date checks are then skipped (no guessed year).
    - ``trailing_months_empty`` (warning): the last months of the fiscal year have no
      entry (named in the message); :func:`fec_monthly_figures` stops before them.
    - ``unbalanced_entry``: one per entry whose debits differ from its credits; an
      error under the JournalCode + EcritureNum grouping, a warning under the guessed
      fallback grouping (an artefact of the guess is likely: one entry's lines with
      two PieceRefs make two "entries" that cancel each other).
    - ``unbalanced_file`` (error): total debits differ from total credits; left out
      when :func:`read_fec` already reported it for these very lines (its load report
      and these findings are usually shown together).
    - ``missing_value`` (error on JournalCode, EcritureNum, EcritureDate, CompteNum;
      warning on JournalLib, CompteLib, PieceRef, PieceDate, EcritureLib, ValidDate):
      one per column, with the count of empty lines.  A date that is filled but not
      valid (20241301) is not empty: :func:`read_fec` reports it as ``bad_date``.
    - ``aux_label_missing`` (warning): CompAuxNum without CompAuxLib, or the reverse.
    - ``date_outside_fiscal_year`` (warning): EcritureDate outside the fiscal year,
      opening entries (:func:`is_opening`) aside.
    - ``placeholder_date`` (warning): PieceDate before 1950 (e.g. 19000101).
    - ``valid_before_entry`` (warning): ValidDate earlier than EcritureDate.
    - ``negative_amount`` / ``debit_and_credit`` (warning): a negative Debit or
      Credit, a line with both a debit and a credit.
    - ``lettering`` (info): lettered lines and groups on third-party accounts (40*,
      41*), how many net to zero; ``partial_lettering`` (warning): one per
      (account, auxiliary account, EcritureLet) group that does not net to zero, with
      its class in brackets; ``partial_lettering_classes`` (info): the count per class
      (:data:`PARTIAL_CLASSES`), for customers (41*) and suppliers (40*).  A group is
      "counterpart before the file" when what it leaves open is a payment (a credit
      on a customer, a debit on a supplier), all its lines are dated in the first
      three months of the fiscal year and its account (and auxiliary account) has an
      opening line without lettering (an opening balance without detail: the
      invoices it pays are inside that balance); "counterpart after closing" when
      what it leaves open is an invoice and all its lines are in the last month of
      the fiscal year (the payment comes after the closing date); else "partial".
    - ``let_without_date`` / ``date_without_let`` (warning): EcritureLet without
      DateLet, or the reverse; ``currency_amount_without_code`` /
      ``currency_code_without_amount`` (warning): Montantdevise (not zero) without
      Idevise, or the reverse (the pairs the DGFiP "Test Compta Demat" checks).
    - ``date_let_before_entry`` (warning): DateLet earlier than EcritureDate.

    Each finding gives its first line number in ``row`` and the count and first line
    numbers in its message.
    """
    meta = lines.attrs.get("fec", {}) if hasattr(lines, "attrs") else {}
    fname = str(file_name) if file_name is not None else meta.get("file")
    out: list[Problem] = []
    if lines.empty:
        return [Problem("error", "empty", "the FEC has no lines", file=fname)]
    with_file = _with_file(fname)
    opening = is_opening(lines)
    has_dates = bool(lines["EcritureDate"].notna().any())

    # fiscal year
    if has_dates:
        start, end, how, fy_problems = _fiscal_year(lines, fiscal_year_end, file_name, meta)
        out += [with_file(p) for p in fy_problems]
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        out.append(
            Problem(
                "info",
                "fiscal_year",
                f"fiscal year {start.date()} to {end.date()} ({months} months, closing date from {how})",
                file=fname,
            )
        )
        last = _last_entry_date(lines, opening.to_numpy())
        if last is not None and start <= last and _month_end(last) < end:
            empty = pd.period_range(_month_end(last) + pd.Timedelta(days=1), end, freq="M")
            out.append(
                Problem(
                    "warning",
                    "trailing_months_empty",
                    f"no entry in the last {len(empty)} month(s) of the fiscal year ({', '.join(map(str, empty))}): "
                    f"the last entry is dated {last.date()} (an extract made before the closing, or books not "
                    f"complete?); monthly figures stop at {_month_end(last).date()}",
                    file=fname,
                )
            )
    else:
        start = end = None
        out.append(
            Problem(
                "error",
                "no_valid_dates",
                "no line has a valid EcritureDate: the fiscal year cannot be placed and the checks on dates "
                "are skipped",
                file=fname,
                column="EcritureDate",
            )
        )

    # entries
    key, grouping, problems = entry_key(lines)
    out += [with_file(p) for p in problems]
    out.append(Problem("info", "entry_grouping", f"{int(key.nunique())} entries, grouped by {grouping}", file=fname))
    net = (lines["Debit"] - lines["Credit"]).groupby(key.to_numpy()).sum()
    unbalanced = net[net.abs() > _TOL]
    if len(unbalanced):
        # under a guessed grouping an "unbalanced" entry may be an artefact of the guess
        guessed = grouping != "JournalCode+EcritureNum"
        level = "warning" if guessed else "error"
        note = f" (under the guessed grouping {grouping}: may be an artefact of the guess)" if guessed else ""
        first_line = lines["line_no"].groupby(key.to_numpy()).min()
        detail = []
        for k, v in unbalanced.items():
            row = int(first_line[k])
            i = lines.index[lines["line_no"] == row][0]
            detail.append(
                Problem(
                    level,
                    "unbalanced_entry",
                    f"entry {lines.at[i, 'JournalCode']} {lines.at[i, 'EcritureNum']} "
                    f"({_d(lines.at[i, 'EcritureDate'])}, piece {lines.at[i, 'PieceRef']}){note} "
                    f"debits - credits = {v:,.2f}",
                    file=fname,
                    row=row,
                )
            )
        out += _capped(detail, max_per_code, "unbalanced entries", fname)
    total = float(lines["Debit"].sum() - lines["Credit"].sum())
    already = meta.get("unbalanced_reported")
    if abs(total) > _TOL and (already is None or abs(already - total) > _TOL):
        out.append(Problem("error", "unbalanced_file", f"total debits - total credits = {total:,.2f}", file=fname))

    # required fields
    for c in (
        "JournalCode",
        "JournalLib",
        "EcritureNum",
        "EcritureDate",
        "CompteNum",
        "CompteLib",
        "PieceRef",
        "PieceDate",
        "EcritureLib",
        "ValidDate",
    ):
        miss = _empty(lines[c])
        invalid = (meta.get("bad_dates") or {}).get(c)
        if invalid:  # not valid dates: read_fec reported them as such (bad_date), not empty
            miss &= ~lines["line_no"].isin(invalid)
        if miss.any():
            level = "error" if c in _CORE else "warning"
            out.append(_agg(level, "missing_value", f"{c} is empty", lines, miss, fname, c))
    aux, auxlib = ~_empty(lines["CompAuxNum"]), ~_empty(lines["CompAuxLib"])
    if (aux != auxlib).any():
        out.append(
            _agg(
                "warning",
                "aux_label_missing",
                "CompAuxNum and CompAuxLib not both filled",
                lines,
                aux != auxlib,
                fname,
                "CompAuxLib",
            )
        )

    # dates
    d = lines["EcritureDate"]
    outside = ~opening & d.notna() & ((d < start) | (d > end)) if has_dates else pd.Series(False, index=lines.index)
    if outside.any():
        out.append(
            _agg(
                "warning",
                "date_outside_fiscal_year",
                f"EcritureDate outside the fiscal year {start.date()} - {end.date()}",
                lines,
                outside,
                fname,
                "EcritureDate",
            )
        )
    placeholder = lines["PieceDate"] < pd.Timestamp("1950-01-01")
    if placeholder.any():
        out.append(
            _agg(
                "warning",
                "placeholder_date",
                "PieceDate before 1950 (a placeholder)",
                lines,
                placeholder,
                fname,
                "PieceDate",
            )
        )
    vbefore = lines["ValidDate"].notna() & d.notna() & (lines["ValidDate"] < d)
    if vbefore.any():
        out.append(
            _agg(
                "warning",
                "valid_before_entry",
                "ValidDate earlier than EcritureDate",
                lines,
                vbefore,
                fname,
                "ValidDate",
            )
        )

    # amounts
    neg = (lines["Debit"] < 0) | (lines["Credit"] < 0)
    if neg.any():
        out.append(_agg("warning", "negative_amount", "negative Debit or Credit", lines, neg, fname))
    both = (lines["Debit"].abs() > _TOL) & (lines["Credit"].abs() > _TOL)
    if both.any():
        out.append(_agg("warning", "debit_and_credit", "both a debit and a credit", lines, both, fname))

    # lettering on third-party accounts
    third = _account_starts(lines, ("40", "41")) & ~_empty(lines["EcritureLet"]).to_numpy()
    if third.any():
        sub = lines.loc[third]
        gkey = [sub["CompteNum"], sub["CompAuxNum"].astype(object).fillna(""), sub["EcritureLet"]]
        amt = sub["Debit"] - sub["Credit"]
        g = amt.groupby(gkey, sort=False)
        gnet, gsize, gfirst = g.sum(), g.size(), sub["line_no"].groupby(gkey, sort=False).min()
        partial = gnet[gnet.abs() > _TOL]
        out.append(
            Problem(
                "info",
                "lettering",
                f"{int(third.sum())} lettered lines on third-party accounts in {len(gnet)} groups: "
                f"{len(gnet) - len(partial)} net to zero, {len(partial)} partial "
                f"({int(gsize[partial.index].sum())} lines)",
                file=fname,
            )
        )
        classes = _partial_classes(lines, sub, gkey, partial.index, start, end)
        if len(partial):
            counts = {c: int((classes == c).sum()) for c in PARTIAL_CLASSES}
            ledger = pd.Series(["customers" if str(k[0]).startswith("41") else "suppliers" for k in classes.index])
            split = "; ".join(
                f"{who}: "
                + ", ".join(
                    f"{int(((classes.to_numpy() == c) & (ledger.to_numpy() == who)).sum())} {c}" for c in counts
                )
                for who in ("customers", "suppliers")
            )
            out.append(
                Problem(
                    "info",
                    "partial_lettering_classes",
                    f"{len(partial)} partial lettering groups: "
                    + ", ".join(f"{n} {c}" for c, n in counts.items())
                    + f" ({split})",
                    file=fname,
                )
            )
        detail = [
            Problem(
                "warning",
                "partial_lettering",
                f"lettering {k[2]!r} on account {k[0]}{' / ' + k[1] if k[1] else ''} nets to "
                f"{v:,.2f} over {int(gsize[k])} lines [{classes[k]}]",
                file=fname,
                row=int(gfirst[k]),
                column="EcritureLet",
            )
            for k, v in partial.sort_index().items()
        ]
        out += _capped(detail, max_per_code, "partial lettering groups", fname)
    # Test Compta Demat consistency: fields that go in pairs
    let_filled, datelet_filled = ~_empty(lines["EcritureLet"]), lines["DateLet"].notna()
    bad_datelet = (meta.get("bad_dates") or {}).get("DateLet")
    if bad_datelet:  # an invalid DateLet is filled, just not valid
        datelet_filled |= lines["line_no"].isin(bad_datelet)
    cur_amount = lines["Montantdevise"].fillna(0.0).abs() > _TOL
    cur_code = ~_empty(lines["Idevise"])
    for mask, code, what, column in (
        (let_filled & ~datelet_filled, "let_without_date", "EcritureLet filled but DateLet empty", "DateLet"),
        (datelet_filled & ~let_filled, "date_without_let", "DateLet filled but EcritureLet empty", "EcritureLet"),
        (
            cur_amount & ~cur_code,
            "currency_amount_without_code",
            "Montantdevise filled (not zero) but Idevise empty",
            "Idevise",
        ),
        (
            cur_code & ~cur_amount,
            "currency_code_without_amount",
            "Idevise filled but Montantdevise empty or zero",
            "Montantdevise",
        ),
    ):
        if mask.any():
            out.append(_agg("warning", code, what, lines, mask, fname, column))
    lbefore = lines["DateLet"].notna() & d.notna() & (lines["DateLet"] < d)
    if lbefore.any():
        out.append(
            _agg(
                "warning",
                "date_let_before_entry",
                "DateLet earlier than EcritureDate",
                lines,
                lbefore,
                fname,
                "DateLet",
            )
        )
    return out


PARTIAL_CLASSES = ("counterpart before the file", "counterpart after closing", "partial")
"""Classes of a lettering group that does not net to zero (see :func:`validate_fec`)."""
_BEFORE_MONTHS = 3


def _partial_classes(
    lines: pd.DataFrame,
    sub: pd.DataFrame,
    gkey: list[pd.Series],
    groups: pd.Index,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> pd.Series:
    """Class of each partial lettering group (index: (account, aux, letter))."""
    out = pd.Series("partial", index=groups, dtype=object)
    if not len(groups) or start is None or end is None:
        return out
    dates = sub["EcritureDate"].groupby(gkey, sort=False).agg(["min", "max"]).reindex(groups)
    gnet = (sub["Debit"] - sub["Credit"]).groupby(gkey, sort=False).sum().reindex(groups)
    # parties whose opening balance is given without detail: an unlettered opening line
    opening = is_opening(lines) & _account_starts(lines, ("40", "41")) & _empty(lines["EcritureLet"]).to_numpy()
    op = lines.loc[opening]
    no_detail = set(zip(op["CompteNum"], op["CompAuxNum"].astype(object).fillna(""), strict=True))
    early = start + pd.DateOffset(months=_BEFORE_MONTHS)
    last_month = end.replace(day=1)
    for k in groups:
        lo, hi = dates.at[k, "min"], dates.at[k, "max"]
        if pd.isna(lo):
            continue
        # what is left open: a payment (customer credit, supplier debit) or an invoice
        left_payment = (gnet[k] < 0) == str(k[0]).startswith("41")
        if left_payment and hi < early and (k[0], k[1]) in no_detail:
            out[k] = PARTIAL_CLASSES[0]
        elif not left_payment and lo >= last_month:
            out[k] = PARTIAL_CLASSES[1]
    return out


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


def _year_start(lines: pd.DataFrame) -> pd.Timestamp | None:
    """First day of the fiscal year of ``lines`` (``None`` without any valid date)."""
    if not lines["EcritureDate"].notna().any():
        return None
    meta = lines.attrs.get("fec", {}) if hasattr(lines, "attrs") else {}
    return _fiscal_year(lines, None, None, meta)[0]


def _month_end(ts: pd.Timestamp) -> pd.Timestamp:
    return (pd.Timestamp(ts) + pd.offsets.MonthEnd(0)).normalize()


def _fiscal_year(
    lines: pd.DataFrame, fiscal_year_end: object, file_name: object, meta: Mapping
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
        end = fiscal_year_end_from_name(file_name) if file_name is not None else meta.get("fiscal_year_end_from_name")
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
    # start: month of the first entry, at least 12 and at most 24 months before the end
    earliest = end - pd.DateOffset(months=24) + pd.Timedelta(days=1)
    latest = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    first = d[(d >= earliest) & (d <= end)].min() if len(d) else latest
    first = latest if pd.isna(first) else pd.Timestamp(first).replace(day=1)
    start = min(max(first, earliest), latest)
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), how, problems


# --------------------------------------------------------------------------- ledgers
def fec_receivables(
    lines: pd.DataFrame,
    *,
    terms_days: int = 30,
    end_of_month: bool = False,
    terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None,
    accounts: Sequence[str] = CUSTOMER_ACCOUNTS,
    entity: str = "MAIN",
) -> pd.DataFrame:
    """Customer ledger (*grand livre clients*) from a FEC, in the ``open_items`` schema.

    One item per FEC line on a customer account (CompteNum starting with one of
    ``accounts``: 411 customers, 413 bills receivable, 416 doubtful, 418 unbilled,
    419 advances received), with its clearing date, so that
    :func:`cashmission.receivables.open_at` gives the open items at any date.

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
    ``partial``), ``document_date_source`` and ``due_date_source``.  Problems found
    on the way (placeholder dates) are in ``attrs["problems"]``.

    Notes
    -----
    - Amounts: ``Debit - Credit`` (what the customer owes is positive).
    - ``customer_id`` = CompAuxNum, or CompteNum when the line has no auxiliary
      account; ``customer_name`` = CompAuxLib, else CompteLib.
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
      ``booked_date`` (see :func:`cashmission.receivables.open_at`): an invoice dated
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
      empty and ``lettering_status`` is ``partial``.  Unlettered lines are open.  An
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
    terms_days: int = 30,
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
    from cashmission.receivables import open_at

    return open_at(fec_receivables(lines, **kw), as_of)  # type: ignore[arg-type]


def party_terms(terms: int | tuple[int, bool]) -> tuple[int, bool]:
    """One party's payment terms as (days, end of month): ``45`` or ``(45, True)``.

    >>> party_terms(45), party_terms((60, True))
    ((45, False), (60, True))
    """
    if isinstance(terms, (int, np.integer)):
        return int(terms), False
    return int(terms[0]), bool(terms[1])


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
    sel = _account_starts(lines, accounts)
    sub = lines.loc[sel]
    n = len(sub)
    acc = sub["CompteNum"].astype(object)
    aux = sub["CompAuxNum"].astype(object)
    has_aux = aux.notna()
    party = aux.where(has_aux, acc).astype(object)
    name = sub["CompAuxLib"].astype(object).where(has_aux, sub["CompteLib"].astype(object))
    debit, credit = sub["Debit"].to_numpy(dtype=float), sub["Credit"].to_numpy(dtype=float)
    amount = sign * (debit - credit)
    # document type
    kinds = journal_kinds(lines)
    jkind = sub["JournalCode"].astype(object).map(kinds).fillna("other").to_numpy(dtype=object)
    positive = amount > 0
    doc_type = np.where(
        jkind == invoice_journal,
        np.where(positive, "invoice", "credit_note"),
        np.where(positive, np.where(jkind == "opening", "invoice", "other"), "payment"),
    ).astype(object)
    # document date
    piece = sub["PieceDate"]
    placeholder = piece.isna() | (piece < pd.Timestamp("1950-01-01"))
    doc_date = piece.where(~placeholder, sub["EcritureDate"]).astype("datetime64[ns]")
    # booking date: the entry date; opening lines are booked at the start of the year
    booked = sub["EcritureDate"].astype("datetime64[ns]")
    open_sub = is_opening(sub).to_numpy()
    if open_sub.any():
        year_start = _year_start(lines)
        if year_start is not None:
            booked = booked.where(~open_sub | (booked <= year_start), year_start)
    problems: list[Problem] = []
    if placeholder.any():
        problems.append(
            _agg(
                "warning",
                "placeholder_date",
                "PieceDate empty or before 1950: document_date taken from EcritureDate",
                sub,
                placeholder,
                (lines.attrs.get("fec") or {}).get("file"),
                "PieceDate",
            )
        )
    # due date from terms
    is_inv = doc_type == "invoice"
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
    source = np.where(is_inv, source, "document_date")
    # clearing
    let = sub["EcritureLet"].astype(object)
    lettered = let.notna().to_numpy()
    gkey = pd.MultiIndex.from_arrays(
        [acc.to_numpy(dtype=object), aux.fillna("").to_numpy(dtype=object), let.fillna("").to_numpy(dtype=object)]
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
    # currency
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
            "match_code": let.to_numpy(dtype=object),
            "source_row": pd.array(line_no, dtype="Int64"),
            "journal_code": sub["JournalCode"].to_numpy(dtype=object),
            "entry_date": sub["EcritureDate"].to_numpy(),
            "booked_date": booked.to_numpy(),
            "piece_ref": piece_ref.to_numpy(dtype=object),
            "account": acc.to_numpy(dtype=object),
            "label": sub["EcritureLib"].astype(object).to_numpy(dtype=object),
            "lettering_status": status,
            "document_date_source": np.where(placeholder.to_numpy(), "EcritureDate", "PieceDate").astype(object),
            "due_date_source": source.astype(object),
        }
    )
    for c in ("customer_id", "customer_name", "document_id", "match_code", "piece_ref"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    out.attrs["problems"] = problems
    return out


# --------------------------------------------------------------------------- payment behaviour
def fec_payment_history(lines: pd.DataFrame, *, ledger: str = "customers", **kw: object) -> pd.DataFrame:
    """Payment history (*historique de règlement*) of every lettered invoice.

    ``ledger="customers"`` (default): customer invoices, from :func:`fec_receivables`;
    ``ledger="suppliers"``: supplier invoices, from :func:`fec_payables` (how fast the
    company pays; the supplier id is in ``customer_id``).  Other keyword arguments go
    to that function (terms, accounts, entity; ``terms_by_customer`` is accepted for
    suppliers too, as ``terms_by_supplier``).

    Returns
    -------
    One row per invoice whose lettering group nets to zero: ``customer_id``,
    ``customer_name``, ``document_id``, ``document_date``, ``due_date``, ``amount``,
    ``match_code``, ``payment_date``, ``payment_date_source``, ``settled_by``,
    ``days_to_pay``, ``days_late``, ``days_beyond_terms``.

    Notes
    -----
    - ``payment_date`` = the invoice line's DateLet when filled (source ``DateLet``);
      else the latest EcritureDate of the payment lines of its lettering group
      (source ``payment_line``); when the group holds no payment (an invoice settled
      by a credit note), the latest EcritureDate of its credit lines (source
      ``credit_line``).  With instalments, the invoice counts as paid at the last one.
    - ``settled_by``: ``payment``, ``credit_note`` or ``payment+credit_note``.
    - ``days_to_pay`` = payment_date − document_date; ``days_late`` = payment_date −
      due_date (negative when paid early; the due date comes from the terms, a FEC
      has none); ``days_beyond_terms`` = max(0, days_late).
    """
    if ledger == "customers":
        items = fec_receivables(lines, **kw)  # type: ignore[arg-type]
    elif ledger == "suppliers":
        if "terms_by_customer" in kw:
            kw["terms_by_supplier"] = kw.pop("terms_by_customer")
        items = fec_payables(lines, **kw)  # type: ignore[arg-type]
    else:
        raise ValueError(f"ledger must be 'customers' or 'suppliers', got {ledger!r}")
    cols = [
        "customer_id",
        "customer_name",
        "document_id",
        "document_date",
        "due_date",
        "amount",
        "match_code",
        "payment_date",
        "payment_date_source",
        "settled_by",
        "days_to_pay",
        "days_late",
        "days_beyond_terms",
    ]
    done = items[items["lettering_status"] == "lettered"]
    if done.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c.endswith("date") else object) for c in cols})
    g = [done["account"], done["customer_id"], done["match_code"]]
    is_pay = done["document_type"] == "payment"
    is_cn = done["amount"] < 0
    pay_date = done["entry_date"].where(is_pay).groupby(g).transform("max")
    credit_date = done["entry_date"].where(is_cn).groupby(g).transform("max")
    n_pay = is_pay.groupby(g).transform("sum")
    n_cn = (done["document_type"] == "credit_note").groupby(g).transform("sum")
    inv = done["document_type"] == "invoice"
    h = done.loc[
        inv, ["customer_id", "customer_name", "document_id", "document_date", "due_date", "amount", "match_code"]
    ].copy()
    own = lines.set_index("line_no")["DateLet"].reindex(done.loc[inv, "source_row"].astype("int64")).to_numpy()
    h["payment_date"] = np.where(pd.notna(own), own, np.where(pay_date[inv].notna(), pay_date[inv], credit_date[inv]))
    h["payment_date"] = pd.to_datetime(h["payment_date"]).astype("datetime64[ns]")
    h["payment_date_source"] = np.where(
        pd.notna(own), "DateLet", np.where(pay_date[inv].notna(), "payment_line", "credit_line")
    )
    np_, nc_ = n_pay[inv].to_numpy() > 0, n_cn[inv].to_numpy() > 0
    h["settled_by"] = np.where(np_ & nc_, "payment+credit_note", np.where(np_, "payment", "credit_note"))
    h["days_to_pay"] = (h["payment_date"] - h["document_date"]).dt.days.astype("float64")
    h["days_late"] = (h["payment_date"] - h["due_date"]).dt.days.astype("float64")
    h["days_beyond_terms"] = h["days_late"].clip(lower=0)
    return h.reset_index(drop=True)[cols]


def customer_payment_behaviour(history: pd.DataFrame, *, recent_months: int = 3) -> pd.DataFrame:
    """Payment behaviour (*comportement de paiement*) per customer from a payment history.

    Parameters
    ----------
    history : the table from :func:`fec_payment_history` (or any table with
        ``customer_id``, ``amount``, ``payment_date``, ``days_to_pay``, ``days_late``).
    recent_months : length of the recent window for the trend.

    Returns
    -------
    One row per customer: ``invoices`` (count), ``amount``, ``avg_days_to_pay``,
    ``weighted_days_to_pay``, ``avg_days_late``, ``weighted_days_late``,
    ``weighted_days_beyond_terms``, ``last_payment``, ``trend_days_per_month``,
    ``recent_days_late``, ``previous_days_late``, ``trend_days_late``.

    Notes
    -----
    - Weighted averages are amount-weighted: Σ(amount × days) / Σ amount.
    - ``trend_days_per_month``: least-squares slope of days_late against the payment
      date, in days per 30 days (positive = paying later and later); needs two
      distinct payment dates.
    - ``recent_days_late``: average days_late of the invoices paid in the last
      ``recent_months`` months before the customer's last payment (window
      ``(last_payment − recent_months months, last_payment]``); ``previous_days_late``
      of the ones paid before; ``trend_days_late`` = recent − previous.  The window
      ends at each customer's last payment, so no "today" is needed.
    """
    cols = [
        "customer_id",
        "invoices",
        "amount",
        "avg_days_to_pay",
        "weighted_days_to_pay",
        "avg_days_late",
        "weighted_days_late",
        "weighted_days_beyond_terms",
        "last_payment",
        "trend_days_per_month",
        "recent_days_late",
        "previous_days_late",
        "trend_days_late",
    ]
    rows = []
    for cid, g in history.groupby("customer_id", sort=True):
        w = g["amount"].to_numpy(dtype=float)
        sw = w.sum()
        late = g["days_late"].to_numpy(dtype=float)
        beyond = np.clip(late, 0, None)
        pay = pd.to_datetime(g["payment_date"])
        last = pay.max()
        x = (pay - pay.min()).dt.days.to_numpy(dtype=float)
        slope = float(np.polyfit(x, late, 1)[0] * 30) if len(np.unique(x)) > 1 else np.nan
        recent = pay > last - pd.DateOffset(months=recent_months)
        r = float(late[recent.to_numpy()].mean()) if recent.any() else np.nan
        p = float(late[~recent.to_numpy()].mean()) if (~recent).any() else np.nan
        rows.append(
            {
                "customer_id": cid,
                "invoices": len(g),
                "amount": float(sw),
                "avg_days_to_pay": float(g["days_to_pay"].mean()),
                "weighted_days_to_pay": float((w * g["days_to_pay"].to_numpy(dtype=float)).sum() / sw)
                if sw
                else np.nan,
                "avg_days_late": float(late.mean()),
                "weighted_days_late": float((w * late).sum() / sw) if sw else np.nan,
                "weighted_days_beyond_terms": float((w * beyond).sum() / sw) if sw else np.nan,
                "last_payment": last,
                "trend_days_per_month": slope,
                "recent_days_late": r,
                "previous_days_late": p,
                "trend_days_late": r - p,
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["last_payment"] = pd.to_datetime(out["last_payment"]).astype("datetime64[ns]")
    out["invoices"] = out["invoices"].astype("int64")
    return out


# --------------------------------------------------------------------------- working capital
_RECEIVABLE_BALANCE = ("411", "413", "416", "418")
_STOCKS = {
    "stock_raw_materials": ("31", "32"),
    "stock_finished_goods": ("33", "34", "35"),
    "stock_goods": ("36", "37", "38"),
}
"""Stock accounts (class 3 of the PCG) behind each stock column, gross."""
_WRITE_DOWNS = {
    "stock_raw_materials": ("391", "392"),
    "stock_finished_goods": ("393", "394", "395"),
    "stock_goods": ("396", "397", "398"),
}
"""Write-down accounts (*dépréciations des stocks*, 39x) netted off each stock column."""
_STOCK_CONVENTION = (
    "stocks net of write-downs: raw materials 31, 32 less 391, 392; finished goods and "
    "work in progress 33, 34, 35 less 393, 394, 395; goods for resale 37 with 36 (stocks "
    "from fixed assets) and 38 (in transit, on consignment) less 396, 397, 398"
)


def _stock_balances(balance: Callable[[tuple[str, ...]], _B], net: bool = True) -> tuple[dict[str, _B], dict[str, _B]]:
    """Each stock column and its write-downs, from ``balance(prefixes)`` (debit − credit).

    Returns ``(stocks, write_downs)``: the stocks of :data:`_STOCKS`, net of their
    write-downs (:data:`_WRITE_DOWNS`) unless ``net`` is False, and those write-downs
    as credit balances (positive).  ``balance`` may give a float (year end) or an
    array of month ends.
    """
    write_downs = {k: -balance(v) for k, v in _WRITE_DOWNS.items()}
    stocks = {k: balance(v) - write_downs[k] if net else balance(v) for k, v in _STOCKS.items()}
    return stocks, write_downs


def fec_monthly_figures(
    lines: pd.DataFrame,
    *,
    include_services: bool = False,
    reclassify_debit_suppliers: bool = True,
    fiscal_year_end: str | pd.Timestamp | None = None,
    through: str = "last_entry",
    net_stock_write_downs: bool = True,
) -> pd.DataFrame:
    """Monthly working-capital figures (*éléments du BFR*) from a FEC.

    One row per calendar month of the fiscal year up to the last month with entries,
    in the ``working_capital`` schema (``period_end`` = month end, ``period_days`` =
    days in the month).

    Parameters
    ----------
    include_services : add external services (61, 62) to ``purchases``.
    reclassify_debit_suppliers : compute ``payables`` as the sum of the credit
        balances of the supplier accounts, auxiliary account by auxiliary account
        (suppliers in debit go to the assets, as on the tax return); ``False`` gives
        the plain net balance of 401/403/408.
    fiscal_year_end : closing date; by default the file name's (as recorded by
        :func:`read_fec`) when it fits the data, else the month end of the last entry
        (see :func:`validate_fec`).  The year starts with the month of the first
        entry that is not an opening entry (12 to 24 months before the end).
    through : ``"last_entry"`` (default): stop at the month of the last entry that is
        not an opening entry, so that a file cut before its closing date (e.g. six
        months of a year) does not end with empty months that KPIs would walk through
        (a countback DSO would add their days); ``"fiscal_year_end"``: every month of
        the fiscal year.  ``validate_fec`` warns about the trailing empty months.
    net_stock_write_downs : stocks net of their write-downs (39x, *dépréciations*),
        as the net column of the balance sheet (default); ``False``: gross.

    Returns
    -------
    DataFrame; ``attrs["convention"]`` maps each column to the accounts it uses (in
    words), ``attrs["fiscal_year"]`` gives the fiscal year's start and end,
    ``attrs["through"]`` the last month end kept, and ``attrs["stock_write_downs"]``
    the write-downs of the stock accounts at each month end (positive, ISO date →
    amount) whether netted or not.

    Notes
    -----
    Account mapping (French chart of accounts, PCG), by prefix of CompteNum:

    - ``revenue`` (flow): 70 (*ventes, prestations*, 709 rebates included),
      credit − debit.
    - ``vat_collected`` (flow): 4457 (*TVA collectée*), credit − debit, on the entries
      that also touch a 70 account (so that the VAT return entries that clear 4457
      do not cancel it).
    - ``receivables`` (balance): debit balances of 411, 413, 416, 418 (*clients et
      comptes rattachés*, form 2050 line BX), account by account and auxiliary account
      by auxiliary account (customers in credit are liabilities, not netted).
    - ``payables`` (balance): credit balances of 401, 403, 408 (*fournisseurs et
      comptes rattachés*, form 2051 line DX), per auxiliary account when
      ``reclassify_debit_suppliers``, else their net balance.
    - ``purchases`` (flow): 60 except 603 (*achats*, stock variations excluded), debit
      − credit, plus 61 and 62 when ``include_services``.
    - ``vat_deductible`` (flow): 44566 (*TVA déductible sur autres biens et services*),
      debit − credit, on the entries that also touch one of the purchases accounts
      (60, or 60, 61, 62 with ``include_services``): the VAT and the purchases it is
      compared with have the same base.
    - ``purchases_raw_materials``: 601, 602; ``purchases_goods``: 607 (flows).
    - ``stock_raw_materials``: 31, 32; ``stock_finished_goods``: 33, 34, 35
      (work in progress and finished goods); ``stock_goods``: 37, with 36 and 38
      (stocks from fixed assets, stocks in transit or on consignment: the PCG leaves
      their nature to the company, they are shown with goods for resale); each net
      of its write-downs 391-392, 393-395, 396-398 unless ``net_stock_write_downs``
      is False (balances, debit − credit; usually only booked at the year end).
    - ``receivables_not_due``, ``factored_receivables``, ``discounted_receivables``:
      not in a FEC, left empty.

    Balances at a month end include the opening entries (whatever their date) and
    every other line dated up to that day.  Flows leave out opening entries and the
    entries of a closing journal (label containing *clôture*).
    """
    if through not in ("last_entry", "fiscal_year_end"):
        raise ValueError(f"through must be 'last_entry' or 'fiscal_year_end', got {through!r}")
    cols = [c.name for c in __import__("cashmission.schemas", fromlist=["WORKING_CAPITAL"]).WORKING_CAPITAL.columns]
    if lines.empty or not lines["EcritureDate"].notna().any():
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    meta = lines.attrs.get("fec", {}) if hasattr(lines, "attrs") else {}
    start, end, _, _ = _fiscal_year(lines, fiscal_year_end, None, meta)
    fy_end = end
    opening = is_opening(lines).to_numpy()
    if through == "last_entry":
        last = _last_entry_date(lines, opening)
        if last is not None and start <= last < end:
            end = _month_end(last)
    month_ends = pd.date_range(start, end, freq="ME" if _has_me() else "M").astype("datetime64[ns]")
    acc_obj = lines["CompteNum"].astype(object).fillna("")
    net = (lines["Debit"] - lines["Credit"]).to_numpy(dtype=float)
    date = lines["EcritureDate"]
    # month index of each line: opening lines and earlier lines in month 0
    mi = ((date.dt.year - start.year) * 12 + date.dt.month - start.month).to_numpy(dtype="float64")
    mi = np.where(opening | (mi < 0), 0, mi)
    nm = len(month_ends)
    valid = ~np.isnan(mi) & (mi < nm)
    mi_int = np.where(valid, mi, 0).astype("int64")
    flow_ok = valid & ~opening & ~_closing_mask(lines).to_numpy()
    key, _, _ = entry_key(lines)
    key = key.to_numpy()

    def flow(prefixes: Iterable[str], sign: float, exclude: tuple[str, ...] = (), entries_touching=None):
        m = _account_starts(lines, prefixes) & flow_ok
        if exclude:
            m &= ~_account_starts(lines, exclude)
        if entries_touching is not None:
            touched = np.unique(key[_account_starts(lines, entries_touching)])
            m &= np.isin(key, touched)
        return np.bincount(mi_int[m], weights=sign * net[m], minlength=nm)[:nm].astype(float)

    def balance(prefixes: Iterable[str]):
        m = _account_starts(lines, prefixes) & valid
        return np.cumsum(np.bincount(mi_int[m], weights=net[m], minlength=nm)[:nm].astype(float))

    stocks, write_downs = _stock_balances(balance, net_stock_write_downs)

    def third_party(prefixes: Iterable[str], sign: float, by_account: bool):
        m = _account_starts(lines, prefixes) & valid
        if not m.any():
            return np.zeros(nm)
        if not by_account:
            return np.cumsum(np.bincount(mi_int[m], weights=sign * net[m], minlength=nm)[:nm].astype(float))
        sub_key = pd.MultiIndex.from_arrays(
            [acc_obj[m].to_numpy(dtype=object), lines["CompAuxNum"].astype(object).fillna("")[m].to_numpy(dtype=object)]
        )
        codes = pd.factorize(sub_key)[0]
        mat = np.zeros((codes.max() + 1, nm))
        np.add.at(mat, (codes, mi_int[m]), sign * net[m])
        return np.clip(np.cumsum(mat, axis=1), 0, None).sum(axis=0)

    purchases_prefixes = ("60", "61", "62") if include_services else ("60",)
    out = pd.DataFrame(
        {
            "period_end": month_ends,
            "period_days": month_ends.day.astype("int64"),
            "revenue": flow(("70",), -1.0),
            "vat_collected": flow(("4457",), -1.0, entries_touching=("70",)),
            "receivables": third_party(_RECEIVABLE_BALANCE, 1.0, True),
            "receivables_not_due": np.nan,
            "factored_receivables": np.nan,
            "discounted_receivables": np.nan,
            "payables": third_party(SUPPLIER_ACCOUNTS, -1.0, reclassify_debit_suppliers),
            "purchases": flow(purchases_prefixes, 1.0, exclude=("603",)),
            "vat_deductible": flow(("44566",), 1.0, entries_touching=purchases_prefixes),
            "purchases_raw_materials": flow(("601", "602"), 1.0),
            "purchases_goods": flow(("607",), 1.0),
            **stocks,
        }
    )
    out["period_days"] = out["period_days"].astype("Int64")
    out = out[cols]
    buying = ", ".join(purchases_prefixes)
    out.attrs["convention"] = {
        "revenue": "70, credit - debit, opening and closing entries aside",
        "vat_collected": "4457 on the entries touching a 70 account",
        "receivables": "debit balances of 411, 413, 416, 418 per account and auxiliary account",
        "payables": "credit balances of 401, 403, 408 per account and auxiliary account"
        if reclassify_debit_suppliers
        else "net balance of 401, 403, 408",
        "purchases": f"{buying} (603 stock variations excluded), debit - credit",
        "vat_deductible": f"44566 on the entries touching a purchases account ({buying})",
        "purchases_raw_materials": "601, 602",
        "purchases_goods": "607",
        "stocks": _STOCK_CONVENTION if net_stock_write_downs else _STOCK_CONVENTION.replace(" net of", " gross of"),
    }
    out.attrs["fiscal_year"] = {"start": start.date().isoformat(), "end": fy_end.date().isoformat()}
    out.attrs["through"] = end.date().isoformat()
    out.attrs["stock_write_downs"] = {
        d.date().isoformat(): float(sum(w[i] for w in write_downs.values())) for i, d in enumerate(month_ends)
    }
    return out


def _last_entry_date(lines: pd.DataFrame, opening: np.ndarray) -> pd.Timestamp | None:
    """Latest EcritureDate of the lines that are not opening lines (``None`` if none)."""
    d = lines["EcritureDate"].to_numpy()[~opening]
    d = d[~np.isnat(d)]
    return pd.Timestamp(d.max()) if len(d) else None


def _has_me() -> bool:
    try:
        pd.tseries.frequencies.to_offset("ME")
        return True
    except ValueError:  # pragma: no cover - pandas < 2.2
        return False


def fec_closing_figures(lines: pd.DataFrame, *, reclassify_debit_suppliers: bool = True) -> dict[str, float]:
    """Year-end figures of a FEC to compare with the tax return (*liasse fiscale*).

    Returns
    -------
    dict of plain floats:

    - ``trade_receivables``: debit balances of 411, 413, 416, 418 per (account,
      auxiliary account) — form 2050 line BX (2033 line 068, 2139 line BC);
    - ``customer_credit_balances``: their credit balances (liabilities), positive;
    - ``net_turnover``: 70, credit − debit, opening and closing entries aside — form
      2052 line FL (2033 line 214);
    - ``trade_payables``: credit balances of 401, 403, 408, per (account, auxiliary
      account) when ``reclassify_debit_suppliers`` (form 2051 line DX), else their
      net balance (what a simplified-regime return such as 2033 line 166 often shows);
    - ``supplier_debit_balances``: the debit balances of those accounts, positive;
    - ``purchases``: 60 except 603; ``stock_raw_materials``, ``stock_finished_goods``,
      ``stock_goods``: closing balances of 31-32, 33-35 and 36-38, net of their
      write-downs 391-392, 393-395 and 396-398 (the net column of the balance sheet);
    - ``stock_write_downs``: the credit balance of the write-down accounts 39, positive.

    Balances include every line of the file (opening entries included).
    """
    acc = lines["CompteNum"].astype(object).fillna("")
    net = lines["Debit"] - lines["Credit"]
    aux = lines["CompAuxNum"].astype(object).fillna("")
    flows = ~is_opening(lines) & ~_closing_mask(lines)

    def per_account(prefixes: tuple[str, ...]) -> pd.Series:
        m = _account_starts(lines, prefixes)
        return net[m].groupby([acc[m], aux[m]]).sum()

    cust = per_account(_RECEIVABLE_BALANCE)
    supp = per_account(SUPPLIER_ACCOUNTS)
    supp_credit = float(-supp[supp < 0].sum())
    supp_debit = float(supp[supp > 0].sum())
    m60 = _account_starts(lines, ("60",)) & ~_account_starts(lines, ("603",)) & flows.to_numpy()
    return {
        "trade_receivables": float(cust[cust > 0].sum()),
        "customer_credit_balances": 0.0 - float(cust[cust < 0].sum()),
        "net_turnover": float(-net[_account_starts(lines, ("70",)) & flows.to_numpy()].sum()),
        "trade_payables": supp_credit if reclassify_debit_suppliers else supp_credit - supp_debit,
        "supplier_debit_balances": supp_debit,
        "purchases": float(net[m60].sum()),
        **_stock_balances(lambda prefixes: float(net[_account_starts(lines, prefixes)].sum()))[0],
        "stock_write_downs": float(-net[_account_starts(lines, ("39",))].sum()),
    }
