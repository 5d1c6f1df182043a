"""How the command line fails: one clear line on stderr and exit status 1, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from cashmission.problems import InputError


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn input errors (a bad file, a missing or unwritable path, a failed notebook) into one line, exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            # click prints "Error: "; the problem's own "error: " level prefix would double it
            raise click.ClickException(str(err).removeprefix("error: ")) from None
        except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as err:
            # a bad input path, or an output path (-o, --out) whose folder is missing or read-only
            raise click.ClickException(f"{err.strerror}: {err.filename}") from None
        except Exception as err:
            from cashmission.mission.runner import NotebookError
            from cashmission.report.pdf import PdfError

            if isinstance(err, (NotebookError, PdfError)):
                raise click.ClickException(str(err)) from None
            raise

    return wrapper


def progress(message: str) -> None:
    """A progress line on stderr (stdout keeps the result)."""
    click.echo(message, err=True)
