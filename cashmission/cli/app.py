"""The ``cashmission`` command line: the click group and the mission commands.

Every command has ``--help``; input problems print one clear line (no traceback) and
exit with status 1.  Commands: demo, run, init, sample, data-model (here), check
(:mod:`.check`), aging (:mod:`.aging`), kpi (:mod:`.kpi`), payers (:mod:`.payers`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from cashmission.cli.aging import aging
from cashmission.cli.anonymize import anonymize
from cashmission.cli.check import check
from cashmission.cli.errors import friendly, progress
from cashmission.cli.kpi import kpi
from cashmission.cli.lab import lab
from cashmission.cli.payers import payers


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
@friendly
def demo(out: Path, lang: str, pdf: bool | None) -> None:
    """Run the demo mission on the bundled sample client and print where the reports are."""
    from cashmission.mission.config import demo_config

    run_mission(demo_config(lang), out, pdf="auto" if pdf is None else pdf)


@main.command()
@click.argument("mission_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
@click.option(
    "--as-of",
    "--week",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as of this date (YYYY-MM-DD: this week's run) instead of the mission file's as_of.",
)
@click.option("--only", default=None, help="Run only these notebooks (comma-separated, from the mission's list).")
@click.option(
    "--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the reports (default: the file's)."
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Missions run at once (several mission files: a manager's Monday rerun).",
)
@click.option(
    "--allow-outside-paths",
    "allow_outside",
    is_flag=True,
    default=False,
    help="Let the mission file's data and output paths leave the mission folder (refused by default).",
)
@friendly
def run(
    mission_files: tuple[Path, ...],
    out: Path | None,
    pdf: bool | None,
    as_of: Any,
    only: str | None,
    lang: str | None,
    jobs: int,
    allow_outside: bool,
) -> None:
    """Run the notebooks of one or more mission files (mission.yml) and render their reports.

    Every mission file is validated whole before anything runs.  Each run goes to
    <output>/<client>/<as_of>/ with an index.html and a run.json; a run that did not
    finish leaves INCOMPLETE.txt and never an earlier run's reports.
    """
    from cashmission.mission.config import load_mission

    configs = [
        _overridden(load_mission(f, allow_outside=allow_outside), as_of, only, lang) for f in mission_files
    ]  # all validated before any runs
    if len(configs) == 1:
        run_mission(configs[0], out, pdf=configs[0].pdf if pdf is None else pdf)
        return
    _run_many(configs, out, pdf, jobs)


def _overridden(cfg: Any, as_of: Any, only: str | None, lang: str | None) -> Any:
    """``cfg`` with the command line's ``--as-of``, ``--only`` and ``--lang``."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    if as_of is not None:
        changes["as_of"] = f"{as_of:%Y-%m-%d}"
    if lang is not None:
        changes["lang"] = lang
    if only is not None:
        wanted = tuple(n.strip() for n in only.split(",") if n.strip())
        unknown = [n for n in wanted if n not in cfg.notebooks]
        if unknown or not wanted:
            raise click.ClickException(f"--only {only}: not in the mission's notebooks {list(cfg.notebooks)}")
        changes["notebooks"] = wanted
    return replace(cfg, **changes) if changes else cfg


def _run_many(configs: list[Any], out: Path | None, pdf: bool | None, jobs: int) -> None:
    """Several missions, ``jobs`` at a time (one process each); one line per mission, failures listed at the end."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    failures = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_run_one, cfg, out, cfg.pdf if pdf is None else pdf): cfg for cfg in configs}
        for i, future in enumerate(as_completed(futures), 1):
            cfg = futures[future]
            ok, message = future.result()
            progress(f"[{i}/{len(configs)}] {cfg.client}: {message}")
            if not ok:
                failures.append(f"{cfg.client}: {message}")
    if failures:
        raise click.ClickException(f"{len(failures)} of {len(configs)} missions failed: " + "; ".join(failures))
    click.echo(f"{len(configs)} missions run.")


def _run_one(cfg: Any, out: Path | None, pdf: bool) -> tuple[bool, str]:
    """One mission in a worker process: (finished?, where its reports are or why it failed)."""
    try:
        folder = run_mission(cfg, out, pdf=pdf, say=lambda _m: None, echo=False)
    except Exception as err:  # reported per mission; the other missions go on
        return False, str(err).splitlines()[0]
    return True, str(folder)


def want_pdf(pdf: bool | str) -> tuple[bool, str | None]:
    """Resolve ``pdf`` (True, False or ``"auto"``) to (print PDFs?, why they are skipped or None)."""
    from cashmission.report.pdf import find_chromium, missing_reason, require_chromium

    if pdf == "auto":
        if find_chromium() is None:
            return False, f"PDF reports skipped: {missing_reason()} (install it: apt-get install chromium)"
        return True, None
    if pdf:
        require_chromium()  # before the notebooks run: fail in a second, not after minutes
    return bool(pdf), None


def run_mission(cfg: Any, out: Path | None, pdf: bool | str = False, say: Any = None, echo: bool = True) -> Path:
    """Run ``cfg``'s notebooks into ``cfg.output_dir(out)``; ``pdf``: True, False or ``"auto"``.

    The folder is cleared of an earlier run's artefacts first; ``run.json`` and
    ``INCOMPLETE.txt`` say how far the run went; ``index.html`` links the reports with the
    key figures and their change since the client's earlier runs.  A failing notebook
    stops the run (what ran is kept) and raises its one-line error.
    """
    from cashmission.mission.runner import NotebookError, notebook_path, run_notebook
    from cashmission.mission.workflow import RunStatus, clear_previous, write_index, write_status

    say = say or progress
    with_pdf, skipped = want_pdf(pdf)
    out_dir = cfg.output_dir(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous(out_dir)
    status = RunStatus(cfg.client, cfg.as_of, list(cfg.notebooks))
    write_status(out_dir, status)
    start = time.perf_counter()
    results = []
    for i, name in enumerate(cfg.notebooks, 1):
        say(f"[{i}/{len(cfg.notebooks)}] {name}: executing ...")
        try:
            res = run_notebook(notebook_path(name), out_dir, cfg.parameters(name, out_dir), pdf=with_pdf, progress=say)
        except (NotebookError, Exception) as err:
            status.state, status.failed, status.error = "failed", name, str(err).splitlines()[0]
            status.seconds = round(time.perf_counter() - start, 1)
            write_status(out_dir, status)
            write_index(out_dir, status, cfg.lang)
            raise
        results.append(res)
        status.done.append(name)
        write_status(out_dir, status)
        say(f"[{i}/{len(cfg.notebooks)}] {name}: done in {res.seconds:.1f} s")
    status.state, status.seconds = "complete", round(time.perf_counter() - start, 1)
    write_status(out_dir, status)
    index = write_index(out_dir, status, cfg.lang)
    if echo:
        click.echo(f"Reports for {cfg.client} as of {cfg.as_of} ({time.perf_counter() - start:.1f} s):")
        for res in results:
            click.echo(f"  {res.html_path}")
            if res.pdf_path is not None:
                click.echo(f"  {res.pdf_path}")
        if skipped:
            click.echo(skipped)
        click.echo(f"Index: {index}")
        click.echo(f"All artefacts: {out_dir}")
    return out_dir


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@friendly
def init(folder: Path) -> None:
    """Create FOLDER with a commented mission.yml to fill in for a new client."""
    from cashmission.mission import package_dir

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "mission.yml"
    if target.exists():
        raise click.ClickException(f"{target} exists already: not overwritten")
    target.write_text((package_dir() / "templates" / "mission.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "data").mkdir(exist_ok=True)
    click.echo(f"Created {target}; put the client's exports in {folder / 'data'} and edit the file.")


# --------------------------------------------------------------------------- check / aging / kpi / payers
main.add_command(check)
main.add_command(aging)
main.add_command(kpi)
main.add_command(payers)
main.add_command(anonymize)
main.add_command(lab)


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
@friendly
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
