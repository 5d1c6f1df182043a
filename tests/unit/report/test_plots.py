"""cashmission.report.plots: each chart returns its Axes, draws the expected marks, accepts an ax."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from cashmission.meta import Period, attach
from cashmission.report import plots

BUCKETS = ["not_due", "d1_30", "d31_60", "d61_90", "d91_180", "over_180"]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def aged() -> pd.DataFrame:
    rows = []
    for i, (entity, overdue) in enumerate([("FR01", 5e5), ("FR01", 3e5), ("US01", 2e5), ("US01", 0.0), ("DE01", 1e5)]):
        row = {"entity": entity, "customer_id": f"C{i}", "customer_name": f"Client {i}"}
        row.update({b: 1e5 * (j + 1) for j, b in enumerate(BUCKETS)})
        row.update({"credit_notes": -1e4, "total": 2.1e6 - 1e4, "overdue": overdue})
        rows.append(row)
    return pd.DataFrame(rows)


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_aging_bars_one_bar_per_bucket(aged):
    ax = plots.aging_bars(aged)
    assert isinstance(ax, Axes)
    assert len(bars(ax)) == len(BUCKETS)
    # M€: not_due sums 5 × 100 000 = 0.5 M€
    assert bars(ax)[0].get_height() == pytest.approx(0.5)
    assert next(t.get_text() for t in ax.get_xticklabels()) == "Non échu"


def test_aging_bars_stacked_by_group_on_a_given_ax(aged):
    _fig, (left, right) = plt.subplots(1, 2)
    ax = plots.aging_bars(aged, by="entity", ax=right, lang="en", scale="k")
    assert ax is right
    assert len(bars(right)) == 3 * len(BUCKETS)  # 3 entities × 6 buckets
    assert len(bars(left)) == 0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["DE01", "FR01", "US01"]
    assert ax.get_legend() is not None


def test_aging_bars_rejects_a_frame_without_buckets():
    with pytest.raises(ValueError, match="no ageing-bucket column"):
        plots.aging_bars(pd.DataFrame({"total": [1.0]}))


def test_top_customers_bar_largest_on_top(aged):
    ax = plots.top_customers_bar(aged, n=3)
    assert len(bars(ax)) == 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Client 0"  # the largest overdue is drawn last, at the top
    assert len(bars(plots.top_customers_bar(aged, n=10))) == 4  # only positive values


def test_pareto_curve_counts_every_customer(aged):
    ax = plots.pareto_curve(aged)
    line = ax.get_lines()[0]
    assert len(line.get_xdata()) == len(aged) + 1
    assert line.get_ydata()[-1] == pytest.approx(1.0)


def test_kpi_trend_one_line_per_kpi():
    series = pd.DataFrame(
        {"dso_countback": [60.0, 58.0, 55.0], "dpo": [70.0, 71.0, 69.0], "other": [1.0, 2.0, 3.0]},
        index=pd.to_datetime(["2025-01-31", "2025-02-28", "2025-03-31"]),
    )
    ax = plots.kpi_trend(series)
    assert len(ax.get_lines()) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["janvier 2025", "février 2025", "mars 2025"]


def test_kpi_trend_states_its_flow_window():
    series = pd.DataFrame({"dpo": [70.0, 71.0]}, index=pd.to_datetime(["2025-01-31", "2025-02-28"]))
    assert plots.kpi_trend(series).get_ylabel() == "Jours"
    attach(series, Period(frequency="month", window_months=3))
    assert plots.kpi_trend(series).get_ylabel() == "Jours — flux des 3 derniers mois"
    assert plots.kpi_trend(series, lang="en").get_ylabel() == "Days — flows of the last 3 months"


def test_waterfall_and_bfr_waterfall():
    ax = plots.waterfall(
        pd.Series({"dso_before": 60.0, "overdue_undisputed": 5.0, "sales_level": -2.0, "dso_after": 63.0})
    )
    rects = bars(ax)
    assert len(rects) == 4
    assert rects[1].get_y() == pytest.approx(60.0) and rects[1].get_height() == pytest.approx(5.0)
    assert rects[2].get_y() == pytest.approx(63.0) and rects[2].get_height() == pytest.approx(2.0)
    figures = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"]),
            "receivables": [5e6, 5.5e6],
            "payables": [3e6, 3.2e6],
            "stock_goods": [1e6, 1.1e6],
        }
    )
    ax = plots.bfr_waterfall(figures, "2024-12-31", "2025-12-31")
    rects = bars(ax)
    assert len(rects) == 5
    assert rects[0].get_height() == pytest.approx(3.0)  # 1 + 5 - 3 M€
    assert rects[-1].get_height() == pytest.approx(3.4)


def test_charts_are_deterministic(aged, tmp_path):
    import hashlib

    def png(path):
        fig, ax = plt.subplots()
        plots.aging_bars(aged, by="entity", ax=ax)
        fig.savefig(path, format="png", metadata={"Software": None})
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert png(tmp_path / "a.png") == png(tmp_path / "b.png")


# ------------------------------------------------------------------ long labels (print layout)
@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Agroalimentaire grands comptes", 14, "Agroalimentaire\ngrands comptes"),  # long word stays whole
        ("Dettes fournisseurs TTC", 14, "Dettes\nfournisseurs\nTTC"),
        ("BFR 31/12/2024", 14, "BFR 31/12/2024"),  # exactly 14: one line
        ("Rotation des matières premières", 22, "Rotation des matières\npremières"),
        ("91–180\u00a0j", 4, "91–180\u00a0j"),  # no-break space and dash: never split
        ("", 14, ""),
    ],
)
def test_wrap_label(text, width, expected):
    assert plots.wrap_label(text, width) == expected


def test_stacked_bars_wrap_long_group_names():
    aged = pd.DataFrame(
        {
            "segment": ["Agroalimentaire grands comptes", "Export Europe"],
            "not_due": [100.0, 50.0],
            "d1_30": [10.0, 5.0],
        }
    )
    ax = plots.aging_bars(aged, by="segment", scale="k")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Agroalimentaire\ngrands comptes", "Export Europe"]


def test_waterfall_and_trend_wrap_long_labels():
    figures = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"]),
            "receivables": [5e6, 5.5e6],
            "payables": [3e6, 3.2e6],
            "stock_goods": [1e6, 1.1e6],
        }
    )
    ax = plots.bfr_waterfall(figures, "2024-12-31", "2025-12-31")
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "BFR 31/12/2024",
        "Créances\nclients TTC",
        "Stocks",
        "Dettes\nfournisseurs\nTTC",
        "BFR 31/12/2025",
    ]
    series = pd.DataFrame(
        {"stock_days_raw_materials": [60.0, 58.0]}, index=pd.to_datetime(["2025-01-31", "2025-02-28"])
    )
    ax = plots.kpi_trend(series)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Rotation des matières\npremières"]


def test_pareto_curve_writes_its_percents_the_way_each_language_does(aged):
    # overdue 500 k, 300 k, 200 k, 100 k, 0 (total 1 100 k): cumulative 45 %, 73 %, 91 % after
    # 3 of the 5 customers -> 3 / 5 = 60 % of the customers make the 80 % threshold
    fr = plots.pareto_curve(aged)
    en = plots.pareto_curve(aged, lang="en")
    assert [t.get_text() for t in fr.texts] == ["60\u00a0% des clients = 80\u00a0%"]
    assert [t.get_text() for t in en.texts] == ["60% of customers = 80%"]
    # axis ticks: a fraction 0.5 -> 50 % (fr, no-break space) / 50% (en)
    assert fr.yaxis.get_major_formatter()(0.5, 0) == "50\u00a0%"
    assert en.xaxis.get_major_formatter()(0.5, 0) == "50%"


def test_number_axis_and_waterfall_labels_use_the_one_minus_sign():
    # start 40, +4.2, -9.2, end 35: the decrease is written -9,2, the increase +4,2
    ax = plots.waterfall(
        pd.Series({"dso_before": 40.0, "overdue_undisputed": 4.2, "sales_level": -9.2, "dso_after": 35.0})
    )
    shown = [t.get_text() for t in ax.texts if t.get_text()]
    assert shown == ["40,0", "+4,2", "-9,2", "35,0"]
    assert ax.yaxis.get_major_formatter()(-1234.0, 0) == "-1\u00a0234"


def test_overdue_chart_labels_are_accented_in_french(aged):
    # issue 10, item 10: "Echu" lacked its accent in a chart; the top-customers axis and the
    # DSO bridge's overdue step both read their label from labels.py: "Échu", never "Echu".
    ax = plots.top_customers_bar(aged, lang="fr")
    assert ax.get_xlabel().startswith("Échu – ")
    steps = pd.Series({"dso_before": 60.0, "overdue_undisputed": 5.0, "dso_after": 65.0})
    ticks = [t.get_text() for t in plots.waterfall(steps, lang="fr").get_xticklabels()]
    assert "Échu hors\nlitige" in ticks
    assert not [t for t in [ax.get_xlabel(), *ticks] if "Echu" in t]
