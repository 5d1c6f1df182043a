"""Client text made safe for spreadsheets (*injection de formules*): one rule for CSV and Excel exports.

A spreadsheet opens a CSV cell, or an edited Excel cell, that starts with ``=``, ``+``,
``-`` or ``@`` as a formula: a customer named ``=HYPERLINK("http://…","Pay here")``
becomes a live link in the consultant's workbook.  Every export writes client text
through :func:`neutralise_text`; numbers are never touched, so a negative amount stays a
number.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@")
"""First characters that make a spreadsheet read a cell as a formula."""

CONTROL_STARTS = ("\t", "\r", "\n")
"""Invisible characters a spreadsheet may skip before a formula character."""


def neutralise_text(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Rules: only ``str`` values change; one that starts with ``=``, ``+``, ``-`` or ``@``,
    possibly after spaces, or with a tab, carriage return or line feed, gets ``'``
    prepended (the usual neutralisation: the apostrophe marks the cell as text).  Numbers,
    dates, ``None`` and NaN are returned unchanged.

    >>> neutralise_text('=HYPERLINK("http://x","pay")')
    '\\'=HYPERLINK("http://x","pay")'
    >>> neutralise_text("-400"), neutralise_text(-400.0), neutralise_text("Alpha SA")
    ("'-400", -400.0, 'Alpha SA')
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells went through :func:`neutralise_text` (numbers untouched).

    >>> neutralise_frame(pd.DataFrame({"name": ["=1+1", "Beta"], "amount": [-400.0, 5.0]})).to_dict("list")
    {'name': ["'=1+1", 'Beta'], 'amount': [-400.0, 5.0]}
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_text)
    return out
