"""Issue 10 items 1 and 5 in the mission file: ``date_order:`` validated and passed on; a mapping file, same rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from cashmission.mission.config import load_mapping, load_mission
from cashmission.problems import InputError

BASE = 'client: "Acme"\nas_of: "2024-03-31"\ndata:\n  open_items: data/items.csv\n  working_capital: data/items.csv\n'


def _mission(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "items.csv").write_text("x\n", encoding="utf-8")
    p = tmp_path / "mission.yml"
    p.write_text(BASE + extra, encoding="utf-8")
    return p


@pytest.mark.parametrize(("extra", "order"), [("", None), ("date_order: monthfirst\n", "monthfirst")])
def test_date_order_goes_to_both_notebooks(tmp_path, extra, order):
    cfg = load_mission(_mission(tmp_path, extra))
    assert cfg.date_order == order
    assert cfg.parameters("diagnostic", tmp_path / "out")["date_order"] == order
    assert cfg.parameters("working_capital", tmp_path / "out")["date_order"] == order


@pytest.mark.parametrize("value", ["mdy", "true", "[dayfirst]"])
def test_a_bad_date_order_is_one_clear_error(tmp_path, value):
    with pytest.raises(InputError) as err:
        load_mission(_mission(tmp_path, f"date_order: {value}\n"))
    assert "date_order must be one of ['dayfirst', 'monthfirst']" in str(err.value)


@pytest.mark.parametrize(("name", "calls"), [("diagnostic", 1), ("working_capital", 2)])
def test_the_notebooks_pass_date_order_to_the_loaders(name, calls):
    notebook = Path(__file__).resolve().parents[3] / "notebooks" / f"{name}.ipynb"
    text = notebook.read_text(encoding="utf-8")
    assert "date_order = None" in text and text.count("date_order=date_order") == calls


def test_a_mapping_file_follows_the_mission_files_rule(tmp_path):
    p = tmp_path / "map.yml"
    p.write_text("customer_id: Tiers\namount: Reste à payer\n", encoding="utf-8")
    assert load_mapping(p) == {"customer_id": "Tiers", "amount": "Reste à payer"}
    p.write_text("customer_id: Tiers\namount: \n", encoding="utf-8")  # empty header
    with pytest.raises(InputError, match="amount must be a non-empty text, got None"):
        load_mapping(p)
    p.write_text("a: &x Tiers\nb: *x\n", encoding="utf-8")  # the mission file's YAML rules too
    with pytest.raises(InputError, match="anchors and aliases"):
        load_mapping(p)
