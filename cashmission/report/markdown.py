"""Markdown building blocks of the reports: headings, paragraphs, bullets, escaped text."""

from __future__ import annotations

import re
from typing import Any

from cashmission.report.formats import format_date
from cashmission.report.labels import NBSP, Lang, label


# ---------------------------------------------------------------------------------------
# Report text blocks (Markdown shown by the notebooks; code is hidden in the report)
# ---------------------------------------------------------------------------------------
def heading(key: str, lang: Lang = "fr", level: int = 2) -> Any:
    """A section title from :data:`LABELS` as a Markdown display object.

    Notebooks call it so that the report's headings follow ``lang``.
    """
    from IPython.display import Markdown

    return Markdown(f"{'#' * level} {label(key, lang)}")


def title_block(title_key: str, client_name: str, as_of: str | None, lang: Lang = "fr") -> Any:
    r"""The report title with the client and the closing date, as Markdown.

    The client name is client text: shown as written (:func:`escape_text`, on one line),
    never as HTML or Markdown.

    >>> title_block("title_diagnostic", "<img src=x onerror=alert(1)>", None, "en").data.splitlines()[-1]
    '**Client:** &lt;img src=x onerror=alert(1)\\>'
    """
    from IPython.display import Markdown

    colon = f"{NBSP}:" if lang == "fr" else ":"
    client = escape_text(" ".join(str(client_name).split()))
    lines = [f"# {label(title_key, lang)}", "", f"**{label('client', lang)}{colon}** {client}"]
    if as_of:
        lines[-1] += f"  \n**{label('as_of', lang)}{colon}** {escape_text(format_date(as_of, lang, long=True))}"
    return Markdown("\n".join(lines))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]>|])")
_LINE_START = re.compile(r"^(\s*)([#+=-])")


def escape_text(text: str) -> str:
    r"""Text (a client name, a sentence) escaped to show as written in Markdown and in the HTML report.

    Rules: ``&`` and ``<`` become the HTML entities ``&amp;`` and ``&lt;`` (as :func:`html.escape`
    does), so no HTML tag or entity of the text is ever live; the Markdown specials
    ``\ ` * _ [ ] > |`` get a backslash, and so does a ``#``, ``+``, ``=`` or ``-`` opening the
    text (no heading, list or rule).  A ``>`` alone cannot open a tag; its backslash keeps it from
    opening a quote.

    >>> escape_text('<iframe src="http://x"> & *Co*')
    '&lt;iframe src="http://x"\\> &amp; \\*Co\\*'
    >>> escape_text("# 1")
    '\\# 1'
    """
    text = str(text).replace("&", "&amp;").replace("<", "&lt;")
    return _LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def paragraph(text: str) -> Any:
    """Plain text (e.g. :func:`pareto_sentence`, :func:`headline`) as a Markdown paragraph.

    The report then sets it as prose that wraps between words at the page edge, unlike
    a ``print``-ed ``<pre>`` block.  Markdown characters are escaped so the text shows
    as written (:func:`escape_text`: no live HTML tag either); each line of ``text``
    stays a line (hard line break).  The Markdown source is deterministic, so nbval
    still compares the figures.

    >>> paragraph("a_b *c*\\nd").data
    'a\\\\_b \\\\*c\\\\*  \\nd'
    """
    from IPython.display import Markdown

    lines = [escape_text(line) for line in str(text).splitlines()]
    return Markdown("  \n".join(lines))


def bullets(sentences: list[str] | tuple[str, ...]) -> Any:
    """Sentences as a Markdown bullet list (e.g. :func:`cashmission.report.narrative.explain_kpis`)."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {s}" for s in sentences))
