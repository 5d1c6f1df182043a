"""Excel output: aged balances, worklists and KPI tables as workbooks people read.

Headers are the display labels of :mod:`cashmission.report.views` (French by default),
amounts carry a number format (``# ##0,00`` shown the French way by Excel in a French
locale), dates a date format, ratios a percent format; panes are frozen under the
header and an autofilter is set.  The raw values stay numbers, so the client can
recompute every total in Excel.  Client text is written as text, never as a formula
(:func:`cashmission.report.exports.neutralise_text`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
DAYS_FORMAT = "0.0"


def write_workbook(sheets: dict[str, pd.DataFrame], path: str | Path, lang: str = "fr") -> Path:
    """Write one sheet per frame, with labelled headers and number formats.

    Sheet names are cut to Excel's 31 characters; columns named like ratios
    (``*_rate``, ``share``, ``cumulative_share``) get a percent format, dates a
    ``DD/MM/YYYY`` format, other numbers ``#,##0.00``.  Text cells and headers go
    through :func:`~cashmission.report.exports.neutralise_text`: a client text starting
    with ``=``, ``+``, ``-`` or ``@`` is written as a string cell with a leading
    apostrophe, never as a formula; numbers stay numbers.
    """
    from openpyxl.utils import get_column_letter

    from cashmission.report.exports import neutralise_frame, neutralise_text
    from cashmission.report.labels import label

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = _sheet_name(name)
            shown = neutralise_frame(frame)
            shown.columns = [neutralise_text(label(str(c), lang)) for c in frame.columns]
            shown.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            ws.freeze_panes = "A2"
            if len(frame.columns):
                ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
            for j, col in enumerate(frame.columns, 1):
                fmt = _format_for(str(col), frame[col])
                letter = get_column_letter(j)
                width = max(len(str(shown.columns[j - 1])), 10)
                ws.column_dimensions[letter].width = min(width + 2, 40)
                if fmt:
                    for cell in ws[letter][1:]:
                        cell.number_format = fmt
    return out


def _sheet_name(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, "-")
    return name[:31]


def _format_for(name: str, values: pd.Series) -> str | None:
    if pd.api.types.is_datetime64_any_dtype(values):
        return DATE_FORMAT
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if name.endswith("_rate") or name in ("share", "cumulative_share") or name.endswith("_share"):
        return PERCENT_FORMAT
    if name.startswith(("n_", "rank")) or name.endswith("_count"):
        return "0"
    if name.endswith("_days") or name.startswith("days_"):
        return DAYS_FORMAT
    return AMOUNT_FORMAT
