"""The command line (`cashmission ...`): one click group, one module per command or job."""

from cashmission.cli.app import main

__all__ = ["main"]
