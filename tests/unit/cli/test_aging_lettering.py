"""`cashmission aging` on unlettered payments, split lettering groups, currencies and early dates
(issue 10 items 3, 4, 4b, 11).  Every expected figure is worked out by hand in the comments.

The hand-made FEC: customer C1 ("Client Un", padded to a fixed width in the file) is
invoiced 100 on 10/01/2024, 50 on 10/03 and 80 on 20/06, and pays 120 on 01/04; nothing
is lettered.  With --terms 30 the due dates are 09/02, 09/04 and 20/07; at 30/06/2024:
  09/02 -> 20 (Feb) + 31 + 30 + 31 + 30 = 142 days late (91–180 j)
  09/04 -> 21 (Apr) + 31 + 30 = 82 days late (61–90 j)
  20/07 -> not due
"""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from cashmission.cli import main
from cashmission.io import fec
from cashmission.report.labels import NBSP

HEADER = "|".join(fec.FEC_COLUMNS)


def _line(journal: str, date: str, account: str, aux: str, debit: str, credit: str, piece_date: str = "") -> str:
    """One FEC line: JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|
    CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise."""
    name = "Client Un        " if aux else ""  # fixed-width padding, as some exports write it
    lib = {"VE": "Ventes", "BQ": "Banque", "AN": "A nouveaux"}[journal]
    return (
        f"{journal}|{lib}|1|{date}|{account}|Compte {account}|{aux}|{name}|P{date}|{piece_date or date}|"
        f"x|{debit}|{credit}|||{date}||"
    )


def _sale(date: str, amount: str) -> list[str]:
    return [_line("VE", date, "411000", "C1", amount, "0,00"), _line("VE", date, "706000", "", "0,00", amount)]


def _fec(tmp_path, lines: list[str]):
    p = tmp_path / "123456789FEC20241231.txt"
    p.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return p


def _unlettered(tmp_path):
    lines = [*_sale("20240110", "100,00"), *_sale("20240310", "50,00"), *_sale("20240620", "80,00")]
    lines += [
        _line("BQ", "20240401", "512000", "", "120,00", "0,00"),
        _line("BQ", "20240401", "411000", "C1", "0,00", "120,00"),
    ]
    return _fec(tmp_path, lines)


def _rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_unlettered_payments_are_allocated_to_the_oldest_invoices(tmp_path):
    args = ["aging", str(_unlettered(tmp_path)), "--as-of", "2024-06-30", "--terms", "30", "--format", "csv"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    (c1, total) = _rows(r.stdout)
    # the payment 120 pays the oldest invoices: 100 (all of it) then 20 of the 50;
    # left: 30 in 61–90 days, 80 not due, 0 unapplied; the balance 100 + 50 + 80 − 120 = 110
    assert (c1["customer_id"], c1["customer_name"]) == ("C1", "Client Un")  # no padding
    assert [float(c1[k]) for k in ("d91_180", "d61_90", "not_due", "unapplied_cash", "total")] == [0, 30, 80, 0, 110]
    assert float(c1["allocated_credits"]) == 120.0
    assert (total["customer_id"], float(total["total"]), float(total["overdue"])) == ("TOTAL", 110.0, 30.0)
    err = r.stderr.replace(NBSP, " ")
    # overdue 30 over the balance 110 = 27.27 %
    assert "Échu : 30,00 € (27,3 % du solde)" in err
    # nothing lettered: 0 of the 100 + 50 + 80 = 230 of debits
    assert "Taux de lettrage : 0,0 % des débits (0,00 € lettrés sur 230,00 € comptabilisés au 2024-06-30)." in err
    assert "1 client(s) dont les règlements ne sont pas lettrés : leurs crédits (120,00 €)" in err
    assert err.rstrip().count(": C1 Client Un.") == 1
    assert "concordant." in err


def test_no_allocate_keeps_the_unapplied_cash(tmp_path):
    args = ["aging", str(_unlettered(tmp_path)), "--as-of", "2024-06-30", "--terms", "30", "--no-allocate"]
    r = CliRunner().invoke(main, [*args, "--format", "csv"])
    (c1, _) = _rows(r.stdout)
    # 100 in 91–180 days, 50 in 61–90, 80 not due, −120 unapplied
    assert [float(c1[k]) for k in ("d91_180", "d61_90", "not_due", "unapplied_cash")] == [100, 50, 80, -120]
    # overdue 150 over the balance 110 = 136.36 %
    assert "Échu : 150,00 € (136,4 % du solde)" in r.stderr.replace(NBSP, " ")
    assert "imputés" not in r.stderr


def test_a_date_before_the_first_entry_says_nothing_is_open(tmp_path):
    args = ["aging", str(_unlettered(tmp_path)), "--as-of", "2023-12-31", "--terms", "30"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "Au 31/12/2023, avant la première écriture (10/01/2024) : rien n'est encore ouvert." in r.stderr.replace(
        NBSP, " "
    )


def test_a_date_with_only_the_opening_entries_says_it_shows_the_opening_balances(tmp_path):
    # opening entry (AN) on 01/01/2024 of an invoice of 500 dated 15/11/2023; a sale on 10/02
    lines = [
        _line("AN", "20240101", "411000", "C1", "500,00", "0,00", piece_date="20231115"),
        _line("AN", "20240101", "890000", "", "0,00", "500,00"),
        *_sale("20240210", "100,00"),
    ]
    r = CliRunner().invoke(main, ["aging", str(_fec(tmp_path, lines)), "--as-of", "2024-01-31", "--terms", "30"])
    assert r.exit_code == 0, r.output
    assert "seuls les à-nouveaux (soldes d'ouverture) sont comptabilisés" in r.stderr
    assert "extract of open items" not in r.stderr  # a FEC is a ledger: any past date ties
    assert "Solde total : 500,00 €" in r.stderr.replace(NBSP, " ")


EXPORT = (
    "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC;Devise;Montant devise;"
    "Recouvreur;Lettrage\n"
    "FR;C1;Alpha;F1;Facture;01/06/2024;01/07/2024;110,00;USD;120,00;Anne;\n"
    "FR;C1;Alpha;F2;Facture;01/06/2024;01/07/2024;50,00;EUR;50,00;Anne;\n"
    "FR;C2;Beta;F3;Facture;01/05/2024;31/05/2024;220,00;USD;240,00;Anne;A\n"
    "FR;C2;Beta;R3;Règlement;15/06/2024;15/06/2024;-55,00;EUR;-55,00;Bob;A\n"
)


def test_by_currency_shows_the_balance_in_the_document_currency(tmp_path):
    p = tmp_path / "items.csv"
    p.write_text(EXPORT, encoding="utf-8")
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2024-06-30", "--by", "currency", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    rows = {row["currency"]: row for row in _rows(r.stdout)}
    # USD: F1 110 € (120 $) + F3 220 € (240 $) less R3's 55 € lettered with F3: 275 €;
    # F3 keeps (220 − 55) / 220 = 3/4 of its 240 $ = 180 $, so 120 + 180 = 300 $
    assert float(rows["USD"]["total"]) == 275.0 and float(rows["USD"]["total_currency"]) == 300.0
    # EUR: F2 50 € and R3 applied to F3 (0 left): 50 €, 50 in its currency
    assert float(rows["EUR"]["total"]) == 50.0 and float(rows["EUR"]["total_currency"]) == 50.0
    assert rows["TOTAL"]["total_currency"] == ""  # no sum across currencies
    assert "tied." in r.stderr


def test_by_collector_applies_a_lettering_group_before_grouping(tmp_path):
    p = tmp_path / "items.csv"
    p.write_text(EXPORT, encoding="utf-8")
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2024-06-30", "--by", "collector", "--format", "csv"]
    )
    rows = {row["collector"]: row for row in _rows(r.stdout)}
    # F3 220 (Anne) lettered "A" with R3 −55 (Bob): Anne holds the remainder 165 in 1–30 days
    # (due 31/05: 30 days late), F1 110 + F2 50 not due: total 325; Bob's row is 0
    assert [float(rows["Anne"][k]) for k in ("not_due", "d1_30", "total")] == [160, 165, 325]
    assert [float(rows["Bob"][k]) for k in ("unapplied_cash", "total")] == [0, 0]
    assert "tied." in r.stderr
