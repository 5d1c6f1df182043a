"""A mission run from start to finish: its folder, its status, its index page and its history.

``cashmission run`` writes each run to ``<output>/<client>/<as_of>/``.  This module makes
that folder trustworthy:

- **never stale** (:func:`clear_previous`): the artefacts of an earlier run into the same
  folder are removed before anything runs, so a failed rerun cannot leave last run's
  reports looking current;
- **status** (:func:`write_status`): ``run.json`` says ``running`` while it runs, then
  ``complete`` or ``failed`` (the notebook, the cell and the error), and an
  ``INCOMPLETE.txt`` file stays in the folder of a run that did not finish;
- **index** (:func:`write_index`): ``index.html``, a page linking every report (HTML, PDF,
  Excel) with the run's key figures, their change since last week and since the first
  run (:func:`history`: the ``*_figures.json`` of the client's earlier runs).

Client text (the client's name) is escaped in the page (Jinja autoescape).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARTEFACT_PATTERNS = ("*.html", "*.pdf", "*.ipynb", "*_figures.json", "*.xlsx", "run.json", "INCOMPLETE.txt")
"""What a run writes in its folder (and what a new run into the same folder clears first)."""

INCOMPLETE = "INCOMPLETE.txt"
KEY_FIGURES: dict[str, tuple[str, ...]] = {
    "diagnostic": ("total_kept", "aged_total", "overdue", "overdue_rate"),
    "weekly": ("overdue", "overdue_vs_start", "cash_collected", "total"),
    "working_capital": ("dso", "dpo", "bfr"),
}
"""The figures of each report shown on the index page (those its JSON has)."""


@dataclass
class RunStatus:
    """What ``run.json`` records."""

    client: str
    as_of: str
    notebooks: list[str]
    state: str = "running"  # running | complete | failed
    done: list[str] = field(default_factory=list)
    failed: str | None = None
    error: str | None = None
    seconds: float = 0.0


def clear_previous(out_dir: Path) -> list[Path]:
    """Remove the artefacts an earlier run left in ``out_dir`` (only the files a run writes); returns them."""
    removed = []
    if out_dir.is_dir():
        for pattern in ARTEFACT_PATTERNS:
            for p in sorted(out_dir.glob(pattern)):
                if p.is_file():
                    p.unlink()
                    removed.append(p)
    return removed


def write_status(out_dir: Path, status: RunStatus) -> Path:
    """``run.json`` with the run's state; ``INCOMPLETE.txt`` while it is not complete."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "run.json"
    path.write_text(json.dumps(status.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")
    marker = out_dir / INCOMPLETE
    if status.state == "complete":
        marker.unlink(missing_ok=True)
    else:
        why = f"failed in {status.failed}: {status.error}" if status.state == "failed" else "still running"
        marker.write_text(
            f"This run did not finish ({why}).\nReports present: {', '.join(status.done) or 'none'}.\n",
            encoding="utf-8",
        )
    return path


def read_figures(folder: Path) -> dict[str, dict[str, Any]]:
    """``{report: figures}`` from the ``<report>_figures.json`` files of a run folder."""
    out = {}
    for p in sorted(folder.glob("*_figures.json")):
        try:
            out[p.name.removesuffix("_figures.json")] = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return out


def history(client_dir: Path, as_of: str) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """The complete runs of a client before ``as_of``, oldest first: ``[(as_of, figures), ...]``.

    A run counts when its folder is named by its ISO date and its ``run.json`` says
    ``complete`` (a failed or running run is never compared with).
    """
    runs = []
    if client_dir.is_dir():
        for folder in sorted(client_dir.iterdir()):
            if not folder.is_dir() or folder.name >= as_of or not _iso(folder.name):
                continue
            try:
                state = json.loads((folder / "run.json").read_text(encoding="utf-8")).get("state")
            except (OSError, ValueError):
                continue
            if state == "complete":
                runs.append((folder.name, read_figures(folder)))
    return runs


def changes(
    current: Mapping[str, Mapping[str, Any]], earlier: list[tuple[str, dict[str, dict[str, Any]]]]
) -> list[dict[str, Any]]:
    """One row per key figure: its value now, last run's and the first run's, and the changes.

    change_last = now − last run's value; change_start = now − the first run's value.

    >>> rows = changes({"weekly": {"overdue": 1.5}}, [("w0", {"weekly": {"overdue": 6.6}}),
    ...                                                ("w11", {"weekly": {"overdue": 1.7}})])
    >>> [(r["figure"], r["value"], round(r["change_last"], 1), round(r["change_start"], 1)) for r in rows]
    [('overdue', 1.5, -0.2, -5.1)]
    """
    rows = []
    for report, keys in KEY_FIGURES.items():
        figures = current.get(report) or {}
        for key in keys:
            value = figures.get(key)
            if not isinstance(value, int | float):
                continue
            past = [f.get(report, {}).get(key) for _, f in earlier]
            past = [v for v in past if isinstance(v, int | float)]
            rows.append(
                {
                    "report": report,
                    "figure": key,
                    "value": value,
                    "last": past[-1] if past else None,
                    "start": past[0] if past else None,
                    "change_last": value - past[-1] if past else None,
                    "change_start": value - past[0] if past else None,
                }
            )
    return rows


def write_index(out_dir: Path, status: RunStatus, lang: str = "fr") -> Path:
    """``index.html``: the run's reports (HTML, PDF, Excel), its key figures and their change since the earlier runs."""
    from jinja2 import Environment, select_autoescape

    from cashmission.report.formats import format_number
    from cashmission.report.labels import label

    files = sorted(
        p.name for p in out_dir.iterdir() if p.suffix in (".html", ".pdf", ".xlsx") and p.name != "index.html"
    )
    rows = changes(read_figures(out_dir), history(out_dir.parent, status.as_of))

    def num(x: object) -> str:
        if not isinstance(x, int | float):
            return "–"
        return format_number(float(x), 2, lang)  # type: ignore[arg-type]

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    page = env.from_string(_INDEX).render(
        lang=lang,
        client=status.client,
        as_of=status.as_of,
        state=status.state,
        files=files,
        rows=[{**r, "label": label(r["figure"], lang)} for r in rows],
        num=num,
        words=_WORDS[lang if lang in _WORDS else "fr"],
    )
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _iso(name: str) -> bool:
    try:
        time.strptime(name, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def artefacts_of(out_dir: Path) -> Iterable[Path]:
    """The files a run wrote in ``out_dir``."""
    for pattern in ARTEFACT_PATTERNS:
        yield from sorted(out_dir.glob(pattern))


_WORDS = {
    "fr": {
        "title": "Mission",
        "as_of": "Arrêté au",
        "reports": "Rapports",
        "figures": "Chiffres clés",
        "figure": "Indicateur",
        "report": "Rapport",
        "value": "Valeur",
        "last": "Semaine précédente",
        "change_last": "Variation sur la semaine",
        "change_start": "Variation depuis le début",
        "incomplete": "Exécution incomplète : voir run.json",
    },
    "en": {
        "title": "Mission",
        "as_of": "As of",
        "reports": "Reports",
        "figures": "Key figures",
        "figure": "Figure",
        "report": "Report",
        "value": "Value",
        "last": "Last week",
        "change_last": "Change on the week",
        "change_start": "Change since the start",
        "incomplete": "Incomplete run: see run.json",
    },
}

_INDEX = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<title>{{ words.title }} {{ client }} – {{ as_of }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child,td:nth-child(2){text-align:left}.warn{color:#c0392b;font-weight:bold}
</style></head><body>
<h1>{{ client }}</h1>
<p>{{ words.as_of }} {{ as_of }}</p>
{% if state != "complete" %}<p class="warn">{{ words.incomplete }}</p>{% endif %}
<h2>{{ words.reports }}</h2>
<ul>{% for f in files %}<li><a href="{{ f }}">{{ f }}</a></li>{% endfor %}</ul>
{% if rows %}<h2>{{ words.figures }}</h2>
<table><tr><th>{{ words.report }}</th><th>{{ words.figure }}</th><th>{{ words.value }}</th><th>{{ words.last }}</th>
<th>{{ words.change_last }}</th><th>{{ words.change_start }}</th></tr>
{% for r in rows %}<tr><td>{{ r.report }}</td><td>{{ r.label }}</td><td>{{ num(r.value) }}</td>
<td>{{ num(r.last) }}</td><td>{{ num(r.change_last) }}</td><td>{{ num(r.change_start) }}</td></tr>{% endfor %}
</table>{% endif %}
</body></html>
"""
