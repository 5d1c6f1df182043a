"""Number, amount, percent, day and date formats of the reports (French and English), through Babel.

One formatter set for tables, charts, sentences and the command line.  The digits, the
decimal mark, the grouping and the month names come from the Unicode CLDR data shipped
with Babel (no network), for the locales of :data:`LOCALES`:

- ``fr`` → ``fr_FR``; ``en`` → ``en_US``.  ``en_US`` rather than ``en_GB``: both write
  numbers the same way (``1,234.5``, ``12.3%``), but ``en_GB`` abbreviates September
  ``Sept``, where the reports print three-letter months (``Sep 2026``).  Long dates use an
  explicit day-month-year pattern (``3 August 2026``), the European order, in both.
- Minus sign: :data:`MINUS`, the ASCII hyphen-minus ``-`` in both languages.  It is what
  CLDR/Babel give for ``fr_FR`` and ``en_US``; it survives every console code page
  (cp1252 has no U+2212), CSV files and a paste into a spreadsheet.  French typography
  prefers U+2212 ``−``; switching is this one constant.
- French thousands separator and space before a unit: the no-break space U+00A0
  (:data:`NBSP`).  CLDR gives the narrow no-break space U+202F for ``fr``; it is mapped to
  U+00A0, which every report font, the CLI (which turns U+00A0 into plain spaces) and
  the tests already use.
- Rounding is Python's (``f"{x:.1f}"``, on the binary value) and happens before Babel
  sees the number, so every figure reads as before; Babel only writes it.
- Scales: ``k€`` and ``M€`` (French, after a no-break space), ``€120k`` and ``€6.6M``
  (English, currency first).
"""

from __future__ import annotations

import decimal
import math
import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Literal

import pandas as pd
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from cashmission.ledger.buckets import is_bucket
from cashmission.problems import is_missing
from cashmission.report.labels import KINDS, MISSING, NBSP, Kind, Lang, _check_lang, label

Scale = Literal["", "k", "M", "auto"]

LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_US"}
"""The CLDR locale of each report language."""

MINUS = "-"
"""The one minus sign of every formatted negative number, both languages (see the module notes)."""

NNBSP = "\u202f"
"""CLDR's French grouping separator (narrow no-break space), written as :data:`NBSP`."""

# Cell values (not headers) that format_table translates, e.g. the "others" row.
_CELL_KEYS = frozenset({"others", "all", "total", "ok", "gap", "invoice", "credit_note", "payment", "other"})


# ---------------------------------------------------------------------------------------
# Babel
# ---------------------------------------------------------------------------------------
@cache
def _locale(lang: str) -> Locale:
    _check_lang(lang)
    return Locale.parse(LOCALES[lang])


@cache
def _pattern(lang: str, kind: Literal["decimal", "percent"], decimals: int) -> str:
    """The locale's CLDR number pattern with exactly ``decimals`` decimals (``#,##0.0\\xa0%`` for fr percent)."""
    loc = _locale(lang)
    base = (loc.decimal_formats if kind == "decimal" else loc.percent_formats)[None].pattern
    frac = "." + "0" * decimals if decimals > 0 else ""
    return re.sub(r"#,##0(\.[0#]+)?", "#,##0" + frac, base, count=1)


def _write(magnitude: Decimal, lang: str, kind: Literal["decimal", "percent"], decimals: int) -> str:
    """A non-negative, already rounded number written by Babel in ``lang``, grouping with :data:`NBSP`.

    A magnitude beyond Babel's decimal precision (``1e300``, from a damaged file) is written
    with Python's own grouping and the locale's symbols instead of failing.
    """
    try:
        text = (babel_numbers.format_decimal if kind == "decimal" else babel_numbers.format_percent)(
            magnitude, _pattern(lang, kind, decimals), locale=_locale(lang)
        )
    except decimal.InvalidOperation:
        value = magnitude * 100 if kind == "percent" else magnitude
        plain = f"{value:,.{max(decimals, 0)}f}"
        loc = _locale(lang)
        group, mark = babel_numbers.get_group_symbol(loc), babel_numbers.get_decimal_symbol(loc)
        text = plain.replace(",", "\0").replace(".", mark).replace("\0", group)
        if kind == "percent":
            text += NBSP + "%" if lang == "fr" else "%"
    return text.replace(NNBSP, NBSP)


def _rounded(v: float, decimals: int) -> Decimal:
    """``|v|`` rounded the Python way (``f"{x:.2f}"``), as an exact Decimal Babel will not round again."""
    return Decimal(f"{abs(v):.{max(decimals, 0)}f}")


def _signed(text: str, negative: bool, sign: bool, zero: bool) -> str:
    if negative and not zero:
        return MINUS + text
    return "+" + text if sign and not zero else text


def _trim(text: str, lang: str) -> str:
    """Drop trailing zero decimals: ``6,0`` → ``6``, ``2,50`` → ``2,5``."""
    mark = babel_numbers.get_decimal_symbol(_locale(lang))
    if mark not in text:
        return text
    head, _, tail = text.rpartition(mark)
    tail = tail.rstrip("0")
    return f"{head}{mark}{tail}" if tail else head


# ---------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------
def format_number(
    x: float | None, decimals: int = 0, lang: Lang = "fr", *, sign: bool = False, trim: bool = False
) -> str:
    """A number with thousands separators: ``1 234 567,9`` (fr) or ``1,234,567.9`` (en).

    Rules: rounded to ``decimals``; a value that rounds to zero has no sign (no ``-0``);
    a negative one starts with :data:`MINUS`; ``sign=True`` puts ``+`` before a positive
    one; ``trim=True`` drops trailing zero decimals (``6,0`` → ``6``); missing → ``–``.

    >>> format_number(1234567.891, 1).replace(NBSP, " ")
    '1 234 567,9'
    >>> format_number(-0.004, 2), format_number(None)
    ('0,00', '–')
    >>> format_number(-2.5, 1, sign=True), format_number(3, 1, sign=True, trim=True)
    ('-2,5', '+3')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if math.isinf(v):
        return _signed("∞", v < 0, sign, False)
    magnitude = _rounded(v, decimals)
    text = _write(magnitude, lang, "decimal", decimals)
    if trim:
        text = _trim(text, lang)
    return _signed(text, v < 0, sign, magnitude == 0)


_SCALES = {"": 1.0, "k": 1e3, "M": 1e6}
_DEFAULT_DECIMALS = {"": 2, "k": 0, "M": 1}


def _auto_scale(x: float) -> str:
    a = abs(x)
    return "M" if a >= 1e6 else "k" if a >= 1e4 else ""


def _prose_scale(x: float) -> tuple[str, int]:
    """Scale and decimals of an amount in a sentence: M€ from a million, k€ from a thousand, else €."""
    a = abs(x)
    if a >= 1e6:
        return "M", 1
    if a >= 1e4:
        return "k", 0
    if a >= 1e3:
        return "k", 1
    return "", 0


def format_amount(
    x: float | None,
    lang: Lang = "fr",
    scale: Scale = "",
    decimals: int | None = None,
    currency: str = "€",
    *,
    sign: bool = False,
    prose: bool = False,
) -> str:
    """An amount with its currency: ``1 234 567,89 €``, ``1 235 k€``, ``1,2 M€``.

    ``scale`` is ``""`` (units, 2 decimals), ``"k"`` (thousands, 0 decimals), ``"M"``
    (millions, 1 decimal) or ``"auto"`` (M from a million, k from ten thousand).
    English puts the currency first: ``€1,234,567.89``, ``€1.2M``; the minus sign goes
    before it (``-€1.2M``).  ``sign=True`` writes ``+`` before a positive amount.

    ``prose=True`` writes the amount of a sentence (*commentaire*), ``scale`` and
    ``decimals`` ignored: M€ (1 decimal) from a million, k€ from ten thousand, k€ with
    1 decimal from a thousand, else € without decimals; trailing zero decimals dropped;
    English millions as ``€6.6m``.

    >>> format_amount(1234567.891).replace(NBSP, " ")
    '1 234 567,89 €'
    >>> format_amount(6_600_000, scale="M").replace(NBSP, " "), format_amount(6_600_000, "en", "M")
    ('6,6 M€', '€6.6M')
    >>> format_amount(2_500, prose=True).replace(NBSP, " "), format_amount(-6_600_000, "en", sign=True, prose=True)
    ('2,5 k€', '-€6.6m')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if prose:
        scale, d = _prose_scale(v)  # type: ignore[assignment]
    else:
        if scale == "auto":
            scale = _auto_scale(v)  # type: ignore[assignment]
        if scale not in _SCALES:
            raise ValueError(f"unknown scale {scale!r}; allowed: '', 'k', 'M', 'auto'")
        d = _DEFAULT_DECIMALS[scale] if decimals is None else decimals
    num = format_number(v / _SCALES[scale], d, lang, sign=sign, trim=prose)
    if lang == "fr":
        return f"{num}{NBSP}{scale}{currency}"
    lead = num[0] if num[0] in ("+", MINUS) else ""
    unit = "m" if prose and scale == "M" else scale
    return f"{lead}{currency}{num[len(lead) :]}{unit}"


def format_percent(x: float | None, lang: Lang = "fr", decimals: int = 1, *, sign: bool = False) -> str:
    """A fraction as a percentage: 0.1234 → ``12,3 %`` (fr) or ``12.3%`` (en), CLDR's percent pattern.

    >>> format_percent(0.1234).replace(NBSP, " "), format_percent(0.1234, "en"), format_percent(-0.05, "en", 0)
    ('12,3 %', '12.3%', '-5%')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x) * 100  # type: ignore[arg-type]
    if math.isinf(v):
        return format_number(v, 0, lang, sign=sign) + ("%" if lang == "en" else f"{NBSP}%")
    magnitude = _rounded(v, decimals)
    text = _write(magnitude / 100, lang, "percent", decimals)
    return _signed(text, v < 0, sign, magnitude == 0)


def format_days(
    x: float | None, lang: Lang = "fr", decimals: int = 1, *, sign: bool = False, prose: bool = False
) -> str:
    """A number of days: ``45,2 j`` (fr) or ``45.2 days`` (en), after a no-break space.

    ``prose=True`` writes the days of a sentence: trailing zero decimals dropped and the
    unit in words, French singular below 2 (``1,5 jour``, ``6 jours``), English singular
    at exactly 1 (``1 day``, ``1.5 days``), after a plain space in English.

    >>> format_days(45.24).replace(NBSP, " "), format_days(45.24, "en").replace(NBSP, " ")
    ('45,2 j', '45.2 days')
    >>> format_days(1.5, prose=True).replace(NBSP, " "), format_days(-2.5, "en", sign=True, prose=True)
    ('1,5 jour', '-2.5 days')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    num = format_number(x, decimals, lang, sign=sign, trim=prose)
    if not prose:
        return f"{num}{NBSP}j" if lang == "fr" else f"{num}{NBSP}days"
    a = abs(round(float(x), decimals))  # type: ignore[arg-type]
    if lang == "fr":
        return f"{num}{NBSP}{'jour' if a < 2 else 'jours'}"
    return f"{num} {'day' if a == 1 else 'days'}"


def format_count(x: float | None, lang: Lang = "fr") -> str:
    """A whole number: ``20 000`` (fr) or ``20,000`` (en)."""
    return format_number(x, 0, lang)


def format_date(d: str | date | datetime | pd.Timestamp | None, lang: Lang = "fr", long: bool = False) -> str:
    """A date: ``03/08/2026`` or ``3 août 2026`` (fr); ``2026-08-03`` or ``3 August 2026`` (en).

    Month names are CLDR's (Babel).

    >>> format_date("2026-08-03"), format_date("2026-08-03", long=True), format_date("2026-08-03", "en", long=True)
    ('03/08/2026', '3 août 2026', '3 August 2026')
    """
    _check_lang(lang)
    if is_missing(d):
        return MISSING
    t = pd.Timestamp(d).date()  # type: ignore[arg-type]
    if long:
        return babel_dates.format_date(t, "d MMMM y", locale=_locale(lang))
    return babel_dates.format_date(t, "dd/MM/y" if lang == "fr" else "y-MM-dd", locale=_locale(lang))


def format_month(d: str | date | pd.Timestamp, lang: Lang = "fr") -> str:
    """A month: the whole name in French, ``août 2026``; abbreviated in English, ``Aug 2026`` (CLDR names).

    >>> format_month("2026-08-31"), format_month("2026-08-31", "en")
    ('août 2026', 'Aug 2026')
    """
    _check_lang(lang)
    t = pd.Timestamp(d).date()
    return babel_dates.format_date(t, "MMMM y" if lang == "fr" else "MMM y", locale=_locale(lang))


def format_value(x: object, kind: Kind, lang: Lang = "fr", scale: Scale = "") -> str:
    """Format one value according to its kind (amount, percent, count, days, date, number, text)."""
    if kind == "amount":
        return format_amount(x, lang, scale)  # type: ignore[arg-type]
    if kind == "percent":
        return format_percent(x, lang)  # type: ignore[arg-type]
    if kind == "count":
        return format_count(x, lang)  # type: ignore[arg-type]
    if kind == "days":
        return format_days(x, lang)  # type: ignore[arg-type]
    if kind == "date":
        return format_date(x, lang)  # type: ignore[arg-type]
    if kind == "number":
        return format_number(x, 2, lang)  # type: ignore[arg-type]
    if is_missing(x):
        return ""
    if isinstance(x, bool):
        return {"fr": ("non", "oui"), "en": ("no", "yes")}[lang][int(x)]
    if isinstance(x, str) and x in _CELL_KEYS:
        return label(x, lang)
    return str(x)


def format_plain(x: object, kind: Kind, lang: Lang = "fr", scale: Scale = "auto") -> str:
    """One value for a terminal table (the command line): :func:`format_value` with plain spaces.

    Same digits, signs and units as the reports; the no-break spaces (U+00A0, U+202F)
    become ordinary spaces so a console in any code page shows them and columns align.
    ``scale`` defaults to ``"auto"`` (M€ from a million, k€ from ten thousand).

    >>> format_plain(-1_234_567, "amount"), format_plain(0.123, "percent", "en"), format_plain(45.24, "days")
    ('-1,2 M€', '12.3%', '45,2 j')
    """
    return format_value(x, kind, lang, scale).replace(NBSP, " ").replace(NNBSP, " ")


def kind_of(key: object, values: pd.Series | None = None) -> Kind:
    """How a column is formatted: from :data:`KINDS`, bucket keys, then the dtype."""
    k = str(key)
    if k in KINDS:
        return KINDS[k]
    if is_bucket(k) or k.startswith("over_"):
        return "amount"
    if values is not None:
        if pd.api.types.is_bool_dtype(values):
            return "text"
        if pd.api.types.is_integer_dtype(values):
            return "count"
        if pd.api.types.is_float_dtype(values):
            return "number"
        if pd.api.types.is_datetime64_any_dtype(values):
            return "date"
    return "text"
