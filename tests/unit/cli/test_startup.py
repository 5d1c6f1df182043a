"""`cashmission --help` and `init` start without pandas (start-up time: benchmarks/startup.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = """
import sys
from click.testing import CliRunner
from cashmission.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code == 0, result.output
heavy = sorted(m for m in ("pandas", "numpy", "matplotlib", "pydantic", "yaml") if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize("args", [["--help"], ["aging", "--help"], ["init", "{folder}"]])
def test_light_commands_do_not_import_pandas(args, tmp_path):
    args = [a.format(folder=tmp_path / "client") for a in args]
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""  # no heavy module loaded
