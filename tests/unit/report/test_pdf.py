"""PDF printing with headless Chromium: a hand-sized A4 document, and every failure as one line.

The real-Chromium tests need Debian's ``chromium`` and ``poppler-utils`` (installed by
``bash dev.sh``).  Without them they are skipped with the reason, except under CI
(``CI=true``), where a missing browser is a set-up bug and fails.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from cashmission.report import pdf
from cashmission.report.pdf import PdfError, chromium_command, find_chromium, html_to_pdf, pdf_media_box, pdf_page_count

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm at 72 pt per inch


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def need_tool(found: str | None, what: str) -> str:
    """``found``, or fail (under CI) / skip (elsewhere) naming the missing tool and its install command."""
    if found:
        return found
    message = f"{what} is missing: run `bash dev.sh setup` as root or `apt-get install {what}`"
    if _in_ci():
        pytest.fail(f"CI=true but {message} (dev.sh should have installed it)")
    pytest.skip(message)


def need_chromium() -> str:
    """The Chromium executable, or fail (CI) / skip (elsewhere)."""
    return need_tool(find_chromium(), "chromium")


def pdftotext(pdf_path: Path, page: int | None = None) -> str:
    """Text of ``pdf_path`` (one page when ``page`` is given) with poppler's pdftotext."""
    exe = need_tool(shutil.which("pdftotext"), "poppler-utils")
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [exe, "-layout", *pages, str(pdf_path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


# ---------------------------------------------------------------------------- a hand-sized document
# A4 is 297 mm tall; with 10 mm top and bottom margins a page holds 277 mm of content,
# so 20 mm rows (no border, no padding, no spacing, never split) fit 13 to a page.
ROW_MM = 20
ROWS_PER_PAGE = (297 - 2 * 10) // ROW_MM  # 13


def _table_html(path: Path, rows: int) -> Path:
    body = "\n".join(f"<tr><td>row {i}</td><td>{i * 1000}</td></tr>" for i in range(1, rows + 1))
    path.write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"><title>t</title><style>
@page {{ size: A4 portrait; margin: 10mm; }}
html, body {{ margin: 0; padding: 0; }}
table {{ border-collapse: collapse; border-spacing: 0; }}
td {{ height: {ROW_MM}mm; padding: 0 4mm; border: 0; font: 12pt sans-serif; box-sizing: border-box; }}
tr {{ break-inside: avoid; }}
</style></head><body><table>{body}</table></body></html>""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("rows", "pages"), [(13, 1), (14, 2), (40, 4)])
def test_a_long_table_prints_on_the_expected_number_of_a4_pages(tmp_path, rows, pages):
    need_chromium()
    assert ROWS_PER_PAGE == 13
    out = html_to_pdf(_table_html(tmp_path / "table.html", rows), timeout=60)
    assert out == (tmp_path / "table.pdf").resolve()
    assert out.read_bytes()[:5] == b"%PDF-"
    width, height = pdf_media_box(out)
    assert width == pytest.approx(A4_POINTS[0], abs=1) and height == pytest.approx(A4_POINTS[1], abs=1)
    assert pdf_page_count(out) == pages
    # the last page holds exactly the rows left over after the full pages
    last = pdftotext(out, pages)
    first_on_last = (pages - 1) * ROWS_PER_PAGE + 1
    assert f"row {first_on_last} " in last and f"row {rows} " in last
    assert f"row {first_on_last - 1} " not in last


def test_page_count_and_size_agree_with_pdfinfo(tmp_path):
    need_chromium()
    pdfinfo = need_tool(shutil.which("pdfinfo"), "poppler-utils")
    out = html_to_pdf(_table_html(tmp_path / "t.html", 30), tmp_path / "sub" / "named.pdf")
    assert out == (tmp_path / "sub" / "named.pdf").resolve()
    info = subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:{' ' * 11}{pdf_page_count(out)}" in info.replace("\t", " ")
    assert "(A4)" in info


def test_text_is_printed_and_no_chromium_header_or_footer(tmp_path):
    need_chromium()
    html = tmp_path / "memo.html"
    html.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Titre secret</title>'
        "<style>@page { size: A4; margin: 15mm }</style></head>"
        "<body><h1>Balance âgée</h1><p>Échu : 6 600 015,25 €</p></body></html>",
        encoding="utf-8",
    )
    text = pdftotext(html_to_pdf(html))
    assert "Balance âgée" in text and "6 600 015,25 €" in text
    assert "Titre secret" not in text and "file://" not in text  # --no-pdf-header-footer


# ---------------------------------------------------------------------------- failures, with a fake browser
def _fake_chromium(tmp_path: Path, script: str) -> Path:
    exe = tmp_path / "fake-chromium"
    exe.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def _page(tmp_path: Path) -> Path:
    html = tmp_path / "r.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    return html


def test_missing_chromium_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.ENV_VAR, str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
    with pytest.raises(PdfError, match=r"apt-get install chromium") as err:
        html_to_pdf(_page(tmp_path))
    assert "\n" not in str(err.value) and "no-such-browser" in str(err.value)


def test_the_environment_variable_wins(tmp_path, monkeypatch):
    exe = _fake_chromium(tmp_path, "exit 0\n")
    monkeypatch.setenv(pdf.ENV_VAR, str(exe))
    assert find_chromium() == str(exe)


def test_no_file_written_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.ENV_VAR, str(_fake_chromium(tmp_path, "echo 'FATAL: cannot open display' >&2\nexit 1\n")))
    with pytest.raises(PdfError, match=r"wrote no PDF for r\.html: FATAL: cannot open display"):
        html_to_pdf(_page(tmp_path))


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path, monkeypatch):
    script = 'for a; do case "$a" in --print-to-pdf=*) echo "<html>" > "${a#--print-to-pdf=}";; esac; done\n'
    monkeypatch.setenv(pdf.ENV_VAR, str(_fake_chromium(tmp_path, script)))
    with pytest.raises(PdfError, match=r"does not start with %PDF"):
        html_to_pdf(_page(tmp_path))


def test_a_hung_browser_is_killed_after_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.ENV_VAR, str(_fake_chromium(tmp_path, "sleep 30\n")))
    with pytest.raises(PdfError, match=r"did not print r\.html within 0\.5 s"):
        html_to_pdf(_page(tmp_path), timeout=0.5)


def test_the_temporary_profile_is_removed(tmp_path, monkeypatch):
    log = tmp_path / "profile.txt"
    script = (
        'for a; do case "$a" in --user-data-dir=*) echo "${a#--user-data-dir=}" > ' + str(log) + ";;"
        ' --print-to-pdf=*) printf "%%PDF-1.4\\n" > "${a#--print-to-pdf=}";; esac; done\n'
    )
    monkeypatch.setenv(pdf.ENV_VAR, str(_fake_chromium(tmp_path, script)))
    out = html_to_pdf(_page(tmp_path))
    assert out.read_bytes().startswith(b"%PDF-1.4")
    profile = Path(log.read_text(encoding="utf-8").strip())
    assert profile.name.startswith("cashmission-chromium-") and not profile.exists()


def test_missing_html_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        html_to_pdf(tmp_path / "absent.html")


@pytest.mark.parametrize(("euid", "sandbox_off"), [(0, True), (1000, False)])
def test_no_sandbox_only_as_root(monkeypatch, euid, sandbox_off):
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    cmd = chromium_command("chromium", Path("/r/a.html"), Path("/r/a.pdf"), Path("/tmp/p"))
    assert ("--no-sandbox" in cmd) is sandbox_off
    assert "--headless" in cmd and "--no-pdf-header-footer" in cmd
    assert any(flag.startswith("--host-resolver-rules=") for flag in cmd)  # no network
    assert cmd[-1] == "file:///r/a.html"
