"""Tables out of the command line: a text table, CSV, JSON or an Excel workbook, to stdout or a file.

CSV and Excel write client text through :func:`cashmission.report.exports.neutralise_text`
(no formula injection); numbers stay numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

FORMATS_TABLE = ("table", "csv", "xlsx", "json")


def rounded(table: Any) -> Any:
    """Amounts to the cent and rates (``*_rate``, ``share``) to 6 decimals, for csv / json output."""
    out = table.copy()
    for col in out.select_dtypes("float").columns:
        rate = str(col).endswith("rate") or "share" in str(col)
        out[col] = out[col].round(6 if rate else 2)
    return out


def emit(table: Any, fmt: str, output: Path | None, lang: str, title: str) -> None:
    """Write ``table`` in ``fmt`` (table, csv, json, xlsx) to ``output``, or print it (xlsx needs a file)."""
    if fmt == "xlsx":
        _write_xlsx(table, output, lang, title)
        return
    text = render(table, fmt, lang, title)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Written {output}")
    else:
        click.echo(text)


def render(table: Any, fmt: str, lang: str, title: str) -> str:
    """``table`` as text: CSV (client text neutralised), JSON records, or a titled text table."""
    from cashmission.report import views
    from cashmission.report.exports import neutralise_frame

    if fmt == "csv":
        return neutralise_frame(rounded(table)).to_csv(index=False)
    if fmt == "json":
        return rounded(table).to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    return title + "\n" + views.text_table(table, lang=lang)


def _write_xlsx(table: Any, output: Path | None, lang: str, title: str) -> None:
    if output is None:
        raise click.ClickException("--format xlsx needs --output FILE.xlsx")
    from cashmission.report.excel import write_workbook

    write_workbook({title[:31]: table}, output, lang=lang)
    click.echo(f"Written {output}")
