"""`cashmission anonymize`: a pseudonymised copy of a mission's files, for training and sharing."""

from __future__ import annotations

from pathlib import Path

import click

from cashmission.cli.errors import friendly


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.argument("out", nargs=1, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--secret",
    default=None,
    help="Key of the aliases: the same secret gives the same aliases on every extract (default: a random key, "
    "aliases differ from run to run).",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the correspondence original → alias to this CSV (keep it out of anything shared).",
)
@friendly
def anonymize(sources: tuple[Path, ...], out: Path, secret: str | None, key_file: Path | None) -> None:
    """Pseudonymise SOURCES (files or folders) into OUT: names, ids, SIRENs and references replaced by aliases.

    The same customer gets the same alias in every file; amounts, dates and every other
    cell are copied as read, so every figure is unchanged.  Of an Excel file only the
    data sheet is kept.
    """
    from cashmission.samples.anonymize import anonymise

    if out.resolve() in {s.resolve() for s in sources}:
        raise click.ClickException("OUT must be a new folder, not one of the sources")
    report = anonymise(sources, out, secret=secret, key_file=key_file)
    for source, written, rows in report.files:
        click.echo(f"{source} → {out / written} ({rows} lignes)")
    counts = ", ".join(f"{role} {n}" for role, n in sorted(report.replaced.items()))
    click.echo(f"Valeurs d'origine connues : {report.originals} ; cellules remplacées : {counts or 'aucune'}")
