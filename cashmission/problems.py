"""Problems found in input data, and the load report every loader returns.

"Nothing lost": every loader says what it read and what it kept (row counts and
control totals), and every problem names the file, sheet, row and column.  Fatal
problems raise :class:`InputError` (one clear line, no traceback at the CLI);
non-fatal ones are counted warnings in :attr:`LoadReport.problems`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pandas is imported where it is used: `cashmission --help` starts without it
    import pandas as pd

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """One finding about an input file.

    ``row`` is the 1-based line number in the file as a user sees it in a text
    editor or in Excel (header lines included), or ``None`` for file-level findings.
    """

    level: Level
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def where(self) -> str:
        """Location as ``file[sheet], row N, column C`` (parts that are known)."""
        parts = []
        if self.file:
            parts.append(self.file + (f"[{self.sheet}]" if self.sheet else ""))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{self.level}: {where + ': ' if where else ''}{self.message} [{self.code}]"


class InputError(ValueError):
    """A fatal input problem: the file cannot be used as it is.

    The message is one line naming the file (and sheet, row, column when known).
    """

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def fail(code: str, message: str, **where: object) -> InputError:
    """Build an :class:`InputError` for ``raise fail(...)``."""
    return InputError(Problem("error", code, message, **where))  # type: ignore[arg-type]


@dataclass
class LoadReport:
    """What a loader read and kept: counts, control totals and problems.

    Control totals are sums of the signed amount column: ``total`` = debits + credits,
    where debits are the positive amounts and credits the negative ones (a negative
    number).  ``*_read`` covers every data row that carried a parseable amount;
    ``*_kept`` covers the rows returned.  ``rows_read - rows_kept`` rows were dropped,
    and each dropped row has a problem saying why.
    """

    file: str
    kind: str
    sheet: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_kept: int = 0
    total_read: float = 0.0
    debit_read: float = 0.0
    credit_read: float = 0.0
    total_kept: float = 0.0
    debit_kept: float = 0.0
    credit_kept: float = 0.0
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> source header
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rows_dropped(self) -> int:
        return self.rows_read - self.rows_kept

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def warning_counts(self) -> dict[str, int]:
        """Number of warnings per problem code."""
        return dict(Counter(p.code for p in self.warnings))

    def set_totals(self, amounts_read: pd.Series, amounts_kept: pd.Series) -> None:
        """Fill the control totals from the signed amounts read and kept (NaN ignored)."""
        self.total_read, self.debit_read, self.credit_read = control_totals(amounts_read)
        self.total_kept, self.debit_kept, self.credit_kept = control_totals(amounts_kept)

    def summary(self) -> dict[str, object]:
        """Plain dict, for tables, JSON and notebooks."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "kind": self.kind,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_dropped": self.rows_dropped,
            "total_read": round(self.total_read, 2),
            "debit_read": round(self.debit_read, 2),
            "credit_read": round(self.credit_read, 2),
            "total_kept": round(self.total_kept, 2),
            "debit_kept": round(self.debit_kept, 2),
            "credit_kept": round(self.credit_kept, 2),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            **self.extra,
        }

    def problems_frame(self) -> pd.DataFrame:
        """Problems as a table (one row each), for worklists."""
        import pandas as pd

        cols = ["level", "code", "file", "sheet", "row", "column", "message"]
        return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in self.problems], columns=cols)


def control_totals(amounts: pd.Series) -> tuple[float, float, float]:
    """(total, debits, credits) of a signed amount series, rounded to the cent.

    >>> import pandas as pd
    >>> control_totals(pd.Series([100.0, -40.0, 10.5]))
    (70.5, 110.5, -40.0)
    """
    import pandas as pd

    a = pd.to_numeric(amounts, errors="coerce").dropna()
    debit = float(a[a > 0].sum())
    credit = float(a[a < 0].sum())
    return round(debit + credit, 2), round(debit, 2), round(credit, 2)


def is_missing(x: object) -> bool:
    """True for a missing scalar: ``None``, NaN, ``pd.NA`` or NaT (``False`` for anything ``pd.isna`` cannot judge).

    >>> import pandas as pd
    >>> [is_missing(v) for v in (None, float("nan"), pd.NaT, 0.0, "", [1, 2])]
    [True, True, True, False, False, False]
    """
    import pandas as pd

    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


EXCERPT_CHARS = 60
"""At most this many characters of a bad value are quoted in a message."""


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``repr`` of ``value`` for a message, its text cut to ``limit`` characters with an ellipsis.

    A 2 MB header cell is quoted as its first 59 characters and ``…``, never whole.

    >>> excerpt("Montant TTC"), excerpt(12.5), excerpt("x" * 100)[-4:], len(eval(excerpt("x" * 100)))
    ("'Montant TTC'", '12.5', "xx…'", 60)
    """
    text = repr(value)
    if len(text) <= limit + 2:  # + 2: the quotes
        return text
    return repr(shorten(str(value), limit))


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was longer.

    >>> shorten("Montant TTC"), len(shorten("x" * 100)), shorten("x" * 100)[-2:]
    ('Montant TTC', 60, 'x…')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
