"""The date columns of an export (*colonnes de dates*): each read in one order, day or month first, said in the report.

A step of :func:`cashmission.io.exports.load_table`, on its shared state.  The order
of a column is forced (``date_order``), else detected from its values
(:func:`cashmission.io.parsing.detect_date_order`), else the order of the file's other
date columns, else the default (``dayfirst``); a column that needs both orders stops
the load with ``mixed_date_order``, naming rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from cashmission.io.parsing import DateOrder, date_hint, detect_date_order, parse_dates
from cashmission.io.raw import _by_unique
from cashmission.problems import InputError, fail

if TYPE_CHECKING:
    from cashmission.io.export_steps import _Load


def _date_orders(c: _Load) -> dict[str, DateOrder]:
    """The order of each date column (forced, detected, the file's, or the default), said in the report.

    A column whose values need both orders is fatal (``mixed_date_order``, naming rows);
    a column without evidence follows the file's other date columns when they agree.
    """
    default = "dayfirst" if c.dayfirst else "monthfirst"
    orders = {}
    for canon in c.of_kind("date"):
        src = c.cols[canon]
        order = detect_date_order(c.raw[src][~c.drop], c.date_order, default)
        if order.conflict:
            raise _mixed_dates(c, src, order)
        orders[canon] = order
    found = {o.order for o in orders.values() if o.how == "detected"}
    if len(found) == 1:
        orders = {
            k: replace(o, order=next(iter(found)), how="file") if o.how == "default" else o for k, o in orders.items()
        }
    for canon, order in orders.items():
        note = _date_order_note(c, c.cols[canon], order)
        if note and not (order.how == "detected" and order.order == default):  # the usual case: said once, in extra
            c.P.add("info", "date_order", note, column=c.cols[canon])
    shown = {o.order for o in orders.values() if o.how != "none"}
    if shown:
        c.meta["date_order"] = " / ".join(_ORDER_NAMES[o] for o in sorted(shown))
    return orders


_ORDER_NAMES = {"dayfirst": "day first (dd/mm/yyyy)", "monthfirst": "month first (mm/dd/yyyy)"}


def _date_order_note(c: _Load, src: str, order: DateOrder) -> str | None:
    """One sentence on how the column ``src`` was read, or None for ISO/FEC dates (no order to choose)."""
    name = _ORDER_NAMES[order.order]
    if order.how == "forced":
        return f"dates read {name}, as asked"
    if order.how == "detected":
        rows = order.month_first if order.order == "monthfirst" else order.day_first
        field = "second" if order.order == "monthfirst" else "first"
        plural = "s" if len(rows) != 1 else ""
        example = f"e.g. row {rows[0]}: {c.cell(rows[0], src)}"
        return f"dates read {name}: a {field} field above 12 on {len(rows)} row{plural} ({example})"
    if order.how == "file":
        return f"dates read {name}, as the file's other date columns (none of its own has a field above 12)"
    if order.how == "default":
        return (
            f"dates read {name} by default: no value has a field above 12 to tell the order "
            "(force it with --dayfirst/--monthfirst, date_order: in mission.yml)"
        )
    return None


def _mixed_dates(c: _Load, src: str, order: DateOrder) -> InputError:
    """``mixed_date_order``: rows that read only day first and rows that read only month first, in one column."""

    def some(rows: tuple) -> str:
        shown = ", ".join(f"{r} ({c.cell(r, src)})" for r in rows[:5])
        return shown + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")

    return fail(
        "mixed_date_order",
        f"dates in two orders: day first on rows {some(order.day_first)}, month first on rows "
        f"{some(order.month_first)}; fix the file or force one order (--dayfirst/--monthfirst, "
        "date_order: in mission.yml; the other rows are then bad dates)",
        file=c.file,
        sheet=c.meta["sheet"],
        row=int(min(order.day_first[0], order.month_first[0])),
        column=src,
    )


def parse_date_columns(c: _Load) -> None:
    """Dates, each column in one order; a bad one drops the row when required, except an open item's due date."""
    orders = _date_orders(c)
    for canon in c.of_kind("date"):
        src = c.cols[canon]
        first = orders[canon].dayfirst
        vals, bad = _by_unique(lambda v, d=first: parse_dates(v, dayfirst=d), c.raw[src])
        req = canon in c.required
        due = c.is_open and canon == "due_date"
        if due:
            then = "; taken as immediately due (due date = document date)"
        else:
            then = "; row dropped" if req else "; left empty"
        c.P.rows(
            "warning",
            "bad_date",
            c.bad_rows(bad & ~c.drop),
            src,
            lambda r, s=src, t=then: f"cannot read {c.cell(r, s)} as a date{date_hint(c.raw.at[r, s])}{t}",
        )
        if req and not due:
            c.drop |= bad
        c.out[canon] = vals
