"""Customers whose payments are not lettered, and the overdue rate (issue 10 items 3, 4, 4b).

Rules (cashmission.ledger.lettering): in a table that records lettering, a customer none
of whose debits is lettered has its open credits applied to its open debits, oldest
document first (*imputation à l'antériorité*); the overdue rate is overdue / balance.

Every expected value is worked out by hand in the comments.  AS_OF = 2024-06-30.
Day counts to AS_OF:
  due 2024-02-09: 20 (Feb) + 31 + 30 + 31 + 30 = 142  -> d91_180
  due 2024-04-09: 21 (Apr) + 31 + 30 = 82             -> d61_90
  due 2024-06-01: 29                                  -> d1_30
  due 2024-07-20: −20                                 -> not_due
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cashmission.ledger.ageing import aged_amounts, aged_balance, aging_summary, overdue_rate
from cashmission.ledger.lettering import lettering_rate, unlettered_customers
from cashmission.report import views
from cashmission.report.labels import NBSP

AS_OF = "2024-06-30"


def ledger(with_lettering: bool = True) -> pd.DataFrame:
    """C1 letters nothing; C2 letters its payments (J1 with its payment, cleared)."""
    rows = [
        # cust  doc    type       document date  due date      amount   code  cleared      status
        ("C1", "I1", "invoice", "2024-01-10", "2024-02-09", 100.0, None, None, "unlettered"),
        ("C1", "I2", "invoice", "2024-03-10", "2024-04-09", 50.0, None, None, "unlettered"),
        ("C1", "I3", "invoice", "2024-06-20", "2024-07-20", 80.0, None, None, "unlettered"),
        ("C1", "P1", "payment", "2024-04-01", "2024-04-01", -120.0, None, None, "unlettered"),
        ("C2", "J1", "invoice", "2024-01-05", "2024-02-04", 200.0, "A", "2024-02-20", "lettered"),
        ("C2", "Q1", "payment", "2024-02-20", "2024-02-20", -200.0, "A", "2024-02-20", "lettered"),
        ("C2", "J2", "invoice", "2024-05-02", "2024-06-01", 300.0, None, None, "unlettered"),
        ("C2", "Q2", "payment", "2024-06-15", "2024-06-15", -100.0, None, None, "unlettered"),
    ]
    cols = [
        "customer_id",
        "document_id",
        "document_type",
        "document_date",
        "due_date",
        "amount",
        "match_code",
        "cleared_date",
        "lettering_status",
    ]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("document_date", "due_date", "cleared_date"):
        df[c] = pd.to_datetime(df[c])
    df["collector"] = np.where(df["document_type"] == "payment", "Bob", "Alice")
    if not with_lettering:  # an extract of open items: no settlement dates, no status
        df = df.loc[df["cleared_date"].isna()].drop(columns=["cleared_date", "lettering_status", "match_code"])
    return df.reset_index(drop=True)


def test_an_unlettered_customer_ages_its_net_balance_oldest_invoices_first():
    aged = aged_balance(ledger(), AS_OF).set_index("customer_id")
    c1 = aged.loc["C1"]
    # C1 letters nothing: its payment 120 goes to the oldest invoices: I1 100 -> 0,
    # I2 50 -> 50 - (120 - 100) = 30, I3 80 untouched; the payment -> 0
    assert c1[["d91_180", "d61_90", "not_due", "unapplied_cash"]].tolist() == [0.0, 30.0, 80.0, 0.0]
    assert c1["total"] == 110.0  # 100 + 50 + 80 - 120
    assert c1["overdue"] == 30.0  # I2's 30 (82 days late); I3 is not due
    assert c1["overdue_rate"] == pytest.approx(30 / 110)
    assert c1["allocated_credits"] == 120.0
    c2 = aged.loc["C2"]
    # C2 letters its payments (J1 with Q1, cleared on 20/02): its unlettered Q2 stays unapplied
    assert c2[["d1_30", "unapplied_cash", "total", "overdue", "allocated_credits"]].tolist() == [
        300.0,  # J2, 29 days late
        -100.0,
        200.0,  # 300 - 100
        300.0,
        0.0,
    ]
    assert c2["overdue_rate"] == pytest.approx(300 / 200)  # 150 %: the payment offsets part of it


def test_allocate_false_keeps_the_credits_in_their_columns():
    c1 = aged_balance(ledger(), AS_OF, allocate=False).set_index("customer_id").loc["C1"]
    # I1 142 days -> d91_180 100; I2 82 days -> d61_90 50; I3 not due 80; P1 -120 unapplied
    assert c1[["d91_180", "d61_90", "not_due", "unapplied_cash", "total"]].tolist() == [
        100.0,
        50.0,
        80.0,
        -120.0,
        110.0,
    ]
    assert c1["overdue"] == 150.0 and c1["allocated_credits"] == 0.0
    assert c1["overdue_rate"] == pytest.approx(150 / 110)


def test_an_extract_of_open_items_is_not_allocated():
    # the same open items without lettering columns: the accounting system has already
    # lettered what it could, so P1 and Q2 are unapplied cash by its own books
    c1 = aged_balance(ledger(with_lettering=False), AS_OF).set_index("customer_id").loc["C1"]
    assert c1[["unapplied_cash", "allocated_credits", "overdue"]].tolist() == [-120.0, 0.0, 150.0]
    assert np.isnan(lettering_rate(ledger(with_lettering=False), AS_OF))


def test_which_customers_are_not_lettered_and_the_lettering_rate():
    items = ledger()
    assert unlettered_customers(items, AS_OF).tolist() == [True] * 4 + [False] * 4
    # debits booked by AS_OF: 100 + 50 + 80 + 200 + 300 = 730; lettered: J1 200
    assert lettering_rate(items, AS_OF) == pytest.approx(200 / 730)
    # at 2024-01-31 only I1 100 and J1 200 are booked, J1 lettered: 200 / 300
    assert lettering_rate(items, "2024-01-31") == pytest.approx(200 / 300)


def test_summary_counts_the_allocated_customers():
    s = aging_summary(ledger(), AS_OF)
    # total 110 + 200 = 310; overdue 30 (C1) + 300 (C2) = 330; 330 / 310
    assert (s["total"], s["overdue"], s["allocated_credits"], s["n_customers_allocated"]) == (310.0, 330.0, 120.0, 1)
    assert s["overdue_rate"] == pytest.approx(330 / 310)
    assert s["lettering_rate"] == pytest.approx(200 / 730)


def test_allocation_before_grouping_keeps_every_row_tied():
    # by collector: the invoices are Alice's, the payments Bob's.  C1's payment is applied
    # to its invoices before grouping: Alice holds C1's 30 + 80 and C2's 300; Bob C2's -100
    aged = aged_balance(ledger(), AS_OF, by="collector").set_index("collector")
    assert aged.loc["Alice", ["d61_90", "d1_30", "not_due", "total"]].tolist() == [30.0, 300.0, 80.0, 410.0]
    assert aged.loc["Bob", ["unapplied_cash", "total", "allocated_credits"]].tolist() == [-100.0, -100.0, 120.0]


def test_aged_amounts_are_what_each_item_still_owes():
    got = aged_amounts(ledger(), AS_OF).set_index("document_id")
    # J1 and Q1 were cleared on 20/02: not open; C1 allocated as above
    assert got["amount"].to_dict() == {"I1": 0.0, "I2": 30.0, "I3": 80.0, "P1": 0.0, "J2": 300.0, "Q2": -100.0}
    assert got["amount_given"].sum() == 310.0  # 100 + 50 + 80 - 120 + 300 - 100


def test_overdue_rate_is_the_share_of_the_balance():
    # the case in small: overdue 400, not due 600, a credit note -100 on a
    # balance of 900: the rate is 400 / 900 = 44.4 %, not 400 / 1000 (gross debits)
    assert overdue_rate(400.0, 900.0) == pytest.approx(0.4444, abs=1e-4)
    assert np.isnan(overdue_rate(10.0, 0.0)) and np.isnan(overdue_rate(10.0, -5.0))
    items = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C1"],
            "document_type": ["invoice", "invoice", "credit_note"],
            "document_date": pd.to_datetime(["2024-04-01", "2024-06-15", "2024-06-20"]),
            "due_date": pd.to_datetime(["2024-05-01", "2024-07-15", "2024-06-20"]),
            "amount": [400.0, 600.0, -100.0],
        }
    )
    s = aging_summary(items, AS_OF)
    table = aged_balance(items, AS_OF)
    assert s["overdue_rate"] == pytest.approx(400 / 900) == table["overdue_rate"].iloc[0]
    text = views.headline(s).replace(NBSP, " ")
    assert "Échu : 400,00 € (44,4 % du solde)" in text


def test_the_debits_before_lettering_still_tie_to_the_file():
    # C1's 120 allocated and nothing else applied (J1 and Q1 are cleared, not open):
    # gross_debit = 30 + 80 + 300 = 410; + applied 120 = 530 = the open debits as given
    # (100 + 50 + 80 + 300); credits: total 310 − 530 = −220 = −120 − 100 as given
    from cashmission.ledger.reconciliation import reconcile
    from cashmission.problems import LoadReport

    items = ledger()
    aged = aged_balance(items, AS_OF)
    assert (aged["gross_debit"].sum(), aged["applied_credits"].sum()) == (410.0, 120.0)
    # the file: 8 rows, debits 100 + 50 + 80 + 200 + 300 = 730, credits −120 − 200 − 100 = −420,
    # total 310; J1 200 and Q1 −200 were cleared on 20/02 (not open: debit 200, credit −200)
    report = LoadReport("l.csv", "open_items", rows_kept=8, total_kept=310.0, debit_kept=730.0, credit_kept=-420.0)
    rec = reconcile(report, aged, items=items, as_of=AS_OF).set_index("check")
    assert rec.loc["recon_debit", "report"] == 530.0 and rec.loc["recon_credit", "report"] == -220.0
    assert rec["ok"].all()


def test_the_report_headline_shows_the_lettering_rate_and_the_allocated_customers():
    text = views.headline(aging_summary(ledger(), AS_OF)).replace(NBSP, " ")
    # overdue 330 over the balance 310 = 106.45 %; lettering 200 / 730 = 27.40 %
    assert "Échu : 330,00 € (106,5 % du solde)" in text
    assert "Taux de lettrage : 27,4 %" in text
    assert "Clients sans lettrage : 1 — Crédits imputés : 120,00 €" in text
    # an extract of open items: no lettering to speak of, no line
    assert "lettrage" not in views.headline(aging_summary(ledger(with_lettering=False), AS_OF))
