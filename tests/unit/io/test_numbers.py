"""Numbers and dates that are not what they look like, through every reader: tiny hand-made files.

Policies (module notes of :mod:`cashmission.io.parsing`):

- Unicode digits (Arabic-Indic ``١٢٣``, full-width ``１２３``) are read as the digits they
  are, and each cell is a counted ``unicode_digits`` warning naming row and column;
- ``1e400`` (infinite) and ``(-5)`` (two signs) are bad amounts: warning, row not kept
  (an export), a one-line error (a FEC, whose amounts are all fatal);
- a date outside 1900-01-01..2199-12-31 is a bad date naming the range, never a crash.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cashmission.io import exports, fec, kpi_template
from cashmission.io.parsing import parse_amounts, parse_dates
from cashmission.problems import InputError

EXPORT_HEADER = "N° client;N° pièce;Date pièce;Date échéance;Montant TTC\n"


def _export(tmp_path: Path, *rows: str) -> Path:
    p = tmp_path / "bal.csv"
    p.write_text(EXPORT_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


# ---------------------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("١٢٣", 123.0),  # Arabic-Indic 1 2 3
        ("１２３", 123.0),  # full-width 1 2 3
        ("١٢٣,٥٠", 123.5),  # 123 and 50 hundredths, decimal comma
        ("１ ２３４，５", 1234.5),  # full-width digits and comma: 1 234,5
    ],
)
def test_unicode_digits_read_as_their_digits(cell, value):
    amounts, bad = parse_amounts(pd.Series([cell], dtype=object), ",")
    assert amounts.tolist() == [value] and bad.tolist() == [False]


@pytest.mark.parametrize("cell", ["1e400", "-1e400", "(-5)", "(+5)", "(5-)"])
def test_infinite_and_two_signs_are_bad(cell):
    amounts, bad = parse_amounts(pd.Series([cell, "7"], dtype=object), ",")
    assert bad.tolist() == [True, False]
    assert np.isnan(amounts.iloc[0]) and amounts.iloc[1] == 7.0  # never inf, never +5


def test_infinite_float_cells_are_bad():
    amounts, bad = parse_amounts(pd.Series([float("inf"), 2.0]))
    assert bad.tolist() == [True, False] and np.isnan(amounts.iloc[0])


@pytest.mark.parametrize(
    "cell", ["01/01/0001", "31/12/9999", "23230206", "1899-12-31", dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)]
)
def test_dates_outside_1900_2199_are_bad_not_a_crash(cell):
    dates, bad = parse_dates(pd.Series([cell, "31/12/2199"], dtype=object))
    assert bad.tolist() == [True, False]
    assert pd.isna(dates.iloc[0]) and dates.iloc[1] == pd.Timestamp("2199-12-31")  # the last day still in


# ---------------------------------------------------------------------------- exports
def test_export_reads_unicode_digits_with_a_counted_warning(tmp_path):
    path = _export(tmp_path, "C1;F1;31/01/2024;01/03/2024;١٢٣", "C1;F2;31/01/2024;01/03/2024;１２３,５")
    items, report = exports.load_open_items(path)
    assert items["amount"].tolist() == [123.0, 123.5]
    found = [(p.row, p.column) for p in report.warnings if p.code == "unicode_digits"]
    assert found == [(2, "Montant TTC"), (3, "Montant TTC")]  # data on lines 2 and 3
    assert report.total_kept == 246.5  # 123 + 123.5


@pytest.mark.parametrize(("cell", "why"), [("1e400", "infinite"), ("(-5)", "ambiguous sign")])
def test_export_drops_an_infinite_or_two_signed_amount(tmp_path, cell, why):
    path = _export(tmp_path, "C1;F1;31/01/2024;01/03/2024;10", f"C1;F2;31/01/2024;01/03/2024;{cell}")
    items, report = exports.load_open_items(path)
    assert items["document_id"].tolist() == ["F1"] and report.rows_dropped == 1
    (bad,) = [p for p in report.warnings if p.code == "bad_amount"]
    assert (bad.row, bad.column) == (3, "Montant TTC") and why in bad.message and "row dropped" in bad.message
    assert np.isfinite(report.total_read) and report.total_read == 10.0  # the bad row has no amount read


@pytest.mark.parametrize("cell", ["01/01/0001", "31/12/9999"])
def test_export_date_out_of_range_is_a_counted_warning(tmp_path, cell):
    path = _export(tmp_path, f"C1;F1;{cell};01/03/2024;10", "C1;F2;31/01/2024;01/03/2024;20")
    items, report = exports.load_open_items(path)
    assert items["document_id"].tolist() == ["F2"]  # document date required: row 2 dropped
    (bad,) = [p for p in report.warnings if p.code == "bad_date"]
    assert (bad.row, bad.column) == (2, "Date pièce") and "1900-01-01..2199-12-31" in bad.message


def test_a_huge_header_cell_is_quoted_cut_to_60_characters(tmp_path):
    long = "Montant " + "x" * 200_000  # a 200 kB header, not in any preset
    p = tmp_path / "bal.csv"
    p.write_text(f"N° client;N° pièce;Date pièce;{long}\nC1;F1;31/01/2024;10\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        exports.load_open_items(p, terms_days=30)
    assert err.value.problem.code == "missing_column" and len(str(err.value)) < 1000
    assert "Montant " + "x" * 51 + "…" in str(err.value)  # 8 + 51 characters and the ellipsis: 60


def test_a_long_mapping_value_is_quoted_short():
    _, _, problems = exports.map_columns(["N° client"], "open_items", {"customer_id": "z" * 500})
    (p,) = problems
    assert p.code == "mapping_not_found" and "'" + "z" * 59 + "…'" in p.message and "z" * 60 not in p.message


# ---------------------------------------------------------------------------- FEC
HEADER = "|".join(fec.FEC_COLUMNS)


def _fec(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "x.txt"
    p.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return p


def _line(debit: str, credit: str, date: str = "20240110") -> str:
    return f"VE|Ventes|1|{date}|411000|Compte|||P1|20240110|x|{debit}|{credit}|||20240110||"


def test_fec_unicode_digits_read_with_a_counted_warning(tmp_path):
    lines, report = fec.read_fec(_fec(tmp_path, _line("١٢٣,٤٥", "0"), _line("0", "１２３,４５")))
    assert lines["Debit"].tolist() == [123.45, 0.0] and lines["Credit"].tolist() == [0.0, 123.45]
    found = {(p.column, p.row) for p in report.warnings if p.code == "unicode_digits"}
    assert found == {("Debit", 2), ("Credit", 3)}  # one finding per column, first line named


@pytest.mark.parametrize(("cell", "why"), [("1e400", "infinite"), ("(-5)", "ambiguous sign")])
def test_fec_infinite_or_two_signed_amount_is_one_clear_error(tmp_path, cell, why):
    with pytest.raises(InputError) as err:
        fec.read_fec(_fec(tmp_path, _line("10", "0"), _line("0", cell)))
    p = err.value.problem
    assert (p.code, p.row, p.column) == ("bad_amount", 3, "Credit") and why in p.message
    assert "\n" not in str(err.value)


def test_fec_date_23230206_is_a_bad_date_naming_line_and_column(tmp_path):
    lines, report = fec.read_fec(_fec(tmp_path, _line("10", "0", "23230206"), _line("0", "10")))
    (bad,) = [p for p in report.problems if p.code == "bad_date"]
    assert (bad.level, bad.row, bad.column) == ("error", 2, "EcritureDate")
    assert "23230206" in bad.message and "1900-01-01..2199-12-31" in bad.message
    assert pd.isna(lines["EcritureDate"].iloc[0]) and lines["EcritureDate"].iloc[1] == pd.Timestamp("2024-01-10")


# ---------------------------------------------------------------------------- KPI template
def _template(tmp_path: Path, **changes: object) -> Path:
    figures = pd.DataFrame(
        {
            "period_end": [pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-28")],
            "period_days": [31, 28],
            "revenue": [1000.0, 2000.0],
            "receivables": [500.0, 600.0],
        }
    )
    path = kpi_template.write_kpi_template(tmp_path / "t.xlsx", figures)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[kpi_template.TEMPLATE_SHEET]
    for cell, value in changes.items():
        ws[cell] = value
    wb.save(path)
    return path


@pytest.mark.parametrize("days", [0, -5, 0.4, "1e400"])
def test_kpi_template_month_without_days_takes_the_calendar_month(tmp_path, days):
    figures, report = kpi_template.read_kpi_template(_template(tmp_path, C4=days))  # row 4: February 2025
    assert figures["period_days"].tolist() == [31, 28]  # February 2025 has 28 days
    (w,) = [p for p in report.warnings if p.code == "missing_period_days"]
    assert (w.row, w.column) == (4, "period_days") and "Chiffres!C4" in w.message


def test_kpi_template_period_end_in_year_9999_is_left_out_with_a_warning(tmp_path):
    figures, report = kpi_template.read_kpi_template(_template(tmp_path, B3="31/12/9999"))
    assert figures["period_end"].tolist() == [pd.Timestamp("2025-02-28")]
    (w,) = [p for p in report.warnings if p.code == "bad_period_end"]
    assert w.row == 3 and "1900-01-01..2199-12-31" in w.message


def test_kpi_template_unicode_digits_read_with_a_warning(tmp_path):
    figures, report = kpi_template.read_kpi_template(_template(tmp_path, D3="١٢٣٤"))
    assert figures["revenue"].tolist() == [1234.0, 2000.0]
    (w,) = [p for p in report.warnings if p.code == "unicode_digits"]
    assert (w.row, w.column) == (3, "revenue")
