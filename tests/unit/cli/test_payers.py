"""`cashmission payers`: payer behaviour from an export with settlement dates or from a FEC (issue 10, item 12)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from tests.conftest import ROOT
from tests.unit.ledger.test_payers import EXPORT, MAPPING

FEC = ROOT / "tests" / "data" / "fec" / "montant_sens_crcrlf_999999999FEC20241231.txt"


@pytest.fixture
def files(tmp_path):
    # the hand-made export of test_payers, one customer id turned into a formula
    export = tmp_path / "ar.csv"
    export.write_text(EXPORT.replace(",C,", ",=1+2,"), encoding="utf-8")
    mapping = tmp_path / "map.yml"
    mapping.write_text("".join(f"{k}: {v}\n" for k, v in MAPPING.items()), encoding="utf-8")
    return export, mapping


def run(*args):
    return CliRunner().invoke(main, ["payers", *map(str, args)])


def test_csv_gives_the_hand_computed_figures_and_neutralises_client_text(files):
    export, mapping = files
    r = run(export, "--as-of", "2024-06-30", "--mapping", mapping, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {row["customer_id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert list(rows) == ["B", "'=1+2", "A"]  # worst first; the formula is text
    # B: one invoice paid 5 days early, three open and overdue 120, 91 and 60 days:
    # (-5 + 120 + 91 + 60) / 4 = 66.5 days late overall, 3 / 4 late
    assert rows["B"]["avg_days_late"] == "-5.0" and rows["B"]["overall_days_late"] == "66.5"
    assert rows["B"]["overall_late_share"] == "0.75" and rows["B"]["open_overdue_amount"] == "200.0"
    # A: (100 × 30 + 300 × 40 + 600 × 50) / 1,000 = 45 days to pay, weighted
    assert rows["A"]["weighted_days_to_pay"] == "45.0" and rows["A"]["trend_3m_vs_12m"] == "5.0"
    assert "Clients : 3 ; factures réglées au 2024-06-30 : 5 ; pièces ouvertes et échues à cette date : 3" in r.stderr


def test_table_is_in_french_and_json_and_xlsx_are_written(files, tmp_path):
    export, mapping = files
    r = run(export, "--as-of", "2024-06-30", "--mapping", mapping)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Comportement payeur au 2024-06-30")
    assert "Retard global (réglé + échu non réglé)" in r.stdout and "66,5 j" in r.stdout
    j = run(export, "--as-of", "2024-06-30", "--mapping", mapping, "--format", "json")
    assert json.loads(j.stdout)[0]["overall_days_late"] == 66.5
    out = tmp_path / "payers.xlsx"
    x = run(export, "--as-of", "2024-06-30", "--mapping", mapping, "--format", "xlsx", "-o", out)
    assert x.exit_code == 0 and out.exists()
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws["A1"].value == "N° client" and ws["A3"].value == "'=1+2"


def test_a_fec_uses_its_lettering(tmp_path):
    # the hand-written FEC of tests/unit/io/test_fec.py, 30-day terms, at 2024-03-31.
    # C001: three lettered invoices, 6, 3 and 4 days late (1,200, 1,200, 2,400):
    # (1,200 × 6 + 1,200 × 3 + 2,400 × 4) / 4,800 = 20,400 / 4,800 = 4.25.
    # C002: F2312-09 (600) and F2401-02 (1,800 partly paid 1,000) open and overdue:
    # 600 + 800 = 1,400 overdue, as `cashmission aging` says.
    r = run(FEC, "--as-of", "2024-03-31", "--terms", "30", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {row["customer_id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["C001"]["weighted_days_late"] == "4.25" and rows["C001"]["invoices_paid"] == "3"
    assert rows["C002"]["open_overdue_amount"] == "1400.0" and rows["C002"]["invoices_paid"] == "0"
    assert "factures réglées = lettrées" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-03-31"], "a FEC has no due dates: give --terms N"),
        (["--as-of", "today", "--terms", "30"], "--as-of 'today' is not a date"),
    ],
)
def test_fec_errors_are_one_line(args, message):
    r = run(FEC, *args)
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output


def test_an_export_without_settlement_dates_or_with_a_bad_mapping_is_one_line(files, tmp_path):
    export, _ = files
    # a mapped header missing from the file is a counted warning (the presets still find SettledDate)
    r = run(export, "--as-of", "2024-06-30", "--mapping", _mapping(tmp_path, "cleared_date: Nowhere\n"))
    assert r.exit_code == 0 and "1 avertissement(s)" in r.stderr and "Traceback" not in r.output
    bad = _mapping(tmp_path, "- customerID\n- invoiceNumber\n")
    r = run(export, "--as-of", "2024-06-30", "--mapping", bad)
    assert r.exit_code == 1 and "canonical: header" in r.output
    no_dates = tmp_path / "open.csv"
    no_dates.write_text(
        "customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount\nA,A1,2024-01-01,2024-01-31,100.00\n",
        encoding="utf-8",
    )
    r = run(no_dates, "--as-of", "2024-06-30", "--mapping", _mapping(tmp_path, _without("dispute", "cleared_date")))
    assert r.exit_code == 1 and "has no settlement dates" in r.output


def _mapping(folder, text):
    path = folder / "m.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _without(*keys):
    return "".join(f"{k}: {v}\n" for k, v in MAPPING.items() if k not in keys)


def _us(text: str) -> str:
    """The export with its ISO dates written the US way, month first without zeros (2024-01-31 -> 1/31/2024)."""
    import re

    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"{int(m[2])}/{int(m[3])}/{m[1]}", text)


def test_us_dates_and_the_public_data_sets_headers_need_no_option(tmp_path):
    # The public late-payment data set's shape: camelCase headers (recognised by the English
    # preset, no --mapping) and US dates such as 1/31/2024 (a second field above 12: month first).
    # Same items as the ISO file, so the same hand-computed figures: B (-5 + 120 + 91 + 60) / 4
    # = 66.5 days late overall; A (100 × 30 + 300 × 40 + 600 × 50) / 1,000 = 45 days to pay.
    export = tmp_path / "ar_us.csv"
    export.write_text(_us(EXPORT), encoding="utf-8")
    assert "1/31/2024" in export.read_text()
    r = run(export, "--as-of", "2024-06-30", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {row["customer_id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["B"]["overall_days_late"] == "66.5" and rows["A"]["weighted_days_to_pay"] == "45.0"
    # forced day first, the US dates are bad dates: counted, never silently read
    forced = run(export, "--as-of", "2024-06-30", "--dayfirst", "--format", "csv")
    assert forced.exit_code == 0 and "avertissement(s) dans ar_us.csv : lancez `cashmission check" in forced.stderr
