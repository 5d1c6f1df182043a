"""DSO bridge between two dates from a customer ledger and monthly revenue (kpis.dso_bridge_between),
worked by hand: every expected figure is computed in the comments, never taken from the function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cashmission.io import kpi_template
from cashmission.meta import Period, of
from cashmission.problems import InputError
from cashmission.working_capital import bridge

approx = pytest.approx

# Monthly revenue, chosen so that one day of sales is 100 € TTC before and 200 € after.
# TTC: Apr 2 500 + 500 = 3 000, May 3 000, Jun 2 600 + 500 = 3 100, Jul 10 300 + 2 000 = 12 300.
FIGURES = pd.DataFrame(
    {
        "period_end": pd.to_datetime(["2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31"]),
        "period_days": [30, 31, 30, 31],
        "revenue": [2_500.0, 2_500.0, 2_600.0, 10_300.0],
        "vat_collected": [500.0, 500.0, 500.0, 2_000.0],
    }
)

# A ledger: every item with its settlement date (NaT while open).
LEDGER = pd.DataFrame(
    {
        "document_id": ["A", "B", "C", "D", "E", "F"],
        "document_type": ["invoice", "invoice", "invoice", "credit_note", "invoice", "invoice"],
        "document_date": pd.to_datetime(
            ["2024-05-10", "2024-06-20", "2024-06-01", "2024-06-15", "2024-07-15", "2024-06-25"]
        ),
        "due_date": pd.to_datetime(
            ["2024-06-09", "2024-07-20", "2024-07-01", "2024-06-15", "2024-08-14", "2024-07-25"]
        ),
        "amount": [1_200.0, 600.0, 300.0, -100.0, 900.0, 400.0],
        "dispute": [False, False, True, False, False, False],
        "factored": [False, False, False, False, False, True],
        "cleared_date": pd.to_datetime(["2024-07-20", None, None, "2024-07-25", None, "2024-08-01"]),
    }
)


# --------------------------------------------------------------------------- trailing revenue
def test_trailing_revenue_uses_the_closed_months_before_the_date():
    # 2024-07-01 is not a month end: Apr + May + Jun = 3 000 + 3 000 + 3 100 = 9 100 over 30 + 31 + 30 = 91 days
    assert bridge.trailing_revenue_ttc(FIGURES, "2024-07-01") == (9_100.0, 91.0)
    # a month end closes its month: May + Jun + Jul = 3 000 + 3 100 + 12 300 = 18 400 over 92 days
    assert bridge.trailing_revenue_ttc(FIGURES, "2024-07-31") == (18_400.0, 92.0)
    # one month: Jul alone = 12 300 over 31 days
    assert bridge.trailing_revenue_ttc(FIGURES, "2024-08-05", months=1) == (12_300.0, 31.0)


def test_trailing_revenue_ignores_annual_rows():
    year = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-06-30"]),
            "period_days": [366],
            "revenue": [99_999.0],
            "vat_collected": [0.0],
        }
    )
    assert bridge.trailing_revenue_ttc(pd.concat([FIGURES, year]), "2024-07-01") == (9_100.0, 91.0)


def test_trailing_revenue_names_the_missing_months():
    # 2024-06-15 needs Mar, Apr, May; the figures start in April
    with pytest.raises(InputError, match="no monthly revenue for 2024-03"):
        bridge.trailing_revenue_ttc(FIGURES, "2024-06-15")


def test_trailing_revenue_refuses_an_empty_month_like_the_kpi_table():
    # revenue [100, empty, 300], VAT [20, 40, 60]: read as zero the empty month would give
    # (100 + 20) + (0 + 40) + (300 + 60) = 520 ... or, skipping the NaN sum, 120 + 360 = 480
    # over 31 + 30 + 31 = 92 days.  Missing is not zero: both are refused, naming June.
    holed = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-05-31", "2024-06-30", "2024-07-31"]),
            "period_days": [31, 30, 31],
            "revenue": [100.0, None, 300.0],
            "vat_collected": [20.0, 40.0, 60.0],
            "receivables": [100.0, 100.0, 100.0],
        }
    )
    with pytest.raises(InputError, match=r"revenue missing for 2024-06 \(the 3 months before 2024-08-03\)"):
        bridge.trailing_revenue_ttc(holed, "2024-08-03")
    with pytest.raises(InputError, match="revenue missing for 2024-06"):
        bridge.trailing_revenue_ttc(holed, "2024-08-03", vat_rate=0.2)
    # the KPI table names the same month with the same words (and leaves the flows empty)
    from cashmission.working_capital.table import kpi_table

    revenue_row = kpi_table(holed).set_index("kpi").loc["revenue"]
    assert "revenue missing for 2024-06" in revenue_row["convention"] and np.isnan(revenue_row["value"])
    # a month outside the window may be empty: July alone = 300 + 60 = 360 over 31 days
    assert bridge.trailing_revenue_ttc(holed, "2024-08-03", months=1) == (360.0, 31.0)


def test_trailing_revenue_without_vat_needs_a_rate():
    ht = FIGURES.drop(columns=["vat_collected"])
    with pytest.raises(InputError, match="vat_rate"):
        bridge.trailing_revenue_ttc(ht, "2024-07-01")
    # HT Apr + May + Jun = 2 500 + 2 500 + 2 600 = 7 600; × 1.2 = 9 120
    revenue, days = bridge.trailing_revenue_ttc(ht, "2024-07-01", vat_rate=0.2)
    assert (revenue, days) == (approx(9_120.0), 91.0)


@pytest.mark.parametrize("months", [0, -1, 1.5])
def test_trailing_revenue_rejects_a_bad_window(months):
    with pytest.raises(ValueError, match="months must be a positive integer"):
        bridge.trailing_revenue_ttc(FIGURES, "2024-07-01", months=months)


# --------------------------------------------------------------------------- bridge between two dates
def test_bridge_between_two_dates_by_hand():
    b = bridge.dso_bridge_between(LEDGER, FIGURES, "2024-07-01", "2024-08-05", factoring_derecognised=False)
    by = b.set_index("cause")
    # 2024-07-01 (sales 9 100 / 91 = 100 €/day): open A, B, C, D, F (E not issued yet)
    #   not due B 600 + F 400 = 1 000; overdue A 1 200 (due 06-09); disputed C 300; credit D −100
    #   R0 = 2 400 -> DSO 2 400 / 100 = 24.0
    # 2024-08-05 (sales 18 400 / 92 = 200 €/day): A, D, F settled; B overdue 600, C disputed 300, E not due 900
    #   R1 = 1 800 -> DSO 1 800 / 200 = 9.0
    assert by.loc["dso_before", "days"] == approx(24.0)
    assert by.loc["dso_after", "days"] == approx(9.0)
    expected = {
        "not_due": (1_000.0, 900.0, -0.5),  # (900 − 1 000) / 200
        "overdue_undisputed": (1_200.0, 600.0, -3.0),  # (600 − 1 200) / 200
        "disputed": (300.0, 300.0, 0.0),
        "unapplied_cash_and_credits": (-100.0, 0.0, 0.5),  # (0 − (−100)) / 200
        "factored": (0.0, 0.0, 0.0),  # kept on the balance sheet
    }
    for cause, (before, after, days) in expected.items():
        assert by.loc[cause, "amount_before"] == approx(before), cause
        assert by.loc[cause, "amount_after"] == approx(after), cause
        assert by.loc[cause, "days"] == approx(days, abs=1e-9), cause
        assert by.loc[cause, "cash"] == approx(days * 200.0, abs=1e-9), cause
    # sales level: R0 × (1/200 − 1/100) = 2 400 × (−0.005) = −12.0 days, worth −12 × 200 = −2 400 €
    assert by.loc["sales_level", "days"] == approx(-12.0)
    assert by.loc["sales_level", "cash"] == approx(-2_400.0)
    # −0.5 − 3.0 + 0 + 0.5 + 0 − 12.0 = −15.0 = 9.0 − 24.0
    assert b.loc[b["kind"] == "effect", "days"].sum() == approx(-15.0)
    assert of(b, Period) == Period(start="2024-07-01", end="2024-08-05", months=3)


def test_bridge_between_with_factored_items_off_the_balance_sheet():
    by = bridge.dso_bridge_between(LEDGER, FIGURES, "2024-07-01", "2024-08-05").set_index("cause")
    # F (400, factored) is taken off at the start: R0 = 2 400 − 400 = 2 000 -> DSO 20.0; none at the end -> 9.0
    assert by.loc["dso_before", "days"] == approx(20.0)
    assert by.loc["dso_after", "days"] == approx(9.0)
    # factored contribution −400 -> 0: (0 − (−400)) / 200 = +2.0 days
    assert by.loc["factored", "days"] == approx(2.0)
    # sales level: 2 000 × (1/200 − 1/100) = −10.0
    assert by.loc["sales_level", "days"] == approx(-10.0)


def test_bridge_between_needs_revenue_at_both_dates():
    with pytest.raises(InputError, match="2024-03"):
        bridge.dso_bridge_between(LEDGER, FIGURES, "2024-06-15", "2024-08-05")


def test_bridge_between_rejects_dates_in_the_wrong_order():
    with pytest.raises(ValueError, match="end 2024-07-01 is before start 2024-08-05"):
        bridge.dso_bridge_between(LEDGER, FIGURES, "2024-08-05", "2024-07-01")


# --------------------------------------------------------------------------- monthly figures CSV
def test_read_figures_csv(tmp_path):
    path = tmp_path / "monthly.csv"
    path.write_text(
        "period_end,period_days,revenue,vat_collected,source\n2024-06-30,30,2600,500,ledger\n", encoding="utf-8"
    )
    f = kpi_template.read_figures_csv(path)
    assert f["period_end"].tolist() == [pd.Timestamp("2024-06-30")]
    assert f.loc[0, "revenue"] == 2_600.0 and f.loc[0, "source"] == "ledger"


def test_read_figures_csv_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        kpi_template.read_figures_csv(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("period_end,revenue\n2024-06-30,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks period_days"):
        kpi_template.read_figures_csv(bad)


def test_read_figures_csv_refuses_a_row_without_its_period(tmp_path):
    # a monthly.csv cut in the middle of its last line: "2024-07-31" with nothing after it
    # crashed the CEI (a period of NaN days); now one line names the row and the column
    cut = tmp_path / "monthly.csv"
    cut.write_text("period_end,period_days,revenue\n2024-06-30,30,2600\n2024-07-31", encoding="utf-8")
    with pytest.raises(InputError, match="period_days is empty or not valid") as err:
        kpi_template.read_figures_csv(cut)
    assert err.value.problem.row == 3 and err.value.problem.column == "period_days"


def test_components_decompose_what_the_aged_balance_shows():
    # issue 10 item 17: an overdue invoice of 100 lettered "A" with a payment of −40, and
    # an adjustment of −30 (no code).  The aged balance applies the payment: 100 − 40 = 60
    # overdue, 0 unapplied cash, −30 other credits.  The bridge used to say overdue
    # 100 − 30 = 70 and unapplied cash −40; it now decomposes the same amounts.
    from cashmission.ledger.ageing import aged_balance

    items = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C1"],
            "document_type": ["invoice", "payment", "other"],
            "document_date": pd.to_datetime(["2024-04-01", "2024-05-15", "2024-06-01"]),
            "due_date": pd.to_datetime(["2024-05-01", "2024-05-15", "2024-06-01"]),
            "amount": [100.0, -40.0, -30.0],
            "match_code": ["A", "A", None],
        }
    )
    c = bridge.dso_components(items, "2024-06-30", 3_000.0, 30)
    assert c["overdue_undisputed"] == 60.0  # 100 − 40
    assert c["not_due"] == 0.0 and c["disputed"] == 0.0
    assert c["unapplied_cash_and_credits"] == -30.0  # 0 of payment + the −30 adjustment
    aged = aged_balance(items, "2024-06-30", by=None).iloc[0]
    assert (aged["overdue"], aged["unapplied_cash"], aged["other_credits"]) == (60.0, 0.0, -30.0)
    # the receivables reported are the aged total: 60 − 30 = 30
    assert c[["not_due", "overdue_undisputed", "disputed", "unapplied_cash_and_credits"]].sum() == aged["total"] == 30.0
