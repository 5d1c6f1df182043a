"""Issue 10 items 1 and 5 on the command line: --mapping MAP.yml and --dayfirst/--monthfirst on check, aging, kpi."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cashmission.cli import main

# An ERP extract whose headers no preset knows, with US dates
EXTRACT = (
    "Tiers;Facture;Emise le;Payable le;Reste\nC1;F1;01/26/2024;02/25/2024;1000,00\nC1;F2;3/5/2024;4/4/2024;100,00\n"
)
MAPPING = "customer_id: Tiers\ndocument_id: Facture\ndocument_date: Emise le\ndue_date: Payable le\namount: Reste\n"


def _files(tmp_path: Path, mapping: str = MAPPING) -> tuple[Path, Path]:
    data, spec = tmp_path / "extract.csv", tmp_path / "map.yml"
    data.write_text(EXTRACT, encoding="utf-8")
    spec.write_text(mapping, encoding="utf-8")
    return data, spec


def test_check_needs_the_mapping_and_reads_with_it(tmp_path):
    data, spec = _files(tmp_path)
    without = CliRunner().invoke(main, ["check", str(data)])
    assert without.exit_code == 1 and "no header row recognised" in without.output
    r = CliRunner().invoke(main, ["check", str(data), "--mapping", str(spec)])
    assert r.exit_code == 0, r.output
    assert "rows read          2   kept          2" in r.output
    assert "total   read           1,100.00" in r.output  # 1,000.00 + 100.00
    assert "date_order: month first (mm/dd/yyyy)" in r.output
    assert "customer_id <- 'Tiers', document_id <- 'Facture'" in r.output


def test_a_mapping_copied_from_a_mission_file_works(tmp_path):
    data, spec = _files(tmp_path, "mapping:\n" + "".join(f"  {line}\n" for line in MAPPING.splitlines()))
    assert CliRunner().invoke(main, ["check", str(data), "--mapping", str(spec)]).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("customer_id: 123\n", "customer_id must be a non-empty text, got 123"),
        ("- customer_id\n", "a mapping file holds lines 'canonical: header'"),
        ("customer_id: [Tiers\n", "not valid YAML"),
        (None, "mapping file not found"),
    ],
)
def test_a_bad_mapping_file_is_one_line(tmp_path, content, message):
    data, spec = _files(tmp_path)
    if content is None:
        spec.unlink()
    else:
        spec.write_text(content, encoding="utf-8")
    for command in (["check", str(data)], ["aging", str(data), "--as-of", "2024-03-31"], ["kpi", str(data)]):
        r = CliRunner().invoke(main, [*command, "--mapping", str(spec)])
        assert r.exit_code == 1 and r.output.count("\n") == 1 and "Traceback" not in r.output, r.output
        assert r.output.startswith("Error: --mapping: ") and message in r.output


def _aged(tmp_path: Path, *options: str) -> dict[str, float]:
    data, spec = _files(tmp_path)
    args = ["aging", str(data), "--mapping", str(spec), "--as-of", "2024-03-31", "--by", "none", "--format", "csv"]
    r = CliRunner().invoke(main, [*args, *options])
    assert r.exit_code == 0, r.output
    header, row = r.stdout.strip().splitlines()
    return {
        k: float(v) for k, v in zip(header.split(","), row.split(","), strict=True) if k.startswith(("d", "n", "t"))
    }


def test_aging_reads_us_dates_month_first_by_itself(tmp_path):
    aged = _aged(tmp_path)
    # F1 due 25/02/2024: 4 + 31 = 35 days late at 31/03 -> 31-60; F2 due 04/04: not due
    assert (aged["d31_60"], aged["not_due"], aged["total"]) == (1000.0, 100.0, 1100.0)
    assert aged == _aged(tmp_path, "--monthfirst")


def test_aging_dayfirst_forced_drops_the_us_row_with_a_warning(tmp_path):
    data, spec = _files(tmp_path)
    args = ["aging", "--lang", "en", str(data), "--mapping", str(spec), "--as-of", "2024-03-31", "--dayfirst"]
    r = CliRunner().invoke(main, [*args, "--by", "none", "--format", "csv"])
    assert r.exit_code == 0, r.output
    # 01/26/2024 read day first has no month 26: F1 dropped (counted); F2 3 May, due 4 April (before: warned)
    assert "Read 2 rows, kept 1 (total 100.00)" in r.stderr
    assert "2 warning(s) in extract.csv" in r.stderr


def _monthly(tmp_path: Path) -> tuple[Path, Path]:
    # 2023, 12 months of revenue 1,000 HT + VAT 200; receivables 2,400 at each month end
    ends = pd.date_range("2023-01-31", periods=12, freq="ME")
    rows = [f"{d.month}/{d.day}/{d.year},{d.day},1000,200,2400" for d in ends]
    data, spec = tmp_path / "mensuel.csv", tmp_path / "map.yml"
    data.write_text("Fin de mois,Jours,CA HT,TVA,Clients\n" + "\n".join(rows) + "\n", encoding="utf-8")
    spec.write_text(
        "period_end: Fin de mois\nperiod_days: Jours\nrevenue: CA HT\nvat_collected: TVA\nreceivables: Clients\n",
        encoding="utf-8",
    )
    return data, spec


def test_kpi_reads_a_figures_csv_through_a_mapping_and_us_month_ends(tmp_path):
    data, spec = _monthly(tmp_path)
    r = CliRunner().invoke(main, ["kpi", str(data), "--mapping", str(spec), "--format", "json"])
    assert r.exit_code == 0, r.output
    values = {row["kpi"]: row["value"] for row in json.loads(r.stdout)}
    # 2,400 / (12 × 1,200) × 365 = 60.833…
    assert values["revenue_ttc"] == 14_400 and values["dso_simple"] == 60.83


def test_kpi_dayfirst_forced_on_us_month_ends_names_the_line(tmp_path):
    data, spec = _monthly(tmp_path)
    r = CliRunner().invoke(main, ["kpi", str(data), "--mapping", str(spec), "--dayfirst"])
    # 1/31/2023 read day first has no month 31: line 2
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "row 2" in r.output and "period_end '1/31/2023' is not a date" in r.output


def test_aging_prints_the_files_totals_row_and_its_gap(tmp_path):
    p = tmp_path / "items.csv"
    p.write_text(
        "N° client;N° pièce;Date pièce;Date échéance;Montant TTC\n"
        "C1;F1;15/12/2024;14/01/2025;1 000,00\n"
        "C1;F2;16/12/2024;15/01/2025;200,00\n"
        "Total général;;;;1 250,00\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2025-01-31", "--by", "none", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    # items 1,000.00 + 200.00 = 1,200.00 against the file's 1,250.00: gap -50.00; the row is no item
    assert "Read 2 rows, kept 2 (total 1,200.00)" in r.stderr
    assert "items.csv: control total (row 4, 'Total général'): 1,250.00; the items add up to 1,200.00, GAP -50.00." in (
        r.stderr
    )
    check = CliRunner().invoke(main, ["check", str(p)])
    assert "  control total (row 4, 'Total général'): 1,250.00; the items add up to 1,200.00, GAP -50.00" in (
        check.output
    )
