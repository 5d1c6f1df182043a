"""Words that explain the working-capital numbers (*commentaires*), in French and English.

:func:`explain_bridge` turns a DSO bridge (:func:`cashmission.working_capital.bridge.dso_bridge`) into
sentences, :func:`explain_kpis` a BFR tracking (:func:`cashmission.working_capital.series.bfr_tracking`).
All wording lives in :data:`WORDING`, one mapping per language; numbers are written
the way each language writes them, by :mod:`cashmission.report.formats` in its prose style
(``prose=True``; French: ``1 234,5``, ``120 k€``, ``6,6 M€``, ``1,5 jour``; English: ``1,234.5``,
``€120k``, ``€6.6m``, ``1.5 days``; a negative figure starts with
:data:`~cashmission.report.formats.MINUS`).  A figure that rounds to zero is not commented on;
a missing figure (NaN) is skipped.
"""

from __future__ import annotations

import math

import pandas as pd

from cashmission.report.formats import format_amount, format_days, format_number
from cashmission.report.labels import Lang

WORDING: dict[str, dict[str, str]] = {
    "fr": {
        "bridge_headline": "Le DSO est passé de {before} à {after} ({delta}).",
        "bridge_stable": "Le DSO est stable à {after}.",
        "not_due+": "Les délais de paiement accordés ont augmenté le DSO de {days} : les créances non échues ont "
        "augmenté de {amount}.",
        "not_due-": "Les délais de paiement accordés ont réduit le DSO de {days} : les créances non échues ont "
        "baissé de {amount}.",
        "overdue_undisputed+": "Les retards de paiement ont augmenté le DSO de {days} : les clients ont payé plus "
        "lentement, ce qui a consommé {amount} de trésorerie.",
        "overdue_undisputed-": "Les retards de paiement ont réduit le DSO de {days} : les clients ont payé plus vite, "
        "ce qui a libéré {amount} de trésorerie.",
        "disputed+": "Les litiges ont augmenté le DSO de {days} : {amount} de créances en litige en plus.",
        "disputed-": "Les litiges ont réduit le DSO de {days} : {amount} de créances en litige en moins.",
        "unapplied_cash_and_credits+": "Les avoirs et règlements non lettrés ont augmenté le DSO de {days} : "
        "{amount} de moins en déduction du poste clients.",
        "unapplied_cash_and_credits-": "Les avoirs et règlements non lettrés ont réduit le DSO de {days} : "
        "{amount} de plus en déduction du poste clients, à lettrer ou à rembourser.",
        "factored+": "L'affacturage a augmenté le DSO de {days} : {amount} de créances cédées en moins.",
        "factored-": "L'affacturage a réduit le DSO de {days} : {amount} de créances cédées en plus, sans que les "
        "clients paient plus vite.",
        "sales_level+": "La baisse des ventes a augmenté mécaniquement le DSO de {days} (effet de niveau et de "
        "saisonnalité, sans mouvement de trésorerie).",
        "sales_level-": "La hausse des ventes a réduit mécaniquement le DSO de {days} (effet de niveau et de "
        "saisonnalité, sans mouvement de trésorerie).",
        "dso+": "Le DSO a augmenté de {days}, ce qui a consommé {amount} de trésorerie.",
        "dso-": "Le DSO a baissé de {days}, ce qui a libéré {amount} de trésorerie.",
        "dso=": "Le DSO est stable à {value}.",
        "dso_split": "{head} : {parts}.",
        "dso_terms+": "les délais de paiement accordés (meilleur DSO possible) l'ont allongé de {days}",
        "dso_terms-": "les délais de paiement accordés (meilleur DSO possible) l'ont raccourci de {days}",
        "dso_delays+": "les retards de paiement (ADD) l'ont allongé de {days}",
        "dso_delays-": "les retards de paiement (ADD) l'ont raccourci de {days}",
        "part_cash+": " ({amount} consommés)",
        "part_cash-": " ({amount} libérés)",
        "and": " et ",
        "about": "environ ",
        "dpo+": "Le DPO a augmenté de {days} : l'entreprise paie ses fournisseurs plus tard, ce qui a libéré "
        "{amount} de trésorerie.",
        "dpo-": "Le DPO a baissé de {days} : l'entreprise paie ses fournisseurs plus tôt, ce qui a consommé "
        "{amount} de trésorerie.",
        "dpo=": "Le DPO est stable à {value}.",
        "stock+": "La rotation du stock de {stock} s'est allongée de {days}, ce qui a immobilisé {amount} de "
        "trésorerie.",
        "stock-": "La rotation du stock de {stock} s'est raccourcie de {days}, ce qui a libéré {amount} de trésorerie.",
        "stock=": "La rotation du stock de {stock} est stable à {value}.",
        "bfr": "Le BFR est passé de {before} à {after} ({delta}), soit {days_after} de chiffre d'affaires "
        "({days_delta}).",
        "raw_materials": "matières premières",
        "goods": "marchandises",
        "finished_goods": "produits finis et en-cours",
        "day": "jour",
        "days": "jours",
    },
    "en": {
        "bridge_headline": "DSO went from {before} to {after} ({delta}).",
        "bridge_stable": "DSO is stable at {after}.",
        "not_due+": "Payment terms granted raised DSO by {days}: receivables not yet due grew by {amount}.",
        "not_due-": "Payment terms granted cut DSO by {days}: receivables not yet due fell by {amount}.",
        "overdue_undisputed+": "Payment delays raised DSO by {days}: customers paid more slowly, which consumed "
        "{amount} of cash.",
        "overdue_undisputed-": "Payment delays cut DSO by {days}: customers paid faster, which released {amount} of "
        "cash.",
        "disputed+": "Disputes raised DSO by {days}: {amount} more of disputed receivables.",
        "disputed-": "Disputes cut DSO by {days}: {amount} less of disputed receivables.",
        "unapplied_cash_and_credits+": "Credit notes and unapplied cash raised DSO by {days}: {amount} less "
        "deducted from the receivables.",
        "unapplied_cash_and_credits-": "Credit notes and unapplied cash cut DSO by {days}: {amount} more deducted "
        "from the receivables, to be matched or refunded.",
        "factored+": "Factoring raised DSO by {days}: {amount} less of receivables assigned.",
        "factored-": "Factoring cut DSO by {days}: {amount} more of receivables assigned, although customers did "
        "not pay faster.",
        "sales_level+": "Lower sales mechanically raised DSO by {days} (level and seasonality effect, no cash moved).",
        "sales_level-": "Higher sales mechanically cut DSO by {days} (level and seasonality effect, no cash moved).",
        "dso+": "DSO rose by {days}, which consumed {amount} of cash.",
        "dso-": "DSO fell by {days}, which released {amount} of cash.",
        "dso=": "DSO is stable at {value}.",
        "dso_split": "{head}: {parts}.",
        "dso_terms+": "payment terms granted (best possible DSO) added {days}",
        "dso_terms-": "payment terms granted (best possible DSO) took off {days}",
        "dso_delays+": "payment delays (ADD) added {days}",
        "dso_delays-": "payment delays (ADD) took off {days}",
        "part_cash+": " ({amount} consumed)",
        "part_cash-": " ({amount} released)",
        "and": " and ",
        "about": "about ",
        "dpo+": "DPO rose by {days}: the company pays its suppliers later, which released {amount} of cash.",
        "dpo-": "DPO fell by {days}: the company pays its suppliers sooner, which consumed {amount} of cash.",
        "dpo=": "DPO is stable at {value}.",
        "stock+": "{stock} stock days rose by {days}, which tied up {amount} of cash.",
        "stock-": "{stock} stock days fell by {days}, which released {amount} of cash.",
        "stock=": "{stock} stock days are stable at {value}.",
        "bfr": "Working capital went from {before} to {after} ({delta}), that is {days_after} of revenue "
        "({days_delta}).",
        "raw_materials": "Raw-material",
        "goods": "Goods-for-resale",
        "finished_goods": "Finished-goods and WIP",
        "day": "day",
        "days": "days",
    },
}


def _words(lang: str) -> dict[str, str]:
    try:
        return WORDING[lang]
    except KeyError:
        raise ValueError(f"lang must be one of {', '.join(WORDING)}; got {lang!r}") from None


def _nonzero(x: float, decimals: int = 1) -> bool:
    return not math.isnan(x) and round(x, decimals) != 0


def explain_bridge(bridge: pd.DataFrame, lang: Lang = "fr") -> list[str]:
    """Sentences explaining a DSO bridge (*commentaire du pont de DSO*), main causes first.

    Parameters
    ----------
    bridge : the frame of :func:`cashmission.working_capital.bridge.dso_bridge`.
    lang : ``"fr"`` or ``"en"``.

    Returns
    -------
    list of str : the headline (DSO before → after), then one sentence per cause whose
    effect does not round to zero days, in decreasing order of size.

    >>> from cashmission.working_capital.bridge import dso_bridge
    >>> b = dso_bridge({"overdue_undisputed": 100_000, "revenue_ttc": 3_650_000, "days": 365},
    ...                {"overdue_undisputed": 160_000, "revenue_ttc": 3_650_000, "days": 365})
    >>> explain_bridge(b, "en")[1]
    'Payment delays raised DSO by 6 days: customers paid more slowly, which consumed €60k of cash.'
    """
    w = _words(lang)
    by = bridge.set_index("cause")
    before, after = float(by.loc["dso_before", "days"]), float(by.loc["dso_after", "days"])
    delta = after - before
    if _nonzero(delta):
        lines = [
            w["bridge_headline"].format(
                before=format_number(before, 1, lang, trim=True),
                after=format_days(after, lang, prose=True),
                delta=format_days(delta, lang, sign=True, prose=True),
            )
        ]
    else:
        lines = [w["bridge_stable"].format(after=format_days(after, lang, prose=True))]
    effects = bridge[bridge["kind"] == "effect"].copy()
    effects["size"] = effects["days"].abs()
    effects = effects.sort_values("size", ascending=False, kind="stable")
    for _, r in effects.iterrows():
        days = float(r["days"])
        if not _nonzero(days):
            continue
        key = f"{r['cause']}{'+' if days > 0 else '-'}"
        amount = abs(float(r["amount_after"]) - float(r["amount_before"])) if r["cause"] != "sales_level" else 0.0
        lines.append(
            w[key].format(days=format_days(abs(days), lang, prose=True), amount=format_amount(amount, lang, prose=True))
        )
    return lines


_STOCKS = ("raw_materials", "goods", "finished_goods")
_SPLIT_TOLERANCE = 0.05
"""Days by which Δ best possible DSO + Δ ADD may differ from Δ DSO and still split it (same method)."""


def _split_dso(
    head: str,
    dso: tuple[float, float],
    best_possible: tuple[float, float],
    delinquent: tuple[float, float],
    per_day: float,
    lang: Lang,
    approx: bool = False,
) -> str:
    """The DSO sentence ``head`` followed by its split into terms granted and payment delays, when possible.

    ``approx``: the amounts are approximate (countback days), written "about" / "environ".
    """
    w = _words(lang)
    values = (*dso, *best_possible, *delinquent)
    if any(math.isnan(v) for v in values):
        return head
    d_terms, d_delays = best_possible[1] - best_possible[0], delinquent[1] - delinquent[0]
    if abs(d_terms + d_delays - (dso[1] - dso[0])) > _SPLIT_TOLERANCE:  # not the same method: no split
        return head
    valued = per_day > 0
    parts = []
    for key, days in (("dso_terms", d_terms), ("dso_delays", d_delays)):
        if not _nonzero(days):
            continue
        sign = "+" if days > 0 else "-"
        text = w[f"{key}{sign}"].format(days=format_days(abs(days), lang, prose=True))
        if valued:
            amount = (w["about"] if approx else "") + format_amount(abs(days) * per_day, lang, prose=True)
            text += w[f"part_cash{sign}"].format(amount=amount)
        parts.append(text)
    if not parts:
        return head
    return w["dso_split"].format(head=head.removesuffix("."), parts=w["and"].join(parts))


def explain_kpis(tracking: pd.DataFrame, lang: Lang = "fr") -> list[str]:
    """Sentences explaining the change of the working capital from N−1 to N (*commentaire du BFR*).

    Parameters
    ----------
    tracking : the frame of :func:`cashmission.working_capital.series.bfr_tracking` (columns ``kpi``,
        ``n_minus_1``, ``n``, ``variation``).  Uses ``dso_countback`` when known at both
        dates, else ``dso_simple``; ``dso_best_possible`` and
        ``average_days_delinquent`` to split the DSO change; ``dpo``; the three
        ``stock_days_*``; ``bfr`` and ``bfr_days``; and the ``cash_per_day_*`` rows of
        year N to value the days.
    lang : ``"fr"`` or ``"en"``.

    Returns
    -------
    list of str : DSO, DPO, each stock, then the BFR; a KPI missing at either date is
    skipped.

    Notes
    -----
    Cash effect of a change of days = variation in days × cash per day of year N
    (revenue TTC / days for DSO, purchases TTC / days for DPO, the stock's flow / days
    for a stock).  DSO and stock days up consume cash; DPO up releases cash.

    With the simple DSO (receivables / revenue TTC × days) a day is worth exactly the
    average revenue TTC per day of the window, so Δ DSO × cash per day of N is the
    receivables that the change of days moved at N's level of sales.  With the
    countback DSO it is only an approximation: a countback day is worth the sales of
    the month walked (that month's revenue TTC / its days), not the average day of the
    window, so Δ countback days × revenue TTC / days ≈ the cash moved, and the same
    for the split parts (Δ best possible DSO, Δ ADD, both countback days).  The exact
    cash effect on the receivables is Δ receivables (receivables N − receivables N−1),
    which also holds the effect of the change in sales.  The sentences of the
    countback case therefore say "environ" / "about" before every amount.

    The DSO sentence says what moved it only when the tracking holds the best possible
    DSO and the ADD at both dates and their changes add up to the DSO change (same
    method): Δ DSO = Δ best possible DSO (the payment terms granted) + Δ ADD (the
    payment delays), each part valued at its days × cash per day.  Otherwise it states
    the change and its cash, without a cause.  Source: Credit Research Foundation
    (best possible DSO, ADD = DSO − best possible DSO); domain conventions (cash worth
    one day of DSO = revenue TTC / days).

    >>> t = pd.DataFrame({"kpi": ["dso_simple", "cash_per_day_dso"], "n_minus_1": [60.0, 19_000.0],
    ...                   "n": [66.0, 20_000.0]})
    >>> explain_kpis(t)
    ['Le DSO a augmenté de 6\\xa0jours, ce qui a consommé 120\\xa0k€ de trésorerie.']
    """
    w = _words(lang)
    t = tracking.set_index("kpi")
    dso = "dso_countback" if not any(math.isnan(v) for v in _pair(t, "dso_countback")) else "dso_simple"
    countback = dso == "dso_countback"  # a countback day is not worth revenue TTC / days: amounts approximate
    first = _days_sentence(t, w, lang, "dso", dso, "cash_per_day_dso", approx=countback)
    if first is not None:
        first = _split_dso(
            first,
            _pair(t, dso),
            _pair(t, "dso_best_possible"),
            _pair(t, "average_days_delinquent"),
            _pair(t, "cash_per_day_dso")[1],
            lang,
            approx=countback,
        )
    found = [first, _days_sentence(t, w, lang, "dpo", "dpo", "cash_per_day_dpo")]
    found += [
        _days_sentence(t, w, lang, "stock", f"stock_days_{s}", f"cash_per_day_stock_{s}", stock=w[s]) for s in _STOCKS
    ]
    found.append(_bfr_sentence(t, w, lang))
    return [line for line in found if line is not None]


def _pair(t: pd.DataFrame, kpi: str) -> tuple[float, float]:
    """(N−1, N) of ``kpi`` in a tracking indexed by kpi; NaNs when absent."""
    if kpi not in t.index:
        return float("nan"), float("nan")
    return float(t.loc[kpi, "n_minus_1"]), float(t.loc[kpi, "n"])


def _days_sentence(
    t: pd.DataFrame,
    w: dict[str, str],
    lang: Lang,
    prefix: str,
    kpi: str,
    cash_kpi: str,
    approx: bool = False,
    **extra: str,
) -> str | None:
    """The sentence of a change of days, valued at Δ days × cash per day of N; ``None`` when unknown at a date."""
    a, b = _pair(t, kpi)
    if math.isnan(a) or math.isnan(b):
        return None
    delta = b - a
    if not _nonzero(delta):
        return w[f"{prefix}="].format(value=format_days(b, lang, prose=True), **extra)
    per_day = _pair(t, cash_kpi)[1]
    amount = abs(delta) * per_day if per_day > 0 else float("nan")  # no flow in N: no value of a day
    text = w[f"{prefix}{'+' if delta > 0 else '-'}"]
    if math.isnan(amount):  # no cash per day known: keep the first clause only
        text = text.split(" : " if lang == "fr" else ": ")[0].split(", ")[0] + "."
    return text.format(
        days=format_days(abs(delta), lang, prose=True),
        amount="" if math.isnan(amount) else (w["about"] if approx else "") + format_amount(amount, lang, prose=True),
        **extra,
    )


def _bfr_sentence(t: pd.DataFrame, w: dict[str, str], lang: Lang) -> str | None:
    """The working-capital sentence (before, after, change, days); ``None`` when a figure is missing."""
    a, b = _pair(t, "bfr")
    da, db = _pair(t, "bfr_days")
    if any(math.isnan(v) for v in (a, b, da, db)):
        return None
    return w["bfr"].format(
        before=format_amount(a, lang, prose=True),
        after=format_amount(b, lang, prose=True),
        delta=format_amount(b - a, lang, sign=True, prose=True),
        days_after=format_days(db, lang, prose=True),
        days_delta=format_days(db - da, lang, sign=True, prose=True),
    )
