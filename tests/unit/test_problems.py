"""Load reports and problems: totals and messages that name file, row and column."""

from __future__ import annotations

import pandas as pd

from cashmission.problems import InputError, LoadReport, Problem, control_totals, fail


def test_control_totals_split_debits_and_credits():
    # debits 100 + 250.25 = 350.25; credits -40 - 0.25 = -40.25; total 310.00; NaN ignored
    assert control_totals(pd.Series([100.0, -40.0, 250.25, -0.25, None])) == (310.0, 350.25, -40.25)


def test_control_totals_of_nothing_are_zero():
    assert control_totals(pd.Series([], dtype=float)) == (0.0, 0.0, 0.0)


def test_problem_names_file_sheet_row_column():
    p = Problem(
        "warning", "bad_date", "'31/02/2024' is not a date", file="ar.xlsx", sheet="AR", row=12, column="Date échéance"
    )
    assert str(p) == "warning: ar.xlsx[AR], row 12, column 'Date échéance': '31/02/2024' is not a date [bad_date]"


def test_input_error_is_one_line():
    err = fail("empty_file", "the file is empty", file="x.csv")
    assert isinstance(err, InputError) and str(err) == "error: x.csv: the file is empty [empty_file]"


def test_report_counts_dropped_rows_and_warnings():
    r = LoadReport(file="x.csv", kind="open_items", rows_read=5, rows_kept=3)
    r.problems += [
        Problem("warning", "bad_amount", "m"),
        Problem("warning", "bad_amount", "m"),
        Problem("info", "typed_by_sign", "m"),
    ]
    r.set_totals(pd.Series([10.0, -5.0, 20.0, 1.0]), pd.Series([10.0, -5.0]))
    s = r.summary()
    assert s["rows_dropped"] == 2 and s["warnings"] == 2 and s["errors"] == 0
    assert (s["total_read"], s["debit_read"], s["credit_read"]) == (26.0, 31.0, -5.0)
    assert (s["total_kept"], s["debit_kept"], s["credit_kept"]) == (5.0, 10.0, -5.0)
    assert r.warning_counts() == {"bad_amount": 2}
    assert list(r.problems_frame()["code"]) == ["bad_amount", "bad_amount", "typed_by_sign"]
