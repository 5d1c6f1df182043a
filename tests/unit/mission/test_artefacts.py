from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cashmission.mission.artefacts import diagnostic_figures, write_figures
from cashmission.problems import LoadReport


def test_write_figures_rounds_to_cents_and_keeps_everything(tmp_path):
    path = write_figures(
        tmp_path / "out",
        "diag",
        {
            "a": 1234.5678,
            "b": np.int64(3),
            "c": float("nan"),
            "d": pd.Timestamp("2026-08-03"),
            "e": [np.float64(0.125)],
        },
    )
    assert path.name == "diag_figures.json"
    assert json.loads(path.read_text()) == {"a": 1234.57, "b": 3, "c": None, "d": "2026-08-03", "e": [0.12]}


def test_diagnostic_figures_take_loader_and_summary():
    r = LoadReport(file="/x/open_items.csv", kind="open_items", rows_read=3, rows_kept=3)
    r.set_totals(pd.Series([100.0, -20.0, 50.0]), pd.Series([100.0, -20.0, 50.0]))
    s = {
        "total": 130.0,
        "overdue": 100.0,
        "overdue_rate": 100 / 150,
        "not_due": 50.0,
        "disputed": 0.0,
        "n_items": 3,
        "n_customers": 2,
    }
    f = diagnostic_figures(r, s, "2026-08-03")
    assert f["file"] == "open_items.csv" and f["total_read"] == 130.0 and f["aged_total"] == 130.0
