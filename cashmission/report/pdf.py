"""Print a client HTML report to PDF with a headless Chromium (presentation/orchestration layer).

nbconvert's ``--to webpdf`` wants Playwright's own Chromium download; instead the system
browser (Debian: ``apt-get install chromium``) is driven directly with
``--headless --print-to-pdf``.  The page size and margins come from the report's CSS
``@page`` rule (A4 portrait in ``cashmission/templates/report/report.css``); Chromium's
own header and footer are turned off.  No network: the reports are self-contained
(figures embedded as base64), background networking is disabled and every host name
resolves to nothing.

Nothing here imports the domain modules.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ENV_VAR = "CASHMISSION_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install it with `apt-get install chromium` (Debian/Ubuntu) or set CASHMISSION_CHROMIUM"
# Flags measured to work on Debian's chromium as root and in containers (no GPU, small /dev/shm).
CHROMIUM_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no DNS: nothing can be fetched from the network
    "--no-pdf-header-footer",
    "--disable-pdf-tagging",
)


class PdfError(RuntimeError):
    """Chromium is missing, failed, timed out or wrote no PDF; the message is one line saying what to do."""


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable to print with, or ``None`` when there is none.

    ``$CASHMISSION_CHROMIUM`` wins when set (a path or a command name); otherwise the
    first of ``chromium``, ``chromium-browser``, ``google-chrome``, ``google-chrome-stable``
    found on ``PATH``.

    Returns
    -------
    str or None
        Absolute path of the executable.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return shutil.which(override)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium executable (:func:`find_chromium`), or a :class:`PdfError` saying how to install it.

    Returns
    -------
    str
        Absolute path of the executable.

    Raises
    ------
    PdfError
        None found; the message names the install command.
    """
    chromium = find_chromium()
    if chromium is None:
        raise PdfError(f"cannot print reports to PDF: {missing_reason()}; {INSTALL_HINT}")
    return chromium


def missing_reason() -> str:
    """Why :func:`find_chromium` found nothing, in a few words (for skip messages)."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return f"{ENV_VAR}={override!r} is not an executable"
    return f"no Chromium on PATH ({', '.join(CANDIDATES)})"


def chromium_command(chromium: str, html_path: Path, pdf_path: Path, user_data_dir: Path) -> list[str]:
    """The Chromium command line that prints ``html_path`` to ``pdf_path``.

    ``--no-sandbox`` is added only when running as root (Chromium refuses to start as
    root with its sandbox on).

    >>> cmd = chromium_command("chromium", Path("/r/a.html"), Path("/r/a.pdf"), Path("/tmp/p"))
    >>> cmd[-1], "--print-to-pdf=/r/a.pdf" in cmd, "--user-data-dir=/tmp/p" in cmd
    ('file:///r/a.html', True, True)
    """
    cmd = [chromium, *CHROMIUM_FLAGS]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--no-sandbox")
    cmd += [f"--user-data-dir={user_data_dir}", f"--print-to-pdf={pdf_path}", html_path.as_uri()]
    return cmd


def html_to_pdf(html_path: str | Path, pdf_path: str | Path | None = None, *, timeout: float = 120) -> Path:
    """Print an HTML report to PDF with headless Chromium.

    Parameters
    ----------
    html_path : path
        A self-contained HTML file (the report from :func:`cashmission.mission.runner.export_html`).
    pdf_path : path, optional
        Where to write the PDF; default ``html_path`` with the suffix ``.pdf``.  An
        existing file is replaced.
    timeout : float
        Seconds allowed to Chromium; on expiry its whole process group is killed.

    Returns
    -------
    Path
        The PDF written.

    Raises
    ------
    FileNotFoundError
        ``html_path`` does not exist.
    PdfError
        Chromium is not installed, fails, times out, or leaves no valid PDF (one line,
        with the install command when Chromium is missing).

    Notes
    -----
    Each call uses a fresh temporary Chromium profile (``--user-data-dir``), removed
    afterwards, so concurrent runs do not share a profile lock.
    """
    html = Path(html_path).resolve()
    if not html.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(html))
    out = Path(pdf_path).resolve() if pdf_path is not None else html.with_suffix(".pdf")
    chromium = require_chromium()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="cashmission-chromium-") as profile:
        cmd = chromium_command(chromium, html, out, Path(profile))
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout kills renderers too
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PdfError(f"{Path(chromium).name} did not print {html.name} within {timeout:g} s") from None
        finally:
            _kill_group(proc)  # stray helpers still holding the profile folder
    if not out.is_file() or out.stat().st_size == 0:
        detail = _last_line(err.decode("utf-8", "replace")) or f"exit status {proc.returncode}"
        raise PdfError(f"{Path(chromium).name} wrote no PDF for {html.name}: {detail}")
    with out.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise PdfError(f"{out} is not a PDF (it does not start with %PDF)")
    return out


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group Chromium leads (it was started in a new session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.\s]+?)\s*\]")


def pdf_page_count(pdf_path: str | Path) -> int:
    """Number of pages of a PDF written by Chromium (its ``/Type /Page`` objects).

    A tiny parser for the uncompressed object layout Chromium (Skia) writes; not a
    general PDF reader (object streams are not opened).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "x.pdf")
    ...     _ = p.write_bytes(b"%PDF-1.4 /Type /Pages /Kids [3 0 R 4 0 R] /Type /Page /Type /Page")
    ...     pdf_page_count(p)
    2
    """
    return len(_PAGE.findall(Path(pdf_path).read_bytes()))


def pdf_media_box(pdf_path: str | Path) -> tuple[float, float]:
    """Width and height in points of the first ``/MediaBox`` of a PDF (A4 ≈ 595 × 842).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "x.pdf")
    ...     _ = p.write_bytes(b"%PDF-1.4 /Type /Page /MediaBox [0 0 594.95996 841.91998]")
    ...     pdf_media_box(p)
    (594.95996, 841.91998)
    """
    match = _MEDIABOX.search(Path(pdf_path).read_bytes())
    if match is None:
        raise PdfError(f"{pdf_path}: no /MediaBox found")
    x0, y0, x1, y1 = (float(v) for v in match.group(1).split())
    return x1 - x0, y1 - y0
