"""Input dispatch and the command line on real FEC files (../shared/fec, read in place).

The aged balance rebuilt from a FEC must tie to the company's tax return: at the
closing date, the sum of the customers' debit balances is the published "clients et
comptes rattachés" figure (see ../shared/fec/README.md).
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.ledger.sources import load_receivables
from cashmission.meta import LedgerNotes, of
from cashmission.problems import InputError
from cashmission.working_capital.sources import load_working_capital
from tests.conftest import DEMO, ROOT

FEC_2022 = "0000000001FEC20220831.txt"  # customers (form 2139 line BC) = 52,596


def test_fec_receivables_at_closing_tie_to_the_tax_return(shared):
    _items, report = load_receivables(shared / "fec" / FEC_2022, terms_days=30)
    assert report.kind == "fec" and report.rows_read == 5422
    assert any(p.code == "terms_assumed" for p in report.problems) is False  # terms were given
    r = CliRunner().invoke(
        main, ["aging", str(shared / "fec" / FEC_2022), "--as-of", "2022-08-31", "--terms", "30", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[-1]["customer_id"] == "TOTAL"
    by_customer = rows[:-1]
    debit_balances = sum(max(row["total"], 0.0) for row in by_customer)
    # Published 52,596: the return truncates to the euro (52,596.37 -> 52,596).
    assert math.floor(debit_balances) == 52_596


def test_fec_without_terms_assumes_30_days_and_says_so(shared):
    _, report = load_receivables(shared / "fec" / FEC_2022)
    assert [p.code for p in report.problems if p.code == "terms_assumed"] == ["terms_assumed"]


def test_cli_aging_on_a_fec_requires_terms(shared):
    r = CliRunner().invoke(main, ["aging", str(shared / "fec" / FEC_2022), "--as-of", "2022-08-31"])
    assert r.exit_code == 1 and "give --terms N" in r.output


def test_cli_check_on_a_fec_guessed_grouping_warns_only(shared):
    # 000000000FEC20231231: EcritureNum is always "0"; grouped by JournalCode +
    # EcritureDate + PieceRef, four "unbalanced" entries are two pairs that cancel
    # (artefacts of the guess): warnings, so the check passes; the entries line says
    # which grouping counted them (501 = 500 groups + the opening journal AD).
    r = CliRunner().invoke(main, ["check", str(shared / "fec" / "000000000FEC20231231.txt")])
    assert r.exit_code == 0, r.output
    problems = [line for line in r.output.splitlines() if line.startswith("  - ")]
    assert problems[0].startswith("  - warning:")
    assert "debit   read       1,265,350.82" in r.output
    assert "  entries: 501\n  entry_grouping: JournalCode+EcritureDate+PieceRef" in r.output
    assert "6 entries" not in r.output


def test_cli_check_on_an_unbalanced_fec_fails_with_one_file_error(tmp_path):
    head = (
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
        "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
    )
    rows = [
        "VE\tVentes\t1\t20240110\t411000\tClients\tC1\tUn\tF1\t20240110\tF1\t120,00\t0,00\t\t\t20240110\t\t",
        "VE\tVentes\t1\t20240110\t706000\tVentes\t\t\tF1\t20240110\tF1\t0,00\t100,00\t\t\t20240110\t\t",
    ]
    path = tmp_path / "777777777FEC20241231.txt"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(path), "--max-problems", "50"])
    assert r.exit_code == 1
    assert r.output.count("unbalanced_file") == 1  # 120 - 100 = 20, said once
    assert next(ln for ln in r.output.splitlines() if ln.startswith("  - ")).startswith("  - error:")


def test_working_capital_from_a_fec_gives_the_tax_return_turnover(shared):
    figures, report = load_working_capital(shared / "fec" / "000000000FEC20231231.txt")
    # entries from January to June 2023 only (the name says 2023-12-31): six months
    assert len(figures) == 6 and report.kind == "fec" and report.extra["through"] == "2023-06-30"
    assert round(float(figures["revenue"].sum())) == 165_298  # form 2033 line 214
    full, _ = load_working_capital(shared / "fec" / "000000000FEC20231231.txt", through="fiscal_year_end")
    assert len(full) == 12 and float(full["revenue"].iloc[6:].abs().sum()) == 0.0


def test_working_capital_options_reach_the_figures(shared):
    path = shared / "fec" / "000000000FEC20231231.txt"
    # purchases behind DPO: 60 + 61 + 62 by default (item 16), 60 alone on request
    services, report = load_working_capital(path)
    assert report.extra["convention"]["purchases"].startswith("60, 61, 62 (603")
    assert report.extra["convention"]["vat_deductible"].endswith("(60, 61, 62)")
    base, report = load_working_capital(path, include_services=False)
    assert report.extra["convention"]["purchases"].startswith("60 (603")
    assert services["purchases"].sum() >= base["purchases"].sum()
    net, _ = load_working_capital(path, reclassify_debit_suppliers=False)
    # 2033 line 166: 4,631, the NET balance of 401 (see test_fec)
    assert round(float(net["payables"].iloc[-1])) == 4631


def test_receivables_options_terms_and_ledger(shared):
    path = shared / "fec" / FEC_2022
    items, report = load_receivables(path, terms_days=45, end_of_month=True, terms_by_customer={"CPRO00": 60})
    assert report.extra["due_dates"] == (
        "due dates derived: 45 days end of month from the document date; per party: CPRO00 60 days"
    )
    assert of(items, LedgerNotes).due_dates == report.extra["due_dates"]
    assert any(p.code == "terms_used" for p in report.problems)
    assert set(
        items.loc[(items["customer_id"] == "CPRO00") & (items["document_type"] == "invoice"), "due_date_source"]
    ) == {"customer_terms:60"}
    suppliers, report = load_receivables(path, ledger="suppliers", terms_days=30)
    assert report.extra["ledger"] == "suppliers" and suppliers["account"].str.startswith("40").all()
    # at the closing date the open supplier items net to the plain balance of 401/408:
    # 68,906.67 credit balances - 528.75 debit balances = 68,377.92
    from cashmission.ledger.ageing import open_at

    assert round(float(open_at(suppliers, "2022-08-31")["amount"].sum()), 2) == 68377.92
    with pytest.raises(ValueError, match="ledger must be"):
        load_receivables(path, ledger="banks")


def test_working_capital_from_the_template():
    figures, report = load_working_capital(ROOT / "tests" / "data" / "working_capital_round.xlsx")
    assert report.rows_kept == len(figures) > 0


def test_cli_check_on_the_demo_export_is_clean():
    r = CliRunner().invoke(main, ["check", str(DEMO / "open_items.csv")])
    assert r.exit_code == 0, r.output
    assert "rows read     20,000   kept     20,000" in r.output


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_cli_aging_on_the_demo_export_reconciles(fmt, tmp_path):
    r = CliRunner().invoke(
        main, ["aging", str(DEMO / "open_items.csv"), "--as-of", "2026-08-03", "--by", "entity", "--format", fmt]
    )
    assert r.exit_code == 0, r.output
    if fmt == "json":
        rows = json.loads(r.stdout)
        assert [row["entity"] for row in rows][-1] == "TOTAL"
        assert sorted(row["entity"] for row in rows[:-1]) == ["EX30", "FR10", "FR20"]
        # the TOTAL row (all items aged at once) = the sum of the entity rows
        assert rows[-1]["total"] == pytest.approx(sum(row["total"] for row in rows[:-1]), abs=0.01)
        # buckets + credit columns = total on every row
        for row in rows:
            parts = sum(v for k, v in row.items() if k.startswith(("d", "not_due", "over_")) and k != "disputed")
            parts += row["credit_notes"] + row["unapplied_cash"] + row["other_credits"]
            assert parts == pytest.approx(row["total"], abs=0.01)


def test_cli_aging_xlsx_writes_a_labelled_workbook(tmp_path):
    import openpyxl

    out = tmp_path / "aged.xlsx"
    r = CliRunner().invoke(
        main,
        [
            "aging",
            str(DEMO / "open_items.csv"),
            "--as-of",
            "2026-08-03",
            "--by",
            "segment",
            "--format",
            "xlsx",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Réseau", "Non échu", "1–30\u00a0j"]  # labels keep their no-break space
    assert ws["B2"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2"


def test_a_gzipped_export_loads_like_the_plain_one(tmp_path):
    import gzip

    from cashmission.io.exports import load_open_items

    plain = tmp_path / "items.csv"
    plain.write_text(
        "N° client;N° pièce;Date pièce;Date échéance;Montant TTC\n"
        "C1;F1;01/07/2026;31/07/2026;1 200,50\n"
        "C2;A1;05/07/2026;05/07/2026;-200,50\n",
        encoding="utf-8",
    )
    packed = tmp_path / "items.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a, _ = load_open_items(plain)
    b, rb = load_open_items(packed)
    assert (rb.rows_read, rb.total_read, rb.debit_read) == (2, 1000.0, 1200.5)  # 1,200.50 - 200.50
    assert a["amount"].tolist() == b["amount"].tolist() == [1200.5, -200.5]


def test_a_corrupt_gzip_is_one_clear_error(tmp_path):
    bad = tmp_path / "items.csv.gz"
    bad.write_bytes(b"not gzip at all")
    r = CliRunner().invoke(main, ["check", str(bad)])
    assert r.exit_code == 1 and "not a valid gzip file" in r.output


def test_cli_aging_table_by_customer_shows_id_and_name(tmp_path):
    # two customers; as of 31/01/2025: F1 due 31/12/2024 is 31 days late, F2 not due
    p = tmp_path / "items.csv"
    p.write_text(
        "N° client;Raison sociale;N° pièce;Date pièce;Date échéance;Montant TTC\n"
        "C1;Alpha SAS;F1;01/12/2024;31/12/2024;1 000,00\n"
        "C2;Beta SARL;F2;15/01/2025;14/02/2025;250,00\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2025-01-31"])
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    lines = r.output.splitlines()
    alpha = next(line for line in lines if "Alpha SAS" in line)
    assert "C1" in alpha and "1 000,00 €" in alpha  # in the 31–60 days bucket and in the total
    total = next(line for line in lines if line.lstrip().startswith("TOTAL"))
    assert "1 250,00 €" in total  # 1 000 + 250
    assert "gardé 2 (total 1 250,00) = âgé au 2025-01-31 1 250,00 + non ouvert à cette date 0,00" in r.output
    assert r.output.rstrip().endswith("concordant.")


FEC_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)


def test_fec_line_without_any_valid_date_is_refused_naming_its_row(tmp_path):
    # line 3 of the file (header = line 1): an invoice of 120 to C1 dated 31/02/2024 both as
    # EcritureDate and PieceDate, which no calendar has: no due date, so no ageing
    p = tmp_path / "123456789FEC20241231.txt"
    p.write_text(
        "\n".join(
            [
                FEC_HEADER,
                "VE\tVentes\t1\t20240110\t411000\tClients\tC1\tUn\tF1\t20240110\tF1\t100,00\t0,00\t\t\t20240131\t\t",
                "VE\tVentes\t2\t31/02/2024\t411000\tClients\tC1\tUn\tF2\t31/02/2024\tF2\t120,00\t0,00\t\t\t20240131\t\t",
                "VE\tVentes\t1\t20240110\t706000\tVentes\t\t\tF1\t20240110\tF1\t0,00\t220,00\t\t\t20240131\t\t",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_receivables(p, terms_days=30)
    assert err.value.problem.row == 3
    assert err.value.problem.file == p.name
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2024-12-31", "--terms", "30"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"Error: {p.name}, row 3:" in r.stderr
