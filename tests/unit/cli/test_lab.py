"""cashmission lab: JupyterLab bound to localhost with the project's kernel; the server answers its API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from cashmission.cli.lab import copy_notebooks, lab_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_command_binds_to_localhost_without_browser(tmp_path):
    argv = lab_command(tmp_path, 8899, browser=False)
    assert "--ServerApp.ip=127.0.0.1" in argv and "--ServerApp.port=8899" in argv and "--no-browser" in argv
    assert f"--ServerApp.root_dir={tmp_path}" in argv


def test_notebooks_are_copied_once_never_overwritten(tmp_path):
    copied = copy_notebooks(tmp_path)
    assert {p.name for p in copied} >= {"diagnostic.ipynb", "working_capital.ipynb"}
    (tmp_path / "notebooks" / "diagnostic.ipynb").write_text("{}", encoding="utf-8")
    assert copy_notebooks(tmp_path) == []
    assert (tmp_path / "notebooks" / "diagnostic.ipynb").read_text(encoding="utf-8") == "{}"


@pytest.mark.slow
def test_the_server_starts_lists_the_notebooks_and_stops(tmp_path):
    copy_notebooks(tmp_path)
    port = _free_port()
    env = {**os.environ, "JUPYTER_TOKEN": "cashmission-test", "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    proc = subprocess.Popen(
        lab_command(tmp_path, port, browser=False),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token=cashmission-test"
        listing = None
        for _ in range(240):  # up to 60 s on a loaded machine
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    listing = json.load(r)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited with {proc.returncode}")
                time.sleep(0.25)
        assert listing is not None, "the server did not answer"
        names = {item["name"] for item in listing["content"]}
        assert {"diagnostic.ipynb", "working_capital.ipynb"} <= names
        # the kernel the notebooks name is this project's interpreter
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token=cashmission-test", timeout=5) as r:
            specs = json.load(r)["kernelspecs"]
        assert "python3" in specs
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.poll() is not None
    assert Path(tmp_path / "notebooks").is_dir()
