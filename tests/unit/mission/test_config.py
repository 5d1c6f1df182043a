"""Mission config: mission.yml → validated config → JSON-only notebook parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cashmission.mission.config import config_from_dict, demo_config, load_mission, slugify
from cashmission.problems import InputError


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "items.csv").write_text("x\n", encoding="utf-8")
    p = tmp_path / "mission.yml"
    p.write_text(text, encoding="utf-8")
    return p


def test_paths_are_resolved_from_the_yaml_folder(tmp_path):
    p = _write(tmp_path, 'client: "Acme"\nas_of: "2026-03-31"\ndata:\n  open_items: data/items.csv\n')
    cfg = load_mission(p)
    assert cfg.data["open_items"] == (tmp_path / "data" / "items.csv").resolve()
    assert cfg.output_dir() == (tmp_path / "reports" / "acme" / "2026-03-31").resolve()


def test_parameters_are_json_only(tmp_path):
    p = _write(
        tmp_path,
        'client: "Acme"\nas_of: "2026-03-31"\ndata:\n  open_items: data/items.csv\naging:\n  edges: [0, 15, 45]\n',
    )
    params = load_mission(p).parameters("diagnostic", tmp_path / "out")
    assert json.loads(json.dumps(params)) == params
    assert params["as_of"] == "2026-03-31" and params["edges"] == [0, 15, 45]
    assert params["data_path"] == str((tmp_path / "data" / "items.csv").resolve())


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('client: "A"\nas_of: "2026-03-31"\ncolour: red\n', "unknown keys ['colour']"),
        ('as_of: "2026-03-31"\n', "'client' is required"),
        ('client: "A"\nas_of: "31/03/2026"\n', "as_of must be an ISO date"),
        ('client: "A"\nas_of: "2026-03-31"\nlang: de\n', "lang must be one of ['fr', 'en']"),
        ('client: "A"\nas_of: "2026-03-31"\ndata:\n  open_items: nope.csv\n', "data.open_items: file not found"),
        ('client: "A"\nas_of: "2026-03-31"\ndata:\n  invoices: data/items.csv\n', "unknown data kind 'invoices'"),
        (
            'client: "A"\nas_of: "2026-03-31"\naging:\n  edges: [30, 0]\n',
            "aging.edges: bucket edges must be strictly increasing",
        ),
        ('client: "A"\nas_of: "2026-03-31"\nnotebooks: [deck]\n', "unknown notebooks ['deck']"),
        ('client: "A"\nas_of: "2026-03-31"\n  bad: : indent\n', "not valid YAML"),
    ],
)
def test_bad_configs_give_one_clear_error(tmp_path, text, fragment):
    p = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_mission(p)
    assert fragment in str(err.value)
    assert str(p) in str(err.value)
    assert "\n" not in str(err.value)


def test_all_problems_are_reported_at_once(tmp_path):
    with pytest.raises(InputError) as err:
        config_from_dict({"colour": 1, "lang": "de"}, tmp_path)
    msg = str(err.value)
    assert "unknown keys" in msg and "'client' is required" in msg and "lang must be" in msg


def test_working_capital_needs_a_source(tmp_path):
    cfg = config_from_dict({"client": "A", "as_of": "2026-03-31"}, tmp_path)
    with pytest.raises(InputError, match=r"needs data\.working_capital or data\.fec"):
        cfg.parameters("working_capital", tmp_path)


def test_demo_config_points_at_bundled_data():
    cfg = demo_config()
    assert cfg.client == "Démo Industrie" and cfg.as_of == "2026-08-03" and cfg.lang == "fr"
    assert cfg.data["open_items"].name == "open_items.csv"
    assert demo_config("en").lang == "en"


@pytest.mark.parametrize(
    ("text", "slug"), [("Démo Industrie", "demo-industrie"), ("  ", "client"), ("L'Été & Co", "l-ete-co")]
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_diagnostic_falls_back_to_the_ledger_then_the_fec(tmp_path):
    (tmp_path / "l.csv").write_text("x\n")
    (tmp_path / "f.txt").write_text("x\n")
    cfg = config_from_dict({"client": "A", "as_of": "2026-03-31", "data": {"fec": "f.txt"}}, tmp_path)
    assert cfg.parameters("diagnostic", tmp_path)["data_path"].endswith("f.txt")
    cfg = config_from_dict(
        {"client": "A", "as_of": "2026-03-31", "data": {"fec": "f.txt", "ledger": "l.csv"}}, tmp_path
    )
    assert cfg.parameters("diagnostic", tmp_path)["data_path"].endswith("l.csv")
    with pytest.raises(InputError, match=r"needs data\.open_items, data\.ledger or data\.fec"):
        config_from_dict({"client": "A", "as_of": "2026-03-31"}, tmp_path).parameters("diagnostic", tmp_path)


def test_working_capital_gets_the_bridge_only_when_asked(tmp_path):
    for name in ("wc.xlsx", "ledger.csv", "monthly.csv"):
        (tmp_path / name).write_text("x\n")
    raw = {
        "client": "A",
        "as_of": "2026-10-26",
        "data": {"working_capital": "wc.xlsx", "ledger": "ledger.csv", "monthly": "monthly.csv"},
    }
    params = config_from_dict(raw, tmp_path).parameters("working_capital", tmp_path)
    # no bridge asked: the notebook must not fall back on its demo ledger
    assert params["items_path"] is None and params["bridge_from"] is None
    params = config_from_dict({**raw, "bridge": {"from": "2026-08-03", "to": "2026-10-26"}}, tmp_path).parameters(
        "working_capital", tmp_path
    )
    assert params["items_path"].endswith("ledger.csv") and params["revenue_path"].endswith("monthly.csv")
    assert (params["bridge_from"], params["bridge_to"]) == ("2026-08-03", "2026-10-26")
    assert params["factoring_derecognised"] is False


@pytest.mark.parametrize(
    "bridge",
    [
        {"from": "2026-08-03"},
        {"from": "03/08/2026", "to": "2026-10-26"},
        {"from": "2026-10-26", "to": "2026-08-03"},
        "2026-08-03",
    ],
)
def test_bad_bridge_is_refused(tmp_path, bridge):
    with pytest.raises(InputError, match="bridge"):
        config_from_dict({"client": "A", "as_of": "2026-10-26", "bridge": bridge}, tmp_path)


def test_pdf_is_off_by_default_and_a_yes_no_key(tmp_path):
    base = 'client: "Acme"\nas_of: "2026-03-31"\ndata:\n  open_items: data/items.csv\n'
    assert load_mission(_write(tmp_path, base)).pdf is False
    assert load_mission(_write(tmp_path, base + "pdf: true\n")).pdf is True
    with pytest.raises(InputError, match=r"pdf must be true or false, got 'yes please'"):
        load_mission(_write(tmp_path, base + "pdf: yes please\n"))


def test_the_mission_template_documents_pdf():
    from tests.conftest import ROOT

    for template in (ROOT / "templates" / "mission.yml", ROOT / "cashmission" / "templates" / "mission.yml"):
        assert "\npdf: false " in template.read_text(encoding="utf-8")


def test_targets_for_dpo_and_stocks_reach_the_working_capital_notebook(tmp_path):
    (tmp_path / "wc.xlsx").write_bytes(b"")
    base = 'client: "A"\nas_of: "2026-03-31"\ndata:\n  working_capital: wc.xlsx\nnotebooks: [working_capital]\n'
    cfg = load_mission(_write(tmp_path, base + "target_dpo: 60\ntarget_stock_days: {raw_materials: 45, goods: 50}\n"))
    params = cfg.parameters("working_capital", tmp_path)
    assert params["target_dpo"] == 60 and params["target_stock_days"] == {"raw_materials": 45.0, "goods": 50.0}
    assert load_mission(_write(tmp_path, base)).parameters("working_capital", tmp_path)["target_stock_days"] is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("target_dpo: soon\n", "target_dpo must be a number of days, got 'soon'"),
        ("target_stock_days: {wine: 10}\n", "target_stock_days maps stock kinds"),
        ("target_stock_days: {goods: -3}\n", "target_stock_days.goods must be a number of days, got -3"),
    ],
)
def test_bad_targets_are_refused(tmp_path, extra, message):
    base = 'client: "A"\nas_of: "2026-03-31"\ndata:\n  open_items: data/items.csv\n'
    with pytest.raises(InputError, match=re.escape(message)):
        load_mission(_write(tmp_path, base + extra))


def test_the_customer_master_reaches_the_diagnostic(tmp_path):
    (tmp_path / "clients.csv").write_text("x\n", encoding="utf-8")
    base = 'client: "A"\nas_of: "2026-03-31"\ndata:\n  open_items: data/items.csv\n'
    params = load_mission(_write(tmp_path, base + "  customers: clients.csv\n")).parameters("diagnostic", tmp_path)
    assert params["customers_path"] == str((tmp_path / "clients.csv").resolve())
    assert "customers_path" not in load_mission(_write(tmp_path, base)).parameters("diagnostic", tmp_path)
