"""End to end: the demo mission through the real command line, into a temporary folder.

The report's figures must reconcile with the source file read independently here with
plain pandas (not with cashmission's loader): what the consultant shows the client
ties to the client's own export.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import DEMO

pytestmark = pytest.mark.slow
AS_OF = pd.Timestamp("2026-08-03")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("reports")
    exe = Path(sys.executable).with_name("cashmission")
    proc = subprocess.run(
        [str(exe), "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "demo-industrie" / "2026-08-03", proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def source() -> pd.DataFrame:
    # The export as the client sent it: ';' separated, decimal comma, UTF-8 with BOM.
    df = pd.read_csv(DEMO / "open_items.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype={"N° client": str})
    df["due"] = pd.to_datetime(df["Date échéance"], format="%d/%m/%Y")
    return df


def test_demo_prints_where_the_reports_are(demo_run):
    folder, output = demo_run
    assert str(folder) in output
    assert "diagnostic" in output and "working_capital" in output  # progress lines


def test_reports_exist_with_code_hidden(demo_run):
    folder, _ = demo_run
    for name in ("diagnostic", "working_capital"):
        html = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert len(html) > 50_000, name  # figures are embedded
        assert "import cashmission" not in html, f"{name}: code cells must be hidden"
        assert "data:image/png;base64" in html, f"{name}: figures must be embedded"
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, f"{name}: no CDN assets"


def test_report_totals_reconcile_to_the_source_file(demo_run, source):
    folder, _ = demo_run
    figures = json.loads((folder / "diagnostic_figures.json").read_text(encoding="utf-8"))
    total = round(float(source["Montant TTC"].sum()), 2)
    positive = source["Montant TTC"] > 0
    overdue = round(float(source.loc[positive & (source["due"] < AS_OF), "Montant TTC"].sum()), 2)
    assert figures["rows_read"] == len(source)
    assert figures["rows_kept"] == len(source)
    assert figures["total_read"] == pytest.approx(total, abs=0.01)
    assert figures["aged_total"] == pytest.approx(total, abs=0.01)
    assert figures["overdue"] == pytest.approx(overdue, abs=0.01)
    assert 6.5e6 <= figures["overdue"] <= 6.7e6  # the sample client's announced overdue stock


def test_report_shows_the_reconciled_total(demo_run, source):
    folder, _ = demo_run
    html = (folder / "diagnostic.html").read_text(encoding="utf-8")
    total = float(source["Montant TTC"].sum())
    # French formatting with (narrow) no-break or plain spaces as thousands separators
    euros = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    assert re.search(euros.replace(" ", "(?:\\s|\u00a0|\u202f|&nbsp;|&#8239;)"), html), euros


# ---------------------------------------------------------------------------- PDF reports
def _demo_pdf(demo_run, name: str) -> Path:
    """The demo's ``<name>.pdf``: printed by default when Chromium is installed."""
    from tests.unit.report.test_pdf import need_chromium

    folder, output = demo_run
    if "PDF reports skipped" in output:
        need_chromium()  # fails under CI (dev.sh installs chromium), skips elsewhere
    pdf = folder / f"{name}.pdf"
    assert pdf.is_file(), output
    assert str(pdf) in output, "the demo must print the PDF paths"
    return pdf


def test_diagnostic_pdf_is_a4_and_has_no_blank_page(demo_run):
    from cashmission.report.pdf import pdf_media_box, pdf_page_count
    from tests.unit.report.test_pdf import A4_POINTS, pdftotext

    pdf = _demo_pdf(demo_run, "diagnostic")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf_media_box(pdf) == pytest.approx(A4_POINTS, abs=1)
    pages = pdf_page_count(pdf)
    assert 3 <= pages <= 6, pages
    for page in range(1, pages + 1):
        text = pdftotext(pdf, page)
        # the footer "page / pages" alone makes a blank page (nbconvert/Chromium's trailing page)
        body = re.sub(rf"\b{page}\s*/\s*{pages}\b", "", text).strip()
        assert body, f"page {page} of {pages} of {pdf.name} is blank"
    assert "Diagnostic du poste clients" in pdftotext(pdf, 1)


def test_working_capital_pdf_is_printed_too(demo_run):
    from cashmission.report.pdf import pdf_page_count

    pdf = _demo_pdf(demo_run, "working_capital")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert 2 <= pdf_page_count(pdf) <= 6
