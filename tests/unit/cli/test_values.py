"""Command-line values: each bad value is one line naming the option, exit status 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.cli.values import parse_date
from cashmission.problems import excerpt

ITEMS = (
    "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC\n"
    "FR10;C1;Alpha SA;F1;Facture;01/01/2026;31/01/2026;100,00\n"
)


@pytest.fixture
def items(tmp_path):
    p = tmp_path / "items.csv"
    p.write_text(ITEMS, encoding="utf-8")
    return p


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    return result.output


@pytest.mark.parametrize(
    ("buckets", "says"),
    [
        ("30,60", "must start at 0"),
        ("0", "at least two"),
        ("5", "at least two"),
        ("a,b", "whole days separated by commas"),
        ("0,60,30", "strictly increasing"),
    ],
)
def test_bad_buckets_are_one_line(items, buckets, says):
    r = CliRunner().invoke(main, ["aging", str(items), "--as-of", "2026-03-31", "--buckets", buckets])
    out = _one_line_error(r)
    assert out.startswith("Error: --buckets: bucket edges ") and says in out and repr(buckets) in out


@pytest.mark.parametrize("as_of", ["", "-1", "2025-02-31", "now", "today", "2026-13-01", "31/02/2026", "2026-3-31"])
def test_bad_as_of_dates_are_one_line(items, as_of):
    r = CliRunner().invoke(main, ["aging", str(items), "--as-of", as_of])
    out = _one_line_error(r)
    assert out == f"Error: --as-of {as_of!r} is not a date: give it as yyyy-mm-dd or dd/mm/yyyy, e.g. 2026-03-31\n"


@pytest.mark.parametrize("as_of", ["now", "today"])
def test_kpi_refuses_a_clock_date_too(as_of):
    r = CliRunner().invoke(main, ["kpi", "whatever.xlsx", "--as-of", as_of])
    assert "is not a date" in _one_line_error(r)


@pytest.mark.parametrize("terms", ["999999", "366", "-5", "30.5", "abc"])
def test_terms_outside_0_to_365_days_are_one_line(items, terms):
    r = CliRunner().invoke(main, ["aging", str(items), "--as-of", "2026-03-31", "--terms", terms])
    out = _one_line_error(r)
    assert out == f"Error: --terms {terms!r} is not a payment term: give whole days from 0 to 365, e.g. 30\n"


@pytest.mark.parametrize("terms", ["0", "365"])
def test_terms_at_the_bounds_are_accepted(items, terms):
    r = CliRunner().invoke(main, ["aging", str(items), "--as-of", "2026-03-31", "--terms", terms, "--format", "csv"])
    assert r.exit_code == 0, r.output


def test_a_long_bad_value_is_quoted_in_at_most_60_characters(items):
    long = "2026-" + "9" * 200
    out = _one_line_error(CliRunner().invoke(main, ["aging", str(items), "--as-of", long]))
    quoted_part = out.split("--as-of ", 1)[1].split(" is not a date")[0]
    assert len(quoted_part) == 62  # 59 characters + "…" between two quotes
    assert "9" * 60 not in out
    buckets = "0," + "1," * 100
    out = _one_line_error(
        CliRunner().invoke(main, ["aging", str(items), "--as-of", "2026-03-31", "--buckets", buckets])
    )
    assert buckets[:61] not in out and buckets[:60] in out


def test_a_french_date_ages_as_the_iso_date(items):
    # F1 due 31/01/2026: at 31/03/2026 it is 59 days late, in 31-60, either way the date is written
    iso = CliRunner().invoke(main, ["aging", str(items), "--as-of", "2026-03-31", "--by", "none", "--format", "csv"])
    fr = CliRunner().invoke(main, ["aging", str(items), "--as-of", "31/03/2026", "--by", "none", "--format", "csv"])
    assert iso.exit_code == 0 and fr.exit_code == 0, fr.output
    assert fr.stdout == iso.stdout and "d31_60" in iso.stdout
    header, row = iso.stdout.strip().splitlines()
    assert float(dict(zip(header.split(","), row.split(","), strict=True))["d31_60"]) == 100.0


def test_parse_date_takes_iso_and_french_dates_only():
    assert parse_date(" 2024-02-29 ") == parse_date("29/02/2024")
    for bad in ("2023-02-29", "20240229", "2024/02/29", "29-02-2024", "yesterday"):
        with pytest.raises(Exception, match="is not a date"):
            parse_date(bad)


def test_excerpt_keeps_short_values_whole():
    assert excerpt("30,60") == "'30,60'"
    assert excerpt("x" * 60) == repr("x" * 60)  # exactly 60: not cut
