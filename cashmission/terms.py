"""Payment terms (*délais de paiement*) and due dates: the one place that defaults a FEC's terms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

DEFAULT_TERMS_DAYS = 30
"""Payment terms assumed for a FEC (which has no due dates) when none are given: 30 days
from the document date, the default of article L441-10 of the Code de commerce."""


def party_terms(terms: int | tuple[int, bool]) -> tuple[int, bool]:
    """One party's payment terms as (days, end of month): ``45`` or ``(45, True)``.

    >>> party_terms(45), party_terms((60, True))
    ((45, False), (60, True))
    """
    if isinstance(terms, (int, np.integer)):
        return int(terms), False
    return int(terms[0]), bool(terms[1])


def terms_description(
    terms_days: int, end_of_month: bool = False, terms_by_customer: Mapping[str, int | tuple[int, bool]] | None = None
) -> str:
    """The payment terms used to derive due dates, in words.

    >>> terms_description(30, True)
    'due dates derived: 30 days end of month from the document date'
    >>> terms_description(30, False, {"C1": (45, True), "C2": 60})
    'due dates derived: 30 days from the document date; per party: C1 45 days end of month, C2 60 days'
    >>> terms_description(30, False, {f"C{i}": 60 if i < 4 else (45, True) for i in range(6)})
    'due dates derived: 30 days from the document date; per party (6): 45 days end of month 2, 60 days 4'
    """

    def one(days: int, eom: bool) -> str:
        return f"{int(days)} days{' end of month' if eom else ''}"

    text = f"due dates derived: {one(terms_days, end_of_month)} from the document date"
    if terms_by_customer:
        from cashmission.terms import party_terms

        pairs = {pid: party_terms(t) for pid, t in terms_by_customer.items()}
        if len(pairs) <= 5:
            text += "; per party: " + ", ".join(f"{pid} {one(d, e)}" for pid, (d, e) in pairs.items())
        else:  # a customer master: count the parties per term rather than list them
            counts = Counter(pairs.values())
            text += f"; per party ({len(pairs)}): " + ", ".join(
                f"{one(d, e)} {n}" for (d, e), n in sorted(counts.items())
            )
    return text


def terms_from_customers(customers: pd.DataFrame) -> dict[str, tuple[int, bool]]:
    """Payment terms per customer (*délai de paiement*) from the customer master.

    ``{customer_id: (payment_terms_days, terms_end_of_month)}`` for the customers whose
    ``payment_terms_days`` is filled (``terms_end_of_month`` missing counts as False).
    Due date = document date + days, or end of the document's month + days when
    ``terms_end_of_month`` (the *45 jours fin de mois* reading of Code de commerce
    L441-10 used by :func:`cashmission.ledger.fec_ledger.fec_receivables`).

    >>> master = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...                        "payment_terms_days": [45, None, 60],
    ...                        "terms_end_of_month": [True, False, None]})
    >>> terms_from_customers(master)
    {'C1': (45, True), 'C3': (60, False)}
    """
    if "payment_terms_days" not in customers.columns:
        return {}
    days = pd.to_numeric(customers["payment_terms_days"], errors="coerce")
    eom = (
        customers["terms_end_of_month"].fillna(False).astype(bool)
        if "terms_end_of_month" in customers.columns
        else pd.Series(False, index=customers.index)
    )
    keep = days.notna()
    return {
        str(c): (int(d), bool(e))
        for c, d, e in zip(customers.loc[keep, "customer_id"], days[keep], eom[keep], strict=True)
    }
