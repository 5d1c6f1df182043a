"""Output for finance users: CSV a French Excel opens in columns, kpi as a workbook with its Source sheet."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from cashmission.cli import main
from tests.conftest import ROOT

HEADER = "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC\n"
ROWS = (
    "FR10;C1;Alpha;F1;Facture;01/01/2026;31/01/2026;1 234,50\n"
    "FR10;C1;Alpha;F2;Facture;01/03/2026;31/03/2026;100,00\n"
    "FR10;C2;=Beta;F3;Facture;01/02/2026;28/02/2026;50,25\n"
)


def _items(tmp_path):
    p = tmp_path / "items.csv"
    p.write_text(HEADER + ROWS, encoding="utf-8")
    return p


def test_csv_excel_fr_is_semicolons_decimal_commas_and_a_bom(tmp_path):
    out = tmp_path / "aged.csv"
    args = ["aging", str(_items(tmp_path)), "--as-of", "2026-03-31", "--format", "csv", "--csv", "excel-fr"]
    r = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    row = dict(zip(header, lines[1].split(";"), strict=True))
    # C1 at 31/03: F1 due 31/01 is 59 days late (31-60), F2 due 31/03 not due; total 1,234.50 + 100 = 1,334.50
    assert row["customer_id"] == "C1" and row["total"] == "1334,5"
    assert "'=Beta" in lines[2]  # client text neutralised in this flavour too


def test_plain_csv_is_unchanged(tmp_path):
    args = ["aging", str(_items(tmp_path)), "--as-of", "2026-03-31", "--format", "csv"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].count(",") > 3 and "1334.5" in r.stdout


DEMO_WC = ROOT / "tests" / "data" / "working_capital_round.xlsx"


def test_kpi_writes_a_workbook_with_a_source_sheet(tmp_path):
    out = tmp_path / "kpi.xlsx"
    r = CliRunner().invoke(main, ["kpi", str(DEMO_WC), "--format", "xlsx", "-o", str(out), "--days", "365"])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == ["Indicateurs de BFR", "Source"]
    ws = wb["Indicateurs de BFR"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    # 5,490,000 / 31,680,000 × 365 = 63.25 days (the same figure as kpi --format json)
    value = next(v for k, v in rows.items() if k == "dso_simple" or (isinstance(k, str) and "DSO" in k))
    assert pytest.approx(63.25, abs=0.01) in [x for x in value.values() if isinstance(x, float)]
    source = {r[0]: r[1] for r in wb["Source"].iter_rows(min_row=2, values_only=True)}
    assert source["file"] == "working_capital_round.xlsx" and source["days"] == "365"


def test_kpi_xlsx_needs_an_output_file():
    r = CliRunner().invoke(main, ["kpi", str(DEMO_WC), "--format", "xlsx"])
    assert r.exit_code != 0 and "--output" in r.output
