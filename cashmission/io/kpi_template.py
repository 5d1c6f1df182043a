"""The working-capital template (*modèle BFR*): the workbook of a client's monthly figures, written and read."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission.io.parsing import (
    amount_hint,
    date_hint,
    detect_date_order,
    normalise_header,
    parse_amounts,
    parse_dates,
    unicode_digits,
)
from cashmission.io.raw import _excel_engine
from cashmission.periods import _frequency_of, _window
from cashmission.problems import LoadReport, Problem, excerpt, fail
from cashmission.tables import WORKING_CAPITAL_FLOWS, coerce


def read_figures_csv(
    path: str | Path, *, mapping: dict[str, str] | None = None, date_order: str | None = None
) -> pd.DataFrame:
    """Monthly ``working_capital`` figures from a CSV (e.g. ``monthly.csv`` of the demo).

    The CSV has the canonical column names (``period_end``, ``period_days``,
    ``revenue``, ``vat_collected``, ``receivables`` …), or the client's headers named
    by ``mapping`` (canonical -> header, as ``mission.yml``'s ``mapping:``); other
    columns are kept.  ``period_end`` is an ISO date or ``dd/mm/yyyy``; ``mm/dd/yyyy``
    when a second field is above 12 or ``date_order="monthfirst"``
    (:func:`~cashmission.io.parsing.detect_date_order`).

    Raises
    ------
    InputError : the file is missing or lacks ``period_end``, ``period_days`` or ``revenue``;
        a period end is not a date, or the dates mix both orders; or a row has no period end
        or no positive number of days (the first is named).
    """
    p = Path(path)
    if not p.is_file():
        raise fail("not_found", f"no such file: {p.name}", file=str(p))
    frame = pd.read_csv(p)
    if mapping:
        by_header = {normalise_header(h): canon for canon, h in mapping.items()}
        frame = frame.rename(columns=lambda h: by_header.get(normalise_header(h), h))
    missing = [c for c in ("period_end", "period_days", "revenue") if c not in frame.columns]
    if missing:
        raise fail("missing_column", f"{p.name} lacks {', '.join(missing)}", file=str(p), column=missing[0])
    frame["period_end"] = _csv_period_ends(frame["period_end"], str(p), date_order)
    days = pd.to_numeric(frame["period_days"], errors="coerce")
    bad = frame["period_end"].isna() | days.isna() | (days <= 0)
    if bad.any():  # e.g. a file cut in the middle of its last line: no period, no KPI
        line = int(bad.to_numpy().argmax()) + 2  # line 1 is the header
        column = "period_end" if pd.isna(frame["period_end"].iloc[line - 2]) else "period_days"
        raise fail(
            "bad_value",
            f"{column} is empty or not valid ({int(bad.sum())} row(s) without a period)",
            file=str(p),
            row=line,
            column=column,
        )
    return frame


def _csv_period_ends(values: pd.Series, file: str, date_order: str | None) -> pd.Series:
    """Period ends of a figures CSV, in one order for the column; the first bad one is fatal (line = row + 2)."""
    order = detect_date_order(values.astype(object), date_order)
    if order.conflict:
        rows = (order.day_first[0] + 2, order.month_first[0] + 2)
        message = f"period_end mixes day-first (line {rows[0]}) and month-first (line {rows[1]}) dates"
        raise fail("mixed_date_order", message + "; give the order (--dayfirst/--monthfirst)", file=file, row=min(rows))
    dates, bad = parse_dates(values.astype(object), dayfirst=order.dayfirst)
    if bad.any():
        i = bad[bad].index[0]
        message = f"period_end {excerpt(values[i])} is not a date{date_hint(values[i])}"
        raise fail("bad_date", message, file=file, row=int(i) + 2, column="period_end")
    return dates


# --------------------------------------------------------------------------- Excel template
TEMPLATE_SHEET = "Chiffres"
README_SHEET = "Lisez-moi"

TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # canonical name, French header, English note
    (
        "period_label",
        "Période (libellé libre)",
        "period label (free text), e.g. Exercice 2025, janv. 2025",
    ),
    ("period_end", "Fin de période (jj/mm/aaaa)", "period_end: last day of the period"),
    ("period_days", "Nombre de jours", "period_days: calendar days of the period (31, 365, 366 …)"),
    ("revenue", "CA HT", "revenue: revenue excl. VAT over the period (accounts 70)"),
    (
        "vat_collected",
        "TVA collectée",
        "vat_collected: VAT collected on sales over the period (44571)",
    ),
    (
        "receivables",
        "Créances clients TTC",
        "receivables: trade receivables incl. VAT at period end (411, 413, 416, 418)",
    ),
    (
        "receivables_not_due",
        "dont non échues",
        "receivables_not_due: part of the receivables not yet due",
    ),
    (
        "factored_receivables",
        "Créances cédées au factor (hors bilan)",
        "factored_receivables: assigned to a factor, off the ledger",
    ),
    (
        "discounted_receivables",
        "Effets escomptés non échus",
        "discounted_receivables: bills discounted, not yet due",
    ),
    (
        "payables",
        "Dettes fournisseurs TTC",
        "payables: trade payables incl. VAT at period end (401, 403, 408)",
    ),
    (
        "purchases",
        "Achats HT",
        "purchases: purchases excl. VAT over the period (60, 61/62 where chosen)",
    ),
    (
        "vat_deductible",
        "TVA déductible sur achats",
        "vat_deductible: deductible VAT on those purchases (44566)",
    ),
    (
        "purchases_raw_materials",
        "Achats de matières premières HT",
        "purchases_raw_materials: raw-material purchases (601, 602)",
    ),
    (
        "purchases_goods",
        "Achats de marchandises HT",
        "purchases_goods: purchases of goods for resale (607)",
    ),
    (
        "stock_raw_materials",
        "Stock de matières premières",
        "stock_raw_materials: at period end (31, 32)",
    ),
    ("stock_goods", "Stock de marchandises", "stock_goods: goods for resale at period end (37)"),
    (
        "stock_finished_goods",
        "Stock de produits finis et en-cours",
        "stock_finished_goods: finished goods and WIP (33, 34, 35)",
    ),
)
_REQUIRED_FIGURES = ("revenue", "receivables")

_README_ROWS: tuple[tuple[str, str], ...] = (
    (
        "Objet",
        "Ce classeur recueille les chiffres du BFR (poste clients, fournisseurs, stocks) pour calculer "
        "DSO, DPO, rotation des stocks et BFR. Purpose: the figures behind DSO, DPO, stock days and BFR.",
    ),
    (
        "Une ligne par période",
        "Feuille « Chiffres » : une ligne par période, à partir de la ligne 3. Mettez les deux "
        "exercices (N−1, N) et, si possible, les 12 derniers mois (le DSO par épuisement du CA "
        "a besoin des mois). One row per period from row 3: years N−1 and N, and the last 12 "
        "months if you can.",
    ),
    (
        "Flux et soldes",
        "CA, TVA et achats : totaux de la période. Créances, dettes et stocks : soldes à la date de fin "
        "de période. Flows are totals over the period; balances are at the period end.",
    ),
    (
        "HT / TTC",
        "Créances et dettes TTC (comme au grand livre) ; CA, achats et stocks HT ; la TVA collectée et "
        "déductible permet de calculer DSO et DPO en TTC/TTC, sans mélange. Receivables and payables incl. "
        "VAT; revenue, purchases, stocks excl. VAT; the VAT columns make DSO/DPO TTC/TTC.",
    ),
    (
        "Signes et unités",
        "Montants en euros, positifs, sans séparateur de milliers imposé. Amounts in euros, positive.",
    ),
    (
        "Obligatoire",
        "Fin de période, nombre de jours, CA HT et créances clients TTC. Les autres colonnes sont "
        "facultatives : un indicateur sans ses chiffres reste vide. Required: period end, days, revenue, "
        "receivables; other KPIs stay empty without their figures.",
    ),
    (
        "Jours",
        "Nombre de jours calendaires de la période (31 pour janvier, 365 ou 366 pour un exercice). Laissé vide, "
        "le mois calendaire de la date de fin est supposé (avec un avertissement).",
    ),
)


def _readme_lines() -> list[tuple[str, str, str]]:
    from cashmission.tables import WORKING_CAPITAL

    lines = [(k, "", v) for k, v in _README_ROWS]
    lines.append(("", "", ""))
    lines.append(("Colonne (feuille Chiffres)", "Nom canonique", "Signification / meaning"))
    for i, (name, header, note) in enumerate(TEMPLATE_COLUMNS):
        from openpyxl.utils import get_column_letter

        desc = note if name == "period_label" else WORKING_CAPITAL.column(name).description
        required = " (obligatoire)" if name in ("period_end", "period_days", *_REQUIRED_FIGURES) else ""
        lines.append((f"{get_column_letter(i + 1)} — {header}{required}", name, desc))
    return lines


def write_kpi_template(path: str | Path, figures: pd.DataFrame | None = None) -> Path:
    """Write the Excel template a client fills in (*modèle de saisie des chiffres du BFR*).

    Sheet "Chiffres": row 1 French headers, row 2 the English notes (canonical name
    first), one row per period from row 3.  Sheet "Lisez-moi": what each column means
    and the conventions.  With ``figures`` (a working_capital table, optionally with a
    ``period_label`` column), the rows are filled in: that is how the demo file is made.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, (_, header, note) in enumerate(TEMPLATE_COLUMNS, start=1):
        c = ws.cell(row=1, column=j, value=header)
        c.font, c.fill, c.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
        n = ws.cell(row=2, column=j, value=note)
        n.font, n.alignment = grey, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = 18 if j > 1 else 22
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "B3"
    if figures is not None:
        for i, (_, r) in enumerate(figures.reset_index(drop=True).iterrows(), start=3):
            for j, (name, _, _) in enumerate(TEMPLATE_COLUMNS, start=1):
                v = r.get(name)
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                cell = ws.cell(row=i, column=j)
                if name == "period_end":
                    cell.value = pd.Timestamp(v).to_pydatetime()
                    cell.number_format = "DD/MM/YYYY"
                elif name == "period_label":
                    cell.value = str(v)
                elif name == "period_days":
                    cell.value = int(v)
                else:
                    cell.value = float(v)
                    cell.number_format = "#,##0"
    rd = wb.create_sheet(README_SHEET)
    for i, (a, b, c) in enumerate(_readme_lines(), start=1):
        rd.cell(row=i, column=1, value=a or None).font = bold
        rd.cell(row=i, column=2, value=b or None)
        rd.cell(row=i, column=3, value=c or None).alignment = Alignment(wrap_text=True)
    (
        rd.column_dimensions["A"].width,
        rd.column_dimensions["B"].width,
        rd.column_dimensions["C"].width,
    ) = 45, 26, 100
    # fixed document dates, so that regenerating a template does not change its metadata
    fixed = pd.Timestamp("2026-01-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "cashmission"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def read_kpi_template(path: str | Path, *, date_order: str | None = None) -> tuple[pd.DataFrame, LoadReport]:
    """Read a filled template back into the ``working_capital`` table (*lecture du modèle BFR*).

    Returns
    -------
    (figures, report) : the canonical table (plus ``period_label``) sorted by period
    end, and the load report.  Rows left empty are skipped; a row without a readable
    period end is dropped with a warning; a missing required figure (revenue,
    receivables) or an unreadable number is a warning naming its cell (``Chiffres!D5``)
    (period ends typed as text are read in one order, ``date_order`` or detected:
    :func:`~cashmission.io.parsing.detect_date_order`)
    and stays empty; a missing number of days assumes the calendar month of the period
    end (warning); negative amounts are warnings.  A year and its last month may share
    a period end (annual and monthly rows are told apart by ``period_days``).

    Raises
    ------
    InputError : the file has no "Chiffres" (or "Figures") sheet, or none of the
    expected headers.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    report = LoadReport(file=str(path), kind="working_capital_template")
    sheet, raw = _figures_sheet(path)
    report.sheet = sheet
    mapping = _template_columns(raw, report, path, sheet)
    data, excel_row = _data_rows(raw, mapping)
    report.rows_read = len(data)
    warn = _Warn(report, sheet, mapping)
    out = pd.DataFrame(index=data.index)
    out["period_end"] = _period_ends(data, excel_row, warn, date_order)
    if "period_label" in data.columns:
        out["period_label"] = data["period_label"].map(lambda v: None if v is None or pd.isna(v) else str(v).strip())
    out["period_days"] = _period_days(data, out["period_end"], excel_row, warn)
    for name, _, _ in TEMPLATE_COLUMNS[3:]:
        out[name] = _figure(data, name, out["period_end"], excel_row, warn)
    _check_rows(out, excel_row, warn)
    figures = out[out["period_end"].notna()].copy()
    figures["period_days"] = figures["period_days"].round().astype("Int64")
    figures = coerce(figures.sort_values(["period_end", "period_days"]).reset_index(drop=True), "working_capital")
    report.rows_kept = len(figures)
    report.extra["annual_rows"] = int((_frequency_of(figures["period_days"]) == "year").sum())
    report.extra["monthly_rows"] = int((_frequency_of(figures["period_days"]) == "month").sum())
    _check_months_vs_year(figures, report, sheet)
    return figures, report


def _figures_sheet(path: Path) -> tuple[str, pd.DataFrame]:
    """(name, cells) of the sheet "Chiffres" (or "Figures"); raise when the workbook has none or it is empty."""
    try:
        book = pd.read_excel(path, sheet_name=None, header=None, engine=_excel_engine(), dtype=object)
    except Exception as err:
        raise fail("unreadable", f"cannot read the workbook: {excerpt(str(err))}", file=str(path)) from None
    sheet = next((s for s in book if normalise_header(s) in ("chiffres", "figures")), None)
    if sheet is None:
        sheets = ", ".join(excerpt(str(s))[1:-1] for s in book)
        raise fail("missing_sheet", f"no sheet 'Chiffres' (or 'Figures'); sheets: {sheets}", file=str(path))
    raw = book[sheet]
    if raw.empty:
        message = "the sheet is empty: it should start with the template's headers"
        raise fail("empty", message, file=str(path), sheet=sheet)
    return sheet, raw


def _template_columns(raw: pd.DataFrame, report: LoadReport, path: Path, sheet: str) -> dict[int, str]:
    """Sheet column position -> canonical name, by French header or by the canonical name of the notes row."""
    by_header = {normalise_header(h): n for n, h, _ in TEMPLATE_COLUMNS}
    by_name = {n: n for n, _, _ in TEMPLATE_COLUMNS}
    mapping: dict[int, str] = {}
    for j, h in raw.iloc[0].items():
        key = normalise_header(h) if h is not None and not pd.isna(h) else ""
        name = by_header.get(key) or by_name.get(str(h).strip() if h is not None else "")
        if name is None and raw.shape[0] > 1 and raw.iloc[1, j] is not None and not pd.isna(raw.iloc[1, j]):
            name = by_name.get(str(raw.iloc[1, j]).split(":")[0].strip())
        if name is not None and name not in mapping.values():
            mapping[int(j)] = name
            report.columns[name] = str(h)
        elif key:
            report.ignored_columns.append(str(h))
    headers = {n: h for n, h, _ in TEMPLATE_COLUMNS}
    for needed in ("period_end", "revenue", "receivables"):
        if needed not in mapping.values():
            message = f"no column for {needed!r} (header {headers[needed]!r})"
            raise fail("missing_column", message, file=str(path), sheet=sheet)
    return mapping


def _data_rows(raw: pd.DataFrame, mapping: dict[int, str]) -> tuple[pd.DataFrame, pd.Series]:
    """(the filled rows under the headers and the notes row, named by canonical name; their Excel row numbers)."""
    by_name = {n for n, _, _ in TEMPLATE_COLUMNS}
    second = raw.iloc[1] if raw.shape[0] > 1 else None
    notes_row = second is not None and any(
        isinstance(v, str) and v.split(":")[0].strip() in by_name for v in second.tolist()
    )
    data = raw.iloc[2 if notes_row else 1 :].copy()
    data = data[list(mapping)].rename(columns=mapping)
    excel_row = pd.Series(data.index + 1, index=data.index)  # 0-based frame row -> 1-based Excel row
    blank = data.map(
        lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())
    ).all(axis=1)
    return data[~blank], excel_row[~blank]


class _Warn:
    """A warning naming its cell (``Chiffres!D5``) as well as its row and column."""

    def __init__(self, report: LoadReport, sheet: str, mapping: dict[int, str]):
        from openpyxl.utils import get_column_letter

        self.report, self.sheet = report, sheet
        self.letters = {name: get_column_letter(j + 1) for j, name in mapping.items()}

    def __call__(self, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        cell = f"{self.sheet}!{self.letters[column]}{row}" if column in self.letters and row is not None else None
        self.report.problems.append(
            Problem(
                "warning",
                code,
                (f"{cell}: " if cell else "") + message,
                file=self.report.file,
                sheet=self.sheet,
                row=row,
                column=column,
            )
        )


def _period_ends(data: pd.DataFrame, excel_row: pd.Series, warn: _Warn, date_order: str | None = None) -> pd.Series:
    """Period ends, in one order; a row without a readable one (or outside 1900..2199) is left out, with a warning."""
    order = detect_date_order(data["period_end"], date_order)
    if order.conflict:
        rows = (int(excel_row[order.day_first[0]]), int(excel_row[order.month_first[0]]))
        message = f"period ends in two orders: day first on row {rows[0]}, month first on row {rows[1]}"
        raise fail("mixed_date_order", message, file=warn.report.file, sheet=warn.sheet, row=min(rows))
    if order.how in ("detected", "default") and not order.dayfirst:
        warn.report.extra["date_order"] = "month first (mm/dd/yyyy)"
    ends, bad = parse_dates(data["period_end"], dayfirst=order.dayfirst)
    for i in data.index[bad | ends.isna()]:
        value = data.loc[i, "period_end"]
        if bad[i]:
            warn(
                "bad_period_end",
                f"period end {excerpt(value)} is not a date{date_hint(value)}: row left out",
                int(excel_row[i]),
                "period_end",
            )
        else:
            warn("missing_period_end", "no period end: row left out", int(excel_row[i]), "period_end")
    return ends


def _period_days(data: pd.DataFrame, ends: pd.Series, excel_row: pd.Series, warn: _Warn) -> pd.Series:
    """Days of each period; missing, unreadable or under one day (0, -5, 0.4, 1e400): the calendar month, warned."""
    if "period_days" in data.columns:
        days, _ = parse_amounts(data["period_days"])
    else:
        days = pd.Series(np.nan, index=data.index)
    for i in data.index[(days.isna() | (days.round() < 1)) & ends.notna()]:
        guess = int(ends[i].days_in_month)
        warn(
            "missing_period_days",
            f"number of days missing or not positive: assumed the calendar month ({guess} days)",
            int(excel_row[i]),
            "period_days",
        )
        days[i] = guess
    return days


def _figure(data: pd.DataFrame, name: str, ends: pd.Series, excel_row: pd.Series, warn: _Warn) -> pd.Series:
    """One figure column: unreadable numbers and negative amounts warned, required figures checked."""
    if name not in data.columns:
        return pd.Series(np.nan, index=data.index)
    values, bad_values = parse_amounts(data[name])
    for i in data.index[bad_values]:
        value = data.loc[i, name]
        warn("bad_number", f"{excerpt(value)} is not a number{amount_hint(value)}: left empty", int(excel_row[i]), name)
    for i in data.index[unicode_digits(data[name]) & ~bad_values]:
        message = f"{excerpt(data.loc[i, name])} is written in non-ASCII digits: read as {values[i]:g}"
        warn("unicode_digits", message, int(excel_row[i]), name)
    if name in _REQUIRED_FIGURES:
        for i in data.index[values.isna() & ~bad_values & ends.notna()]:
            message = f"{name} is required and missing: KPIs using it stay empty"
            warn("missing_figure", message, int(excel_row[i]), name)
    for i in data.index[values < 0]:
        warn("negative_amount", f"{name} is negative ({values[i]:,.2f}): check the sign", int(excel_row[i]), name)
    return values


def _check_rows(out: pd.DataFrame, excel_row: pd.Series, warn: _Warn) -> None:
    """Receivables not due above the receivables; two rows with the same period end and length."""
    nd, r = out["receivables_not_due"], out["receivables"]
    for i in out.index[(nd > r + 0.005)]:
        warn(
            "not_due_above_total",
            f"receivables not due {nd[i]:,.2f} exceed the receivables {r[i]:,.2f}",
            int(excel_row[i]),
            "receivables_not_due",
        )
    keep = out["period_end"].notna()
    freq = _frequency_of(out["period_days"])
    dup = out[keep].assign(_f=freq[keep]).duplicated(["period_end", "_f"], keep=False)
    for i in dup[dup].index:
        warn(
            "duplicate_period",
            f"another row has the same period end {out.loc[i, 'period_end']:%d/%m/%Y} and length",
            int(excel_row[i]),
            "period_end",
        )


def _check_months_vs_year(figures: pd.DataFrame, report: LoadReport, sheet: str) -> None:
    """Warn when 12 monthly revenues ending on a year end do not add up to the annual revenue."""
    freq = _frequency_of(figures["period_days"])
    months = figures[freq == "month"]
    for _, year in figures[freq == "year"].iterrows():
        end = year["period_end"]
        window = _window(months.drop_duplicates("period_end"), end, "month", 12)
        if len(window) != 12 or window["period_end"].max() != end:  # a rolling year ending mid-month: no months
            continue
        total = float(window["revenue"].sum())
        if not math.isnan(year["revenue"]) and abs(total - float(year["revenue"])) > 1.0:
            report.problems.append(
                Problem(
                    "warning",
                    "months_vs_year",
                    f"the 12 months to {end:%d/%m/%Y} add up to revenue {total:,.2f} but the year says "
                    f"{float(year['revenue']):,.2f}",
                    file=report.file,
                    sheet=sheet,
                    column="revenue",
                )
            )


def load_kpi_input(path: str | Path) -> pd.DataFrame:
    """The ``working_capital`` table of a filled template (.xlsx), for ``cashmission kpi``.

    Warnings of the load are not returned here; call :func:`read_kpi_template` for the
    :class:`~cashmission.problems.LoadReport`.  A FEC is read by ``cashmission.io.fec``.

    Raises
    ------
    InputError : the file is not an Excel workbook (.xlsx, .xlsm).
    """
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise fail(
            "unsupported_format",
            f"expected a filled KPI template (.xlsx, .xlsm) or a FEC; got {p.name!r}",
            file=str(p),
        )
    figures, _ = read_kpi_template(p)
    return figures


# --------------------------------------------------------------------------- demo
def _demo_figures() -> pd.DataFrame:
    """Invented round figures (years 2024, 2025 and the 12 months of 2025) for hand-checked tests."""
    seasonal = [0.07, 0.075, 0.09, 0.085, 0.08, 0.095, 0.085, 0.055, 0.09, 0.09, 0.085, 0.1]
    revenue_2025 = 26_400_000.0
    ends = pd.date_range("2025-01-31", periods=12, freq="ME")
    rows = []
    for k, (end, share) in enumerate(zip(ends, seasonal, strict=True)):
        rev = round(revenue_2025 * share, -3)
        purchases = round(rev * 0.55, -3)
        rows.append(
            {
                "period_label": end.strftime("%m/%Y"),
                "period_end": end,
                "period_days": int(end.days_in_month),
                "revenue": rev,
                "vat_collected": round(rev * 0.2, -2),
                "receivables": round(5_200_000 + 40_000 * k - (150_000 if end.month == 12 else 0), -3),
                "receivables_not_due": round(3_400_000 + 15_000 * k, -3),
                "factored_receivables": 600_000.0,
                "discounted_receivables": 100_000.0,
                "payables": round(3_100_000 + 20_000 * k, -3),
                "purchases": purchases,
                "vat_deductible": round(purchases * 0.2, -2),
                "purchases_raw_materials": round(purchases * 0.6, -3),
                "purchases_goods": round(purchases * 0.15, -3),
                "stock_raw_materials": round(1_300_000 + 10_000 * k, -3),
                "stock_goods": 400_000.0,
                "stock_finished_goods": round(2_100_000 + 25_000 * k, -3),
            }
        )
    months = pd.DataFrame(rows)
    dec = months.iloc[-1]
    year_n = {
        **dec.to_dict(),
        **{c: float(months[c].sum()) for c in WORKING_CAPITAL_FLOWS},
        "period_label": "Exercice 2025",
        "period_days": 365,
    }
    year_n1 = {
        "period_label": "Exercice 2024",
        "period_end": pd.Timestamp("2024-12-31"),
        "period_days": 366,
        "revenue": 24_000_000.0,
        "vat_collected": 4_800_000.0,
        "receivables": 4_600_000.0,
        "receivables_not_due": 3_300_000.0,
        "factored_receivables": 500_000.0,
        "discounted_receivables": 100_000.0,
        "payables": 3_000_000.0,
        "purchases": 13_200_000.0,
        "vat_deductible": 2_640_000.0,
        "purchases_raw_materials": 7_900_000.0,
        "purchases_goods": 2_000_000.0,
        "stock_raw_materials": 1_250_000.0,
        "stock_goods": 380_000.0,
        "stock_finished_goods": 1_950_000.0,
    }
    return pd.concat([pd.DataFrame([year_n1, year_n]), months], ignore_index=True)


def write_all_templates(root: str | Path) -> list[Path]:
    """Regenerate the two blank templates and the round-figure test workbook under the project ``root``.

    The demo's workbook (``data_samples/demo/working_capital.xlsx``) is written by the
    sample generator from the sample's ledger (:mod:`cashmission.samples.working_capital`).
    """
    root = Path(root)
    return [
        write_kpi_template(root / "cashmission" / "templates" / "working_capital_template.xlsx"),
        write_kpi_template(root / "templates" / "working_capital_template.xlsx"),
        write_kpi_template(root / "tests" / "data" / "working_capital_round.xlsx", _demo_figures()),
    ]


if __name__ == "__main__":  # pragma: no cover
    for written in write_all_templates(Path(__file__).resolve().parents[2]):
        print(written)  # noqa: T201
