"""ledger.reconciliation.tie_out: an aged balance tied to its files' control totals, by hand."""

from __future__ import annotations

import pandas as pd

from cashmission.ledger.reconciliation import tie_out
from cashmission.problems import LoadReport

ITEMS = pd.DataFrame(
    {
        "document_date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-10"]),
        "cleared_date": pd.to_datetime([None, "2026-01-25", None]),
        "amount": [300.0, 120.0, 80.0],
    }
)
REPORT = LoadReport("ledger.csv", "open_items", rows_read=4, rows_kept=3, total_kept=500.0)


def _aged(total: float, not_due: float, over: float) -> pd.DataFrame:
    return pd.DataFrame({"not_due": [not_due], "d1_30": [over], "credit_notes": [0.0], "total": [total]})


def test_a_ledger_ties_with_the_items_not_open():
    # at 31/01: 300 open; 120 cleared on 25/01 and 80 dated 10/02 are not open (200).
    # file: aged 300 + not open 200 - kept 500 = 0; rows and columns: 300 - 300 = 0
    aged = _aged(300.0, 100.0, 200.0)
    t = tie_out([(ITEMS, REPORT)], aged, aged, "2026-01-31")
    assert (t.rows_read, t.rows_kept, t.kept, t.aged, t.not_open) == (4, 3, 500.0, 300.0, 200.0)
    assert t.gaps == {} and t.tied


def test_gaps_are_named_with_their_amount():
    # rows: 310 - 300 = 10; columns: 100 + 150 + 0 - 300 = -50; file: 300 + 200 - 500 = 0
    total = _aged(300.0, 100.0, 150.0)
    rows = pd.DataFrame({"total": [200.0, 110.0]})
    t = tie_out([(ITEMS, REPORT)], rows, total, "2026-01-31")
    assert t.gaps == {"rows": 10.0, "columns": -50.0} and not t.tied


def test_half_a_cent_ties_a_cent_does_not():
    # kept 500.004: file gap -0.004 (< 0.005) ties; kept 500.01: gap -0.01 does not
    aged = _aged(300.0, 100.0, 200.0)
    almost = LoadReport("l.csv", "open_items", rows_read=3, rows_kept=3, total_kept=500.004)
    assert tie_out([(ITEMS, almost)], aged, aged, "2026-01-31").tied
    off = LoadReport("l.csv", "open_items", rows_read=3, rows_kept=3, total_kept=500.01)
    assert tie_out([(ITEMS, off)], aged, aged, "2026-01-31").gaps == {"file": -0.01}


def test_a_nan_or_infinite_total_is_never_tied():
    nan = _aged(float("nan"), float("nan"), 0.0)
    t = tie_out([(ITEMS, REPORT)], nan, nan, "2026-01-31")
    assert not t.tied and "file" in t.gaps
    inf = _aged(float("inf"), float("inf"), 0.0)
    bad = LoadReport("l.csv", "open_items", rows_kept=3, total_kept=float("inf"))
    assert not tie_out([(ITEMS, bad)], inf, inf, "2026-01-31").tied


def test_a_fec_is_tied_to_its_items_and_several_files_add_up():
    # a FEC's report counts journal lines: its control total is its items' 500, not total_kept
    fec = LoadReport("123456789FEC20261231.txt", "fec", rows_read=40, rows_kept=40, total_kept=0.0)
    export = LoadReport("x.csv", "open_items", rows_read=1, rows_kept=1, total_kept=70.0)
    other = pd.DataFrame({"document_date": pd.to_datetime(["2026-01-02"]), "amount": [70.0]})
    aged = _aged(370.0, 370.0, 0.0)  # 300 + 70 open at 31/01
    t = tie_out([(ITEMS, fec), (other, export)], aged, aged, "2026-01-31")
    assert (t.rows_read, t.rows_kept, t.kept, t.not_open) == (41, 41, 570.0, 200.0)  # 500 + 70; 120 + 80
    assert t.tied


def test_every_row_must_tie_not_only_the_total():
    # issue 10 item 4b: Alice's buckets 60 against her total 100 (gap 60 − 100 = −40),
    # Bob's credits 0 against his total −40 (gap 0 − (−40) = 40).  Everything else ties:
    # the TOTAL row 60 = 60, the rows 100 − 40 = 60, the file 60 + 200 not open − 260 = 0
    table = pd.DataFrame(
        {"collector": ["Alice", "Bob"], "not_due": [60.0, 0.0], "credit_notes": [0.0, 0.0], "total": [100.0, -40.0]}
    )
    total = _aged(60.0, 60.0, 0.0)
    report = LoadReport("ledger.csv", "open_items", rows_read=3, rows_kept=3, total_kept=260.0)  # 60 + 200 not open
    t = tie_out([(ITEMS, report)], table, total, "2026-01-31")
    assert t.gaps == {"row Alice": -40.0, "row Bob": 40.0} and not t.tied
