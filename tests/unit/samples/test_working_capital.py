"""The sample's working-capital figures come from the same simulation as its ledger (issue 10, item 9)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cashmission.io.kpi_template import read_kpi_template
from cashmission.ledger.ageing import aged_balance, open_at
from cashmission.ledger.sources import load_receivables
from cashmission.mission.config import demo_config
from cashmission.report.views import year_ends
from cashmission.samples import working_capital as wc
from cashmission.samples.generator import generate_sample

DEMO = Path(__file__).resolve().parents[3] / "data_samples" / "demo"
AS_OF = "2026-08-03"


def test_period_figures_by_hand():
    # three documents (days 0, 10, 20): 120 TTC (France, 20 % VAT) paid on day 15,
    # 240 TTC (France) still open, a credit note of -60 (export, no VAT) cleared on day 25
    sim = wc.Simulation(
        doc=np.array([0, 10, 20]),
        due=np.array([30, 40, 20]),
        clear=np.array([15, 10**7, 25]),
        amount=np.array([120.0, 240.0, -60.0]),
        sales=np.array([True, True, True]),
        vat=np.array([0.2, 0.2, 0.0]),
    )
    # days 0-19: 120 + 240 = 360 TTC = 300 HT + 60 VAT
    assert wc.revenue(sim, 0, 19) == pytest.approx((300.0, 60.0))
    # all three: HT 300 - 60 = 240, VAT 60
    assert wc.revenue(sim, 0, 30) == pytest.approx((240.0, 60.0))
    # day 16: the first is paid, the second open and not due (due day 40)
    assert wc.receivables(sim, 16) == (240.0, 240.0)
    # day 22: 240 - 60 (the credit, open until day 25) = 180; not due: the positive 240 only
    assert wc.receivables(sim, 22) == (180.0, 240.0)
    row = wc.period_row(sim, 0, 22)
    assert (row["period_days"], row["revenue"], row["receivables"]) == (23, 240.0, 180.0)


def test_the_workbook_of_a_small_sample_ties_to_its_ledger():
    data = generate_sample(n_customers=200, n_items=2000)
    f = data.working_capital.set_index("period_end")
    at = f.loc[pd.Timestamp(AS_OF)]
    assert at["period_days"] == 365 and at["period_label"] == "12 mois au 03/08/2026"
    assert at["receivables"] == round(float(open_at(data.ledger, AS_OF)["amount"].sum()), 2)
    # 2 rolling years + 24 calendar months, August 2024 to July 2026
    assert len(f) == 26 and f.index[2] == pd.Timestamp("2024-08-31") and f.index[-1] == pd.Timestamp("2026-07-31")
    # the months the monthly table shares with the workbook have the same figures
    months = data.monthly.set_index("period_end")
    shared = f.index.intersection(months.index)
    assert len(shared) == 12
    cols = ["revenue", "vat_collected", "receivables", "receivables_not_due"]
    pd.testing.assert_frame_equal(f.loc[shared, cols].astype(float), months.loc[shared, cols].astype(float))
    # purchases, payables and stocks by the stated ratios: 0.55 of revenue, 20 % VAT
    assert at["purchases"] == pytest.approx(0.55 * at["revenue"], abs=0.01)
    assert at["vat_deductible"] == pytest.approx(0.2 * at["purchases"], abs=0.01)


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    figures, report = read_kpi_template(DEMO / "working_capital.xlsx")
    assert report.problems == []  # reads clean: no months_vs_year warning on the rolling years
    return figures


@pytest.mark.parametrize("source", ["ledger.csv.gz", "open_items.csv"])
def test_shipped_receivables_at_the_audit_date_are_the_aged_balance_total(shipped, source):
    # the diagnostic ages open_items.csv (the week-0 export) at 2026-08-03; the
    # working-capital report reads working_capital.xlsx: same receivables to the cent
    items, _ = load_receivables(DEMO / source)
    aged = aged_balance(items, AS_OF, by=None).iloc[0]
    row = shipped[(shipped["period_end"] == AS_OF) & (shipped["period_days"] == 365)].iloc[0]
    assert round(row["receivables"], 2) == round(float(aged["total"]), 2) == 12_481_206.02
    assert round(row["receivables_not_due"], 2) == round(float(aged["not_due"]), 2)


def test_the_demo_mission_reports_the_same_dates(shipped):
    cfg = demo_config("fr")
    assert cfg.data["working_capital"].resolve() == (DEMO / "working_capital.xlsx").resolve()
    # year N ends at the mission date, N-1 a year before: no more "at 31/12/2025"
    assert year_ends(shipped, cfg.as_of) == ("2025-08-03", AS_OF)
    assert cfg.bridge == (AS_OF, "2026-10-26")
