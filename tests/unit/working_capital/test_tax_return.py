"""The tax-return view of a FEC (issue 10 item 7): a hand-made FEC and the 13-month real one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from pytest import approx

from cashmission.cli import main
from cashmission.io import fec
from cashmission.meta import FigureBasis, TaxReturnBasis, of
from cashmission.working_capital import fec_figures
from cashmission.working_capital.tax_return import fiscal_year_months, tax_return_view

HEAD = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)
# journal, entry, date, account, auxiliary account, debit, credit
LINES = [
    # opening entry (à-nouveaux) 2024-01-01
    ("AN", 1, "20240101", "411000", "C1", 1000, 0),  # customer in debit
    ("AN", 1, "20240101", "411000", "C2", 0, 200),  # customer in credit (an advance)
    ("AN", 1, "20240101", "418100", "", 300, 0),  # invoices to issue, no auxiliary account
    ("AN", 1, "20240101", "401000", "S1", 0, 500),  # supplier in credit
    ("AN", 1, "20240101", "401000", "S2", 100, 0),  # supplier in debit
    ("AN", 1, "20240101", "401100", "", 0, 300),  # no auxiliary account: the account nets
    ("AN", 1, "20240101", "401100", "", 50, 0),  # ... to 250 in credit
    ("AN", 1, "20240101", "408000", "", 20, 0),  # invoices to receive, in debit
    ("AN", 1, "20240101", "310000", "", 400, 0),  # raw materials
    ("AN", 1, "20240101", "391000", "", 0, 40),  # their write-down
    ("AN", 1, "20240101", "355000", "", 200, 0),  # finished goods
    ("AN", 1, "20240101", "370000", "", 1000, 0),  # goods for resale
    ("AN", 1, "20240101", "397000", "", 0, 150),  # their write-down
    ("AN", 1, "20240101", "101000", "", 0, 1880),  # capital: 3,070 - 1,190
    # sales 2024-02-10: 706 5,000 + 707 2,000 - rebate 709 300 = 6,700 HT, VAT 1,340
    ("VE", 1, "20240210", "411000", "C1", 8040, 0),
    ("VE", 1, "20240210", "706000", "", 0, 5000),
    ("VE", 1, "20240210", "707000", "", 0, 2000),
    ("VE", 1, "20240210", "709000", "", 300, 0),
    ("VE", 1, "20240210", "445710", "", 0, 1340),
    # C1 pays it 2024-03-10
    ("BQ", 1, "20240310", "512000", "", 8040, 0),
    ("BQ", 1, "20240310", "411000", "C1", 0, 8040),
]


@pytest.fixture
def books(tmp_path: Path) -> Path:
    names = {"AN": "A nouveaux", "VE": "Ventes", "BQ": "Banque"}
    rows = [
        f"{j}\t{names[j]}\t{n}\t{d}\t{acc}\t{acc}\t{aux}\t{aux}\tP{n}\t{d}\tligne\t{dr:.2f}\t{cr:.2f}\t\t\t{d}\t\t"
        for j, n, d, acc, aux, dr, cr in LINES
    ]
    path = tmp_path / "777777777FEC20241231.txt"
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def test_tax_return_view_by_hand(books):
    lines = fec.read_fec(books)[0]
    fiscal_year = of(fec_figures.fec_monthly_figures(lines), FigureBasis).fiscal_year
    view = tax_return_view(lines, fiscal_year=fiscal_year)
    got = dict(zip(view["key"], view["amount"], strict=True))
    assert got == {
        "net_turnover": 6700.0,  # 5,000 + 2,000 - 300 (709 rebates deducted)
        "rebates_granted": 300.0,
        "trade_receivables": 1300.0,  # C1 1,000 + 418 300 (C1's sale of 8,040 paid)
        "customer_credit_balances": 200.0,  # C2, reclassified as a liability
        # S1 500 + 401100 250: the account without auxiliary account nets its own lines
        # (300 - 50), the accounts with one are decided per auxiliary account
        "trade_payables": 750.0,
        "supplier_debit_balances": 120.0,  # S2 100 + 408 20, reclassified as assets
        "stock_raw_materials": 360.0,  # 400 - 40
        "stock_finished_goods": 200.0,
        "stock_goods": 850.0,  # 1,000 - 150
        "stocks": 1410.0,  # 360 + 200 + 850
    }
    assert view.set_index("key").loc["trade_payables", ["form", "line"]].tolist() == ["2051", "DX"]
    # Jan 2024 to Dec 2024: (2024 - 2024) × 12 + 12 - 1 + 1 = 12 months
    assert of(view, TaxReturnBasis) == TaxReturnBasis("reclassify", "2024-01-01", "2024-12-31", 12)
    net = tax_return_view(lines, supplier_debits="net").set_index("key")["amount"]
    assert net["trade_payables"] == 630.0  # 750 - 120: suppliers in debit netted
    assert net["supplier_debit_balances"] == 120.0  # still shown
    assert net["customer_credit_balances"] == 200.0  # customers in credit are always a liability
    with pytest.raises(ValueError, match="supplier_debits must be one of reclassify, net"):
        tax_return_view(lines, supplier_debits="nett")


def test_kpi_prints_the_tax_return_view(books):
    r = CliRunner().invoke(main, ["kpi", str(books)])
    assert r.exit_code == 0, r.output
    out = [line.strip() for line in r.stdout.splitlines()]
    i = out.index(
        "Liasse fiscale (2050-2052) : exercice complet du 2024-01-01 au 2024-12-31 (12 mois), "
        "à côté des chiffres glissants ci-dessus"
    )
    shown = [" ".join(line.split()) for line in out[i + 1 : i + 12]]
    assert shown[0] == "Chiffre d'affaires net (70) 2052 FL 6 700,00 €"
    assert shown[1] == "dont rabais, remises et ristournes accordés (709), déduits 2052 FL 300,00 €"
    assert shown[4] == "Fournisseurs et comptes rattachés (401, 403, 408) 2051 DX 750,00 €"
    assert shown[5] == "Fournisseurs débiteurs, reclassés à l'actif (autres créances) 2050 BZ 120,00 €"
    assert shown[10].startswith("(Fournisseurs débiteurs reclassés à l'actif") and "(par défaut" in shown[10]
    r = CliRunner().invoke(main, ["kpi", str(books), "--supplier-debits", "net", "--lang", "en"])
    text = " ".join(r.stdout.split())
    assert "Trade payables (401, 403, 408) 2051 DX €630.00" in text
    assert "Suppliers in debit, deducted from the suppliers (not reclassified) 2050 BZ €120.00" in text
    assert "Suppliers in debit netted against the other suppliers (--supplier-debits net)" in text


def test_fiscal_year_months():
    # 1 April 2022 to 30 April 2023: April to December 2022 (9) + January to April 2023 (4)
    assert fiscal_year_months("2022-04-01", "2023-04-30") == 13
    assert fiscal_year_months("2024-01-01", "2024-06-30") == 6


def half_up(x: float) -> int:
    return int(np.floor(round(x, 2) + 0.5))


def test_the_13_month_fec_reproduces_its_tax_return(shared):
    # 123456789FEC20500930 (../shared/fec/README.md): 2052 FL net turnover 1,212,844,
    # 2050 BX 128,201, 2051 DX 156,766 (official, suppliers in debit reclassified; the
    # plain net balance is 154,891), over a fiscal year of 13 months.
    path = shared / "fec" / "123456789FEC20500930.txt"
    lines = fec.read_fec(path)[0]
    fiscal_year = of(fec_figures.fec_monthly_figures(lines), FigureBasis).fiscal_year
    view = tax_return_view(lines, fiscal_year=fiscal_year)
    got = view.set_index("key")["amount"]
    assert round(got["net_turnover"], 2) == 1212843.90 and half_up(got["net_turnover"]) == 1212844
    assert half_up(got["trade_receivables"]) == 128201  # 128,200.50
    assert half_up(got["trade_payables"]) == 156766  # 156,766.21
    # reclassified: 156,766.21 - 154,890.59 = 1,875.62
    assert got["supplier_debit_balances"] == approx(1875.62)
    assert got["stock_goods"] == 11586.0  # 2050 BT (370)
    basis = of(view, TaxReturnBasis)
    assert basis.months == 13 and basis.start == "2022-04-01"  # April 2022 to April 2023: 12 + 4 - 4 + 1
    net = tax_return_view(lines, supplier_debits="net").set_index("key")["amount"]
    assert half_up(net["trade_payables"]) == 154891
    r = CliRunner().invoke(main, ["kpi", str(path)])
    text = " ".join(r.stdout.split())
    assert "exercice complet du 2022-04-01 au 2023-04-30 (13 mois)" in text
    assert "Chiffre d'affaires net (70) 2052 FL 1 212 843,90 €" in text
    assert "Fournisseurs et comptes rattachés (401, 403, 408) 2051 DX 156 766,21 €" in text
    assert "Fournisseurs débiteurs, reclassés à l'actif (autres créances) 2050 BZ 1 875,62 €" in text
