"""Command line: every command has --help, the README documents every command,
errors are one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from tests.conftest import ROOT

COMMANDS = sorted(main.commands)


def test_the_expected_commands_exist():
    assert {"demo", "run", "init", "check", "aging", "kpi", "sample", "data-model"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: main " + command in result.output or f"Usage: cashmission {command}" in result.output
    doc = main.commands[command].help or ""
    assert len(doc.strip()) > 20


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_every_command(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`cashmission {command}" in readme


def test_init_writes_a_mission_file_and_refuses_to_overwrite(tmp_path):
    r = CliRunner().invoke(main, ["init", str(tmp_path / "acme")])
    assert r.exit_code == 0 and (tmp_path / "acme" / "mission.yml").exists()
    r = CliRunner().invoke(main, ["init", str(tmp_path / "acme")])
    assert r.exit_code == 1 and "exists already" in r.output


def test_run_with_a_bad_mission_is_one_line(tmp_path):
    p = tmp_path / "mission.yml"
    p.write_text('client: "A"\nas_of: "2026-13-45x"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["run", str(p)])
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert r.output.count("\n") == 1 and "as_of must be an ISO date" in r.output


def test_aging_rejects_bad_buckets(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-01-31", "--buckets", "30,0"])
    assert r.exit_code == 2 and "edges must be increasing" in r.output


def test_data_model_prints_every_table():
    r = CliRunner().invoke(main, ["data-model"])
    assert r.exit_code == 0
    for name in ("open_items", "customers", "payments", "disputes", "dunning", "working_capital"):
        assert f"## `{name}`" in r.output


CORPUS = sorted((ROOT / "tests" / "data").glob("*/*.*"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("command", [["check"], ["aging", "--as-of", "2025-01-31", "--terms", "30"], ["kpi"]])
def test_no_input_file_ever_gives_a_traceback(path, command):
    """Every file of the broken-file corpus: a result or one clear line, never a traceback."""
    r = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert r.exception is None or isinstance(r.exception, SystemExit), f"{path.name}: {r.exception!r}"
    assert r.exit_code in (0, 1), r.output
    if r.exit_code == 1 and command[0] != "check":
        assert r.output.startswith("Error: ") and r.output.count("\n") == 1, r.output


@pytest.mark.parametrize("command", ["demo", "run"])
def test_demo_and_run_offer_pdf(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0 and "--pdf / --no-pdf" in r.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert any(line.startswith(f"| `cashmission {command} ") and "--pdf" in line for line in readme.splitlines())


def test_run_pdf_without_chromium_fails_in_one_line_before_running(tmp_path, monkeypatch):
    monkeypatch.setenv("CASHMISSION_CHROMIUM", str(tmp_path / "no-browser"))
    (tmp_path / "items.csv").write_text("x\n", encoding="utf-8")
    p = tmp_path / "mission.yml"
    p.write_text('client: "A"\nas_of: "2026-03-31"\ndata:\n  open_items: items.csv\npdf: true\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["run", str(p)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.count("\n") == 1 and "apt-get install chromium" in r.output
    assert not (tmp_path / "reports").exists()  # failed before any notebook ran


def test_demo_without_chromium_skips_pdfs_with_one_line(tmp_path, monkeypatch):
    from cashmission.cli import _want_pdf

    monkeypatch.setenv("CASHMISSION_CHROMIUM", str(tmp_path / "no-browser"))
    want, why = _want_pdf("auto")
    assert want is False and why is not None
    assert "\n" not in why and why.startswith("PDF reports skipped") and "apt-get install chromium" in why
    assert _want_pdf(False) == (False, None)
