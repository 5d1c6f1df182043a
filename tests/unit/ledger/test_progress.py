"""Weekly progress of the overdue stock, on two hand-made weekly snapshots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cashmission.ledger.progress import (
    cash_collected,
    movers,
    progress_by,
    snapshots_from_ledger,
    target_path,
    weekly_progress,
)

W0, W1 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12")
LEDGER = pd.DataFrame(
    {
        "customer_id": ["C1", "C1", "C2", "C3"],
        "document_id": ["F1", "F2", "F3", "F4"],
        "document_type": ["invoice"] * 4,
        "document_date": pd.to_datetime(["2025-11-01", "2026-01-01", "2025-11-20", "2026-01-09"]),
        "due_date": pd.to_datetime(["2025-12-01", "2026-01-31", "2025-12-20", "2026-01-10"]),
        "amount": [100.0, 50.0, 200.0, 40.0],
        "dispute": [False, False, True, False],
        "collector": ["Ana", "Ana", "Ana", "Bob"],
        "cleared_date": pd.to_datetime([pd.NaT, pd.NaT, pd.NaT, pd.NaT]),
    }
)
LEDGER.loc[0, "cleared_date"] = pd.Timestamp("2026-01-08")  # F1 paid on 8 January
PAYMENTS = pd.DataFrame({"payment_date": pd.to_datetime(["2026-01-08"]), "amount": [100.0]})


@pytest.fixture
def snaps():
    return snapshots_from_ledger(LEDGER, [W1, W0])  # any order: sorted by date


def test_weekly_progress_by_hand(snaps):
    table = weekly_progress(snaps, payments=PAYMENTS, target_overdue=150.0)
    assert table["as_of"].tolist() == [W0, W1] and table["week"].tolist() == [0, 1]
    # week 0: F1 100 (due 1/12) + F2 50 (due 31/01, not due) + F3 200 (due 20/12) = 350; overdue 100 + 200 = 300
    # week 1: F1 paid; F2 50 + F3 200 + F4 40 (booked 9/01, due 10/01: 2 days late) = 290; overdue 200 + 40 = 240
    assert table["total"].tolist() == [350.0, 290.0]
    assert table["overdue"].tolist() == [300.0, 240.0]
    assert table["overdue_rate"].tolist() == pytest.approx([300 / 350, 240 / 290])
    assert np.isnan(table["overdue_change"].iloc[0]) and table["overdue_change"].iloc[1] == -60.0
    assert table["overdue_vs_start"].tolist() == pytest.approx([0.0, 240 / 300 - 1])  # −20 %
    assert np.isnan(table["cash_collected"].iloc[0]) and table["cash_collected"].iloc[1] == 100.0
    assert table["target_overdue"].tolist() == [300.0, 150.0]
    assert table["disputed"].tolist() == [200.0, 200.0]


def test_movers_and_progress_by_collector(snaps):
    m = movers(snaps[W0], snaps[W1], W0, W1)
    # C1: 100 → 0 (−100, down); C3: 0 → 40 (+40, up); C2 unchanged at 200: not a mover
    assert m[["customer_id", "change", "direction"]].to_numpy().tolist() == [["C1", -100.0, "down"], ["C3", 40.0, "up"]]
    by = progress_by(snaps, "collector").set_index("collector")
    # Ana: 100 + 200 = 300 at start, 200 now: 200 / 300 − 1 = −33.3 %; Bob: 0 → 40, no rate from 0
    assert by.loc["Ana", ["overdue_start", "overdue_now", "change"]].tolist() == [300.0, 200.0, -100.0]
    assert by.loc["Ana", "overdue_vs_start"] == pytest.approx(-1 / 3)
    assert by.loc["Bob", "overdue_now"] == 40.0 and np.isnan(by.loc["Bob", "overdue_vs_start"])
    assert by["overdue_start"].sum() == 300.0 and by["overdue_now"].sum() == 240.0  # ties to the weekly table


def test_target_path_and_cash_windows():
    assert target_path(6_600_000, 1_500_000, 13)[[0, 6, 12]].tolist() == [6_600_000, 4_050_000, 1_500_000]
    pay = pd.DataFrame(
        {"payment_date": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-12"]), "amount": [1, 2, 4]}
    )
    # (5/01, 12/01]: the payment of the 5th belongs to the week before
    assert cash_collected(pay, [W0, W1]).iloc[1] == 6.0


def test_unlettered_payments_are_not_progress_until_lettered():
    # C1 owes F1 100 (overdue) and paid 100 without lettering (a payment line, no match code)
    items = pd.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "document_id": ["F1", "P1"],
            "document_type": ["invoice", "payment"],
            "document_date": pd.to_datetime(["2025-11-01", "2026-01-03"]),
            "due_date": pd.to_datetime(["2025-12-01", "2026-01-03"]),
            "amount": [100.0, -100.0],
            "match_code": [None, None],
            "lettering_status": ["unlettered", "unlettered"],  # a ledger that records lettering (a FEC's)
        }
    )
    weekly = weekly_progress({W0: items})
    # the follow-up keeps the invoice overdue (100) and the payment as unapplied cash (−100): total 0
    assert weekly["overdue"].iloc[0] == 100.0 and weekly["unapplied_cash"].iloc[0] == -100.0
    assert weekly["total"].iloc[0] == 0.0
    # the diagnostic's view allocates the payment to the oldest invoice: nothing overdue
    assert weekly_progress({W0: items}, allocate=True)["overdue"].iloc[0] == 0.0
