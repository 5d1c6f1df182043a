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
@click.option(
    "--allow-outside-paths",
    "allow_outside",
    is_flag=True,
    default=False,
    help="Let the mission file's data and output paths leave the mission folder (refused by default).",
)
@friendly
def run(mission_file: Path, out: Path | None, pdf: bool | None, allow_outside: bool) -> None:
    """Run the notebooks of a mission file (mission.yml) and render its reports."""
    from cashmission.mission.config import load_mission

    cfg = load_mission(mission_file, allow_outside=allow_outside)
    run_mission(cfg, out, pdf=cfg.pdf if pdf is None else pdf)


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


def run_mission(cfg: Any, out: Path | None, pdf: bool | str = False) -> None:
    """Run ``cfg``'s notebooks into ``cfg.output_dir(out)``; ``pdf``: True, False or ``"auto"``."""
    from cashmission.mission.runner import notebook_path, run_notebook

    with_pdf, skipped = want_pdf(pdf)
    out_dir = cfg.output_dir(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = []
    for i, name in enumerate(cfg.notebooks, 1):
        progress(f"[{i}/{len(cfg.notebooks)}] {name}: executing ...")
        res = run_notebook(notebook_path(name), out_dir, cfg.parameters(name, out_dir), pdf=with_pdf, progress=progress)
        results.append(res)
        progress(f"[{i}/{len(cfg.notebooks)}] {name}: done in {res.seconds:.1f} s")
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
