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
    """The report title with the client and the closing date, as Markdown."""
    from IPython.display import Markdown

    colon = f"{NBSP}:" if lang == "fr" else ":"
    lines = [f"# {label(title_key, lang)}", "", f"**{label('client', lang)}{colon}** {client_name}"]
    if as_of:
        lines[-1] += f"  \n**{label('as_of', lang)}{colon}** {format_date(as_of, lang, long=True)}"
    return Markdown("\n".join(lines))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def paragraph(text: str) -> Any:
    """Plain text (e.g. :func:`pareto_sentence`, :func:`headline`) as a Markdown paragraph.

    The report then sets it as prose that wraps between words at the page edge, unlike
    a ``print``-ed ``<pre>`` block.  Markdown characters are escaped so the text shows
    as written; each line of ``text`` stays a line (hard line break).  The Markdown
    source is deterministic, so nbval still compares the figures.

    >>> paragraph("a_b *c*\\nd").data
    'a\\\\_b \\\\*c\\\\*  \\nd'
    """
    from IPython.display import Markdown

    lines = [_MD_SPECIAL.sub(r"\\\1", line) for line in str(text).splitlines()]
    return Markdown("  \n".join(lines))


def bullets(sentences: list[str] | tuple[str, ...]) -> Any:
    """Sentences as a Markdown bullet list (e.g. :func:`cashmission.report.narrative.explain_kpis`)."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {s}" for s in sentences))
