"""Number, amount, percent, day and date formats of the reports (French and English)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Literal

import pandas as pd

from cashmission.ledger.buckets import is_bucket
from cashmission.problems import is_missing
from cashmission.report.labels import _MONTHS, KINDS, MISSING, NBSP, Kind, Lang, _check_lang, label

Scale = Literal["", "k", "M", "auto"]

# Cell values (not headers) that format_table translates, e.g. the "others" row.
_CELL_KEYS = frozenset({"others", "all", "total", "ok", "gap", "invoice", "credit_note", "payment", "other"})


# ---------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------
def format_number(x: float | None, decimals: int = 0, lang: Lang = "fr") -> str:
    """A number with thousands separators: ``1 234 567,9`` (fr) or ``1,234,567.9`` (en).

    >>> format_number(1234567.891, 1).replace(NBSP, " ")
    '1 234 567,9'
    >>> format_number(-0.004, 2), format_number(None)
    ('0,00', '–')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    s = f"{abs(v):,.{decimals}f}"
    if lang == "fr":
        s = s.replace(",", NBSP).replace(".", ",")
    negative = v < 0 and round(abs(v), decimals) != 0
    return ("-" if negative else "") + s


_SCALES = {"": 1.0, "k": 1e3, "M": 1e6}
_DEFAULT_DECIMALS = {"": 2, "k": 0, "M": 1}


def _auto_scale(x: float) -> str:
    a = abs(x)
    return "M" if a >= 1e6 else "k" if a >= 1e4 else ""


def format_amount(
    x: float | None,
    lang: Lang = "fr",
    scale: Scale = "",
    decimals: int | None = None,
    currency: str = "€",
) -> str:
    """An amount with its currency: ``1 234 567,89 €``, ``1 235 k€``, ``1,2 M€``.

    ``scale`` is ``""`` (units, 2 decimals), ``"k"`` (thousands, 0 decimals), ``"M"``
    (millions, 1 decimal) or ``"auto"`` (M from a million, k from ten thousand).
    English puts the currency first: ``€1,234,567.89``, ``€1.2M``.

    >>> format_amount(1234567.891).replace(NBSP, " ")
    '1 234 567,89 €'
    >>> format_amount(6_600_000, scale="M").replace(NBSP, " "), format_amount(6_600_000, "en", "M")
    ('6,6 M€', '€6.6M')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if scale == "auto":
        scale = _auto_scale(v)  # type: ignore[assignment]
    if scale not in _SCALES:
        raise ValueError(f"unknown scale {scale!r}; allowed: '', 'k', 'M', 'auto'")
    d = _DEFAULT_DECIMALS[scale] if decimals is None else decimals
    num = format_number(v / _SCALES[scale], d, lang)
    if lang == "fr":
        return f"{num}{NBSP}{scale}{currency}"
    sign, num = ("-", num[1:]) if num.startswith("-") else ("", num)
    return f"{sign}{currency}{num}{scale}"


def format_percent(x: float | None, lang: Lang = "fr", decimals: int = 1) -> str:
    """A fraction as a percentage: 0.1234 → ``12,3 %`` (fr) or ``12.3%`` (en).

    >>> format_percent(0.1234).replace(NBSP, " "), format_percent(0.1234, "en")
    ('12,3 %', '12.3%')
    """
    if is_missing(x):
        return MISSING
    num = format_number(float(x) * 100, decimals, lang)  # type: ignore[arg-type]
    return f"{num}{NBSP}%" if lang == "fr" else f"{num}%"


def format_days(x: float | None, lang: Lang = "fr", decimals: int = 1) -> str:
    """A number of days: ``45,2 j`` (fr) or ``45.2 days`` (en).

    >>> format_days(45.24).replace(NBSP, " "), format_days(45.24, "en").replace(NBSP, " ")
    ('45,2 j', '45.2 days')
    """
    if is_missing(x):
        return MISSING
    num = format_number(x, decimals, lang)
    return f"{num}{NBSP}j" if lang == "fr" else f"{num}{NBSP}days"


def format_count(x: float | None, lang: Lang = "fr") -> str:
    """A whole number: ``20 000`` (fr) or ``20,000`` (en)."""
    return format_number(x, 0, lang)


def format_date(d: str | date | datetime | pd.Timestamp | None, lang: Lang = "fr", long: bool = False) -> str:
    """A date: ``03/08/2026`` or ``3 août 2026`` (fr); ``2026-08-03`` or ``3 August 2026`` (en).

    >>> format_date("2026-08-03"), format_date("2026-08-03", long=True), format_date("2026-08-03", "en", long=True)
    ('03/08/2026', '3 août 2026', '3 August 2026')
    """
    _check_lang(lang)
    if is_missing(d):
        return MISSING
    t = pd.Timestamp(d)  # type: ignore[arg-type]
    if long:
        return f"{t.day} {_MONTHS[lang][t.month - 1]} {t.year}"
    return f"{t.day:02d}/{t.month:02d}/{t.year}" if lang == "fr" else t.strftime("%Y-%m-%d")


def format_month(d: str | date | pd.Timestamp, lang: Lang = "fr") -> str:
    """A month, short: ``août 2026`` / ``Aug 2026``.

    >>> format_month("2026-08-31"), format_month("2026-08-31", "en")
    ('août 2026', 'Aug 2026')
    """
    _check_lang(lang)
    t = pd.Timestamp(d)
    name = _MONTHS[lang][t.month - 1]
    return f"{name} {t.year}" if lang == "fr" else f"{name[:3]} {t.year}"


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
