"""Labels and wording of the reports, French and English, in one table."""

from __future__ import annotations

import re
from typing import Literal

from cashmission.ledger.buckets import _BUCKET_RE, is_bucket

Lang = Literal["fr", "en"]
NBSP = "\u00a0"
MISSING = "–"  # en dash for a missing value

LANGS: tuple[str, ...] = ("fr", "en")

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
        "gross_payable": "Dettes brutes",
        "overdue": "Échu",
        "overdue_rate": "Taux d'échu",
        "disputed": "En litige",
        "n_items": "Nb de pièces",
        "n_customers": "Nb de clients",
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
        "dpo": "DPO",
        "stock_days": "Rotation des stocks",
        "stock_days_raw_materials": "Rotation des matières premières",
        "stock_days_goods": "Rotation des marchandises",
        "stock_days_finished_goods": "Rotation des produits finis",
        "bfr": "BFR",
        "bfr_days": "BFR en jours de CA",
        "target": "Cible",
        "kpi": "Indicateur",
        "unit": "Unité",
        "convention": "Convention",
        "formula": "Formule",
        "current": "N",
        "variation": "Variation",
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
        "invoices_paid": "Factures réglées",
        "amount_paid": "Montant réglé",
        "avg_days_to_pay": "Délai moyen de règlement",
        "avg_days_late": "Retard moyen",
        "late_share": "Part réglée en retard",
        "days_late_3m": "Retard moyen (3 derniers mois)",
        "days_late_12m": "Retard moyen (12 derniers mois)",
        "trend_3m_vs_12m": "Tendance (3 mois − 12 mois)",
        "open_overdue_items": "Pièces échues non réglées",
        "open_overdue_amount": "Échu non réglé",
        "open_overdue_days": "Retard moyen de l'échu non réglé",
        "overall_days_late": "Retard global (réglé + échu non réglé)",
        "overall_late_share": "Part en retard (réglé + échu non réglé)",
        "disputed_items": "Pièces en litige",
        "disputed_open_amount": "Litiges non réglés",
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
        "pareto_note": "{customers} des clients = {share}",
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
        "period_line": "Période mesurée : du {start} au {end} ({days}), {start_from} {end_from}",
        "period_from_opening_entries": "depuis les à-nouveaux",
        "period_from_first_entry": "depuis le premier jour du mois de la première écriture",
        "period_to_fiscal_year_end": "jusqu'à la clôture de l'exercice ({kind}{months} mois)",
        "period_to_last_entry": "jusqu'à la dernière écriture, avant la clôture du {fiscal_year_end}",
        "period_to_as_of": "jusqu'à la date demandée (--as-of)",
        "period_to_data_end": "jusqu'à la fin du mois de la dernière écriture ({months} mois ; date de clôture "
        "inconnue : le nom du fichier n'en donne pas d'utilisable)",
        "period_opening_only": "Période mesurée : le {start} seulement, jour des à-nouveaux : aucune écriture "
        "après l'ouverture, donc pas de flux (CA, achats) ; les soldes sont ceux d'ouverture",
        "day_one": "jour",
        "day_many": "jours",
        "period_short": "exercice court, ",
        "period_long": "exercice long, ",
        "overdue_undisputed": "Échu hors litige",
        "unapplied_cash_and_credits": "Avoirs et règlements non lettrés",
        "sales_level": "Niveau des ventes et saisonnalité",
        "EUR": "€",
        "fraction": "%",
        "current_value": "Actuel",
        "target_value": "Cible",
        "cash_released": "Trésorerie libérée",
        "cash_per_day_value": "Valeur d'un jour",
        # kpi of a FEC: the terms, the purchases behind DPO, the tax-return view
        "kpi_terms": "Échéances (le FEC n'en a pas) : date de pièce + {days} jours{eom}{source}",
        "kpi_terms_eom": " fin de mois",
        "kpi_terms_assumed": " (par défaut ; --terms N, --end-of-month, --customers pour les fixer)",
        "kpi_terms_given": " (--terms)",
        "kpi_terms_master": " ; conditions de {n} client(s) tirées du fichier clients",
        "kpi_purchases_services": "Achats du DPO : comptes {accounts} TTC, achats et autres charges externes "
        "(mesure de la Banque de France ; --purchases-only : compte 60 seul)",
        "kpi_purchases_goods": "Achats du DPO : compte {accounts} TTC seul, achats de biens (--purchases-only ; "
        "par défaut 60, 61, 62)",
        "tax_return_title": "Liasse fiscale (2050-2052) : exercice complet du {start} au {end} ({months} mois), "
        "à côté des chiffres glissants ci-dessus",
        "tax_return_reclassify": "Fournisseurs débiteurs reclassés à l'actif, clients créditeurs au passif, "
        "compte auxiliaire par compte auxiliaire : présentation de la liasse (par défaut ; "
        "--supplier-debits net pour compenser les fournisseurs)",
        "tax_return_net": "Fournisseurs débiteurs compensés avec les autres fournisseurs (--supplier-debits net) ; "
        "la liasse les reclasse à l'actif (par défaut) ; clients créditeurs reclassés au passif",
        "net_turnover": "Chiffre d'affaires net (70)",
        "rebates_granted": "  dont rabais, remises et ristournes accordés (709), déduits",
        "trade_receivables": "Clients et comptes rattachés (411, 413, 416, 418 débiteurs)",
        "customer_credit_balances": "Clients créditeurs, reclassés au passif",
        "trade_payables": "Fournisseurs et comptes rattachés (401, 403, 408)",
        "supplier_debit_balances": "Fournisseurs débiteurs, reclassés à l'actif (autres créances)",
        "supplier_debit_balances_net": "Fournisseurs débiteurs, déduits des fournisseurs (non reclassés)",
        "stocks_net": "Stocks nets (total)",
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
        "gross_payable": "Gross payables",
        "overdue": "Overdue",
        "overdue_rate": "Overdue rate",
        "disputed": "Disputed",
        "n_items": "Items",
        "n_customers": "Customers",
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
        "dpo": "DPO",
        "stock_days": "Inventory days",
        "stock_days_raw_materials": "Raw-material days",
        "stock_days_goods": "Goods-for-resale days",
        "stock_days_finished_goods": "Finished-goods days",
        "bfr": "Working capital requirement",
        "bfr_days": "Working capital in days of revenue",
        "target": "Target",
        "kpi": "Indicator",
        "unit": "Unit",
        "convention": "Convention",
        "formula": "Formula",
        "current": "Current year",
        "variation": "Change",
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
        "invoices_paid": "Invoices paid",
        "amount_paid": "Amount paid",
        "avg_days_to_pay": "Average days to pay",
        "avg_days_late": "Average days late",
        "late_share": "Share paid late",
        "days_late_3m": "Days late (last 3 months)",
        "days_late_12m": "Days late (last 12 months)",
        "trend_3m_vs_12m": "Trend (3 months − 12 months)",
        "open_overdue_items": "Open overdue items",
        "open_overdue_amount": "Open overdue amount",
        "open_overdue_days": "Average days past due (open)",
        "overall_days_late": "Overall days late (paid + open overdue)",
        "overall_late_share": "Share late (paid + open overdue)",
        "disputed_items": "Disputed items",
        "disputed_open_amount": "Open disputed amount",
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
        "pareto_note": "{customers} of customers = {share}",
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
        "period_line": "Period measured: {start} to {end} ({days}), {start_from} {end_from}",
        "period_from_opening_entries": "from the opening entries",
        "period_from_first_entry": "from the first day of the first entry's month",
        "period_to_fiscal_year_end": "to the fiscal-year end ({kind}{months} months)",
        "period_to_last_entry": "to the last entry, before the fiscal-year end {fiscal_year_end}",
        "period_to_as_of": "to the date asked for (--as-of)",
        "period_to_data_end": "to the month end of the last entry ({months} months; closing date unknown: the file "
        "name gives none that fits)",
        "period_opening_only": "Period measured: {start} only, the day of the opening entries: no entry after "
        "the opening, so no flows (revenue, purchases); the balances are the opening balances",
        "day_one": "day",
        "day_many": "days",
        "period_short": "short fiscal year, ",
        "period_long": "long fiscal year, ",
        "overdue_undisputed": "Overdue, undisputed",
        "unapplied_cash_and_credits": "Credit notes and unapplied cash",
        "sales_level": "Sales level and seasonality",
        "EUR": "€",
        "fraction": "%",
        "current_value": "Current",
        "target_value": "Target",
        "cash_released": "Cash released",
        "cash_per_day_value": "Value of one day",
        # kpi of a FEC: the terms, the purchases behind DPO, the tax-return view
        "kpi_terms": "Due dates (a FEC has none): document date + {days} days{eom}{source}",
        "kpi_terms_eom": " end of month",
        "kpi_terms_assumed": " (default; set them with --terms N, --end-of-month, --customers)",
        "kpi_terms_given": " (--terms)",
        "kpi_terms_master": "; terms of {n} customer(s) from the customer master",
        "kpi_purchases_services": "Purchases behind DPO: accounts {accounts} TTC, purchases and other external "
        "charges (the Banque de France measure; --purchases-only: account 60 alone)",
        "kpi_purchases_goods": "Purchases behind DPO: account {accounts} TTC alone, purchases of goods "
        "(--purchases-only; default 60, 61, 62)",
        "tax_return_title": "Tax return (2050-2052): the whole fiscal year from {start} to {end} ({months} months), "
        "beside the trailing figures above",
        "tax_return_reclassify": "Suppliers in debit reclassified as assets, customers in credit as liabilities, "
        "auxiliary account by auxiliary account: the tax-return presentation (default; "
        "--supplier-debits net to net the suppliers)",
        "tax_return_net": "Suppliers in debit netted against the other suppliers (--supplier-debits net); "
        "the tax return reclassifies them as assets (default); customers in credit reclassified as liabilities",
        "net_turnover": "Net turnover (70)",
        "rebates_granted": "  of which rebates granted (709), deducted",
        "trade_receivables": "Trade receivables (debit balances of 411, 413, 416, 418)",
        "customer_credit_balances": "Customers in credit, reclassified as liabilities",
        "trade_payables": "Trade payables (401, 403, 408)",
        "supplier_debit_balances": "Suppliers in debit, reclassified as assets (other receivables)",
        "supplier_debit_balances_net": "Suppliers in debit, deducted from the suppliers (not reclassified)",
        "stocks_net": "Stocks, net (total)",
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
            "gross_payable",
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
            "amount_paid",
            "open_overdue_amount",
            "disputed_open_amount",
        )
    },
    **{
        k: "percent"
        for k in (
            "overdue_rate",
            "share",
            "share_of_total",
            "cumulative_share",
            "collection_effectiveness_index",
            "late_share",
            "overall_late_share",
        )
    },
    **{
        k: "count"
        for k in (
            "n_items",
            "n_customers",
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
            "invoices_paid",
            "open_overdue_items",
            "disputed_items",
        )
    },
    **{
        k: "days"
        for k in (
            "dso",
            "dso_simple",
            "dso_countback",
            "dpo",
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
            "avg_days_to_pay",
            "avg_days_late",
            "days_late_3m",
            "days_late_12m",
            "trend_3m_vs_12m",
            "open_overdue_days",
            "overall_days_late",
        )
    },
    **{k: "date" for k in ("document_date", "due_date", "period_end", "as_of")},
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")


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
# Formulas and conventions of the KPI table (written in English by the domain) in French.
# Longest phrases first; one pass, so a French word is never translated again.
# ---------------------------------------------------------------------------------------
FORMULA_FR: tuple[tuple[str, str], ...] = (
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
    # simplified conventions (working_capital.table) and the accounts behind DPO (fec_figures)
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
