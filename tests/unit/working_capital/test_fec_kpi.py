"""KPIs of a FEC from the command line: the terms behind the receivables not yet due (issue 10 item 8)
and the purchases behind DPO (item 16), on a hand-made year of books.

The FEC (fiscal year 2024, no opening entries), every month m = January to December:

- VE, on the 10th: invoice to C1 1,200 TTC (706 1,000 + 44571 200) and to C2 600 TTC
  (706 500 + 44571 100): sales 1,500 HT, 1,800 TTC a month.
- BQ, on the 10th: C1 pays last month's invoice (1,200), C2 the invoice of two months
  before (600); payments are not lettered.
- AC, on the 15th: supplier S1, goods 601 1,000 + 44566 200 = 1,200 TTC; supplier S2,
  fees 622 1,000 + 44566 200 = 1,200 TTC.
- BQ, on the 15th: both suppliers paid for last month's invoice (one month later).

At 31 December 2024: C1 owes December (1,200), C2 November and December (600 + 600):
receivables 2,400; S1 and S2 are owed December: payables 1,200 + 1,200 = 2,400.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from pytest import approx

from cashmission.cli import main
from cashmission.working_capital.not_due import receivables_not_due

HEAD = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)


def _entry(journal: str, num: int, day: str, ref: str, legs: list[tuple[str, str, float, float]]) -> list[str]:
    """One entry: legs of (account, auxiliary account, debit, credit)."""
    names = {"VE": "Ventes", "AC": "Achats", "BQ": "Banque"}
    return [
        f"{journal}\t{names[journal]}\t{num}\t{day}\t{acc}\t{acc}\t{aux}\t{aux}\t{ref}\t{day}\t{ref}\t"
        f"{debit:.2f}\t{credit:.2f}\t\t\t{day}\t\t"
        for acc, aux, debit, credit in legs
    ]


def year_of_books() -> list[str]:
    rows: list[str] = []
    n = {"VE": 0, "AC": 0, "BQ": 0}

    def add(journal: str, day: str, ref: str, legs: list[tuple[str, str, float, float]]) -> None:
        n[journal] += 1
        rows.extend(_entry(journal, n[journal], day, ref, legs))

    for m in range(1, 13):
        d10, d15 = f"2024{m:02d}10", f"2024{m:02d}15"
        add("VE", d10, f"F1-{m}", [("411000", "C1", 1200, 0), ("706000", "", 0, 1000), ("445710", "", 0, 200)])
        add("VE", d10, f"F2-{m}", [("411000", "C2", 600, 0), ("706000", "", 0, 500), ("445710", "", 0, 100)])
        if m >= 2:
            add("BQ", d10, f"R1-{m - 1}", [("512000", "", 1200, 0), ("411000", "C1", 0, 1200)])
        if m >= 3:
            add("BQ", d10, f"R2-{m - 2}", [("512000", "", 600, 0), ("411000", "C2", 0, 600)])
        add("AC", d15, f"A1-{m}", [("601000", "", 1000, 0), ("445660", "", 200, 0), ("401000", "S1", 0, 1200)])
        add("AC", d15, f"A2-{m}", [("622600", "", 1000, 0), ("445660", "", 200, 0), ("401000", "S2", 0, 1200)])
        if m >= 2:
            add(
                "BQ", d15, f"P-{m - 1}", [("401000", "S1", 1200, 0), ("401000", "S2", 1200, 0), ("512000", "", 0, 2400)]
            )
    return rows


@pytest.fixture
def books(tmp_path: Path) -> Path:
    path = tmp_path / "777777777FEC20241231.txt"
    path.write_text("\n".join([HEAD, *year_of_books()]) + "\n", encoding="utf-8")
    return path


def kpis(*args: str) -> tuple[dict[str, dict], str]:
    # the books' last entry is on 15 December: measured to the fiscal-year end (31/12), as the
    # figures below are worked out (by default a FEC is measured to its last entry, item 14)
    r = CliRunner().invoke(main, ["kpi", *args, "--through", "fiscal-year-end", "--format", "json"])
    assert r.exit_code == 0, r.output
    return {row["kpi"]: row for row in json.loads(r.stdout)}, r.stderr


# --------------------------------------------------------------------------- item 8: terms
def test_kpi_of_a_fec_fills_the_not_due_kpis_with_the_default_terms(books):
    rows, _ = kpis(str(books))
    v = {k: row["value"] for k, row in rows.items()}
    # 30 days from the document date (terms.DEFAULT_TERMS_DAYS): at 31/12, C1's December
    # invoice (due 09/01) and C2's (due 09/01) are not due, C2's November one (due 10/12)
    # is overdue: not yet due 1,200 + 600 = 1,800 of 2,400.
    assert v["receivables"] == approx(2400.0)
    assert v["overdue_rate"] == approx(600 / 2400)  # 0.25
    # revenue TTC 1,800 a month; calendar months (365-day year).
    # countback: December 1,800 fits in 2,400 -> 31 days, 600 left; 600 / 1,800 × 30 = 10 -> 41
    assert v["dso_countback"] == approx(41.0)
    # best possible: 1,800 / 1,800 × 31 = 31; ADD = 41 − 31 = 10
    assert v["dso_best_possible"] == approx(31.0)
    assert v["average_days_delinquent"] == approx(10.0)
    # CEI: no balance before January, so it opens at 31/01 (C1 1,200 + C2 600 = 1,800) over
    # the 11 months after: (1,800 + 19,800 / 11 − 2,400) / (1,800 + 19,800 / 11 − 1,800)
    # = 1,200 / 1,800
    assert v["collection_effectiveness_index"] == approx(1200 / 1800, abs=0.005)  # json: 2 decimals
    # the output says which terms: the convention of those rows
    for kpi in ("dso_best_possible", "average_days_delinquent", "overdue_rate", "collection_effectiveness_index"):
        assert "due dates derived: 30 days from the document date (assumed: no --terms)" in rows[kpi]["convention"]


def test_kpi_terms_end_of_month_and_the_customer_master(books, tmp_path):
    # 30 days end of month: C2's November invoice, 10/11 + 30 = 10/12 -> 31/12, is due ON
    # 31/12, so not yet overdue.  C1: November and December invoices both not due (2,400)
    # but its balance is 1,200 (its payment of November is not lettered): the unapplied
    # cash settles the oldest invoice first, not yet due = min(2,400, 1,200) = 1,200.
    # C2: min(1,200, 1,200).  Not yet due 2,400 = receivables: nothing overdue.
    rows, _ = kpis(str(books), "--terms", "30", "--end-of-month")
    assert rows["overdue_rate"]["value"] == approx(0.0)
    assert rows["dso_best_possible"]["value"] == approx(rows["dso_countback"]["value"]) == approx(41.0)
    assert "30 days end of month" in rows["overdue_rate"]["convention"]
    assert "assumed" not in rows["overdue_rate"]["convention"]
    # 45 days: C2's November invoice is due 25/12, overdue again: 600 / 2,400
    rows, _ = kpis(str(books), "--terms", "45")
    assert rows["overdue_rate"]["value"] == approx(0.25)
    # the customer master gives C2 60 days: November due 09/01, not yet due -> 0 overdue
    master = tmp_path / "clients.csv"
    master.write_text("N° client;Raison sociale;Délai de paiement\nC2;Deux;60\n", "utf-8")
    rows, _ = kpis(str(books), "--customers", str(master))
    assert rows["overdue_rate"]["value"] == approx(0.0)
    assert "per party: C2 60 days" in rows["overdue_rate"]["convention"]


def test_kpi_table_output_says_which_terms(books):
    r = CliRunner().invoke(main, ["kpi", str(books)])
    assert r.exit_code == 0, r.output
    assert (
        "Échéances (le FEC n'en a pas) : date de pièce + 30 jours "
        "(par défaut ; --terms N, --end-of-month, --customers pour les fixer)"
    ) in r.stdout
    r = CliRunner().invoke(main, ["kpi", str(books), "--terms", "45", "--end-of-month", "--lang", "en"])
    assert "Due dates (a FEC has none): document date + 45 days end of month (--terms)" in r.stdout


def test_the_fec_terms_default_lives_in_one_place(books, monkeypatch):
    # with the default moved to 60 days, C2's November invoice (10/11 + 60 = 09/01) is
    # not due: the kpi command follows terms.DEFAULT_TERMS_DAYS, it has no default of its own
    from cashmission import terms

    monkeypatch.setattr(terms, "DEFAULT_TERMS_DAYS", 60)
    monkeypatch.setattr("cashmission.ledger.sources.DEFAULT_TERMS_DAYS", 60)
    rows, _ = kpis(str(books))
    assert rows["overdue_rate"]["value"] == approx(0.0)
    assert "60 days from the document date (assumed" in rows["overdue_rate"]["convention"]


def test_receivables_not_due_per_customer_at_most_its_balance():
    items = pd.DataFrame(
        {
            "account": ["411000", "411000", "411000", "411000", "419100"],
            "customer_id": ["A", "B", "B", "C", "D"],
            "document_type": ["invoice", "invoice", "payment", "payment", "payment"],
            "document_date": pd.to_datetime(["2024-06-20", "2024-06-25", "2024-06-28", "2024-06-01", "2024-06-01"]),
            "due_date": pd.to_datetime(["2024-07-20", "2024-07-25", "2024-06-28", "2024-06-01", "2024-06-01"]),
            "amount": [100.0, 80.0, -30.0, -50.0, -70.0],
        }
    )
    # A: 100 not due; B: min(80, 80 − 30) = 50; C in credit (−50): 0; D on 419
    # (advances received, not a receivable) left out.  At 2024-06-30: 100 + 50 = 150.
    # At 2024-07-31 both invoices are overdue: 0.  Before any item: 0.
    assert receivables_not_due(items, ["2024-06-30", "2024-07-31", "2024-05-31"]).tolist() == [150.0, 0.0, 0.0]
    assert isinstance(receivables_not_due(items, []), np.ndarray)


# --------------------------------------------------------------------------- item 16: purchases
def test_dpo_of_a_fec_counts_every_supplier_purchase_by_default(books):
    rows, _ = kpis(str(books))
    # payables at 31/12 = 2,400 (December's two invoices); purchases and other external
    # charges TTC = 12 × (601 1,200 + 622 1,200) = 28,800: 2,400 / 28,800 × 365 = 30.42
    # (every supplier paid one month later: about a month)
    assert rows["dpo"]["value"] == approx(2400 / 28800 * 365, abs=0.005) == 30.42  # json: 2 decimals
    assert "purchases: 60, 61, 62 (603 stock variations excluded)" in rows["dpo"]["convention"]
    assert rows["cash_per_day_dpo"]["value"] == approx(28800 / 365, abs=0.005)
    # goods only (account 60): 2,400 / 14,400 × 365 = 60.83, the old default's figure,
    # twice the real delay: the fees supplier's debt divided by goods purchases only
    goods, _ = kpis(str(books), "--purchases-only")
    assert goods["dpo"]["value"] == approx(2400 / 14400 * 365, abs=0.005) == 60.83
    assert "purchases: 60 (603 stock variations excluded)" in goods["dpo"]["convention"]
    same, _ = kpis(str(books), "--with-services")
    assert same["dpo"]["value"] == rows["dpo"]["value"]


def test_kpi_table_output_says_which_purchases(books):
    r = CliRunner().invoke(main, ["kpi", str(books)])
    assert (
        "Achats du DPO : comptes 60, 61, 62 TTC, achats et autres charges externes "
        "(mesure de la Banque de France ; --purchases-only : compte 60 seul)"
    ) in r.stdout
    r = CliRunner().invoke(main, ["kpi", str(books), "--purchases-only", "--lang", "en"])
    assert "Purchases behind DPO: account 60 TTC alone, purchases of goods" in r.stdout


@pytest.mark.parametrize(
    ("name", "published"),
    [
        # 2052: FS purchases of goods 410,953 + FU raw materials 14,869 + FW other purchases
        # and external charges 263,948 (../shared/fec/123456789FEC20500930-expected.csv)
        ("123456789FEC20500930.txt", {"goods": 410_953, "raw": 14_869, "other": 263_948}),
        # 2033-B: 234 goods 139 + 238 raw materials 53,160 + 242 other external charges 72,784
        ("000000000FEC20231231.txt", {"goods": 139, "raw": 53_160, "other": 72_784}),
    ],
)
def test_default_purchases_are_the_published_purchases_and_external_charges(shared, name, published):
    from cashmission.io import fec
    from cashmission.io.fec_entries import _closing_mask, is_opening
    from cashmission.working_capital import fec_figures

    lines = fec.read_fec(shared / "fec" / name)[0]
    # the return's lines, rebuilt from the accounts: goods 607 (6087, 6097); raw materials
    # 601, 602 (6081, 6082, 6091, 6092); other purchases and external charges 604-606
    # (6084-6086, 6094-6096), 61, 62 — debit − credit, opening and closing entries aside
    flows = lines[~is_opening(lines) & ~_closing_mask(lines)]
    net, account = flows["Debit"] - flows["Credit"], flows["CompteNum"].astype(str)
    groups = {
        "goods": ("607", "6087", "6097"),
        "raw": ("601", "602", "6081", "6082", "6091", "6092"),
        "other": ("604", "605", "606", "6084", "6085", "6086", "6094", "6095", "6096", "61", "62"),
    }
    by_line = {k: float(net[account.str.startswith(p)].sum()) for k, p in groups.items()}
    assert {k: round(v) for k, v in by_line.items()} == published
    # the default purchases behind DPO are exactly those three lines (within their cents)
    total = float(fec_figures.fec_monthly_figures(lines)["purchases"].sum())
    assert total == approx(sum(by_line.values()))
    assert abs(total - sum(published.values())) < 1.5  # three lines rounded to the euro
