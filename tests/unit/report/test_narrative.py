"""Sentences explaining the working-capital numbers, for hand-worked inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from cashmission.io import kpi_template
from cashmission.report import narrative
from cashmission.report.narrative import explain_bridge, explain_kpis
from cashmission.working_capital import bridge, series

S = "\u00a0"  # French non-breaking space (thousands, before units)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of fr, en; got 'de'"):
        explain_bridge(bridge.dso_bridge(BEFORE, AFTER), lang="de")  # type: ignore[arg-type]


def test_every_language_has_the_same_wording_keys():
    assert set(narrative.WORDING["fr"]) == set(narrative.WORDING["en"])


# The bridge of tests/unit/working_capital/test_kpis.py: DSO 40 → 35 days, 12,000 € of revenue TTC a day after.
BEFORE = {
    "not_due": 300_000,
    "overdue_undisputed": 100_000,
    "disputed": 50_000,
    "unapplied_cash_and_credits": -30_000,
    "factored": 20_000,
    "revenue_ttc": 3_600_000,
    "days": 360,
}
AFTER = {
    "not_due": 330_000,
    "overdue_undisputed": 150_000,
    "disputed": 30_000,
    "unapplied_cash_and_credits": -40_000,
    "factored": 50_000,
    "revenue_ttc": 4_320_000,
    "days": 360,
}


def test_explain_bridge_french():
    lines = explain_bridge(bridge.dso_bridge(BEFORE, AFTER))
    assert lines == [
        f"Le DSO est passé de 40 à 35{S}jours (-5{S}jours).",  # the one minus sign: formats.MINUS
        # sales effect 400 k × (1/12,000 − 1/10,000) = −6.67 days, the largest, first
        f"La hausse des ventes a réduit mécaniquement le DSO de 6,7{S}jours (effet de niveau et de saisonnalité, "
        "sans mouvement de trésorerie).",
        # overdue +50 k / 12,000 = 4.17 days
        f"Les retards de paiement ont augmenté le DSO de 4,2{S}jours : les clients ont payé plus lentement, "
        f"ce qui a consommé 50{S}k€ de trésorerie.",
        # not due +30 k / 12,000 = 2.5 ; factoring −30 k / 12,000 = −2.5 (same size: bridge order kept)
        f"Les délais de paiement accordés ont augmenté le DSO de 2,5{S}jours : les créances non échues ont "
        f"augmenté de 30{S}k€.",
        f"L'affacturage a réduit le DSO de 2,5{S}jours : 30{S}k€ de créances cédées en plus, sans que les "
        "clients paient plus vite.",
        # disputes −20 k / 12,000 = −1.67 ; unapplied −10 k / 12,000 = −0.83
        f"Les litiges ont réduit le DSO de 1,7{S}jour : 20{S}k€ de créances en litige en moins.",
        f"Les avoirs et règlements non lettrés ont réduit le DSO de 0,8{S}jour : 10{S}k€ de plus en déduction "
        "du poste clients, à lettrer ou à rembourser.",
    ]


def test_explain_bridge_english_twin():
    lines = explain_bridge(bridge.dso_bridge(BEFORE, AFTER), lang="en")
    assert lines[0] == "DSO went from 40 to 35 days (-5 days)."
    assert lines[2] == "Payment delays raised DSO by 4.2 days: customers paid more slowly, which consumed €50k of cash."
    assert len(lines) == 7


def test_explain_bridge_skips_causes_that_round_to_zero_and_says_stable():
    b = bridge.dso_bridge(BEFORE, {**BEFORE, "disputed": 50_100})  # +100 / 10,000 = 0.01 day
    assert explain_bridge(b) == [f"Le DSO est stable à 40{S}jours."]


def _tracking(rows: dict[str, tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"kpi": k, "unit": "", "n_minus_1": a, "n": b, "variation": b - a} for k, (a, b) in rows.items()],
        columns=["kpi", "unit", "n_minus_1", "n", "variation"],
    )


NAN = float("nan")


def test_explain_kpis_french():
    t = _tracking(
        {
            "dso_simple": (60.0, 66.0),
            "cash_per_day_dso": (19_000.0, 20_000.0),  # 6 × 20,000 = 120 k€
            "dso_countback": (NAN, NAN),  # annual figures: countback unknown → simple DSO used
            "dpo": (50.0, 45.0),
            "cash_per_day_dpo": (9_000.0, 10_000.0),  # 5 × 10,000 = 50 k€
            "stock_days_raw_materials": (30.0, 30.0),
            "cash_per_day_stock_raw_materials": (1.0, 1.0),
            "stock_days_goods": (NAN, 12.0),  # unknown in N−1: skipped
            "stock_days_finished_goods": (20.0, 22.5),
            "cash_per_day_stock_finished_goods": (7_000.0, 8_000.0),
            "bfr": (4_200_000.0, 4_640_000.0),
            "bfr_days": (60.0, 64.3),
        }
    )
    assert explain_kpis(t) == [
        # no best possible DSO / ADD in the tracking: the change and its cash, no cause claimed
        f"Le DSO a augmenté de 6{S}jours, ce qui a consommé 120{S}k€ de trésorerie.",
        f"Le DPO a baissé de 5{S}jours : l'entreprise paie ses fournisseurs plus tôt, ce qui a consommé "
        f"50{S}k€ de trésorerie.",
        f"La rotation du stock de matières premières est stable à 30{S}jours.",
        # 2.5 × 8,000 = 20 k€
        f"La rotation du stock de produits finis et en-cours s'est allongée de 2,5{S}jours, ce qui a "
        f"immobilisé 20{S}k€ de trésorerie.",
        # 4.64 − 4.2 = +440 k€ ; 64.3 − 60 = +4.3 days
        f"Le BFR est passé de 4,2{S}M€ à 4,6{S}M€ (+440{S}k€), soit 64,3{S}jours de chiffre d'affaires (+4,3{S}jours).",
    ]


def test_explain_kpis_english_and_countback_preferred():
    t = _tracking(
        {
            "dso_simple": (60.0, 66.0),
            "dso_countback": (55.0, 52.0),
            "cash_per_day_dso": (NAN, 20_000.0),
        }
    )
    # countback known at both dates: 3 days × 20,000 = 60 k€ released, "about" since a
    # countback day is worth the sales of the month walked, not revenue TTC / days
    assert explain_kpis(t, "en") == ["DSO fell by 3 days, which released about €60k of cash."]
    assert explain_kpis(t) == [f"Le DSO a baissé de 3{S}jours, ce qui a libéré environ 60{S}k€ de trésorerie."]


def test_explain_kpis_without_cash_per_day_keeps_the_first_clause():
    t = _tracking({"dpo": (50.0, 45.0)})
    assert explain_kpis(t) == [f"Le DPO a baissé de 5{S}jours."]
    assert explain_kpis(t, "en") == ["DPO fell by 5 days."]


def test_explain_kpis_empty_tracking():
    assert explain_kpis(_tracking({})) == []


def test_explain_kpis_on_the_demo_tracking_speaks_of_every_kpi():
    from tests.conftest import ROOT

    figures, _ = kpi_template.read_kpi_template(ROOT / "tests" / "data" / "working_capital_round.xlsx")
    lines = explain_kpis(series.bfr_tracking(figures, "2024-12-31", "2025-12-31"))
    # annual rows, simple method.  DSO 4.6 / 28.8 × 366 = 58.458 → 5.49 / 31.68 × 365 = 63.253 (+4.794);
    # a day of 2025 is worth 31.68 M€ / 365 = 86,795 €: 4.794 × 86,795 = 416 k€ consumed.
    # Best possible DSO 3.3 / 28.8 × 366 = 41.938 → 3.565 / 31.68 × 365 = 41.075: −0.863 day,
    # 0.863 × 86,795 = 75 k€ released; ADD 16.521 → 22.178: +5.657 days, 5.657 × 86,795 = 491 k€ consumed
    # (491 − 75 = 416).
    assert lines[0] == (
        f"Le DSO a augmenté de 4,8{S}jours, ce qui a consommé 416{S}k€ de trésorerie : les délais de "
        f"paiement accordés (meilleur DSO possible) l'ont raccourci de 0,9{S}jour (75{S}k€ libérés) et les "
        f"retards de paiement (ADD) l'ont allongé de 5,7{S}jours (491{S}k€ consommés)."
    )
    assert len(lines) == 6  # DSO, DPO, three stocks, BFR


def test_explain_kpis_without_sales_in_year_n_gives_no_cash_amount():
    # no revenue in the last month: a day of DSO is worth nothing known, so no "0 €" of cash
    t = pd.DataFrame({"kpi": ["dso_countback", "cash_per_day_dso"], "n_minus_1": [9.0, 1_000.0], "n": [19.0, 0.0]})
    assert explain_kpis(t) == [f"Le DSO a augmenté de 10{S}jours."]


# --------------------------------------------------------------------------- DSO change split by cause
def test_explain_kpis_splits_the_dso_change_into_terms_and_delays():
    t = _tracking(
        {
            "dso_countback": (50.0, 56.0),  # +6 days
            "dso_best_possible": (30.0, 32.0),  # +2: terms granted
            "average_days_delinquent": (20.0, 24.0),  # +4: payment delays (2 + 4 = 6)
            "cash_per_day_dso": (19_000.0, 20_000.0),  # N: 6 × 20,000 = 120 k€; 2 × 20,000 = 40 k€; 4 × 20,000 = 80 k€
        }
    )
    # countback days: every amount approximate ("environ")
    assert explain_kpis(t) == [
        f"Le DSO a augmenté de 6{S}jours, ce qui a consommé environ 120{S}k€ de trésorerie : les délais de "
        f"paiement accordés (meilleur DSO possible) l'ont allongé de 2{S}jours (environ 40{S}k€ consommés) et "
        f"les retards de paiement (ADD) l'ont allongé de 4{S}jours (environ 80{S}k€ consommés)."
    ]
    assert explain_kpis(t, "en") == [
        "DSO rose by 6 days, which consumed about €120k of cash: payment terms granted (best possible DSO) "
        "added 2 days (about €40k consumed) and payment delays (ADD) added 4 days (about €80k consumed)."
    ]


def test_explain_kpis_split_in_english_with_opposite_causes():
    t = _tracking(
        {
            "dso_simple": (60.0, 58.0),  # −2 days: 2 × 10,000 = 20 k€ released
            "dso_countback": (NAN, NAN),  # annual rows: simple method, like the split below
            "dso_best_possible": (40.0, 43.0),  # +3: 3 × 10,000 = 30 k€ consumed
            "average_days_delinquent": (20.0, 15.0),  # −5: 5 × 10,000 = 50 k€ released (30 − 50 = −20)
            "cash_per_day_dso": (10_000.0, 10_000.0),
        }
    )
    assert explain_kpis(t, "en") == [
        "DSO fell by 2 days, which released €20k of cash: payment terms granted (best possible DSO) added "
        "3 days (€30k consumed) and payment delays (ADD) took off 5 days (€50k released)."
    ]


def test_explain_kpis_stable_dso_can_still_hide_two_moves():
    t = _tracking(
        {
            "dso_simple": (60.0, 60.0),
            "dso_best_possible": (40.0, 42.0),  # +2 × 5,000 = 10 k€ consumed
            "average_days_delinquent": (20.0, 18.0),  # −2 × 5,000 = 10 k€ released
            "cash_per_day_dso": (5_000.0, 5_000.0),
        }
    )
    assert explain_kpis(t) == [
        f"Le DSO est stable à 60{S}jours : les délais de paiement accordés (meilleur DSO possible) l'ont "
        f"allongé de 2{S}jours (10{S}k€ consommés) et les retards de paiement (ADD) l'ont raccourci de "
        f"2{S}jours (10{S}k€ libérés)."
    ]


def test_explain_kpis_without_a_consistent_split_stays_neutral():
    # the countback moved +6 days, but these best possible DSO / ADD add up to +2 (another method):
    # no cause is claimed
    t = _tracking(
        {
            "dso_countback": (50.0, 56.0),
            "dso_best_possible": (30.0, 31.0),
            "average_days_delinquent": (20.0, 21.0),
            "cash_per_day_dso": (20_000.0, 20_000.0),  # 6 × 20,000 = 120 k€
        }
    )
    assert explain_kpis(t) == [f"Le DSO a augmenté de 6{S}jours, ce qui a consommé environ 120{S}k€ de trésorerie."]
    # best possible DSO unknown in N−1: no split either
    t2 = _tracking(
        {"dso_simple": (50.0, 56.0), "dso_best_possible": (NAN, 32.0), "average_days_delinquent": (NAN, 24.0)}
    )
    assert explain_kpis(t2, "en") == ["DSO rose by 6 days."]


def test_explain_kpis_annual_n_minus_1_monthly_n_stays_neutral():
    # N−1 is an annual row, N twelve monthly rows: the one real tracking where Δ best possible
    # DSO + Δ ADD may differ from Δ DSO (N−1 simple method, N countback).  360-day year: the
    # year counts 360 days, each month 30.
    # N−1 (2023): revenue TTC 300,000 + 60,000 = 360,000; receivables 60,000, not due 30,000:
    #   DSO simple 60,000 / 360,000 × 360 = 60; best possible 30,000 / 360,000 × 360 = 30;
    #   ADD 60 − 30 = 30; countback unknown (no monthly rows).
    # N (2024): revenue TTC 32,400 × 10 (Jan-Oct) + 36,000 (Nov) + 72,000 (Dec) = 432,000;
    #   receivables 90,000: DSO simple 90,000 / 432,000 × 360 = 75 (+15);
    #   countback 30 (Dec, 72,000) + 18,000 / 36,000 × 30 (Nov) = 45;
    #   not due 54,000: best possible 54,000 / 72,000 × 30 = 22.5 (−7.5); ADD 45 − 22.5 = 22.5 (−7.5).
    # The countback is unknown in N−1, so the simple DSO is told: +15 days; Δ best possible
    # + Δ ADD = −15 ≠ +15 (another method): no cause claimed.  A day of N is worth
    # 432,000 / 360 = 1,200: 15 × 1,200 = 18,000 = 18 k€, exact for the simple DSO (no
    # "environ").  (Receivables themselves rose by 30,000: sales grew as well.)
    months = pd.date_range("2024-01-31", periods=12, freq="ME")
    ht = [27_000.0] * 10 + [30_000.0, 60_000.0]  # VAT 20 %: TTC 32,400 ×10, 36,000, 72,000
    figures = pd.DataFrame(
        {
            "period_end": [pd.Timestamp("2023-12-31"), *months],
            "period_days": [365, *months.day],
            "revenue": [300_000.0, *ht],
            "vat_collected": [60_000.0, *(x * 0.2 for x in ht)],
            "receivables": [60_000.0] + [NAN] * 11 + [90_000.0],
            "receivables_not_due": [30_000.0] + [NAN] * 11 + [54_000.0],
        }
    )
    t = series.bfr_tracking(figures, "2023-12-31", "2024-12-31", days_basis=360)
    assert explain_kpis(t) == [f"Le DSO a augmenté de 15{S}jours, ce qui a consommé 18{S}k€ de trésorerie."]
    assert explain_kpis(t, "en") == ["DSO rose by 15 days, which consumed €18k of cash."]


def test_explain_kpis_split_without_cash_per_day_gives_days_only():
    t = _tracking(
        {
            "dso_simple": (50.0, 56.0),
            "dso_best_possible": (30.0, 30.0),  # terms unchanged: not mentioned
            "average_days_delinquent": (20.0, 26.0),  # +6, all from payment delays
        }
    )
    assert explain_kpis(t) == [
        f"Le DSO a augmenté de 6{S}jours : les retards de paiement (ADD) l'ont allongé de 6{S}jours."
    ]
