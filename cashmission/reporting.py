"""Presentation: display labels (French, with an English twin) and number formats.

Everything a client reads goes through this module: column headers, ageing-bucket
names, KPI names and section titles come from one mapping, :data:`LABELS`, with the
same keys in ``"fr"`` and ``"en"``; amounts, percentages, days and dates are formatted
French style (``1 234 567,89 €``, ``12,3 %``, ``6,6 M€``) or English style
(``€1,234,567.89``, ``12.3%``, ``€6.6M``).

Formatted strings use a no-break space (U+00A0, :data:`NBSP`) as the French thousands
separator and before the unit, so that a number never wraps across two lines in an HTML
table or a printed page.

This module only formats: it computes nothing but sums needed to display a table and
the reconciliation of a load report with an aged balance (:func:`reconcile`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

import pandas as pd

from cashmission.checks import is_missing
from cashmission.kpis import cash_at_stake  # noqa: F401  (moved to the domain; kept importable here)

Lang = Literal["fr", "en"]
Scale = Literal["", "k", "M", "auto"]
NBSP = "\u00a0"
MISSING = "–"  # en dash for a missing value

LANGS: tuple[str, ...] = ("fr", "en")

# The standard ageing buckets (edges 0, 30, 60, 90, 180) plus the first bucket of the
# document-date basis; other edges get generated labels (see :func:`bucket_label`).
BUCKET_KEYS: tuple[str, ...] = ("not_due", "d0_30", "d1_30", "d31_60", "d61_90", "d91_180", "over_180")
CREDIT_KEYS: tuple[str, ...] = ("credit_notes", "unapplied_cash", "other_credits")
_BUCKET_RE = re.compile(r"^(not_due|d(\d+)_(\d+)|over_(\d+))$")

# ---------------------------------------------------------------------------------------
# The one mapping of display labels.  Same keys in every language (a unit test checks).
# ---------------------------------------------------------------------------------------
LABELS: dict[str, dict[str, str]] = {
    "fr": {
        # canonical open items
        "entity": "Société",
        "customer_id": "N° client",
        "customer_name": "Client",
        "supplier_id": "N° fournisseur",
        "supplier_name": "Fournisseur",
        "formula_note": "(formules et conventions en notation anglaise : point décimal, virgule séparateur de milliers)",
        "document_id": "N° de pièce",
        "document_type": "Type de pièce",
        "document_date": "Date de pièce",
        "due_date": "Échéance",
        "amount": "Montant TTC",
        "currency": "Devise",
        "dispute": "En litige",
        "dispute_code": "Motif de litige",
        "collector": "Recouvreur",
        "segment": "Réseau",
        "factored": "Cédé au factor",
        "country": "Pays",
        "days_past_due": "Jours de retard",
        # document types
        "invoice": "Facture",
        "credit_note": "Avoir",
        "payment": "Règlement non lettré",
        "other": "Autre",
        # ageing buckets
        "not_due": "Non échu",
        "d0_30": "0–30 j",
        "d1_30": "1–30 j",
        "d31_60": "31–60 j",
        "d61_90": "61–90 j",
        "d91_180": "91–180 j",
        "over_180": "> 180 j",
        # aged balance columns
        "credit_notes": "Avoirs",
        "unapplied_cash": "Règlements non lettrés",
        "other_credits": "Autres crédits",
        "total": "Solde total",
        "gross_debit": "Débit brut",
        "overdue": "Échu",
        "overdue_rate": "Taux d'échu",
        "disputed": "En litige",
        "n_items": "Nb de pièces",
        "n_customers": "Nb de clients",
        "n_overdue_customers": "Nb de clients en retard",
        "share": "Part",
        "share_of_total": "Part du total",
        "cumulative_share": "Part cumulée",
        "rank": "Rang",
        "value": "Valeur",
        "others": "Autres clients",
        "all": "Ensemble",
        # load report
        "file": "Fichier",
        "sheet": "Onglet",
        "encoding": "Encodage",
        "rows_read": "Lignes lues",
        "rows_kept": "Lignes retenues",
        "rows_dropped": "Lignes écartées",
        "total_read": "Total lu",
        "debit_read": "Débits lus",
        "credit_read": "Crédits lus",
        "total_kept": "Total retenu",
        "debit_kept": "Débits retenus",
        "credit_kept": "Crédits retenus",
        "errors": "Erreurs",
        "warnings": "Avertissements",
        # reconciliation
        "check": "Contrôle",
        "loader": "Fichier chargé",
        "report": "Rapport",
        "difference": "Écart",
        "status": "Statut",
        "ok": "OK",
        "gap": "Écart à analyser",
        "recon_items": "Nombre de pièces",
        "recon_total": "Solde total",
        "recon_debit": "Débits (factures)",
        "recon_credit": "Crédits (avoirs, règlements)",
        "recon_columns": "Somme des colonnes = solde total",
        # working-capital figures and KPIs
        "period_end": "Fin de période",
        "period_days": "Jours de la période",
        "revenue": "Chiffre d'affaires HT",
        "revenue_ttc": "Chiffre d'affaires TTC",
        "receivables": "Créances clients TTC",
        "receivables_not_due": "Créances non échues",
        "payables": "Dettes fournisseurs TTC",
        "purchases": "Achats HT",
        "stocks": "Stocks",
        "stock_raw_materials": "Stock de matières premières",
        "stock_goods": "Stock de marchandises",
        "stock_finished_goods": "Stock de produits finis et en-cours",
        "dso": "DSO",
        "dso_simple": "DSO (méthode simple)",
        "dso_countback": "DSO (épuisement du CA)",
        "best_possible_dso": "Meilleur DSO possible",
        "add": "Retard moyen (ADD)",
        "cei": "Efficacité du recouvrement (CEI)",
        "economic_dso": "DSO économique",
        "dpo": "DPO",
        "dio": "Rotation des stocks",
        "stock_days": "Rotation des stocks",
        "stock_days_raw_materials": "Rotation des matières premières",
        "stock_days_goods": "Rotation des marchandises",
        "stock_days_finished_goods": "Rotation des produits finis",
        "bfr": "BFR",
        "bfr_days": "BFR en jours de CA",
        "cash_per_dso_day": "Trésorerie d'un jour de DSO",
        "cash_at_stake": "Trésorerie en jeu",
        "target": "Cible",
        "kpi": "Indicateur",
        "unit": "Unité",
        "convention": "Convention",
        "formula": "Formule",
        "previous": "N−1",
        "current": "N",
        "variation": "Variation",
        "variation_pct": "Variation (%)",
        "start": "Début",
        "end": "Fin",
        # sections and titles
        "title_diagnostic": "Diagnostic du poste clients",
        "title_working_capital": "Diagnostic du BFR",
        "client": "Client",
        "as_of": "Arrêté au",
        "sec_load": "Données chargées",
        "sec_headline": "Chiffres clés",
        "sec_buckets": "Balance âgée par tranche",
        "sec_entity": "Balance âgée par société",
        "sec_segment": "Balance âgée par réseau",
        "sec_chart": "Composition de l'encours",
        "sec_top": "Principaux clients en retard",
        "sec_pareto": "Concentration de l'échu",
        "sec_reconciliation": "Rapprochement avec le fichier chargé",
        "sec_bfr": "Suivi du BFR",
        "sec_comments": "Commentaires",
        "sec_trend": "Évolution mensuelle",
        "sec_bridge": "Analyse de la variation du DSO",
        "sec_bfr_bridge": "Variation du BFR",
        "sec_behaviour": "Comportement de paiement",
        "invoices": "Nb de factures réglées",
        "weighted_days_to_pay": "Délai moyen de règlement (pondéré)",
        "weighted_days_late": "Retard moyen (pondéré)",
        "weighted_days_beyond_terms": "Retard au-delà de l'échéance (pondéré)",
        "trend_days_late": "Tendance du retard (3 derniers mois)",
        "note_behaviour": "Factures lettrées du FEC ; échéance = date de pièce + {terms} jours (le FEC n'a pas d'échéance) ; moyennes pondérées par les montants ; classement par retard moyen pondéré.",
        "note_bridge": "Du {start} au {end} ; DSO = créances ouvertes à la date / CA TTC des {months} derniers mois clos × leurs jours (méthode simple, TTC/TTC).",
        "sec_bfr_months": "Suivi du BFR mois par mois",
        "note_months": "Pas de clôture un an plus tôt dans les chiffres : comparaison entre {start} et {end}, chaque indicateur calculé sur {window} de flux à chaque date.",
        "note_window": "L'historique ne couvre pas douze mois : chaque indicateur est calculé sur {window} de flux à chaque date.",
        "month_one": "un mois",
        "month_many": "{n} mois",
        "not_open": "Pièces non ouvertes à la date d'arrêté",
        "note_fec_items": "Pour un FEC, le fichier chargé s'entend des {n} pièces clients tirées de ses {lines} lignes d'écriture (comptes 411, 413, 416, 418, 419).",
        "trend_window": "flux des {n} derniers mois",
        "note_snapshot_past": "Attention : le fichier est un extrait des pièces ouvertes (sans date de lettrage) dont la pièce la plus récente est du {latest} ; au {as_of}, les pièces réglées depuis n'y figurent plus, et cette balance âgée ne peut pas se rapprocher du bilan ; les {n} pièces ({amount}) datées après le {as_of} en sont écartées (colonne « {column} »). Pour une date passée, chargez le grand livre clients (avec dates de lettrage) ou le FEC.",
        "note_not_open": "Le fichier chargé est un grand livre : {n} pièces ({amount}) n'étaient pas ouvertes au {as_of} (soldées avant ou émises après) ; elles sont écartées de la balance âgée et forment la colonne « {column} ».",
        "sec_stake": "Trésorerie en jeu",
        "amount_scale_M": "Montant (M€)",
        "amount_scale_k": "Montant (k€)",
        "amount_scale_": "Montant (€)",
        "days_axis": "Jours",
        "share_of_customers": "Part des clients",
        "share_of_value": "Part cumulée de l'échu",
        "month": "Mois",
        "control_total": "Total de contrôle",
        "disputed_overdue": "Échu en litige",
        "n_customers_overdue": "Nb de clients en retard",
        "n_groups": "Nb de lignes",
        "n_positive": "Nb avec montant positif",
        "days": "Nombre de jours",
        "dso_best_possible": "Meilleur DSO possible",
        "average_days_delinquent": "Retard moyen (ADD)",
        "collection_effectiveness_index": "Efficacité du recouvrement (CEI)",
        "dso_economic": "DSO économique (créances cédées réintégrées)",
        "cash_per_day_dso": "Valeur d'un jour de DSO",
        "cash_per_day_dpo": "Valeur d'un jour de DPO",
        "cash_per_day_stock_raw_materials": "Valeur d'un jour de stock de matières",
        "cash_per_day_stock_goods": "Valeur d'un jour de stock de marchandises",
        "cash_per_day_stock_finished_goods": "Valeur d'un jour de stock de produits finis",
        "n_minus_1": "N−1",
        "n": "N",
        "cause": "Cause",
        "kind": "Nature",
        "amount_before": "Montant début",
        "amount_after": "Montant fin",
        "cash": "Trésorerie",
        "dso_before": "DSO début",
        "dso_after": "DSO fin",
        "overdue_undisputed": "Échu hors litige",
        "unapplied_cash_and_credits": "Avoirs et règlements non lettrés",
        "sales_level": "Niveau des ventes et saisonnalité",
        "EUR": "€",
        "fraction": "%",
        "current_value": "Actuel",
        "target_value": "Cible",
        "cash_released": "Trésorerie libérée",
        "cash_per_day_value": "Valeur d'un jour",
    },
    "en": {
        "entity": "Company",
        "customer_id": "Customer no.",
        "customer_name": "Customer",
        "supplier_id": "Supplier no.",
        "supplier_name": "Supplier",
        "formula_note": "(formulas and conventions with a decimal point and comma thousands separators)",
        "document_id": "Document no.",
        "document_type": "Document type",
        "document_date": "Document date",
        "due_date": "Due date",
        "amount": "Amount incl. VAT",
        "currency": "Currency",
        "dispute": "Disputed",
        "dispute_code": "Dispute reason",
        "collector": "Collector",
        "segment": "Segment",
        "factored": "Factored",
        "country": "Country",
        "days_past_due": "Days past due",
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "payment": "Unapplied cash",
        "other": "Other",
        "not_due": "Not due",
        "d0_30": "0–30 days",
        "d1_30": "1–30 days",
        "d31_60": "31–60 days",
        "d61_90": "61–90 days",
        "d91_180": "91–180 days",
        "over_180": "> 180 days",
        "credit_notes": "Credit notes",
        "unapplied_cash": "Unapplied cash",
        "other_credits": "Other credits",
        "total": "Total balance",
        "gross_debit": "Gross debit",
        "overdue": "Overdue",
        "overdue_rate": "Overdue rate",
        "disputed": "Disputed",
        "n_items": "Items",
        "n_customers": "Customers",
        "n_overdue_customers": "Customers overdue",
        "share": "Share",
        "share_of_total": "Share of total",
        "cumulative_share": "Cumulative share",
        "rank": "Rank",
        "value": "Value",
        "others": "Other customers",
        "all": "All",
        "file": "File",
        "sheet": "Sheet",
        "encoding": "Encoding",
        "rows_read": "Rows read",
        "rows_kept": "Rows kept",
        "rows_dropped": "Rows dropped",
        "total_read": "Total read",
        "debit_read": "Debits read",
        "credit_read": "Credits read",
        "total_kept": "Total kept",
        "debit_kept": "Debits kept",
        "credit_kept": "Credits kept",
        "errors": "Errors",
        "warnings": "Warnings",
        "check": "Check",
        "loader": "Loaded file",
        "report": "Report",
        "difference": "Difference",
        "status": "Status",
        "ok": "OK",
        "gap": "To investigate",
        "recon_items": "Number of items",
        "recon_total": "Total balance",
        "recon_debit": "Debits (invoices)",
        "recon_credit": "Credits (credit notes, payments)",
        "recon_columns": "Sum of columns = total balance",
        "period_end": "Period end",
        "period_days": "Days in period",
        "revenue": "Revenue excl. VAT",
        "revenue_ttc": "Revenue incl. VAT",
        "receivables": "Trade receivables incl. VAT",
        "receivables_not_due": "Receivables not due",
        "payables": "Trade payables incl. VAT",
        "purchases": "Purchases excl. VAT",
        "stocks": "Inventories",
        "stock_raw_materials": "Raw materials",
        "stock_goods": "Goods for resale",
        "stock_finished_goods": "Finished goods and WIP",
        "dso": "DSO",
        "dso_simple": "DSO (simple method)",
        "dso_countback": "DSO (countback)",
        "best_possible_dso": "Best possible DSO",
        "add": "Average days delinquent (ADD)",
        "cei": "Collection effectiveness index (CEI)",
        "economic_dso": "Economic DSO",
        "dpo": "DPO",
        "dio": "Inventory days",
        "stock_days": "Inventory days",
        "stock_days_raw_materials": "Raw-material days",
        "stock_days_goods": "Goods-for-resale days",
        "stock_days_finished_goods": "Finished-goods days",
        "bfr": "Working capital requirement",
        "bfr_days": "Working capital in days of revenue",
        "cash_per_dso_day": "Cash worth one day of DSO",
        "cash_at_stake": "Cash at stake",
        "target": "Target",
        "kpi": "Indicator",
        "unit": "Unit",
        "convention": "Convention",
        "formula": "Formula",
        "previous": "Prior year",
        "current": "Current year",
        "variation": "Change",
        "variation_pct": "Change (%)",
        "start": "Start",
        "end": "End",
        "title_diagnostic": "Customer receivables diagnostic",
        "title_working_capital": "Working capital diagnostic",
        "client": "Client",
        "as_of": "As of",
        "sec_load": "Data loaded",
        "sec_headline": "Key figures",
        "sec_buckets": "Aged balance by bucket",
        "sec_entity": "Aged balance by company",
        "sec_segment": "Aged balance by segment",
        "sec_chart": "Balance composition",
        "sec_top": "Top overdue customers",
        "sec_pareto": "Concentration of overdue",
        "sec_reconciliation": "Reconciliation with the loaded file",
        "sec_bfr": "Working capital tracking",
        "sec_comments": "Comments",
        "sec_trend": "Monthly trend",
        "sec_bridge": "DSO change analysis",
        "sec_bfr_bridge": "Working capital bridge",
        "sec_behaviour": "Payment behaviour",
        "invoices": "Invoices paid",
        "weighted_days_to_pay": "Average days to pay (weighted)",
        "weighted_days_late": "Average days late (weighted)",
        "weighted_days_beyond_terms": "Days beyond terms (weighted)",
        "trend_days_late": "Days-late trend (last 3 months)",
        "note_behaviour": "Lettered invoices of the FEC; due date = document date + {terms} days (a FEC has no due dates); amount-weighted averages; ranked by weighted days late.",
        "note_bridge": "From {start} to {end}; DSO = receivables open at the date / revenue incl. VAT of the last {months} closed months × their days (simple method, incl. VAT on both sides).",
        "sec_bfr_months": "Working capital tracking, month by month",
        "note_months": "No closing a year earlier in the figures: comparison between {start} and {end}, each KPI computed on {window} of flows at both dates.",
        "note_window": "The history does not cover twelve months: each KPI is computed on {window} of flows at both dates.",
        "month_one": "one month",
        "month_many": "{n} months",
        "not_open": "Items not open at the closing date",
        "note_fec_items": "For a FEC, the loaded file means the {n} customer items built from its {lines} journal lines (accounts 411, 413, 416, 418, 419).",
        "trend_window": "flows of the last {n} months",
        "note_snapshot_past": "Warning: the file is an extract of open items (no settlement dates) whose latest document is dated {latest}; on {as_of}, items paid since then are no longer in it, so this aged balance cannot tie to the balance sheet; the {n} items ({amount}) dated after {as_of} are left out (column “{column}”). For a past date, load the customer ledger (with settlement dates) or the FEC.",
        "note_not_open": "The loaded file is a ledger: {n} items ({amount}) were not open on {as_of} (settled before or issued after); they are left out of the aged balance and form the column “{column}”.",
        "sec_stake": "Cash at stake",
        "amount_scale_M": "Amount (€M)",
        "amount_scale_k": "Amount (€k)",
        "amount_scale_": "Amount (€)",
        "days_axis": "Days",
        "share_of_customers": "Share of customers",
        "share_of_value": "Cumulative share of overdue",
        "month": "Month",
        "control_total": "Control total",
        "disputed_overdue": "Disputed overdue",
        "n_customers_overdue": "Customers overdue",
        "n_groups": "Rows",
        "n_positive": "Rows with a positive amount",
        "days": "Number of days",
        "dso_best_possible": "Best possible DSO",
        "average_days_delinquent": "Average days delinquent (ADD)",
        "collection_effectiveness_index": "Collection effectiveness index (CEI)",
        "dso_economic": "Economic DSO (factored receivables added back)",
        "cash_per_day_dso": "Cash worth one day of DSO",
        "cash_per_day_dpo": "Cash worth one day of DPO",
        "cash_per_day_stock_raw_materials": "Cash worth one day of raw materials",
        "cash_per_day_stock_goods": "Cash worth one day of goods for resale",
        "cash_per_day_stock_finished_goods": "Cash worth one day of finished goods",
        "n_minus_1": "Prior year",
        "n": "Current year",
        "cause": "Cause",
        "kind": "Kind",
        "amount_before": "Amount at start",
        "amount_after": "Amount at end",
        "cash": "Cash",
        "dso_before": "DSO at start",
        "dso_after": "DSO at end",
        "overdue_undisputed": "Overdue, undisputed",
        "unapplied_cash_and_credits": "Credit notes and unapplied cash",
        "sales_level": "Sales level and seasonality",
        "EUR": "€",
        "fraction": "%",
        "current_value": "Current",
        "target_value": "Target",
        "cash_released": "Cash released",
        "cash_per_day_value": "Value of one day",
    },
}

# How a column / row key is formatted by :func:`format_table`.
Kind = Literal["amount", "percent", "count", "days", "date", "text", "number"]
KINDS: dict[str, Kind] = {
    **{
        k: "amount"
        for k in (
            "amount",
            "credit_notes",
            "unapplied_cash",
            "other_credits",
            "total",
            "gross_debit",
            "overdue",
            "disputed",
            "value",
            "total_read",
            "debit_read",
            "credit_read",
            "total_kept",
            "debit_kept",
            "credit_kept",
            "loader",
            "report",
            "difference",
            "not_open",
            "revenue",
            "revenue_ttc",
            "receivables",
            "receivables_not_due",
            "payables",
            "purchases",
            "stocks",
            "stock_raw_materials",
            "stock_goods",
            "stock_finished_goods",
            "bfr",
            "cash_per_dso_day",
            "cash_at_stake",
            "control_total",
            "disputed_overdue",
            "amount_before",
            "amount_after",
            "cash",
            "cash_released",
            "cash_per_day_dso",
            "cash_per_day_dpo",
            "cash_per_day_stock_raw_materials",
            "cash_per_day_stock_goods",
            "cash_per_day_stock_finished_goods",
            "overdue_undisputed",
            "unapplied_cash_and_credits",
        )
    },
    **{
        k: "percent"
        for k in (
            "overdue_rate",
            "share",
            "share_of_total",
            "cumulative_share",
            "cei",
            "variation_pct",
            "collection_effectiveness_index",
        )
    },
    **{
        k: "count"
        for k in (
            "n_items",
            "n_customers",
            "n_overdue_customers",
            "rank",
            "rows_read",
            "rows_kept",
            "rows_dropped",
            "errors",
            "warnings",
            "period_days",
            "n_customers_overdue",
            "n_groups",
            "n_positive",
            "invoices",
        )
    },
    **{
        k: "days"
        for k in (
            "dso",
            "dso_simple",
            "dso_countback",
            "best_possible_dso",
            "add",
            "economic_dso",
            "dpo",
            "dio",
            "stock_days",
            "stock_days_raw_materials",
            "stock_days_goods",
            "stock_days_finished_goods",
            "bfr_days",
            "days_past_due",
            "dso_best_possible",
            "average_days_delinquent",
            "dso_economic",
            "dso_before",
            "dso_after",
            "weighted_days_to_pay",
            "weighted_days_late",
            "weighted_days_beyond_terms",
            "trend_days_late",
        )
    },
    **{k: "date" for k in ("document_date", "due_date", "period_end", "as_of")},
}

# Cell values (not headers) that format_table translates, e.g. the "others" row.
_CELL_KEYS = frozenset({"others", "all", "total", "ok", "gap", "invoice", "credit_note", "payment", "other"})

_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")


def is_bucket(key: object) -> bool:
    """True for an ageing-bucket column key (``not_due``, ``d1_30``, ``over_180``, …).

    >>> is_bucket("d31_60"), is_bucket("over_45"), is_bucket("overdue")
    (True, True, False)
    """
    return isinstance(key, str) and _BUCKET_RE.match(key) is not None


def bucket_columns(df: pd.DataFrame | pd.Series) -> list[str]:
    """The ageing-bucket columns of an aged balance, in their order.

    >>> bucket_columns(pd.DataFrame(columns=["customer_id", "not_due", "d1_30", "over_30", "total"]))
    ['not_due', 'd1_30', 'over_30']
    """
    keys = df.index if isinstance(df, pd.Series) else df.columns
    return [str(c) for c in keys if is_bucket(c)]


def bucket_label(key: str, lang: Lang = "fr") -> str:
    """Display label of any ageing-bucket key, including custom edges.

    >>> bucket_label("d1_15").replace(NBSP, " "), bucket_label("over_45", "en").replace(NBSP, " ")
    ('1–15 j', '> 45 days')
    """
    _check_lang(lang)
    m = _BUCKET_RE.match(key)
    if m is None:
        raise ValueError(f"not an ageing-bucket key: {key!r}; expected not_due, dA_B or over_N")
    unit = f"{NBSP}j" if lang == "fr" else f"{NBSP}days"
    if m.group(1) == "not_due":
        return LABELS[lang]["not_due"]
    if m.group(4) is not None:
        return f">{NBSP}{m.group(4)}{unit}"
    return f"{m.group(2)}–{m.group(3)}{unit}"


# Bucket labels use no-break spaces ("> 180 j" never wraps); the literals above are
# written with plain spaces for readability and normalised here.
for _lang in LANGS:
    for _k in BUCKET_KEYS[1:]:
        LABELS[_lang][_k] = bucket_label(_k, _lang)


def label(key: object, lang: Lang = "fr") -> str:
    """Display label of a column, bucket, KPI or section key.

    Unknown keys come back unchanged (as strings), so extra client columns still show.

    >>> label("overdue"), label("overdue", "en"), label("d1_15"), label("my_col")
    ('Échu', 'Overdue', '1–15\\xa0j', 'my_col')
    """
    _check_lang(lang)
    k = str(key)
    if k in LABELS[lang]:
        return LABELS[lang][k]
    if is_bucket(k):
        return bucket_label(k, lang)
    return k


# ---------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------
def format_number(x: float | None, decimals: int = 0, lang: Lang = "fr") -> str:
    """A number with thousands separators: ``1 234 567,9`` (fr) or ``1,234,567.9`` (en).

    >>> format_number(1234567.891, 1).replace(NBSP, " ")
    '1 234 567,9'
    >>> format_number(-0.004, 2), format_number(None)
    ('0,00', '–')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    s = f"{abs(v):,.{decimals}f}"
    if lang == "fr":
        s = s.replace(",", NBSP).replace(".", ",")
    negative = v < 0 and round(abs(v), decimals) != 0
    return ("-" if negative else "") + s


_SCALES = {"": 1.0, "k": 1e3, "M": 1e6}
_DEFAULT_DECIMALS = {"": 2, "k": 0, "M": 1}


def _auto_scale(x: float) -> str:
    a = abs(x)
    return "M" if a >= 1e6 else "k" if a >= 1e4 else ""


def format_amount(
    x: float | None,
    lang: Lang = "fr",
    scale: Scale = "",
    decimals: int | None = None,
    currency: str = "€",
) -> str:
    """An amount with its currency: ``1 234 567,89 €``, ``1 235 k€``, ``1,2 M€``.

    ``scale`` is ``""`` (units, 2 decimals), ``"k"`` (thousands, 0 decimals), ``"M"``
    (millions, 1 decimal) or ``"auto"`` (M from a million, k from ten thousand).
    English puts the currency first: ``€1,234,567.89``, ``€1.2M``.

    >>> format_amount(1234567.891).replace(NBSP, " ")
    '1 234 567,89 €'
    >>> format_amount(6_600_000, scale="M").replace(NBSP, " "), format_amount(6_600_000, "en", "M")
    ('6,6 M€', '€6.6M')
    """
    _check_lang(lang)
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if scale == "auto":
        scale = _auto_scale(v)  # type: ignore[assignment]
    if scale not in _SCALES:
        raise ValueError(f"unknown scale {scale!r}; allowed: '', 'k', 'M', 'auto'")
    d = _DEFAULT_DECIMALS[scale] if decimals is None else decimals
    num = format_number(v / _SCALES[scale], d, lang)
    if lang == "fr":
        return f"{num}{NBSP}{scale}{currency}"
    sign, num = ("-", num[1:]) if num.startswith("-") else ("", num)
    return f"{sign}{currency}{num}{scale}"


def format_percent(x: float | None, lang: Lang = "fr", decimals: int = 1) -> str:
    """A fraction as a percentage: 0.1234 → ``12,3 %`` (fr) or ``12.3%`` (en).

    >>> format_percent(0.1234).replace(NBSP, " "), format_percent(0.1234, "en")
    ('12,3 %', '12.3%')
    """
    if is_missing(x):
        return MISSING
    num = format_number(float(x) * 100, decimals, lang)  # type: ignore[arg-type]
    return f"{num}{NBSP}%" if lang == "fr" else f"{num}%"


def format_days(x: float | None, lang: Lang = "fr", decimals: int = 1) -> str:
    """A number of days: ``45,2 j`` (fr) or ``45.2 days`` (en).

    >>> format_days(45.24).replace(NBSP, " "), format_days(45.24, "en").replace(NBSP, " ")
    ('45,2 j', '45.2 days')
    """
    if is_missing(x):
        return MISSING
    num = format_number(x, decimals, lang)
    return f"{num}{NBSP}j" if lang == "fr" else f"{num}{NBSP}days"


def format_count(x: float | None, lang: Lang = "fr") -> str:
    """A whole number: ``20 000`` (fr) or ``20,000`` (en)."""
    return format_number(x, 0, lang)


def format_date(d: str | date | datetime | pd.Timestamp | None, lang: Lang = "fr", long: bool = False) -> str:
    """A date: ``03/08/2026`` or ``3 août 2026`` (fr); ``2026-08-03`` or ``3 August 2026`` (en).

    >>> format_date("2026-08-03"), format_date("2026-08-03", long=True), format_date("2026-08-03", "en", long=True)
    ('03/08/2026', '3 août 2026', '3 August 2026')
    """
    _check_lang(lang)
    if is_missing(d):
        return MISSING
    t = pd.Timestamp(d)  # type: ignore[arg-type]
    if long:
        return f"{t.day} {_MONTHS[lang][t.month - 1]} {t.year}"
    return f"{t.day:02d}/{t.month:02d}/{t.year}" if lang == "fr" else t.strftime("%Y-%m-%d")


def format_month(d: str | date | pd.Timestamp, lang: Lang = "fr") -> str:
    """A month, short: ``août 2026`` / ``Aug 2026``.

    >>> format_month("2026-08-31"), format_month("2026-08-31", "en")
    ('août 2026', 'Aug 2026')
    """
    _check_lang(lang)
    t = pd.Timestamp(d)
    name = _MONTHS[lang][t.month - 1]
    return f"{name} {t.year}" if lang == "fr" else f"{name[:3]} {t.year}"


def format_value(x: object, kind: Kind, lang: Lang = "fr", scale: Scale = "") -> str:
    """Format one value according to its kind (amount, percent, count, days, date, number, text)."""
    if kind == "amount":
        return format_amount(x, lang, scale)  # type: ignore[arg-type]
    if kind == "percent":
        return format_percent(x, lang)  # type: ignore[arg-type]
    if kind == "count":
        return format_count(x, lang)  # type: ignore[arg-type]
    if kind == "days":
        return format_days(x, lang)  # type: ignore[arg-type]
    if kind == "date":
        return format_date(x, lang)  # type: ignore[arg-type]
    if kind == "number":
        return format_number(x, 2, lang)  # type: ignore[arg-type]
    if is_missing(x):
        return ""
    if isinstance(x, bool):
        return {"fr": ("non", "oui"), "en": ("no", "yes")}[lang][int(x)]
    if isinstance(x, str) and x in _CELL_KEYS:
        return label(x, lang)
    return str(x)


def kind_of(key: object, values: pd.Series | None = None) -> Kind:
    """How a column is formatted: from :data:`KINDS`, bucket keys, then the dtype."""
    k = str(key)
    if k in KINDS:
        return KINDS[k]
    if is_bucket(k) or k.startswith("over_"):
        return "amount"
    if values is not None:
        if pd.api.types.is_bool_dtype(values):
            return "text"
        if pd.api.types.is_integer_dtype(values):
            return "count"
        if pd.api.types.is_float_dtype(values):
            return "number"
        if pd.api.types.is_datetime64_any_dtype(values):
            return "date"
    return "text"


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------
def format_table(
    df: pd.DataFrame | pd.Series,
    lang: Lang = "fr",
    *,
    scale: Scale = "",
    kinds: Mapping[str, Kind] | None = None,
    index: str | list[str] | None = "auto",
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """A display-ready copy of ``df``: labelled headers and formatted strings.

    Parameters
    ----------
    df : DataFrame or Series
        Numbers as computed (ratios as fractions).  A Series becomes a two-column table
        (label, value), each row formatted by its own key.
    lang : {"fr", "en"}
    scale : {"", "k", "M", "auto"}
        Unit of the amount columns (``€``, ``k€``, ``M€``).
    kinds : mapping, optional
        Overrides of :data:`KINDS` (column key → amount, percent, count, days, date,
        number, text).
    index : "auto", column key(s) or None
        Columns to show as the row labels.  ``"auto"`` uses the leading text columns
        when the frame has a plain range index (group keys such as ``entity``).
    columns : list, optional
        Keys of the columns to keep, in that order (default: all).

    Returns
    -------
    DataFrame of strings, headers translated, index named by its label.  Deterministic
    (no random ids), so its HTML and text renderings can be compared by nbval.
    """
    _check_lang(lang)
    kinds = dict(kinds or {})
    if isinstance(df, pd.Series):
        rows = [(label(k, lang), format_value(v, kinds.get(str(k)) or kind_of(k), lang, scale)) for k, v in df.items()]
        value_header = label(df.name, lang) if df.name is not None else label("value", lang)
        out = pd.DataFrame(rows, columns=["", value_header]).set_index("")
        out.index.name = None
        return out
    frame = df if columns is None else df[columns]
    if index == "auto":
        keys: list[str] = []
        if isinstance(frame.index, pd.RangeIndex):
            for c in frame.columns:
                if kind_of(c, frame[c]) == "text" and not pd.api.types.is_bool_dtype(frame[c]):
                    keys.append(c)
                else:
                    break
        index = keys or None
    if isinstance(index, str):
        index = [index]
    if index:
        frame = frame.set_index(index)
    out = pd.DataFrame(index=frame.index)
    for c in frame.columns:
        kind = kinds.get(str(c)) or kind_of(c, frame[c])
        out[label(c, lang)] = [format_value(v, kind, lang, scale) for v in frame[c]]
    if index or not isinstance(frame.index, pd.RangeIndex):
        names = [label(n, lang) if n is not None else None for n in frame.index.names]
        new_index = [
            tuple(format_value(x, "text", lang) for x in v) if isinstance(v, tuple) else format_value(v, "text", lang)
            for v in frame.index
        ]
        if isinstance(frame.index, pd.MultiIndex):
            out.index = pd.MultiIndex.from_tuples(new_index, names=names)
        else:
            out.index = pd.Index(new_index, name=names[0])
    return out


def bucket_table(aged: pd.DataFrame, lang: Lang = "fr", scale: Scale = "") -> pd.DataFrame:
    """The composition of an aged balance: one row per bucket and credit column, then the total.

    Sums the aged balance over its groups (customers, entities …); shows each bucket's
    amount and its share of the total balance.  Buckets and credit columns add up to
    the total.
    """
    keys = bucket_columns(aged) + [c for c in CREDIT_KEYS if c in aged.columns]
    sums = aged[[*keys, "total"]].sum()
    total = float(sums["total"])
    frame = pd.DataFrame(
        {
            "amount": sums.to_numpy(dtype=float),
            "share_of_total": [v / total if total else float("nan") for v in sums.to_numpy(dtype=float)],
        },
        index=pd.Index([label(k, lang) for k in sums.index], name=None),
    )
    return format_table(frame, lang, scale=scale, kinds={"amount": "amount"}, index=None).rename(
        columns={label("amount", lang): label(f"amount_scale_{'' if scale == 'auto' else scale}", lang)}
    )


def headline(summary: Mapping[str, Any] | pd.Series, lang: Lang = "fr") -> str:
    """The headline figures as plain lines of text (deterministic, for ``print``).

    ``summary`` is :func:`cashmission.receivables.aging_summary` (or any mapping with
    ``total``, ``overdue``, ``overdue_rate``, ``disputed``, ``n_items``, ``n_customers``).

    >>> print(headline({"total": 1e6, "overdue": 4e5, "overdue_rate": 0.4, "disputed": 5e4,
    ...                 "n_items": 120, "n_customers": 12}).replace(NBSP, " "))
    Solde total : 1 000 000,00 €
    Échu : 400 000,00 € (40,0 % du solde)
    En litige : 50 000,00 €
    Nb de pièces : 120 — Nb de clients : 12
    """
    _check_lang(lang)
    s = dict(summary)
    colon = f"{NBSP}:" if lang == "fr" else ":"
    of = "du solde" if lang == "fr" else "of the balance"
    lines = [
        f"{label('total', lang)}{colon} {format_amount(s.get('total'), lang)}",
        f"{label('overdue', lang)}{colon} {format_amount(s.get('overdue'), lang)} "
        f"({format_percent(s.get('overdue_rate'), lang)} {of})",
        f"{label('disputed', lang)}{colon} {format_amount(s.get('disputed'), lang)}",
    ]
    counts = [f"{label(k, lang)}{colon} {format_count(s[k], lang)}" for k in ("n_items", "n_customers") if k in s]
    if counts:
        lines.append(" — ".join(counts))
    return "\n".join(lines)


# Loaded tables without a signed amount column: their control totals are always zero
# and mean nothing to a reader, so the load table leaves them out.
NO_AMOUNT_KINDS = frozenset({"working_capital_template"})
_CONTROL_TOTALS = ("total_read", "total_kept", "debit_kept", "credit_kept")


def load_report_table(report: Any, lang: Lang = "fr") -> pd.DataFrame:
    """What a loader read and kept (:class:`cashmission.checks.LoadReport`), as a table.

    The file is shown by its name only (no folder), so the table does not depend on
    where the mission lives.  Control totals (amounts read and kept) are left out for
    tables that carry no amount (:data:`NO_AMOUNT_KINDS`, e.g. the KPI template).
    """
    s = report.summary() if hasattr(report, "summary") else dict(report)
    keys = [
        "rows_read",
        "rows_kept",
        "rows_dropped",
        "total_read",
        "total_kept",
        "debit_kept",
        "credit_kept",
        "errors",
        "warnings",
    ]
    if s.get("kind") in NO_AMOUNT_KINDS:
        keys = [k for k in keys if k not in _CONTROL_TOTALS]
    series = pd.Series({k: s[k] for k in keys if k in s}, dtype=object)
    if s.get("file"):
        name = str(s["file"]).replace("\\", "/").rsplit("/", 1)[-1]
        series = pd.concat([pd.Series({"file": name}, dtype=object), series])
    series.name = "value"
    return format_table(series, lang)


def _ledger_split(
    report_summary: Mapping[str, Any], items: pd.DataFrame | None, as_of: object
) -> tuple[dict[str, float] | None, dict[str, float]]:
    """(loaded figures taken from the items, or None; figures of the items not open at ``as_of``)."""
    zero = {"recon_items": 0.0, "recon_total": 0.0, "recon_debit": 0.0, "recon_credit": 0.0}
    if items is None or as_of is None or "document_date" not in items.columns:
        return None, zero
    from cashmission.receivables import open_at

    def sums(frame: pd.DataFrame) -> dict[str, float]:
        a = pd.to_numeric(frame["amount"], errors="coerce").fillna(0.0)
        return {
            "recon_items": float(len(frame)),
            "recon_total": round(float(a.sum()), 2),
            "recon_debit": round(float(a[a > 0].sum()), 2),
            "recon_credit": round(float(a[a < 0].sum()), 2),
        }

    not_open = items.drop(index=open_at(items, as_of).index)
    # A FEC's load report counts journal lines of every account: the loaded receivables
    # are then the customer items built from it.
    loaded = sums(items) if report_summary.get("kind") == "fec" else None
    return loaded, sums(not_open)


def reconcile(
    report: Any,
    aged: pd.DataFrame | pd.Series,
    tolerance: float = 0.01,
    *,
    items: pd.DataFrame | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Tie an aged balance back to the loader's control totals.

    Parameters
    ----------
    report : LoadReport or its ``summary()`` dict
    aged : DataFrame (an aged balance, any grouping) or Series (``aging_summary``)
    tolerance : float
        Largest absolute difference still counted as tied (default one cent).
    items, as_of : the loaded items and the closing date, for a ledger (items with
        ``cleared_date``): the loader's totals cover every item of the file, the aged
        balance only those open at ``as_of``; the others are shown in ``not_open``.
        For a FEC, whose load report counts journal lines, the loaded figures are those
        of the customer items built from it.

    Returns
    -------
    DataFrame with columns ``check``, ``loader``, ``not_open`` (items of the file not
    open at ``as_of``; 0 without a ledger), ``report``, ``difference`` = report −
    (loader − not_open), ``ok``; one row per check: ``recon_items`` (rows kept vs items
    aged), ``recon_total`` (total kept vs total balance), ``recon_debit`` (debits kept
    vs gross debit), ``recon_credit`` (credits kept vs total − gross debit) and, for a
    frame, ``recon_columns`` (bucket and credit columns vs total balance).  A gap
    usually means items filtered out between loading and ageing.

    >>> from cashmission.checks import LoadReport
    >>> rep = LoadReport("f.csv", "open_items", rows_kept=2, total_kept=70.0, debit_kept=100.0, credit_kept=-30.0)
    >>> aged = pd.DataFrame({"not_due": [100.0], "credit_notes": [-30.0], "total": [70.0],
    ...                      "gross_debit": [100.0], "n_items": [2]})
    >>> reconcile(rep, aged)["ok"].all()
    np.True_
    """
    s = report.summary() if hasattr(report, "summary") else dict(report)
    if isinstance(aged, pd.Series):
        tot = aged
        columns_sum = None
    else:
        tot = aged.sum(numeric_only=True)
        parts = bucket_columns(aged) + [c for c in CREDIT_KEYS if c in aged.columns]
        columns_sum = float(aged[parts].to_numpy(dtype=float).sum()) if parts else None
    total = float(tot.get("total", float("nan")))
    gross = float(tot.get("gross_debit", float("nan")))
    loaded, not_open = _ledger_split(s, items, as_of)
    if loaded is None:
        loaded = {
            "recon_items": float(s.get("rows_kept", float("nan"))),
            "recon_total": float(s.get("total_kept", float("nan"))),
            "recon_debit": float(s.get("debit_kept", float("nan"))),
            "recon_credit": float(s.get("credit_kept", float("nan"))),
        }
    reported = {
        "recon_items": float(tot.get("n_items", float("nan"))),
        "recon_total": total,
        "recon_debit": gross,
        "recon_credit": total - gross,
    }
    rows = [
        (k, loaded[k], not_open[k], reported[k]) for k in ("recon_items", "recon_total", "recon_debit", "recon_credit")
    ]
    if columns_sum is not None:
        rows.append(("recon_columns", total, 0.0, columns_sum))
    out = pd.DataFrame(rows, columns=["check", "loader", "not_open", "report"])
    out["report"] = out["report"].round(2)
    out["difference"] = (out["report"] - (out["loader"] - out["not_open"])).round(2)
    out["ok"] = out["difference"].abs() <= tolerance
    return out


def reconciliation_table(
    report: Any,
    aged: pd.DataFrame | pd.Series,
    lang: Lang = "fr",
    *,
    items: pd.DataFrame | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """:func:`reconcile` ready to show: labelled checks, formatted amounts, OK / gap.

    The ``not_open`` column (items of a ledger not open at ``as_of``) shows only when
    some items are not open.
    """
    rec = reconcile(report, aged, items=items, as_of=as_of)
    show_not_open = bool((rec["not_open"] != 0).any())
    counts = rec["check"] == "recon_items"
    rows = []
    for is_count, r in zip(counts, rec.itertuples(index=False), strict=True):
        fmt = (lambda v: format_count(v, lang)) if is_count else (lambda v: format_amount(v, lang))
        row = {label("check", lang): label(r.check, lang), label("loader", lang): fmt(r.loader)}
        if show_not_open:
            row[label("not_open", lang)] = fmt(-r.not_open) if r.not_open else MISSING
        row.update(
            {
                label("report", lang): fmt(r.report),
                label("difference", lang): fmt(r.difference),
                label("status", lang): label("ok" if r.ok else "gap", lang),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index(label("check", lang))


def snapshot_before_extraction(items: pd.DataFrame | None, as_of: object) -> pd.Timestamp | None:
    """The latest document date when ``items`` is an open-items extract aged at an earlier date, else ``None``.

    An extract of open items (no ``cleared_date``, or none filled) lists what was open
    when it was taken, at the latest on its most recent ``document_date``.  Aged at an
    earlier ``as_of``, it misses every item paid in between, so it cannot tie to the
    balance sheet of that date: the ledger (with settlement dates) or the FEC can.

    >>> items = pd.DataFrame({"document_date": pd.to_datetime(["2026-05-02", "2026-07-31"]), "amount": [1.0, 2.0]})
    >>> snapshot_before_extraction(items, "2026-06-30")
    Timestamp('2026-07-31 00:00:00')
    >>> snapshot_before_extraction(items, "2026-07-31") is None
    True
    """
    if items is None or as_of is None or items.empty or "document_date" not in items.columns:
        return None
    if "cleared_date" in items.columns and items["cleared_date"].notna().any():
        return None  # a ledger: open_at() rebuilds any past date
    latest = pd.to_datetime(items["document_date"], errors="coerce").max()
    if pd.isna(latest) or latest <= pd.Timestamp(as_of):
        return None
    return pd.Timestamp(latest)


def reconciliation_note(items: pd.DataFrame | None, as_of: object, lang: Lang = "fr", report: Any = None) -> Any:
    """A sentence under the reconciliation when the file is a ledger; an empty Markdown otherwise.

    When the file is an open-items extract aged before its latest document
    (:func:`snapshot_before_extraction`), a warning says it cannot tie to the balance sheet.

    With the load ``report`` of a FEC, says first that the loaded figures are those of the
    customer items built from the FEC (its load table counts journal lines of every account).
    """
    from IPython.display import Markdown

    s = {} if report is None else (report.summary() if hasattr(report, "summary") else dict(report))
    lines = []
    if s.get("kind") == "fec" and items is not None:
        lines.append(
            label("note_fec_items", lang).format(
                n=format_count(len(items), lang), lines=format_count(s.get("rows_kept", 0), lang)
            )
        )
    latest = snapshot_before_extraction(items, as_of)
    _, not_open = _ledger_split(s, items, as_of)
    if not_open["recon_items"] or latest is not None:
        lines.append(
            label("note_not_open" if latest is None else "note_snapshot_past", lang).format(
                latest=format_date(latest, lang),
                n=format_count(not_open["recon_items"], lang),
                amount=format_amount(not_open["recon_total"], lang),
                as_of=format_date(as_of, lang),
                column=label("not_open", lang),
            )
        )
    return paragraph(" ".join(lines)) if lines else Markdown("")


# ---------------------------------------------------------------------------------------
# Report text blocks (Markdown shown by the notebooks; code is hidden in the report)
# ---------------------------------------------------------------------------------------
def heading(key: str, lang: Lang = "fr", level: int = 2) -> Any:
    """A section title from :data:`LABELS` as a Markdown display object.

    Notebooks call it so that the report's headings follow ``lang``.
    """
    from IPython.display import Markdown

    return Markdown(f"{'#' * level} {label(key, lang)}")


def title_block(title_key: str, client_name: str, as_of: str | None, lang: Lang = "fr") -> Any:
    """The report title with the client and the closing date, as Markdown."""
    from IPython.display import Markdown

    colon = f"{NBSP}:" if lang == "fr" else ":"
    lines = [f"# {label(title_key, lang)}", "", f"**{label('client', lang)}{colon}** {client_name}"]
    if as_of:
        lines[-1] += f"  \n**{label('as_of', lang)}{colon}** {format_date(as_of, lang, long=True)}"
    return Markdown("\n".join(lines))


def text_table(df: pd.DataFrame | pd.Series, lang: Lang = "fr", scale: Scale = "") -> str:
    """:func:`format_table` as plain text (for the command line), spaces not no-break.

    >>> print(text_table(pd.DataFrame({"entity": ["A"], "overdue": [1500.0]})))
    Société       Échu
          A 1 500,00 €
    """
    shown = format_table(df, lang, scale=scale)
    if isinstance(shown.index, pd.MultiIndex):  # e.g. customer id and name
        shown = shown.reset_index()
    elif isinstance(df, pd.Series) or shown.index.name is not None:
        shown = (shown.rename_axis("") if shown.index.name is None else shown).reset_index()
    return shown.to_string(index=False).replace(NBSP, " ")


# ---------------------------------------------------------------------------------------
# Receivables views
# ---------------------------------------------------------------------------------------
def concentration_table(conc: pd.DataFrame, lang: Lang = "fr", scale: Scale = "") -> pd.DataFrame:
    """:func:`cashmission.receivables.concentration` ready to show, ranked, with the "others" row.

    The row label is the customer name (its number when the name is missing); the
    value column keeps its key (``overdue`` → "Échu").
    """
    frame = conc.drop(columns=[c for c in ("n_groups",) if c in conc.columns])
    value_cols = [
        c for c in frame.columns if c not in ("rank", "customer_id", "customer_name", "share", "cumulative_share")
    ]
    names = frame["customer_name"] if "customer_name" in frame.columns else frame.get("customer_id")
    if names is None:
        names = pd.Series(frame.index.astype(str), index=frame.index)
    if "customer_id" in frame.columns:
        names = names.astype("object").where(names.notna(), frame["customer_id"])
        others = frame["customer_id"].astype("object") == "others"
        names = names.where(~others, "others")
    shown = pd.DataFrame({"customer_name": names.to_numpy()})
    if "customer_id" in frame.columns:
        shown["customer_id"] = frame["customer_id"].where(frame["customer_id"] != "others", "").to_numpy()
    for c in [*value_cols, "share", "cumulative_share"]:
        if c in frame.columns:
            shown[c] = frame[c].to_numpy()
    out = format_table(shown, lang, scale=scale, index="customer_name", kinds={c: "amount" for c in value_cols})
    rank = frame["rank"] if "rank" in frame.columns else pd.Series(range(1, len(frame) + 1))
    out.insert(0, label("rank", lang), [format_count(x, lang) if not is_missing(x) else "" for x in rank])
    return out


def pareto_sentence(p: Mapping[str, Any], lang: Lang = "fr", value: str = "overdue") -> str:
    """One sentence from :func:`cashmission.receivables.pareto`.

    >>> p = {"n_for_threshold": 12, "n_groups": 100, "share_of_groups": 0.12, "threshold": 0.8,
    ...      "top_n": 10, "top_n_share": 0.71, "value_total": 1e6, "n_positive": 40}
    >>> print(pareto_sentence(p).replace(NBSP, " "))
    12 clients (12,0 % des 100 clients) font 80 % de l'échu ; les 10 premiers en font 71,0 %.
    """
    if is_missing(p.get("share_of_groups")):
        return "Aucun montant positif." if lang == "fr" else "No positive amount."
    what = label(value, lang).lower()
    if lang == "fr":
        return (
            f"{format_count(p['n_for_threshold'], lang)} clients ({format_percent(p['share_of_groups'], lang)} des "
            f"{format_count(p['n_groups'], lang)} clients) font {format_percent(p['threshold'], lang, 0)} de l'{what} ; "
            f"les {p['top_n']} premiers en font {format_percent(p['top_n_share'], lang)}."
        )
    return (
        f"{format_count(p['n_for_threshold'], lang)} customers ({format_percent(p['share_of_groups'], lang)} of "
        f"{format_count(p['n_groups'], lang)}) make {format_percent(p['threshold'], lang, 0)} of the {what}; "
        f"the top {p['top_n']} make {format_percent(p['top_n_share'], lang)}."
    )


# ---------------------------------------------------------------------------------------
# Working-capital views (tables of cashmission.kpis)
# ---------------------------------------------------------------------------------------
def format_by_unit(x: float | None, unit: str, lang: Lang = "fr", *, change: bool = False) -> str:
    """Format a KPI value by its unit (``days``, ``EUR``, ``fraction``).

    With ``change=True`` a sign is always shown and fractions become percentage points.

    >>> format_by_unit(63.26, "days").replace(NBSP, " "), format_by_unit(0.05, "fraction", change=True).replace(NBSP, " ")
    ('63,3 j', '+5,0 pts')
    """
    if is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if unit == "days":
        text = format_days(v, lang)
    elif unit == "EUR":
        text = format_amount(v, lang, scale="auto" if abs(v) >= 1e5 else "")
    elif unit == "fraction":
        if change:
            text = format_number(v * 100, 1, lang) + f"{NBSP}pts"  # points, in both languages
        else:
            text = format_percent(v, lang)
    else:
        text = format_number(v, 2, lang)
    if change and not text.startswith("-") and round(v, 6) != 0:
        text = "+" + text
    return text


def kpi_display(table: pd.DataFrame, lang: Lang = "fr", *, with_convention: bool = False) -> pd.DataFrame:
    """:func:`cashmission.kpis.kpi_table` ready to show: KPI names labelled, values by unit."""
    rows = {label(r.kpi, lang): format_by_unit(r.value, r.unit, lang) for r in table.itertuples(index=False)}
    out = pd.DataFrame({label("value", lang): list(rows.values())}, index=pd.Index(list(rows), name=label("kpi", lang)))
    if with_convention and "convention" in table.columns:
        out[label("convention", lang)] = table["convention"].to_numpy()
    return out


TRACKING_KPIS: tuple[str, ...] = (
    "revenue",
    "receivables",
    "dso_countback",
    "dso_simple",
    "dso_best_possible",
    "average_days_delinquent",
    "overdue_rate",
    "dpo",
    "stock_days_raw_materials",
    "stock_days_goods",
    "stock_days_finished_goods",
    "bfr",
    "bfr_days",
)
"""KPIs shown in the N−1 / N tracking table, in that order (those present)."""


def tracking_display(
    tracking: pd.DataFrame, lang: Lang = "fr", kpis: tuple[str, ...] | None = TRACKING_KPIS
) -> pd.DataFrame:
    """:func:`cashmission.kpis.bfr_tracking` ready to show: N−1, N and the variation.

    Rows unknown at both dates are dropped; ``kpis=None`` keeps every row.  In
    month-by-month mode (dates not a year apart, ``tracking.attrs``) the two columns are
    headed by their months instead of N−1 / N.
    """
    attrs = tracking.attrs or {}
    months = attrs.get("one_year_apart", True) is False
    before = format_month(attrs["start"], lang) if months else label("n_minus_1", lang)
    after = format_month(attrs["end"], lang) if months else label("n", lang)
    t = tracking.set_index("kpi")
    keys = [k for k in (kpis or tuple(t.index)) if k in t.index]
    rows = []
    for k in keys:
        r = t.loc[k]
        if is_missing(r["n_minus_1"]) and is_missing(r["n"]):
            continue
        rows.append(
            {
                label("kpi", lang): label(k, lang),
                before: format_by_unit(r["n_minus_1"], r["unit"], lang),
                after: format_by_unit(r["n"], r["unit"], lang),
                label("variation", lang): format_by_unit(r["variation"], r["unit"], lang, change=True),
            }
        )
    return pd.DataFrame(rows).set_index(label("kpi", lang))


def year_ends(figures: pd.DataFrame, as_of: str | None = None) -> tuple[str, str]:
    """The closing date N and the one to compare it with, as ISO strings.

    N is the last ``period_end`` on or before ``as_of`` (the last one when ``as_of`` is
    None): a mission dated 2026-08-03 whose KPI figures stop at 2025-12-31 reports the
    year to 2025-12-31.  The comparison date is the same date a year before when the
    figures have a period ending then; otherwise (a FEC holds one fiscal year, by month)
    the earliest period end of the year before N, else the earliest one: month-by-month
    mode, which :func:`tracking_heading` states in the report.

    >>> f = pd.DataFrame({"period_end": pd.to_datetime(["2024-12-31", "2025-06-30", "2025-12-31"])})
    >>> year_ends(f), year_ends(f, "2026-08-03"), year_ends(f, "2025-07-15")
    (('2024-12-31', '2025-12-31'), ('2024-12-31', '2025-12-31'), ('2024-12-31', '2025-06-30'))
    >>> year_ends(pd.DataFrame({"period_end": pd.date_range("2022-01-31", periods=12, freq="ME")}))
    ('2022-01-31', '2022-12-31')
    """
    all_ends = pd.DatetimeIndex(pd.to_datetime(figures["period_end"])).normalize()
    ends = all_ends
    if as_of:
        ends = ends[ends <= pd.Timestamp(as_of)]
        if ends.empty:
            first = all_ends.min().date()
            raise ValueError(f"no period ends on or before as_of {as_of}; the figures start at {first}")
    end = pd.Timestamp(ends.max())
    start = end - pd.DateOffset(years=1)
    if end.is_month_end:
        start = start + pd.offsets.MonthEnd(0)
    if start not in set(all_ends):
        earlier = all_ends[all_ends < end]
        if earlier.empty:
            raise ValueError(f"the figures have a single period end ({end.date()}): nothing to compare it with")
        within = earlier[earlier >= start]
        start = pd.Timestamp((within if len(within) else earlier).min())
    return start.date().isoformat(), end.date().isoformat()


def _window_text(window: object, lang: Lang) -> str:
    n = int(window)  # type: ignore[call-overload]
    return label("month_one", lang) if n == 1 else label("month_many", lang).format(n=n)


def tracking_heading(tracking: pd.DataFrame, lang: Lang = "fr") -> Any:
    """The heading of the BFR tracking, with a note when it is not a full N−1 / N comparison.

    Reads ``tracking.attrs`` (:func:`cashmission.kpis.bfr_tracking`): dates not a year
    apart give the month-by-month heading and say which dates are compared; fewer than
    12 months of flows are said too.  A plain :func:`heading` otherwise.
    """
    from IPython.display import Markdown

    attrs = tracking.attrs or {}
    window = attrs.get("window", "year")
    if attrs.get("one_year_apart", True) is False:
        note = label("note_months", lang).format(
            start=format_month(attrs["start"], lang),
            end=format_month(attrs["end"], lang),
            window=_window_text(window, lang),
        )
        return Markdown(f"## {label('sec_bfr_months', lang)}\n\n{note}")
    if window != "year" and int(window) < 12:
        note = label("note_window", lang).format(window=_window_text(window, lang))
        return Markdown(f"## {label('sec_bfr', lang)}\n\n{note}")
    return heading("sec_bfr", lang)


def cash_at_stake_display(stake: pd.DataFrame, lang: Lang = "fr") -> pd.DataFrame:
    """:func:`cash_at_stake` ready to show."""
    rows = []
    for r in stake.itertuples(index=False):
        rows.append(
            {
                label("kpi", lang): label(r.kpi, lang),
                label("current_value", lang): format_days(r.current, lang),
                label("target_value", lang): format_days(r.target, lang),
                label("cash_per_day_value", lang): format_amount(r.cash_per_day, lang, scale="k"),
                label("cash_released", lang): format_amount(r.cash_released, lang, scale="auto"),
            }
        )
    return pd.DataFrame(rows).set_index(label("kpi", lang))


def bridge_display(bridge: pd.DataFrame, lang: Lang = "fr") -> pd.DataFrame:
    """:func:`cashmission.kpis.dso_bridge` ready to show: cause, days and cash (a dash for a cause that moved nothing)."""
    rows = []
    for r in bridge.itertuples(index=False):
        level = getattr(r, "kind", "effect") == "level"
        days = format_days(r.days, lang)
        if not level and not days.startswith("-") and round(float(r.days), 1) != 0:
            days = "+" + days
        cash = getattr(r, "cash", None)
        nothing = not level and round(float(r.days), 1) == 0 and (is_missing(cash) or round(float(cash)) == 0)
        rows.append(
            {
                label("cause", lang): label(r.cause, lang),
                label("days_axis", lang): days,
                label("cash", lang): "" if level else MISSING if nothing else format_amount(cash, lang, scale="auto"),
            }
        )
    return pd.DataFrame(rows).set_index(label("cause", lang))


def bridge_heading(bridge: pd.DataFrame, lang: Lang = "fr") -> Any:
    """The DSO bridge heading with its dates and convention (``bridge.attrs`` of
    :func:`cashmission.kpis.dso_bridge_between`); a plain heading without them."""
    from IPython.display import Markdown

    attrs = bridge.attrs or {}
    if not {"start", "end", "months"} <= set(attrs):
        return heading("sec_bridge", lang)
    note = label("note_bridge", lang).format(
        start=format_date(attrs["start"], lang, long=True),
        end=format_date(attrs["end"], lang, long=True),
        months=attrs["months"],
    )
    return Markdown(f"## {label('sec_bridge', lang)}\n\n{note}")


BEHAVIOUR_COLUMNS: tuple[str, ...] = (
    "invoices",
    "amount",
    "weighted_days_to_pay",
    "weighted_days_late",
    "weighted_days_beyond_terms",
    "trend_days_late",
)


def behaviour_display(
    behaviour: pd.DataFrame, history: pd.DataFrame | None = None, top_n: int = 10, lang: Lang = "fr"
) -> pd.DataFrame:
    """Customers paying latest (:func:`cashmission.fec.customer_payment_behaviour`), ready to show.

    The ``top_n`` customers by amount-weighted days late (ties: larger amount first),
    named from ``history`` (its ``customer_name``) when given.
    """
    b = behaviour.sort_values(["weighted_days_late", "amount"], ascending=[False, False], kind="stable").head(top_n)
    frame = b[["customer_id", *[c for c in BEHAVIOUR_COLUMNS if c in b.columns]]].copy()
    keys = ["customer_id"]
    if history is not None and "customer_name" in history.columns:
        names = history.drop_duplicates("customer_id").set_index("customer_id")["customer_name"]
        frame.insert(1, "customer_name", frame["customer_id"].map(names))
        keys.append("customer_name")
    return format_table(frame.reset_index(drop=True), lang, index=keys)


def behaviour_note(terms_days: int | None, lang: Lang = "fr") -> Any:
    """How the payment behaviour is measured, as a Markdown paragraph."""
    return paragraph(label("note_behaviour", lang).format(terms=30 if terms_days is None else terms_days))


def aged_display(aged: pd.DataFrame, lang: Lang = "fr", scale: Scale = "k") -> pd.DataFrame:
    """An aged balance by group, narrowed for an A4 page: group keys, buckets, credits, total, overdue rate.

    The three credit columns are shown as one (*avoirs et règlements non lettrés*);
    buckets + credits = total on every row.
    """
    buckets = bucket_columns(aged)
    keys = [c for c in aged.columns if c not in buckets and kind_of(c, aged[c]) == "text"]
    keys = [k for k in keys if k != "customer_name" or "customer_id" not in keys]
    frame = aged[keys + buckets].copy()
    credits = [c for c in CREDIT_KEYS if c in aged.columns]
    if credits:
        frame["unapplied_cash_and_credits"] = aged[credits].sum(axis=1)
    for c in ("total", "overdue_rate"):
        if c in aged.columns:
            frame[c] = aged[c]
    return format_table(frame, lang, scale=scale, index=keys or None)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def paragraph(text: str) -> Any:
    """Plain text (e.g. :func:`pareto_sentence`, :func:`headline`) as a Markdown paragraph.

    The report then sets it as prose that wraps between words at the page edge, unlike
    a ``print``-ed ``<pre>`` block.  Markdown characters are escaped so the text shows
    as written; each line of ``text`` stays a line (hard line break).  The Markdown
    source is deterministic, so nbval still compares the figures.

    >>> paragraph("a_b *c*\\nd").data
    'a\\\\_b \\\\*c\\\\*  \\nd'
    """
    from IPython.display import Markdown

    lines = [_MD_SPECIAL.sub(r"\\\1", line) for line in str(text).splitlines()]
    return Markdown("  \n".join(lines))


def bullets(sentences: list[str] | tuple[str, ...]) -> Any:
    """Sentences as a Markdown bullet list (e.g. :func:`cashmission.narrative.explain_kpis`)."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {s}" for s in sentences))
