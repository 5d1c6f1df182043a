"""Packaging: pyproject.toml is the source of truth; environment.yml must agree."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject: {wanted - conda}"


def test_mission_template_copies_are_identical():
    a = (ROOT / "templates" / "mission.yml").read_text(encoding="utf-8")
    b = (ROOT / "cashmission" / "templates" / "mission.yml").read_text(encoding="utf-8")
    assert a == b


def test_reports_folder_is_ignored_but_kept():
    ignore = (ROOT / ".gitignore").read_text()
    assert "reports/*" in ignore and "!reports/.gitkeep" in ignore
    assert (ROOT / "reports" / ".gitkeep").exists()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash dev.sh test" in readme.split("\n## ", 1)[0], "README must start with the test command"
    assert "exec bash dev.sh test" in ci


def test_every_public_name_resolves():
    import cashmission as cm

    missing = [n for n in cm.__all__ if n != "__version__" and getattr(cm, n, None) is None]
    assert missing == []
