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
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from cashmission.problems import Problem

KEY = "cashmission"
"""The one ``DataFrame.attrs`` key holding a table's metadata: ``{record class name: record}``."""


@dataclass(frozen=True)
class FecSource:
    """Where the lines of a FEC came from (:func:`cashmission.io.fec.read_fec`).

    ``file`` the file as given to the reader; ``fiscal_year_end_from_name`` the closing date its name gives
    (``None`` without one); ``bad_dates`` the line numbers (``line_no``) of the dates that
    are not valid, per date column; ``unbalanced_reported`` total debits − total credits
    when the reader reported the file unbalanced, else ``None``.  ``bad_dates`` and
    ``unbalanced_reported`` let the validation (:mod:`cashmission.io.fec_validation`) skip
    what the reader's own report already says about the same lines.  Lines without this
    record (a DataFrame built by hand) read as ``FecSource()``: no file, nothing reported.
    """

    file: str | None = None
    fiscal_year_end_from_name: pd.Timestamp | None = None
    bad_dates: dict[str, list[int]] = field(default_factory=dict)
    unbalanced_reported: float | None = None


@dataclass(frozen=True)
class FigureBasis:
    """How monthly working-capital figures were built from a FEC.

    Set by :func:`cashmission.working_capital.fec_figures.fec_monthly_figures`.

    ``convention`` maps each column to the accounts it sums (in words); ``fiscal_year`` is
    ``{"start", "end"}`` (ISO dates); ``through`` the last month end kept; ``stock_write_downs``
    the stock write-downs (39x) per month end (ISO date → amount, positive); ``period`` says
    which period the flows cover and why, the plain dict of
    :func:`cashmission.working_capital.fec_figures.fec_period` (opening entries, first and
    last entry, fiscal-year end).
    """

    convention: dict[str, str] = field(default_factory=dict)
    fiscal_year: dict[str, str] = field(default_factory=dict)
    through: str | None = None
    stock_write_downs: dict[str, float] = field(default_factory=dict)
    period: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Period:
    """The dates a derived table compares or covers (a DSO bridge, a working-capital tracking, a KPI series).

    - DSO bridge (:func:`cashmission.working_capital.bridge.dso_bridge_between`):
      ``start``, ``end`` (ISO dates) and ``months`` (months of revenue behind each DSO);
    - working-capital tracking (:func:`cashmission.working_capital.series.bfr_tracking`):
      ``start``, ``end``, ``window`` (months of flows at both dates, ``"year"`` for
      annual rows) and ``one_year_apart`` (whether the two dates are a year apart);
    - KPI series (:func:`cashmission.working_capital.series.kpi_series`): ``frequency``
      (``"month"`` or ``"year"``) and ``window_months`` (months of flows behind each
      monthly point, ``None`` for annual rows).

    The fields a table does not use stay ``None``.
    """

    start: str | None = None
    end: str | None = None
    months: int | None = None
    window: int | str | None = None
    one_year_apart: bool | None = None
    frequency: str | None = None
    window_months: int | None = None


@dataclass(frozen=True)
class TaxReturnBasis:
    """How a FEC's fiscal year was put as on the tax return (*liasse fiscale*).

    Set by :func:`cashmission.working_capital.tax_return.tax_return_view`: ``supplier_debits``
    (``"reclassify"`` or ``"net"``, see
    :data:`cashmission.working_capital.tax_return.SUPPLIER_DEBITS`), and ``start``, ``end``
    (ISO dates) and ``months`` of the fiscal year when it was given (else ``None``).
    """

    supplier_debits: str | None = None
    start: str | None = None
    end: str | None = None
    months: int | None = None


@dataclass(frozen=True)
class LedgerNotes:
    """What rebuilding a ledger found on the way: problems and the due-date rule used.

    ``problems`` the findings of :mod:`cashmission.ledger.fec_ledger` (placeholder dates);
    ``due_dates`` the due-date rule in words, set by
    :func:`cashmission.ledger.sources.load_receivables` (as ``report.extra["due_dates"]``).
    """

    problems: tuple[Problem, ...] = ()
    due_dates: str | None = None


AnyRecord = FecSource | FigureBasis | Period | TaxReturnBasis | LedgerNotes
"""Any of the records above (plain Python values only, so that pandas can compare and copy them)."""

Record = TypeVar("Record", FecSource, FigureBasis, Period, TaxReturnBasis, LedgerNotes)


def attach(df: pd.DataFrame, record: AnyRecord) -> pd.DataFrame:
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
