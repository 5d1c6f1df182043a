"""Hand-made working-capital figures and small readers shared by the KPI tests
(``test_kpis``, ``test_kpis_windows``); not a test module itself."""

from __future__ import annotations

import pandas as pd


def kpi_values(table: pd.DataFrame) -> dict[str, float]:
    """The ``value`` of each KPI of a :func:`cashmission.kpis.kpi_table` frame."""
    return table.set_index("kpi")["value"].to_dict()


def oct_dec() -> pd.DataFrame:
    """Three hand-made months (Oct–Dec 2024, 92 calendar days).

    Revenue HT 100, 150, 200 k + VAT 20 % = TTC 120, 180, 240 k; receivables 150, 200,
    300 k, of which not yet due 100, 120, 200 k; at 31/12 factored 60 k and discounted
    12 k; payables 60, 70, 90 k on purchases 50, 50, 100 k HT (+ VAT 10, 10, 20 k);
    raw-material purchases 30, 16, 46 k, goods 10, 16, 20 k; stocks raw materials 20,
    21, 23 k, goods 5, 8, 10 k, finished goods 40, 42, 45 k.
    """
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-10-31", "2024-11-30", "2024-12-31"]),
            "period_days": [31, 30, 31],
            "revenue": [100_000.0, 150_000.0, 200_000.0],
            "vat_collected": [20_000.0, 30_000.0, 40_000.0],
            "receivables": [150_000.0, 200_000.0, 300_000.0],
            "receivables_not_due": [100_000.0, 120_000.0, 200_000.0],
            "factored_receivables": [0.0, 0.0, 60_000.0],
            "discounted_receivables": [0.0, 0.0, 12_000.0],
            "payables": [60_000.0, 70_000.0, 90_000.0],
            "purchases": [50_000.0, 50_000.0, 100_000.0],
            "vat_deductible": [10_000.0, 10_000.0, 20_000.0],
            "purchases_raw_materials": [30_000.0, 16_000.0, 46_000.0],
            "purchases_goods": [10_000.0, 16_000.0, 20_000.0],
            "stock_raw_materials": [20_000.0, 21_000.0, 23_000.0],
            "stock_goods": [5_000.0, 8_000.0, 10_000.0],
            "stock_finished_goods": [40_000.0, 42_000.0, 45_000.0],
        }
    )
