"""Client text (the client name, sentences) reaches the Markdown and the HTML report as text, never as live HTML."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from cashmission.mission import runner
from cashmission.report import markdown

ATTACKS = ["<img src=x onerror=alert(1)>", '<iframe src="http://x">']


def _live_tags(html: str) -> list[str]:
    """Opening ``<img``, ``<iframe`` or ``<script`` tags actually present in an HTML text."""
    return re.findall(r"<(?:img|iframe|script)\b[^>]*>", html, flags=re.IGNORECASE)


@pytest.mark.parametrize("client", ATTACKS)
def test_title_block_shows_a_client_name_as_text(client):
    md = markdown.title_block("title_diagnostic", client, "2026-08-03", "en").data
    assert "<" not in md  # the only "<" of the name became "&lt;"
    assert "&lt;" + client[1:-1] in md.replace("\\", "")  # the rest shown as written (backslashes aside)


def test_escape_text_by_hand():
    # & -> &amp;, < -> &lt;, Markdown specials get a backslash, a leading "#" too
    assert markdown.escape_text("A&B <b>x</b> *y* _z_ [l](u) |") == (
        "A&amp;B &lt;b\\>x&lt;/b\\> \\*y\\* \\_z\\_ \\[l\\](u) \\|"
    )
    assert markdown.escape_text("# Titre") == "\\# Titre" and markdown.escape_text("- item") == "\\- item"
    assert markdown.escape_text("Démo Industrie") == "Démo Industrie"  # plain text unchanged


def test_a_client_name_on_several_lines_stays_on_the_client_line():
    lines = markdown.title_block("title_diagnostic", "A\n# B", None, "en").data.splitlines()
    assert len(lines) == 3 and lines[1:] == [
        "",
        "**Client:** A # B",
    ]  # "A\n# B" -> "A # B": mid-line, "#" opens no heading


@pytest.mark.parametrize("client", ATTACKS)
def test_paragraph_has_no_live_tag(client):
    md = markdown.paragraph(f"Client {client} : 10 %").data
    assert "<" not in md and md.startswith("Client &lt;")


def _executed_notebook(tmp_path, client: str):
    """An executed notebook as the runner gets it: a title-block output and a paragraph output."""
    title = markdown.title_block("title_diagnostic", client, "2026-08-03", "en").data
    body = markdown.paragraph(f"Top customer: {client}").data
    cells = [
        new_code_cell("title", outputs=[new_output("display_data", data={"text/markdown": title})]),
        new_code_cell("body", outputs=[new_output("display_data", data={"text/markdown": body})]),
    ]
    path = tmp_path / "diagnostic.ipynb"
    nbformat.write(new_notebook(cells=cells), str(path))
    return path


@pytest.mark.parametrize("client", ATTACKS)
def test_the_html_report_has_no_live_tag_from_the_client_name(tmp_path, client):
    out = runner.export_html(_executed_notebook(tmp_path, client), tmp_path / "diagnostic.html", lang="en")
    html = out.read_text(encoding="utf-8")
    assert _live_tags(html) == []
    assert "&lt;img src=x onerror=alert(1)" in html or "&lt;iframe src=" in html  # shown, as text
    assert "<title>" in html and "<title><" not in html


def test_the_html_title_is_the_heading_as_the_reader_sees_it(tmp_path):
    nb = nbformat.read(str(_executed_notebook(tmp_path, "x")), as_version=4)
    nb.cells[0].outputs[0]["data"]["text/markdown"] = "# R&amp;D \\*report\\* for &lt;iframe src=x\\>\n"
    # unescaped once: "R&D *report* for <iframe src=x>", then escaped once by the template
    assert runner._report_title(nb) == "R&D *report* for <iframe src=x>"
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, str(path))
    html = runner.export_html(path, tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<title>R&amp;D *report* for &lt;iframe src=x&gt;</title>" in html
    assert _live_tags(html) == []
