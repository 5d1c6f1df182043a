"""`cashmission aging`: the reconciliation line ties only real figures; exports write client text as text."""

from __future__ import annotations

import csv
import io

import openpyxl
from click.testing import CliRunner

from cashmission.cli import main

HEADER = "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC\n"

# Client text a spreadsheet would run: a live link, a +, a - and an @ in front.
HOSTILE = (
    'FR10;C1;"=HYPERLINK(""http://evil.example"",""Pay"")";F1;Facture;01/01/2026;31/01/2026;1000,00\n'
    "FR10;@C2;-Gamma;A1;Avoir;15/02/2026;15/02/2026;-400,00\n"
    "FR10;C3;+Delta;F3;Facture;01/03/2026;31/03/2026;50,00\n"
)
LINK = '=HYPERLINK("http://evil.example","Pay")'


def _file(tmp_path, rows: str):
    p = tmp_path / "items.csv"
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


def test_an_infinite_amount_is_dropped_with_a_warning_and_the_rest_ties(tmp_path):
    # 1e400 would read as an infinite amount: the reader drops its row with a bad_amount warning
    # (never an inf in a table; tie_out's own NaN/inf rule is tested in tests/unit/ledger/test_reconciliation.py),
    # so what is kept is the 50.00 invoice: read 50.00 = aged 50.00, tied.
    p = _file(
        tmp_path,
        "FR10;C1;Alpha;F1;Facture;01/01/2026;31/01/2026;1e400\nFR10;C3;Delta;F3;Facture;01/03/2026;31/03/2026;50,00\n",
    )
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2026-03-31", "--by", "none", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    assert "1 warning(s) in items.csv" in r.stderr
    assert "kept 1 (total 50.00) = aged at 2026-03-31 50.00" in r.stderr
    assert "add up to the aged total: tied." in r.stderr


def test_finite_amounts_tie(tmp_path):
    # 1,000 (59 days late) - 400 (credit note) + 50 (not due) = 650 aged = 650 read
    p = _file(tmp_path, HOSTILE)
    r = CliRunner().invoke(main, ["aging", "--lang", "en", str(p), "--as-of", "2026-03-31", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "kept 3 (total 650.00) = aged at 2026-03-31 650.00 + not open at that date 0.00" in r.stderr
    assert r.stderr.rstrip().endswith("tied.")


def test_csv_writes_client_text_as_text_and_amounts_as_numbers(tmp_path):
    p = _file(tmp_path, HOSTILE)
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-03-31", "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = {row["customer_id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["C1"]["customer_name"] == "'" + LINK
    assert rows["C3"]["customer_name"] == "'+Delta"
    assert rows["'@C2"]["customer_name"] == "'-Gamma"
    # the credit note stays a negative number, not text
    assert rows["'@C2"]["credit_notes"] == "-400.0" and rows["TOTAL"]["total"] == "650.0"  # 1000 - 400 + 50


def test_xlsx_writes_client_text_as_text_and_amounts_as_numbers(tmp_path):
    p = _file(tmp_path, HOSTILE)
    out = tmp_path / "aged.xlsx"
    args = ["aging", str(p), "--as-of", "2026-03-31", "--format", "xlsx", "-o", str(out), "--lang", "en"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row]
    # no formula but the table's own totals row (SUBTOTAL over the amounts, on the last row)
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas and all(c.value.startswith("=SUBTOTAL(109,[") and c.row == ws.max_row for c in formulas)
    names = {c.value: c for c in cells if isinstance(c.value, str) and c.value.startswith("'")}
    assert set(names) >= {"'" + LINK, "'-Gamma", "'+Delta", "'@C2"}
    assert all(c.data_type == "s" for c in names.values())
    header = [c.value for c in ws[1]]
    credit = ws.cell(row=[c.value for c in ws["A"]].index("'@C2") + 1, column=header.index("Credit notes") + 1)
    assert credit.value == -400 and credit.data_type == "n"
