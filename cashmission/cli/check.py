"""`cashmission check`: validate an input file and print what was read."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cashmission.cli.errors import friendly
from cashmission.cli.values import input_options, parse_sheet
from cashmission.problems import InputError, LoadReport


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--table",
    "table_name",
    default="open_items",
    show_default=True,
    type=click.Choice(["open_items", "customers", "payments", "disputes", "dunning"]),
    help="Canonical table the file should fill (ignored for a FEC).",
)
@click.option("--sheet", default=None, help="Excel sheet name or number (default: the first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--max-problems", default=20, show_default=True, help="Problems listed in table format.")
@input_options
@friendly
def check(
    file: Path,
    table_name: str,
    sheet: str | None,
    fmt: str,
    max_problems: int,
    mapping: dict[str, str] | None,
    date_order: str | None,
) -> None:
    """Validate an input file and print what was read: rows, columns, control totals, problems.

    A FEC (Fichier des Écritures Comptables) is recognised by its header and checked
    against the FEC rules; any other file is read as TABLE.  Exit status 1 when the
    file has errors.
    """
    report = check_report(file, table_name, sheet, mapping=mapping, date_order=date_order)
    if fmt == "json":
        summary = {**report.summary(), "columns": report.columns, "problems": [str(p) for p in report.problems]}
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(format_report(report, max_problems))
    if report.errors:
        sys.exit(1)


def check_report(
    file: Path,
    table_name: str,
    sheet: str | None,
    *,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
) -> LoadReport:
    """The load report of ``file``: a FEC (:func:`cashmission.io.fec.is_fec`) read and checked, else TABLE.

    ``mapping`` and ``date_order`` go to the export's loader; a FEC needs neither.
    """
    from cashmission.io import exports, fec, fec_validation

    if fec.is_fec(file):
        try:
            lines, report = fec.read_fec(file)
        except InputError as err:
            return LoadReport(file=str(file), kind="fec", problems=[err.problem])
        report.problems.extend(fec_validation.validate_fec(lines, file_name=file.name))
        return report
    return exports.check_file(file, table=table_name, mapping=mapping, sheet=parse_sheet(sheet), date_order=date_order)


def format_report(report: LoadReport, max_problems: int) -> str:
    """The load report as text: source, counts, control totals, columns, then the problems (errors first)."""
    s = report.summary()
    lines = [
        f"{report.file} ({report.kind}{', sheet ' + str(report.sheet) if report.sheet else ''}"
        f"{', ' + report.encoding if report.encoding else ''})"
    ]
    lines.append(f"  rows read {s['rows_read']:>10,}   kept {s['rows_kept']:>10,}   dropped {s['rows_dropped']:>8,}")
    for part in ("total", "debit", "credit"):
        lines.append(f"  {part:<7} read {s[part + '_read']:>18,.2f}   kept {s[part + '_kept']:>18,.2f}")
    for key, value in report.extra.items():
        lines.append("  " + control_line(value) if key == "control_total" else f"  {key}: {value}")
    if report.columns:
        lines.append("  columns: " + ", ".join(f"{k} <- {v!r}" for k, v in report.columns.items()))
    if report.ignored_columns:
        lines.append("  ignored columns: " + ", ".join(repr(c) for c in report.ignored_columns))
    return "\n".join(lines + _problem_lines(report, max_problems))


def control_line(control: Any, lang: str = "en") -> str:
    """The file's own totals row against the items read: ``control total (row 6, 'TOTAL'): 1,200.00; ...``."""
    from cashmission.cli.values import number
    from cashmission.report.labels import label

    if control["ties"]:
        verdict = label("cli_control_ties", lang)
    else:
        verdict = label("cli_control_gap", lang).format(
            items=number(control["items"], lang), gap=number(control["gap"], lang)
        )
    return label("cli_control", lang).format(
        row=control["row"], label=repr(control["label"]), amount=number(control["amount"], lang), verdict=verdict
    )


def _problem_lines(report: LoadReport, max_problems: int) -> list[str]:
    lines = [f"  {len(report.errors)} error(s), {len(report.warnings)} warning(s)"]
    counts = report.warning_counts()
    if counts:
        lines.append("  warnings by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    order = {"error": 0, "warning": 1, "info": 2}
    shown = sorted(report.problems, key=lambda p: order.get(p.level, 3))[:max_problems]
    lines += [f"  - {p}" for p in shown]
    rest = len(report.problems) - len(shown)
    if rest > 0:
        lines.append(f"  ... {rest} more (use --format json or --max-problems)")
    return lines
