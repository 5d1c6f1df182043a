"""report.excel.write_workbook: client text written as text (never a formula), numbers as numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd

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
    assert [c.data_type for c in ws["A"][1:]] == ["s", "s", "s"]
    assert [c.value for c in ws["A"][1:]] == ['\'=HYPERLINK("http://evil.example","Pay")', "'-Gamma", "Alpha"]
    assert [(c.value, c.data_type) for c in ws["B"][1:]] == [(-400, "n"), (5, "n"), (1.25, "n")]
    assert ws["B2"].number_format == "#,##0.00"


def test_a_hostile_column_name_is_text_too(tmp_path):
    frame = pd.DataFrame({"=1+1": ["a"]})
    ws = openpyxl.load_workbook(write_workbook({"S": frame}, tmp_path / "h.xlsx"))["S"]
    assert (ws["A1"].value, ws["A1"].data_type) == ("'=1+1", "s")
