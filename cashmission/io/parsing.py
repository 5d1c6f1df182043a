"""Vectorised parsing of amounts and dates as they come out of French exports.

French data is normal data: ``1 234,56`` (space, non-breaking or narrow no-break
space as thousands separator), ``1.234,56``, ``(1 234,56)`` and ``1 234,56-`` for
negatives, ``€``/``EUR`` signs; dates as ``dd/mm/yyyy``, ``yyyymmdd`` (FEC), ISO, or
Excel serial numbers.  Each parser returns the parsed values and a boolean mask of
the cells that held something but could not be parsed, so the caller can report
them (file, row, column) instead of dropping them silently.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

Decimal = Literal[",", "."]

_SPACES = "[\u0020\u00a0\u202f\u2009\t']"
_CURRENCY = r"(?i)(€|eur|usd|gbp|chf|\$|£)"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serials for 1950-01-01 .. 2100-12-31: plausible business dates only.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73415


def infer_decimal(values: pd.Series) -> Decimal:
    """Guess the decimal separator of a column of number strings.

    A comma followed by one or two final digits (``12,5``, ``1 234,56``) or a dot used
    as a thousands group before a comma (``1.234,56``) votes for ``,``; the mirror
    patterns vote for ``.``.  Ties and columns without evidence give ``,`` (French).

    >>> infer_decimal(pd.Series(["1 234,56", "12,5"]))
    ','
    >>> infer_decimal(pd.Series(["1,234.56", "3.25"]))
    '.'
    """
    s = values.dropna().astype(str).str.strip()
    comma = s.str.contains(r",\d{1,2}-?\)?$", regex=True) | s.str.contains(r"\.\d{3},", regex=True)
    dot = s.str.contains(r"\.\d{1,2}-?\)?$", regex=True) | s.str.contains(r",\d{3}\.", regex=True)
    return "." if int(dot.sum()) > int(comma.sum()) else ","


def parse_amounts(values: pd.Series, decimal: Decimal | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse a column of amounts into floats.

    Parameters
    ----------
    values : Series of str, int or float.
    decimal : the decimal separator, or ``None`` to infer it (:func:`infer_decimal`).

    Returns
    -------
    (amounts, bad) : float Series (NaN where empty or bad) and a bool Series that is
    True where a non-empty cell could not be read as a number.

    Notes
    -----
    Negative forms: ``-12``, ``12-`` (trailing minus, SAP/Sage exports), ``(12)``.
    Thousands separators: space, non-breaking space, narrow no-break space, apostrophe,
    and the separator that is not the decimal one.

    >>> a, bad = parse_amounts(pd.Series(["1 234,56", "(10,00)", "5,5-", "", "abc"]))
    >>> a.tolist()[:3], bool(a.isna()[3]), bad.tolist()
    ([1234.56, -10.0, -5.5], True, [False, False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("float64")
        return out, pd.Series(False, index=values.index)
    raw = values.astype("object")
    is_num = raw.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    text = raw.where(~is_num).astype("string").str.strip()
    empty = text.isna() | (text == "")
    s = text.str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    neg_paren = s.str.match(r"^\(.*\)$", na=False)
    s = s.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    neg_trail = s.str.match(r"^[^-].*-$", na=False)
    s = s.str.replace(r"^([^-].*)-$", r"\1", regex=True)
    dec = decimal or infer_decimal(text[~empty & ~is_num])
    thousands = "." if dec == "," else ","
    s = s.str.replace(thousands, "", regex=False)
    if dec == ",":
        s = s.str.replace(",", ".", regex=False)
    s = s.str.replace(r"^\+", "", regex=True)
    ok = s.str.fullmatch(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", na=False)
    num = pd.to_numeric(s.where(ok), errors="coerce").astype("float64")
    num = num.where(~(neg_paren | neg_trail), -num)
    num = num.where(~is_num, pd.to_numeric(raw.where(is_num), errors="coerce"))
    bad = ~empty & ~is_num & ~ok
    return num.astype("float64"), bad.astype(bool)


_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def parse_dates(values: pd.Series, dayfirst: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates into ``datetime64[ns]`` at midnight.

    Accepts datetimes, ``dd/mm/yyyy`` (and ``dd/mm/yy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``),
    ISO ``yyyy-mm-dd`` with or without time, FEC ``yyyymmdd``, and Excel serial numbers
    (days since 1899-12-30, accepted between 1950 and 2100).  With ``dayfirst=False``,
    ``mm/dd/yyyy`` is tried instead of ``dd/mm/yyyy``.

    Returns ``(dates, bad)``: NaT where empty or bad, and True in ``bad`` where a
    non-empty cell could not be read as a date.

    >>> d, bad = parse_dates(pd.Series(["31/12/2024", "20240131", 45658, "", "32/01/2024"]))
    >>> [x.strftime("%Y-%m-%d") if pd.notna(x) else None for x in d], bad.tolist()
    (['2024-12-31', '2024-01-31', '2025-01-01', None, None], [False, False, False, False, True])
    """
    idx = values.index
    if pd.api.types.is_datetime64_any_dtype(values):
        out = pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        return out.astype("datetime64[ns]").dt.normalize(), pd.Series(False, index=idx)
    raw = values.astype("object")
    out = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    # Python datetime / Timestamp objects (Excel readers give these)
    is_dt = raw.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year"))
    is_dt = is_dt.astype(bool)
    if is_dt.any():
        out[is_dt] = pd.to_datetime(raw[is_dt], errors="coerce").astype("datetime64[ns]")
    # Excel serial numbers, as numbers or digit strings of 5 digits (n.0, or n.5 with a time)
    text = raw.where(~is_dt).astype("string").str.strip()
    empty = text.isna() | (text == "") | text.str.lower().isin(["nat", "nan", "none"])
    empty = empty.fillna(True).astype(bool)
    serial_txt = text.str.fullmatch(r"\d{5}(\.\d+)?", na=False)
    serial = np.floor(pd.to_numeric(text.where(serial_txt), errors="coerce"))  # a fraction is the time
    in_range = serial.between(_SERIAL_MIN, _SERIAL_MAX).fillna(False).astype(bool)
    if in_range.any():
        days = pd.to_timedelta(serial[in_range].astype("int64"), unit="D")
        out[in_range] = (_EXCEL_EPOCH + days).astype("datetime64[ns]")
    todo = (~is_dt & ~empty & ~in_range).astype(bool)
    formats = _DATE_FORMATS if dayfirst else tuple(f.replace("%d/%m", "%m/%d") for f in _DATE_FORMATS)
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        got = parsed.notna().astype(bool)
        if got.any():
            hit = got[got].index
            out[hit] = parsed[hit].astype("datetime64[ns]")
            todo[hit] = False
    bad = todo & ~empty
    return out.dt.normalize(), bad.astype(bool)


def clean_text(values: pd.Series) -> pd.Series:
    """Strip spaces (including non-breaking ones); empty strings become missing."""
    s = values.astype("string").str.replace("\u00a0", " ", regex=False).str.strip()
    return s.mask(s == "")


def normalise_header(name: object) -> str:
    """Header key for matching column names: lower case, no accents, single spaces.

    >>> normalise_header("  Date  d'échéance ")
    "date d'echeance"
    >>> normalise_header("N° client")
    'n client'
    """
    import unicodedata

    # ° and º first: NFKD turns the ordinal º into a plain "o" ("Nº" -> "no")
    text = str(name).replace("°", " ").replace("º", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("_", " ").replace(".", " ")
    return re.sub(r"\s+", " ", text).strip()
