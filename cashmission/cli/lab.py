"""`cashmission lab`: JupyterLab on a mission folder, with the project's kernel, bound to localhost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from cashmission.cli.errors import friendly


def lab_command(folder: Path, port: int, browser: bool) -> list[str]:
    """The JupyterLab command line: this interpreter (its kernel), ``folder`` as root, localhost only.

    Jupyter's token authentication stays on (the URL printed carries it; ``JUPYTER_TOKEN``
    sets it); the server listens on 127.0.0.1 only, never on the network.
    """
    argv = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={folder}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # CI containers and fresh machines run as root
    return argv if browser else [*argv, "--no-browser"]


def copy_notebooks(folder: Path) -> list[Path]:
    """Copy the package's report notebooks into ``folder/notebooks`` (an existing notebook is never overwritten)."""
    from cashmission.mission import package_dir

    target = folder / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for nb in sorted((package_dir() / "notebooks").glob("*.ipynb")):
        if not (target / nb.name).exists():
            shutil.copy2(nb, target / nb.name)
            copied.append(target / nb.name)
    return copied


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--port", type=click.IntRange(1024, 65535), default=8888, show_default=True)
@click.option("--browser/--no-browser", default=True, show_default=True, help="Open a browser tab.")
@friendly
def lab(folder: Path, port: int, browser: bool) -> None:
    """Open JupyterLab on a mission FOLDER (default: here) with the project's kernel, on localhost only.

    The package's notebooks are copied into FOLDER/notebooks when missing, to explore
    the mission's data interactively; `cashmission run` stays the way to produce reports.
    """
    try:
        import jupyterlab  # noqa: F401
    except ImportError as err:
        raise click.ClickException("JupyterLab is not installed: run `bash dev.sh setup`") from err
    folder = folder.resolve()
    if not folder.is_dir():
        raise click.ClickException(f"{folder}: no such folder (create it with `cashmission init`)")
    for nb in copy_notebooks(folder):
        click.echo(f"Copied {nb}")
    click.echo(f"JupyterLab on http://127.0.0.1:{port}/lab (root {folder}); Ctrl+C stops it.")
    raise SystemExit(subprocess.call(lab_command(folder, port, browser), env=os.environ.copy()))
