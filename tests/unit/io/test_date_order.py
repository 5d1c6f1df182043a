"""Issue 10 item 1: a date column is read in one order, detected from its values or forced.

Each file is written by hand below; lines are 1-based with the header on line 1.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cashmission.io import exports
from cashmission.io.parsing import date_order_evidence, detect_date_order, parse_dates
from cashmission.ledger.ageing import aged_balance
from cashmission.problems import InputError

T = pd.Timestamp
HEADER = "N° client;N° pièce;Date pièce;Date échéance;Montant TTC\n"


def _export(tmp_path: Path, rows: str, name: str = "items.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


# The case: US dates; 1/26/2024 has a day (26) in second place.
US = "C1;F1;1/26/2024;2/25/2024;1000,00\nC1;F2;3/5/2024;4/4/2024;100,00\n"


def test_us_dates_are_read_month_first_and_nothing_is_dropped(tmp_path):
    items, report = exports.load_open_items(_export(tmp_path, US))
    # month first: F1 26 January (due 25 February), F2 5 March (due 4 April)
    assert items["document_date"].tolist() == [T("2024-01-26"), T("2024-03-05")]
    assert items["due_date"].tolist() == [T("2024-02-25"), T("2024-04-04")]
    assert (report.rows_read, report.rows_kept, report.warnings) == (2, 2, [])
    assert report.extra["date_order"] == "month first (mm/dd/yyyy)"
    notes = [p for p in report.problems if p.code == "date_order"]
    assert [p.column for p in notes] == ["Date pièce", "Date échéance"]
    assert "a second field above 12 on 1 row (e.g. row 2: '1/26/2024')" in notes[0].message


def test_us_dates_age_the_thousand_not_the_hundred(tmp_path):
    items, _ = exports.load_open_items(_export(tmp_path, US))
    row = aged_balance(items, "2024-03-31", by=None).iloc[0]
    # at 31/03/2024: F1 due 25/02 is 5 (Feb 26-29: 4) + 31 = 35 days late -> 31-60: 1,000.00;
    # F2 due 04/04 is not due yet: 100.00.  Misread day first, F1 was dropped and F2 (3 May) aged 100.
    assert row["d31_60"] == 1000.0 and row["not_due"] == 100.0 and row["total"] == 1100.0


def test_day_first_dates_are_detected_without_a_note(tmp_path):
    items, report = exports.load_open_items(_export(tmp_path, "C1;F1;26/01/2024;25/02/2024;10,00\n"))
    assert items["document_date"].tolist() == [T("2024-01-26")]
    assert report.extra["date_order"] == "day first (dd/mm/yyyy)"
    assert not [p for p in report.problems if p.code == "date_order"]  # the usual French case


def test_both_orders_in_one_column_is_an_error_naming_the_rows(tmp_path):
    # line 2: 26/01 only reads day first; line 3: 1/26 only month first
    p = _export(tmp_path, "C1;F1;26/01/2024;26/02/2024;10,00\nC1;F2;1/26/2024;2/26/2024;20,00\n")
    with pytest.raises(InputError) as err:
        exports.load_open_items(p)
    problem = err.value.problem
    assert (problem.code, problem.row, problem.column) == ("mixed_date_order", 2, "Date pièce")
    assert "day first on rows 2 ('26/01/2024'), month first on rows 3 ('1/26/2024')" in problem.message
    report = exports.check_file(p)  # check shows it as one error
    assert [q.code for q in report.errors] == ["mixed_date_order"]


def test_forcing_an_order_reads_the_rest_as_counted_bad_dates(tmp_path):
    p = _export(tmp_path, "C1;F1;26/01/2024;26/02/2024;10,00\nC1;F2;1/26/2024;2/26/2024;20,00\n")
    items, report = exports.load_open_items(p, date_order="dayfirst")
    # day first: line 3's 1/26/2024 (month 26) is a bad document date -> row dropped, with a warning
    assert items["document_id"].tolist() == ["F1"]
    assert (report.rows_read, report.rows_kept) == (2, 1)
    # (its due date 2/26 is bad too, but the row is already dropped: one warning, not two)
    assert [(q.code, q.row, q.column) for q in report.warnings] == [("bad_date", 3, "Date pièce")]
    assert report.total_read == 30.0 and report.total_kept == 10.0  # 10 + 20 read, 20 dropped


def test_ambiguous_dates_follow_the_default_and_the_report_says_so(tmp_path):
    p = _export(tmp_path, "C1;F1;03/05/2024;04/06/2024;10,00\n")
    items, report = exports.load_open_items(p)
    assert items["document_date"].tolist() == [T("2024-05-03")]  # day first, French default
    note = next(q for q in report.problems if q.code == "date_order" and q.column == "Date pièce")
    assert "by default" in note.message and "--monthfirst" in note.message
    forced, _ = exports.load_open_items(p, date_order="monthfirst")
    assert forced["document_date"].tolist() == [T("2024-03-05")]
    english, _ = exports.load_open_items(p, dayfirst=False)  # another default, still not forced
    assert english["document_date"].tolist() == [T("2024-03-05")]


def test_a_column_without_evidence_follows_the_files_other_date_columns(tmp_path):
    # Date pièce 3/5 is ambiguous; Date échéance 4/25 can only be month first
    items, report = exports.load_open_items(_export(tmp_path, "C1;F1;3/5/2024;4/25/2024;10,00\n"))
    assert items["document_date"].tolist() == [T("2024-03-05")]
    assert items["due_date"].tolist() == [T("2024-04-25")]
    note = next(q for q in report.problems if q.code == "date_order" and q.column == "Date pièce")
    assert "as the file's other date columns" in note.message


def test_iso_dates_and_fractional_seconds_are_unaffected(tmp_path):
    # document dates ISO (one with nanoseconds), due dates month first (4/26: 26 is a day)
    p = _export(tmp_path, "C1;F1;2020-03-30 00:00:00.000000000;2020-04-29;10,00\nC1;F2;2024-03-05;4/26/2024;5,00\n")
    items, report = exports.load_open_items(p)
    assert items["document_date"].tolist() == [T("2020-03-30"), T("2024-03-05")]
    assert items["due_date"].tolist() == [T("2020-04-29"), T("2024-04-26")]
    assert not report.warnings


def test_a_bad_date_order_value_is_refused(tmp_path):
    with pytest.raises(ValueError, match="date_order must be one of dayfirst, monthfirst"):
        exports.load_open_items(_export(tmp_path, US), date_order="ymd")


@pytest.mark.parametrize(
    ("values", "order", "how"),
    [
        (["1/26/2024", "3/5/2024"], "monthfirst", "detected"),
        (["26.01.2024", "03.05.2024"], "dayfirst", "detected"),
        (["01-26-2024"], "monthfirst", "detected"),
        (["03/05/2024", "12/12/24"], "dayfirst", "default"),
        (["2024-01-26", "20240126", None], "dayfirst", "none"),
    ],
)
def test_detect_date_order(values, order, how):
    found = detect_date_order(pd.Series(values, dtype=object))
    assert (found.order, found.how) == (order, how)


def test_evidence_ignores_impossible_and_iso_values():
    day, month = date_order_evidence(pd.Series(["32/01/2024", "13/13/2024", "2024-01-26", 45000, "26/1/24"]))
    # 32 is no day, 13/13 no order; only 26/1/24 says day first
    assert day.tolist() == [False, False, False, False, True] and not month.any()


def test_parse_dates_month_first_with_dashes_and_dots():
    dates, bad = parse_dates(pd.Series(["01-26-2024", "01.26.2024", "1/26/24"]), dayfirst=False)
    assert dates.tolist() == [T("2024-01-26")] * 3 and not bad.any()
