"""report.excel.write_workbook: client text written as text (never a formula), numbers as numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from cashmission.report.excel import write_workbook


def test_client_text_is_never_a_formula_and_amounts_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "customer_name": ['=HYPERLINK("http://evil.example","Pay")', "-Gamma", "Alpha"],
            "total": [-400.0, 5.0, 1.25],
        }
    )
    path = write_workbook({"Aged": frame}, tmp_path / "out.xlsx", lang="en")
    ws = openpyxl.load_workbook(path)["Aged"]
    assert [c.data_type for c in ws["A"][1:4]] == ["s", "s", "s"]
    assert [c.value for c in ws["A"][1:4]] == ['\'=HYPERLINK("http://evil.example","Pay")', "'-Gamma", "Alpha"]
    assert [(c.value, c.data_type) for c in ws["B"][1:4]] == [(-400, "n"), (5, "n"), (1.25, "n")]
    assert ws["B2"].number_format == "#,##0.00"


def test_a_hostile_column_name_is_text_too(tmp_path):
    frame = pd.DataFrame({"=1+1": ["a"]})
    ws = openpyxl.load_workbook(write_workbook({"S": frame}, tmp_path / "h.xlsx"))["S"]
    assert (ws["A1"].value, ws["A1"].data_type) == ("'=1+1", "s")


def _aged() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_name": ["Alpha SA", "Bêta SARL au capital de 20 000 €", "Gamma"],
            "total": [1234.567, -200.0, 10.004],
            "overdue_rate": [0.5, 0.0, 1.0],
            "n_items": [3, 1, 2],
            "due_date": pd.to_datetime(["2026-01-31", "2026-02-28", None]),
        }
    )


def test_each_sheet_is_an_excel_table_with_a_totals_row_outside_the_data(tmp_path):
    path = write_workbook({"Balance": _aged()}, tmp_path / "t.xlsx", lang="fr")
    ws = openpyxl.load_workbook(path)["Balance"]
    (table,) = ws.tables.values()
    # 1 header + 3 rows + 1 totals row: A1:E5, the totals row flagged so Excel sorts A2:E4 only
    assert table.ref == "A1:E5"
    assert table.totalsRowCount == 1
    assert table.autoFilter.ref == "A1:E4"
    # headers are the French labels
    assert (ws["A1"].value, ws["B1"].value, ws["E1"].value) == ("Client", "Solde total", "Échéance")
    # amounts rounded to the cent: 1234.567 -> 1234.57, 10.004 -> 10.00
    assert [ws["B2"].value, ws["B3"].value, ws["B4"].value] == [1234.57, -200, 10]
    # the totals row: "Total" in the first text column, SUBTOTAL(109) over the amounts
    assert ws["A5"].value == "Total"
    assert ws["B5"].value == "=SUBTOTAL(109,[Solde total])"
    # and its value, for readers that do not recalculate: 1234.57 - 200.00 + 10.00 = 1044.57
    cached = openpyxl.load_workbook(path, data_only=True)["Balance"]
    assert cached["B5"].value == pytest.approx(1044.57)
    assert ws["C5"].value is None  # rates are not summed
    assert ws["B2"].number_format == "#,##0.00"
    assert ws["C2"].number_format == "0.0%"
    assert ws["D2"].number_format == "0"
    assert ws["E2"].number_format == "DD/MM/YYYY"
    assert ws["E4"].value is None  # NaT is a blank cell


def test_frozen_header_print_setup_and_widths(tmp_path):
    ws = openpyxl.load_workbook(write_workbook({"Balance": _aged()}, tmp_path / "p.xlsx"))["Balance"]
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    # the longest name has 31 characters: its column is 31 + 1 wide (within 8..60)
    assert ws.column_dimensions["A"].width == pytest.approx(len("Bêta SARL au capital de 20 000 €") + 1, abs=1)


def test_source_sheet_lists_files_and_parameters(tmp_path):
    source = {"fichier": "open_items.csv", "lignes lues": 3, "total contrôle": "1 044,57"}
    wb = openpyxl.load_workbook(write_workbook({"Balance": _aged()}, tmp_path / "s.xlsx", source=source))
    assert wb.sheetnames == ["Balance", "Source"]
    ws = wb["Source"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["élément", "valeur"],
        ["fichier", "open_items.csv"],
        ["lignes lues", "3"],
        ["total contrôle", "1 044,57"],
    ]


def test_sheet_names_are_cut_and_unique_and_empty_tables_still_open(tmp_path):
    long = "A" * 40
    sheets = {long: _aged(), long.lower(): _aged().iloc[0:0], "x/y": pd.DataFrame({"a": [1.0]})}
    wb = openpyxl.load_workbook(write_workbook(sheets, tmp_path / "u.xlsx"))
    assert wb.sheetnames == ["A" * 31, "a" * 27 + " (2)", "x-y"]  # Excel's names ignore case
    assert wb["a" * 27 + " (2)"]["A1"].value == "Client"


def test_a_table_with_its_own_total_row_gets_it_as_the_excel_totals_row(tmp_path):
    frame = pd.DataFrame(
        {"customer_id": ["C1", "C2", "TOTAL"], "total": [100.0, 50.0, 150.0], "overdue_rate": [0.5, 0.2, 0.4]}
    )
    path = write_workbook({"Aged": frame}, tmp_path / "own.xlsx", lang="en")
    ws = openpyxl.load_workbook(path)["Aged"]
    (table,) = ws.tables.values()
    assert table.ref == "A1:C4" and table.totalsRowCount == 1  # 2 rows + the TOTAL row, not summed twice
    assert ws["A4"].value == "TOTAL"
    assert ws["B4"].value == "=SUBTOTAL(109,[Total balance])"
    # the rate over the whole (0.4, weighted by the package) is kept, not a sum of rates
    assert ws["C4"].value == pytest.approx(0.4)
    assert openpyxl.load_workbook(path, data_only=True)["Aged"]["B4"].value == pytest.approx(150.0)  # 100 + 50
