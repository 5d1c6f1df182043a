"""report.sections: a section that does not apply returns nothing; one that does shows its heading, then its body."""

from __future__ import annotations

import pandas as pd

from cashmission.report import sections
from cashmission.working_capital.sources import dso_bridge_from_files
from tests.conftest import ROOT

OPEN_ITEMS = ROOT / "data_samples" / "demo" / "open_items.csv"


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
    assert sections.payment_behaviour(OPEN_ITEMS, None, 10, "fr") is None
    assert shown == []


def test_without_a_ledger_there_is_no_bridge_and_no_bridge_section(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(sections, "_show", shown.append)
    bridge = dso_bridge_from_files(None, None, pd.DataFrame(), "2026-08-03", "2026-10-26")
    assert bridge is None
    assert sections.dso_bridge(bridge) is None
    assert sections.dso_bridge_comments(bridge) is None
    assert sections.dso_bridge_chart(bridge) is None
    assert shown == []
