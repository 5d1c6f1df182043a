"""The problems of one file's rows, counted per code and listed up to a cap (*anomalies par ligne*)."""

from __future__ import annotations

from collections.abc import Iterable

from cashmission.problems import Problem


class RowProblems:
    """Collects problems for one file; row-level ones are listed up to ``cap`` per code.

    Every row problem is counted; past ``cap`` rows of one code, :meth:`finish` adds one
    summary problem giving the number not listed.
    """

    def __init__(self, file: str, sheet: str | None, cap: int):
        self.file, self.sheet, self.cap = file, sheet, cap
        self.items: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.levels: dict[str, str] = {}

    def add(self, level: str, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.items.append(
            Problem(
                level,  # type: ignore[arg-type]
                code,
                message,
                file=self.file,
                sheet=self.sheet,
                row=row,
                column=column,
            )
        )

    def rows(self, level: str, code: str, rows: Iterable[int], column: str | None, message: object) -> None:
        """One problem per row (``message`` is a str or a callable of the row)."""
        for r in rows:
            n = self.counts.get(code, 0)
            self.counts[code] = n + 1
            self.levels[code] = level
            if n < self.cap:
                text = message(r) if callable(message) else str(message)
                self.add(level, code, text, row=int(r), column=column)

    def more(self, level: str, code: str, n: int) -> None:
        """Count ``n`` more rows with problem ``code``, none of them listed."""
        if n > 0:
            self.counts[code] = self.counts.get(code, 0) + n
            self.levels[code] = level

    def finish(self) -> list[Problem]:
        for code, n in self.counts.items():
            if n > self.cap:
                self.add(
                    self.levels[code],
                    code,
                    f"{n - self.cap} more rows with this problem (not listed; {n} in all)",
                )
        return self.items
