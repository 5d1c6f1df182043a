"""report.sections: a section that does not apply returns nothing; one that does shows its heading, then its body."""

from __future__ import annotations

import pandas as pd
import pytest

from cashmission.ledger.sources import load_receivables
from cashmission.report import sections
from cashmission.working_capital.sources import dso_bridge_from_files
from tests.conftest import ROOT

OPEN_ITEMS = ROOT / "data_samples" / "demo" / "open_items.csv"
FEC = ROOT / "tests" / "data" / "fec" / "montant_sens_crcrlf_999999999FEC20241231.txt"


def test_section_shows_its_heading_and_returns_its_body(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    assert sections.section("sec_entity", "fr", "body") == "body"
    assert [m.data for m in shown] == ["## Balance âgée par société"]


def test_a_section_switched_off_shows_nothing(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    assert sections.section("sec_entity", "fr", "body", show=False) is None
    assert shown == []


def test_payment_behaviour_does_not_apply_to_an_open_items_export(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    items, load = load_receivables(OPEN_ITEMS)
    assert sections.payment_behaviour(items, load, None, 10, "fr") is None
    assert shown == []


def test_payment_behaviour_of_a_fec_uses_the_ledger_already_built(monkeypatch) -> None:
    # the hand-written FEC of tests/unit/io/test_fec.py, 30-day terms: C001's three lettered
    # invoices paid 6, 3 and 4 days late (1,200, 1,200, 2,400): (6 + 3 + 4) / 3 = 4.33 days on
    # average; the section reads no file (read_fec would fail: it is replaced by a trap)
    from cashmission.io import fec
    from cashmission.ledger import behaviour

    items, load = load_receivables(FEC, terms_days=30)
    monkeypatch.setattr(fec, "read_fec", lambda *a, **k: pytest.fail("the FEC was read again"))
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    seen = {}
    real = behaviour.customer_payment_behaviour
    monkeypatch.setattr(behaviour, "customer_payment_behaviour", lambda h: seen.setdefault("b", real(h)))
    assert sections.payment_behaviour(items, load, 30, 5, "fr") is not None
    row = seen["b"].set_index("customer_id").loc["C001"]
    assert row["avg_days_late"] == pytest.approx(13 / 3)


def test_without_a_ledger_there_is_no_bridge_and_no_bridge_section(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    bridge = dso_bridge_from_files(None, None, pd.DataFrame(), "2026-08-03", "2026-10-26")
    assert bridge is None
    assert sections.dso_bridge(bridge) is None
    assert sections.dso_bridge_comments(bridge) is None
    assert sections.dso_bridge_chart(bridge) is None
    assert shown == []
