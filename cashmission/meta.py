"""Metadata that travels with a table (*métadonnées*): what it was read from, over which period, by which convention.

A table's figures are only right together with their context — the FEC file it came
from, the fiscal year and the months its flows cover, the accounts each column sums,
the payment terms that made its due dates.  That context is one of the typed, frozen
records below, attached to the DataFrame under a single ``attrs`` key (:data:`KEY`), so
that pandas carries it through copies and slices and every reader knows which fields
exist.  Use :func:`attach` and :func:`of`; never write loose ``attrs`` keys.

>>> import pandas as pd
>>> df = attach(pd.DataFrame({"a": [1]}), Period(start="2025-01-31", end="2025-12-31", months=11))
>>> of(df, Period).months
11
>>> of(df.copy(), Period) == of(df, Period)
True
>>> of(df, FecSource) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

KEY = "cashmission"
"""The one ``DataFrame.attrs`` key holding a table's metadata: ``{record class name: record}``."""


@dataclass(frozen=True)
class FecSource:
    """Where the lines of a FEC came from (:func:`cashmission.io.fec.read_fec`).

    ``bad_dates`` and ``unbalanced_reported`` let the validation (:mod:`cashmission.io.fec_validation`)
    skip what the reader's own report already says about the same lines.
    """

    file: str | None = None
    fiscal_year_end_from_name: pd.Timestamp | None = None
    bad_dates: Any = None
    unbalanced_reported: Any = None


@dataclass(frozen=True)
class FigureBasis:
    """How monthly working-capital figures were built from a FEC.

    Set by :func:`cashmission.working_capital.fec_figures.fec_monthly_figures`.

    ``convention`` maps each column to the accounts it sums (in words); ``fiscal_year`` is
    ``{"start", "end"}`` (ISO dates); ``through`` the last month end kept; ``stock_write_downs``
    the stock provisions (39x) per month end; ``period`` says which period the flows cover
    and why (opening entries, first and last entry, fiscal-year end).
    """

    convention: dict[str, str] = field(default_factory=dict)
    fiscal_year: dict[str, str] = field(default_factory=dict)
    through: str | None = None
    stock_write_downs: dict[str, float] = field(default_factory=dict)
    period: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Period:
    """The dates a derived table compares or covers (a DSO bridge, a working-capital tracking, a KPI series).

    ``start``/``end`` ISO dates; ``months`` the months between them (bridge); ``window`` the
    months of flows used (``"year"`` for annual rows); ``one_year_apart`` whether the two dates
    are a year apart (tracking); ``frequency`` and ``window_months`` for a KPI series.
    """

    start: str | None = None
    end: str | None = None
    months: int | None = None
    window: int | str | None = None
    one_year_apart: bool | None = None
    frequency: str | None = None
    window_months: int | None = None


@dataclass(frozen=True)
class LedgerNotes:
    """What rebuilding a ledger found on the way: problems and the due-date rule used.

    Set by :mod:`cashmission.ledger.fec_ledger` and :func:`cashmission.ledger.sources.load_receivables`.
    """

    problems: tuple[Any, ...] = ()
    due_dates: str | None = None


Record = TypeVar("Record", FecSource, FigureBasis, Period, LedgerNotes)


def attach(df: pd.DataFrame, record: FecSource | FigureBasis | Period | LedgerNotes) -> pd.DataFrame:
    """Attach ``record`` to ``df`` (in place, replacing a record of the same class) and return ``df``."""
    current = dict(df.attrs.get(KEY) or {})
    current[type(record).__name__] = record
    df.attrs[KEY] = current
    return df


def of(df: pd.DataFrame | pd.Series | None, cls: type[Record]) -> Record | None:
    """The ``cls`` record attached to ``df``; ``None`` when there is none (or ``df`` is not a pandas object)."""
    attrs = getattr(df, "attrs", None) or {}
    found = (attrs.get(KEY) or {}).get(cls.__name__)
    return found if isinstance(found, cls) else None
