"""cashmission.ledger.behaviour: payer behaviour from an item history (issue 10, item 12).

A hand-made export of the shape of the public accounts-receivable data set
(countryCode, customerID, invoiceNumber, InvoiceDate, DueDate, InvoiceAmount, Disputed,
SettledDate), ISO dates, analysed at 2024-06-30.  Every expected value is worked out below.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cashmission.io.exports import load_open_items
from cashmission.ledger.behaviour import PAYER_COLUMNS, item_payment_history, payer_behaviour

AS_OF = "2024-06-30"
EXPORT = """countryCode,customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate
FR,A,A1,2024-01-01,2024-01-31,100.00,No,2024-01-31
FR,A,A2,2024-03-01,2024-03-31,300.00,No,2024-04-10
FR,A,A3,2024-05-01,2024-05-31,600.00,Yes,2024-06-20
US,B,B1,2024-01-10,2024-02-09,200.00,No,2024-02-04
US,B,B2,2024-02-01,2024-03-02,50.00,No,
US,B,B3,2024-03-01,2024-03-31,80.00,Yes,
US,B,B4,2024-04-01,2024-05-01,70.00,No,2024-07-15
FR,C,C1,2024-06-15,2024-07-15,500.00,No,
FR,C,C2,2023-05-01,2023-05-31,400.00,No,2023-06-29
FR,C,C3,2024-07-05,2024-08-04,900.00,No,2024-07-20
"""
MAPPING = {
    "customer_id": "customerID",
    "document_id": "invoiceNumber",
    "document_date": "InvoiceDate",
    "due_date": "DueDate",
    "amount": "InvoiceAmount",
    "dispute": "Disputed",
    "cleared_date": "SettledDate",
}


@pytest.fixture
def items(tmp_path):
    path = tmp_path / "ar.csv"
    path.write_text(EXPORT, encoding="utf-8")
    loaded, report = load_open_items(path, mapping=MAPPING)
    assert report.rows_kept == 10
    return loaded


@pytest.fixture
def payers(items):
    return payer_behaviour(item_payment_history(items), items, AS_OF).set_index("customer_id")


def test_history_of_the_settled_invoices(items):
    h = item_payment_history(items).set_index("document_id")
    # settled: A1 A2 A3 B1 B4 C2 C3 (B2, B3, C1 have no SettledDate)
    assert sorted(h.index) == ["A1", "A2", "A3", "B1", "B4", "C2", "C3"]
    # A2: 2024-03-01 -> 2024-04-10 = 31 + 9 = 40 days to pay; due 03-31 -> 04-10 = 10 late
    # B1: 2024-01-10 -> 02-04 = 21 + 4 = 25 days; due 02-09 -> 02-04 = -5 (paid early)
    # C2: 2023-05-01 -> 06-29 = 30 + 29 = 59 days; due 05-31 -> 06-29 = 29 late
    assert h.loc[["A2", "B1", "C2"], "days_to_pay"].tolist() == [40.0, 25.0, 59.0]
    assert h.loc[["A2", "B1", "C2"], "days_late"].tolist() == [10.0, -5.0, 29.0]
    assert h.loc["B1", "days_beyond_terms"] == 0.0
    assert bool(h.loc["A3", "dispute"]) and not bool(h.loc["A2", "dispute"])


def test_a_customer_paying_on_time_on_average(payers):
    a = payers.loc["A"]
    # A1 30 days to pay, 0 late; A2 40, 10; A3 50, 20 (amounts 100, 300, 600)
    assert a["invoices_paid"] == 3 and a["amount_paid"] == 1000.0
    assert a["avg_days_to_pay"] == pytest.approx((30 + 40 + 50) / 3)  # 40
    # (100 × 30 + 300 × 40 + 600 × 50) / 1,000 = (3,000 + 12,000 + 30,000) / 1,000 = 45
    assert a["weighted_days_to_pay"] == pytest.approx(45.0)
    assert a["avg_days_late"] == pytest.approx(10.0)  # (0 + 10 + 20) / 3
    # (100 × 0 + 300 × 10 + 600 × 20) / 1,000 = 15,000 / 1,000 = 15
    assert a["weighted_days_late"] == pytest.approx(15.0)
    assert a["late_share"] == pytest.approx(2 / 3)  # A2 and A3 late
    # 3 months: paid after 2024-03-30 -> A2 (10), A3 (20): 15; 12 months: all three: 10
    assert (a["days_late_3m"], a["days_late_12m"], a["trend_3m_vs_12m"]) == (15.0, 10.0, 5.0)
    assert a["open_overdue_items"] == 0 and a["open_overdue_amount"] == 0.0
    assert a["overall_days_late"] == pytest.approx(10.0) and a["overall_late_share"] == pytest.approx(2 / 3)
    assert a["disputed_items"] == 1 and a["disputed_open_amount"] == 0.0  # A3, paid


def test_unpaid_invoices_do_not_hide_behind_one_paid_early(payers):
    b = payers.loc["B"]
    # paid by 2024-06-30: B1 only (5 days early); B4 is paid on 2024-07-15, after the date
    assert b["invoices_paid"] == 1 and b["avg_days_late"] == -5.0 and b["late_share"] == 0.0
    assert math.isnan(b["days_late_3m"]) and b["days_late_12m"] == -5.0  # B1 paid 2024-02-04
    # open and overdue at 2024-06-30: B2 due 03-02: 29 + 30 + 31 + 30 = 120 days past due;
    # B3 due 03-31: 30 + 31 + 30 = 91; B4 due 05-01: 30 + 30 = 60
    assert b["open_overdue_items"] == 3
    assert b["open_overdue_amount"] == pytest.approx(50 + 80 + 70)
    assert b["open_overdue_days"] == pytest.approx((120 + 91 + 60) / 3)
    # overall: (-5 + 120 + 91 + 60) / (1 + 3) = 266 / 4 = 66.5; late: (0 + 3) / 4 = 0.75
    assert b["overall_days_late"] == pytest.approx(66.5)
    assert b["overall_late_share"] == pytest.approx(0.75)
    assert b["disputed_items"] == 1 and b["disputed_open_amount"] == pytest.approx(80.0)  # B3


def test_windows_dates_and_order(payers):
    c = payers.loc["C"]
    # C2 paid 2023-06-29: not after 2023-06-30, so outside the 12-month window; C1 not due
    # yet (due 2024-07-15); C3 issued after the date: not counted at all
    assert c["invoices_paid"] == 1 and c["amount_paid"] == 400.0 and c["avg_days_late"] == 29.0
    assert math.isnan(c["days_late_12m"]) and math.isnan(c["trend_3m_vs_12m"])
    assert c["open_overdue_items"] == 0 and c["overall_days_late"] == 29.0
    # worst first: B 66.5, C 29, A 10
    assert payers.index.tolist() == ["B", "C", "A"]
    assert payers.reset_index().columns.tolist() == PAYER_COLUMNS


def test_a_paid_invoice_after_the_date_counts_as_open(items):
    # at 2024-07-31 B4 (paid 07-15, 75 days after its due date 05-01: 30 + 30 + 15) is paid
    b = payer_behaviour(item_payment_history(items), items, "2024-07-31").set_index("customer_id").loc["B"]
    assert b["invoices_paid"] == 2 and b["avg_days_late"] == pytest.approx((-5 + 75) / 2)
    assert b["open_overdue_items"] == 2  # B2, B3


def test_no_history_gives_an_empty_table():
    items = pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype=object),
            "document_id": pd.Series([], dtype=object),
            "document_type": pd.Series([], dtype=object),
            "document_date": pd.Series([], dtype="datetime64[ns]"),
            "due_date": pd.Series([], dtype="datetime64[ns]"),
            "amount": pd.Series([], dtype="float64"),
            "cleared_date": pd.Series([], dtype="datetime64[ns]"),
        }
    )
    out = payer_behaviour(item_payment_history(items), items, AS_OF)
    assert out.empty and out.columns.tolist() == PAYER_COLUMNS
