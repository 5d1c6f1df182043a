"""Seeded synthetic sample client (*client de démonstration*) for demos, tests and benchmarks.

The sample client is an invented industrial group that sells food-production lines
and safety pumps in France and abroad, audited on a Monday (week 0) and followed for
twelve more weeks of collection work.  Everything is synthetic: customer names are
built from invented syllables, collectors have invented first names, no identifier
(SIREN, VAT number) is generated.

The data are a *ledger*: one table in the canonical ``open_items`` schema holding
every document open at some point of the mission (and every document issued during
it), with its ``document_date`` and ``cleared_date``, so that
``open_at(ledger, date)`` gives the open items at any date of the mission, and in
particular each weekly snapshot.  Around it: customers, payments (one row per settled
document), disputes, dunning actions and a monthly revenue / receivables table.

How the data are made (all draws from one ``numpy.random.default_rng(seed)``):

1. Customers: entity, network (*réseau*), country and currency, collector, terms,
   payer profile (A to E) and a size weight.
2. A flow of invoices issued every business day (French public holidays off, a
   quieter August) from about 17 months before the audit to the end of the third
   mission month; each has a natural payment date (due date + a delay drawn from
   the customer's payer profile).  Invoices paid before the audit are not in the
   ledger (they only feed the monthly table).
3. A stock of old, mostly small overdue items (residues, deductions, forgotten
   invoices) that fills the week-0 open items up to ``n_items``; credit notes,
   unapplied cash and other entries (recovery indemnities, payment differences).
4. The stock is scaled so that the week-0 overdue stock is 6.6 M€ per 20,000 items.
   Disputes are drawn on overdue items (older and bigger more likely) up to 6.5 %
   of the overdue amount; FR20 invoices of customers under the factoring contract
   are factored.
5. From the audit on, collection work settles overdue items with a hazard that is
   high for recent, big, undisputed items of good payers and low for old or
   disputed ones; its scale is solved so that the overdue stock at the last
   snapshot is 1.5 M€ per 20,000 items (-77 %).
6. Credit notes and unapplied cash are applied (lettered) to invoices settled
   later; payments, disputes and customer-level dunning are derived from the
   ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cashmission import tables

# --------------------------------------------------------------------------- reference lists

ENTITIES: dict[str, str] = {
    "FR10": "Lignes de production agroalimentaire France",
    "FR20": "Pompes de sécurité France",
    "EX30": "International",
}
"""Entity code -> business line."""

SEGMENTS: tuple[str, ...] = (
    "Agroalimentaire grands comptes",
    "Distributeurs",
    "Installateurs",
    "Export Europe",
    "Grand Export",
)
"""Networks (*réseaux*)."""

COLLECTORS: dict[tuple[str, str], str] = {
    ("FR10", "Agroalimentaire grands comptes"): "Maëlinde",
    ("FR10", "Distributeurs"): "Corvane",
    ("FR10", "Installateurs"): "Corvane",
    ("FR20", "Agroalimentaire grands comptes"): "Ondrel",
    ("FR20", "Distributeurs"): "Ondrel",
    ("FR20", "Installateurs"): "Tibérine",
    ("EX30", "Export Europe"): "Yvanor",
    ("EX30", "Grand Export"): "Quilane",
}
"""Collector (*recouvreur*) per entity and network; first names are invented."""

DISPUTE_CODES: dict[str, tuple[str, str]] = {
    "PRIX": ("price", "sales"),
    "QUANTITE": ("quantity", "logistics"),
    "QUALITE": ("quality", "after_sales"),
    "LIVRAISON": ("delivery", "logistics"),
    "FACTURATION": ("billing", "adv"),
}
"""Dispute code (*motif de litige*) -> (reason, owner department)."""

FX_RATES: dict[str, float] = {"EUR": 1.0, "USD": 1.08, "GBP": 0.85}
"""Fixed rates: units of the document currency for one euro."""

# Invented words: onset + middle + ending ("Va" + "dr" + "ac" -> "Vadrac").
ONSETS = (
    "Va",
    "Bre",
    "Co",
    "De",
    "Fa",
    "Ga",
    "Lo",
    "Ma",
    "No",
    "Pe",
    "Que",
    "Ro",
    "Sau",
    "Ta",
    "Ve",
    "Bo",
    "Cha",
    "Dru",
    "Fe",
    "Ke",
    "Lu",
    "Mo",
    "Pra",
    "Tri",
    "Vi",
    "Zé",
)
MIDDLES = ("dr", "l", "m", "r", "s", "t", "v", "n", "b", "g", "z", "qu", "st", "rb", "nd")
ENDINGS = (
    "ac",
    "ax",
    "ix",
    "ez",
    "orn",
    "ulf",
    "ande",
    "uy",
    "ec",
    "ol",
    "anc",
    "eck",
    "ard",
    "enne",
)

AGRO_KINDS = (
    "Laiterie",
    "Fromagerie",
    "Conserverie",
    "Biscuiterie",
    "Brasserie",
    "Salaisons",
    "Sucrerie",
    "Distillerie",
    "Minoterie",
    "Chocolaterie",
    "Confiserie",
    "Volailles",
    "Légumerie",
    "Cidrerie",
    "Charcuterie",
)
NAME_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Agroalimentaire grands comptes": tuple(f"{k} {{w}}" for k in AGRO_KINDS),
    "Distributeurs": (
        "{w} Distribution",
        "Comptoir {w}",
        "{w} Fluides",
        "{w} Équipements",
        "{w} Hydraulique",
    ),
    "Installateurs": (
        "{w} Installations",
        "{w} Maintenance",
        "{w} Thermique",
        "{w} Process",
        "{w} Services",
    ),
    "Export Europe": ("{w} Food Systems", "{w} Process", "{w} Industrie", "{w} Foods"),
    "Grand Export": ("{w} Foods", "{w} Industries", "{w} Trading", "{w} Agro"),
}
"""Customer-name patterns per network; ``{w}`` is an invented word."""

COUNTRIES: dict[str, tuple[tuple[str, str, str, float], ...]] = {
    # network: (country, currency, legal form, weight)
    "Export Europe": (
        ("DE", "EUR", "GmbH", 0.2),
        ("IT", "EUR", "S.r.l.", 0.16),
        ("ES", "EUR", "S.L.", 0.14),
        ("BE", "EUR", "NV", 0.1),
        ("NL", "EUR", "B.V.", 0.08),
        ("PL", "EUR", "Sp. z o.o.", 0.07),
        ("PT", "EUR", "Lda", 0.05),
        ("GB", "GBP", "Ltd", 0.1),
        ("CH", "EUR", "AG", 0.05),
        ("AT", "EUR", "GmbH", 0.05),
    ),
    "Grand Export": (
        ("US", "USD", "Inc.", 0.22),
        ("CA", "USD", "Inc.", 0.08),
        ("MX", "USD", "S.A. de C.V.", 0.08),
        ("BR", "USD", "Ltda", 0.08),
        ("MA", "EUR", "SARL", 0.14),
        ("TN", "EUR", "SARL", 0.08),
        ("SN", "EUR", "SARL", 0.06),
        ("CI", "EUR", "SARL", 0.06),
        ("AE", "USD", "FZE", 0.08),
        ("VN", "USD", "JSC", 0.06),
        ("AU", "USD", "Pty Ltd", 0.06),
    ),
}
FRENCH_FORMS = (("SAS", 0.45), ("SARL", 0.3), ("SA", 0.16), ("EI", 0.09))

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
_TYPE_CODES = ("invoice", "credit_note", "payment", "other")
_TYPE_PREFIX = ("FA", "AV", "RG", "OD")
_TYPE_FR = {"invoice": "Facture", "credit_note": "Avoir", "payment": "Règlement", "other": "Autre"}
_DAY0 = np.datetime64("1970-01-01", "D")

# Scale of the headline figures: per 20,000 week-0 items.
_OVERDUE_W0 = 6_600_000.0
_OVERDUE_LAST = 1_500_000.0
_DISPUTE_SHARE = 0.065
_INVOICES_PER_MONTH = 2_100.0

FRENCH_EXPORT_HEADERS = (
    "Société",
    "N° client",
    "Raison sociale",
    "N° pièce",
    "Type",
    "Date pièce",
    "Date échéance",
    "Montant TTC",
    "Devise",
    "Montant devise",
    "Litige",
    "Code litige",
    "Recouvreur",
    "Réseau",
    "Affacturé",
)
"""Headers of ``open_items.csv``, the week-0 snapshot as a French ERP export."""


@dataclass(frozen=True)
class SampleData:
    """The synthetic sample client: canonical tables and the weekly snapshot dates.

    ``ledger`` is in the ``open_items`` schema with ``cleared_date``;
    ``open_at(ledger, snapshot_dates[w])`` is the open-items snapshot of week ``w``.
    ``monthly`` is in the ``working_capital`` schema (plus a ``source`` column).
    """

    customers: pd.DataFrame
    ledger: pd.DataFrame
    payments: pd.DataFrame
    disputes: pd.DataFrame
    dunning: pd.DataFrame
    monthly: pd.DataFrame
    snapshot_dates: list[pd.Timestamp]
    seed: int

    def snapshot(self, week: int = 0) -> pd.DataFrame:
        """Open items (*postes ouverts*) at the snapshot of week ``week`` (0 = audit)."""
        from cashmission.ledger.ageing import open_at

        if not 0 <= week < len(self.snapshot_dates):
            raise ValueError(f"week must be in 0..{len(self.snapshot_dates) - 1}, got {week}")
        return open_at(self.ledger, self.snapshot_dates[week]).reset_index(drop=True)


# --------------------------------------------------------------------------- calendar helpers


def _days(d: str | pd.Timestamp) -> int:
    return int((np.datetime64(pd.Timestamp(d).date(), "D") - _DAY0).astype(np.int64))


def _easter(year: int) -> np.datetime64:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "D")


def french_holidays(first_year: int, last_year: int) -> np.ndarray:
    """French public holidays (*jours fériés*) of the years given, as ``datetime64[D]``."""
    out = []
    for y in range(first_year, last_year + 1):
        out += [
            np.datetime64(f"{y}-{md}", "D")
            for md in ("01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25")
        ]
        e = _easter(y)
        out += [e + 1, e + 39, e + 50]  # Easter Monday, Ascension, Whit Monday
    return np.array(sorted(out), dtype="datetime64[D]")


class _Cal:
    """Business-day rolling on integer day numbers (days since 1970-01-01)."""

    def __init__(self, first: int, last: int) -> None:
        y0 = int(str(_DAY0 + first)[:4]) - 1
        y1 = int(str(_DAY0 + last)[:4]) + 2
        self.holidays = french_holidays(y0, y1)

    def roll(self, days: np.ndarray, forward: bool = True) -> np.ndarray:
        d = _DAY0 + np.asarray(days, dtype=np.int64)
        rolled = np.busday_offset(d, 0, roll="forward" if forward else "backward", holidays=self.holidays)
        return (rolled - _DAY0).astype(np.int64)

    def business_days(self, first: int, last: int) -> np.ndarray:
        d = _DAY0 + np.arange(first, last + 1, dtype=np.int64)
        return (d[np.is_busday(d, holidays=self.holidays)] - _DAY0).astype(np.int64)

    def add(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        d = _DAY0 + np.asarray(days, dtype=np.int64)
        out = np.busday_offset(d, n, roll="forward", holidays=self.holidays)
        return (out - _DAY0).astype(np.int64)


def _month_end(days: np.ndarray) -> np.ndarray:
    d = _DAY0 + np.asarray(days, dtype=np.int64)
    me = (d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return (me - _DAY0).astype(np.int64)


def _due(doc: np.ndarray, terms: np.ndarray, eom: np.ndarray) -> np.ndarray:
    """Due date: document date + terms, then end of month for "fin de mois" terms."""
    d = doc + terms
    return np.where(eom, _month_end(d), d)


def _to_ts(days: np.ndarray) -> np.ndarray:
    """Integer day numbers (``-1`` = missing) to ``datetime64[ns]``."""
    days = np.asarray(days, dtype=np.int64)
    out = (_DAY0 + days).astype("datetime64[ns]")
    out[days < 0] = np.datetime64("NaT")
    return out


# --------------------------------------------------------------------------- names


def _invented_words(rng: np.random.Generator, n: int) -> np.ndarray:
    o = rng.integers(0, len(ONSETS), n)
    m = rng.integers(0, len(MIDDLES), n)
    e = rng.integers(0, len(ENDINGS), n)
    return np.array([ONSETS[a] + MIDDLES[b] + ENDINGS[c] for a, b, c in zip(o, m, e, strict=True)], dtype=object)


def _customer_names(rng: np.random.Generator, segments: np.ndarray, forms: np.ndarray) -> np.ndarray:
    """Unique invented customer names, e.g. ``"Laiterie Saudrac SAS"``."""
    n = len(segments)
    names = np.empty(n, dtype=object)
    taken: set[str] = set()
    todo = np.arange(n)
    while len(todo):
        words = _invented_words(rng, len(todo))
        picks = rng.random(len(todo))
        for i, w, p in zip(todo, words, picks, strict=True):
            templates = NAME_TEMPLATES[segments[i]]
            stem = templates[int(p * len(templates))].format(w=w)
            if forms[i] == "EI":
                stem = f"Ets {w}"
            name = stem if forms[i] == "EI" else f"{stem} {forms[i]}"
            if name not in taken:
                taken.add(name)
                names[i] = name
        todo = np.array([i for i in todo if names[i] is None], dtype=np.int64)
    return names


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


# --------------------------------------------------------------------------- the ledger


def _delays(rng: np.random.Generator, prof: np.ndarray) -> np.ndarray:
    """Natural payment delay after the due date (days), by payer profile index 0..4."""
    n = len(prof)
    d = np.select(
        [prof == 0, prof == 1, prof == 2, prof == 3],
        [
            rng.normal(-1.0, 3.0, n),
            rng.exponential(7.0, n),
            8 + rng.exponential(20.0, n),
            20 + rng.exponential(40.0, n),
        ],
        60 + rng.exponential(150.0, n),
    )
    forgotten = (prof <= 1) & (rng.random(n) < 0.06)  # good payers lose an invoice now and then
    return np.where(forgotten, d + 20 + rng.exponential(45.0, n), d)


def _invoice_flow(
    rng: np.random.Generator,
    cal: _Cal,
    cust: pd.DataFrame,
    size: np.ndarray,
    ticket: np.ndarray,
    first: int,
    last: int,
    scale: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Invoices issued on business days between ``first`` and ``last`` (day numbers)."""
    bdays = cal.business_days(first, last)
    month = (_DAY0 + bdays).astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    season = np.array([0.95, 1.0, 1.1, 1.0, 0.9, 1.1, 1.05, 0.7, 1.1, 1.1, 1.0, 0.85])[month]
    lam = _INVOICES_PER_MONTH * scale / 21.0 * season
    counts = rng.poisson(lam)
    doc = np.repeat(bdays, counts)
    n = len(doc)
    c = rng.choice(len(cust), size=n, p=size / size.sum())
    amount = ticket[c] * rng.lognormal(0.0, 0.8, n)
    big = (
        (cust["segment"].to_numpy()[c] == "Agroalimentaire grands comptes")
        & (cust["entity"].to_numpy()[c] == "FR10")
        & (rng.random(n) < 0.02)
    )
    amount = np.where(big, amount * rng.uniform(5, 20, n), amount)  # production-line milestones
    return c, doc, np.minimum(amount, 600_000.0)


def _collection_factor(
    age: np.ndarray, amount: np.ndarray, prof: np.ndarray, disputed: np.ndarray, other: np.ndarray
) -> np.ndarray:
    """Relative collection hazard: recent, big, undisputed items of good payers go first."""
    f_age = np.select([age <= 30, age <= 90, age <= 180, age <= 365], [1.0, 0.8, 0.5, 0.25], 0.07)
    f_amt = np.clip((np.maximum(amount, 1.0) / 1_000.0) ** 0.3, 0.5, 2.5)
    return f_age * f_amt * _PROFILE_SPEED[prof] * np.where(disputed, 0.1, 1.0) * np.where(other, 0.3, 1.0)


def _build_ledger(
    rng: np.random.Generator,
    cust: pd.DataFrame,
    size: np.ndarray,
    ticket: np.ndarray,
    n_items: int,
    as_of: int,
    last_snap: int,
    horizon: int,
    cal: _Cal,
) -> tuple[pd.DataFrame, dict[str, np.ndarray], pd.DataFrame]:
    """The ledger and the pre-audit paid invoices (for the monthly table)."""
    scale = n_items / 20_000
    nc = len(cust)
    terms = cust["payment_terms_days"].to_numpy(np.int64)
    eom = cust["terms_end_of_month"].to_numpy(bool)
    prof_c = np.searchsorted(np.array(_PROFILES), cust["payer_profile"].to_numpy().astype(str))
    p_size = size / size.sum()
    flow_first = _days(pd.Timestamp(_DAY0 + as_of).to_period("M").start_time - pd.DateOffset(months=17))

    # 1. the invoice flow -------------------------------------------------------------------
    c, doc, amount = _invoice_flow(rng, cal, cust, size, ticket, flow_first, horizon, scale)
    due = _due(doc, terms[c], eom[c])
    natural = cal.roll(np.round(due + _delays(rng, prof_c[c])).astype(np.int64))
    natural = np.maximum(natural, cal.roll(doc + 1))
    keep = (natural > as_of) | (doc > as_of)
    paid_before = pd.DataFrame(
        {
            "c": c[~keep],
            "doc": doc[~keep],
            "clear": natural[~keep],
            "amount": amount[~keep],
            "due": due[~keep],
        }
    )
    flow = {
        "c": c[keep],
        "doc": doc[keep],
        "due": due[keep],
        "amount": amount[keep],
        "natural": natural[keep].astype(float),
        "type": np.zeros(int(keep.sum()), np.int64),
        "origin": np.zeros(int(keep.sum()), np.int64),
    }

    # credit notes and unapplied cash arriving during the mission
    def _negatives(kind: int, rate: float, mu: float, sigma: float, first: int, last: int):
        bd = cal.business_days(first, last)
        k = rng.poisson(rate * _INVOICES_PER_MONTH * scale / 21.0, len(bd))
        d = np.repeat(bd, k)
        cc = rng.choice(nc, size=len(d), p=p_size)
        amt = -ticket[cc] * rng.lognormal(mu, sigma, len(d))
        return {
            "c": cc,
            "doc": d,
            "due": d.copy(),
            "amount": amt,
            "natural": np.full(len(d), np.inf),
            "type": np.full(len(d), kind),
            "origin": np.full(len(d), 3),
        }

    new_cn = _negatives(1, 0.04, -1.8, 0.8, as_of + 1, horizon)
    new_ua = _negatives(2, 0.012, 0.0, 0.5, as_of + 1, horizon)

    open0 = flow["doc"] <= as_of
    n_flow0 = int(open0.sum())

    # 2. the week-0 stock: credit notes, unapplied cash, other entries, old overdue items --
    n_cn, n_ua, n_od = round(0.05 * n_items), round(0.025 * n_items), round(0.012 * n_items)
    n_stuck = n_items - n_flow0 - n_cn - n_ua - n_od
    if n_stuck < 0.3 * n_items:
        raise ValueError(f"n_items={n_items} is too small for the invoice flow of {n_flow0} items")

    def _past(n, mix):
        """Ages (days before the audit) from a mixture of (weight, kind, a, b)."""
        w = np.array([m[0] for m in mix])
        k = rng.choice(len(mix), size=n, p=w / w.sum())
        out = np.empty(n)
        for j, (_, kind, a, b) in enumerate(mix):
            idx = k == j
            out[idx] = a + rng.exponential(b, idx.sum()) if kind == "exp" else rng.uniform(a, b, idx.sum())
        return np.round(out).astype(np.int64)

    cc = rng.choice(nc, size=n_cn, p=p_size)
    dd = cal.roll(as_of - _past(n_cn, [(0.5, "exp", 0, 60), (0.5, "uni", 60, 720)]), forward=False)
    stock_cn = {
        "c": cc,
        "doc": dd,
        "due": dd.copy(),
        "amount": -ticket[cc] * rng.lognormal(-1.5, 0.9, n_cn),
    }
    cc = rng.choice(nc, size=n_ua, p=p_size)
    dd = cal.roll(as_of - _past(n_ua, [(0.6, "exp", 0, 45), (0.4, "uni", 45, 540)]), forward=False)
    stock_ua = {
        "c": cc,
        "doc": dd,
        "due": dd.copy(),
        "amount": -ticket[cc] * rng.lognormal(-0.3, 0.8, n_ua),
    }
    cc = rng.choice(nc, size=n_od, p=p_size)
    dd = cal.roll(as_of - 31 - _past(n_od, [(1.0, "exp", 0, 150)]), forward=False)
    positive = rng.random(n_od) < 0.7
    od_amount = np.where(
        positive,
        np.where(rng.random(n_od) < 0.6, 40.0, 0.02 * ticket[cc] * rng.lognormal(0, 0.5, n_od)),
        -rng.lognormal(3.0, 1.0, n_od),
    )
    stock_od = {"c": cc, "doc": dd, "due": np.where(positive, dd + 30, dd), "amount": od_amount}

    cc = rng.choice(nc, size=n_stuck, p=p_size)
    past_due = _past(n_stuck, [(0.3, "uni", 45, 180), (0.35, "uni", 180, 365), (0.35, "uni", 365, 1100)])
    dd = cal.roll(as_of - past_due - terms[cc], forward=False)
    residue = np.select(
        [past_due <= 180, past_due <= 365],
        [rng.uniform(0.3, 1.0, n_stuck), rng.uniform(0.1, 0.8, n_stuck)],
        rng.uniform(0.03, 0.5, n_stuck),
    )
    stock_inv = {
        "c": cc,
        "doc": dd,
        "due": _due(dd, terms[cc], eom[cc]),
        "amount": ticket[cc] * rng.lognormal(-0.3, 1.0, n_stuck) * residue,
    }

    # scale the old stock so that the week-0 overdue stock hits its target
    target0 = _OVERDUE_W0 * scale
    flow_od = float(flow["amount"][open0 & (flow["due"] < as_of)].sum())
    other_od = float(stock_od["amount"][(stock_od["amount"] > 0) & (stock_od["due"] < as_of)].sum())
    stuck_od_mask = stock_inv["due"] < as_of
    need = target0 - flow_od - other_od
    if need <= 0.2 * target0:
        raise ValueError("the invoice flow alone exceeds the week-0 overdue target")
    stock_inv["amount"] = stock_inv["amount"] * need / stock_inv["amount"][stuck_od_mask].sum()

    def _stock(d, kind, origin):
        n = len(d["c"])
        return {
            **d,
            "natural": np.full(n, np.inf),
            "type": np.full(n, kind),
            "origin": np.full(n, origin),
        }

    parts = [
        flow,
        _stock(stock_inv, 0, 1),
        _stock(stock_cn, 1, 2),
        _stock(stock_ua, 2, 2),
        _stock(stock_od, 3, 2),
        new_cn,
        new_ua,
    ]
    L = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    L["amount"] = np.round(L["amount"], 2)
    L["amount"][(L["amount"] > 0) & (L["amount"] < 1)] = 1.0
    n = len(L["c"])

    # 3. disputes -----------------------------------------------------------------------------
    pos = L["amount"] > 0
    is_inv = L["type"] == 0
    open_w0 = L["doc"] <= as_of
    od0 = pos & open_w0 & (L["due"] < as_of)
    age0 = np.maximum(as_of - L["due"], 0)
    disputed = np.zeros(n, bool)
    cand = np.flatnonzero(od0 & is_inv & (L["amount"] >= 50))
    w = (1 + np.minimum(age0[cand], 400) / 60) * np.clip(L["amount"][cand] / 2_000, 0.2, 3)
    order = cand[np.argsort(-np.log(rng.random(len(cand))) / w, kind="stable")]
    goal, total = _DISPUTE_SHARE * float(L["amount"][od0].sum()), 0.0
    for i in order:  # greedy in a weighted random order, never overshooting
        a = float(L["amount"][i])
        if total + a <= goal:
            disputed[i] = True
            total += a
        if total > 0.995 * goal:
            break
    recent = np.flatnonzero(pos & is_inv & ~od0 & (L["origin"] == 0))  # complaints on fresh invoices
    disputed[recent[rng.random(len(recent)) < 0.012]] = True
    code = np.full(n, None, dtype=object)
    keys = list(DISPUTE_CODES)
    code[disputed] = np.asarray(keys, dtype=object)[
        rng.choice(len(keys), size=int(disputed.sum()), p=[0.3, 0.15, 0.2, 0.15, 0.2])
    ]
    L["natural"] = np.where(disputed, np.inf, L["natural"])
    opened = np.full(n, -1, np.int64)
    before = disputed & open_w0
    span = np.maximum(np.minimum(as_of - L["doc"], 90), 1)
    opened[before] = L["doc"][before] + 1 + np.floor(rng.random(n)[before] * span[before]).astype(np.int64)
    after = disputed & ~open_w0
    opened[after] = L["doc"][after] + rng.integers(3, 16, int(after.sum()))
    opened[disputed] = cal.roll(np.minimum(opened[disputed], np.where(before[disputed], as_of, horizon)), forward=False)

    # 4. collection: solve the hazard scale for the last-snapshot overdue target ---------------
    prof = prof_c[L["c"]]
    base = _collection_factor(age0, L["amount"], prof, disputed, L["type"] == 3)
    base = np.where(L["due"] >= as_of, 0.6 * base, base)  # business as usual: reminders, not a campaign
    expo = rng.exponential(1.0, n)
    start = np.maximum(L["due"], as_of)
    target_last = _OVERDUE_LAST * scale

    # the team gets up to speed over the first weeks: effort ramps linearly to full over
    # `ramp` days: the cumulative effort at mission day u is R(u) = u^2 / 2 ramp,
    # then u - ramp / 2
    ramp = 21.0

    def _effort(u: np.ndarray) -> np.ndarray:
        return np.where(u <= ramp, u * u / (2 * ramp), u - ramp / 2)

    def _inverse(r: np.ndarray) -> np.ndarray:
        return np.where(r <= ramp / 2, np.sqrt(2 * ramp * r), r + ramp / 2)

    r0 = _effort((start - as_of).astype(float))

    def _clear(k: float) -> np.ndarray:
        t = as_of + np.ceil(_inverse(r0 + expo / (k * base)))
        t = np.minimum(np.minimum(t, L["natural"]), horizon + 400)
        out = cal.roll(t.astype(np.int64))
        return np.where(pos & (out <= horizon), out, -1)

    def _overdue(clear: np.ndarray, day: int) -> float:
        m = pos & (L["doc"] <= day) & (L["due"] < day) & ((clear < 0) | (clear > day))
        return float(L["amount"][m].sum())

    lo, hi = np.log(1e-5), np.log(10.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        if _overdue(_clear(float(np.exp(mid))), last_snap) > target_last:
            lo = mid
        else:
            hi = mid
    clear = _clear(float(np.exp(hi)))

    # 5. apply (letter) credit notes and unapplied cash to invoices settled later ---------------
    apply_p = np.select([L["origin"] == 3, L["type"] == 1, L["type"] == 2], [0.85, 0.45, 0.65], 0.0)
    to_apply = np.flatnonzero((L["amount"] < 0) & (rng.random(n) < apply_p))
    to_apply = to_apply[np.lexsort((L["doc"][to_apply], L["c"][to_apply]))]
    cleared_pos = np.flatnonzero(clear >= 0)
    cleared_pos = cleared_pos[np.lexsort((-L["amount"][cleared_pos], clear[cleared_pos], L["c"][cleared_pos]))]
    by_cust: dict[int, list[int]] = {}
    for i in cleared_pos:
        by_cust.setdefault(int(L["c"][i]), []).append(int(i))
    capacity = np.where(clear >= 0, L["amount"] - 1.0, 0.0)
    applied_to = np.full(n, -1, np.int64)
    for j in to_apply:
        for i in by_cust.get(int(L["c"][j]), ()):
            if clear[i] >= max(L["doc"][j], as_of + 1) and capacity[i] >= -L["amount"][j]:
                capacity[i] += L["amount"][j]
                applied_to[j] = i
                clear[j] = clear[i]
                break

    L.update(disputed=disputed, code=code, clear=clear, opened=opened, applied_to=applied_to)
    ledger, extra = _ledger_frame(L, cust, rng)
    return ledger, extra, paid_before


def _ledger_frame(L: dict, cust: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    n = len(L["c"])
    ent = cust["entity"].to_numpy()[L["c"]]
    # document numbers: per entity, type and year, in date order
    tie = rng.random(n)
    order = np.lexsort((tie, L["doc"], L["type"], ent))
    year = (_DAY0 + L["doc"]).astype("datetime64[Y]").astype(np.int64) + 1970
    doc_id = np.empty(n, dtype=object)
    seq: dict[tuple[str, int, int], int] = {}
    for i in order:
        key = (ent[i], int(L["type"][i]), int(year[i]))
        seq[key] = seq.get(key, 0) + 1
        doc_id[i] = f"{_TYPE_PREFIX[key[1]]}{key[2] % 100:02d}-{seq[key]:06d}"
    # lettering codes: one per settled debit item, shared with what was applied to it
    clear = L["clear"]
    match = np.full(n, None, dtype=object)
    settled = np.flatnonzero((clear >= 0) & (L["amount"] > 0))
    settled = settled[np.lexsort((doc_id[settled].astype(str), ent[settled], clear[settled]))]
    codes = np.array([f"L{k + 1:06d}" for k in range(len(settled))], dtype=object)
    match[settled] = codes
    app = np.flatnonzero(L["applied_to"] >= 0)
    match[app] = match[L["applied_to"][app]]

    currency = cust["currency"].to_numpy()[L["c"]]
    rate = np.array([FX_RATES[c] for c in currency])
    factoring = cust["factoring"].to_numpy(bool)[L["c"]]
    df = pd.DataFrame(
        {
            "entity": ent,
            "customer_id": cust["customer_id"].to_numpy()[L["c"]],
            "customer_name": cust["customer_name"].to_numpy()[L["c"]],
            "document_id": doc_id,
            "document_type": np.asarray(_TYPE_CODES, dtype=object)[L["type"]],
            "document_date": _to_ts(L["doc"]),
            "due_date": _to_ts(L["due"]),
            "amount": L["amount"],
            "currency": currency,
            "amount_currency": np.round(L["amount"] * rate, 2),
            "dispute": L["disputed"],
            "dispute_code": L["code"],
            "collector": cust["collector"].to_numpy()[L["c"]],
            "segment": cust["segment"].to_numpy()[L["c"]],
            "factored": factoring & (L["type"] == 0),
            "cleared_date": _to_ts(clear),
            "match_code": match,
        }
    )
    order = np.lexsort((doc_id.astype(str), L["doc"], ent))
    extra = {"opened": L["opened"][order], "customer_index": L["c"][order]}
    return df.iloc[order].reset_index(drop=True), extra


# --------------------------------------------------------------------------- derived tables


def _payments(ledger: pd.DataFrame, cust: pd.DataFrame) -> pd.DataFrame:
    """One row per settled debit item; one payment id per customer and day."""
    cleared = ledger["cleared_date"].notna().to_numpy()
    applied = ledger.loc[cleared & (ledger["amount"] < 0).to_numpy()]
    credit = applied.groupby("match_code")["amount"].sum()
    pay = ledger.loc[cleared & (ledger["amount"] > 0).to_numpy()].copy()
    pay["amount"] = np.round(pay["amount"] + pay["match_code"].map(credit).fillna(0.0), 2)
    pay = pay.sort_values(["cleared_date", "entity", "customer_id", "document_id"], kind="stable")
    day_key = pay["cleared_date"].dt.strftime("%y%m%d").to_numpy().astype(str)
    grp = pd.Series(list(zip(day_key, pay["entity"], pay["customer_id"], strict=True)))
    first = ~grp.duplicated().to_numpy()
    rank = np.cumsum(first)
    day_start = pd.Series(rank[first], index=day_key[first]).groupby(level=0).min()
    number = rank - day_start.reindex(day_key).to_numpy() + 1
    method = pay["customer_id"].map(cust.set_index("customer_id")["payment_method"]).to_numpy()
    method = np.where(method == "traite", "lcr", method)
    return pd.DataFrame(
        {
            "entity": pay["entity"].to_numpy(),
            "customer_id": pay["customer_id"].to_numpy(),
            "payment_id": [f"ENC{d}-{k:04d}" for d, k in zip(day_key, number, strict=True)],
            "payment_date": pay["cleared_date"].to_numpy(),
            "amount": pay["amount"].to_numpy(),
            "currency": pay["currency"].to_numpy(),
            "method": method,
            "document_id": pay["document_id"].to_numpy(),
            "match_code": pay["match_code"].to_numpy(),
        }
    )


def _disputes(
    ledger: pd.DataFrame,
    extra: dict[str, np.ndarray],
    rng: np.random.Generator,
    cal: _Cal,
    last_snap: int,
) -> pd.DataFrame:
    m = ledger["dispute"].to_numpy(bool)
    d = ledger.loc[m]
    opened = extra["opened"][m]
    clear = d["cleared_date"].to_numpy()
    clear_days = np.where(pd.isna(clear), -1, (clear.astype("datetime64[D]") - _DAY0).astype(np.int64))
    lag = rng.integers(0, 6, len(d))
    closed = np.where(clear_days >= 0, np.maximum(cal.add(np.maximum(clear_days, 0), -lag), opened), -1)
    age = last_snap - opened
    stage = np.where(
        closed >= 0,
        "resolved",
        np.select(
            [age < 20, age < 60, age < 180],
            ["identified", "analysis", "awaiting_credit_note"],
            "escalated",
        ),
    )
    codes = d["dispute_code"].to_numpy()
    out = pd.DataFrame(
        {
            "entity": d["entity"].to_numpy(),
            "customer_id": d["customer_id"].to_numpy(),
            "document_id": d["document_id"].to_numpy(),
            "opened_date": _to_ts(opened),
            "closed_date": _to_ts(closed),
            "reason": [DISPUTE_CODES[c][0] for c in codes],
            "owner": [DISPUTE_CODES[c][1] for c in codes],
            "stage": stage,
            "amount": d["amount"].to_numpy(),
            "dispute_code": codes,
        }
    )
    out = out.iloc[np.lexsort((out["document_id"].to_numpy().astype(str), opened, out["entity"].to_numpy()))]
    out.insert(
        1,
        "dispute_id",
        [f"LIT-{e}-{k + 1:05d}" for e, k in zip(out["entity"], out.groupby("entity").cumcount(), strict=True)],
    )
    return out.reset_index(drop=True)


def _dunning(
    ledger: pd.DataFrame,
    extra: dict[str, np.ndarray],
    cust: pd.DataFrame,
    rng: np.random.Generator,
    cal: _Cal,
    snaps: list[int],
    as_of: int,
) -> pd.DataFrame:
    """Customer-level collection actions during the mission, per-invoice letters before it."""
    nc = len(cust)
    ci = extra["customer_index"]
    amount = ledger["amount"].to_numpy()
    doc = (ledger["document_date"].to_numpy().astype("datetime64[D]") - _DAY0).astype(np.int64)
    due = (ledger["due_date"].to_numpy().astype("datetime64[D]") - _DAY0).astype(np.int64)
    cl = ledger["cleared_date"].to_numpy()
    clear = np.where(pd.isna(cl), 10**7, (cl.astype("datetime64[D]") - _DAY0).astype(np.int64))
    disp = ledger["dispute"].to_numpy(bool)
    pos = amount > 0
    profile = cust["payer_profile"].to_numpy()
    collector = cust["collector"].to_numpy()
    rows: list[tuple] = []

    # before the audit: only FR10 sent reminders, one letter per invoice, now and then
    fr10 = (ledger["entity"].to_numpy() == "FR10") & pos & (due < as_of - 15) & (due > as_of - 200)
    sent = fr10 & (rng.random(len(ledger)) < 0.2)
    for i in np.flatnonzero(sent):
        rows.append(
            (
                int(ci[i]),
                ledger["document_id"].iloc[i],
                int(cal.roll(np.array([due[i] + 15]))[0]),
                "reminder_1",
                "letter",
                None,
                np.nan,
            )
        )

    # payments by customer and day, to turn calls into (mostly kept) promises
    settled = pos & (clear < 10**7)
    keys = ci[settled].astype(np.int64) * 100_000 + (clear[settled] - as_of)
    ukeys, inv = np.unique(keys, return_inverse=True)
    sums = np.bincount(inv, weights=amount[settled])

    level = np.zeros(nc, np.int64)
    last = np.full(nc, -99, np.int64)
    injunction = np.zeros(nc, bool)
    notice = np.zeros(nc, bool)
    for w, s in enumerate(snaps):
        openm = pos & (doc <= s) & (clear > s)
        od = openm & (due < s) & ~disp
        od_amt = np.bincount(ci[od], weights=amount[od], minlength=nc)
        dpd = np.zeros(nc, np.int64)
        np.maximum.at(dpd, ci[od], s - due[od])
        has = od_amt >= 1.0
        level[~has] = 0
        if w == 0:
            eligible = has & (od_amt >= np.quantile(od_amt[has], 0.8))
            level[eligible & (od_amt >= np.quantile(od_amt[has], 0.95))] = 2  # quick wins: call first
        elif w == 1:
            eligible = has & (od_amt >= np.quantile(od_amt[has], 0.5)) & (last < 0)
        else:
            eligible = has & ((last < 0) | (w - last >= 2))
        acting = np.flatnonzero(eligible)
        when = cal.add(np.full(len(acting), s), rng.integers(0, 4, len(acting)))
        level[acting] += 1
        last[acting] = w
        coin = rng.random(len(acting))
        for c, d, lv, u in zip(acting, when, level[acting], coin, strict=True):
            c, d, amt = int(c), int(d), float(od_amt[c])
            call = False
            if lv == 1:
                rows.append((c, None, d, "reminder_1", "email", None, np.nan))
            elif lv == 2:
                rows.append((c, None, d, "reminder_2", "email", None, np.nan))
            elif lv == 3:
                if not (w == 0 and amt >= 2_000):  # quick wins of week 0: a call first
                    rows.append((c, None, d, "reminder_3", "letter", None, np.nan))
                call = amt >= 2_000
            elif amt >= 5_000 and dpd[c] >= 60 and not notice[c]:
                notice[c] = True
                rows.append((c, None, d, "formal_notice", "registered_letter", None, np.nan))
            elif profile[c] == "E" and amt >= 20_000 and notice[c] and not injunction[c] and lv >= 6:
                injunction[c] = True
                rows.append((c, None, d, "injunction", "court", None, np.nan))
            elif amt >= 2_000:
                call = True
            elif lv % 2 == 0:
                rows.append((c, None, d, "reminder_3", "letter", None, np.nan))
            if call:
                rows.append((c, None, d, "call", "phone", None, np.nan))
                k = np.searchsorted(ukeys, c * 100_000 + (d - as_of) + 1)
                paid = k < len(ukeys) and ukeys[k] // 100_000 == c and ukeys[k] % 100_000 <= d - as_of + 30
                if paid and u < 0.75:
                    rows.append(
                        (
                            c,
                            None,
                            d,
                            "promise",
                            "phone",
                            as_of + int(ukeys[k] % 100_000),
                            float(sums[k]),
                        )
                    )
                elif not paid and u < 0.3:  # a promise that will not be kept
                    rows.append(
                        (
                            c,
                            None,
                            d,
                            "promise",
                            "phone",
                            int(cal.add(np.array([d]), 10)[0]),
                            float(np.round(amt * (0.3 + 0.7 * u / 0.3), -2)),
                        )
                    )
        if w >= 2:  # pre-reminders, a new step of the process from week 2
            soon = pos & (doc <= s) & (clear > s) & (due > s) & (due <= s + 7) & ~disp
            pre = np.unique(ci[soon])
            pre = pre[profile[pre] != "A"]
            d = int(cal.add(np.array([s]), 1)[0])
            rows += [(int(c), None, d, "pre_reminder", "email", None, np.nan) for c in pre]

    df = pd.DataFrame(rows, columns=["c", "document_id", "day", "action", "channel", "promise", "promise_amount"])
    df = df.iloc[np.lexsort((df["c"].to_numpy(), df["day"].to_numpy()))].reset_index(drop=True)
    c = df["c"].to_numpy()
    promise = df["promise"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "entity": cust["entity"].to_numpy()[c],
            "customer_id": cust["customer_id"].to_numpy()[c],
            "document_id": df["document_id"].to_numpy(dtype=object),
            "action_date": _to_ts(df["day"].to_numpy(np.int64)),
            "action": df["action"].to_numpy(dtype=object),
            "channel": df["channel"].to_numpy(dtype=object),
            "collector": collector[c],
            "promise_date": _to_ts(np.where(np.isnan(promise), -1, promise).astype(np.int64)),
            "promise_amount": df["promise_amount"].to_numpy(dtype=float),
        }
    )


def _monthly(
    ledger: pd.DataFrame,
    extra: dict[str, np.ndarray],
    paid_before: pd.DataFrame,
    cust: pd.DataFrame,
    as_of: int,
    horizon: int,
) -> pd.DataFrame:
    """Monthly revenue and receivables: 12 months before the audit and the mission months."""
    vat_c = np.where(cust["country"].to_numpy() == "FR", 0.20, 0.0)
    ci = extra["customer_index"]
    dt = ledger["document_type"].to_numpy()

    def days(col):
        v = ledger[col].to_numpy()
        return np.where(pd.isna(v), 10**7, (v.astype("datetime64[D]") - _DAY0).astype(np.int64))

    # the whole simulation = the ledger + invoices paid before the audit (not in the ledger)
    doc = np.concatenate([days("document_date"), paid_before["doc"].to_numpy()])
    due = np.concatenate([days("due_date"), paid_before["due"].to_numpy()])
    clear = np.concatenate([days("cleared_date"), paid_before["clear"].to_numpy()])
    amount = np.concatenate([ledger["amount"].to_numpy(), paid_before["amount"].to_numpy()])
    sales = np.concatenate([np.isin(dt, ["invoice", "credit_note"]), np.ones(len(paid_before), bool)])
    vat = np.concatenate([vat_c[ci], vat_c[paid_before["c"].to_numpy()]])

    first_month = (_DAY0 + as_of).astype("datetime64[M]") - 12
    last_month = (_DAY0 + horizon).astype("datetime64[M]")
    months = np.arange(first_month, last_month + 1)
    rows = []
    for m in months:
        start = int((m.astype("datetime64[D]") - _DAY0).astype(np.int64))
        end = int(((m + 1).astype("datetime64[D]") - _DAY0).astype(np.int64)) - 1
        in_month = sales & (doc >= start) & (doc <= end)
        ttc = float(amount[in_month].sum())
        ht = float((amount[in_month] / (1 + vat[in_month])).sum())
        open_ = (doc <= end) & (clear > end)
        rows.append(
            {
                "period_end": _to_ts(np.array([end]))[0],
                "period_days": end - start + 1,
                "revenue": round(ht, 2),
                "vat_collected": round(ttc - ht, 2),
                "receivables": round(float(amount[open_].sum()), 2),
                "receivables_not_due": round(float(amount[open_ & (due >= end)].sum()), 2),
                "source": "ledger" if end >= as_of else "simulation",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- public API


def generate_sample(
    seed: int = 2026,
    n_customers: int = 2000,
    n_items: int = 20000,
    start: str = "2026-08-03",
    weeks: int = 13,
) -> SampleData:
    """Generate the synthetic sample client (*client de démonstration*).

    Parameters
    ----------
    seed : seed of ``numpy.random.default_rng``; the same seed gives the same data.
    n_customers : number of customer accounts.
    n_items : number of open items at the audit (week 0); the headline amounts scale
        with it (6.6 M€ overdue at week 0 and 1.5 M€ at the last week per 20,000 items).
    start : audit date, week 0 (ISO).
    weeks : number of weekly snapshots (week 0 included).

    Returns
    -------
    SampleData
        ``customers``, ``ledger`` (``open_items`` schema with ``cleared_date``),
        ``payments``, ``disputes``, ``dunning``, ``monthly`` (``working_capital``
        schema) and ``snapshot_dates``.

    Notes
    -----
    The ledger runs to the end of the month of the last snapshot (2026-10-31 by
    default) so that the month-end receivables of the mission months come from it;
    ``cleared_date`` is empty for items still open then.  Overdue means a positive
    item whose due date is before the snapshot date.
    """
    if n_customers < 10 or n_items < 100 or weeks < 1:
        raise ValueError(f"need n_customers >= 10, n_items >= 100, weeks >= 1; got {n_customers}, {n_items}, {weeks}")
    rng = np.random.default_rng(seed)
    as_of = _days(start)
    snaps = [as_of + 7 * w for w in range(weeks)]
    horizon = int(_month_end(np.array([snaps[-1]]))[0])
    cal = _Cal(as_of - 1200, horizon + 800)
    cust, size, ticket = _make_customers(rng, n_customers, as_of)
    ledger, extra, paid_before = _build_ledger(rng, cust, size, ticket, n_items, as_of, snaps[-1], horizon, cal)
    payments = _payments(ledger, cust)
    disputes = _disputes(ledger, extra, rng, cal, snaps[-1])
    dunning = _dunning(ledger, extra, cust, rng, cal, snaps, as_of)
    monthly = _monthly(ledger, extra, paid_before, cust, as_of, horizon)
    ledger = tables.coerce(ledger, "open_items").drop(columns=["source_row"])
    customers = tables.coerce(cust, "customers").drop(columns=["siren"])
    return SampleData(
        customers=customers,
        ledger=ledger,
        payments=tables.coerce(payments, "payments"),
        disputes=tables.coerce(disputes, "disputes"),
        dunning=tables.coerce(dunning, "dunning"),
        monthly=tables.coerce(monthly, "working_capital")[
            [
                "period_end",
                "period_days",
                "revenue",
                "vat_collected",
                "receivables",
                "receivables_not_due",
                "source",
            ]
        ],
        snapshot_dates=[pd.Timestamp(_DAY0 + s) for s in snaps],
        seed=seed,
    )


def generate_open_items(n: int, seed: int = 0, as_of: str = "2026-08-03") -> pd.DataFrame:
    """Fast synthetic open items (*postes ouverts*) in the canonical schema, for benchmarks.

    Vectorised: a million rows take a second or two.  No ``cleared_date``; the mix
    (90 % invoices, credit notes, unapplied cash, other entries, 3 % disputed, a
    long tail of old overdue items) looks like :func:`generate_sample`'s week 0.

    >>> items = generate_open_items(1000, seed=1)
    >>> len(items), items["document_id"].is_unique
    (1000, True)
    """
    rng = np.random.default_rng(seed)
    d0 = _days(as_of)
    n_cust = max(10, n // 20)
    pool, _, ticket = _make_customers(np.random.default_rng(seed + 1), min(n_cust, 500), d0)
    cust = rng.integers(0, n_cust, n)
    pool_i = cust % len(pool)
    kind = rng.choice(4, size=n, p=[0.90, 0.06, 0.03, 0.01])
    age = np.where(rng.random(n) < 0.6, rng.exponential(40.0, n), rng.uniform(40, 1100, n)).astype(np.int64)
    doc = d0 - age
    terms = pool["payment_terms_days"].to_numpy(np.int64)[pool_i]
    due = np.where(kind == 0, doc + terms, doc)
    amount = ticket[pool_i] * rng.lognormal(0.0, 1.0, n)
    amount = np.round(np.where((kind == 1) | (kind == 2), -0.3 * amount, amount), 2)
    currency = pool["currency"].to_numpy()[pool_i]
    rate = np.select([currency == "USD", currency == "GBP"], [FX_RATES["USD"], FX_RATES["GBP"]], 1.0)
    disputed = (kind == 0) & (rng.random(n) < 0.03)
    codes = np.asarray(list(DISPUTE_CODES), dtype=object)[rng.integers(0, len(DISPUTE_CODES), n)]
    prefix = np.asarray(_TYPE_PREFIX, dtype=object)[kind]
    ids = np.array([f"{p}{i:08d}" for p, i in zip(prefix, range(n), strict=True)], dtype=object)
    columns = {
        "entity": pool["entity"].to_numpy()[pool_i],
        "customer_id": np.array([f"C{i:06d}" for i in range(n_cust)], dtype=object)[cust],
        "customer_name": pool["customer_name"].to_numpy()[pool_i],
        "document_id": ids,
        "document_type": np.asarray(_TYPE_CODES, dtype=object)[kind],
        "document_date": _to_ts(doc),
        "due_date": _to_ts(due),
        "amount": amount,
        "currency": currency,
        "amount_currency": np.round(amount * rate, 2),
        "dispute": disputed,
        "dispute_code": np.where(disputed, codes, None),
        "collector": pool["collector"].to_numpy()[pool_i],
        "segment": pool["segment"].to_numpy()[pool_i],
        "factored": pool["factoring"].to_numpy(bool)[pool_i] & (kind == 0),
    }
    # explicit object dtype: pandas 3 would infer its own string dtype, not the canonical one
    return pd.DataFrame({k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in columns.items()})


# --------------------------------------------------------------------------- files


def weekly_figures(data: SampleData) -> pd.DataFrame:
    """Headline figures of each weekly snapshot: items, total, not due, overdue, disputed."""
    rows = []
    for w, d in enumerate(data.snapshot_dates):
        snap = data.snapshot(w)
        od = (snap["amount"] > 0) & (snap["due_date"] < d)
        rows.append(
            {
                "week": w,
                "as_of": d,
                "items": len(snap),
                "total": round(float(snap["amount"].sum()), 2),
                "not_due": round(float(snap.loc[snap["due_date"] >= d, "amount"].sum()), 2),
                "overdue": round(float(snap.loc[od, "amount"].sum()), 2),
                "overdue_disputed": round(float(snap.loc[od & snap["dispute"], "amount"].sum()), 2),
            }
        )
    return pd.DataFrame(rows)


def french_export(items: pd.DataFrame) -> pd.DataFrame:
    """Open items as a typical French ERP export (the columns of ``open_items.csv``), as text."""
    items = items.sort_values(["entity", "customer_id", "document_date", "document_id"], kind="stable")

    def money(s: pd.Series) -> list[str]:
        return [f"{v:.2f}".replace(".", ",") for v in s.to_numpy(dtype=float)]

    def fr_date(s: pd.Series) -> list[str]:
        return list(s.dt.strftime("%d/%m/%Y").to_numpy(dtype=object))

    yes_no = {True: "Oui", False: "Non"}
    return pd.DataFrame(
        {
            "Société": items["entity"].to_numpy(dtype=object),
            "N° client": items["customer_id"].to_numpy(dtype=object),
            "Raison sociale": items["customer_name"].to_numpy(dtype=object),
            "N° pièce": items["document_id"].to_numpy(dtype=object),
            "Type": items["document_type"].map(_TYPE_FR).to_numpy(dtype=object),
            "Date pièce": fr_date(items["document_date"]),
            "Date échéance": fr_date(items["due_date"]),
            "Montant TTC": money(items["amount"]),
            "Devise": items["currency"].to_numpy(dtype=object),
            "Montant devise": money(items["amount_currency"]),
            "Litige": items["dispute"].map(yes_no).to_numpy(dtype=object),
            "Code litige": items["dispute_code"].fillna("").to_numpy(dtype=object),
            "Recouvreur": items["collector"].to_numpy(dtype=object),
            "Réseau": items["segment"].to_numpy(dtype=object),
            "Affacturé": items["factored"].map(yes_no).to_numpy(dtype=object),
        },
        columns=list(FRENCH_EXPORT_HEADERS),
    )


def _csv(df: pd.DataFrame, path: Path) -> None:
    # .csv.gz files get a fixed gzip timestamp so that regeneration is byte-for-byte.
    compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None
    df.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n", encoding="utf-8", compression=compression)


def _readme(data: SampleData, sizes: dict[str, int]) -> str:
    wk = weekly_figures(data)
    w0, wl = wk.iloc[0], wk.iloc[-1]
    snap0, snapl = data.snapshot(0), data.snapshot(len(wk) - 1)
    d0, dl = data.snapshot_dates[0], data.snapshot_dates[-1]

    def meur(x: float) -> str:
        return f"{x / 1e6:,.2f} M€".replace(",", " ").replace(".", ",")

    def by_entity(snap: pd.DataFrame, d: pd.Timestamp) -> dict[str, float]:
        m = (snap["amount"] > 0) & (snap["due_date"] < d)
        return snap.loc[m].groupby("entity")["amount"].sum().to_dict()

    e0, el = by_entity(snap0, d0), by_entity(snapl, dl)
    cn = snap0["document_type"] == "credit_note"
    ua = snap0["document_type"] == "payment"
    lines = [
        "# Sample client data (synthetic)",
        "",
        "**Every figure, name and number in this folder is synthetic**, generated by",
        f"`python -m cashmission.samples --seed {data.seed}` (`cashmission/samples/generator.py`,",
        f"`generate_sample(seed={data.seed})`).  Customer names are built from invented syllables,",
        "collectors have invented first names, no real company identifier is generated.",
        "Regenerating with the same seed gives the same files byte for byte.",
        "",
        "The client: an industrial group selling food-production lines and safety pumps in",
        "France and abroad — entities " + ", ".join(f"`{k}` ({v})" for k, v in ENTITIES.items()) + ".",
        f"Audit (week 0) on {d0:%Y-%m-%d}, then weekly snapshots to {dl:%Y-%m-%d} (week {len(wk) - 1}).",
        "",
        "## Headline figures",
        "",
        f"- customers: {len(data.customers):,}".replace(",", " "),
        f"- open items at week 0: {int(w0['items']):,}".replace(",", " ") + f", total {meur(w0['total'])}",
        f"- overdue stock at week 0: **{meur(w0['overdue'])}**; "
        f"at week {len(wk) - 1}: **{meur(wl['overdue'])}** "
        f"({(wl['overdue'] / w0['overdue'] - 1) * 100:+.0f} %)",
        f"- disputed overdue at week 0: {meur(w0['overdue_disputed'])} "
        f"({w0['overdue_disputed'] / w0['overdue'] * 100:.1f} % of the overdue stock)",
        f"- at week 0: {int(cn.sum())} credit notes ({meur(snap0.loc[cn, 'amount'].sum())}), "
        f"{int(ua.sum())} unapplied payments ({meur(snap0.loc[ua, 'amount'].sum())}), "
        f"{int(snap0['factored'].sum())} factored items",
        "",
        "Overdue = positive items whose due date is before the snapshot date.",
        "",
        "| entity | overdue week 0 | overdue week " + str(len(wk) - 1) + " |",
        "|---|---:|---:|",
    ]
    lines += [f"| {e} | {meur(e0.get(e, 0.0))} | {meur(el.get(e, 0.0))} |" for e in ENTITIES]
    lines += [
        "",
        "Weekly snapshots (`open_at(ledger, as_of)`):",
        "",
        "| week | as_of | items | total | not due | overdue | of which disputed |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {int(r.week)} | {r.as_of:%Y-%m-%d} | {int(r['items'])} | {meur(r.total)} | "
        f"{meur(r.not_due)} | "
        f"{meur(r.overdue)} | {meur(r.overdue_disputed)} |"
        for _, r in wk.iterrows()
    ]
    lines += [
        "",
        "Monthly figures (`monthly.csv`), simple DSO = receivables / revenue TTC of the last 3 months × days:",
        "",
        "| month end | revenue HT | receivables | DSO (days) | source |",
        "|---|---:|---:|---:|---|",
    ]
    mo = data.monthly
    ttc = mo["revenue"] + mo["vat_collected"]
    for i in range(2, len(mo)):
        r = mo.iloc[i]
        dso = r.receivables / ttc.iloc[i - 2 : i + 1].sum() * mo["period_days"].iloc[i - 2 : i + 1].sum()
        lines.append(
            f"| {r.period_end:%Y-%m-%d} | {meur(r.revenue)} | {meur(r.receivables)} | {dso:.0f} | {r.source} |"
        )
    files = {
        "open_items.csv": (
            "the week-0 snapshot as a French ERP export: UTF-8 with BOM, `;`, decimal comma, "
            "dd/mm/yyyy, CRLF; headers `" + ";".join(FRENCH_EXPORT_HEADERS) + "`"
        ),
        "ledger.csv.gz": (
            "every document open at some snapshot or issued during the mission, canonical "
            "`open_items` columns with `cleared_date` (empty while open at the end of the "
            "ledger, the last day of the month of the last snapshot); `open_at(ledger, date)` "
            "gives any snapshot"
        ),
        "customers.csv": (
            "canonical `customers` columns plus `currency`, `payer_profile` (A–E, used by "
            "the generator) and `factoring` (under the factoring contract)"
        ),
        "payments.csv.gz": (
            "one row per settled debit item (payment_date = cleared_date); one payment id "
            "per customer and day; amount = the item less the credit notes / unapplied cash "
            "lettered with it (`match_code`)"
        ),
        "disputes.csv": "one dispute per disputed ledger item; closed when the item is settled",
        "dunning.csv.gz": (
            "collection actions: per-invoice letters of FR10 before the audit, "
            "customer-level actions (one letter per customer) during the mission, promises "
            "after calls"
        ),
        "monthly.csv": (
            "`working_capital` columns: revenue HT and VAT by document month, receivables at "
            "month end; `source` = `ledger` when computed from the ledger, `simulation` for "
            "the months before the audit (the generator's invoice flow, including invoices "
            "paid before the audit that are not in the ledger; items settled before the audit "
            "other than that flow are not simulated)"
        ),
    }
    lines += ["", "## Files", "", "| file | size | content |", "|---|---:|---|"]
    lines += [f"| `{f}` | {sizes.get(f, 0) / 1024:.0f} KB | {t} |" for f, t in files.items()]
    lines += [
        "",
        "## What is synthetic, and simplified",
        "",
        "- All of it.  Amounts are TTC in EUR; USD and GBP documents carry `amount_currency` at "
        "fixed rates (" + ", ".join(f"{k} {v}" for k, v in FX_RATES.items() if k != "EUR") + " per EUR).",
        "- VAT: 20 % for customers in France, none for the others (intra-EU and export).",
        "- Settlements are full (no partial payments); the dispute flag of a ledger item is its "
        "status over its life (dates in `disputes.csv`).",
        "- Collection is modelled, not recorded: a settlement hazard high for recent, big, "
        "undisputed items of good payers and low for old or disputed ones, scaled so that the "
        "overdue stock falls to the announced figure at the last week.",
        "",
    ]
    return "\n".join(lines)


def write_sample(out_dir: str | Path, data: SampleData | None = None) -> dict[str, Path]:
    """Write the sample client's files into ``out_dir``; return ``{file name: path}``.

    Files: ``open_items.csv`` (the week-0 snapshot as a French ERP export),
    ``ledger.csv.gz``, ``customers.csv``, ``payments.csv.gz``, ``disputes.csv``,
    ``dunning.csv.gz``, ``monthly.csv`` (canonical English columns, ISO dates; the
    three large tables gzipped to keep the bundled sample small — pandas and the
    loaders read them as they are) and a ``README.md`` with the headline figures.
    """
    data = generate_sample() if data is None else data
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out / name
        for name in (
            "open_items.csv",
            "ledger.csv.gz",
            "customers.csv",
            "payments.csv.gz",
            "disputes.csv",
            "dunning.csv.gz",
            "monthly.csv",
            "README.md",
        )
    }
    french_export(data.snapshot(0)).to_csv(
        paths["open_items.csv"], sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    for name in ("ledger", "customers", "payments", "disputes", "dunning", "monthly"):
        file = f"{name}.csv.gz" if f"{name}.csv.gz" in paths else f"{name}.csv"
        _csv(getattr(data, name), paths[file])
    sizes = {n: p.stat().st_size for n, p in paths.items() if n != "README.md"}
    paths["README.md"].write_text(_readme(data, sizes), encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cashmission.samples [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m cashmission.samples",
        description="Regenerate the synthetic sample client files.",
    )
    default_out = Path(__file__).resolve().parents[2] / "data_samples" / "demo"
    parser.add_argument("--out", type=Path, default=default_out, help=f"output folder (default: {default_out})")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, generate_sample(seed=args.seed)).values():
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
