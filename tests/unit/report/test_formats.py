"""The one formatter set (Babel/CLDR): tables, charts, sentences and the command line, French and English.

Expected strings are written by hand; ``S`` is the no-break space U+00A0 (French thousands
separator and space before a unit), ``-`` the one minus sign (formats.MINUS).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cashmission.report import formats
from cashmission.report.formats import format_amount, format_days, format_number, format_percent, format_plain

S = "\u00a0"


def test_one_minus_sign_and_one_thousands_separator():
    assert formats.MINUS == "-"
    assert formats.LOCALES == {"fr": "fr_FR", "en": "en_US"}
    # CLDR groups French digits with U+202F; the reports write U+00A0 instead
    assert "\u202f" not in format_number(-1_234_567.0, 0)
    assert format_number(-1_234_567.0, 0) == f"-1{S}234{S}567"


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((1234.5, 1), {"trim": True}, f"1{S}234,5"),
        ((1234.5, 1, "en"), {"trim": True}, "1,234.5"),
        ((1_234_567.0, 0), {}, f"1{S}234{S}567"),
        ((6.0, 1), {"trim": True}, "6"),  # trailing zero decimals dropped
        ((6.0, 1), {}, "6,0"),  # kept without trim
        ((2.5, 2), {"trim": True}, "2,5"),  # 2,50 -> 2,5
        ((-2.5, 1), {"sign": True, "trim": True}, "-2,5"),
        ((3, 1), {"sign": True, "trim": True}, "+3"),
        ((-0.01, 1), {"sign": True, "trim": True}, "0"),  # rounds to 0,0: no sign, no "-0"
        ((-0.004, 2), {}, "0,00"),
        ((2.675, 2), {}, "2,67"),  # Python rounds the binary 2.67499…, Babel's own half-even on "2.675" would say 2,68
        ((0.125, 2, "en"), {}, "0.12"),  # an exact tie: half to even
        ((float("inf"), 0), {}, "∞"),
        ((float("-inf"), 0), {}, "-∞"),
        ((None,), {}, "–"),
        ((float("nan"), 2), {}, "–"),
    ],
)
def test_format_number(args, kwargs, expected):
    assert format_number(*args, **kwargs) == expected


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'; allowed: fr, en"):
        format_number(1, lang="de")  # type: ignore[arg-type]


# ------------------------------------------------------------------ amounts
@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (120_000, "fr", f"120{S}k€"),  # 120 000 / 1 000 = 120, no decimal from ten thousand
        (6_600_000, "fr", f"6,6{S}M€"),  # 6 600 000 / 1 000 000 = 6,6
        (2_500, "fr", f"2,5{S}k€"),  # 2 500 / 1 000 = 2,5, one decimal between 1 000 and 10 000
        (2_000, "fr", f"2{S}k€"),  # 2,0 trimmed
        (850, "fr", f"850{S}€"),
        (120_000, "en", "€120k"),
        (6_600_000, "en", "€6.6m"),
    ],
)
def test_format_amount_in_a_sentence(value, lang, expected):
    assert format_amount(value, lang, prose=True) == expected


def test_format_amount_signed():
    assert format_amount(450_000, sign=True, prose=True) == f"+450{S}k€"
    # the sign goes before the currency in English
    assert format_amount(-450_000, "en", sign=True, prose=True) == "-€450k"
    assert format_amount(-6_600_000, "en", "M") == "-€6.6M"
    assert format_amount(-6_600_000, "fr", "M") == f"-6,6{S}M€"
    assert format_amount(1_234.5, "fr", sign=True) == f"+1{S}234,50{S}€"


# ------------------------------------------------------------------ percents
@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (0.1234, "fr", 1, f"12,3{S}%"),  # 0.1234 × 100 = 12.34 -> 12,3; CLDR fr: no-break space before %
        (0.1234, "en", 1, "12.3%"),  # CLDR en: no space
        (-0.05, "fr", 0, f"-5{S}%"),
        (12.5, "fr", 0, f"1{S}250{S}%"),  # 12.5 × 100 = 1 250, grouped
        (0.0125, "en", 1, "1.2%"),  # 0.0125 × 100 = 1.25, a tie: half to even, as before Babel
        (-0.0001, "fr", 1, f"0,0{S}%"),  # rounds to zero: no sign
        (None, "en", 1, "–"),
    ],
)
def test_format_percent(value, lang, decimals, expected):
    assert format_percent(value, lang, decimals) == expected


# ------------------------------------------------------------------ days
@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (6, "fr", f"6{S}jours"),
        (1.5, "fr", f"1,5{S}jour"),  # French singular below 2
        (2, "fr", f"2{S}jours"),
        (1, "en", "1 day"),  # English singular at exactly 1
        (1.5, "en", "1.5 days"),
        (0.96, "en", "1 day"),  # 0.96 rounds to 1.0
    ],
)
def test_format_days_in_a_sentence(value, lang, expected):
    assert format_days(value, lang, prose=True) == expected


def test_format_days_in_a_table():
    assert format_days(45.24) == f"45,2{S}j"
    assert format_days(-45.26, "en") == f"-45.3{S}days"
    assert format_days(-2.5, "fr", sign=True, prose=True) == f"-2,5{S}jours"


# ------------------------------------------------------------------ dates (CLDR month names)
@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        ("2026-02-28", "fr", "février 2026"),
        ("2026-08-31", "fr", "août 2026"),
        ("2026-12-31", "fr", "décembre 2026"),
        ("2026-09-30", "en", "Sep 2026"),  # en_US abbreviation (en_GB would write "Sept")
        ("2026-06-30", "en", "Jun 2026"),
    ],
)
def test_format_month(day, lang, expected):
    assert formats.format_month(day, lang) == expected


def test_format_date():
    assert formats.format_date("2026-08-03") == "03/08/2026"
    assert formats.format_date(pd.Timestamp("2026-08-03"), "en") == "2026-08-03"
    assert formats.format_date("2026-02-01", long=True) == "1 février 2026"
    assert formats.format_date("2026-09-03", "en", long=True) == "3 September 2026"
    assert formats.format_date(None) == "–"


# ------------------------------------------------------------------ the command line
@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        (-1_234_567, "amount", "fr", "-1,2 M€"),  # auto: M€ from a million, 1 decimal
        (45_000, "amount", "fr", "45 k€"),  # k€ from ten thousand, no decimal
        (9_999.5, "amount", "en", "€9,999.50"),  # below ten thousand: units, 2 decimals
        (1_234_567, "amount", "en", "€1.2M"),
        (0.123, "percent", "fr", "12,3 %"),
        (0.123, "percent", "en", "12.3%"),
        (45.24, "days", "fr", "45,2 j"),
        (45.24, "days", "en", "45.2 days"),
        (12_000, "count", "fr", "12 000"),
        (float("nan"), "days", "fr", "–"),
    ],
)
def test_format_plain_has_no_no_break_spaces(value, kind, lang, expected):
    shown = format_plain(value, kind, lang)
    assert shown == expected
    assert S not in shown and "\u202f" not in shown


def test_a_magnitude_beyond_babels_precision_is_written_not_raised():
    # a damaged file can give 1e300 (finite): Babel's Decimal quantize fails; the plain writer takes over.
    # 1.5e20 with 0 decimals in French: "150 000 000 000 000 000 000" grouped by three with no-break spaces.
    from cashmission.report import formats

    text = formats._write(formats.Decimal("150000000000000000000"), "fr", "decimal", 0)
    assert text.replace("\xa0", " ") == "150 000 000 000 000 000 000"
    assert formats.format_number(1e300, 0, "fr").startswith("1\xa0000\xa0000")
