"""Labels and French/English formats of cashmission.reporting, with hand-written strings."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cashmission import reporting as r
from cashmission.checks import LoadReport
from cashmission.reporting import LABELS, NBSP


def sp(text: str) -> str:
    """Expected strings are written with plain spaces; the module uses no-break spaces."""
    return text.replace(" ", NBSP)


# ------------------------------------------------------------------ labels
def test_every_label_exists_in_both_languages():
    assert set(LABELS["fr"]) == set(LABELS["en"])
    for lang in ("fr", "en"):
        empty = [k for k, v in LABELS[lang].items() if not v.strip()]
        assert not empty, f"{lang}: empty labels {empty}"


AGED_COLUMNS = [
    "not_due", "d1_30", "d31_60", "d61_90", "d91_180", "over_180", "d0_30",
    "credit_notes", "unapplied_cash", "other_credits", "total", "gross_debit", "overdue",
    "overdue_rate", "disputed", "n_items", "customer_id", "customer_name", "entity", "segment",
]
SUMMARY_KEYS = ["total", "gross_debit", "overdue", "overdue_rate", "not_due", "disputed", "n_items", "n_customers"]
CONCENTRATION_KEYS = ["rank", "value", "share", "cumulative_share", "others"]
KPI_KEYS = [
    "dso", "dso_simple", "dso_countback", "best_possible_dso", "add", "cei", "economic_dso", "dpo",
    "stock_days", "bfr", "bfr_days", "cash_per_dso_day", "kpi", "value", "unit", "convention", "formula",
]
LOAD_KEYS = list(LoadReport("f.csv", "open_items").summary())


@pytest.mark.parametrize("key", sorted(set(AGED_COLUMNS + SUMMARY_KEYS + CONCENTRATION_KEYS + KPI_KEYS + LOAD_KEYS)))
def test_labels_cover_the_keys_the_package_produces(key):
    assert key in LABELS["fr"] and key in LABELS["en"], key


def test_kinds_and_bucket_keys_have_labels():
    for key in [*r.KINDS, *r.BUCKET_KEYS, *r.CREDIT_KEYS]:
        assert key in LABELS["fr"], key


def test_labels_cover_the_real_aged_balance_columns():
    receivables = pytest.importorskip("cashmission.receivables")
    if not hasattr(receivables, "aged_balance"):
        pytest.skip("aged_balance not written yet")
    items = pd.DataFrame({
        "entity": ["A", "A"], "customer_id": ["C1", "C1"], "customer_name": ["Un", "Un"],
        "document_id": ["F1", "AV1"], "document_type": ["invoice", "credit_note"],
        "document_date": pd.to_datetime(["2026-05-01", "2026-06-01"]),
        "due_date": pd.to_datetime(["2026-06-01", "2026-06-01"]),
        "amount": [1000.0, -100.0], "dispute": [False, False],
    })
    aged = receivables.aged_balance(items, "2026-08-03")
    missing = [c for c in aged.columns if r.label(c, "fr") == str(c) or r.label(c, "en") == str(c)]
    assert not missing


def test_labels_of_kpi_table_rows():
    kpis = pytest.importorskip("cashmission.kpis")
    if not hasattr(kpis, "_demo_figures"):
        pytest.skip("no demo figures in kpis")
    table = kpis.kpi_table(kpis._demo_figures())
    missing = [k for k in table["kpi"] if k not in LABELS["fr"]]
    assert not missing


def test_label_falls_back_and_generates_buckets():
    assert r.label("overdue") == "Échu"
    assert r.label("overdue", "en") == "Overdue"
    assert r.label("d1_15") == sp("1–15 j")
    assert r.label("over_45", "en") == sp("> 45 days")
    assert r.label("over_180") == sp("> 180 j")
    assert r.label("client_specific_column") == "client_specific_column"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        r.label("total", "de")


# ------------------------------------------------------------------ scalars
@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1234567.891, {}, "1 234 567,89 €"),
        (-1234.5, {}, "-1 234,50 €"),
        (0.0, {}, "0,00 €"),
        (-0.001, {}, "0,00 €"),
        (999.995, {}, "1 000,00 €"),
        (6_600_000, {"scale": "M"}, "6,6 M€"),
        (1_234_567, {"scale": "k"}, "1 235 k€"),
        (1_500_000, {"scale": "auto"}, "1,5 M€"),
        (45_000, {"scale": "auto"}, "45 k€"),
        (950, {"scale": "auto"}, "950,00 €"),
        (1234567.891, {"lang": "en"}, "€1,234,567.89"),
        (-1234.5, {"lang": "en"}, "-€1,234.50"),
        (6_600_000, {"lang": "en", "scale": "M"}, "€6.6M"),
        (None, {}, "–"),
        (float("nan"), {}, "–"),
    ],
)
def test_format_amount(value, kwargs, expected):
    assert r.format_amount(value, **kwargs) == sp(expected)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(0.123, "fr", "12,3 %"), (0.123, "en", "12.3%"), (1.0, "fr", "100,0 %"), (-0.05, "fr", "-5,0 %"), (None, "fr", "–")],
)
def test_format_percent(value, lang, expected):
    assert r.format_percent(value, lang) == sp(expected)


def test_other_scalars():
    assert r.format_number(1234567.891, 1) == sp("1 234 567,9")
    assert r.format_number(1234567.891, 1, "en") == "1,234,567.9"
    assert r.format_count(20000) == sp("20 000")
    assert r.format_days(45.24) == sp("45,2 j")
    assert r.format_days(45.24, "en") == sp("45.2 days")
    assert r.format_date("2026-08-03") == "03/08/2026"
    assert r.format_date(pd.Timestamp("2026-08-03"), long=True) == "3 août 2026"
    assert r.format_date("2026-08-03", "en") == "2026-08-03"
    assert r.format_month("2026-02-28") == "février 2026"
    with pytest.raises(ValueError, match="unknown scale 'G'"):
        r.format_amount(1.0, scale="G")


# ------------------------------------------------------------------ tables
def test_format_table_labels_and_formats():
    aged = pd.DataFrame({
        "entity": ["FR01", "US01"],
        "not_due": [1000.0, 0.0],
        "d1_30": [234567.891, 50.0],
        "overdue_rate": [0.5, 1.0],
        "n_items": [3, 1],
    })
    shown = r.format_table(aged)
    assert shown.index.name == "Société"
    assert list(shown.index) == ["FR01", "US01"]
    assert list(shown.columns) == ["Non échu", sp("1–30 j"), "Taux d'échu", "Nb de pièces"]
    assert shown.loc["FR01", sp("1–30 j")] == sp("234 567,89 €")
    assert shown.loc["US01", "Taux d'échu"] == sp("100,0 %")
    assert shown.loc["FR01", "Nb de pièces"] == "3"
    en = r.format_table(aged, "en", scale="k")
    assert en.loc["FR01", sp("1–30 days")] == "€235k"
    assert aged.loc[0, "d1_30"] == 234567.891  # input untouched


def test_format_table_translates_the_others_row_and_series():
    conc = pd.DataFrame({"customer_name": ["Alpha", "others"], "value": [10.0, 5.0], "share": [2 / 3, 1 / 3]})
    shown = r.format_table(conc)
    assert list(shown.index) == ["Alpha", "Autres clients"]
    s = r.format_table(pd.Series({"total": 1e6, "overdue_rate": 0.25, "n_items": 7}))
    assert s.iloc[:, 0].tolist() == [sp("1 000 000,00 €"), sp("25,0 %"), "7"]
    assert list(s.index) == ["Solde total", "Taux d'échu", "Nb de pièces"]


def test_bucket_table_sums_to_total():
    aged = pd.DataFrame({"not_due": [100.0, 50.0], "d1_30": [50.0, 0.0], "credit_notes": [-20.0, 0.0], "total": [130.0, 50.0]})
    shown = r.bucket_table(aged)
    assert list(shown.index) == ["Non échu", sp("1–30 j"), "Avoirs", "Solde total"]
    assert shown.iloc[:, 0].tolist() == [sp(x) for x in ["150,00 €", "50,00 €", "-20,00 €", "180,00 €"]]
    assert shown.iloc[-1, 1] == sp("100,0 %")


def test_headline_is_plain_deterministic_text():
    text = r.headline({"total": 1e6, "overdue": 4e5, "overdue_rate": 0.4, "disputed": 0.0, "n_items": 120, "n_customers": 12}, "en")
    assert text.splitlines() == [
        "Total balance: €1,000,000.00",
        "Overdue: €400,000.00 (40.0% of the balance)",
        "Disputed: €0.00",
        "Items: 120 — Customers: 12",
    ]


# ------------------------------------------------------------------ reconciliation
def _report(**kw) -> LoadReport:
    base = {"rows_read": 3, "rows_kept": 3, "total_read": 130.0, "total_kept": 130.0, "debit_kept": 150.0, "credit_kept": -20.0}
    return LoadReport("/tmp/somewhere/open_items.csv", "open_items", **{**base, **kw})


AGED = pd.DataFrame({
    "customer_id": ["C1", "C2"], "not_due": [100.0, 0.0], "d1_30": [0.0, 50.0], "credit_notes": [-20.0, 0.0],
    "total": [80.0, 50.0], "gross_debit": [100.0, 50.0], "n_items": [2, 1],
})


def test_reconcile_ties():
    rec = r.reconcile(_report(), AGED)
    assert rec["check"].tolist() == ["recon_items", "recon_total", "recon_debit", "recon_credit", "recon_columns"]
    assert rec["ok"].all()
    assert rec["difference"].abs().max() == 0


def test_reconcile_shows_a_gap_and_labels_it():
    rec = r.reconcile(_report(total_kept=140.0, debit_kept=160.0, rows_kept=4), AGED)
    assert rec.set_index("check").loc["recon_total", "difference"] == -10.0
    assert not rec.set_index("check").loc["recon_items", "ok"]
    shown = r.reconciliation_table(_report(total_kept=140.0), AGED)
    assert shown.loc["Solde total", "Statut"] == "Écart à analyser"
    assert shown.loc["Solde total", "Écart"] == sp("-10,00 €")
    assert shown.loc["Nombre de pièces", "Statut"] == "OK"
    assert shown.loc["Nombre de pièces", "Fichier chargé"] == "3"


def test_reconcile_accepts_a_summary_series():
    summary = pd.Series({"total": 130.0, "gross_debit": 150.0, "n_items": 3})
    assert r.reconcile(_report(), summary)["ok"].all()


def test_load_report_table_shows_file_name_only():
    shown = r.load_report_table(_report())
    assert shown.loc["Fichier"].iloc[0] == "open_items.csv"
    assert shown.loc["Lignes lues"].iloc[0] == "3"
    assert not re.search("/tmp", shown.to_string())


def test_load_report_table_leaves_out_amounts_for_a_kpi_template():
    rep = LoadReport("/x/working_capital_demo.xlsx", "working_capital_template", rows_read=14, rows_kept=14)
    shown = r.load_report_table(rep)
    assert list(shown.index) == ["Fichier", "Lignes lues", "Lignes retenues", "Lignes écartées", "Erreurs",
                                 "Avertissements"]
    # an open-items export keeps its control totals, even when they are zero
    kept = r.load_report_table(LoadReport("/x/open_items.csv", "open_items"))
    assert {"Total lu", "Total retenu", "Débits retenus", "Crédits retenus"} <= set(kept.index)
    assert kept.loc["Total lu"].iloc[0] == f"0,00{NBSP}€"


def test_paragraph_is_markdown_that_shows_the_text_as_written():
    md = r.paragraph("Solde total : 1 000,00 €\nÉchu : 400,00 € (40,0 % du solde)")
    assert md.data == "Solde total : 1 000,00 €  \nÉchu : 400,00 € (40,0 % du solde)"  # hard line break
    assert r.paragraph("> 180 j: a_b *c* [x]").data == "\\> 180 j: a\\_b \\*c\\* \\[x\\]"
    p = {"n_for_threshold": 12, "n_groups": 100, "share_of_groups": 0.12, "threshold": 0.8,
         "top_n": 10, "top_n_share": 0.71}
    assert r.paragraph(r.pareto_sentence(p)).data == r.pareto_sentence(p)  # nothing to escape: unchanged


def test_text_table_uses_plain_spaces():
    text = r.text_table(pd.DataFrame({"entity": ["A"], "overdue": [1500.0]}))
    assert NBSP not in text
    assert "1 500,00 €" in text


# ------------------------------------------------------------------ working-capital views
def test_year_ends_uses_the_last_closing_on_or_before_as_of():
    f = pd.DataFrame({"period_end": pd.to_datetime(["2024-12-31", "2025-12-31"])})
    assert r.year_ends(f) == ("2024-12-31", "2025-12-31")
    assert r.year_ends(f, "2026-08-03") == ("2024-12-31", "2025-12-31")
    with pytest.raises(ValueError, match="no period ends on or before as_of 2020-01-01"):
        r.year_ends(f, "2020-01-01")


def test_cash_at_stake_by_hand():
    table = pd.DataFrame({
        "kpi": ["dso_simple", "cash_per_day_dso", "dpo", "cash_per_day_dpo"],
        "value": [65.0, 10_000.0, 50.0, 4_000.0],
        "unit": ["days", "EUR", "days", "EUR"],
    })
    stake = r.cash_at_stake(table, target_dso=60, target_dpo=55).set_index("kpi")
    assert stake.loc["dso_simple", "cash_released"] == pytest.approx(50_000.0)  # (65 − 60) × 10 000
    assert stake.loc["dpo", "cash_released"] == pytest.approx(20_000.0)  # (55 − 50) × 4 000
    shown = r.cash_at_stake_display(stake.reset_index())
    assert shown.loc["DSO (méthode simple)", "Trésorerie libérée"] == sp("50 k€")


def test_tracking_display_signs_and_points():
    tracking = pd.DataFrame({
        "kpi": ["dso_simple", "overdue_rate", "bfr", "dso_countback"],
        "unit": ["days", "fraction", "EUR", "days"],
        "n_minus_1": [58.3, 0.283, 5.2e6, float("nan")],
        "n": [63.3, 0.351, 6.4e6, float("nan")],
        "variation": [5.0, 0.068, 1.2e6, float("nan")],
    })
    shown = r.tracking_display(tracking)
    assert list(shown.index) == ["DSO (méthode simple)", "Taux d'échu", "BFR"]  # unknown row dropped
    assert shown.loc["Taux d'échu", "Variation"] == sp("+6,8 pts")
    assert shown.loc["BFR", "N"] == sp("6,4 M€")
    assert shown.loc["DSO (méthode simple)", "Variation"] == sp("+5,0 j")


def test_aged_display_merges_credit_columns():
    aged = pd.DataFrame({"entity": ["A"], "not_due": [100.0], "d1_30": [50.0], "credit_notes": [-20.0],
                         "unapplied_cash": [-5.0], "total": [125.0], "overdue_rate": [0.4]})
    shown = r.aged_display(aged, scale="")
    assert shown.loc["A", "Avoirs et règlements non lettrés"] == sp("-25,00 €")
    assert list(shown.columns)[-2:] == ["Solde total", "Taux d'échu"]
