"""Reading a FEC's bytes (:func:`cashmission.io.fec.read_fec`'s first steps): encoding, line ends, fields, lines.

The bytes decoded (UTF-8, cp1252 or ISO-8859-15), CR CR LF made one line end, the
lines split into fields by the C parser (quotes respected when the file quotes), the
extra empty fields at line ends counted, the decimal mark of the amounts sniffed, and
``line_no`` numbered with the blank lines left out.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import pandas as pd

from cashmission.problems import LoadReport, Problem, fail

_COMPLIANT_SEPARATORS = ("\t", "|")


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


def _quoted(data: bytes, sep: str) -> bool:
    """True when quotes enclose fields: always after a semicolon or comma; after a tab or pipe if the header is."""
    return sep not in _COMPLIANT_SEPARATORS or data[:1] == b'"'


def _fields(lines: list[str], sep: str, quoted: bool) -> list[list[str]]:
    """``lines`` split into fields, quotes respected when ``quoted``."""
    if quoted:
        return list(csv.reader(lines, delimiter=sep))
    return [line.split(sep) for line in lines]


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


def _line_of(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


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
