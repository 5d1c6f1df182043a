"""Windows of flows in kpis: calendar months at month ends, missing months never read as zero,
and the constant window of kpi_series.  Every expected figure is worked by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cashmission.io import kpi_template
from cashmission.meta import Period, of
from cashmission.working_capital import measures, series
from cashmission.working_capital import table as working_capital_table
from tests.unit.working_capital.kpi_frames import kpi_values, oct_dec

approx = pytest.approx


def _conventions(table: pd.DataFrame) -> dict[str, str]:
    return table.set_index("kpi")["convention"].to_dict()


def _months(first: str, revenue: list[float], receivables: float = 100.0) -> pd.DataFrame:
    """Monthly rows from the month of ``first``, calendar days, no VAT (TTC = HT)."""
    ends = pd.date_range(first, periods=len(revenue), freq="ME")
    return pd.DataFrame(
        {
            "period_end": ends,
            "period_days": ends.days_in_month,
            "revenue": revenue,
            "vat_collected": 0.0,
            "receivables": receivables,
        }
    )


# --------------------------------------------------------------------------- month ends (defect 1)
def test_one_month_ending_in_february_is_february_only():
    # January 6,200 (31 days), February 2,800 (28 days), receivables 1,400 at 28/02/2025.
    # One month of flows = February: 1,400 / 2,800 × 28 = 14.0 days.
    # (28/02 − 1 month = 28/01 used to let January in: 1,400 / 9,000 × 59 = 9.18 over 59 days.)
    f = _months("2025-01-31", [6_200.0, 2_800.0], receivables=1_400.0)
    v = kpi_values(working_capital_table.kpi_table(f, as_of="2025-02-28", window_months=1))
    assert v["days"] == 28.0
    assert v["revenue"] == 2_800.0
    assert v["dso_simple"] == approx(14.0)


def test_twelve_months_ending_in_february_are_march_to_february():
    # Feb 2024 .. Feb 2025 (13 rows); Feb 2024 is a leap February with a large revenue that must stay out.
    # Mar 2024 .. Feb 2025 = 365 days (no 29 February inside); revenue 12 × 1,000 = 12,000;
    # DSO = 3,000 / 12,000 × 365 = 91.25.
    f = _months("2024-02-29", [1_000_000.0] + [1_000.0] * 12, receivables=3_000.0)
    v = kpi_values(working_capital_table.kpi_table(f, as_of="2025-02-28"))
    assert v["days"] == 365.0
    assert v["revenue"] == 12_000.0
    assert v["dso_simple"] == approx(91.25)


def test_one_month_ending_on_a_30_day_month_end():
    # March 3,100 (31 d), April 3,000 (30 d), receivables 1,500 at 30/04: 1,500 / 3,000 × 30 = 15.0.
    # (30/04 − 1 month = 30/03 used to let 31/03 in: 61 days.)
    f = _months("2024-03-31", [3_100.0, 3_000.0], receivables=1_500.0)
    v = kpi_values(working_capital_table.kpi_table(f, as_of="2024-04-30", window_months=1))
    assert v["days"] == 30.0
    assert v["dso_simple"] == approx(15.0)


def test_bfr_tracking_of_a_fec_compares_april_with_april():
    # A fiscal year from April 2022 to April 2023 (13 month ends); April 2022 has one month of history,
    # so both dates use one month.  March 2023 is large: it must not enter April 2023's window.
    # April 2022: 1,500 / 3,000 × 30 = 15.0 ; April 2023: 1,500 / 3,000 × 30 = 15.0 ; variation 0.
    revenue = [3_000.0] * 11 + [90_000.0, 3_000.0]  # Apr 2022 .. Feb 2023, Mar 2023, Apr 2023
    f = _months("2022-04-30", revenue, receivables=1_500.0)
    t = series.bfr_tracking(f, "2022-04-30", "2023-04-30").set_index("kpi")
    assert t.loc["days", "n_minus_1"] == 30.0 and t.loc["days", "n"] == 30.0
    assert t.loc["dso_simple", "n"] == approx(15.0)
    assert t.loc["dso_simple", "variation"] == approx(0.0)


def test_months_vs_year_check_on_a_february_year_end(tmp_path):
    # a fiscal year March 2024 .. February 2025 says revenue 12,500, but its 12 months add up to
    # 12 × 1,000 = 12,000: a warning.  The leap February 2024 before it is not one of the 12 months
    # (it used to be: 29/02/2024 > 28/02/2025 − 12 months, 13 months, and the check was skipped).
    months = _months("2024-02-29", [5_000.0] + [1_000.0] * 12)
    year = pd.DataFrame(
        {
            "period_end": [pd.Timestamp("2025-02-28")],
            "period_days": [365],
            "revenue": [12_500.0],
            "vat_collected": [0.0],
            "receivables": [100.0],
        }
    )
    _, report = kpi_template.read_kpi_template(
        kpi_template.write_kpi_template(tmp_path / "f.xlsx", pd.concat([year, months]))
    )
    assert report.warning_counts() == {"months_vs_year": 1}
    assert "add up to revenue 12,000.00 but the year says 12,500.00" in report.warnings[0].message


# --------------------------------------------------------------------------- missing months (defect 4)
# oct_dec() (tests.unit.working_capital.kpi_frames.py): Oct, Nov, Dec 2024, revenue TTC 120, 180, 240 k (HT + 20 %),
# receivables 300 k at 31/12, of which 200 k not yet due.
def test_a_missing_month_leaves_the_flows_empty_and_names_the_month():
    f = oct_dec().drop(index=1)  # November absent
    t = working_capital_table.kpi_table(f)
    v, c = kpi_values(t), _conventions(t)
    # Without November, Oct + Dec would be 360 k TTC over 62 days: 300 / 360 × 62 = 51.67 — a wrong DSO.
    assert math.isnan(v["days"]) and math.isnan(v["revenue_ttc"]) and math.isnan(v["dso_simple"])
    assert "no figures for 2024-11" in c["dso_simple"]
    # countback: December 240 k fits in 300 k (31 days), then November is unknown → no value
    # (it used to jump to October: 31 + 60 / 120 × 31 = 46.5).
    assert math.isnan(v["dso_countback"])
    assert "sales of 2024-11 missing" in c["dso_countback"]
    # best possible DSO: 200 k not due is within December's 240 k: 200 / 240 × 31 = 25.83, November never needed
    assert v["dso_best_possible"] == approx(200_000 / 240_000 * 31)
    # balances are still known
    assert v["receivables"] == 300_000.0
    assert v["overdue_rate"] == approx(100_000 / 300_000)


def test_a_month_with_empty_revenue_is_not_a_month_without_sales():
    f = oct_dec()
    f.loc[1, ["revenue", "vat_collected"]] = float("nan")  # November's revenue left empty
    t = working_capital_table.kpi_table(f)
    v, c = kpi_values(t), _conventions(t)
    # counted as zero it gave 300 / (120 + 240) × 92 = 76.67 days; it must stay empty
    assert math.isnan(v["revenue"]) and math.isnan(v["dso_simple"]) and math.isnan(v["dso_countback"])
    assert "revenue missing for 2024-11" in c["dso_simple"]
    assert v["days"] == 92.0  # the months are there: 31 + 30 + 31


def test_a_hole_before_the_window_does_not_matter():
    # Nov and Dec only, with window_months=1: December alone, 300 / 240 × 31 = 38.75
    f = oct_dec().drop(index=1)
    v = kpi_values(working_capital_table.kpi_table(f, window_months=1))
    assert v["dso_simple"] == approx(300_000 / 240_000 * 31)


def test_dso_countback_stops_on_an_unknown_month():
    nan = float("nan")
    # plain sequence, most recent first: December 240 fits in 300 (31 d), November unknown → NaN
    assert math.isnan(measures.dso_countback(300, [240, nan, 120], [31, 30, 31]))
    # the walk ends before the unknown month: 200 / 240 × 31 = 25.83
    assert measures.dso_countback(200, [240, nan, 120], [31, 30, 31]) == approx(200 / 240 * 31)
    # dated series with November absent: same NaN (it used to give 31 + 60 / 120 × 31 = 46.5)
    dated = pd.Series([120.0, 240.0], index=pd.to_datetime(["2024-10-31", "2024-12-31"]))
    assert math.isnan(measures.dso_countback(300, dated))
    assert measures.dso_countback(200, dated) == approx(200 / 240 * 31)


# --------------------------------------------------------------------------- kpi_series window (defect 8)
def test_kpi_series_uses_a_constant_trailing_window():
    # Jan .. Jun 2024, revenue 3,000 a month, no VAT, receivables 1,800 at every month end.
    f = _months("2024-01-31", [3_000.0] * 6, receivables=1_800.0)
    s = series.kpi_series(f)  # default window: 3 months
    assert of(s, Period).window_months == 3
    # January and February lack three months of flows: no flow-based KPI, rather than a shorter window
    assert math.isnan(s.loc["2024-01-31", "dso_simple"]) and math.isnan(s.loc["2024-02-29", "dso_simple"])
    assert s.loc["2024-02-29", "receivables"] == 1_800.0  # balances are still shown
    # March: Jan–Mar 9,000 over 31 + 29 + 31 = 91 days: 1,800 / 9,000 × 91 = 18.2
    assert s.loc["2024-03-31", "dso_simple"] == approx(18.2)
    assert s.loc["2024-03-31", "days"] == 91.0
    # June: Apr–Jun 9,000 over 30 + 31 + 30 = 91 days: 18.2 again, not the 6-month 1,800 / 18,000 × 182
    assert s.loc["2024-06-30", "dso_simple"] == approx(18.2)
    # window=1: each month alone; February 1,800 / 3,000 × 29 = 17.4
    one = series.kpi_series(f, window=1)
    assert one.loc["2024-02-29", "dso_simple"] == approx(17.4)
    with pytest.raises(ValueError, match="window must be an integer from 1 to 12; got 0"):
        series.kpi_series(f, window=0)


def test_kpi_series_cei_only_where_the_window_has_its_opening_balance():
    # Jan .. Apr 2024, revenue 3,000 a month, no VAT; receivables 1,000, 1,200, 1,500, 1,800,
    # not yet due 600, 700, 900, 1,000.  Window 3 months.
    f = _months("2024-01-31", [3_000.0] * 4)
    f["receivables"] = [1_000.0, 1_200.0, 1_500.0, 1_800.0]
    f["receivables_not_due"] = [600.0, 700.0, 900.0, 1_000.0]
    # March, first full window (Jan-Mar): nothing closes December 2023, so kpi_table opens on
    # January (1,000) over Feb-Mar, N = 2: (1,000 + 6,000 / 2 − 1,500) / (1,000 + 3,000 − 900)
    # = 2,500 / 3,100 = 0.8065 — two months where April has three: the series leaves it empty.
    cei = "collection_effectiveness_index"
    assert kpi_values(working_capital_table.kpi_table(f, as_of="2024-03-31", window_months=3))[cei] == approx(
        2_500 / 3_100
    )
    s = series.kpi_series(f)
    assert math.isnan(s.loc["2024-03-31", cei])
    assert s.loc["2024-03-31", "dso_simple"] == approx(1_500 / 9_000 * 91)  # other flow KPIs kept: 15.17
    # April (Feb-Apr): opening = January's close 1,000, sales 9,000 over N = 3:
    # (1,000 + 3,000 − 1,800) / (1,000 + 3,000 − 1,000) = 2,200 / 3,000 = 0.7333
    assert s.loc["2024-04-30", cei] == approx(2_200 / 3_000)
    # with the 2023 annual row (receivables 900 at 31/12/2023) March opens on it, over N = 3:
    # (900 + 9,000 / 3 − 1,500) / (900 + 3,000 − 900) = 2,400 / 3,000 = 0.8
    year = pd.DataFrame(
        {
            "period_end": [pd.Timestamp("2023-12-31")],
            "period_days": [365],
            "revenue": [36_000.0],
            "vat_collected": [0.0],
            "receivables": [900.0],
            "receivables_not_due": [500.0],
        }
    )
    s2 = series.kpi_series(pd.concat([year, f], ignore_index=True))
    assert s2.loc["2024-03-31", cei] == approx(0.8)
    assert s2.loc["2024-04-30", cei] == approx(2_200 / 3_000)
