"""The KPI table's formulas and conventions in French (*formules et conventions*).

The domain writes each KPI's formula and convention in English, with its numbers in the
English notation (``kpi_table``'s ``formula`` and ``convention`` columns, also carried
by the CSV and JSON output).  :func:`formula_text` gives them in the report's language:
:data:`FORMULA_FR` holds the French of every phrase the domain writes, longest first,
applied in one pass so that a French word is never translated again.  A test runs
``cashmission kpi`` in French on a workbook, a CSV and a FEC and fails on any English
word left (``tests/unit/cli/test_commands.py``): a new English phrase needs its line here.
"""

from __future__ import annotations

import re

from cashmission.report.labels import Lang, _check_lang

# ---------------------------------------------------------------------------------------
# Formulas and conventions of the KPI table (written in English by the domain) in French.
# Longest phrases first; one pass, so a French word is never translated again.
# ---------------------------------------------------------------------------------------
FORMULA_FR: tuple[tuple[str, str], ...] = (
    # the notes kpi prints under a FEC's figures (fec_period, working_capital.table.figure_warnings)
    (
        r"the file holds only opening entries \(à-nouveaux\) dated (\S+): no entry after the opening, so the "
        r"balances are the opening balances and the flows \(revenue, purchases\) are empty",
        r"le fichier ne contient que des à-nouveaux datés du \1 : aucune écriture après l'ouverture, donc les "
        r"soldes sont ceux d'ouverture et les flux (CA, achats) sont vides",
    ),
    (
        r"the file name gives the closing date (\S+) but the entries run from (\S+) to (\S+): the name does not "
        r"fit the data \(anonymised or renamed file\?\); the fiscal year is taken from the data",
        r"le nom du fichier donne la date de clôture \1 mais les écritures vont du \2 au \3 : le nom ne correspond "
        r"pas aux données (fichier anonymisé ou renommé ?) ; l'exercice est pris dans les données",
    ),
    (
        r"receivables are zero or missing at (\d+) of (\d+) month ends although revenue was booked: they are "
        r"settled at once or booked only at closing, so DSO says little about customers",
        r"les créances clients sont nulles ou absentes à \1 fins de mois sur \2 alors que du CA a été comptabilisé : "
        r"elles sont réglées aussitôt ou comptabilisées seulement à la clôture, donc le DSO dit peu des clients",
    ),
    (
        r"payables are zero or missing at (\d+) of (\d+) month ends although purchases was booked: they are "
        r"settled at once or booked only at closing, so DPO says little about suppliers",
        r"les dettes fournisseurs sont nulles ou absentes à \1 fins de mois sur \2 alors que des achats ont été "
        r"comptabilisés : elles sont réglées aussitôt ou comptabilisées seulement à la clôture, donc le DPO dit "
        r"peu des fournisseurs",
    ),
    # the period of a FEC (working_capital.fec_figures.period_sentence), fragment by fragment
    (
        r"period measured (\S+) to (\S+) \((\d+) days\): from ",
        r"période mesurée du \1 au \2 (\3 jours) : depuis ",
    ),
    (r"the opening entries to ", "les à-nouveaux jusqu'à "),
    (r"the first day of the first entry's month to ", "le premier jour du mois de la première écriture jusqu'à "),
    (r"the fiscal-year end \(short fiscal year, (\d+) months\)", r"la clôture de l'exercice (exercice court, \1 mois)"),
    (r"the fiscal-year end \(long fiscal year, (\d+) months\)", r"la clôture de l'exercice (exercice long, \1 mois)"),
    (r"the fiscal-year end \((\d+) months\)", r"la clôture de l'exercice (\1 mois)"),
    (r"the last entry, before the fiscal-year end (\S+)", r"la dernière écriture, avant la clôture du \1"),
    (r"the date asked for \(as_of\)", "la date demandée (as_of)"),
    (
        r"the month end of the last entry \((\d+) months; no closing date known from the file name\)",
        r"la fin du mois de la dernière écriture (\1 mois ; date de clôture inconnue d'après le nom du fichier)",
    ),
    (
        r"the opening day: no entry after the opening entries",
        "le jour d'ouverture : aucune écriture après les à-nouveaux",
    ),
    # simplified conventions (working_capital.table_rows) and the accounts behind DPO (fec_figures)
    (r"simplified: purchases, not consumption", "simplifié : achats, pas consommation"),
    (r"simplified: revenue, not the cost of production", "simplifié : CA, pas coût de production"),
    (r"trade working capital only: ", "BFR d'exploitation seulement : "),
    (
        r"\(VAT, social and tax debts, advances, prepaid items left out\)",
        "(hors TVA, dettes sociales et fiscales, avances et acomptes, charges constatées d'avance)",
    ),
    (r"\(603 stock variations excluded\), debit - credit", "(hors 603 variations de stocks), débit − crédit"),
    (
        r"purchases and other external charges \(Banque de France DPO\)",
        "achats et autres charges externes (DPO de la Banque de France)",
    ),
    (
        r"purchases of goods and materials only \(61, 62 external charges left out\)",
        "achats de marchandises et matières seulement (charges externes 61, 62 exclues)",
    ),
    # the terms behind the receivables not yet due of a FEC (terms.terms_description)
    (r"due dates derived: ", "échéances calculées : "),
    (r"(\d+) days end of month from the document date", r"date de pièce + \1 jours fin de mois"),
    (r"(\d+) days from the document date", r"date de pièce + \1 jours"),
    (r"per party( \(\d+\))?: ", r"par tiers\1 : "),
    (r"(\d+) days end of month", r"\1 jours fin de mois"),
    (r"\(assumed: no --terms\)", "(par défaut : pas de --terms)"),
    (
        r"months of revenue TTC walked back from the period end: full months add their days, "
        r"the last one remaining / its sales × its days",
        "mois de CA TTC remontés depuis la fin de période : un mois entier ajoute ses jours, "
        "le dernier reste / ses ventes × ses jours",
    ),
    (
        r"receivables exceed the whole history: remainder extrapolated at the average daily sales",
        "les créances dépassent tout l'historique : reste extrapolé au CA journalier moyen",
    ),
    (
        r"Credit Research Foundation, as a fraction \(×100 for the CRF figure\)",
        "Credit Research Foundation, en fraction (×100 pour le chiffre CRF)",
    ),
    (
        r"revenue TTC of every month of the period \(VAT collected or vat_rate\)",
        "CA TTC de chaque mois de la période (TVA collectée ou vat_rate)",
    ),
    (
        r"no factoring or discount figures given: economic DSO left empty",
        "ni créances cédées ni escomptées renseignées : DSO économique laissé vide",
    ),
    (r"stocks HT \+ receivables TTC − payables TTC at", "stocks HT + créances TTC − dettes fournisseurs TTC au"),
    (r"needs VAT collected \(or vat_rate\) for revenue TTC", "il faut la TVA collectée (ou vat_rate) pour le CA TTC"),
    (r"needs factored_receivables or discounted_receivables", "il faut factored_receivables ou discounted_receivables"),
    (r"factored and discounted receivables added back", "créances cédées et escomptées réintégrées"),
    (r"flows of the window left empty", "flux de la période laissés vides"),
    (r"flows of revenue left empty", "flux de CA laissés vides"),
    (r"simple method on receivables not yet due", "méthode simple sur les créances non échues"),
    (r"countback DSO − best possible DSO", "DSO par épuisement − meilleur DSO possible"),
    (r"simple DSO − best possible DSO", "DSO simple − meilleur DSO possible"),
    (r"share of receivables past due at", "part des créances échues au"),
    (r"negative receivables: no days of sales", "créances négatives : aucun jour de ventes"),
    (r"no sales to extrapolate from", "aucune vente pour extrapoler"),
    (r"30-day months walked back from", "mois de 30 jours remontés depuis le"),
    (r"calendar months walked back from", "mois calendaires remontés depuis le"),
    (r"on receivables not yet due", "sur les créances non échues"),
    (r"receivables not yet due", "créances non échues"),
    (r"revenue \+ VAT collected", "CA + TVA collectée"),
    (r"purchases HT \+ deductible VAT", "achats HT + TVA déductible"),
    (r"raw-material purchases HT", "achats de matières premières HT"),
    (r"goods purchases HT", "achats de marchandises HT"),
    (r"days counted in the period", "jours comptés dans la période"),
    (r"trailing (\d+) months? to", r"\1 mois glissants au"),
    (r"\(fewer than (\d+) available\)", r"(moins de \1 disponibles)"),
    (r"(\d+)-day year", r"année de \1 jours"),
    (r"calendar days", "jours calendaires"),
    (r"year ending", "année close le"),
    (r"month ending", "mois clos le"),
    (r"other ending", "période close le"),
    (r"needs VAT collected \(or vat_rate\)", "il faut la TVA collectée (ou vat_rate)"),
    (r"needs monthly figures", "il faut des chiffres mensuels"),
    (r"sum of revenue HT", "somme du CA HT"),
    (r"trade receivables", "créances clients"),
    (r"opening receivables at", "créances d'ouverture au"),
    (r"N = (\d+) months", r"N = \1 mois"),
    (r"CEI over the (\d+) months after it", r"CEI sur les \1 mois suivants"),
    (r"no receivables at", "pas de créances au"),
    (r"opening at", "ouverture au"),
    (r"\(opening\)", "(ouverture)"),
    (r"no factored receivables given: counted 0", "créances cédées non renseignées : comptées 0"),
    (r"no discounted receivables given: counted 0", "créances escomptées non renseignées : comptées 0"),
    (r"not given: counted 0", "non renseigné : compté 0"),
    (r"missing: BFR left empty", "manquant : BFR laissé vide"),
    (r"missing: walk stopped", "manquant : parcours arrêté"),
    (r"history exhausted", "historique épuisé"),
    (r"left uncounted", "non comptés"),
    (r"missing for", "manquant pour"),
    (r"left empty", "laissé vide"),
    (r"days of revenue HT", "jours de CA HT"),
    (r"cash worth one day", "valeur d'un jour"),
    (r"VAT collected", "TVA collectée"),
    (r"deductible VAT", "TVA déductible"),
    (r"revenue HT", "CA HT"),
    (r"revenue TTC", "CA TTC"),
    (r"purchases TTC", "achats TTC"),
    (r"no figures for", "pas de chiffres pour"),
    (r"receivables unknown", "créances inconnues"),
    (r"sales of", "ventes de"),
    (r"TTC at", "TTC au"),
    (r"stock at", "stock au"),
    (r"at (\d{4}-\d{2}-\d{2})", r"au \1"),
    (r"needs\b", "il faut"),
    (r"\breceivables\b", "créances"),
    (r"\bpayables\b", "dettes fournisseurs"),
    (r"\bpurchases\b", "achats"),
    (r"\bn/a\b", "n.d."),
    (r"\brevenue\b", "CA"),
    (r"\band\b", "et"),
)
"""(English regular expression, French replacement) pairs for :func:`formula_text`."""

_FORMULA_RE = re.compile("|".join(f"({p})" for p, _ in FORMULA_FR))


def formula_text(text: str, lang: Lang = "fr") -> str:
    """A KPI's formula or convention (written in English by the domain) in ``lang``.

    Numbers and dates keep their notation (decimal point, ISO dates: ``formula_note``
    says so); the words follow :data:`FORMULA_FR`, in one pass.

    >>> formula_text("trade receivables = 5,490,000; trailing 12 months to 2025-12-31; 365-day year")
    'créances clients = 5,490,000; 12 mois glissants au 2025-12-31; année de 365 jours'
    >>> formula_text("trailing 12 months to 2025-12-31", "en")
    'trailing 12 months to 2025-12-31'
    """
    _check_lang(lang)
    if lang != "fr":
        return text
    return _FORMULA_RE.sub(_french_match, str(text))


def _french_match(m: re.Match[str]) -> str:
    """The French of the alternative of :data:`_FORMULA_RE` that matched (its groups renumbered)."""
    k = next(i for i, (p, _) in enumerate(FORMULA_FR) if m.group(_GROUP_OF[i]) is not None)
    pattern, french = FORMULA_FR[k]
    return re.sub(pattern, french, m.group(_GROUP_OF[k]))


def _group_numbers() -> list[int]:
    """Group number of each alternative of :data:`_FORMULA_RE` (alternatives hold groups of their own)."""
    out, n = [], 1
    for p, _ in FORMULA_FR:
        out.append(n)
        n += 1 + re.compile(p).groups
    return out


_GROUP_OF = _group_numbers()
