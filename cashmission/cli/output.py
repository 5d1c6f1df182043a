"""Tables out of the command line: a text table, CSV, JSON or an Excel workbook, to stdout or a file.

CSV and Excel write client text through :func:`cashmission.report.exports.neutralise_text`
(no formula injection); numbers stay numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

FORMATS_TABLE = ("table", "csv", "xlsx", "json")
CSV_DIALECTS = ("plain", "excel-fr")


def rounded(table: Any) -> Any:
    """Amounts to the cent and rates (``*_rate``, ``share``) to 6 decimals, for csv / json output."""
    out = table.copy()
    for col in out.select_dtypes("float").columns:
        rate = str(col).endswith("rate") or "share" in str(col)
        out[col] = out[col].round(6 if rate else 2)
    return out


def emit(
    table: Any, fmt: str, output: Path | None, lang: str, title: str, source: dict[str, object] | None = None
) -> None:
    """Write ``table`` in ``fmt`` (table, csv, json, xlsx) to ``output``, or print it (xlsx needs a file).

    The CSV flavour comes from the command's ``--csv`` option (``excel-fr``: written with a
    BOM to a file); ``source`` (files, control totals, parameters) becomes the workbook's
    Source sheet.
    """
    if fmt == "xlsx":
        _write_xlsx(table, output, lang, title, source)
        return
    dialect = _csv_dialect()
    text = render(table, fmt, lang, title, dialect)
    if output is not None:
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" and dialect == "excel-fr" else "utf-8")
        click.echo(f"Written {output}")
    else:
        click.echo(text)


def source_of(report: Any, parameters: dict[str, object]) -> dict[str, object]:
    """The Source sheet of a workbook: the file read (its name), rows and control totals, then the parameters."""
    summary = {k: v for k, v in report.summary().items() if not isinstance(v, dict | list)}
    if summary.get("file"):
        summary["file"] = Path(str(summary["file"])).name  # the name, not the consultant's folders
    return {**summary, **{k: v for k, v in parameters.items() if v is not None}}


def _csv_dialect() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("cashmission.csv", "plain") if ctx is not None else "plain"


def render(table: Any, fmt: str, lang: str, title: str, csv_dialect: str = "plain") -> str:
    """``table`` as text: CSV (client text neutralised), JSON records, or a titled text table.

    CSV ``excel-fr``: semicolon separator and decimal comma (what a French Excel expects);
    amounts to the cent in both flavours.
    """
    from cashmission.report import views
    from cashmission.report.exports import neutralise_frame

    if fmt == "csv":
        shown = neutralise_frame(rounded(table))
        if csv_dialect == "excel-fr":
            return shown.to_csv(index=False, sep=";", decimal=",")
        return shown.to_csv(index=False)
    if fmt == "json":
        return rounded(table).to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    return title + "\n" + views.text_table(table, lang=lang)


def _write_xlsx(table: Any, output: Path | None, lang: str, title: str, source: dict[str, object] | None) -> None:
    if output is None:
        raise click.ClickException("--format xlsx needs --output FILE.xlsx")
    from cashmission.report.excel import write_workbook

    write_workbook({title[:31]: table}, output, lang=lang, source=source)
    click.echo(f"Written {output}")
