"""Report sections: a heading and its body in one call, and nothing when a section does not apply.

Notebooks call these instead of pairing ``display(heading)`` with a table, and instead of
``x if condition else None`` chains: a section whose input is absent (no FEC, no ledger
for the DSO bridge, a breakdown switched off) returns ``None`` and shows nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cashmission.problems import LoadReport
from cashmission.report.labels import Lang


def _show(obj: Any) -> None:
    from IPython.display import display

    display(obj)


def section(key: str, lang: Lang = "fr", body: Any = None, *, show: bool = True) -> Any:
    """Display the heading of ``key`` and return ``body`` for the notebook to show; ``None`` when ``show`` is false.

    >>> section("sec_entity", "fr", "table", show=False) is None
    True
    """
    from cashmission.report.markdown import heading

    if not show:
        return None
    _show(heading(key, lang))
    return body


def payment_behaviour(
    items: pd.DataFrame, load: LoadReport, terms_days: int | None, top_n: int = 10, lang: Lang = "fr"
) -> Any:
    """Customers' payment behaviour (*comportement de paiement*) of a FEC: heading, note and table; ``None`` otherwise.

    ``items`` and ``load`` are what :func:`cashmission.ledger.sources.load_receivables` gave:
    for a FEC, its customer ledger, whose lettered invoices give each payment's days late
    against the due date (document date + ``terms_days``, the terms the ledger was built
    with); :func:`cashmission.ledger.behaviour.customer_payment_behaviour` summarises them.
    The FEC is not read again.  An open-items export has no payment history: the section
    does not apply.
    """
    from cashmission.ledger.behaviour import customer_payment_behaviour, fec_payment_history
    from cashmission.report.views import behaviour_display, behaviour_note

    if load.kind != "fec" or "lettering_status" not in items.columns:
        return None
    history = fec_payment_history(None, items=items)
    section("sec_behaviour", lang)
    _show(behaviour_note(terms_days, lang))
    return behaviour_display(customer_payment_behaviour(history), history, top_n, lang)


def dso_bridge(bridge: pd.DataFrame | None, lang: Lang = "fr") -> Any:
    """The DSO bridge section: its heading (dates, convention) and table; ``None`` without a bridge."""
    from cashmission.report.views import bridge_display, bridge_heading

    if bridge is None:
        return None
    _show(bridge_heading(bridge, lang))
    return bridge_display(bridge, lang)


def dso_bridge_comments(bridge: pd.DataFrame | None, lang: Lang = "fr") -> Any:
    """The sentences explaining a DSO bridge, as bullets; ``None`` without a bridge."""
    from cashmission.report.markdown import bullets
    from cashmission.report.narrative import explain_bridge

    return None if bridge is None else bullets(explain_bridge(bridge, lang))


def dso_bridge_chart(bridge: pd.DataFrame | None, lang: Lang = "fr") -> Any:
    """The waterfall of a DSO bridge; ``None`` without a bridge."""
    from cashmission.report.plots import dso_bridge_waterfall

    return None if bridge is None else dso_bridge_waterfall(bridge, lang=lang)
