"""Unit tests for cashmission.io.parsing: amounts, dates, decimal guess, header keys.

Expected values are worked out by hand (comments give the reasoning).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from cashmission.io.parsing import clean_text, infer_decimal, normalise_header, parse_amounts, parse_dates

NAN = float("nan")


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1 234,56", ",", 1234.56),  # space thousands, decimal comma
        ("1\u00a0234,56", ",", 1234.56),  # non-breaking space
        ("1\u202f234,56", ",", 1234.56),  # narrow no-break space
        ("1.234,56", ",", 1234.56),  # dot thousands
        ("1.234.567,89", ",", 1234567.89),
        ("1,234.56", ".", 1234.56),  # US
        ("1,234,567.89", ".", 1234567.89),
        ("1'234.56", ".", 1234.56),  # Swiss apostrophe
        ("(1 234,56)", ",", -1234.56),  # parentheses
        ("1 234,56-", ",", -1234.56),  # trailing minus (SAP, Sage)
        ("12,00 -", ",", -12.0),
        ("- 12,00", ",", -12.0),
        ("+12,5", ",", 12.5),
        ("1 234,56 €", ",", 1234.56),
        ("€12,00", ",", 12.0),
        ("€ -12,00", ",", -12.0),
        ("EUR 1 000", ",", 1000.0),
        ("USD 10.5", ".", 10.5),
        ("(1 234,56 €)", ",", -1234.56),
        ("  7 ", ",", 7.0),
        ("-0,5", ",", -0.5),
        (",5", ",", 0.5),
        ("1e3", ".", 1000.0),
        ("1.000", ",", 1000.0),  # with a decimal comma, a dot groups thousands
        ("1,000", ".", 1000.0),
    ],
)
def test_parse_amounts_values(text: str, decimal: str, expected: float) -> None:
    values, bad = parse_amounts(pd.Series([text]), decimal)  # type: ignore[arg-type]
    assert values.iloc[0] == pytest.approx(expected)
    assert not bad.iloc[0]


@pytest.mark.parametrize("text", ["abc", "12,3,4", "-(12)", "-12-", "1 2 3 x", "€"])
def test_parse_amounts_bad(text: str) -> None:
    values, bad = parse_amounts(pd.Series([text]), ",")
    assert math.isnan(values.iloc[0])
    assert bad.iloc[0]


@pytest.mark.parametrize("empty", ["", "   ", None, NAN])
def test_parse_amounts_empty_is_not_bad(empty: object) -> None:
    values, bad = parse_amounts(pd.Series([empty, "1,5"], dtype=object), ",")
    assert math.isnan(values.iloc[0]) and values.iloc[1] == 1.5
    assert bad.tolist() == [False, False]


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (pd.Series([1, 2.5, None]), [1.0, 2.5, NAN]),  # numeric dtype passes through
        (pd.Series([1.5, "1,5", None], dtype=object), [1.5, 1.5, NAN]),  # Excel mix of numbers and text
        (pd.Series([], dtype=object), []),
    ],
)
def test_parse_amounts_series(series: pd.Series, expected: list) -> None:
    values, bad = parse_amounts(series, ",")
    assert values.tolist() == pytest.approx(expected, nan_ok=True)
    assert not bad.any()
    assert values.index.equals(series.index)


def test_parse_amounts_infers_decimal_per_call() -> None:
    # "1.234,5" and "12,5" vote for a comma: 1234.5 and 12.5
    values, _ = parse_amounts(pd.Series(["1.234,5", "12,5"]))
    assert values.tolist() == [1234.5, 12.5]
    values, _ = parse_amounts(pd.Series(["1,234.5", "12.5"]))
    assert values.tolist() == [1234.5, 12.5]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1 234,56", "12,5"], ","),
        (["1,234.56", "3.25"], "."),
        (["1.234,56"], ","),  # dot group before a comma
        (["1,234.56"], "."),
        (["12,5-", "(3,25)"], ","),  # signs after the decimals still count
        (["100", "200"], ","),  # no evidence: French default
        (["1,5", "2.25"], ","),  # a tie: French default
        ([], ","),
    ],
)
def test_infer_decimal(values: list, expected: str) -> None:
    assert infer_decimal(pd.Series(values, dtype=object)) == expected


T = pd.Timestamp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/12/2024", T("2024-12-31")),
        ("1/2/2024", T("2024-02-01")),  # day first
        ("31/01/24", T("2024-01-31")),
        ("2024-01-31", T("2024-01-31")),
        ("2024-01-31T10:30:00", T("2024-01-31")),  # time dropped (midnight)
        ("2024-01-31 10:30:00", T("2024-01-31")),
        ("31/01/2024 10:20", T("2024-01-31")),
        ("31-01-2024", T("2024-01-31")),
        ("31.01.2024", T("2024-01-31")),
        ("2024/01/31", T("2024-01-31")),
        ("20240131", T("2024-01-31")),  # FEC
        ("29/02/2024", T("2024-02-29")),  # leap year
        # Excel serials: 1899-12-30 + n days; 45292 = 2024-01-01, so 45322 = 2024-01-31
        ("45322", T("2024-01-31")),
        ("45322.0", T("2024-01-31")),
        ("45322.5", T("2024-01-31")),  # noon: the fraction is the time of day
        (45322, T("2024-01-31")),
        (45322.75, T("2024-01-31")),
        ("18264", T("1950-01-01")),  # lower bound of plausible serials
        ("73415", T("2100-12-31")),  # upper bound
        (dt.date(2024, 1, 31), T("2024-01-31")),
        (dt.datetime(2024, 1, 31, 13, 5), T("2024-01-31")),
        (T("2024-01-31 23:59"), T("2024-01-31")),
    ],
)
def test_parse_dates_values(value: object, expected: pd.Timestamp) -> None:
    dates, bad = parse_dates(pd.Series([value], dtype=object))
    assert dates.iloc[0] == expected
    assert not bad.iloc[0]
    assert dates.dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    "value", ["31/02/2024", "29/02/2023", "32/01/2024", "2024-13-45", "20241301", "18263", "73416", "demain", "12/2024"]
)
def test_parse_dates_bad(value: str) -> None:
    dates, bad = parse_dates(pd.Series([value]))
    assert pd.isna(dates.iloc[0])
    assert bad.iloc[0]


@pytest.mark.parametrize("empty", ["", "  ", None, "nan", "NaT", "None"])
def test_parse_dates_empty_is_not_bad(empty: object) -> None:
    dates, bad = parse_dates(pd.Series([empty, "01/01/2024"], dtype=object))
    assert pd.isna(dates.iloc[0]) and dates.iloc[1] == T("2024-01-01")
    assert bad.tolist() == [False, False]


@pytest.mark.parametrize(
    ("value", "dayfirst", "expected"),
    [("02/01/2024", True, T("2024-01-02")), ("02/01/2024", False, T("2024-02-01"))],
)
def test_parse_dates_dayfirst(value: str, dayfirst: bool, expected: pd.Timestamp) -> None:
    dates, _ = parse_dates(pd.Series([value]), dayfirst=dayfirst)
    assert dates.iloc[0] == expected


def test_parse_dates_datetime_series_normalised() -> None:
    s = pd.Series(pd.to_datetime(["2024-01-31 10:00", "2024-02-01 23:00"]).tz_localize("Europe/Paris"))
    dates, bad = parse_dates(s)
    # time zone dropped (wall time kept), then midnight
    assert dates.tolist() == [T("2024-01-31"), T("2024-02-01")]
    assert not bad.any()


def test_parse_dates_empty_series() -> None:
    dates, bad = parse_dates(pd.Series([], dtype=object))
    assert len(dates) == 0 and len(bad) == 0


def test_parsers_do_not_mutate() -> None:
    s = pd.Series(["1 234,56", "31/01/2024"], dtype=object)
    before = s.copy()
    parse_amounts(s)
    parse_dates(s)
    pd.testing.assert_series_equal(s, before)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("N° client", "n client"),
        ("  Date  d'échéance ", "date d'echeance"),
        ("ÉCHÉANCE", "echeance"),
        ("N°_Pièce.  Comptable", "n piece comptable"),
        ("customer_id", "customer id"),  # canonical names match their English header
        ("Customer ID", "customer id"),
        ("Nº facture", "n facture"),  # masculine ordinal sign
        (12, "12"),
    ],
)
def test_normalise_header(name: object, expected: str) -> None:
    assert normalise_header(name) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["  a ", "\u00a0b\u00a0", "", "   "], ["a", "b", None, None]),
        ([None, "x"], [None, "x"]),
    ],
)
def test_clean_text(values: list, expected: list) -> None:
    got = clean_text(pd.Series(values, dtype=object))
    assert [None if pd.isna(v) else v for v in got] == expected
