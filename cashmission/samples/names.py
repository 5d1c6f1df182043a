"""Reference lists of the sample client (entities, networks, collectors, dispute codes), the scale of its
headline figures, and its invented names."""

from __future__ import annotations

import numpy as np

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

# Scale of the headline figures: per 20,000 week-0 items.
_OVERDUE_W0 = 6_600_000.0
_OVERDUE_LAST = 1_500_000.0
_DISPUTE_SHARE = 0.065
_INVOICES_PER_MONTH = 2_100.0


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
