"""Working-capital KPIs: every figure is worked by hand (arithmetic in the comment) or
taken from /work/shared/worked_examples.md ("WE"), never from the function itself."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cashmission.io import kpi_template
from cashmission.meta import Period, of
from cashmission.problems import InputError
from cashmission.working_capital import bridge, measures, measures_cycle, series, table
from tests.conftest import ROOT
from tests.unit.working_capital.kpi_frames import kpi_values, oct_dec

approx = pytest.approx


# --------------------------------------------------------------------------- DSO simple
@pytest.mark.parametrize(
    ("receivables", "revenue", "days", "kwargs", "expected"),
    [
        # WE simple 2: 5,700 / 7,600 × 91 = 68.25 (published 68)
        (5_700, 7_600, 91, {"revenue_is": "ttc"}, 68.25),
        # WE simple 3 and 4: 20,000 / 45,000 × 90 = 40.0 ; 30,000 / 60,000 × 90 = 45.0
        (20_000, 45_000, 90, {"revenue_is": "ttc"}, 40.0),
        (30_000, 60_000, 90, {"revenue_is": "ttc"}, 45.0),
        # WE simple 1: 472 / (2,400 + 470.4) × 365 = 60.02 (published 60), revenue given TTC
        (472, 2_870.4, 365, {"revenue_is": "ttc"}, 60.02),
        # same, revenue HT grossed up at the effective rate 470.4 / 2,400 = 19.6 %
        (472, 2_400, 365, {"revenue_is": "ht", "vat_rate": 0.196}, 60.02),
        # HT/HT: (472 / 1.196) / 2,400 × 365 = 394.65 / 2,400 × 365 = 60.02 (same number)
        (472, 2_400, 365, {"revenue_is": "ht", "basis": "ht", "vat_rate": 0.196}, 60.02),
        # TTC revenue with basis HT: both divided by 1.2: 1,200 / 3,600 × 360 = 120
        (1_200, 3_600, 360, {"revenue_is": "ttc", "basis": "ht", "vat_rate": 0.2}, 120.0),
    ],
)
def test_dso_simple_hand_worked(receivables, revenue, days, kwargs, expected):
    assert measures.dso_simple(receivables, revenue, days, **kwargs) == approx(expected, abs=0.005)


def test_dso_simple_refuses_a_silent_ttc_ht_mix():
    # receivables TTC over revenue HT without a VAT rate would overstate DSO by 20 %
    with pytest.raises(ValueError, match="vat_rate"):
        measures.dso_simple(472, 2_400, 365, revenue_is="ht")
    with pytest.raises(TypeError, match="revenue_is"):
        measures.dso_simple(472, 2_400, 365)  # the basis of revenue must be said


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"revenue_is": "HT"}, "revenue_is must be 'ttc' or 'ht'; got 'HT'"),
        ({"revenue_is": "ttc", "basis": "mixed"}, "basis must be 'ttc' or 'ht'; got 'mixed'"),
        ({"revenue_is": "ht", "vat_rate": 20}, "vat_rate is a fraction"),
    ],
)
def test_dso_simple_errors_name_the_bad_value(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        measures.dso_simple(100, 1_000, 30, **kwargs)


@pytest.mark.parametrize("days", [0, -30, float("nan")])
def test_dso_simple_needs_positive_days(days):
    with pytest.raises(ValueError, match="positive number of days"):
        measures.dso_simple(100, 1_000, days, revenue_is="ttc")


def test_dso_simple_zero_revenue_is_undefined():
    assert math.isnan(measures.dso_simple(100, 0, 30, revenue_is="ttc"))
    assert math.isnan(measures.dso_simple(100, -50, 30, revenue_is="ttc"))  # net credit notes


def test_dso_simple_negative_receivables_shown_as_is():
    # customers in credit overall: -1,000 / 1,000 × 30 = -30
    assert measures.dso_simple(-1_000, 1_000, 30, revenue_is="ttc") == -30.0


def test_dso_simple_returns_plain_float():
    assert type(measures.dso_simple(5_700, 7_600, 91, revenue_is="ttc")) is float


# --------------------------------------------------------------------------- DSO countback
def _dated(values: list[float], ends: list[str]) -> pd.Series:
    return pd.Series(values, index=pd.to_datetime(ends))


@pytest.mark.parametrize(
    ("receivables", "sales", "days", "expected"),
    [
        # WE countback 3: 31 + 30 + 120,000 / 220,000 × 31 = 77.91
        (500_000, [200_000, 180_000, 220_000], [31, 30, 31], 77.91),
        # WE countback 1: 30 + 31 + 500 / 700 × 30 = 82.43
        (2_500, [1_200, 800, 700], [30, 31, 30], 82.43),
        # WE countback 2: 30 + 7,500 / 10,000 × 31 = 53.25 — NOT the page's 74
        (20_000, [12_500, 10_000, 6_000], [30, 31, 31], 53.25),
        # 30-day months (360 convention): 30 + 30 + 120 / 220 × 30 = 76.36
        (500_000, [200_000, 180_000, 220_000], 30, 76.36),
        # a month without sales adds its days and consumes nothing: 30 + 1,000 / 2,000 × 31 = 45.5
        (1_000, [0, 2_000], [30, 31], 45.5),
        # a month of net credit notes counts as zero sales: 30 + 1,000 / 2,000 × 31 = 45.5
        (1_000, [-300, 2_000], [30, 31], 45.5),
        # receivables exactly one month of sales: 31
        (200_000, [200_000, 180_000], [31, 30], 31.0),
        # zero receivables: 0 days
        (0, [200_000], [31], 0.0),
    ],
)
def test_dso_countback_hand_worked(receivables, sales, days, expected):
    assert measures.dso_countback(receivables, sales, days) == approx(expected, abs=0.005)


def test_dso_countback_worked_example_2_is_not_74():
    # WE 2 with dates: June 12,500, May 10,000, April 6,000; given oldest first on purpose
    sales = _dated([6_000, 10_000, 12_500], ["2024-04-30", "2024-05-31", "2024-06-30"])
    value = measures.dso_countback(20_000, sales)
    assert value == approx(53.25, abs=0.005)  # 30 + 7,500 / 10,000 × 31
    assert round(value) != 74


def test_dso_countback_dated_series_uses_calendar_days_in_any_order():
    # WE 1 with dates: Nov 1,200 (30 d), Oct 800 (31), Sep 700 (30) → 82.43
    ascending = _dated([700, 800, 1_200], ["2024-09-30", "2024-10-31", "2024-11-30"])
    descending = ascending.iloc[::-1]
    assert measures.dso_countback(2_500, ascending) == approx(82.43, abs=0.005)
    assert measures.dso_countback(2_500, descending) == approx(82.43, abs=0.005)
    periods = pd.Series([700, 800, 1_200], index=pd.period_range("2024-09", periods=3, freq="M"))
    assert measures.dso_countback(2_500, periods) == approx(82.43, abs=0.005)


def test_dso_countback_partial_current_month():
    # as of 15 June: June sales so far 1,000 over 15 days, May 1,000 (31 days);
    # days_in_month matched position by position with the series as given (May, June):
    # 15 + 500 / 1,000 × 31 = 30.5
    sales = _dated([1_000, 1_000], ["2024-05-31", "2024-06-30"])
    assert measures.dso_countback(1_500, sales, [31, 15]) == approx(30.5)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # 5,000 vs 2,000 of history over 61 days: 61 + 3,000 / (2,000 / 61) = 61 + 91.5 = 152.5
        ("extrapolate", 152.5),
        # cap: the days of the whole history, 30 + 31 = 61 (a lower bound)
        ("cap", 61.0),
    ],
)
def test_dso_countback_receivables_larger_than_the_whole_history(mode, expected):
    assert measures.dso_countback(5_000, [1_000, 1_000], [30, 31], beyond_history=mode) == approx(expected)
    assert measures.countback_exhausted(5_000, [1_000, 1_000])
    assert not measures.countback_exhausted(2_000, [1_000, 1_000])


def test_dso_countback_beyond_history_can_raise():
    with pytest.raises(ValueError, match="exceed the 2 months of sales"):
        measures.dso_countback(5_000, [1_000, 1_000], [30, 31], beyond_history="raise")
    with pytest.raises(ValueError, match="beyond_history must be"):
        measures.dso_countback(5_000, [1_000], [30], beyond_history="guess")  # type: ignore[arg-type]


def test_dso_countback_extrapolation_without_any_sales_is_undefined():
    assert math.isnan(measures.dso_countback(100, [0, 0], [30, 31]))


def test_dso_countback_negative_receivables_is_undefined():
    assert math.isnan(measures.dso_countback(-1_000, [1_000], [30]))


@pytest.mark.parametrize(
    ("sales", "days", "message"),
    [
        ([], [30], "empty"),  # empty input
        ([1_000, 2_000], None, "days_in_month is required"),
        ([1_000, 2_000], [30], "2 months of sales"),
        ([1_000], [0], "days_in_month must be positive"),
        (pd.Series([1_000, 2_000], index=["2024-06", "2024-05"]), None, "indexed by month end"),
    ],
)
def test_dso_countback_input_errors(sales, days, message):
    with pytest.raises(ValueError, match=message):
        measures.dso_countback(500, sales, days)


# --------------------------------------------------------------------------- BPDSO, ADD, overdue, CEI
def test_best_possible_dso_and_average_days_delinquent():
    sales, days = [200_000, 180_000, 220_000], [31, 30, 31]
    bp = measures.dso_best_possible(150_000, sales, days)
    assert bp == approx(23.25)  # 150,000 / 200,000 × 31
    dso = measures.dso_countback(500_000, sales, days)  # 77.909 (WE 3)
    assert measures.average_days_delinquent(dso, bp) == approx(77.909 - 23.25, abs=0.001)


@pytest.mark.parametrize(
    ("receivables", "not_due", "expected"),
    [
        (400_000, 300_000, 0.25),
        (100, 100, 0.0),
        (100, 0, 1.0),
        (0, 0, float("nan")),
        (-50, 0, float("nan")),
    ],
)
def test_overdue_rate(receivables, not_due, expected):
    assert measures.overdue_rate(receivables, not_due) == approx(expected, nan_ok=True)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # (1,000 + 1,200 / 12 − 1,000) / (1,000 + 100 − 700) = 100 / 400 = 0.25
        ((1_000, 1_200, 1_000, 700, 12), 0.25),
        # one month: (500 + 300 − 450) / (500 + 300 − 300) = 350 / 500 = 0.70
        ((500, 300, 450, 300, 1), 0.70),
        # everything collected except what is current: (100 + 50 − 20) / (100 + 50 − 20) = 1.0
        ((100, 50, 20, 20, 1), 1.0),
        # zero denominator
        ((0, 0, 0, 0, 1), float("nan")),
    ],
)
def test_collection_effectiveness_index_as_fraction(args, expected):
    assert measures.collection_effectiveness_index(*args) == approx(expected, nan_ok=True)


def test_collection_effectiveness_index_needs_months():
    with pytest.raises(ValueError, match="months must be"):
        measures.collection_effectiveness_index(1, 1, 1, 1, 0)


# --------------------------------------------------------------------------- days beyond terms
def _paid(amounts, due, paid):
    return pd.DataFrame({"amount": amounts, "due_date": pd.to_datetime(due), "payment_date": pd.to_datetime(paid)})


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        # 1,000 paid 10 days late, 3,000 paid 11 days early (counts 0): 10,000 / 4,000 = 2.5
        (
            _paid([1_000.0, 3_000.0], ["2024-01-31", "2024-01-31"], ["2024-02-10", "2024-01-20"]),
            2.5,
        ),
        # 2,000 × 30 + 2,000 × 10 = 80,000 / 4,000 = 20; the credit note is left out
        (
            _paid(
                [2_000.0, 2_000.0, -500.0],
                ["2024-03-01", "2024-03-01", "2024-03-01"],
                ["2024-03-31", "2024-03-11", "2024-06-01"],
            ),
            20.0,
        ),
        # empty input
        (_paid([], [], []), float("nan")),
    ],
)
def test_days_beyond_terms_amount_weighted(frame, expected):
    assert measures.days_beyond_terms(frame) == approx(expected, nan_ok=True)


def test_days_beyond_terms_refuses_unpaid_items_and_missing_columns():
    with pytest.raises(ValueError, match="1 invoice"):
        measures.days_beyond_terms(_paid([100.0], ["2024-01-31"], [None]))
    with pytest.raises(ValueError, match="missing: payment_date"):
        measures.days_beyond_terms(pd.DataFrame({"amount": [1.0], "due_date": [pd.Timestamp("2024-01-01")]}))


# --------------------------------------------------------------------------- economic DSO, DPO, stocks, BFR, cash
def test_dso_economic_adds_factoring_back():
    # (300,000 + 150,000 + 50,000) / 3,000,000 × 360 = 60 ; reported: 300 / 3,000 × 360 = 36
    assert measures.dso_economic(300_000, 150_000, 50_000, 3_000_000, 360, revenue_is="ttc") == approx(60.0)
    # only discounted bills given: factoring missing counts 0: (300 + 50) / 3,000 × 360 = 42
    assert measures.dso_economic(300_000, None, 50_000, 3_000_000, 360, revenue_is="ttc") == approx(42.0)


def test_dso_economic_without_any_factoring_figure_is_empty():
    # neither factored nor discounted given: nothing says there is no factoring, so no economic DSO
    # (it used to return the reported 300 / 3,000 × 360 = 36 as if both were 0)
    assert math.isnan(measures.dso_economic(300_000, float("nan"), None, 3_000_000, 360, revenue_is="ttc"))


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((100_000, 600_000, 360), {"purchases_is": "ttc"}, 60.0),  # 100 / 600 × 360
        (
            (120_000, 500_000, 360),
            {"purchases_is": "ht", "vat_rate": 0.2},
            72.0,
        ),  # 120 / (500 × 1.2) × 360
        (
            (120_000, 500_000, 360),
            {"purchases_is": "ht", "basis": "ht", "vat_rate": 0.2},
            72.0,
        ),  # 100 / 500 × 360
        ((100_000, 0, 360), {"purchases_is": "ttc"}, float("nan")),  # no purchases
    ],
)
def test_dpo(args, kwargs, expected):
    assert measures_cycle.dpo(*args, **kwargs) == approx(expected, nan_ok=True)


def test_dpo_refuses_a_silent_mix():
    with pytest.raises(ValueError, match="payables are TTC and purchases is HT"):
        measures_cycle.dpo(120_000, 500_000, 360, purchases_is="ht")


@pytest.mark.parametrize(
    ("stock", "flow", "days", "expected"),
    [(50_000, 600_000, 360, 30.0), (50_000, 730_000, 365, 25.0), (50_000, 0, 365, float("nan"))],
)
def test_stock_days(stock, flow, days, expected):
    assert measures_cycle.stock_days(stock, flow, days) == approx(expected, nan_ok=True)


def test_working_capital_requirement_in_euros_and_days():
    bfr = measures_cycle.working_capital_requirement(200_000, 500_000, 300_000)  # 200 + 500 − 300
    assert bfr == 400_000.0
    assert measures_cycle.working_capital_days(bfr, 3_600_000, 360) == approx(40.0)  # 400 / 3,600 × 360
    assert math.isnan(measures_cycle.working_capital_days(bfr, 0, 360))  # zero revenue


def test_cash_per_day_and_cash_released():
    assert measures_cycle.cash_per_day(3_650_000, 365) == 10_000.0
    assert measures_cycle.cash_released(65, 60, 3_650_000, 365) == approx(50_000.0)  # 5 days × 10,000
    assert measures_cycle.cash_released(60, 65, 3_650_000, 365) == approx(-50_000.0)  # a longer DSO consumes cash


# --------------------------------------------------------------------------- DSO bridge
# before: 300 + 100 + 50 − 30 − 20 = 400 k€ over 10,000 €/day (3.6 M€ / 360) → DSO 40
BEFORE = {
    "not_due": 300_000,
    "overdue_undisputed": 100_000,
    "disputed": 50_000,
    "unapplied_cash_and_credits": -30_000,
    "factored": 20_000,
    "revenue_ttc": 3_600_000,
    "days": 360,
}
# after: 330 + 150 + 30 − 40 − 50 = 420 k€ over 12,000 €/day (4.32 M€ / 360) → DSO 35
AFTER = {
    "not_due": 330_000,
    "overdue_undisputed": 150_000,
    "disputed": 30_000,
    "unapplied_cash_and_credits": -40_000,
    "factored": 50_000,
    "revenue_ttc": 4_320_000,
    "days": 360,
}


def test_dso_bridge_hand_worked():
    b = bridge.dso_bridge(BEFORE, AFTER).set_index("cause")
    assert list(b.index) == ["dso_before", *bridge.BRIDGE_CAUSES, "dso_after"]
    expected_days = {
        "dso_before": 40.0,
        "not_due": 30_000 / 12_000,  # 2.5
        "overdue_undisputed": 50_000 / 12_000,  # 4.1667
        "disputed": -20_000 / 12_000,  # -1.6667
        "unapplied_cash_and_credits": -10_000 / 12_000,  # -0.8333
        "factored": -30_000 / 12_000,  # -2.5 (more factoring lowers the reported DSO)
        "sales_level": 400_000 / 12_000 - 400_000 / 10_000,  # 33.333 − 40 = -6.6667
        "dso_after": 35.0,
    }
    for cause, days in expected_days.items():
        assert b.loc[cause, "days"] == approx(days), cause
    # cash: each cause's change of amount; sales level valued at today's 12,000 €/day = -80,000
    assert b.loc["overdue_undisputed", "cash"] == approx(50_000)
    assert b.loc["factored", "cash"] == approx(-30_000)
    assert b.loc["sales_level", "cash"] == approx(-80_000)
    assert b.loc["factored", "amount_after"] == -50_000  # signed contribution to receivables


def test_dso_bridge_effects_add_up_exactly_to_the_change():
    b = bridge.dso_bridge(BEFORE, AFTER)
    effects = b.loc[b["kind"] == "effect", "days"].sum()
    assert effects == approx(35.0 - 40.0, abs=1e-12)


def test_dso_bridge_same_sales_has_no_sales_effect():
    after = {**BEFORE, "overdue_undisputed": 160_000}
    b = bridge.dso_bridge(BEFORE, after).set_index("cause")
    assert b.loc["sales_level", "days"] == 0.0
    assert b.loc["overdue_undisputed", "days"] == approx(6.0)  # 60,000 / 10,000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"disputes": 1}, "unknown keys \\['disputes'\\]"),
        ({"factored": -5}, "positive number"),
        ({"revenue_ttc": 0}, "revenue_ttc'\\] must be positive"),
        ({"days": 0}, "positive number of days"),
    ],
)
def test_dso_bridge_input_errors(change, message):
    with pytest.raises(ValueError, match=message):
        bridge.dso_bridge(BEFORE, {**AFTER, **change})


def test_dso_bridge_needs_revenue_and_days():
    with pytest.raises(ValueError, match="needs 'days'"):
        bridge.dso_bridge(BEFORE, {"not_due": 1, "revenue_ttc": 10})


def test_dso_components_from_open_items():
    items = pd.DataFrame(
        {
            "document_type": ["invoice", "invoice", "invoice", "invoice", "credit_note", "payment"],
            "due_date": pd.to_datetime(
                ["2024-07-15", "2024-06-30", "2024-06-10", "2024-05-31", "2024-06-01", "2024-06-20"]
            ),
            "amount": [600.0, 400.0, 300.0, 200.0, -100.0, -50.0],
            "dispute": [False, False, False, True, False, False],
            "factored": [True, False, True, False, False, False],
        }
    )
    c = bridge.dso_components(items, "2024-06-30", 12_000.0, 30)
    # due on 30 June is not overdue on 30 June: not_due = 600 + 400
    assert c["not_due"] == 1_000.0
    assert c["overdue_undisputed"] == 300.0
    assert c["disputed"] == 200.0
    assert c["unapplied_cash_and_credits"] == -150.0
    assert c["factored"] == 900.0  # 600 + 300 assigned and derecognised
    kept = bridge.dso_components(items, "2024-06-30", 12_000.0, 30, factoring_derecognised=False)
    assert kept["factored"] == 0.0
    # feeds the bridge: reported receivables 1,000 + 300 + 200 − 150 − 900 = 450 over 400 €/day
    b = bridge.dso_bridge(c, c).set_index("cause")
    assert b.loc["dso_after", "days"] == approx(450 / 400)


# --------------------------------------------------------------------------- kpi_table
def test_kpi_table_monthly_hand_worked():
    t = table.kpi_table(oct_dec())
    assert list(t.columns) == ["kpi", "value", "unit", "convention", "formula"]
    v = kpi_values(t)
    expected = {
        "days": 92.0,  # 31 + 30 + 31
        "revenue": 450_000.0,
        "revenue_ttc": 540_000.0,  # 120 + 180 + 240 k
        "dso_simple": 300_000 / 540_000 * 92,  # 51.11
        "dso_countback": 31 + 60_000 / 180_000 * 30,  # Dec 240 k fits (31 d), 60 k left of Nov 180 k → 41.0
        "dso_best_possible": 200_000 / 240_000 * 31,  # 25.83
        "average_days_delinquent": 41.0 - 200_000 / 240_000 * 31,  # 15.17
        "overdue_rate": 100_000 / 300_000,
        # no row before October: CEI over Nov–Dec, opening = October's 150 k, N = 2:
        # (150 + 420 / 2 − 300) / (150 + 210 − 200) = 60 / 160
        "collection_effectiveness_index": 0.375,
        "dso_economic": (300_000 + 60_000 + 12_000) / 540_000 * 92,  # 63.38
        "dpo": 90_000 / 240_000 * 92,  # purchases TTC 60 + 60 + 120 k → 34.5
        "stock_days_raw_materials": 23_000 / 92_000 * 92,  # 23.0
        "stock_days_goods": 10_000 / 46_000 * 92,  # 20.0
        "stock_days_finished_goods": 45_000 / 450_000 * 92,  # 9.2
        "bfr": 23_000 + 10_000 + 45_000 + 300_000 - 90_000,  # 288,000
        "bfr_days": 288_000 / 450_000 * 92,  # 58.88
        "cash_per_day_dso": 540_000 / 92,
        "cash_per_day_dpo": 240_000 / 92,
        "cash_per_day_stock_raw_materials": 92_000 / 92,
        "cash_per_day_stock_goods": 46_000 / 92,
        "cash_per_day_stock_finished_goods": 450_000 / 92,
    }
    for kpi, value in expected.items():
        assert v[kpi] == approx(value), kpi
    row = t.set_index("kpi").loc["dso_countback"]
    assert row["formula"] == "31 + 60,000 / 180,000 × 30 = 41.00"
    assert "fewer than 12" in t.set_index("kpi").loc["dso_simple", "convention"]
    assert t.set_index("kpi").loc["dso_simple", "formula"] == "300,000 / 540,000 × 92.00 = 51.11"
    assert set(t["unit"]) == {"days", "EUR", "fraction"}


def test_kpi_table_as_of_an_earlier_month():
    v = kpi_values(table.kpi_table(oct_dec(), as_of="2024-11-30"))
    assert v["dso_simple"] == approx(200_000 / 300_000 * 61)  # Oct + Nov: 300 k TTC over 61 days
    assert v["dso_countback"] == approx(30 + 20_000 / 120_000 * 31)  # Nov 180 k fits, 20 k of Oct's 120 k


def test_kpi_table_countback_beyond_history_is_extrapolated_and_said():
    t = table.kpi_table(oct_dec(), as_of="2024-10-31")
    # 150 k against 120 k of history over 31 days: 31 + 30,000 / (120,000 / 31) = 38.75
    assert kpi_values(t)["dso_countback"] == approx(38.75)
    assert "exceed the whole history" in t.set_index("kpi").loc["dso_countback", "convention"]


@pytest.mark.parametrize(
    ("days_basis", "dso_simple", "dso_countback"),
    [
        (None, 300_000 / 540_000 * 92, 41.0),
        (
            360,
            300_000 / 540_000 * 90,
            30 + 60_000 / 180_000 * 30,
        ),  # 3 × 30 days; 30-day months: 50.0, 40.0
        # 3 months where the window asks 12: a period shorter than the window (a short
        # fiscal year) counts its own calendar days, 31 + 30 + 31 = 92, not 3 × 365 / 12
        # (issue 10, item 2); countback stays calendar
        (365, 300_000 / 540_000 * 92, 41.0),
    ],
)
def test_kpi_table_days_basis(days_basis, dso_simple, dso_countback):
    v = kpi_values(table.kpi_table(oct_dec(), days_basis=days_basis))
    assert v["dso_simple"] == approx(dso_simple)
    assert v["dso_countback"] == approx(dso_countback)


def test_kpi_table_bad_as_of_and_days_basis():
    with pytest.raises(InputError, match="2024-12-15 is not a period end"):
        table.kpi_table(oct_dec(), as_of="2024-12-15")
    with pytest.raises(ValueError, match="days_basis must be None, 360 or 365; got 364"):
        table.kpi_table(oct_dec(), days_basis=364)


def test_kpi_table_without_vat_needs_a_rate():
    f = oct_dec().drop(columns=["vat_collected", "vat_deductible"])
    assert math.isnan(kpi_values(table.kpi_table(f))["dso_simple"])
    v = kpi_values(table.kpi_table(f, vat_rate=0.2))
    assert v["dso_simple"] == approx(300_000 / 540_000 * 92)  # 450 k × 1.2 = 540 k
    assert v["dpo"] == approx(90_000 / 240_000 * 92)


def test_kpi_table_zero_revenue_gives_nan_not_an_error():
    f = oct_dec().iloc[[0]].assign(revenue=0.0, vat_collected=0.0)
    v = kpi_values(table.kpi_table(f))
    assert math.isnan(v["dso_simple"]) and math.isnan(v["dso_countback"])
    assert v["bfr"] == approx(20_000 + 5_000 + 40_000 + 150_000 - 60_000)


def test_kpi_table_empty_input():
    with pytest.raises(InputError, match="no rows"):
        table.kpi_table(oct_dec().iloc[0:0])
    with pytest.raises(InputError, match="lacks receivables"):
        table.kpi_table(oct_dec().drop(columns=["receivables"]))


def _annual() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2023-12-31", "2024-12-31"]),
            "period_days": [365, 366],
            "revenue": [3_000_000.0, 3_600_000.0],
            "vat_collected": [600_000.0, 720_000.0],
            "receivables": [600_000.0, 720_000.0],
            "receivables_not_due": [450_000.0, 432_000.0],
            "payables": [400_000.0, 400_000.0],
            "purchases": [2_000_000.0, 2_000_000.0],
            "vat_deductible": [400_000.0, 400_000.0],
            "stock_finished_goods": [300_000.0, 360_000.0],
        }
    )


def test_kpi_table_annual_rows_and_cei():
    v = kpi_values(table.kpi_table(_annual(), days_basis=360))
    assert v["dso_simple"] == approx(720_000 / 4_320_000 * 360)  # 60.0
    assert v["dso_best_possible"] == approx(432_000 / 4_320_000 * 360)  # simple method: 36.0
    assert v["average_days_delinquent"] == approx(24.0)
    assert math.isnan(v["dso_countback"])  # needs months
    # CEI over 12 months: (600 + 4,320 / 12 − 720) / (600 + 360 − 432) = 240 / 528
    assert v["collection_effectiveness_index"] == approx(240 / 528)
    assert v["bfr"] == approx(360_000 + 720_000 - 400_000)
    assert v["bfr_days"] == approx(680_000 / 3_600_000 * 360)  # 68.0
    first = kpi_values(table.kpi_table(_annual(), as_of="2023-12-31"))
    assert math.isnan(first["collection_effectiveness_index"])  # no opening balance


def test_bfr_tracking_n_minus_1_and_n():
    t = series.bfr_tracking(_annual(), "2023-12-31", "2024-12-31", days_basis=360).set_index("kpi")
    assert list(t.columns) == ["unit", "n_minus_1", "n", "variation"]
    assert t.loc["dso_simple", "n_minus_1"] == approx(600_000 / 3_600_000 * 360)  # 60.0
    assert t.loc["dso_simple", "n"] == approx(60.0)
    assert t.loc["dso_simple", "variation"] == approx(0.0)
    assert t.loc["dpo", "variation"] == approx(0.0)  # 400 / 2,400 × 360 both years
    assert t.loc["bfr", "variation"] == approx((360_000 + 720_000 - 400_000) - (300_000 + 600_000 - 400_000))


def test_kpi_series_month_by_month():
    s = series.kpi_series(oct_dec(), window=2)
    assert list(s.index) == list(pd.to_datetime(["2024-10-31", "2024-11-30", "2024-12-31"]))
    assert math.isnan(s.loc["2024-10-31", "dso_simple"])  # October has one month of history, not two
    assert s.loc["2024-11-30", "dso_simple"] == approx(200_000 / 300_000 * 61)  # Oct + Nov: 300 k TTC, 61 days
    # Dec: Nov + Dec only, 420 k TTC over 61 days (not the three months): 300 / 420 × 61 = 43.57
    assert s.loc["2024-12-31", "dso_simple"] == approx(300_000 / 420_000 * 61)
    assert s.loc["2024-12-31", "dso_countback"] == approx(41.0)  # the walk is not windowed
    assert of(s, Period) == Period(frequency="month", window_months=2)


# --------------------------------------------------------------------------- missing figures, CEI opening
def test_kpi_table_cei_with_vat_rate_instead_of_vat_collected():
    # no VAT column, vat_rate 20 %: Nov 150 k × 1.2 = 180 k, Dec 200 k × 1.2 = 240 k, sum 420 k, N = 2,
    # opening = October's 150 k: (150 + 420 / 2 − 300) / (150 + 210 − 200) = 60 / 160 = 0.375
    # (the sales used to come out as 0: (150 − 300) / (150 − 200) = 3.0, a CEI of 300 %)
    f = oct_dec().drop(columns=["vat_collected", "vat_deductible"])
    t = table.kpi_table(f, vat_rate=0.2)
    assert kpi_values(t)["collection_effectiveness_index"] == approx(0.375)
    assert t.set_index("kpi").loc["collection_effectiveness_index", "formula"] == (
        "(150,000 + 420,000 / 2 − 300,000) / (150,000 + 420,000 / 2 − 200,000) = 0.3750"
    )


def _annual_then_months() -> pd.DataFrame:
    """The 2024 annual row (closing receivables 1,000) and January–March 2025."""
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31"]),
            "period_days": [366, 31, 28, 31],
            "revenue": [12_000.0, 1_000.0, 1_000.0, 1_500.0],
            "vat_collected": [2_400.0, 200.0, 200.0, 300.0],
            "receivables": [1_000.0, 1_100.0, 1_200.0, 1_300.0],
            "receivables_not_due": [600.0, 700.0, 800.0, 900.0],
        }
    )


def test_kpi_table_cei_opens_on_the_annual_row_of_the_year_before():
    t = table.kpi_table(_annual_then_months(), as_of="2025-03-31")
    # opening = 31/12/2024 (the 2024 row) 1,000; sales TTC 1,200 + 1,200 + 1,800 = 4,200 over N = 3:
    # (1,000 + 1,400 − 1,300) / (1,000 + 1,400 − 900) = 1,100 / 1,500 = 0.7333
    # (it used to open on January 1,100 over Feb–Mar: (1,100 + 1,500 − 1,300) / (1,100 + 1,500 − 900) = 0.7647)
    assert kpi_values(t)["collection_effectiveness_index"] == approx(1_100 / 1_500)
    assert (
        "N = 3 months; opening receivables at 2024-12-31"
        in (t.set_index("kpi").loc["collection_effectiveness_index", "convention"])
    )


def test_kpi_table_cei_opens_on_the_previous_month_end():
    # window of 2 months (Feb–Mar): opening = January's 1,100; sales 1,200 + 1,800 = 3,000, N = 2:
    # (1,100 + 1,500 − 1,300) / (1,100 + 1,500 − 900) = 1,300 / 1,700
    t = table.kpi_table(_annual_then_months(), as_of="2025-03-31", window_months=2)
    assert kpi_values(t)["collection_effectiveness_index"] == approx(1_300 / 1_700)


def test_kpi_table_cei_names_the_missing_input():
    t = table.kpi_table(oct_dec().drop(columns=["receivables_not_due"])).set_index("kpi")
    assert math.isnan(t.loc["collection_effectiveness_index", "value"])
    assert t.loc["collection_effectiveness_index", "formula"] == "needs receivables not yet due"
    first = table.kpi_table(_annual(), as_of="2023-12-31").set_index("kpi")
    # 2023 runs 365 days back to 31/12/2022: no row ends there
    assert first.loc["collection_effectiveness_index", "formula"] == "needs receivables at 2022-12-31 (opening)"


def test_kpi_table_bfr_is_empty_without_payables():
    t = table.kpi_table(oct_dec().drop(columns=["payables"])).set_index("kpi")
    # payables read as 0 gave 23 + 10 + 45 + 300 = 378 k: a BFR too high by the whole payables
    assert math.isnan(t.loc["bfr", "value"]) and math.isnan(t.loc["bfr_days", "value"])
    assert "payables missing: BFR left empty" in t.loc["bfr", "convention"]
    f = oct_dec()
    f.loc[2, "receivables"] = float("nan")  # December receivables left empty
    assert math.isnan(kpi_values(table.kpi_table(f))["bfr"])


def test_kpi_table_bfr_says_empty_stocks_count_zero():
    t = table.kpi_table(oct_dec().drop(columns=["stock_goods"])).set_index("kpi")
    # 23 + 0 + 45 + 300 − 90 = 278 k, and the convention says the goods stock was not given
    assert t.loc["bfr", "value"] == approx(278_000.0)
    assert "stock_goods not given: counted 0" in t.loc["bfr", "convention"]


def test_kpi_table_economic_dso_without_factoring_figures():
    both = table.kpi_table(oct_dec().drop(columns=["factored_receivables", "discounted_receivables"]))
    row = both.set_index("kpi").loc["dso_economic"]
    assert math.isnan(row["value"])  # it used to equal the simple DSO, 51.11
    assert row["convention"].startswith("no factoring or discount figures given")
    assert "n/a" not in row["formula"]
    one = table.kpi_table(oct_dec().drop(columns=["discounted_receivables"])).set_index("kpi")
    # (300 + 60 + 0) / 540 × 92 = 61.33
    assert one.loc["dso_economic", "value"] == approx(360_000 / 540_000 * 92)
    assert "no discounted receivables given: counted 0" in one.loc["dso_economic", "convention"]
    assert one.loc["dso_economic", "formula"] == "(300,000 + 60,000 + 0) / 540,000 × 92.00 = 61.33"


# --------------------------------------------------------------------------- template
def _cells(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def test_template_copies_are_identical_and_up_to_date(tmp_path):
    fresh = _cells(kpi_template.write_kpi_template(tmp_path / "t.xlsx"))
    packaged = _cells(ROOT / "cashmission" / "templates" / "working_capital_template.xlsx")
    top = _cells(ROOT / "templates" / "working_capital_template.xlsx")
    assert packaged == top
    assert packaged == fresh  # regenerate with `python -m cashmission.io.kpi_template`
    assert list(fresh) == ["Chiffres", "Lisez-moi"]
    assert fresh["Chiffres"][0][:4] == (
        "Période (libellé libre)",
        "Fin de période (jj/mm/aaaa)",
        "Nombre de jours",
        "CA HT",
    )
    readme = " ".join(str(v) for row in fresh["Lisez-moi"] for v in row if v)
    for name, _, _ in kpi_template.TEMPLATE_COLUMNS:
        assert name in readme, name  # every column explained


def test_template_round_trip(tmp_path):
    figures = oct_dec()
    path = kpi_template.write_kpi_template(tmp_path / "filled.xlsx", figures)
    back, report = kpi_template.read_kpi_template(path)
    assert report.rows_read == report.rows_kept == 3
    assert report.problems == []
    cols = list(figures.columns)
    pd.testing.assert_frame_equal(back[cols].astype({"period_days": "int64"}), figures, check_dtype=False)
    assert back["payables"].dtype == "float64"


def test_template_read_with_openpyxl_too(tmp_path, monkeypatch):
    path = kpi_template.write_kpi_template(tmp_path / "filled.xlsx", oct_dec())
    calamine, _ = kpi_template.read_kpi_template(path)
    monkeypatch.setattr(kpi_template, "_excel_engine", lambda: "openpyxl")
    opx, _ = kpi_template.read_kpi_template(path)
    pd.testing.assert_frame_equal(calamine, opx)


def _broken(tmp_path: Path) -> Path:
    from openpyxl import load_workbook

    path = kpi_template.write_kpi_template(tmp_path / "broken.xlsx", oct_dec())
    wb = load_workbook(path)
    ws = wb["Chiffres"]
    ws["D3"] = -100_000  # negative revenue, October (row 3)
    ws["F4"] = None  # November receivables missing
    ws["C5"] = None  # December days missing
    ws["H5"] = "beaucoup"  # December factored receivables unreadable
    ws["B7"] = "pas une date"  # a stray row with a bad date
    ws["D7"] = 5
    wb.save(path)
    return path


def test_template_problems_are_counted_warnings_naming_the_cell(tmp_path):
    figures, report = kpi_template.read_kpi_template(_broken(tmp_path))
    assert report.rows_read == 4 and report.rows_kept == 3  # the bad-date row is left out
    assert report.warning_counts() == {
        "negative_amount": 1,
        "missing_figure": 1,
        "missing_period_days": 1,
        "bad_number": 1,
        "bad_period_end": 1,
    }
    messages = {p.code: p.message for p in report.warnings}
    assert messages["negative_amount"].startswith("Chiffres!D3: revenue is negative")
    assert messages["missing_figure"].startswith("Chiffres!F4: receivables is required and missing")
    assert messages["missing_period_days"].startswith("Chiffres!C5:")
    assert messages["bad_number"].startswith("Chiffres!H5: 'beaucoup' is not a number")
    assert messages["bad_period_end"].startswith("Chiffres!B7:")
    assert figures["period_days"].tolist() == [31, 30, 31]  # December assumed a calendar month
    assert math.isnan(figures.loc[1, "receivables"])


def test_template_without_the_sheet_or_headers_is_an_input_error(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "Feuil1"
    wb.save(path)
    with pytest.raises(InputError, match="no sheet 'Chiffres'"):
        kpi_template.read_kpi_template(path)
    wb.active.title = "Chiffres"
    wb.active["A1"] = "Date"
    wb.save(path)
    with pytest.raises(InputError, match="no column for 'period_end'"):
        kpi_template.read_kpi_template(path)


def test_template_months_that_do_not_add_up_to_the_year(tmp_path):
    demo, _ = kpi_template.read_kpi_template(ROOT / "tests" / "data" / "working_capital_round.xlsx")
    changed = demo.copy()
    changed.loc[
        changed["period_end"].eq(pd.Timestamp("2025-12-31")) & changed["period_days"].eq(365),
        "revenue",
    ] += 10_000
    _, report = kpi_template.read_kpi_template(kpi_template.write_kpi_template(tmp_path / "d.xlsx", changed))
    assert report.warning_counts() == {"months_vs_year": 1}


def test_demo_file_reads_clean_and_gives_hand_checkable_figures():
    figures, report = kpi_template.read_kpi_template(ROOT / "tests" / "data" / "working_capital_round.xlsx")
    assert report.problems == []
    assert (report.extra["annual_rows"], report.extra["monthly_rows"]) == (2, 12)
    v = kpi_values(table.kpi_table(figures, as_of="2025-12-31", frequency="year"))
    # 2025: revenue 26.4 M€ HT + 20 % VAT = 31.68 M€; receivables 5.49 M€; 365 days
    assert v["dso_simple"] == approx(5_490_000 / 31_680_000 * 365)  # 63.25
    t = series.bfr_tracking(figures, "2024-12-31", "2025-12-31").set_index("kpi")
    # 2024: 4.6 M€ / 28.8 M€ × 366 = 58.46
    assert t.loc["dso_simple", "n_minus_1"] == approx(4_600_000 / 28_800_000 * 366)


def test_load_kpi_input(tmp_path):
    figures = kpi_template.load_kpi_input(ROOT / "tests" / "data" / "working_capital_round.xlsx")
    assert isinstance(figures, pd.DataFrame) and len(figures) == 14
    with pytest.raises(InputError, match="expected a filled KPI template"):
        kpi_template.load_kpi_input(tmp_path / "figures.csv")


def test_kpi_table_uses_only_the_trailing_12_months():
    ends = pd.date_range("2023-12-31", periods=13, freq="ME")  # Dec 2023 .. Dec 2024
    f = pd.DataFrame(
        {
            "period_end": ends,
            "period_days": ends.days_in_month,
            "revenue": [1_000_000.0] + [1_000.0] * 12,
            "vat_collected": 0.0,
            "receivables": 2_000.0,
        }
    )
    v = kpi_values(table.kpi_table(f))
    assert v["revenue"] == 12_000.0  # Dec 2023 left out
    assert v["days"] == 366.0  # 2024 is a leap year
    assert v["dso_simple"] == approx(2_000 / 12_000 * 366)  # 61.0


# --------------------------------------------------------------------------- month-by-month tracking (one fiscal year)
def _quarter() -> pd.DataFrame:
    # three months of 2024 only, as from a FEC's first quarter
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]),
            "period_days": [31, 29, 31],
            "revenue": [1_000.0, 2_000.0, 3_100.0],
            "vat_collected": [200.0, 400.0, 620.0],
            "receivables": [1_200.0, 1_000.0, 1_860.0],
        }
    )


def test_kpi_table_window_months():
    v = kpi_values(table.kpi_table(_quarter(), as_of="2024-03-31", window_months=2))
    # Feb + Mar: TTC 2 400 + 3 720 = 6 120 over 29 + 31 = 60 days; 1 860 / 6 120 × 60 = 18.235…
    assert v["dso_simple"] == approx(1_860 / 6_120 * 60)
    assert v["days"] == 60.0
    with pytest.raises(ValueError, match="window_months must be an integer from 1 to 12"):
        table.kpi_table(_quarter(), window_months=0)


def test_bfr_tracking_compares_equal_windows_when_there_is_no_year_before():
    t = series.bfr_tracking(_quarter(), "2024-01-31", "2024-03-31")
    v = t.set_index("kpi")
    # January has one month of history, so both dates use one month of flows:
    # Jan 1 200 / 1 200 × 31 = 31.0; Mar 1 860 / 3 720 × 31 = 15.5
    assert v.loc["dso_simple", "n_minus_1"] == approx(31.0)
    assert v.loc["dso_simple", "n"] == approx(15.5)
    assert v.loc["dso_simple", "variation"] == approx(-15.5)
    assert of(t, Period) == Period(start="2024-01-31", end="2024-03-31", window=1, one_year_apart=False)


def test_bfr_tracking_annual_rows_say_year():
    t = series.bfr_tracking(_annual(), "2023-12-31", "2024-12-31", days_basis=360)
    dates = of(t, Period)
    assert dates.window == "year" and dates.one_year_apart is True


def test_figure_warnings_flag_balances_booked_only_at_closing():
    # 4 months of revenue; receivables 0 at 3 month ends (> half): flagged.  Payables
    # filled every month: not flagged.  An annual row (365 days) is not a month end.
    figures = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-12-31"]),
            "period_days": [31, 29, 31, 30, 366],
            "revenue": [100.0, 100.0, 100.0, 100.0, 1200.0],
            "receivables": [0.0, 0.0, 0.0, 80.0, 0.0],
            "purchases": [50.0, 50.0, 50.0, 50.0, 600.0],
            "payables": [40.0, 45.0, 42.0, 41.0, 0.0],
        }
    )
    (warning,) = table.figure_warnings(figures)
    assert warning.startswith("receivables are zero or missing at 3 of 4 month ends")
    # 2 of 4 is not more than half: nothing to say
    figures.loc[2, "receivables"] = 70.0
    assert table.figure_warnings(figures) == []


def test_figure_warnings_on_the_real_retailer_fec(shared):
    # 123456789FEC20500930: the 411 account has 4 lines, receivables booked at closing only
    from cashmission.working_capital.sources import load_working_capital

    figures, _ = load_working_capital(shared / "fec" / "123456789FEC20500930.txt")
    assert [w.split(":")[0] for w in table.figure_warnings(figures)] == [
        "receivables are zero or missing at 12 of 13 month ends although revenue was booked"
    ]
