"""Partial settlements in the aged balance: credits lettered with invoices (``match_code``).

Rule (cashmission.ledger.ageing.aged_balance, Notes): among the open items, those with a
``match_code`` and no ``cleared_date`` form groups by (entity, customer_id, match_code);
with D = Σ debits and C = Σ credits of a group, A = min(D, −C) is applied: each debit
d → d × (D − A) / D, each credit c → c × (C + A) / C.

Every expected value is worked out by hand in the comments.  "Today" is AS_OF =
2024-06-30 unless a test says otherwise.  Day counts:
  2024-06-30 − 2024-05-30 = 1 (May 31) + 30 (June) = 31   -> d31_60 (overdue)
  2024-06-30 − 2024-06-15 = 15                             -> d1_30 (overdue)
  2024-06-30 − 2024-07-31 = −31                            -> not_due
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cashmission.io import exports
from cashmission.ledger.ageing import aged_balance, aged_balance_long, aging_summary
from cashmission.ledger.buckets import CREDIT_KEYS, bucket_keys

AS_OF = "2024-06-30"
BUCKETS = bucket_keys()
BROKEN = Path(__file__).resolve().parents[2] / "data" / "broken"

OVERDUE_31 = "2024-05-30"  # 31 days past due at AS_OF: d31_60
OVERDUE_15 = "2024-06-15"  # 15 days past due at AS_OF: d1_30
NOT_DUE = "2024-07-31"


def items(rows: list[tuple], **extra: list) -> pd.DataFrame:
    """Rows (customer_id, document_type, due_date, amount, match_code); the document
    date is the due date minus 60 days, so every item is dated before AS_OF."""
    df = pd.DataFrame(rows, columns=["customer_id", "document_type", "due_date", "amount", "match_code"])
    df["due_date"] = pd.to_datetime(df["due_date"])
    df["document_date"] = df["due_date"] - pd.Timedelta(days=60)
    df["match_code"] = df["match_code"].astype(object)
    for k, v in extra.items():
        df[k] = v
    return df


def one(aged: pd.DataFrame, customer: str = "C1") -> pd.Series:
    return aged.set_index("customer_id").loc[customer]


def test_partial_payment_is_applied_to_its_invoice():
    df = items([("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -40.0, "F1")])
    row = one(aged_balance(df, AS_OF))
    # D = 100, C = −40, A = min(100, 40) = 40: invoice 100 × (100 − 40) / 100 = 60,
    # payment −40 × (−40 + 40) / −40 = 0
    assert row["d31_60"] == 60.0
    assert row["unapplied_cash"] == 0.0
    assert row["total"] == 60.0  # 100 − 40, unchanged by the netting
    assert row["overdue"] == 60.0
    assert row["gross_debit"] == 60.0  # Σ buckets after netting
    assert row["overdue_rate"] == 1.0  # 60 / 60
    assert row["n_items"] == 2  # both items still counted


def test_net_matched_false_gives_the_gross_view():
    df = items([("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -40.0, "F1")])
    row = one(aged_balance(df, AS_OF, net_matched=False))
    assert (row["d31_60"], row["unapplied_cash"], row["total"], row["overdue"], row["gross_debit"]) == (
        100.0,
        -40.0,
        60.0,
        100.0,
        100.0,
    )
    # the same figures as without any lettering code
    pd.testing.assert_frame_equal(
        aged_balance(df, AS_OF, net_matched=False), aged_balance(df.drop(columns="match_code"), AS_OF)
    )


def test_two_invoices_are_reduced_pro_rata():
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 100.0, "L1"),
            ("C1", "invoice", NOT_DUE, 50.0, "L1"),
            ("C1", "payment", OVERDUE_15, -90.0, "L1"),
        ]
    )
    row = one(aged_balance(df, AS_OF))
    # D = 150, C = −90, A = 90: each debit × (150 − 90) / 150 = 0.4 -> 40 and 20
    assert (row["d31_60"], row["not_due"]) == (40.0, 20.0)
    assert row["unapplied_cash"] == 0.0
    assert row["total"] == 60.0  # 100 + 50 − 90
    assert row["overdue"] == 40.0
    assert row["gross_debit"] == 60.0  # 40 + 20
    assert row["overdue_rate"] == pytest.approx(40.0 / 60.0)


def test_a_credit_larger_than_its_invoice_keeps_the_remainder_in_its_column():
    df = items([("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -130.0, "F1")])
    row = one(aged_balance(df, AS_OF))
    # D = 100, C = −130, A = min(100, 130) = 100: invoice 100 × 0 / 100 = 0;
    # payment −130 × (−130 + 100) / −130 = −30
    assert row[BUCKETS].tolist() == [0.0] * 6
    assert row["unapplied_cash"] == pytest.approx(-30.0)
    assert row["total"] == -30.0
    assert row["overdue"] == 0.0 and row["gross_debit"] == 0.0
    assert np.isnan(row["overdue_rate"])  # gross_debit 0


def test_several_credits_are_reduced_pro_rata():
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 60.0, "L1"),
            ("C1", "credit_note", OVERDUE_15, -50.0, "L1"),
            ("C1", "payment", OVERDUE_15, -50.0, "L1"),
        ]
    )
    row = one(aged_balance(df, AS_OF))
    # D = 60, C = −100, A = 60: invoice -> 0; each credit × (−100 + 60) / −100 = 0.4 -> −20, −20
    assert row["d31_60"] == 0.0
    assert row["credit_notes"] == pytest.approx(-20.0)
    assert row["unapplied_cash"] == pytest.approx(-20.0)
    assert row["total"] == -40.0  # 60 − 50 − 50


def test_groups_are_kept_apart_by_customer_and_entity():
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 100.0, "A"),
            ("C2", "payment", OVERDUE_15, -40.0, "A"),  # same code, another customer
            ("C3", "invoice", OVERDUE_31, 100.0, "A"),  # C3 in FR10 ...
            ("C3", "payment", OVERDUE_15, -40.0, "A"),  # ... and its payment booked in EX30
        ],
        entity=["FR10", "FR10", "FR10", "EX30"],
    )
    aged = aged_balance(df, AS_OF, by=["entity", "customer_id"]).set_index(["entity", "customer_id"])
    # no group holds both a debit and a credit: nothing is applied
    assert aged.loc[("FR10", "C1"), "d31_60"] == 100.0
    assert aged.loc[("FR10", "C2"), "unapplied_cash"] == -40.0
    assert aged.loc[("FR10", "C3"), "d31_60"] == 100.0
    assert aged.loc[("EX30", "C3"), "unapplied_cash"] == -40.0


def test_the_grouping_of_the_balance_does_not_change_the_netting():
    df = items(
        [("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -40.0, "F1")],
        collector=["Anne", "Bruno"],
    )
    # the payment is in another collector's row, yet applied to the invoice of C1
    by_collector = aged_balance(df, AS_OF, by="collector").set_index("collector")
    assert by_collector.loc["Anne", "d31_60"] == 60.0 and by_collector.loc["Bruno", "unapplied_cash"] == 0.0
    total = aged_balance(df, AS_OF, by=None).iloc[0]
    assert (total["d31_60"], total["unapplied_cash"], total["total"]) == (60.0, 0.0, 60.0)


def test_items_without_a_code_are_not_netted():
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 100.0, None),
            ("C1", "payment", OVERDUE_15, -40.0, ""),  # a blank code is no code
            ("C1", "invoice", NOT_DUE, 50.0, "F2"),
            ("C1", "payment", OVERDUE_15, -10.0, None),
        ]
    )
    row = one(aged_balance(df, AS_OF))
    # F2 has no credit (D = 50, C = 0, A = 0): unchanged; the uncoded payments stay unapplied
    assert (row["d31_60"], row["not_due"], row["unapplied_cash"]) == (100.0, 50.0, -50.0)


def ledger(cleared: list[str | None], booked: list[str] | None = None) -> pd.DataFrame:
    df = items([("C1", "invoice", OVERDUE_31, 100.0, "A"), ("C1", "payment", OVERDUE_15, -100.0, "A")])
    df["cleared_date"] = pd.to_datetime(pd.Series(cleared, dtype=object))
    if booked is not None:
        df["booked_date"] = pd.to_datetime(booked)
    return df


def test_a_group_lettered_after_as_of_is_not_netted():
    # invoice 100 and its payment −100, lettered on 2024-07-10: open at 2024-06-30,
    # and at that date the lettering had not been done
    df = ledger(["2024-07-10", "2024-07-10"])
    row = one(aged_balance(df, AS_OF))
    assert (row["d31_60"], row["unapplied_cash"], row["total"], row["overdue"]) == (100.0, -100.0, 0.0, 100.0)
    # on 2024-07-10 both are cleared: nothing left
    assert aged_balance(df, "2024-07-10").empty


def test_a_partial_group_of_a_ledger_is_netted():
    # the same lines with an open (partial) lettering: cleared_date empty -> netted
    df = ledger([None, None])
    df.loc[1, "amount"] = -40.0
    row = one(aged_balance(df, AS_OF))
    assert (row["d31_60"], row["unapplied_cash"], row["total"]) == (60.0, 0.0, 60.0)  # 100 − 40


def test_a_credit_booked_after_as_of_is_not_applied():
    # the payment −40 of the partial group A is booked on 2024-07-05: not in the books
    # on 2024-06-30, so the invoice is aged on 100 there, on 60 on 2024-07-05
    df = ledger([None, None], booked=["2024-04-30", "2024-07-05"])
    df.loc[1, "amount"] = -40.0
    row = one(aged_balance(df, AS_OF))
    assert (row["d31_60"], row["total"], row["n_items"]) == (100.0, 100.0, 1)
    later = one(aged_balance(df, "2024-07-05"))
    # 2024-07-05 − 2024-05-30 = 1 + 30 + 5 = 36 days: still d31_60
    assert (later["d31_60"], later["unapplied_cash"], later["total"]) == (60.0, 0.0, 60.0)


def test_disputed_amount_is_what_remains_due():
    df = items(
        [("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -40.0, "F1")],
        dispute=[True, False],
    )
    assert one(aged_balance(df, AS_OF))["disputed"] == 60.0  # 100 − 40
    assert one(aged_balance(df, AS_OF, net_matched=False))["disputed"] == 100.0


def test_float_noise_leaves_no_remainder():
    # 0.1 + 0.2 = 0.30000000000000004 in binary: the group is fully applied, no
    # 5e-17 left in a bucket to make C1 "overdue"
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 0.1, "L1"),
            ("C1", "invoice", OVERDUE_31, 0.2, "L1"),
            ("C1", "payment", OVERDUE_15, -0.3, "L1"),
        ]
    )
    row = one(aged_balance(df, AS_OF))
    assert row[[*BUCKETS, *CREDIT_KEYS]].tolist() == [0.0] * 9
    s = aging_summary(df, AS_OF)
    assert (s["overdue"], s["n_customers_overdue"]) == (0.0, 0)


def test_aging_summary_and_long_form_follow_net_matched():
    df = items(
        [
            ("C1", "invoice", OVERDUE_31, 100.0, "L1"),
            ("C1", "invoice", NOT_DUE, 50.0, "L1"),
            ("C1", "payment", OVERDUE_15, -90.0, "L1"),
            ("C2", "invoice", OVERDUE_15, 30.0, None),
        ]
    )
    s = aging_summary(df, AS_OF)
    # C1: 40 (d31_60) + 20 (not due), see the pro rata test; C2: 30 (d1_30)
    assert (s["overdue"], s["not_due"], s["gross_debit"], s["unapplied_cash"]) == (70.0, 20.0, 90.0, 0.0)
    assert s["total"] == s["control_total"] == 90.0  # 100 + 50 − 90 + 30
    gross = aging_summary(df, AS_OF, net_matched=False)
    assert (gross["overdue"], gross["not_due"], gross["gross_debit"], gross["unapplied_cash"]) == (
        130.0,  # 100 + 30
        50.0,
        180.0,
        -90.0,
    )
    long = aged_balance_long(df, AS_OF).set_index(["customer_id", "bucket"])["amount"]
    assert (long[("C1", "d31_60")], long[("C1", "unapplied_cash")]) == (40.0, 0.0)
    long_gross = aged_balance_long(df, AS_OF, net_matched=False).set_index(["customer_id", "bucket"])["amount"]
    assert (long_gross[("C1", "d31_60")], long_gross[("C1", "unapplied_cash")]) == (100.0, -90.0)


def test_buckets_and_credits_still_sum_to_the_unchanged_total():
    rng = np.random.default_rng(7)
    n = 2000
    due = pd.Timestamp(AS_OF) + pd.to_timedelta(rng.integers(-400, 60, n), unit="D")
    amount = np.round(rng.normal(100, 150, n), 2)
    df = pd.DataFrame(
        {
            "entity": rng.choice(["FR10", "EX30"], n),
            "customer_id": rng.choice([f"C{i}" for i in range(40)], n),
            "document_type": np.where(amount > 0, "invoice", rng.choice(["payment", "credit_note", "other"], n)),
            "document_date": due - pd.Timedelta(days=30),
            "due_date": due,
            "amount": amount,
            "match_code": pd.Series(rng.choice(["A", "B", "C", None], n), dtype=object),
        }
    )
    net = aged_balance(df, AS_OF, by=["entity", "customer_id"])
    gross = aged_balance(df, AS_OF, by=["entity", "customer_id"], net_matched=False)
    parts = net[[*BUCKETS, *CREDIT_KEYS]].sum(axis=1)
    np.testing.assert_allclose(parts, net["total"], atol=1e-8)
    pd.testing.assert_series_equal(net["total"], gross["total"])  # same rows, same order, same totals
    assert (net["gross_debit"] <= gross["gross_debit"] + 1e-9).all()  # netting only lowers the debits
    assert (net[list(CREDIT_KEYS)].to_numpy() >= gross[list(CREDIT_KEYS)].to_numpy() - 1e-9).all()


def test_inputs_are_not_modified():
    df = items([("C1", "invoice", OVERDUE_31, 100.0, "F1"), ("C1", "payment", OVERDUE_15, -40.0, "F1")])
    before = df.copy()
    aged_balance(df, AS_OF)
    aging_summary(df, AS_OF)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # F1 100 due 15/12/2024 lettered with F1/2 payment −40: 60 left;
        # F2 80 due 31/12/2024 lettered with F2/2 credit note −30: 50 left;
        # F3 10 due 31/12/2024, no code.
        # at 2024-12-31: F1 16 days past due (d1_30) 60; F2 and F3 due that day: not due
        ("2024-12-31", {"not_due": 60.0, "d1_30": 60.0, "overdue": 60.0}),
        # at 2025-01-15: F1 31 days (d31_60) 60; F2, F3 15 days (d1_30) 50 + 10
        ("2025-01-15", {"not_due": 0.0, "d1_30": 60.0, "d31_60": 60.0, "overdue": 120.0}),
    ],
)
def test_the_loaders_partial_settlements_are_applied(as_of, expected):
    loaded, report = exports.load_open_items(BROKEN / "dup_partial_payment.csv")
    assert [p.code for p in report.warnings].count("partial_settlement") == 2
    row = aged_balance(loaded, as_of).iloc[0]
    for k, v in expected.items():
        assert row[k] == v, k
    assert (row["credit_notes"], row["unapplied_cash"]) == (0.0, 0.0)  # both credits applied in full
    assert row["total"] == 120.0  # 100 − 40 − 30 + 80 + 10
    assert row["gross_debit"] == 120.0  # 60 + 50 + 10
    # the gross view: F1 100 and F2 80 + F3 10 in their buckets, the credits apart
    gross = aged_balance(loaded, as_of, net_matched=False).iloc[0]
    assert (gross["gross_debit"], gross["unapplied_cash"], gross["credit_notes"]) == (190.0, -40.0, -30.0)
