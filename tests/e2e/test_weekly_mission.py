"""End to end: a mission's weekly report from three weekly extracts, through `cashmission run`.

The figures the report writes must equal what plain pandas reads from the extracts
themselves (overdue = positive items due before the week's date) and from the payments.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cashmission.ledger.open_items import open_at
from cashmission.samples.writer import french_export
from tests.conftest import DEMO

pytestmark = pytest.mark.slow
WEEKS = ["2026-08-03", "2026-08-10", "2026-08-17"]

MISSION = """client: "Hebdo SA"
as_of: "2026-08-17"
start: "2026-08-03"
target_overdue: 3000000
data:
  weekly: data/weekly
  payments: data/payments.csv.gz
notebooks: [weekly]
pdf: false
"""


@pytest.fixture(scope="module")
def weekly_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mission")
    weekly = root / "data" / "weekly"
    weekly.mkdir(parents=True)
    ledger = pd.read_csv(DEMO / "ledger.csv.gz", parse_dates=["document_date", "due_date", "cleared_date"])
    for week in WEEKS:
        extract = french_export(open_at(ledger, week))
        extract.to_csv(weekly / f"open_items_{week}.csv", sep=";", index=False, encoding="utf-8-sig")
    shutil.copy(DEMO / "payments.csv.gz", root / "data" / "payments.csv.gz")
    (root / "mission.yml").write_text(MISSION, encoding="utf-8")
    exe = Path(sys.executable).with_name("cashmission")
    proc = subprocess.run(
        [str(exe), "run", str(root / "mission.yml")], capture_output=True, text=True, timeout=600, env=dict(os.environ)
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "reports" / "hebdo-sa" / "2026-08-17"


def test_weekly_figures_reconcile_with_the_extracts(weekly_run):
    figures = json.loads((weekly_run / "weekly_figures.json").read_text(encoding="utf-8"))
    overdue = {}
    for week in WEEKS:
        df = pd.read_csv(
            weekly_run.parents[2] / "data" / "weekly" / f"open_items_{week}.csv",
            sep=";",
            decimal=",",
            encoding="utf-8-sig",
        )
        due = pd.to_datetime(df["Date échéance"], format="%d/%m/%Y")
        overdue[week] = df.loc[(df["Montant TTC"] > 0) & (due < pd.Timestamp(week)), "Montant TTC"].sum()
    assert figures["week"] == 2 and figures["start"] == "2026-08-03"
    assert figures["overdue_start"] == pytest.approx(overdue["2026-08-03"], abs=0.01)
    assert figures["overdue"] == pytest.approx(overdue["2026-08-17"], abs=0.01)
    assert figures["overdue_change"] == pytest.approx(overdue["2026-08-17"] - overdue["2026-08-10"], abs=0.01)
    # cash collected in the week (10/08, 17/08], from the payments file read with plain pandas
    pay = pd.read_csv(DEMO / "payments.csv.gz", parse_dates=["payment_date"])
    week = (pay["payment_date"] > "2026-08-10") & (pay["payment_date"] <= "2026-08-17")
    assert figures["cash_collected"] == pytest.approx(pay.loc[week, "amount"].sum(), abs=0.01)
    # the straight path: 6.6 M€ at week 0 to 3.0 M€ at week 2
    assert figures["target_overdue"] == 3_000_000


def test_weekly_html_is_written_with_code_hidden(weekly_run):
    html = (weekly_run / "weekly.html").read_text(encoding="utf-8")
    assert "Suivi hebdomadaire du recouvrement" in html and "import cashmission" not in html
    assert "Hebdo SA" in html
