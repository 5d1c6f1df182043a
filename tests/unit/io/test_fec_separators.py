"""Issue 10 items 20 and 21: a FEC is a FEC whatever its separator or name; an unbalanced entry says where.

The FEC below is made by hand in the shape of a real anonymised one: named ``FEC.csv``,
22 columns (the 18 plus DateRglt, ModeRglt, NatOp, IdClient), comma-separated,
amounts quoted with a decimal comma (``"1000,00"``), and an opening entry that repeats
one line three times.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.io import fec, fec_validation

COLUMNS = [*fec.FEC_COLUMNS, *fec.CASH_BASIS_COLUMNS]
#      journal, lib, num, date, account, account label, aux, aux label, piece, debit, credit
ROWS = [
    ("AN", "A nouveaux", "1", "20230101", "411000", "Clients", "C1", "Client Un", "AN1", "3000,00", "0,00"),
    ("AN", "A nouveaux", "1", "20230101", "512000", "Banque", "", "", "AN1", "1000,00", "0,00"),
    ("AN", "A nouveaux", "1", "20230101", "101000", "Capital", "", "", "AN1", "0,00", "3000,00"),
    # lines 5, 6, 7: one supplier line of 1,000.00 repeated three times (2,000.00 too much credit)
    ("AN", "A nouveaux", "1", "20230101", "401000", "Fournisseurs", "F1", "Fourn, Un", "AN1", "0,00", "1000,00"),
    ("AN", "A nouveaux", "1", "20230101", "401000", "Fournisseurs", "F1", "Fourn, Un", "AN1", "0,00", "1000,00"),
    ("AN", "A nouveaux", "1", "20230101", "401000", "Fournisseurs", "F1", "Fourn, Un", "AN1", "0,00", "1000,00"),
    ("VE", "Ventes", "2", "20230115", "411000", "Clients", "C1", "Client Un", "F1", "1200,00", "0,00"),
    ("VE", "Ventes", "2", "20230115", "706000", "Prestations", "", "", "F1", "0,00", "1000,00"),
    ("VE", "Ventes", "2", "20230115", "445710", "TVA collectée", "", "", "F1", "0,00", "200,00"),
    ("BQ", "Banque", "3", "20230215", "512000", "Banque", "", "", "R1", "1200,00", "0,00"),
    ("BQ", "Banque", "3", "20230215", "411000", "Clients", "C1", "Client Un", "R1", "0,00", "1200,00"),
]
# debits  3,000 + 1,000 (AN) + 1,200 (VE) + 1,200 (BQ)                     = 6,400.00
# credits 3,000 + 3 × 1,000 (AN) + 1,000 + 200 (VE) + 1,200 (BQ)          = 8,400.00
# entry AN 1: debits 4,000.00, credits 6,000.00, debits - credits          = -2,000.00


def _fec_text(sep: str) -> str:
    """The FEC with ``sep``; with a comma or semicolon every field holding it (and every amount) is quoted."""
    out = io.StringIO()
    quoting = csv.QUOTE_NONE if sep in "\t|" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=sep, quoting=quoting, lineterminator="\n")
    writer.writerow(COLUMNS)
    for j, lib, num, date, acc, acc_lib, aux, aux_lib, piece, debit, credit in ROWS:
        row = [j, lib, num, date, acc, acc_lib, aux, aux_lib, piece, date, f"Ecriture {piece}", debit, credit]
        writer.writerow([*row, "", "", "20230301", "", "", "", "", "", ""])
    text = out.getvalue()
    if sep == ",":  # as in the real file: amounts quoted even when csv would not need it
        for amount in {r[9] for r in ROWS} | {r[10] for r in ROWS}:
            text = text.replace(f",{amount},", f',"{amount}",')
    return text


def _write(tmp_path: Path, sep: str = ",", name: str = "FEC.csv") -> Path:
    p = tmp_path / name
    p.write_text(_fec_text(sep), encoding="utf-8")
    return p


def test_a_comma_separated_fec_named_fec_csv_is_a_fec(tmp_path):
    p = _write(tmp_path)
    assert '"1000,00"' in p.read_text(encoding="utf-8")  # the amounts are quoted with a decimal comma
    assert fec.is_fec(p)
    lines, report = fec.read_fec(p)
    assert report.extra["separator"] == "comma" and report.extra["decimal"] == ","
    assert len(lines) == 11 and report.extra["cash_basis_columns"] is True
    assert lines["CompAuxLib"].iloc[3] == "Fourn, Un"  # a quoted comma stays in its field
    # every total from the lines as they are: 6,400.00 against 8,400.00
    assert (report.debit_read, report.credit_read, report.total_read) == (6400.0, -8400.0, -2000.0)
    warning = next(p for p in report.warnings if p.code == "fec_separator")
    assert "separated by a comma" in warning.message and "tab or a pipe" in warning.message


@pytest.mark.parametrize(("sep", "name"), [("\t", "tab"), ("|", "pipe"), (";", "semicolon"), (",", "comma")])
def test_every_separator_gives_the_same_lines(tmp_path, sep, name):
    lines, report = fec.read_fec(_write(tmp_path, sep, f"FEC_{name}.txt"))
    assert report.extra["separator"] == name
    assert (round(lines["Debit"].sum(), 2), round(lines["Credit"].sum(), 2)) == (6400.0, 8400.0)
    assert lines["Credit"].tolist()[3:6] == [1000.0, 1000.0, 1000.0]
    assert bool([p for p in report.warnings if p.code == "fec_separator"]) == (sep in ";,")


def test_an_export_with_commas_is_not_a_fec(tmp_path):
    other = tmp_path / "items.csv"
    other.write_text("customer,amount,JournalCode\nA,1,VE\n", encoding="utf-8")
    assert not fec.is_fec(other)
    assert fec.sniff_header('"JournalCode","EcritureNum","CompteNum"') == (
        ",",
        ["JournalCode", "EcritureNum", "CompteNum"],
    )


def test_a_non_compliant_name_is_a_warning_not_a_refusal(tmp_path):
    lines, _ = fec.read_fec(_write(tmp_path))
    problems = fec_validation.validate_fec(lines, file_name="FEC.csv")
    name = next(p for p in problems if p.code == "file_name")
    assert name.level == "warning" and "'FEC.csv' is not <SIREN>FEC<AAAAMMJJ>" in name.message
    compliant = fec_validation.validate_fec(lines, file_name="123456789FEC20231231.txt")
    assert not [p for p in compliant if p.code == "file_name"]


def test_an_unbalanced_entry_names_its_journal_number_date_gap_and_repeated_lines(tmp_path):
    lines, _ = fec.read_fec(_write(tmp_path))
    problems = fec_validation.validate_fec(lines, file_name="FEC.csv")
    entry = next(p for p in problems if p.code == "unbalanced_entry")
    assert entry.level == "error" and entry.row == 2
    assert entry.message == (
        "entry AN 1 (2023-01-01, piece AN1): debits 4,000.00, credits 6,000.00; "
        "lines 5, 6, 7 are one line repeated (401000, credit 1,000.00); debits - credits = -2,000.00"
    )
    assert len([p for p in problems if p.code == "unbalanced_entry"]) == 1  # VE 2 and BQ 3 balance


def test_check_of_the_comma_fec(tmp_path):
    r = CliRunner().invoke(main, ["check", str(_write(tmp_path))])
    assert r.exit_code == 1  # an unbalanced FEC has errors
    assert "(fec, utf-8)" in r.output and "separator: comma" in r.output
    assert "total debits 6,400.00 != total credits 8,400.00 (difference -2,000.00)" in r.output
    assert "entry AN 1 (2023-01-01, piece AN1): debits 4,000.00, credits 6,000.00" in r.output
    assert "due date" not in r.output  # not read as an open-items export


def test_aging_and_kpi_read_the_comma_fec_as_a_fec(tmp_path):
    p = _write(tmp_path)
    aged = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2023-01-31", "--terms", "30", "--format", "csv"]
    )
    assert aged.exit_code == 0, aged.output
    assert "A FEC has no due date (FEC.csv" in aged.stderr
    kpi = CliRunner().invoke(main, ["kpi", str(p), "--format", "json"])
    assert kpi.exit_code == 0, kpi.output
    assert "period_end" not in kpi.stderr
