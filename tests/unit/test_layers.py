"""The import rule of docs/architecture.md: a module never imports from a layer above its own.

Layers, lowest first (a module may import its own layer and those below it):

foundation (problems → tables, terms, periods) → io → ledger → working_capital
(scoring, collection, lettrage, factoring beside it) → report → samples, mission → cli.

The domain (ledger, working_capital and the engines to come) never imports the
presentation libraries (matplotlib, seaborn), the notebook stack (papermill, nbconvert,
nbformat, jupyter) or the command line (click).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cashmission"

RANK = {
    "problems": 0,
    "meta": 0,
    "tables": 1,
    "terms": 1,
    "periods": 1,
    "io": 2,
    "ledger": 3,
    "working_capital": 4,
    "scoring": 4,
    "collection": 4,
    "lettrage": 4,
    "factoring": 4,
    "report": 5,
    "samples": 6,
    "mission": 6,
    "cli": 7,
}
DOMAIN = {"ledger", "working_capital", "scoring", "collection", "lettrage", "factoring"}
NOT_IN_DOMAIN = {"matplotlib", "seaborn", "papermill", "nbconvert", "nbformat", "jupyter_client", "click"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.stem not in ("__init__", "__main__") or p.parent != PACKAGE)


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "cashmission":
                out += [(node.lineno, f"cashmission.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def test_every_layer_is_ranked() -> None:
    layers = {_layer(p) for p in _modules()}
    assert layers <= set(RANK), f"unranked layers: {sorted(layers - set(RANK))}: add them to RANK and the doc"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_from_a_layer_above(path: Path) -> None:
    own = _layer(path)
    bad = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "cashmission" and len(parts) > 1 and parts[1] in RANK and RANK[parts[1]] > RANK[own]:
            bad.append(f"line {line}: {module} ({parts[1]} is above {own})")
        if own in DOMAIN and parts[0] in NOT_IN_DOMAIN:
            bad.append(f"line {line}: {module} (the domain never imports presentation or orchestration)")
    assert not bad, f"{path.relative_to(PACKAGE)}: " + "; ".join(bad)


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    # the test itself must be able to fail: a working_capital module importing report
    bad = tmp_path / "bad.py"
    bad.write_text("from cashmission.report.labels import label\nimport matplotlib.pyplot\n", encoding="utf-8")
    found = [m for _, m in _imports(bad) if m.startswith("cashmission.report") or m.startswith("matplotlib")]
    assert found == ["cashmission.report.labels", "matplotlib.pyplot"]
    assert RANK["report"] > RANK["working_capital"]
