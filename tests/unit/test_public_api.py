"""The public API: ``import cashmission as cm`` exposes a small documented set, and the README's example runs."""

from __future__ import annotations

import doctest
import os

import cashmission as cm
from tests.conftest import ROOT


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in cm.__all__:
        if name == "__version__":
            continue
        obj = getattr(cm, name)
        assert (obj.__doc__ or "").strip(), f"cm.{name} has no docstring"


def test_the_public_set_stays_small() -> None:
    # load, age, KPIs, run a mission: presentation helpers are reached through cashmission.report
    assert len(cm.__all__) <= 40
    assert not {"label", "format_amount", "aging_bars", "write_workbook"} & set(cm.__all__)


def test_readme_api_example_runs() -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(cwd)
    assert result.attempted >= 5
    assert result.failed == 0
