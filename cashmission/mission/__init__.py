"""Orchestration: the mission file, the notebook runner, the artefacts."""

from pathlib import Path


def package_dir() -> Path:
    """The installed package folder (templates, notebooks and demo data live there).

    Here, in a module that imports nothing heavy, so that ``cashmission init`` starts fast.
    """
    return Path(__file__).resolve().parents[1]
