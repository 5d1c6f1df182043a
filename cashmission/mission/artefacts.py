"""Machine-readable artefacts written beside the reports.

Each notebook saves its headline figures as JSON under its ``output_dir``, so that the
weekly report can track them over time and the end-to-end test can reconcile the
report with the source file.  Values are rounded to the cent; nothing else is changed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cashmission.problems import LoadReport


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    return value


def write_figures(output_dir: str | Path, name: str, figures: Mapping[str, Any]) -> Path:
    """Write ``figures`` to ``<output_dir>/<name>_figures.json`` (floats rounded to cents)."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}_figures.json"
    path.write_text(json.dumps(_plain(figures), ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return path


def diagnostic_figures(report: LoadReport, summary: Mapping[str, Any], as_of: str) -> dict[str, Any]:
    """Headline figures of the receivables diagnostic: what was loaded, and what it shows.

    ``report`` is the loader's :class:`LoadReport`; ``summary`` the ageing summary
    (``receivables.aging_summary``).  ``aged_total`` must equal ``total_kept`` for the
    items open at ``as_of``: that is the reconciliation the report prints.
    """
    return {
        "as_of": as_of,
        "file": Path(report.file).name,
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "total_read": report.total_read,
        "total_kept": report.total_kept,
        "warnings": len(report.warnings),
        "aged_total": summary["total"],
        "overdue": summary["overdue"],
        "overdue_rate": summary["overdue_rate"],
        "not_due": summary["not_due"],
        "disputed": summary["disputed"],
        "n_items": summary["n_items"],
        "n_customers": summary["n_customers"],
    }
