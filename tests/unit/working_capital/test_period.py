"""The period a FEC's working-capital KPIs are measured over (issue 10, items 2, 13, 14, 18, 19).

Small hand-made FECs (tmp_path) and monthly figures; every expected value is worked out
by hand in the test.  VAT is 20 % throughout: a sale of 1,000 HT is 1,200 TTC.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.working_capital import table
from cashmission.working_capital.sources import load_working_capital

HEAD = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)


class _Fec:
    """Entries of a hand-made FEC, one balanced entry per call."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.n = 0

    def entry(self, journal: str, day: str, *lines: tuple[str, str, float, float]) -> None:
        """``lines``: (account, auxiliary account, debit, credit); ``day`` as YYYYMMDD."""
        self.n += 1
        label = {"AN": "A nouveaux", "VE": "Ventes", "AC": "Achats", "BQ": "Banque", "OD": "Operations diverses"}
        for account, aux, debit, credit in lines:
            self.rows.append(
                f"{journal}\t{label[journal]}\t{self.n}\t{day}\t{account}\tCompte {account}\t{aux}\t{aux}\t"
                f"P{self.n}\t{day}\tpiece {self.n}\t{debit:.2f}\t{credit:.2f}\t\t\t{day}\t\t"
            )

    def sale(self, day: str, ht: float = 1_000.0) -> None:
        self.entry("VE", day, ("411000", "C1", ht * 1.2, 0.0), ("706000", "", 0.0, ht), ("445710", "", 0.0, ht * 0.2))

    def cash_in(self, day: str, ttc: float) -> None:
        self.entry("BQ", day, ("512000", "", ttc, 0.0), ("411000", "C1", 0.0, ttc))

    def purchase(self, day: str, ht: float = 500.0) -> None:
        self.entry("AC", day, ("601000", "", ht, 0.0), ("445660", "", ht * 0.2, 0.0), ("401000", "F1", 0.0, ht * 1.2))

    def cash_out(self, day: str, ttc: float) -> None:
        self.entry("BQ", day, ("401000", "F1", ttc, 0.0), ("512000", "", 0.0, ttc))

    def opening(self, day: str) -> None:
        self.entry("AN", day, ("512000", "", 5_000.0, 0.0), ("101000", "", 0.0, 5_000.0))

    def write(self, folder: Path, name: str) -> Path:
        path = folder / name
        path.write_text("\n".join([HEAD, *self.rows]) + "\n", encoding="utf-8")
        return path


def _kpi(path: Path, *args: str) -> tuple[dict[str, dict], str]:
    r = CliRunner().invoke(main, ["kpi", str(path), *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return {row["kpi"]: row for row in json.loads(r.stdout)}, r.stderr


# --------------------------------------------------------------------------- item 2: short fiscal year
def _six_months(tmp_path: Path) -> Path:
    """A six-month fiscal year, 1 January - 30 June 2024 (*exercice court*).

    Opening entries on 1 January; a sale of 1,000 HT (1,200 TTC) on the 1st of each
    month, paid two months later; a purchase of 500 HT (600 TTC) of raw materials on
    the 1st, paid a month later; raw materials of 250 counted in stock on 30 June.
    """
    fec = _Fec()
    fec.opening("20240101")
    for month in range(1, 7):
        fec.sale(f"2024{month:02d}01")
        fec.purchase(f"2024{month:02d}01")
        if month >= 3:
            fec.cash_in(f"2024{month:02d}01", 1_200.0)  # the sale of two months before
        if month >= 2:
            fec.cash_out(f"2024{month:02d}01", 600.0)  # the purchase of the month before
    fec.entry("OD", "20240630", ("310000", "", 250.0, 0.0), ("603100", "", 0.0, 250.0))
    return fec.write(tmp_path, "123456789FEC20240630.txt")


def test_a_six_month_fiscal_year_counts_its_own_182_days(tmp_path):
    path = _six_months(tmp_path)
    figures, report = load_working_capital(path)
    # 1 January - 30 June 2024: 31 + 29 + 31 + 30 + 31 + 30 = 182 days, 6 monthly rows
    assert figures["period_days"].tolist() == [31, 29, 31, 30, 31, 30]
    period = report.extra["period"]
    assert (period["start"], period["end"], period["days"]) == ("2024-01-01", "2024-06-30", 182)
    assert (period["start_from"], period["end_from"], period["fiscal_year_months"]) == (
        "opening_entries",
        "fiscal_year_end",
        6,
    )
    v = table.kpi_table(figures, days_basis=365).set_index("kpi")["value"]
    assert v["days"] == 182.0  # its own days, not 365 (nor 6 × 365 / 12 = 182.5)
    # receivables: the May and June sales, 2 × 1,200 = 2,400; revenue TTC 6 × 1,200 = 7,200
    # DSO = 2,400 / 7,200 × 182 = 60.67 (the 12-month year gave × 365 = 121.67)
    assert v["dso_simple"] == pytest.approx(2_400 / 7_200 * 182)
    assert round(v["dso_simple"], 1) == 60.7
    # DPO: June's purchase open, 600 / (6 × 600) × 182 = 30.33
    assert v["dpo"] == pytest.approx(600 / 3_600 * 182)
    # raw-material days: stock 250 / raw-material purchases HT 6 × 500 × 182 = 15.17
    assert v["stock_days_raw_materials"] == pytest.approx(250 / 3_000 * 182)
    # BFR = 250 + 2,400 - 600 = 2,050; in days of revenue HT: 2,050 / 6,000 × 182 = 62.18
    assert v["bfr"] == pytest.approx(2_050.0)
    assert v["bfr_days"] == pytest.approx(2_050 / 6_000 * 182)
    # on 360: six whole 30-day months = 180 days; 2,400 / 7,200 × 180 = 60.00
    assert table.kpi_table(figures, days_basis=360).set_index("kpi")["value"]["dso_simple"] == pytest.approx(60.0)


def test_the_kpi_output_says_which_period_and_why(tmp_path):
    path = _six_months(tmp_path)
    r = CliRunner().invoke(main, ["kpi", str(path)])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1] == (
        "  Période mesurée : du 01/01/2024 au 30/06/2024 (182 jours), depuis les à-nouveaux "
        "jusqu'à la clôture de l'exercice (exercice court, 6 mois)"
    )
    dso = next(line for line in r.stdout.splitlines() if line.lstrip().startswith("DSO (méthode simple)"))
    assert dso.split()[-7:] == ["2,400", "/", "7,200", "×", "182.00", "=", "60.67"]
    rows, _ = _kpi(path)  # the JSON and CSV say it in the convention of the days
    assert rows["days"]["convention"].endswith(
        "period measured 2024-01-01 to 2024-06-30 (182 days): from the opening entries to the fiscal-year end "
        "(short fiscal year, 6 months)"
    )
    check = CliRunner().invoke(main, ["check", str(path)]).stdout  # the load report: a fiscal year of 6 months
    assert "fiscal year 2024-01-01 to 2024-06-30 (6 months, closing date from the file name)" in check
    en = CliRunner().invoke(main, ["kpi", str(path), "--lang", "en"]).stdout.splitlines()[1]
    assert en == (
        "  Period measured: 2024-01-01 to 2024-06-30 (182 days), from the opening entries "
        "to the fiscal-year end (short fiscal year, 6 months)"
    )


def test_a_file_name_that_does_not_fit_the_entries_is_said_and_the_entries_win(tmp_path):
    # named for 31/12/2022, it holds seven months of 2023: January - July, 212 days
    fec = _Fec()
    fec.opening("20230101")
    for month in range(1, 8):
        fec.sale(f"2023{month:02d}01")
        if month >= 3:
            fec.cash_in(f"2023{month:02d}01", 1_200.0)
    fec.entry("BQ", "20230731", ("627000", "", 10.0, 0.0), ("512000", "", 0.0, 10.0))  # bank fees, last entry
    path = fec.write(tmp_path, "123456789FEC20221231.txt")
    figures, report = load_working_capital(path)
    (warning,) = [p for p in report.warnings if p.code == "period"]
    assert warning.message.startswith("the file name gives the closing date 2022-12-31 but the entries run from")
    assert len(figures) == 7 and report.extra["period"]["days"] == 212  # 31+28+31+30+31+30+31
    # open: the June and July sales, 2,400; revenue TTC 7 × 1,200 = 8,400
    # DSO = 2,400 / 8,400 × 212 = 60.57 (12 months to July, 5 of them empty, gave × 365 = 104.29)
    rows, stderr = _kpi(path)
    assert rows["dso_simple"]["value"] == pytest.approx(2_400 / 8_400 * 212, abs=0.005)  # JSON: 2 decimals
    assert "Remarque : le nom du fichier donne la date de clôture 2022-12-31" in stderr
    assert report.extra["period"]["end_from"] == "data_end"  # no closing date known: not called a short year
    line = CliRunner().invoke(main, ["kpi", str(path)]).stdout.splitlines()[1]
    assert line == (
        "  Période mesurée : du 01/01/2023 au 31/07/2023 (212 jours), depuis les à-nouveaux jusqu'à la fin du mois "
        "de la dernière écriture (7 mois ; date de clôture inconnue : le nom du fichier n'en donne pas d'utilisable)"
    )


# --------------------------------------------------------------------------- item 14: an extract cut on the 15th
def _year_2024(until: str) -> _Fec:
    """Two sales a month of 500 HT = 600 TTC (the 5th and the 20th), each paid a month later; entries to ``until``."""
    fec = _Fec()
    fec.opening("20240101")
    for month in range(1, 13):
        for day in (5, 20):
            when = f"2024{month:02d}{day:02d}"
            if when <= until:
                fec.sale(when, ht=500.0)
            paid = f"2024{month:02d}{day:02d}" if month > 1 else None  # the sale of a month before
            if paid and paid <= until:
                fec.cash_in(paid, 600.0)
    return fec


def test_an_extract_is_measured_to_its_last_entry(tmp_path):
    path = _year_2024("20241215").write(tmp_path, "123456789FEC20241231.txt")
    figures, report = load_working_capital(path)
    # the last entry is the sale of 5 December (nothing else before the cut on the
    # 15th): the period ends at the last entry, December's row covers 1-5 December
    assert report.extra["period"]["end_from"] == "last_entry"
    assert figures["period_end"].iloc[-1] == pd.Timestamp("2024-12-05") and figures["period_days"].iloc[-1] == 5
    # 1 January - 5 December 2024 = 335 + 5 = 340 days
    assert report.extra["period"]["days"] == 340
    # the whole fiscal year on request: December is a full month again
    full, _ = load_working_capital(path, through="fiscal_year_end")
    assert full["period_end"].iloc[-1] == pd.Timestamp("2024-12-31") and full["period_days"].iloc[-1] == 31


def test_kpi_as_of_the_cut_date_of_a_fec(tmp_path):
    # a full year 2024 measured at 15 December (kpi --as-of 2024-12-15)
    path = _year_2024("20241231").write(tmp_path, "123456789FEC20241231.txt")
    rows, _ = _kpi(path, "--as-of", "2024-12-15")
    # open at 15 December: the sales of 20 November (paid 20 December) and 5 December
    # (paid 5 January): 2 × 600 = 1,200
    assert rows["receivables"]["value"] == pytest.approx(1_200.0)
    # countback: December 1-15 sold 600 (5 Dec) -> 15 days, 600 left; November sold
    # 1,200 -> 600 / 1,200 × 30 = 15: 15 + 15 = 30.0 (a complete December gave 31 + 15 = 46.00)
    assert rows["dso_countback"]["value"] == pytest.approx(30.0)
    assert rows["dso_countback"]["formula"] == "15 + 600 / 1,200 × 30 = 30.00"
    # simple: revenue TTC 1 January - 15 December = 23 sales × 600 = 13,800 over
    # 335 + 15 = 350 days: 1,200 / 13,800 × 350 = 30.43 (365 days gave 31.74)
    assert rows["days"]["value"] == 350.0
    assert rows["dso_simple"]["value"] == pytest.approx(1_200 / 13_800 * 350, abs=0.005)  # JSON: 2 decimals
    assert round(rows["dso_simple"]["value"], 2) == 30.43
    assert "2024-12 partial (15 days)" in rows["days"]["convention"]


def test_kpi_without_as_of_on_an_extract_to_the_15th(tmp_path):
    # the same sales, the file extracted on 15 December with one more entry that day
    fec = _year_2024("20241215")
    fec.entry("OD", "20241215", ("471000", "", 10.0, 0.0), ("512000", "", 0.0, 10.0))
    path = fec.write(tmp_path, "123456789FEC20241231.txt")
    rows, _ = _kpi(path)
    # same figures as at 15 December above: 30.0 and 1,200 / 13,800 × 350 = 30.43
    assert rows["dso_countback"]["value"] == pytest.approx(30.0)
    assert rows["dso_simple"]["value"] == pytest.approx(1_200 / 13_800 * 350, abs=0.005)  # JSON: 2 decimals


def test_kpi_as_of_outside_the_fiscal_year_is_a_clear_error(tmp_path):
    path = _year_2024("20241231").write(tmp_path, "123456789FEC20241231.txt")
    r = CliRunner().invoke(main, ["kpi", str(path), "--as-of", "2025-01-15"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "as_of 2025-01-15 is outside the fiscal year of the FEC (2024-01-01 to 2024-12-31)" in r.output


# --------------------------------------------------------------------------- item 13: a partial month on 360/365
def _to_mid_december() -> pd.DataFrame:
    """Monthly figures 1 January - 15 December 2024: 1,000 HT + 200 VAT a month, December 500 + 100."""
    ends = [*pd.date_range("2024-01-31", "2024-11-30", freq="ME"), pd.Timestamp("2024-12-15")]
    days = [e.day for e in ends]  # 31, 29, ..., 30, then 15 for 1-15 December
    return pd.DataFrame(
        {
            "period_end": ends,
            "period_days": days,
            "revenue": [1_000.0] * 11 + [500.0],
            "vat_collected": [200.0] * 11 + [100.0],
            "receivables": [1_500.0] * 12,
            "receivables_not_due": [1_000.0] * 12,
        }
    )


def test_a_partial_last_month_counts_its_own_days_on_360_and_365():
    f = _to_mid_december()
    v360 = table.kpi_table(f, days_basis=360).set_index("kpi")
    # countback on 360: December 1-15 sold 600 -> 15 days (not 30), 900 left; November
    # 1,200 -> 900 / 1,200 × 30 = 22.5: 37.50 (a full 30-day December gave 52.50)
    assert v360.loc["dso_countback", "value"] == pytest.approx(37.5)
    assert v360.loc["dso_countback", "formula"].startswith("15 + 900 / 1,200 × 30")
    # best possible: 1,000 not due: 15 + 400 / 1,200 × 30 = 25.0 (was 40.00)
    assert v360.loc["dso_best_possible", "value"] == pytest.approx(25.0)
    # simple on 360: 11 × 30 + 15 = 345 days; revenue TTC 11 × 1,200 + 600 = 13,800
    assert v360.loc["days", "value"] == 345.0
    assert v360.loc["dso_simple", "value"] == pytest.approx(1_500 / 13_800 * 345)
    v365 = table.kpi_table(f, days_basis=365).set_index("kpi")["value"]
    # 365: the window's own 335 + 15 = 350 days: 1,500 / 13,800 × 350 = 38.04 (365 gave 39.67)
    assert v365["days"] == 350.0
    assert round(v365["dso_simple"], 2) == 38.04
    assert v365["dso_countback"] == pytest.approx(15 + 900 / 1_200 * 30)  # calendar November: 37.50


def test_whole_months_keep_their_twelfths():
    # 12 whole months of 2024 (a leap year) still count 365 on the 365 basis, and a
    # 3-month window asked for counts 3 × 365 / 12 = 91.25 (the demo's trend)
    ends = pd.date_range("2024-01-31", "2024-12-31", freq="ME")
    f = pd.DataFrame(
        {
            "period_end": ends,
            "period_days": ends.day,
            "revenue": 1_000.0,
            "vat_collected": 200.0,
            "receivables": 1_200.0,
        }
    )
    assert table.kpi_table(f, days_basis=365).set_index("kpi")["value"]["days"] == 365.0
    assert table.kpi_table(f, days_basis=365, window_months=3).set_index("kpi")["value"]["days"] == 91.25


# --------------------------------------------------------------------------- item 18: opening entries only
def test_a_fec_with_only_opening_entries_has_balances_and_no_flows(tmp_path):
    fec = _Fec()
    fec.entry(
        "AN",
        "20240101",
        ("411000", "C1", 1_200.0, 0.0),
        ("401000", "F1", 0.0, 600.0),
        ("512000", "", 400.0, 0.0),
        ("101000", "", 0.0, 1_000.0),
    )
    path = fec.write(tmp_path, "123456789FEC20241231.txt")
    figures, report = load_working_capital(path)
    assert figures["period_end"].tolist() == [pd.Timestamp("2024-01-01")]  # the opening day, not 31/12
    assert figures["revenue"].isna().all() and figures["purchases"].isna().all()  # empty, not 0
    assert any("only opening entries" in p.message for p in report.warnings)
    rows, stderr = _kpi(path)
    assert rows["receivables"]["value"] == 1_200.0 and "2024-01-01" in rows["receivables"]["convention"]
    assert rows["bfr"]["value"] == pytest.approx(600.0)  # 0 + 1,200 - 600, opening balances
    # empty in JSON (null), not 0
    assert rows["revenue"]["value"] is None and rows["dso_simple"]["value"] is None
    assert rows["dso_countback"]["value"] is None
    assert "Remarque : le fichier ne contient que des à-nouveaux datés du 2024-01-01" in stderr
    text = CliRunner().invoke(main, ["kpi", str(path)]).stdout
    assert text.splitlines()[1] == (
        "  Période mesurée : le 01/01/2024 seulement, jour des à-nouveaux : aucune écriture après l'ouverture, "
        "donc pas de flux (CA, achats) ; les soldes sont ceux d'ouverture"
    )


# --------------------------------------------------------------------------- item 19: simplified conventions said
def test_the_kpi_conventions_say_what_they_simplify(tmp_path):
    rows, _ = _kpi(_six_months(tmp_path))
    assert (
        "raw-material purchases HT (simplified: purchases, not consumption)"
        in (rows["stock_days_raw_materials"]["convention"])
    )
    assert "goods purchases HT (simplified: purchases, not consumption)" in rows["stock_days_goods"]["convention"]
    assert (
        "revenue HT (simplified: revenue, not the cost of production)"
        in (rows["stock_days_finished_goods"]["convention"])
    )
    assert rows["bfr"]["convention"].startswith("trade working capital only: stocks HT + receivables TTC")
