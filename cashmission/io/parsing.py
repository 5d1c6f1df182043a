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
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Decimal = Literal[",", "."]

_SPACES = "[\u0020\u00a0\u202f\u2009\t']"
_CURRENCY = r"(?i)(€|eur|usd|gbp|chf|\$|£)"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serials for 1950-01-01 .. 2100-12-31: plausible business dates only.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73415
DATE_MIN, DATE_MAX = pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31")
"""The dates a reader accepts; any other (year 1, 9999, a FEC's ``23230206``) is a bad date."""
DATE_RANGE_NOTE = "outside 1900-01-01..2199-12-31"


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit written as its ASCII digit (NFKC first).

    Full-width forms (``１２３``, ``，``) are folded by NFKC; Arabic-Indic (``١٢٣``),
    Devanagari and other decimal digits by :func:`unicodedata.decimal`.

    >>> ascii_digits("١٢٣,٥"), ascii_digits("１ ２３４，５")
    ('123,5', '1 234,5')
    """
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


def unicode_digits(values: pd.Series) -> pd.Series:
    """True where a text cell holds a decimal digit that is not ASCII (``١٢٣``, ``１２３``).

    :func:`parse_amounts` reads such digits as the digits they are; readers report
    each cell as a counted warning (``unicode_digits``) so nobody is surprised.

    >>> unicode_digits(pd.Series(["١٢٣", "１２３", "123", None, 5])).tolist()
    [True, True, False, False, False]
    """
    out = pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return out
    text = values.astype("object")
    wide = text.astype("string").str.contains(r"[^\x00-\x7f]", regex=True, na=False).astype(bool)
    if wide.any():  # few cells: look at those one by one
        out[wide] = text[wide].map(lambda v: isinstance(v, str) and any(c.isdecimal() and not c.isascii() for c in v))
    return out.astype(bool)


def amount_hint(value: object) -> str:
    """Why a cell is not a usable amount, as a bracketed note (``""`` when no rule applies).

    >>> amount_hint("(-5)"), amount_hint("1e400"), amount_hint("abc")
    (' (ambiguous sign: parentheses and a minus)', ' (beyond the range of numbers: infinite)', '')
    """
    text = str(value).strip()
    if re.fullmatch(r"\(\s*[-+].*\)|\(.*-\s*\)", text):
        return " (ambiguous sign: parentheses and a minus)"
    try:
        infinite = not np.isfinite(float(ascii_digits(text).replace(",", ".").replace(" ", "")))
    except (ValueError, OverflowError):
        infinite = False
    return " (beyond the range of numbers: infinite)" if infinite else ""


def date_hint(value: object) -> str:
    """``" (outside 1900-01-01..2199-12-31)"`` when ``value`` names a year outside that range, else ``""``.

    >>> date_hint("01/01/0001"), date_hint("23230206"), date_hint("32/01/2024")
    (' (outside 1900-01-01..2199-12-31)', ' (outside 1900-01-01..2199-12-31)', '')
    """
    if hasattr(value, "year") and not isinstance(value, str):
        years = [int(value.year)]  # type: ignore[attr-defined]
    else:
        text = str(value).strip()
        years = (
            [int(text[:4])]
            if re.fullmatch(r"\d{8}", text)
            else [int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", text)]
        )
    return f" ({DATE_RANGE_NOTE})" if any(not 1900 <= y <= 2199 for y in years) else ""


def in_date_range(dates: pd.Series) -> pd.Series:
    """True where a parsed date (any datetime unit) lies in :data:`DATE_MIN` .. :data:`DATE_MAX`."""
    return (dates.notna() & (dates >= DATE_MIN) & (dates <= DATE_MAX + pd.Timedelta(hours=23, minutes=59))).astype(bool)


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
    and the separator that is not the decimal one.  Digits that are not ASCII
    (Arabic-Indic ``١٢٣``, full-width ``１２３``) are read as the digits they are
    (:func:`ascii_digits`); callers report them with :func:`unicode_digits`.  Bad
    (``True`` in ``bad``, value NaN): a number beyond the float range (``1e400``, never
    an infinite amount) and two signs at once (``(-5)``: ambiguous), see :func:`amount_hint`.

    >>> a, bad = parse_amounts(pd.Series(["1 234,56", "(10,00)", "5,5-", "", "abc"]))
    >>> a.tolist()[:3], bool(a.isna()[3]), bad.tolist()
    ([1234.56, -10.0, -5.5], True, [False, False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("float64")
        infinite = out.notna() & ~np.isfinite(out)
        return out.where(~infinite), infinite.astype(bool)
    raw = values.astype("object")
    is_num = raw.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    text = raw.where(~is_num).astype("string").str.strip()
    wide = text.str.contains(r"[^\x00-\x7f]", regex=True, na=False)
    if wide.any():
        text = text.where(~wide, text[wide].map(ascii_digits))
    empty = text.isna() | (text == "")
    s = text.str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    neg_paren = s.str.match(r"^\(.*\)$", na=False)
    s = s.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    two_signs = neg_paren & s.str.match(r"^[-+]|.*-$", na=False)  # (-5), (+5), (5-): ambiguous
    neg_trail = s.str.match(r"^[^-].*-$", na=False)
    s = s.str.replace(r"^([^-].*)-$", r"\1", regex=True)
    dec = decimal or infer_decimal(text[~empty & ~is_num])
    thousands = "." if dec == "," else ","
    s = s.str.replace(thousands, "", regex=False)
    if dec == ",":
        s = s.str.replace(",", ".", regex=False)
    s = s.str.replace(r"^\+", "", regex=True)
    ok = s.str.fullmatch(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", na=False) & ~two_signs
    num = pd.to_numeric(s.where(ok), errors="coerce").astype("float64")
    num = num.where(~(neg_paren | neg_trail), -num)
    num = num.where(~is_num, pd.to_numeric(raw.where(is_num), errors="coerce"))
    infinite = num.notna() & ~np.isfinite(num)
    bad = (~empty & ~is_num & ~ok) | infinite
    return num.where(~infinite).astype("float64"), bad.astype(bool)


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
    "%Y-%m-%d %H:%M:%S.%f",  # fractional seconds, up to nanoseconds (2020-03-30 00:00:00.000000000)
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


_MONTH_FIRST_FORMATS = tuple(re.sub(r"%d([/.-])%m", r"%m\1%d", f) for f in _DATE_FORMATS)

DATE_ORDERS = ("dayfirst", "monthfirst")
"""How a date ``a/b/yyyy`` is read: day first (``dd/mm/yyyy``, French) or month first (``mm/dd/yyyy``, US)."""

_DAY_MONTH = r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?:[ T].*)?"


@dataclass(frozen=True)
class DateOrder:
    """The order a date column is read in (*ordre jour/mois*), and why.

    ``how`` is ``forced`` (given by the user), ``detected`` (from the values),
    ``default`` (every ``a/b/yyyy`` value has both fields at most 12: the default order)
    or ``none`` (no ``a/b/yyyy`` value: ISO or FEC dates, the order does not matter).
    ``day_first`` and ``month_first`` hold the index labels of the values that can be
    read only day first (first field above 12) or only month first (second field above 12).
    """

    order: str
    how: str
    day_first: tuple = ()
    month_first: tuple = ()

    @property
    def dayfirst(self) -> bool:
        return self.order == "dayfirst"

    @property
    def conflict(self) -> bool:
        """True when some values read only day first and others only month first (and no order was forced)."""
        return self.how != "forced" and bool(self.day_first) and bool(self.month_first)


def date_order_evidence(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(day_first, month_first): True where a text date ``a/b/yyyy`` reads only one way.

    A first field above 12 (``26/01/2024``) can only be a day: day first; a second
    field above 12 (``1/26/2024``) only month first.  Both fields at most 12
    (``03/05/2024``), ISO dates, FEC dates, numbers and datetimes are evidence of nothing.

    >>> d, m = date_order_evidence(pd.Series(["26/01/2024", "1/26/2024", "03/05/2024", "2024-01-26", None]))
    >>> d.tolist(), m.tolist()
    ([True, False, False, False, False], [False, True, False, False, False])
    """
    none = pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return none, none.copy()
    text = values.astype("object").map(lambda v: v if isinstance(v, str) else None).astype("string")
    parts = text.str.extract(f"^{_DAY_MONTH}$")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    day = (first > 12) & (first <= 31) & (second >= 1) & (second <= 12)
    month = (second > 12) & (second <= 31) & (first >= 1) & (first <= 12)
    return day.fillna(False).astype(bool), month.fillna(False).astype(bool)


def detect_date_order(values: pd.Series, forced: str | None = None, default: str = "dayfirst") -> DateOrder:
    """The order to read a column of dates in: ``forced``, else what the values say, else ``default``.

    Any second field above 12 means month first; any first field above 12 means
    day first (:func:`date_order_evidence`); both at once is a conflict
    (:attr:`DateOrder.conflict`) that the caller reports as an error naming the rows.

    >>> detect_date_order(pd.Series(["1/26/2024", "3/5/2024"])).order
    'monthfirst'
    >>> o = detect_date_order(pd.Series(["03/05/2024"]))
    >>> o.order, o.how
    ('dayfirst', 'default')
    """
    for name in (forced, default):
        if name is not None and name not in DATE_ORDERS:
            raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}, got {name!r}")
    codes, uniques = pd.factorize(values.astype("object"))  # distinct values only: exports repeat their dates
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    day_u, month_u = date_order_evidence(distinct)
    take = np.where(codes >= 0, codes, 0)
    valid = codes >= 0

    def rows(evidence: pd.Series) -> tuple:
        hit = evidence.to_numpy()[take] & valid if len(distinct) else np.zeros(len(values), bool)
        return tuple(values.index[hit])

    day, month = rows(day_u), rows(month_u)
    if forced is not None:
        return DateOrder(forced, "forced", day, month)
    if day or month:
        return DateOrder("monthfirst" if month and not day else "dayfirst", "detected", day, month)
    text = distinct.map(lambda v: v if isinstance(v, str) else None).astype("string")
    ambiguous = bool(text.str.fullmatch(_DAY_MONTH, na=False).any())
    return DateOrder(default, "default" if ambiguous else "none")


def parse_dates(values: pd.Series, dayfirst: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates into ``datetime64[ns]`` at midnight.

    Accepts datetimes, ``dd/mm/yyyy`` (and ``dd/mm/yy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``),
    ISO ``yyyy-mm-dd`` with or without time (seconds may carry a fraction, down to
    nanoseconds), FEC ``yyyymmdd``, and Excel serial numbers (days since 1899-12-30,
    accepted between 1950 and 2100).  With ``dayfirst=False``, ``mm/dd/yyyy`` (and
    ``mm-dd-yyyy``, ``mm.dd.yyyy``) is tried instead: the whole column is read in one
    order, which :func:`detect_date_order` chooses from the values.  A date outside
    1900-01-01..2199-12-31 (year 1, 9999: placeholders or typos) is bad, never a crash
    (:func:`date_hint` says why).

    Returns ``(dates, bad)``: NaT where empty or bad, and True in ``bad`` where a
    non-empty cell could not be read as a date.

    >>> d, bad = parse_dates(pd.Series(["31/12/2024", "20240131", 45658, "", "32/01/2024"]))
    >>> [x.strftime("%Y-%m-%d") if pd.notna(x) else None for x in d], bad.tolist()
    (['2024-12-31', '2024-01-31', '2025-01-01', None, None], [False, False, False, False, True])
    """
    idx = values.index
    if pd.api.types.is_datetime64_any_dtype(values):
        out = pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        outside = out.notna() & ~in_date_range(out)
        return out.where(~outside).astype("datetime64[ns]").dt.normalize(), outside.astype(bool)
    raw = values.astype("object")
    out = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    # Python datetime / Timestamp objects (Excel readers give these)
    is_dt = raw.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year"))
    is_dt = is_dt.astype(bool)
    far = pd.Series(False, index=idx)
    if is_dt.any():
        years = pd.to_numeric(raw[is_dt].map(_year_of), errors="coerce")
        far[is_dt] = ~years.between(DATE_MIN.year, DATE_MAX.year).to_numpy()
        near = is_dt & ~far
        out[near] = pd.to_datetime(raw[near], errors="coerce").astype("datetime64[ns]")
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
    formats = _DATE_FORMATS if dayfirst else _MONTH_FIRST_FORMATS
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        got = in_date_range(parsed)
        far[parsed.index[(parsed.notna() & ~got).to_numpy()]] = True
        if got.any():
            hit = got[got].index
            out[hit] = parsed[hit].astype("datetime64[ns]")
            todo[hit] = False
    bad = (todo & ~empty) | far
    return out.dt.normalize(), bad.astype(bool)


def _year_of(value: object) -> int | None:
    """Year of a datetime-like object, whatever its range (``None`` when it has none)."""
    year = getattr(value, "year", None)
    if year is None:
        try:
            year = int(str(np.datetime64(value, "Y")))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return None
    return int(year)


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
