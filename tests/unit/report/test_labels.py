"""cashmission.report.labels: French wording accented, no stale aliases."""

from __future__ import annotations

import pytest

from cashmission.report.labels import KINDS, LABELS

REMOVED = ["previous", "dio", "n_overdue_customers", "best_possible_dso", "add", "cei", "economic_dso"]
REMOVED += ["cash_per_dso_day", "variation_pct", "cash_at_stake"]


@pytest.mark.parametrize("key", REMOVED)
def test_stale_aliases_are_gone(key):
    # each was another key's twin (e.g. "add" = "average_days_delinquent") or used nowhere
    assert key not in LABELS["fr"] and key not in LABELS["en"] and key not in KINDS


@pytest.mark.parametrize("word", ["Echu", "echu", "Echeance", "Ecart"])
def test_french_labels_keep_their_accents(word):
    assert not [k for k, v in LABELS["fr"].items() if word in v]


def test_pareto_note_fills_in_both_languages():
    note = {lang: LABELS[lang]["pareto_note"].format(customers="60 %", share="80 %") for lang in LABELS}
    assert note == {"fr": "60 % des clients = 80 %", "en": "60 % of customers = 80 %"}
