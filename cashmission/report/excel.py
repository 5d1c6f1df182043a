"""Excel output for finance users: every table a real Excel table people can sort, filter and print.

One sheet per table, written with xlsxwriter:

- a real Excel table (*Insérer > Tableau*): filter buttons, banded rows, a styled header
  frozen under the panes; its totals row (the sum of the amount columns) is the table's own
  totals row, which Excel keeps outside the sort and filter range, so sorting never moves it;
- headers are the display labels of :mod:`cashmission.report.labels` (French by default);
- amounts are numbers rounded to the cent with ``#,##0.00`` (shown ``1 234,56`` by a French
  Excel), ratios ``0.0%``, days ``0.0``, counts ``0``, dates ``DD/MM/YYYY``: the raw values stay
  numbers, so the client can recompute every total;
- columns as wide as their longest shown value (within 8 and 60 characters);
- print setup: A4 landscape, fit to one page wide, the header row repeated on every page,
  the sheet name and page numbers in the footer;
- an optional "Source" sheet: the files read, their control totals and the parameters used,
  so a workbook found in a mailbox says where its figures come from.

Client text is written as text, never as a formula
(:func:`cashmission.report.exports.neutralise_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
DAYS_FORMAT = "0.0"
COUNT_FORMAT = "0"
MIN_WIDTH, MAX_WIDTH = 8, 60
SOURCE_SHEET = {"fr": "Source", "en": "Source"}
_TOTAL_LABEL = {"fr": "Total", "en": "Total"}


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    lang: str = "fr",
    source: pd.DataFrame | Mapping[str, object] | None = None,
    totals: bool = True,
) -> Path:
    """Write one sheet per frame as an Excel table, and the ``source`` sheet when given.

    ``totals``: each table gets a totals row summing its amount columns (the columns whose
    format is ``#,##0.00``), its first text column saying "Total"; the sum is written both as
    Excel's ``SUBTOTAL(109, …)`` (it follows the filters) and as its value computed here, so a
    reader that does not recalculate sees it too.  Sheet names are cut to Excel's 31
    characters and made unique.  ``source`` is a frame, or a mapping ``item → value`` written
    as two columns.
    """
    import xlsxwriter

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(out), {"nan_inf_to_errors": True, "remove_timezone": True})
    try:
        formats = _formats(workbook)
        used: set[str] = set()
        for name, frame in sheets.items():
            _write_sheet(workbook, formats, _unique(_sheet_name(name), used), frame, lang, totals, len(used))
        if source is not None:
            frame = _source_frame(source, lang)
            name = _unique(SOURCE_SHEET.get(lang, "Source"), used)
            _write_sheet(workbook, formats, name, frame, lang, False, len(used))
    finally:
        workbook.close()
    return out


def column_format(name: str, values: pd.Series) -> str | None:
    """The number format of a column, from its dtype and its name (``None``: text or boolean).

    >>> column_format("overdue_rate", pd.Series([0.5])), column_format("total", pd.Series([1.0]))
    ('0.0%', '#,##0.00')
    >>> column_format("n_items", pd.Series([3])), column_format("customer_name", pd.Series(["A"]))
    ('0', None)
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return DATE_FORMAT
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if name.endswith(("_rate", "_share")) or name in ("share", "cumulative_share", "rate"):
        return PERCENT_FORMAT
    if name.startswith(("n_", "rank")) or name.endswith("_count"):
        return COUNT_FORMAT
    if name.endswith("_days") or name.startswith("days_"):
        return DAYS_FORMAT
    return AMOUNT_FORMAT


def _formats(workbook: object) -> dict[str, object]:
    add = workbook.add_format  # type: ignore[attr-defined]
    return {
        AMOUNT_FORMAT: add({"num_format": AMOUNT_FORMAT}),
        PERCENT_FORMAT: add({"num_format": PERCENT_FORMAT}),
        DATE_FORMAT: add({"num_format": DATE_FORMAT}),
        DAYS_FORMAT: add({"num_format": DAYS_FORMAT}),
        COUNT_FORMAT: add({"num_format": COUNT_FORMAT}),
        "text": add({"num_format": "@"}),
        "wrap": add({"text_wrap": True, "valign": "top"}),
    }


def _write_sheet(
    workbook: object, formats: dict, sheet_name: str, frame: pd.DataFrame, lang: str, totals: bool, number: int
) -> None:
    from cashmission.report.exports import neutralise_text
    from cashmission.report.labels import label

    ws = workbook.add_worksheet(sheet_name)  # type: ignore[attr-defined]
    names = [str(c) for c in frame.columns]
    if not names:
        return
    headers = _unique_headers([str(neutralise_text(label(c, lang))) for c in names])
    kinds = [column_format(c, frame[c]) for c in names]
    frame, own_total = split_total_row(frame)
    n = len(frame)
    widths = [len(h) + 3 for h in headers]  # room for the filter button
    for j, (col, fmt) in enumerate(zip(names, kinds, strict=True)):
        cells = _cells(frame[col], fmt)
        for i, value in enumerate(cells, start=1):
            _write_cell(ws, formats, i, j, value, fmt)
        widths[j] = max(widths[j], *(_shown_width(v, fmt) for v in cells)) if cells else widths[j]
    add_totals = own_total is not None or (totals and n > 0 and AMOUNT_FORMAT in kinds)
    columns: list[dict[str, object]] = []
    statics: dict[int, object] = {}
    for j, (header, fmt) in enumerate(zip(headers, kinds, strict=True)):
        spec: dict[str, object] = {"header": header}
        if fmt:
            spec["format"] = formats[fmt]
        own = None if own_total is None else _cells(own_total.iloc[:, j], fmt)[0]
        if add_totals and fmt == AMOUNT_FORMAT and (own_total is None or own is not None):
            total = round(sum(v for v in _cells(frame[names[j]], fmt) if v is not None), 2)  # what Excel shows
            spec.update(total_function="sum", total_value=total)
            widths[j] = max(widths[j], _shown_width(total, fmt))
        elif add_totals and j == _first_text(kinds):
            spec["total_string"] = str(own) if own else _TOTAL_LABEL.get(lang, "Total")
        elif own is not None:
            statics[j] = own  # a rate or a count the package computed over the whole
        columns.append(spec)
    last_row = max(n, 1) + (1 if add_totals else 0)
    ws.add_table(
        0,
        0,
        last_row,
        len(names) - 1,
        {
            "columns": columns,
            "total_row": add_totals,
            "style": "Table Style Medium 2",
            "name": _table_name(sheet_name, number),
        },
    )
    for j, value in statics.items():
        _write_cell(ws, formats, last_row, j, value, kinds[j])
    for j, width in enumerate(widths):
        ws.set_column(j, j, min(max(width, MIN_WIDTH), MAX_WIDTH))
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_footer("&L&A&RPage &P / &N")


def split_total_row(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """``frame`` without its own last TOTAL row (first column ``TOTAL``), and that row (or ``None``).

    A table that carries its own TOTAL row (the aged balance does) gets it as the Excel
    table's totals row, so sorting never moves it and a filter never sums it twice.

    >>> rows, total = split_total_row(pd.DataFrame({"customer_id": ["C1", "TOTAL"], "total": [5.0, 5.0]}))
    >>> len(rows), total["customer_id"].tolist()
    (1, ['TOTAL'])
    """
    if frame.empty or frame.shape[1] == 0:
        return frame, None
    first = frame.iloc[-1, 0]
    if isinstance(first, str) and first.strip().upper() == "TOTAL":
        return frame.iloc[:-1], frame.iloc[-1:]
    return frame, None


def _write_cell(ws: object, formats: dict, i: int, j: int, value: object, fmt: str | None) -> None:
    cell_format = formats[fmt] if fmt else None
    if value is None:
        ws.write_blank(i, j, None, cell_format)  # type: ignore[attr-defined]
    elif isinstance(value, str):
        ws.write_string(i, j, value)  # type: ignore[attr-defined]
    elif fmt == DATE_FORMAT:
        ws.write_datetime(i, j, value, cell_format)  # type: ignore[attr-defined]
    elif isinstance(value, bool):
        ws.write_boolean(i, j, value)  # type: ignore[attr-defined]
    else:
        ws.write_number(i, j, value, cell_format)  # type: ignore[attr-defined]


def _cells(values: pd.Series, fmt: str | None) -> list[object]:
    """Python values ready for xlsxwriter: text neutralised, amounts to the cent, NaN/NaT blank."""
    from cashmission.report.exports import neutralise_text

    out: list[object] = []
    for v in values.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
        elif fmt == DATE_FORMAT:
            out.append(pd.Timestamp(v).to_pydatetime())
        elif fmt is None and not isinstance(v, bool):
            out.append(str(neutralise_text(v if isinstance(v, str) else str(v))))
        elif fmt == AMOUNT_FORMAT:
            out.append(round(float(v), 2))
        else:
            out.append(v if isinstance(v, bool) else float(v) if fmt else v)
    return out


def _shown_width(value: object, fmt: str | None) -> int:
    if value is None:
        return 0
    if fmt == DATE_FORMAT:
        return 11
    if fmt == AMOUNT_FORMAT:
        return len(f"{value:,.2f}") + 1
    if fmt == PERCENT_FORMAT:
        return len(f"{float(value) * 100:.1f}%") + 1  # type: ignore[arg-type]
    return len(str(value)) + 1


def _first_text(kinds: list[str | None]) -> int:
    return next((j for j, k in enumerate(kinds) if k is None), -1)


def _source_frame(source: pd.DataFrame | Mapping[str, object], lang: str) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    item, value = ("élément", "valeur") if lang == "fr" else ("item", "value")
    return pd.DataFrame({item: [str(k) for k in source], value: [str(v) for v in source.values()]})


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        h = h or "-"
        k = h.casefold()
        seen[k] = seen.get(k, 0) + 1
        out.append(h if seen[k] == 1 else f"{h} ({seen[k]})")
    return out


def _sheet_name(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, "-")
    return name.strip("'")[:31] or "Sheet"


def _unique(name: str, used: set[str]) -> str:
    base, k = name, 1
    while name.casefold() in used:
        k += 1
        suffix = f" ({k})"
        name = base[: 31 - len(suffix)] + suffix
    used.add(name.casefold())
    return name


def _table_name(sheet_name: str, number: int) -> str:
    """An Excel table name: unique in the workbook (the sheet's number), letters, digits and ``_``."""
    import re

    return f"T{number}_" + re.sub(r"\W", "_", sheet_name, flags=re.ASCII)[:200]
