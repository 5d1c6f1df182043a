"""Tests for cashmission.ledger.ageing: aged balance (balance âgée) and concentration.

Every expected value is worked out by hand in the test (arithmetic in comments),
never taken from the function under test.  The ledger below is observed "today"
= AS_OF = 2024-06-30 unless a test says otherwise.

Day counts used below (2024 is a leap year: February has 29 days):
  2024-06-30 - 2024-06-30 = 0     2024-06-30 - 2024-05-31 = 30
  2024-06-30 - 2024-05-30 = 31    2024-06-30 - 2024-03-31 = 30 (Apr) + 31 (May) + 30 (Jun) = 91
  2024-06-30 - 2024-04-15 = 15 + 31 + 30 = 76
  2024-06-30 - 2023-12-01 = 30 (Dec) + 31 + 29 + 31 + 30 + 31 + 30 = 212
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest

from cashmission.ledger import ageing
from cashmission.ledger.ageing import days_past_due, open_at
from cashmission.ledger.buckets import DEFAULT_EDGES, bucket_keys
from cashmission.ledger.concentration import concentration, pareto

AS_OF = "2024-06-30"
# The ledger below has settlement dates (it records lettering) and its customers C2 and
# C4 letter nothing: by default their credits would go to their oldest invoices
# (cashmission.ledger.lettering, rule 2, tested in test_allocation.py).  These tests
# check the buckets, the credit columns and the totals with every credit in its column.
aged_balance = partial(ageing.aged_balance, allocate=False)
aged_balance_long = partial(ageing.aged_balance_long, allocate=False)
aging_summary = partial(ageing.aging_summary, allocate=False)
BUCKETS = ["not_due", "d1_30", "d31_60", "d61_90", "d91_180", "over_180"]
TAIL = [
    "credit_notes",
    "unapplied_cash",
    "other_credits",
    "total",
    "gross_debit",
    "overdue",
    "overdue_rate",
    "disputed",
    "applied_credits",
    "allocated_credits",
    "n_items",
]


def ledger() -> pd.DataFrame:
    """A small ledger: 13 items, 4 customers, 2 entities."""
    rows = [
        # doc   cust  type           document date  due date      amount dispute cleared
        ("I1", "C1", "invoice", "2024-06-01", "2024-06-30", 1000.0, False, None),
        ("I2", "C1", "invoice", "2024-05-01", "2024-05-31", 200.0, False, None),
        ("I3", "C1", "invoice", "2024-04-30", "2024-05-30", 300.0, False, None),
        ("I4", "C1", "credit_note", "2024-06-10", "2024-06-10", -50.0, False, None),
        ("I5", "C2", "invoice", "2024-03-01", "2024-03-31", 400.0, True, None),
        ("I6", "C2", "payment", "2024-06-15", "2024-06-15", -150.0, False, None),
        ("I7", "C3", "credit_note", "2024-05-20", "2024-05-20", -80.0, False, None),
        ("I8", "C3", "other", "2024-06-20", "2024-06-20", -20.0, False, None),
        # dated after AS_OF: never in the June balance
        ("I9", "C2", "invoice", "2024-07-05", "2024-08-04", 999.0, False, None),
        # open on 2024-06-15, settled on 2024-06-20
        ("I10", "C1", "invoice", "2024-05-15", "2024-06-14", 600.0, False, "2024-06-20"),
        ("I11", "C4", "invoice", "2023-11-01", "2023-12-01", 500.0, True, None),
        ("I12", "C4", "invoice", "2024-03-16", "2024-04-15", 250.0, False, None),
        # a negative invoice is a credit, not a bucket amount
        ("I14", "C4", "invoice", "2024-06-01", "2024-07-01", -30.0, False, None),
    ]
    cols = [
        "document_id",
        "customer_id",
        "document_type",
        "document_date",
        "due_date",
        "amount",
        "dispute",
        "cleared_date",
    ]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("document_date", "due_date", "cleared_date"):
        df[c] = pd.to_datetime(df[c])
    # customer: entity, name, segment (C2: none), collector (C3, C4: none)
    accounts = {
        "C1": ("FR", "Alpha", "retail", "anne"),
        "C2": ("FR", "Beta", None, "bob"),
        "C3": ("DE", "Gamma", "export", None),
        "C4": ("DE", "Delta", "export", None),
    }
    for i, c in enumerate(["entity", "customer_name", "segment", "collector"]):
        values = [accounts[cust][i] for cust in df["customer_id"]]
        df.insert(1 + i, c, values)
    # C4's first row has no name: the first name seen is "Delta"
    df.loc[df["document_id"] == "I11", "customer_name"] = None
    return df


def expected(rows: list[dict], keys: list[str], buckets: list[str] = BUCKETS) -> pd.DataFrame:
    """Whole expected frame; amounts not given are 0.0 (every value is written by hand)."""
    columns = [*keys, *buckets, *TAIL]
    if rows and "customer_name" in rows[0]:
        columns.insert(len(keys), "customer_name")
    out = pd.DataFrame([{c: r.get(c, 0.0) for c in columns} for r in rows], columns=columns)
    for c in columns:
        if c not in keys and c != "customer_name":
            out[c] = out[c].astype("int64" if c == "n_items" else "float64")
    return out


# --------------------------------------------------------------------------- bucket keys
@pytest.mark.parametrize(
    ("edges", "basis", "keys"),
    [
        (DEFAULT_EDGES, "due_date", BUCKETS),
        (DEFAULT_EDGES, "document_date", ["d0_30", "d31_60", "d61_90", "d91_180", "over_180"]),
        ((0, 15, 45), "due_date", ["not_due", "d1_15", "d16_45", "over_45"]),
        ((0, 30), "due_date", ["not_due", "d1_30", "over_30"]),
        ((0, 30), "document_date", ["d0_30", "over_30"]),
        ([0, 60, 120], "document_date", ["d0_60", "d61_120", "over_120"]),
        (np.array([0, 30, 60]), "due_date", ["not_due", "d1_30", "d31_60", "over_60"]),
    ],
)
def test_bucket_keys(edges, basis, keys):
    assert bucket_keys(edges, basis) == keys


@pytest.mark.parametrize(
    ("edges", "error", "names"),
    [
        ((0, 30, 30), ValueError, "30 after 30"),
        ((0, 60, 30), ValueError, "30 after 60"),
        ((0, -5), ValueError, "-5"),
        ((0, 30.5), TypeError, "30.5"),
        ((0, True), TypeError, "True"),
        ((10, 30), ValueError, "got 10"),
        ((0,), ValueError, "at least two"),
        ((), ValueError, "at least two"),
        ("0,30", TypeError, "'0,30'"),
    ],
)
def test_bucket_keys_rejects_bad_edges(edges, error, names):
    with pytest.raises(error, match=names):
        bucket_keys(edges)


def test_unknown_basis_is_named():
    with pytest.raises(ValueError, match=r"'invoice_date'.*due_date, document_date"):
        aged_balance(ledger(), AS_OF, basis="invoice_date")


# --------------------------------------------------------------------------- days past due
def test_days_past_due_both_bases():
    items = ledger().iloc[[0, 1, 2, 4, 10]]  # I1 I2 I3 I5 I11
    got = days_past_due(items, AS_OF)
    # due 06-30 -> 0; 05-31 -> 30; 05-30 -> 31; 03-31 -> 91; 2023-12-01 -> 212
    want = pd.Series([0, 30, 31, 91, 212], index=items.index, name="days_past_due", dtype="int64")
    pd.testing.assert_series_equal(got, want)
    # ages from the document date: 06-01 -> 29; 05-01 -> 30 + 30 = 60; 04-30 -> 61;
    # 03-01 -> 30 + 30 + 31 + 30 = 121; 2023-11-01 -> 29 + 31 + 31 + 29 + 31 + 30 + 31 + 30 = 242
    got = days_past_due(items, AS_OF, basis="document_date")
    want = pd.Series([29, 60, 61, 121, 242], index=items.index, name="days_past_due", dtype="int64")
    pd.testing.assert_series_equal(got, want)


def test_days_past_due_ignores_time_of_day_and_counts_future_negative():
    items = pd.DataFrame({"due_date": [pd.Timestamp("2024-07-05"), pd.Timestamp("2024-06-29 18:00")]})
    # 06-30 - 07-05 = -5 (due in 5 days); 06-30 - 06-29 = 1, whatever the hour
    assert days_past_due(items, pd.Timestamp("2024-06-30 09:30")).tolist() == [-5, 1]


def test_days_past_due_missing_date_is_an_error():
    items = ledger()
    items.loc[3, "due_date"] = pd.NaT
    with pytest.raises(ValueError, match=r"1 item.*no due_date.*'I4'"):
        days_past_due(items, AS_OF)


def test_string_dates_are_refused_with_the_column_name():
    items = ledger()
    items["due_date"] = items["due_date"].dt.strftime("%d/%m/%Y")
    with pytest.raises(TypeError, match="'due_date'"):
        aged_balance(items, AS_OF)


# --------------------------------------------------------------------------- aged balance
def test_aged_balance_by_customer():
    got = aged_balance(ledger(), AS_OF)
    want = expected(
        [
            # C1: I1 due on AS_OF -> not_due 1000; I2 30 days -> d1_30 200;
            # I3 31 days -> d31_60 300; I4 credit note -50.  I10 cleared 06-20 <= AS_OF: out.
            # total 1000 + 200 + 300 - 50 = 1450; gross 1500; overdue 200 + 300 = 500
            dict(
                customer_id="C1",
                customer_name="Alpha",
                not_due=1000.0,
                d1_30=200.0,
                d31_60=300.0,
                credit_notes=-50.0,
                total=1450.0,
                gross_debit=1500.0,
                overdue=500.0,
                overdue_rate=500 / 1450,  # overdue / total (the share of the balance)
                n_items=4,
            ),
            # C4: I11 212 days -> over_180 500 (disputed); I12 76 days -> d61_90 250;
            # I14 negative invoice -> credit_notes -30.  total 500 + 250 - 30 = 720
            dict(
                customer_id="C4",
                customer_name="Delta",
                d61_90=250.0,
                over_180=500.0,
                credit_notes=-30.0,
                total=720.0,
                gross_debit=750.0,
                overdue=750.0,
                overdue_rate=750 / 720,  # above 100 %: the credit of -30 offsets part of the balance
                disputed=500.0,
                n_items=3,
            ),
            # C2: I5 91 days -> d91_180 400 (disputed); I6 payment -150.  I9 dated 07-05: out.
            dict(
                customer_id="C2",
                customer_name="Beta",
                d91_180=400.0,
                unapplied_cash=-150.0,
                total=250.0,
                gross_debit=400.0,
                overdue=400.0,
                overdue_rate=400 / 250,
                disputed=400.0,
                n_items=2,
            ),
            # C3: credits only: -80 credit note, -20 other; no debit -> overdue_rate NaN
            dict(
                customer_id="C3",
                customer_name="Gamma",
                credit_notes=-80.0,
                other_credits=-20.0,
                total=-100.0,
                overdue_rate=np.nan,
                n_items=2,
            ),
        ],
        ["customer_id"],
    )
    pd.testing.assert_frame_equal(got, want)


def test_aged_balance_document_date_basis():
    got = aged_balance(ledger(), AS_OF, basis="document_date")
    b = ["d0_30", "d31_60", "d61_90", "d91_180", "over_180"]
    want = expected(
        [
            # ages: I1 29 -> d0_30; I2 60 -> d31_60 (60 is in 31-60); I3 61 -> d61_90.
            # overdue is still measured on the due date: I2 + I3 = 500
            dict(
                customer_id="C1",
                customer_name="Alpha",
                d0_30=1000.0,
                d31_60=200.0,
                d61_90=300.0,
                credit_notes=-50.0,
                total=1450.0,
                gross_debit=1500.0,
                overdue=500.0,
                overdue_rate=500 / 1450,
                n_items=4,
            ),
            # I11 age 242 -> over_180; I12 age 15 + 30 + 31 + 30 = 106 -> d91_180
            dict(
                customer_id="C4",
                customer_name="Delta",
                d91_180=250.0,
                over_180=500.0,
                credit_notes=-30.0,
                total=720.0,
                gross_debit=750.0,
                overdue=750.0,
                overdue_rate=750 / 720,
                disputed=500.0,
                n_items=3,
            ),
            # I5 age 121 -> d91_180
            dict(
                customer_id="C2",
                customer_name="Beta",
                d91_180=400.0,
                unapplied_cash=-150.0,
                total=250.0,
                gross_debit=400.0,
                overdue=400.0,
                overdue_rate=400 / 250,
                disputed=400.0,
                n_items=2,
            ),
            dict(
                customer_id="C3",
                customer_name="Gamma",
                credit_notes=-80.0,
                other_credits=-20.0,
                total=-100.0,
                overdue_rate=np.nan,
                n_items=2,
            ),
        ],
        ["customer_id"],
        b,
    )
    pd.testing.assert_frame_equal(got, want)


def test_document_date_basis_without_due_date_has_no_overdue():
    items = ledger().drop(columns=["due_date"])
    got = aged_balance(items, AS_OF, by=None, basis="document_date")
    assert np.isnan(got.loc["total", "overdue"]) and np.isnan(got.loc["total", "overdue_rate"])
    assert got.loc["total", "total"] == 2320.0  # 1450 + 720 + 250 - 100


def test_aged_balance_custom_edges():
    got = aged_balance(ledger(), AS_OF, by="customer_id", edges=(0, 15, 45))
    b = ["not_due", "d1_15", "d16_45", "over_45"]
    want = expected(
        [
            # I2 30 days and I3 31 days both in 16-45: 200 + 300 = 500
            dict(
                customer_id="C1",
                customer_name="Alpha",
                not_due=1000.0,
                d16_45=500.0,
                credit_notes=-50.0,
                total=1450.0,
                gross_debit=1500.0,
                overdue=500.0,
                overdue_rate=500 / 1450,
                n_items=4,
            ),
            # 212 and 76 days: both over 45: 500 + 250 = 750
            dict(
                customer_id="C4",
                customer_name="Delta",
                over_45=750.0,
                credit_notes=-30.0,
                total=720.0,
                gross_debit=750.0,
                overdue=750.0,
                overdue_rate=750 / 720,
                disputed=500.0,
                n_items=3,
            ),
            dict(
                customer_id="C2",
                customer_name="Beta",
                over_45=400.0,
                unapplied_cash=-150.0,
                total=250.0,
                gross_debit=400.0,
                overdue=400.0,
                overdue_rate=400 / 250,
                disputed=400.0,
                n_items=2,
            ),
            dict(
                customer_id="C3",
                customer_name="Gamma",
                credit_notes=-80.0,
                other_credits=-20.0,
                total=-100.0,
                overdue_rate=np.nan,
                n_items=2,
            ),
        ],
        ["customer_id"],
        b,
    )
    pd.testing.assert_frame_equal(got, want)


# Group totals reused below (all at AS_OF, see test_aged_balance_by_customer):
# FR = C1 + C2, DE = C3 + C4.
FR = dict(
    not_due=1000.0,
    d1_30=200.0,
    d31_60=300.0,
    d91_180=400.0,
    credit_notes=-50.0,
    unapplied_cash=-150.0,
    total=1700.0,  # 1450 + 250
    gross_debit=1900.0,
    overdue=900.0,
    overdue_rate=900 / 1700,  # overdue 500 + 400 over the total 1450 + 250
    disputed=400.0,
    n_items=6,
)
DE = dict(
    d61_90=250.0,
    over_180=500.0,
    credit_notes=-110.0,  # -80 - 30
    other_credits=-20.0,
    total=620.0,  # 720 - 100
    gross_debit=750.0,
    overdue=750.0,
    overdue_rate=750 / 620,
    disputed=500.0,
    n_items=5,
)
C1 = dict(
    not_due=1000.0,
    d1_30=200.0,
    d31_60=300.0,
    credit_notes=-50.0,
    total=1450.0,
    gross_debit=1500.0,
    overdue=500.0,
    overdue_rate=500 / 1450,
    n_items=4,
)
C2 = dict(
    d91_180=400.0,
    unapplied_cash=-150.0,
    total=250.0,
    gross_debit=400.0,
    overdue=400.0,
    overdue_rate=400 / 250,
    disputed=400.0,
    n_items=2,
)


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        ("entity", [dict(entity="FR", **FR), dict(entity="DE", **DE)]),
        # C2 has no segment: its own group (NaN), sorted by its total like any other
        (
            "segment",
            [
                dict(segment="retail", **C1),
                dict(segment="export", **DE),
                dict(segment=None, **C2),
            ],
        ),
        # C3 and C4 have no collector: one NaN group of 620
        (
            "collector",
            [
                dict(collector="anne", **C1),
                dict(collector=None, **DE),
                dict(collector="bob", **C2),
            ],
        ),
        (
            ["entity", "collector"],
            [
                dict(entity="FR", collector="anne", **C1),
                dict(entity="DE", collector=None, **DE),
                dict(entity="FR", collector="bob", **C2),
            ],
        ),
    ],
    ids=["entity", "segment_with_nan", "collector_with_nan", "entity_and_collector"],
)
def test_aged_balance_by_other_keys(by, rows):
    keys = [by] if isinstance(by, str) else by
    want = expected(rows, keys)
    pd.testing.assert_frame_equal(aged_balance(ledger(), AS_OF, by=by), want)


def test_aged_balance_by_none_is_one_total_row():
    got = aged_balance(ledger(), AS_OF, by=None)
    want = expected(
        [
            dict(
                not_due=1000.0,
                d1_30=200.0,
                d31_60=300.0,
                d61_90=250.0,
                d91_180=400.0,
                over_180=500.0,
                credit_notes=-160.0,  # -50 - 80 - 30
                unapplied_cash=-150.0,
                other_credits=-20.0,
                total=2320.0,  # 1700 + 620
                gross_debit=2650.0,  # 1900 + 750
                overdue=1650.0,
                overdue_rate=1650 / 2320,  # overdue 900 + 750 over the total
                disputed=900.0,
                n_items=11,
            )
        ],
        [],
    )
    want.index = pd.Index(["total"])
    pd.testing.assert_frame_equal(got, want)


def test_aged_balance_as_of_a_past_date_uses_cleared_dates():
    got = aged_balance(ledger(), "2024-06-15")
    want = expected(
        [
            # I1 due in 15 days -> not_due; I2 15 days, I3 16 days, I10 1 day (cleared only
            # on 06-20, so open on 06-15) -> d1_30 = 200 + 300 + 600 = 1100; I4 -50.
            # total 1000 + 1100 - 50 = 2050; gross 2100; overdue 1100
            dict(
                customer_id="C1",
                customer_name="Alpha",
                not_due=1000.0,
                d1_30=1100.0,
                credit_notes=-50.0,
                total=2050.0,
                gross_debit=2100.0,
                overdue=1100.0,
                overdue_rate=1100 / 2050,
                n_items=5,
            ),
            # I11 212 - 15 = 197 -> over_180; I12 76 - 15 = 61 -> d61_90; I14 -30
            dict(
                customer_id="C4",
                customer_name="Delta",
                d61_90=250.0,
                over_180=500.0,
                credit_notes=-30.0,
                total=720.0,
                gross_debit=750.0,
                overdue=750.0,
                overdue_rate=750 / 720,
                disputed=500.0,
                n_items=3,
            ),
            # I5 91 - 15 = 76 -> d61_90; I6 dated exactly 06-15 is in
            dict(
                customer_id="C2",
                customer_name="Beta",
                d61_90=400.0,
                unapplied_cash=-150.0,
                total=250.0,
                gross_debit=400.0,
                overdue=400.0,
                overdue_rate=400 / 250,
                disputed=400.0,
                n_items=2,
            ),
            # I8 dated 06-20: not yet booked on 06-15
            dict(
                customer_id="C3",
                customer_name="Gamma",
                credit_notes=-80.0,
                total=-80.0,
                overdue_rate=np.nan,
                n_items=1,
            ),
        ],
        ["customer_id"],
    )
    pd.testing.assert_frame_equal(got, want)


def test_open_only_false_takes_every_row():
    items = ledger()
    got = aged_balance(items, AS_OF, by=None, open_only=False)
    # adds I9 (999, due 2024-08-04: not_due) and I10 (600, due 06-14: 16 days, d1_30)
    assert got.loc["total", "total"] == 2320.0 + 999.0 + 600.0
    assert got.loc["total", "not_due"] == 1000.0 + 999.0
    assert got.loc["total", "d1_30"] == 200.0 + 600.0
    assert got.loc["total", "n_items"] == 13


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-1, "not_due"),
        (0, "not_due"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d91_180"),
        (180, "d91_180"),
        (181, "over_180"),
        (5000, "over_180"),
    ],
)
def test_bucket_boundaries_due_date(days, bucket):
    due = pd.Timestamp(AS_OF) - pd.Timedelta(days=days)
    items = pd.DataFrame(
        {
            "customer_id": ["C1"],
            "document_type": ["invoice"],
            "document_date": [due - pd.Timedelta(days=30)],
            "due_date": [due],
            "amount": [100.0],
        }
    )
    overdue = 100.0 if days > 0 else 0.0
    want = expected(
        [
            {
                "customer_id": "C1",
                bucket: 100.0,
                "total": 100.0,
                "gross_debit": 100.0,
                "overdue": overdue,
                "overdue_rate": overdue / 100,
                "n_items": 1,
            }
        ],
        ["customer_id"],
    )
    pd.testing.assert_frame_equal(aged_balance(items, AS_OF), want)


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (0, "d0_30"),
        (30, "d0_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (180, "d91_180"),
        (181, "over_180"),
    ],
)
def test_bucket_boundaries_document_date(age, bucket):
    doc = pd.Timestamp(AS_OF) - pd.Timedelta(days=age)
    items = pd.DataFrame(
        {
            "customer_id": ["C1"],
            "document_date": [doc],
            "due_date": [doc + pd.Timedelta(days=30)],
            "amount": [100.0],
        }
    )
    overdue = 100.0 if age > 30 else 0.0  # due 30 days after the document
    want = expected(
        [
            {
                "customer_id": "C1",
                bucket: 100.0,
                "total": 100.0,
                "gross_debit": 100.0,
                "overdue": overdue,
                "overdue_rate": overdue / 100,
                "n_items": 1,
            }
        ],
        ["customer_id"],
        ["d0_30", "d31_60", "d61_90", "d91_180", "over_180"],
    )
    pd.testing.assert_frame_equal(aged_balance(items, AS_OF, basis="document_date"), want)


@pytest.mark.parametrize("by", ["customer_id", ["entity", "collector"]])
def test_empty_input_gives_empty_frame_with_columns(by):
    items = ledger().iloc[:0]
    got = aged_balance(items, AS_OF, by=by)
    keys = [by] if isinstance(by, str) else by
    names = ["customer_name"] if by == "customer_id" else []
    assert list(got.columns) == [*keys, *names, *BUCKETS, *TAIL]
    assert len(got) == 0
    assert all(got[c].dtype == items[c].dtype for c in [*keys, *names])
    assert all(got[c].dtype == "float64" for c in [*BUCKETS, *TAIL[:-1]])
    assert got["n_items"].dtype == "int64"


def test_empty_input_by_none_is_a_zero_row():
    got = aged_balance(ledger().iloc[:0], AS_OF, by=None)
    want = expected([dict(overdue_rate=np.nan, n_items=0)], [])
    want.index = pd.Index(["total"])
    pd.testing.assert_frame_equal(got, want)


def test_items_after_as_of_only_give_empty_balance():
    items = ledger().iloc[[8]]  # I9, dated 2024-07-05
    assert aged_balance(items, AS_OF).empty


def test_all_credits():
    items = ledger().iloc[[3, 5, 6, 7]]  # I4 -50 credit, I6 -150 payment, I7 -80, I8 -20 other
    got = aged_balance(items, AS_OF, by=None)
    want = expected(
        [
            dict(
                credit_notes=-130.0,  # -50 - 80
                unapplied_cash=-150.0,
                other_credits=-20.0,
                total=-300.0,  # -130 - 150 - 20
                overdue_rate=np.nan,
                n_items=4,
            )
        ],
        [],
    )
    want.index = pd.Index(["total"])
    pd.testing.assert_frame_equal(got, want)


def test_minimal_columns_and_no_document_type():
    # no document_type, dispute, name, cleared_date: negatives are other_credits
    items = pd.DataFrame(
        {
            "customer_id": ["X", "X"],
            "document_date": pd.to_datetime(["2024-06-01", "2024-06-01"]),
            "due_date": pd.to_datetime(["2024-06-10", "2024-06-10"]),
            "amount": [70.0, -20.0],
        }
    )
    # 06-30 - 06-10 = 20 days -> d1_30
    want = expected(
        [
            dict(
                customer_id="X",
                d1_30=70.0,
                other_credits=-20.0,
                total=50.0,
                gross_debit=70.0,
                overdue=70.0,
                overdue_rate=70 / 50,
                n_items=2,
            )
        ],
        ["customer_id"],
    )
    pd.testing.assert_frame_equal(aged_balance(items, AS_OF), want)


def test_other_currencies_age_on_company_amount():
    items = ledger().iloc[[0]].assign(currency="USD", amount_currency=1085.0)
    got = aged_balance(items, AS_OF, by=None)
    assert got.loc["total", "not_due"] == 1000.0  # amount, not amount_currency


def test_inputs_are_not_modified():
    items = ledger()
    before = items.copy()
    aged = aged_balance(items, AS_OF)
    aged_copy = aged.copy()
    aging_summary(items, AS_OF)
    aged_balance_long(items, AS_OF)
    concentration(aged)
    pareto(aged)
    pd.testing.assert_frame_equal(items, before)
    pd.testing.assert_frame_equal(aged, aged_copy)


def test_unknown_by_column():
    with pytest.raises(KeyError, match="'region'"):
        aged_balance(ledger(), AS_OF, by="region")


@pytest.mark.parametrize("basis", ["due_date", "document_date"])
@pytest.mark.parametrize("by", ["customer_id", ["entity", "segment"], None])
def test_reconciles_with_the_open_items(basis, by):
    """Σ total over groups = Σ amount of the open items; per row buckets + credits = total."""
    rng = np.random.default_rng(7)
    n = 3000
    doc = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
    cleared = doc + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    items = pd.DataFrame(
        {
            "entity": rng.choice(["FR", "DE", "IT"], n),
            "customer_id": rng.choice([f"C{i:03d}" for i in range(150)], n),
            "segment": rng.choice(np.array(["a", "b", None], dtype=object), n),
            "document_type": rng.choice(["invoice", "credit_note", "payment", "other"], n),
            "document_date": doc,
            "due_date": doc + pd.to_timedelta(rng.choice([0, 30, 45, 60], n), unit="D"),
            "amount": np.round(rng.normal(800, 1500, n), 2),
            "dispute": rng.random(n) < 0.1,
            "cleared_date": pd.Series(cleared).where(rng.random(n) < 0.5),
        }
    )
    as_of = pd.Timestamp("2024-02-29")
    is_open = (items["document_date"] <= as_of) & (items["cleared_date"].isna() | (items["cleared_date"] > as_of))
    control = items.loc[is_open, "amount"].sum()
    aged = aged_balance(items, as_of, by=by, basis=basis)
    assert aged["total"].sum() == pytest.approx(control, abs=1e-6)
    assert aged["n_items"].sum() == is_open.sum()
    parts = [*bucket_keys(DEFAULT_EDGES, basis), "credit_notes", "unapplied_cash", "other_credits"]
    np.testing.assert_allclose(aged[parts].sum(axis=1), aged["total"], atol=1e-6)
    positive = items.loc[is_open, "amount"].clip(lower=0).sum()
    assert aged["gross_debit"].sum() == pytest.approx(positive, abs=1e-6)
    summary = aging_summary(items, as_of, basis=basis)
    assert summary["control_total"] == pytest.approx(control, abs=1e-6)
    assert summary["total"] == pytest.approx(control, abs=1e-6)


# --------------------------------------------------------------------------- long form
def test_aged_balance_long():
    items = ledger().iloc[[0, 1, 3, 6]]  # C1: I1 1000 not_due, I2 200 d1_30, I4 -50; C3: I7 -80
    got = aged_balance_long(items, AS_OF, edges=(0, 30))
    parts = ["not_due", "d1_30", "over_30", "credit_notes", "unapplied_cash", "other_credits"]
    want = pd.DataFrame(
        {
            "customer_id": ["C1"] * 6 + ["C3"] * 6,  # C1 total 1150 first, C3 -80
            "bucket": parts * 2,
            "amount": [1000.0, 200.0, 0.0, -50.0, 0.0, 0.0, 0.0, 0.0, 0.0, -80.0, 0.0, 0.0],
        }
    )
    pd.testing.assert_frame_equal(got, want)


# --------------------------------------------------------------------------- summary
def test_aging_summary():
    got = aging_summary(ledger(), AS_OF)
    want = {
        "total": 2320.0,  # 1450 + 720 + 250 - 100
        "control_total": 2320.0,
        "gross_debit": 2650.0,  # 1500 + 750 + 400
        "credit_notes": -160.0,  # -50 - 80 - 30
        "unapplied_cash": -150.0,
        "other_credits": -20.0,  # 2650 - 160 - 150 - 20 = 2320
        "not_due": 1000.0,  # 2650 - 1650
        "overdue": 1650.0,  # 500 + 750 + 400
        "overdue_rate": 1650 / 2320,  # overdue / total: 1650 / (2650 - 330)
        "disputed": 900.0,  # I5 400 + I11 500
        "disputed_overdue": 900.0,  # both overdue
        "d1_30": 200.0,
        "d31_60": 300.0,
        "d61_90": 250.0,
        "d91_180": 400.0,
        "over_180": 500.0,
        "applied_credits": 0.0,  # no lettering code: nothing applied
        "allocated_credits": 0.0,  # allocate=False
        "n_customers_allocated": 0,
        # debits booked by AS_OF: I1 1000 + I2 200 + I3 300 + I5 400 + I10 600 + I11 500
        # + I12 250 = 3250 (I9 is dated after); lettered (cleared): I10 600
        "lettering_rate": 600 / 3250,
        "n_items": 11,  # 13 rows - I9 (after as_of) - I10 (cleared)
        "n_customers": 4,
        "n_customers_overdue": 3,  # C1, C2, C4
    }
    assert list(got) == list(want)
    assert got == pytest.approx(want)
    assert all(type(v) in (float, int) for v in got.values())


def test_aging_summary_empty():
    got = aging_summary(ledger().iloc[:0], AS_OF)
    assert got["total"] == 0.0 and got["n_items"] == 0 and got["n_customers"] == 0
    assert np.isnan(got["overdue_rate"])


# --------------------------------------------------------------------------- concentration
def test_concentration_overdue_top2_with_others():
    aged = aged_balance(ledger(), AS_OF)  # overdue: C1 500, C4 750, C2 400, C3 0; Σ 1650
    got = concentration(aged, value="overdue", n=2)
    want = pd.DataFrame(
        {
            "rank": pd.array([1, 2, pd.NA], dtype="Int64"),
            "customer_id": ["C4", "C1", "others"],
            "customer_name": ["Delta", "Alpha", None],
            "overdue": [750.0, 500.0, 400.0],  # others = C2 400 + C3 0
            "share": [750 / 1650, 500 / 1650, 400 / 1650],
            "cumulative_share": [750 / 1650, 1250 / 1650, 1650 / 1650],
            "n_groups": np.array([1, 1, 2], dtype="int64"),
        }
    )
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["overdue"].sum() == aged["overdue"].sum()


def test_concentration_total_keeps_negative_rows_in_others():
    aged = aged_balance(ledger(), AS_OF)  # total: C1 1450, C4 720, C2 250, C3 -100; Σ 2320
    got = concentration(aged, value="total", n=10)
    assert got["customer_id"].tolist() == ["C1", "C4", "C2", "others"]
    assert got["total"].tolist() == [1450.0, 720.0, 250.0, -100.0]
    np.testing.assert_allclose(got["share"], [1450 / 2320, 720 / 2320, 250 / 2320, -100 / 2320])
    np.testing.assert_allclose(got["cumulative_share"], [1450 / 2320, 2170 / 2320, 2420 / 2320, 1.0])
    assert got["n_groups"].tolist() == [1, 1, 1, 1]


def test_concentration_without_others_and_without_name():
    aged = pd.DataFrame({"segment": ["a", "b"], "overdue": [30.0, 10.0]})
    got = concentration(aged, n=5, key="segment")
    want = pd.DataFrame(
        {
            "rank": pd.array([1, 2], dtype="Int64"),
            "segment": ["a", "b"],
            "overdue": [30.0, 10.0],
            "share": [0.75, 0.25],  # 30 / 40, 10 / 40
            "cumulative_share": [0.75, 1.0],
            "n_groups": [1, 1],
        }
    )
    pd.testing.assert_frame_equal(got, want)


def test_concentration_empty():
    got = concentration(aged_balance(ledger().iloc[:0], AS_OF))
    assert got.empty
    assert list(got.columns) == [
        "rank",
        "customer_id",
        "customer_name",
        "overdue",
        "share",
        "cumulative_share",
        "n_groups",
    ]


# --------------------------------------------------------------------------- pareto
def test_pareto():
    aged = aged_balance(ledger(), AS_OF)  # overdue 750, 500, 400, 0
    got = pareto(aged, value="overdue", threshold=0.8, top_n=2)
    want = {
        "value_total": 1650.0,
        "n_groups": 4,
        "n_positive": 3,
        "threshold": 0.8,
        "n_for_threshold": 3,  # 0.8 × 1650 = 1320; cumulative 750, 1250, 1650
        "share_of_groups": 0.75,  # 3 / 4
        "top_n": 2,
        "top_n_share": 1250 / 1650,
        "herfindahl": (750**2 + 500**2 + 400**2) / 1650**2,  # 972500 / 2722500
        "effective_n": 1650**2 / (750**2 + 500**2 + 400**2),
    }
    assert got == pytest.approx(want)


@pytest.mark.parametrize(
    ("values", "threshold", "k"),
    [
        ([80.0, 20.0], 0.8, 1),  # exactly 80 % with one
        ([0.1, 0.2, 0.7], 0.7, 1),  # 0.7 of 1.0, floats
        ([0.1, 0.2, 0.7], 0.9, 2),  # 0.7 + 0.2 = 0.9
        ([25.0, 25.0, 25.0, 25.0], 0.8, 4),  # 75 < 80 -> 4
        ([10.0, -5.0, 0.0], 1.0, 1),  # negatives and zeros do not count
    ],
)
def test_pareto_threshold(values, threshold, k):
    assert pareto(pd.DataFrame({"overdue": values}), threshold=threshold)["n_for_threshold"] == k


def test_pareto_nothing_to_share():
    got = pareto(pd.DataFrame({"overdue": [0.0, 0.0]}))
    assert got["n_for_threshold"] == 0 and got["value_total"] == 0.0
    assert np.isnan(got["herfindahl"]) and np.isnan(got["top_n_share"])


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_pareto_bad_threshold(threshold):
    with pytest.raises(ValueError, match="threshold"):
        pareto(pd.DataFrame({"overdue": [1.0]}), threshold=threshold)


def test_open_at_still_works():
    assert open_at(ledger(), AS_OF)["document_id"].tolist() == [
        "I1",
        "I2",
        "I3",
        "I4",
        "I5",
        "I6",
        "I7",
        "I8",
        "I11",
        "I12",
        "I14",
    ]


def test_open_at_uses_the_booking_date_when_given():
    items = pd.DataFrame(
        {
            "document_id": ["A", "B"],
            "document_date": pd.to_datetime(["2024-01-10", "2024-01-31"]),
            "cleared_date": pd.to_datetime([None, None]),
            "amount": [100.0, 50.0],
        }
    )
    # without a booking date, the document date decides: both open at 01-31
    assert open_at(items, "2024-01-31")["document_id"].tolist() == ["A", "B"]
    # B dated 01-31 but booked 03-02: not in the books at 01-31, open from 03-02
    booked = items.assign(booked_date=pd.to_datetime(["2024-01-10", "2024-03-02"]))
    assert open_at(booked, "2024-01-31")["document_id"].tolist() == ["A"]
    assert open_at(booked, "2024-03-02")["document_id"].tolist() == ["A", "B"]
    # the aged balance at 01-31 holds A only: 100 (not 100 + 50)
    assert aged_balance(booked, "2024-01-31", by=None, basis="document_date")["total"].iloc[0] == 100.0
