"""The command line (`cashmission ...`): one click group, one command per job."""

from cashmission.cli.commands import main

__all__ = ["main"]
