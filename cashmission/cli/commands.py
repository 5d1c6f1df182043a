"""The ``cashmission`` command line.

Every command has ``--help``; input problems print one clear line (no traceback) and
exit with status 1.  Commands: demo, run, check, aging, kpi, sample, init, data-model.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from cashmission.problems import InputError, LoadReport

FORMATS_TABLE = ("table", "csv", "xlsx", "json")
BY_CHOICES = {
    "customer": ["customer_id"],
    "entity": ["entity"],
    "segment": ["segment"],
    "collector": ["collector"],
    "entity-customer": ["entity", "customer_id"],
    "currency": ["currency"],
    "none": None,
}


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn input errors into one line on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            # click prints "Error: "; the problem's own "error: " level prefix would double it
            raise click.ClickException(str(err).removeprefix("error: ")) from None
        except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as err:
            # a bad input path, or an output path (-o, --out) whose folder is missing or read-only
            raise click.ClickException(f"{err.strerror}: {err.filename}") from None
        except Exception as err:
            from cashmission.mission.runner import NotebookError
            from cashmission.report.pdf import PdfError

            if isinstance(err, (NotebookError, PdfError)):
                raise click.ClickException(str(err)) from None
            raise

    return wrapper


def _progress(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cashmission")
def main() -> None:
    """cashmission: cash-engineering mission toolkit.

    Aged balance, FEC ledger and working-capital KPIs from a client's exports, with
    reproducible HTML reports.  Start with `cashmission demo`.
    """


# --------------------------------------------------------------------------- demo / run
@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder that receives <client>/<as_of>/ with the reports.",
)
@click.option(
    "--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Language of the reports."
)
@click.option(
    "--pdf/--no-pdf",
    "pdf",
    default=None,
    help="Also print each report to an A4 PDF with headless Chromium.  Default: when Chromium is "
    "installed (otherwise one line says PDFs were skipped); --pdf fails without it.",
)
@_friendly
def demo(out: Path, lang: str, pdf: bool | None) -> None:
    """Run the demo mission on the bundled sample client and print where the reports are."""
    from cashmission.mission.config import demo_config

    _run_mission(demo_config(lang), out, pdf="auto" if pdf is None else pdf)


@main.command()
@click.argument("mission_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output root (default: the mission file's `output`).",
)
@click.option(
    "--pdf/--no-pdf",
    "pdf",
    default=None,
    help="Also print each report to an A4 PDF with headless Chromium (default: the mission file's `pdf`).",
)
@_friendly
def run(mission_file: Path, out: Path | None, pdf: bool | None) -> None:
    """Run the notebooks of a mission file (mission.yml) and render its reports."""
    from cashmission.mission.config import load_mission

    cfg = load_mission(mission_file)
    _run_mission(cfg, out, pdf=cfg.pdf if pdf is None else pdf)


def _want_pdf(pdf: bool | str) -> tuple[bool, str | None]:
    """Resolve ``pdf`` (True, False or ``"auto"``) to (print PDFs?, why they are skipped or None)."""
    from cashmission.report.pdf import find_chromium, missing_reason, require_chromium

    if pdf == "auto":
        if find_chromium() is None:
            return False, f"PDF reports skipped: {missing_reason()} (install it: apt-get install chromium)"
        return True, None
    if pdf:
        require_chromium()  # before the notebooks run: fail in a second, not after minutes
    return bool(pdf), None


def _run_mission(cfg: Any, out: Path | None, pdf: bool | str = False) -> None:
    """Run ``cfg``'s notebooks into ``cfg.output_dir(out)``; ``pdf``: True, False or ``"auto"``."""
    from cashmission.mission.runner import notebook_path, run_notebook

    want_pdf, skipped = _want_pdf(pdf)
    out_dir = cfg.output_dir(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = []
    for i, name in enumerate(cfg.notebooks, 1):
        _progress(f"[{i}/{len(cfg.notebooks)}] {name}: executing ...")
        res = run_notebook(
            notebook_path(name), out_dir, cfg.parameters(name, out_dir), pdf=want_pdf, progress=_progress
        )
        results.append(res)
        _progress(f"[{i}/{len(cfg.notebooks)}] {name}: done in {res.seconds:.1f} s")
    click.echo(f"Reports for {cfg.client} as of {cfg.as_of} ({time.perf_counter() - start:.1f} s):")
    for res in results:
        click.echo(f"  {res.html_path}")
        if res.pdf_path is not None:
            click.echo(f"  {res.pdf_path}")
    if skipped:
        click.echo(skipped)
    click.echo(f"All artefacts: {out_dir}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_friendly
def init(folder: Path) -> None:
    """Create FOLDER with a commented mission.yml to fill in for a new client."""
    from cashmission.mission.config import package_dir

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "mission.yml"
    if target.exists():
        raise click.ClickException(f"{target} exists already: not overwritten")
    target.write_text((package_dir() / "templates" / "mission.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "data").mkdir(exist_ok=True)
    click.echo(f"Created {target}; put the client's exports in {folder / 'data'} and edit the file.")


# --------------------------------------------------------------------------- check
@main.command()
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
@_friendly
def check(file: Path, table_name: str, sheet: str | None, fmt: str, max_problems: int) -> None:
    """Validate an input file and print what was read: rows, columns, control totals, problems.

    A FEC (Fichier des Écritures Comptables) is recognised by its header and checked
    against the FEC rules; any other file is read as TABLE.  Exit status 1 when the
    file has errors.
    """
    report = _check_report(file, table_name, sheet)
    if fmt == "json":
        click.echo(
            json.dumps(
                {**report.summary(), "columns": report.columns, "problems": [str(p) for p in report.problems]},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    else:
        click.echo(_format_report(report, max_problems))
    if report.errors:
        sys.exit(1)


def _check_report(file: Path, table_name: str, sheet: str | None) -> LoadReport:
    from cashmission.io import exports, fec, fec_validation

    if file.exists() and fec.is_fec(file):
        try:
            lines, report = fec.read_fec(file)
        except InputError as err:
            return LoadReport(file=str(file), kind="fec", problems=[err.problem])
        report.problems.extend(fec_validation.validate_fec(lines, file_name=file.name))
        return report
    return exports.check_file(file, table=table_name, mapping=None, sheet=_sheet(sheet))


def _sheet(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def _format_report(report: LoadReport, max_problems: int) -> str:
    s = report.summary()
    lines = [
        f"{report.file} ({report.kind}{', sheet ' + str(report.sheet) if report.sheet else ''}"
        f"{', ' + report.encoding if report.encoding else ''})"
    ]
    lines.append(f"  rows read {s['rows_read']:>10,}   kept {s['rows_kept']:>10,}   dropped {s['rows_dropped']:>8,}")
    for part in ("total", "debit", "credit"):
        lines.append(f"  {part:<7} read {s[part + '_read']:>18,.2f}   kept {s[part + '_kept']:>18,.2f}")
    for key, value in report.extra.items():
        lines.append(f"  {key}: {value}")
    if report.columns:
        lines.append("  columns: " + ", ".join(f"{k} <- {v!r}" for k, v in report.columns.items()))
    if report.ignored_columns:
        lines.append("  ignored columns: " + ", ".join(repr(c) for c in report.ignored_columns))
    lines.append(f"  {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    counts = report.warning_counts()
    if counts:
        lines.append("  warnings by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    order = {"error": 0, "warning": 1, "info": 2}
    shown = sorted(report.problems, key=lambda p: order.get(p.level, 3))[:max_problems]
    lines += [f"  - {p}" for p in shown]
    rest = len(report.problems) - len(shown)
    if rest > 0:
        lines.append(f"  ... {rest} more (use --format json or --max-problems)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- aging
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", required=True, help="Date of the aged balance, YYYY-MM-DD.")
@click.option(
    "--by",
    "by",
    type=click.Choice(list(BY_CHOICES)),
    default="customer",
    show_default=True,
    help="One row per customer, entity, segment, collector, ... or one total row (none).",
)
@click.option(
    "--basis",
    type=click.Choice(["due_date", "document_date"]),
    default="due_date",
    show_default=True,
    help="Age from the due date (overdue days) or the document date.",
)
@click.option("--buckets", default="0,30,60,90,180", show_default=True, help="Bucket edges in days, comma-separated.")
@click.option(
    "--gross",
    is_flag=True,
    help="Do not apply matched partial payments and credit notes (same lettering code) to their invoices: "
    "show invoices at their full amount and the credits in their own columns.",
)
@click.option(
    "--terms",
    "terms",
    type=click.IntRange(min=0),
    default=None,
    help="Payment terms in days when the file has no due date (a FEC never has one).",
)
@click.option("--end-of-month", is_flag=True, help="With --terms: terms count from the end of the month.")
@click.option(
    "--customers",
    "customers",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="For a FEC: the customer master (CSV/Excel with payment terms per customer, "
    "e.g. 'Délai de paiement', 'Fin de mois'); its terms override --terms for those customers.",
)
@click.option(
    "--ledger",
    type=click.Choice(["customers", "suppliers"]),
    default="customers",
    show_default=True,
    help="For a FEC: age the customer accounts (411…) or the supplier accounts (401…, payables).",
)
@click.option(
    "--sheet",
    default=None,
    help="Excel sheet name or number (0 = the first); default: the only sheet holding data "
    "(an error lists the sheets when several do).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Column labels for table and xlsx output.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS_TABLE), default="table", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (required for xlsx; default stdout for csv/json/table).",
)
@_friendly
def aging(
    files: tuple[Path, ...],
    as_of: str,
    by: str,
    basis: str,
    buckets: str,
    gross: bool,
    terms: int | None,
    end_of_month: bool,
    customers: Path | None,
    ledger: str,
    sheet: str | None,
    lang: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Aged balance (balance âgée) of FILES as of a date: open items exports or FECs.

    Several files are aged together, e.g. the FECs of a group's companies (each FEC
    is the entity named by the SIREN of its file name): use --by entity or
    entity-customer to keep them apart.

    Buckets always sum to the total; credit notes and unapplied cash have their own
    columns, except a partial payment or credit note matched to its invoice (same
    lettering code, not yet fully lettered), which is applied to it (--gross: not).
    The last row (TOTAL) is recomputed over all open items at once and the line
    printed after the table ties it to the file's control total.  With
    --by customer, a customer number found in several entities is kept apart per
    entity.  A FEC has no due dates: they come from --terms, said in the output.
    """
    from cashmission.ledger.ageing import aged_balance, open_at

    as_of_ts = _date(as_of, "--as-of")
    edges = _edges(buckets)
    import pandas as pd

    loaded = [_items_for_aging(f, terms, end_of_month, sheet, ledger, customers) for f in files]
    items = pd.concat([i for i, _ in loaded], ignore_index=True) if len(loaded) > 1 else loaded[0][0]
    keys = _grouping(items, by)
    table = aged_balance(items, as_of_ts, by=keys, basis=basis, edges=edges, net_matched=not gross)
    total = aged_balance(items, as_of_ts, by=None, basis=basis, edges=edges, net_matched=not gross)
    shown = _with_total_row(table, total, keys)
    if ledger == "suppliers":  # payables: supplier accounts, not customers
        shown = shown.rename(columns={"customer_id": "supplier_id", "customer_name": "supplier_name"})
    notes = [n for i, r in loaded for n in _aging_notes(i, r, as_of_ts)]
    if keys != BY_CHOICES[by]:
        notes.append("Some customer numbers exist in several entities: one row per entity and customer.")
    entities = [sorted(set(i["entity"].dropna().astype(str))) if "entity" in i.columns else [] for i, _ in loaded]
    shared = sorted(set.intersection(*(set(e) for e in entities))) if len(loaded) > 1 else []
    if shared:
        notes.append(
            f"Warning: several files hold entity {', '.join(shared)}: their items are added together; "
            "give each company's file its own entity (a column, or a FEC named <SIREN>FEC<date>)."
        )
    title = f"Balance âgée au {as_of}" if lang == "fr" else f"Aged balance as of {as_of}"
    _emit(shown, fmt, output, lang, title=title)
    # Reconciliation (on stderr when the table goes to stdout): the loader's control
    # total = aged total (open at as_of) + items not open at as_of (settled by then, or
    # dated after); the rows and the bucket + credit columns each add up to the aged total.
    from cashmission.ledger.buckets import CREDIT_KEYS, bucket_columns

    # a FEC's load report counts journal lines of every account: its kept figure is its items'
    kept = sum(float(i["amount"].sum()) if r.kind == "fec" else float(r.total_kept) for i, r in loaded)
    rows_read, rows_kept = sum(r.rows_read for _, r in loaded), sum(r.rows_kept for _, r in loaded)
    not_open = float(items["amount"].drop(index=open_at(items, as_of_ts).index).sum())
    aged_total = float(total["total"].iloc[0])
    parts = bucket_columns(total) + [c for c in CREDIT_KEYS if c in total.columns]
    gaps = {
        "file": aged_total + not_open - kept,
        "rows": float(table["total"].sum()) - aged_total,
        "columns": float(total[parts].to_numpy(dtype=float).sum()) - aged_total,
    }
    gaps = {k: round(v, 2) for k, v in gaps.items() if abs(v) >= 0.005}
    not_open = round(not_open, 2) + 0.0  # no "-0.00"
    to_stderr = output is None
    click.echo(
        f"\nRead {rows_read:,} rows, kept {rows_kept:,} (total {kept:,.2f}) = aged at {as_of} "
        f"{aged_total:,.2f} + not open at that date {not_open:,.2f}; rows and columns add up to the aged total: "
        + ("tied." if not gaps else "GAP " + ", ".join(f"{k} {v:,.2f}" for k, v in gaps.items())),
        err=to_stderr,
    )
    for note in notes:
        click.echo(note, err=to_stderr)
    for f, (_, r) in zip(files, loaded, strict=True):
        if r.warnings:
            click.echo(f"{len(r.warnings)} warning(s) in {f.name}: run `cashmission check {f}`", err=True)


def _grouping(items: Any, by: str) -> list[str] | None:
    """The ``--by`` keys; a customer number present in several entities is split by entity."""
    from cashmission.ledger.ageing import customer_keys

    keys = BY_CHOICES[by]
    return customer_keys(items) if keys == ["customer_id"] else keys


def _with_total_row(table: Any, total: Any, keys: list[str] | None) -> Any:
    """``table`` with a last row TOTAL taken from the ungrouped aged balance ``total``."""
    import pandas as pd

    if not keys:
        return table
    row = total.reset_index(drop=True).copy()
    for i, key in enumerate(keys):
        row.insert(i, key, "TOTAL" if i == 0 else "")
    if "customer_name" in table.columns:
        row.insert(len(keys), "customer_name", "")
    return pd.concat([table, row[table.columns]], ignore_index=True)


def _aging_notes(items: Any, report: LoadReport, as_of: Any) -> list[str]:
    """Sentences printed under the aged balance of one file: due dates derived, past date of an extract."""
    from cashmission.ledger import reconciliation

    notes = []
    if report.kind == "fec" and report.extra.get("due_dates"):
        name = Path(report.file).name
        notes.append(
            f"A FEC has no due date ({name}, entity {report.extra.get('entity')}): {report.extra['due_dates']}."
        )
    latest = reconciliation.snapshot_before_extraction(items, as_of)
    if latest is not None:
        notes.append(
            f"Warning: {report.file} is an extract of open items (no settlement dates) whose latest document "
            f"is dated {latest:%Y-%m-%d}: items paid between {as_of:%Y-%m-%d} and then are not in it, so this aged "
            "balance cannot tie to the balance sheet at that date. Use the customer ledger (with settlement "
            "dates) or the FEC for a past date."
        )
    return notes


def _items_for_aging(
    file: Path,
    terms: int | None,
    end_of_month: bool,
    sheet: str | None,
    ledger: str = "customers",
    customers: Path | None = None,
) -> tuple[Any, LoadReport]:
    from cashmission.io import fec
    from cashmission.ledger.sources import load_receivables

    is_fec = file.exists() and fec.is_fec(file)
    if terms is None and is_fec:
        raise click.ClickException("a FEC has no due dates: give --terms N (days), e.g. --terms 30")
    if ledger != "customers" and not is_fec:
        raise click.ClickException("--ledger suppliers needs a FEC (an export holds one ledger already)")
    fec_only = {"ledger": ledger, "customers": customers} if is_fec else {}
    return load_receivables(file, sheet=_sheet(sheet), terms_days=terms, end_of_month=end_of_month, **fec_only)


def _date(text: str, option: str) -> Any:
    import pandas as pd

    try:
        return pd.Timestamp(text).normalize()
    except (ValueError, TypeError):
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def _edges(text: str) -> tuple[int, ...]:
    try:
        edges = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: give whole days separated by commas, e.g. 0,30,60,90", param_hint="--buckets"
        ) from None
    if list(edges) != sorted(set(edges)) or edges[0] < 0:
        raise click.BadParameter(f"{text!r}: edges must be increasing and not negative", param_hint="--buckets")
    return edges


def _rounded(table: Any) -> Any:
    """Amounts to the cent and rates (``*_rate``, ``share``) to 6 decimals, for csv / json output."""
    out = table.copy()
    for col in out.select_dtypes("float").columns:
        rate = str(col).endswith("rate") or "share" in str(col)
        out[col] = out[col].round(6 if rate else 2)
    return out


def _emit(table: Any, fmt: str, output: Path | None, lang: str, title: str) -> None:
    from cashmission.report import views

    if fmt == "xlsx":
        if output is None:
            raise click.ClickException("--format xlsx needs --output FILE.xlsx")
        from cashmission.report.excel import write_workbook

        write_workbook({title[:31]: table}, output, lang=lang)
        click.echo(f"Written {output}")
        return
    if fmt in ("csv", "json"):
        table = _rounded(table)
    if fmt == "csv":
        text = table.to_csv(index=False)
    elif fmt == "json":
        text = table.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    else:
        text = title + "\n" + views.text_table(table, lang=lang)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Written {output}")
    else:
        click.echo(text)


# --------------------------------------------------------------------------- kpi
@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", default=None, help="Period end to report (default: the last one).")
@click.option(
    "--days",
    "days",
    type=click.Choice(["360", "365"]),
    default="365",
    show_default=True,
    help="Days in a year for annual ratios (360: Banque de France convention).",
)
@click.option(
    "--vat-rate",
    "vat_rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="VAT rate (0.20) to gross revenue and purchases up to TTC when the file gives no VAT "
    "collected / deductible; without it those DSO and DPO stay empty rather than mixing HT and TTC.",
)
@click.option(
    "--with-services",
    is_flag=True,
    help="For a FEC: purchases include external services (61, 62) besides 60, with their VAT, for DPO.",
)
@click.option(
    "--supplier-debits",
    type=click.Choice(["reclassify", "net"]),
    default="reclassify",
    show_default=True,
    help="For a FEC: suppliers with a debit balance are reclassified as assets, as on the balance sheet "
    "(reclassify), or netted against the other suppliers (net).",
)
@click.option(
    "--through",
    type=click.Choice(["last-entry", "fiscal-year-end"]),
    default="last-entry",
    show_default=True,
    help="For a FEC: monthly figures stop at the last month with entries (a file cut before its year end) "
    "or run to the fiscal year end.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_friendly
def kpi(
    file: Path,
    as_of: str | None,
    days: str,
    vat_rate: float | None,
    with_services: bool,
    supplier_debits: str,
    through: str,
    lang: str,
    fmt: str,
) -> None:
    """Working-capital KPIs (DSO, DPO, stock days, BFR, cash per day) of a FEC or a filled template.

    Each KPI is printed with its value, unit, convention and the formula, so that a
    finance director can check it by hand.
    """
    from cashmission.report import labels as report_labels
    from cashmission.report import views
    from cashmission.working_capital import table as working_capital_table
    from cashmission.working_capital.sources import load_working_capital

    figures, report = load_working_capital(
        file,
        include_services=with_services,
        reclassify_debit_suppliers=supplier_debits == "reclassify",
        through=through.replace("-", "_"),
    )
    if report.warnings:
        click.echo(f"{len(report.warnings)} warning(s) in {file.name}: run `cashmission check {file}`", err=True)
    for warning in working_capital_table.figure_warnings(figures):
        click.echo(f"Note: {warning}.", err=True)
    table = working_capital_table.kpi_table(
        figures, as_of=None if as_of is None else _date(as_of, "--as-of"), days_basis=int(days), vat_rate=vat_rate
    )
    title = "Indicateurs de BFR" if lang == "fr" else "Working-capital KPIs"
    if fmt != "table":
        _emit(table, fmt, None, lang, title=title)
        return
    from cashmission.working_capital import table as working_capital_table

    labels = [report_labels.label(k, lang) for k in table["kpi"]]
    values = [
        views.format_by_unit(v, u, lang).replace(report_labels.NBSP, " ").replace("\u202f", " ")
        for v, u in zip(table["value"], table["unit"], strict=True)
    ]
    width, vwidth = max(map(len, labels), default=0), max(map(len, values), default=0)
    end = _date(as_of, "--as-of") if as_of else figures["period_end"].max()
    lines = [f"{title}: {file.name}, {end:%Y-%m-%d} ({days}-day year)"]
    if lang == "fr":  # the formulas are written the English way; say so to a French reader
        lines.append("  " + report_labels.label("formula_note", lang))
    for label_, value, row in zip(labels, values, table.itertuples(index=False), strict=True):
        lines.append(f"  {label_:<{width}} {value:>{vwidth}}   {row.formula}")
        lines.append(f"  {'':<{width}} {'':>{vwidth}}   ({row.convention})")
    click.echo("\n".join(line for line in lines if line))


# --------------------------------------------------------------------------- sample / data-model
@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sample_data"),
    show_default=True,
    help="Folder to write the sample files into.",
)
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same files).")
@_friendly
def sample(out: Path, seed: int) -> None:
    """Generate the synthetic sample client (open items, ledger, customers, payments, ...)."""
    from cashmission.samples.generator import generate_sample, write_sample

    paths = write_sample(out, generate_sample(seed=seed))
    for path in paths.values():
        click.echo(f"  {path}")


@main.command("data-model")
def data_model() -> None:
    """Print the canonical tables (columns, types, meanings) as Markdown."""
    from cashmission.tables import data_model_markdown

    click.echo(data_model_markdown())


if __name__ == "__main__":  # pragma: no cover
    main()
