"""Labels and French/English formats of cashmission.report.views, with hand-written strings."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cashmission.ledger import buckets, reconciliation
from cashmission.meta import Period, attach
from cashmission.problems import LoadReport
from cashmission.report import formats, labels, markdown, views
from cashmission.report.labels import LABELS, NBSP
from cashmission.working_capital import measures_cycle


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
    "not_due",
    "d1_30",
    "d31_60",
    "d61_90",
    "d91_180",
    "over_180",
    "d0_30",
    "credit_notes",
    "unapplied_cash",
    "other_credits",
    "total",
    "gross_debit",
    "overdue",
    "overdue_rate",
    "disputed",
    "n_items",
    "customer_id",
    "customer_name",
    "entity",
    "segment",
]
SUMMARY_KEYS = ["total", "gross_debit", "overdue", "overdue_rate", "not_due", "disputed", "n_items", "n_customers"]
CONCENTRATION_KEYS = ["rank", "value", "share", "cumulative_share", "others"]
KPI_KEYS = [
    "dso",
    "dso_simple",
    "dso_countback",
    "dso_best_possible",
    "average_days_delinquent",
    "collection_effectiveness_index",
    "dso_economic",
    "dpo",
    "stock_days",
    "bfr",
    "bfr_days",
    "cash_per_day_dso",
    "kpi",
    "value",
    "unit",
    "convention",
    "formula",
]
LOAD_KEYS = list(LoadReport("f.csv", "open_items").summary())


@pytest.mark.parametrize("key", sorted(set(AGED_COLUMNS + SUMMARY_KEYS + CONCENTRATION_KEYS + KPI_KEYS + LOAD_KEYS)))
def test_labels_cover_the_keys_the_package_produces(key):
    assert key in LABELS["fr"] and key in LABELS["en"], key


def test_kinds_and_bucket_keys_have_labels():
    for key in [*labels.KINDS, *buckets.BUCKET_KEYS, *buckets.CREDIT_KEYS]:
        assert key in LABELS["fr"], key


def test_labels_cover_the_real_aged_balance_columns():
    receivables = pytest.importorskip("cashmission.ledger.ageing")
    if not hasattr(receivables, "aged_balance"):
        pytest.skip("aged_balance not written yet")
    items = pd.DataFrame(
        {
            "entity": ["A", "A"],
            "customer_id": ["C1", "C1"],
            "customer_name": ["Un", "Un"],
            "document_id": ["F1", "AV1"],
            "document_type": ["invoice", "credit_note"],
            "document_date": pd.to_datetime(["2026-05-01", "2026-06-01"]),
            "due_date": pd.to_datetime(["2026-06-01", "2026-06-01"]),
            "amount": [1000.0, -100.0],
            "dispute": [False, False],
        }
    )
    aged = receivables.aged_balance(items, "2026-08-03")
    missing = [c for c in aged.columns if labels.label(c, "fr") == str(c) or labels.label(c, "en") == str(c)]
    assert not missing


def test_labels_of_kpi_table_rows():
    # every KPI of the table (on the template's demo figures) has a French label
    from cashmission.io.kpi_template import _demo_figures
    from cashmission.working_capital.table import kpi_table

    table = kpi_table(_demo_figures())
    assert len(table) > 20
    missing = [k for k in table["kpi"] if k not in LABELS["fr"]]
    assert not missing


def test_label_falls_back_and_generates_buckets():
    assert labels.label("overdue") == "Échu"
    assert labels.label("overdue", "en") == "Overdue"
    assert labels.label("d1_15") == sp("1–15 j")
    assert labels.label("over_45", "en") == sp("> 45 days")
    assert labels.label("over_180") == sp("> 180 j")
    assert labels.label("client_specific_column") == "client_specific_column"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        labels.label("total", "de")


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
    assert formats.format_amount(value, **kwargs) == sp(expected)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.123, "fr", "12,3 %"),
        (0.123, "en", "12.3%"),
        (1.0, "fr", "100,0 %"),
        (-0.05, "fr", "-5,0 %"),
        (None, "fr", "–"),
    ],
)
def test_format_percent(value, lang, expected):
    assert formats.format_percent(value, lang) == sp(expected)


def test_other_scalars():
    assert formats.format_number(1234567.891, 1) == sp("1 234 567,9")
    assert formats.format_number(1234567.891, 1, "en") == "1,234,567.9"
    assert formats.format_count(20000) == sp("20 000")
    assert formats.format_days(45.24) == sp("45,2 j")
    assert formats.format_days(45.24, "en") == sp("45.2 days")
    assert formats.format_date("2026-08-03") == "03/08/2026"
    assert formats.format_date(pd.Timestamp("2026-08-03"), long=True) == "3 août 2026"
    assert formats.format_date("2026-08-03", "en") == "2026-08-03"
    assert formats.format_month("2026-02-28") == "février 2026"
    with pytest.raises(ValueError, match="unknown scale 'G'"):
        formats.format_amount(1.0, scale="G")


# ------------------------------------------------------------------ tables
def test_format_table_labels_and_formats():
    aged = pd.DataFrame(
        {
            "entity": ["FR01", "US01"],
            "not_due": [1000.0, 0.0],
            "d1_30": [234567.891, 50.0],
            "overdue_rate": [0.5, 1.0],
            "n_items": [3, 1],
        }
    )
    shown = views.format_table(aged)
    assert shown.index.name == "Société"
    assert list(shown.index) == ["FR01", "US01"]
    assert list(shown.columns) == ["Non échu", sp("1–30 j"), "Taux d'échu", "Nb de pièces"]
    assert shown.loc["FR01", sp("1–30 j")] == sp("234 567,89 €")
    assert shown.loc["US01", "Taux d'échu"] == sp("100,0 %")
    assert shown.loc["FR01", "Nb de pièces"] == "3"
    en = views.format_table(aged, "en", scale="k")
    assert en.loc["FR01", sp("1–30 days")] == "€235k"
    assert aged.loc[0, "d1_30"] == 234567.891  # input untouched


def test_format_table_translates_the_others_row_and_series():
    conc = pd.DataFrame({"customer_name": ["Alpha", "others"], "value": [10.0, 5.0], "share": [2 / 3, 1 / 3]})
    shown = views.format_table(conc)
    assert list(shown.index) == ["Alpha", "Autres clients"]
    s = views.format_table(pd.Series({"total": 1e6, "overdue_rate": 0.25, "n_items": 7}))
    assert s.iloc[:, 0].tolist() == [sp("1 000 000,00 €"), sp("25,0 %"), "7"]
    assert list(s.index) == ["Solde total", "Taux d'échu", "Nb de pièces"]


def test_bucket_table_sums_to_total():
    aged = pd.DataFrame(
        {"not_due": [100.0, 50.0], "d1_30": [50.0, 0.0], "credit_notes": [-20.0, 0.0], "total": [130.0, 50.0]}
    )
    shown = views.bucket_table(aged)
    assert list(shown.index) == ["Non échu", sp("1–30 j"), "Avoirs", "Solde total"]
    assert shown.iloc[:, 0].tolist() == [sp(x) for x in ["150,00 €", "50,00 €", "-20,00 €", "180,00 €"]]
    assert shown.iloc[-1, 1] == sp("100,0 %")


def test_headline_is_plain_deterministic_text():
    text = views.headline(
        {"total": 1e6, "overdue": 4e5, "overdue_rate": 0.4, "disputed": 0.0, "n_items": 120, "n_customers": 12}, "en"
    )
    assert text.splitlines() == [
        "Total balance: €1,000,000.00",
        "Overdue: €400,000.00 (40.0% of the balance)",
        "Disputed: €0.00",
        "Items: 120 — Customers: 12",
    ]


# ------------------------------------------------------------------ reconciliation
def _report(**kw) -> LoadReport:
    base = {
        "rows_read": 3,
        "rows_kept": 3,
        "total_read": 130.0,
        "total_kept": 130.0,
        "debit_kept": 150.0,
        "credit_kept": -20.0,
    }
    return LoadReport("/tmp/somewhere/open_items.csv", "open_items", **{**base, **kw})


AGED = pd.DataFrame(
    {
        "customer_id": ["C1", "C2"],
        "not_due": [100.0, 0.0],
        "d1_30": [0.0, 50.0],
        "credit_notes": [-20.0, 0.0],
        "total": [80.0, 50.0],
        "gross_debit": [100.0, 50.0],
        "n_items": [2, 1],
    }
)


def test_reconcile_ties():
    rec = reconciliation.reconcile(_report(), AGED)
    assert rec["check"].tolist() == ["recon_items", "recon_total", "recon_debit", "recon_credit", "recon_columns"]
    assert rec["ok"].all()
    assert rec["difference"].abs().max() == 0


def test_reconcile_shows_a_gap_and_labels_it():
    rec = reconciliation.reconcile(_report(total_kept=140.0, debit_kept=160.0, rows_kept=4), AGED)
    assert rec.set_index("check").loc["recon_total", "difference"] == -10.0
    assert not rec.set_index("check").loc["recon_items", "ok"]
    shown = views.reconciliation_table(_report(total_kept=140.0), AGED)
    assert shown.loc["Solde total", "Statut"] == "Écart à analyser"
    assert shown.loc["Solde total", "Écart"] == sp("-10,00 €")
    assert shown.loc["Nombre de pièces", "Statut"] == "OK"
    assert shown.loc["Nombre de pièces", "Fichier chargé"] == "3"


def test_reconcile_accepts_a_summary_series():
    summary = pd.Series({"total": 130.0, "gross_debit": 150.0, "n_items": 3})
    assert reconciliation.reconcile(_report(), summary)["ok"].all()


def test_load_report_table_shows_file_name_only():
    shown = views.load_report_table(_report())
    assert shown.loc["Fichier"].iloc[0] == "open_items.csv"
    assert shown.loc["Lignes lues"].iloc[0] == "3"
    assert not re.search("/tmp", shown.to_string())


def test_load_report_table_leaves_out_amounts_for_a_kpi_template():
    rep = LoadReport("/x/working_capital_demo.xlsx", "working_capital_template", rows_read=14, rows_kept=14)
    shown = views.load_report_table(rep)
    assert list(shown.index) == [
        "Fichier",
        "Lignes lues",
        "Lignes retenues",
        "Lignes écartées",
        "Erreurs",
        "Avertissements",
    ]
    # an open-items export keeps its control totals, even when they are zero
    kept = views.load_report_table(LoadReport("/x/open_items.csv", "open_items"))
    assert {"Total lu", "Total retenu", "Débits retenus", "Crédits retenus"} <= set(kept.index)
    assert kept.loc["Total lu"].iloc[0] == f"0,00{NBSP}€"


def test_paragraph_is_markdown_that_shows_the_text_as_written():
    md = markdown.paragraph("Solde total : 1 000,00 €\nÉchu : 400,00 € (40,0 % du solde)")
    assert md.data == "Solde total : 1 000,00 €  \nÉchu : 400,00 € (40,0 % du solde)"  # hard line break
    assert markdown.paragraph("> 180 j: a_b *c* [x]").data == "\\> 180 j: a\\_b \\*c\\* \\[x\\]"
    p = {
        "n_for_threshold": 12,
        "n_groups": 100,
        "share_of_groups": 0.12,
        "threshold": 0.8,
        "top_n": 10,
        "top_n_share": 0.71,
    }
    assert markdown.paragraph(views.pareto_sentence(p)).data == views.pareto_sentence(p)  # nothing to escape: unchanged


def test_text_table_uses_plain_spaces():
    text = views.text_table(pd.DataFrame({"entity": ["A"], "overdue": [1500.0]}))
    assert NBSP not in text
    assert "1 500,00 €" in text


# ------------------------------------------------------------------ working-capital views
def test_year_ends_uses_the_last_closing_on_or_before_as_of():
    f = pd.DataFrame({"period_end": pd.to_datetime(["2024-12-31", "2025-12-31"])})
    assert views.year_ends(f) == ("2024-12-31", "2025-12-31")
    assert views.year_ends(f, "2026-08-03") == ("2024-12-31", "2025-12-31")
    with pytest.raises(ValueError, match="no period ends on or before as_of 2020-01-01"):
        views.year_ends(f, "2020-01-01")


def test_cash_at_stake_by_hand():
    table = pd.DataFrame(
        {
            "kpi": ["dso_simple", "cash_per_day_dso", "dpo", "cash_per_day_dpo"],
            "value": [65.0, 10_000.0, 50.0, 4_000.0],
            "unit": ["days", "EUR", "days", "EUR"],
        }
    )
    stake = measures_cycle.cash_at_stake(table, target_dso=60, target_dpo=55).set_index("kpi")
    assert stake.loc["dso_simple", "cash_released"] == pytest.approx(50_000.0)  # (65 − 60) × 10 000
    assert stake.loc["dpo", "cash_released"] == pytest.approx(20_000.0)  # (55 − 50) × 4 000
    shown = views.cash_at_stake_display(stake.reset_index())
    assert shown.loc["DSO (méthode simple)", "Trésorerie libérée"] == sp("50 k€")


def test_cash_at_stake_for_stock_targets_by_kind():
    table = pd.DataFrame(
        {
            "kpi": ["stock_days_raw_materials", "cash_per_day_stock_raw_materials", "stock_days_goods"],
            "value": [59.1, 2_000.0, 67.1],
            "unit": ["days", "EUR", "days"],
        }
    )
    # short kind names and KPI keys both work; goods has no value of a day: no row
    for targets in ({"raw_materials": 45}, {"stock_days_raw_materials": 45}):
        stake = measures_cycle.cash_at_stake(table, target_stock_days=targets).set_index("kpi")
        assert list(stake.index) == ["stock_days_raw_materials"]
        # (59.1 − 45) × 2 000 = 14.1 × 2 000 = 28 200
        assert stake.loc["stock_days_raw_materials", "cash_released"] == pytest.approx(28_200.0)


def test_tracking_display_signs_and_points():
    tracking = pd.DataFrame(
        {
            "kpi": ["dso_simple", "overdue_rate", "bfr", "dso_countback"],
            "unit": ["days", "fraction", "EUR", "days"],
            "n_minus_1": [58.3, 0.283, 5.2e6, float("nan")],
            "n": [63.3, 0.351, 6.4e6, float("nan")],
            "variation": [5.0, 0.068, 1.2e6, float("nan")],
        }
    )
    shown = views.tracking_display(tracking)
    assert list(shown.index) == ["DSO (méthode simple)", "Taux d'échu", "BFR"]  # unknown row dropped
    assert shown.loc["Taux d'échu", "Variation"] == sp("+6,8 pts")
    assert shown.loc["BFR", "N"] == sp("6,4 M€")
    assert shown.loc["DSO (méthode simple)", "Variation"] == sp("+5,0 j")


def test_aged_display_merges_credit_columns():
    aged = pd.DataFrame(
        {
            "entity": ["A"],
            "not_due": [100.0],
            "d1_30": [50.0],
            "credit_notes": [-20.0],
            "unapplied_cash": [-5.0],
            "total": [125.0],
            "overdue_rate": [0.4],
        }
    )
    shown = views.aged_display(aged, scale="")
    assert shown.loc["A", "Avoirs et règlements non lettrés"] == sp("-25,00 €")
    assert list(shown.columns)[-2:] == ["Solde total", "Taux d'échu"]


# ------------------------------------------------------------------ one fiscal year (FEC): month-by-month mode
def test_year_ends_without_a_closing_a_year_before_compares_first_and_last_month():
    months = pd.DataFrame({"period_end": pd.date_range("2021-09-30", periods=12, freq="ME")})
    assert views.year_ends(months) == ("2021-09-30", "2022-08-31")
    # 13 months: the same month a year before exists
    thirteen = pd.DataFrame({"period_end": pd.date_range("2022-04-30", periods=13, freq="ME")})
    assert views.year_ends(thirteen) == ("2022-04-30", "2023-04-30")
    with pytest.raises(ValueError, match="single period end"):
        views.year_ends(pd.DataFrame({"period_end": pd.to_datetime(["2022-08-31"])}))


def _tracking(dates: Period | None) -> pd.DataFrame:
    t = pd.DataFrame({"kpi": ["dso_simple"], "unit": ["days"], "n_minus_1": [39.6], "n": [29.2], "variation": [-10.4]})
    return t if dates is None else attach(t, dates)


def test_tracking_heading_and_display_in_month_by_month_mode():
    t = _tracking(Period(start="2021-09-30", end="2022-08-31", window=1, one_year_apart=False))
    assert views.tracking_heading(t).data == (
        "## Suivi du BFR mois par mois\n\nPas de clôture un an plus tôt dans les chiffres : comparaison entre "
        "septembre 2021 et août 2022, chaque indicateur calculé sur un mois de flux à chaque date."
    )
    shown = views.tracking_display(t)
    assert list(shown.columns) == ["septembre 2021", "août 2022", "Variation"]
    assert shown.loc["DSO (méthode simple)", "août 2022"] == sp("29,2 j")
    assert "month by month" in views.tracking_heading(t, "en").data


def test_tracking_heading_says_a_short_window_and_stays_plain_otherwise():
    short = _tracking(Period(start="2022-04-30", end="2023-04-30", window=3, one_year_apart=True))
    assert views.tracking_heading(short).data.endswith("calculé sur 3 mois de flux à chaque date.")
    assert list(views.tracking_display(short).columns) == ["N−1", "N", "Variation"]
    full = _tracking(Period(start="2024-12-31", end="2025-12-31", window="year", one_year_apart=True))
    assert views.tracking_heading(full).data == "## Suivi du BFR"
    assert views.tracking_heading(_tracking(None)).data == "## Suivi du BFR"


# ------------------------------------------------------------------ reconciliation of a ledger
LEDGER = pd.DataFrame(
    {
        "document_type": ["invoice", "invoice", "credit_note", "invoice"],
        "document_date": pd.to_datetime(["2024-01-05", "2024-01-10", "2024-01-12", "2024-02-10"]),
        "amount": [100.0, 50.0, -20.0, 30.0],
        "cleared_date": pd.to_datetime(["2024-01-20", None, None, None]),
    }
)
# the aged balance at 2024-01-31: the invoice of 50 and the credit note of −20 are open
LEDGER_AGED = pd.DataFrame(
    {"not_due": [50.0], "credit_notes": [-20.0], "total": [30.0], "gross_debit": [50.0], "n_items": [2]}
)


def _ledger_report(kind: str = "open_items", **kw) -> LoadReport:
    # the loader's control totals cover the 4 items: 100 + 50 − 20 + 30 = 160; debits 180; credits −20
    base = {"rows_kept": 4, "total_kept": 160.0, "debit_kept": 180.0, "credit_kept": -20.0}
    return LoadReport("ledger.csv", kind, **{**base, **kw})


def test_reconcile_a_ledger_shows_the_items_not_open_instead_of_a_gap():
    # without the items, the aged total (30) falsely misses 130 of the loaded 160
    assert (
        reconciliation.reconcile(_ledger_report(), LEDGER_AGED).set_index("check").loc["recon_total", "difference"]
        == -130.0
    )
    rec = reconciliation.reconcile(_ledger_report(), LEDGER_AGED, items=LEDGER, as_of="2024-01-31").set_index("check")
    # not open at 2024-01-31: the invoice settled on 01-20 (100) and the one issued on 02-10 (30)
    assert rec["not_open"].to_dict() == {
        "recon_items": 2.0,
        "recon_total": 130.0,
        "recon_debit": 130.0,
        "recon_credit": 0.0,
        "recon_columns": 0.0,
    }
    # loader − not open = report: 4 − 2 = 2; 160 − 130 = 30; 180 − 130 = 50; −20 − 0 = −20
    assert rec["difference"].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]
    assert rec["ok"].all()
    shown = views.reconciliation_table(_ledger_report(), LEDGER_AGED, items=LEDGER, as_of="2024-01-31")
    assert shown.loc["Solde total", "Pièces non ouvertes à la date d'arrêté"] == sp("-130,00 €")
    assert shown.loc["Crédits (avoirs, règlements)", "Pièces non ouvertes à la date d'arrêté"] == "–"
    assert set(shown["Statut"]) == {"OK"}


def test_reconcile_a_fec_uses_the_customer_items_built_from_it():
    # a FEC's report counts journal lines of every account (debits = credits): the loaded figures are the items'
    rep = _ledger_report("fec", rows_kept=999, total_kept=0.0, debit_kept=5_000.0, credit_kept=-5_000.0)
    rec = reconciliation.reconcile(rep, LEDGER_AGED, items=LEDGER, as_of="2024-01-31").set_index("check")
    assert rec.loc["recon_items", "loader"] == 4.0
    assert rec.loc["recon_total", "loader"] == 160.0
    assert rec["ok"].all()
    note = views.reconciliation_note(LEDGER, "2024-01-31", "fr", rep).data
    assert note.startswith("Pour un FEC, le fichier chargé s'entend des 4 pièces clients tirées de ses 999 lignes")
    assert f"2 pièces (130,00{NBSP}€) n'étaient pas ouvertes au 31/01/2024" in note


def test_reconciliation_of_an_open_items_extract_is_unchanged():
    shown = views.reconciliation_table(_report(), AGED)
    assert "Pièces non ouvertes à la date d'arrêté" not in shown.columns
    assert views.reconciliation_note(AGED.drop(columns="customer_id"), "2024-01-31").data == ""


# ------------------------------------------------------------------ DSO bridge and payment behaviour views
def test_bridge_display_dashes_a_cause_that_moved_nothing():
    bridge = pd.DataFrame(
        {
            "cause": ["dso_before", "factored", "overdue_undisputed", "dso_after"],
            "kind": ["level", "effect", "effect", "level"],
            "days": [83.0, 0.0, -33.5, 49.5],
            "cash": [float("nan"), 0.0, -5.0e6, float("nan")],
        }
    )
    shown = views.bridge_display(bridge)
    assert shown.loc["Cédé au factor", "Trésorerie"] == "–"
    assert shown.loc["Échu hors litige", "Trésorerie"] == sp("-5,0 M€")
    assert shown.loc["DSO début", "Trésorerie"] == ""


def test_bridge_heading_states_the_dates_and_the_convention():
    b = pd.DataFrame({"cause": []})
    attach(b, Period(start="2026-08-03", end="2026-10-26", months=3))
    assert views.bridge_heading(b).data == (
        "## Analyse de la variation du DSO\n\nDu 3 août 2026 au 26 octobre 2026 ; DSO = créances ouvertes à la date "
        "/ CA TTC des 3 derniers mois clos × leurs jours (méthode simple, TTC/TTC)."
    )
    assert views.bridge_heading(pd.DataFrame()).data == "## Analyse de la variation du DSO"


def test_behaviour_display_ranks_by_weighted_days_late():
    behaviour = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "invoices": [3, 1, 2],
            "amount": [1_000.0, 500.0, 2_000.0],
            "weighted_days_late": [5.0, 12.0, 5.0],
        }
    )
    history = pd.DataFrame({"customer_id": ["A", "B", "C"], "customer_name": ["Alpha", "Beta", "Gamma"]})
    shown = views.behaviour_display(behaviour, history, top_n=2)
    # B first (12 days), then the tie at 5 days broken by the larger amount: C (2 000) before A
    assert list(shown.index) == [("B", "Beta"), ("C", "Gamma")]
    assert shown.loc[("B", "Beta"), "Retard moyen (pondéré)"] == sp("12,0 j")


# ------------------------------------------------------------------ an open-items extract aged at a past date
def _extract() -> pd.DataFrame:
    # An extract taken on 31 July: three open items, the latest dated 20 July, no settlement dates.
    return pd.DataFrame(
        {
            "document_id": ["F1", "F2", "F3"],
            "document_type": ["invoice", "invoice", "invoice"],
            "document_date": pd.to_datetime(["2026-05-02", "2026-06-15", "2026-07-20"]),
            "due_date": pd.to_datetime(["2026-06-01", "2026-07-15", "2026-08-19"]),
            "amount": [100.0, 40.0, 25.0],
        }
    )


def test_an_extract_aged_before_its_latest_document_is_flagged():
    items = _extract()
    assert reconciliation.snapshot_before_extraction(items, "2026-06-30") == pd.Timestamp("2026-07-20")
    assert reconciliation.snapshot_before_extraction(items, "2026-07-20") is None  # its own date: ties
    ledger = items.assign(cleared_date=pd.to_datetime([None, "2026-07-01", None]))
    assert reconciliation.snapshot_before_extraction(ledger, "2026-06-30") is None  # a ledger rebuilds the past


def test_the_reconciliation_note_warns_that_a_past_date_cannot_tie():
    items = _extract()
    rep = _report(rows_kept=3, total_kept=165.0, debit_kept=165.0, credit_kept=0.0)
    # at 30 June, F3 (25, dated 20 July) is not in the books yet: 1 item, 25,00 € left out
    note = views.reconciliation_note(items, "2026-06-30", "fr", rep).data
    assert "ne peut pas se rapprocher du bilan" in note
    assert sp("20/07/2026") in note and "1 pièces" in note and sp("25,00 €") in note
    english = views.reconciliation_note(items, "2026-06-30", "en", rep).data
    assert "cannot tie to the balance sheet" in english and "the customer ledger" in english
    # the table still reconciles: loaded 165 = aged 140 + 25 not open
    aged = pd.DataFrame({"not_due": [0.0], "d1_30": [140.0], "total": [140.0], "gross_debit": [140.0], "n_items": [2]})
    rec = reconciliation.reconcile(rep, aged, items=items, as_of="2026-06-30")
    assert rec.set_index("check").loc["recon_total", "not_open"] == 25.0
    assert rec["ok"].all()
    assert views.reconciliation_note(items, "2026-07-31", "fr", rep).data == ""
