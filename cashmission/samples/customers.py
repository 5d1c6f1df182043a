"""The sample client's customers (*clients*): entity, network, country, collector, terms, payer profile."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cashmission.samples.calendar import _to_ts
from cashmission.samples.names import (
    _INVOICES_PER_MONTH,
    COLLECTORS,
    COUNTRIES,
    FRENCH_FORMS,
    _customer_names,
    _invented_words,
)

_ENTITY_MIX = {"FR10": 0.45, "FR20": 0.35, "EX30": 0.20}
_SEGMENT_MIX = {
    "FR10": {"Agroalimentaire grands comptes": 0.6, "Distributeurs": 0.15, "Installateurs": 0.25},
    "FR20": {"Agroalimentaire grands comptes": 0.2, "Distributeurs": 0.45, "Installateurs": 0.35},
    "EX30": {"Export Europe": 0.65, "Grand Export": 0.35},
}
_SEGMENT_SIZE = {
    "Agroalimentaire grands comptes": 3.0,
    "Distributeurs": 1.5,
    "Installateurs": 0.6,
    "Export Europe": 1.6,
    "Grand Export": 2.0,
}
_TICKET = {"FR10": 1_500.0, "FR20": 450.0, "EX30": 1_800.0}  # median invoice TTC per entity
_PROFILES = ("A", "B", "C", "D", "E")
_PROFILE_MIX = (0.28, 0.34, 0.23, 0.11, 0.04)
_PROFILE_SPEED = np.array([1.3, 1.1, 1.0, 0.7, 0.25])  # collection hazard factor


# --------------------------------------------------------------------------- customers


def _pick(rng: np.random.Generator, n: int, options: Sequence[str], weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=w / w.sum())]


def _make_customers(rng: np.random.Generator, n: int, as_of: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Customers, their size weights (share of invoices) and median invoice amounts."""
    entity = _pick(rng, n, list(_ENTITY_MIX), list(_ENTITY_MIX.values()))
    entity = np.sort(entity, kind="stable")  # customer numbers grouped by entity
    segment = np.empty(n, dtype=object)
    for ent, mix in _SEGMENT_MIX.items():
        idx = np.flatnonzero(entity == ent)
        segment[idx] = _pick(rng, len(idx), list(mix), list(mix.values()))
    country = np.full(n, "FR", dtype=object)
    currency = np.full(n, "EUR", dtype=object)
    form = _pick(rng, n, [f for f, _ in FRENCH_FORMS], [w for _, w in FRENCH_FORMS])
    agro = segment == "Agroalimentaire grands comptes"
    form[agro & (form == "EI")] = "SAS"  # key accounts are companies
    for seg, opts in COUNTRIES.items():
        idx = np.flatnonzero(segment == seg)
        k = rng.choice(len(opts), size=len(idx), p=np.array([o[3] for o in opts]) / sum(o[3] for o in opts))
        country[idx] = np.array([o[0] for o in opts], dtype=object)[k]
        currency[idx] = np.array([o[1] for o in opts], dtype=object)[k]
        form[idx] = np.array([o[2] for o in opts], dtype=object)[k]
    # a few French customers of the French entities sit in Belgium / Luxembourg / Switzerland
    french = np.isin(entity, ["FR10", "FR20"])
    abroad = french & (rng.random(n) < 0.03)
    country[abroad] = _pick(rng, int(abroad.sum()), ["BE", "LU", "CH"], [0.6, 0.2, 0.2])
    form[abroad & (form == "EI")] = "SARL"
    names = _customer_names(rng, segment, form)
    collector = np.array([COLLECTORS[(e, s)] for e, s in zip(entity, segment, strict=True)], dtype=object)

    terms = np.where(
        entity == "EX30",
        _pick(rng, n, ["30", "45", "60"], [0.2, 0.3, 0.5]),
        _pick(rng, n, ["30", "45", "60"], [0.3, 0.4, 0.3]),
    ).astype(np.int64)
    eom = (terms <= 45) & (rng.random(n) < np.where(entity == "EX30", 0.05, 0.45))
    method = np.where(
        country == "FR",
        _pick(rng, n, ["transfer", "lcr", "cheque", "traite", "card"], [0.55, 0.25, 0.12, 0.05, 0.03]),
        _pick(rng, n, ["transfer", "card"], [0.97, 0.03]),
    )
    size = rng.lognormal(0.0, 1.1, n) * np.array([_SEGMENT_SIZE[s] for s in segment])
    ticket = np.array([_TICKET[e] for e in entity]) * rng.lognormal(0.0, 0.55, n)
    profile = _pick(rng, n, list(_PROFILES), list(_PROFILE_MIX))
    capital = np.select(
        [np.isin(form, ["SA", "SAS", "AG", "NV", "Inc.", "S.A. de C.V.", "JSC"]), form == "EI"],
        [np.round(rng.lognormal(np.log(250_000), 1.2, n), -3), 0.0],
        np.round(rng.lognormal(np.log(25_000), 1.0, n), -2),
    )
    capital = np.where(form == "SA", np.maximum(capital, 37_000.0), capital)
    age_years = np.minimum(rng.exponential(18.0, n) + 1.0, 75.0)
    creation = as_of - np.round(age_years * 365.25).astype(np.int64)
    # annual sales ~ size; limit ~ 1.5 x sales over the terms, rounded to 5 k€, 5 k€ minimum
    annual = size / size.sum() * _INVOICES_PER_MONTH * 12 * n / 2000 * ticket * 1.25
    credit_limit = np.maximum(np.round(annual * (terms + 15) / 365 * 1.5 / 5_000) * 5_000, 5_000.0)
    group = np.full(n, None, dtype=object)
    grouped = agro & (rng.random(n) < 0.15)
    group_words = _invented_words(rng, max(1, n // 60))
    group[grouped] = np.array([f"Groupe {w}" for w in group_words], dtype=object)[
        rng.integers(0, len(group_words), int(grouped.sum()))
    ]
    factoring = (entity == "FR20") & (country == "FR") & (rng.random(n) < 0.5)

    df = pd.DataFrame(
        {
            "entity": entity,
            "customer_id": np.array([f"C{10001 + i:05d}" for i in range(n)], dtype=object),
            "customer_name": names,
            "country": country,
            "segment": segment,
            "collector": collector,
            "credit_limit": credit_limit,
            "payment_terms_days": terms,
            "terms_end_of_month": eom,
            "payment_method": method,
            "legal_form": form,
            "share_capital": capital,
            "creation_date": _to_ts(creation),
            "group": group,
            "currency": currency,
            "payer_profile": profile,
            "factoring": factoring,
        }
    )
    return df, size, ticket
