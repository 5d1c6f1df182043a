"""Command-line values checked where they are read: dates, bucket edges, payment terms, sheets, mapping, date order.

A bad value stops the command with one line naming the option and quoting the value
(at most 60 characters, :func:`cashmission.problems.excerpt`), exit status 1: the parameter types raise
:class:`click.ClickException`, not click's usage error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import click

from cashmission.problems import excerpt

MAX_TERMS_DAYS = 365

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRENCH = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def parse_date(text: str, option: str = "--as-of") -> Any:
    """A calendar date given explicitly, as ``yyyy-mm-dd`` or ``dd/mm/yyyy``, as a pandas Timestamp.

    Rules: surrounding spaces are ignored; anything else (empty, ``now``, ``today``,
    ``-1``, a day that does not exist such as 31 February) raises a one-line
    :class:`click.ClickException` naming ``option``: the date of an aged balance is
    never taken from the clock.

    >>> parse_date("2025-02-28"), parse_date("31/12/2024")
    (Timestamp('2025-02-28 00:00:00'), Timestamp('2024-12-31 00:00:00'))
    """
    import pandas as pd

    s = str(text).strip()
    iso, french = _ISO.fullmatch(s), _FRENCH.fullmatch(s)
    try:
        if iso:
            day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif french:
            day = dt.date(int(french[3]), int(french[2]), int(french[1]))
        else:
            raise ValueError
    except ValueError:
        raise click.ClickException(
            f"{option} {excerpt(text)} is not a date: give it as yyyy-mm-dd or dd/mm/yyyy, e.g. 2026-03-31"
        ) from None
    return pd.Timestamp(day)


def parse_buckets(text: str) -> tuple[int, ...]:
    """Bucket edges from ``--buckets``, by :func:`cashmission.ledger.buckets.parse_edges` (the one parser).

    >>> parse_buckets("0,30,60")
    (0, 30, 60)
    """
    from cashmission.ledger.buckets import parse_edges

    try:
        return parse_edges(text)
    except ValueError as err:
        raise click.ClickException(f"--buckets: {err}") from None


def parse_terms(text: str) -> int:
    """Payment terms in whole days from ``--terms``: 0 to 365.

    >>> parse_terms("45")
    45
    """
    s = str(text).strip()
    if not re.fullmatch(r"\d{1,6}", s) or int(s) > MAX_TERMS_DAYS:
        raise click.ClickException(
            f"--terms {excerpt(text)} is not a payment term: give whole days from 0 to {MAX_TERMS_DAYS}, e.g. 30"
        )
    return int(s)


def parse_sheet(sheet: str | None) -> str | int | None:
    """An Excel sheet given by name, or by number when all digits (0 = the first).

    >>> parse_sheet("2"), parse_sheet("Balance"), parse_sheet(None)
    (2, 'Balance', None)
    """
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def read_mapping(ctx: click.Context | None, param: click.Parameter | None, value: Any) -> dict[str, str] | None:
    """``--mapping MAP.yml`` as a dict (canonical -> header), by :func:`cashmission.mission.config.load_mapping`.

    A bad file (not found, not YAML, a header that is not a text) stops the command in one line.
    """
    from cashmission.mission.config import load_mapping
    from cashmission.problems import InputError

    if value is None:
        return None
    try:
        return load_mapping(value)
    except InputError as err:
        raise click.ClickException("--mapping: " + str(err).removeprefix("error: ")) from None


def read_date_order(ctx: click.Context | None, param: click.Parameter | None, value: bool | None) -> str | None:
    """``--dayfirst`` / ``--monthfirst`` as a date order (``"dayfirst"``, ``"monthfirst"``), or ``None`` to detect it.

    >>> read_date_order(None, None, False), read_date_order(None, None, None)
    ('monthfirst', None)
    """
    if value is None:
        return None
    return "dayfirst" if value else "monthfirst"


def input_options(func: Any) -> Any:
    """The options of every command that reads an export: ``--mapping`` and ``--dayfirst/--monthfirst``."""
    func = click.option(
        "--dayfirst/--monthfirst",
        "date_order",
        default=None,
        callback=read_date_order,
        help="Read dates a/b/yyyy day first (dd/mm/yyyy) or month first (mm/dd/yyyy, US). "
        "Default: detected per date column (a field above 12 tells), else day first.",
    )(func)
    return click.option(
        "--mapping",
        "mapping",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=read_mapping,
        help="YAML file of 'canonical: header' lines naming the file's columns (as mission.yml's mapping:), "
        "e.g. 'customer_id: Tiers'.",
    )(func)


class _Checked(click.ParamType):
    """A click parameter type whose bad values end the command in one line (exit 1)."""

    def __init__(self, name: str, parse: Any) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # already converted (a default)
        return self._parse(value)


DATE = _Checked("DATE", parse_date)
BUCKETS = _Checked("EDGES", parse_buckets)
TERMS = _Checked("DAYS", parse_terms)


def terms_options(terms_help: str, *, customers: bool = True) -> Any:
    """The options that give a FEC its due dates: ``--terms N``, ``--end-of-month``, ``--customers MASTER``.

    ``--customers`` only with ``customers``; ``terms_help`` says what the terms are used for in the command.
    """

    def add(func: Any) -> Any:
        if customers:
            func = click.option(
                "--customers",
                "customers",
                type=click.Path(dir_okay=False, exists=True, path_type=Path),
                default=None,
                help="For a FEC: the customer master (CSV/Excel with payment terms per customer, "
                "e.g. 'Délai de paiement', 'Fin de mois'); its terms override --terms for those customers.",
            )(func)
        func = click.option(
            "--end-of-month", is_flag=True, help="With --terms: terms count from the end of the month."
        )(func)
        return click.option("--terms", "terms", type=TERMS, default=None, help=terms_help)(func)

    return add


def output_options(func: Any) -> Any:
    """``--format table|csv|xlsx|json``, ``--csv plain|excel-fr`` and ``--output/-o FILE`` of table commands.

    ``--csv`` is not passed to the command: :func:`cashmission.cli.output.emit` reads it
    from the click context (:func:`csv_option`).
    """
    from cashmission.cli.output import FORMATS_TABLE

    func = csv_option(func)
    func = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Output file (required for xlsx; default stdout for csv/json/table).",
    )(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS_TABLE), default="table", show_default=True)(func)


def csv_option(func: Any) -> Any:
    """``--csv plain|excel-fr``: ``excel-fr`` writes the CSV a French Excel opens in columns on a double-click
    (semicolon, decimal comma, UTF-8 with BOM); kept in the click context for ``emit``."""
    from cashmission.cli.output import CSV_DIALECTS

    def keep(ctx: click.Context, _param: click.Parameter, value: str) -> str:
        ctx.meta["cashmission.csv"] = value
        return value

    return click.option(
        "--csv",
        "csv_dialect",
        type=click.Choice(CSV_DIALECTS),
        default="plain",
        show_default=True,
        expose_value=False,
        callback=keep,
        help="CSV flavour: plain (comma, decimal point, UTF-8) or excel-fr (semicolon, decimal comma, UTF-8 "
        "with BOM: a French Excel opens it in columns).",
    )(func)


def number(x: float, lang: str, decimals: int = 2) -> str:
    """A figure of the command's notes: ``1 250,00`` in French, ``1,250.00`` in English (plain spaces)."""
    import math

    from cashmission.report.formats import format_number
    from cashmission.report.labels import NBSP

    if lang == "en" or not math.isfinite(float(x)):
        return f"{x:,.{decimals}f}"
    return format_number(x, decimals, "fr").replace(NBSP, " ").replace("\u202f", " ")
