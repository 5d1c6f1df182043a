"""An export's own totals row (*ligne de total*): taken out of the items and kept as the file's control total.

A step of :func:`cashmission.io.exports.load_table`, on its shared state, after the
amounts are read and before the dates are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cashmission.io.parsing import parse_dates
from cashmission.io.presets import _key
from cashmission.problems import excerpt

if TYPE_CHECKING:
    from cashmission.io.export_steps import _Load

TOTAL_LABELS = ("Total", "Totaux", "Total général", "Grand total", "Total TTC")
"""Labels of a totals row (*ligne de total*), matched ignoring case, accents and punctuation."""
_TOTAL_KEYS = {_key(label) for label in TOTAL_LABELS}


def totals_row(c: _Load, amount_read: pd.Series | None) -> pd.Series | None:
    """Take the file's totals row out of the items and keep it as the control total.

    The last row is a totals row when a text cell reads :data:`TOTAL_LABELS` and it
    has an amount, and either the amount is the sum of the rows above (to the cent) or
    the row has no date (an item always has one: a customer named "Total" stays an
    item).  The row is not an item: not read, not in ``total_read``; the report says
    whether the items tie to it.  Returns the amounts read without it.
    """
    if amount_read is None or len(c.raw) < 2:
        return amount_read
    last = c.idx[-1]
    label = _total_label(c, last)
    if label is None or last in c.ragged or bool(c.drop[last]) or pd.isna(amount_read[last]):
        return amount_read
    control = round(float(amount_read[last]), 2)
    items = amount_read.drop(index=last)
    items_total = round(float(items.sum()), 2)
    gap = round(items_total - control, 2)
    if abs(gap) >= 0.005 and _has_date(c, last):
        return amount_read
    c.raw, c.drop = c.raw.drop(index=last), c.drop.drop(index=last)
    c.out = {k: v.drop(index=last) for k, v in c.out.items()}
    c.extra = {k: v.drop(index=last) for k, v in c.extra.items()}
    ties = abs(gap) < 0.005
    c.control = {"row": int(last), "label": label, "amount": control, "items": items_total, "gap": gap, "ties": ties}
    found = f"totals row ({excerpt(label)}), not an item: control total {control:,.2f}"
    if ties:
        c.P.add("info", "totals_row", f"{found}, the items add up to it", row=int(last))
    else:
        c.P.add(
            "warning",
            "totals_row_gap",
            f"{found}, the items add up to {items_total:,.2f} (gap {gap:,.2f})",
            row=int(last),
        )
    return items


def _total_label(c: _Load, row: int) -> str | None:
    """The text cell of ``row`` that reads like a total (:data:`TOTAL_LABELS`), outside the amount columns."""
    amounts = {c.cols[k] for k in ("amount", "debit", "credit", "amount_gross") if k in c.cols}
    for src in c.raw.columns:
        value = c.raw.at[row, src]
        if src not in amounts and isinstance(value, str) and _key(value) in _TOTAL_KEYS:
            return value.strip()
    return None


def _has_date(c: _Load, row: int) -> bool:
    """True when a date column of ``row`` holds a readable date (in either order)."""
    for canon in c.of_kind("date"):
        cell = c.raw.loc[[row], c.cols[canon]]
        if any(parse_dates(cell, dayfirst=d)[0].notna().iloc[0] for d in (True, False)):
            return True
    return False
