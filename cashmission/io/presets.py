"""Header presets and value labels of ERP exports: which client header means which canonical column."""

from __future__ import annotations

import re

from cashmission import tables
from cashmission.io.parsing import normalise_header

AMOUNT_OPEN_HEADERS: tuple[str, ...] = (
    "Solde",
    "Solde TTC",
    "Reste à payer",
    "Montant ouvert",
    "Restant dû",
    "Open amount",
    "Amount due",
    "Balance",
    "Outstanding",
)

HEADER_PRESETS: dict[str, list[str]] = {
    # -- shared ------------------------------------------------------------------
    "entity": [
        "Société",
        "Entité",
        "Code société",
        "Soc",
        "Company",
        "Company code",
        "Entity",
        "Legal entity",
        "Business unit",
    ],
    "customer_id": [
        "N° client",
        "Code client",
        "Compte",
        "Compte client",
        "Numéro client",
        "Compte auxiliaire",
        "Tiers",
        "Code tiers",
        "CompAuxNum",
        "Customer ID",
        "Customer number",
        "Customer code",
        "Customer no",
        "Customer account",
        "Account",
        "Debtor",
        "Sold-to",
    ],
    "customer_name": [
        "Client",
        "Raison sociale",
        "Nom client",
        "Nom",
        "Libellé client",
        "CompAuxLib",
        "Customer name",
        "Customer",
        "Name",
        "Debtor name",
    ],
    "document_id": [
        "N° pièce",
        "N° facture",
        "Pièce",
        "Numéro de pièce",
        "Numéro facture",
        "N° document",
        "Référence pièce",
        "PieceRef",
        "Invoice number",
        "Invoice no",
        "Invoice",
        "Document number",
        "Document no",
        "Document",
        "Reference",
    ],
    "document_type": ["Type", "Type pièce", "Type de pièce", "Nature", "Type document", "Document type", "Doc type"],
    "document_date": [
        "Date pièce",
        "Date facture",
        "Date de pièce",
        "Date document",
        "Date",
        "PieceDate",
        "Document date",
        "Invoice date",
        "Posting date",
    ],
    "due_date": [
        "Date échéance",
        "Échéance",
        "Date d'échéance",
        "Date limite de paiement",
        "EcheanceDate",
        "Due date",
        "Due",
        "Net due date",
        "Payment due date",
    ],
    "amount": [  # open-amount headers first, then the gross ones
        *AMOUNT_OPEN_HEADERS,
        "Montant TTC",
        "Montant",
        "Amount",
        "Amount in local currency",
        "Invoice amount",
    ],
    "debit": ["Débit", "Debit", "Débit TTC"],
    "credit": ["Crédit", "Credit", "Crédit TTC"],
    "currency": ["Devise", "Code devise", "Idevise", "Currency", "Currency code"],
    "amount_currency": [
        "Montant devise",
        "Montant en devise",
        "Solde devise",
        "Montantdevise",
        "Amount currency",
        "Amount in currency",
        "Amount in document currency",
        "Foreign amount",
    ],
    "dispute": ["Litige", "En litige", "Bloqué", "Disputed", "Dispute", "In dispute"],
    "dispute_code": ["Code litige", "Motif litige", "Motif de litige", "Dispute code", "Dispute reason"],
    "collector": [
        "Recouvreur",
        "Gestionnaire",
        "Chargé de recouvrement",
        "Collector",
        "Credit controller",
        "Account manager",
    ],
    "segment": ["Réseau", "Segment", "Secteur", "Activité", "Network", "Business line"],
    "factored": ["Affacturé", "Cédé", "Affacturage", "Factored", "Assigned to factor"],
    "cleared_date": [
        "Date lettrage",
        "Date de lettrage",
        "DateLet",
        "Cleared date",
        "Clearing date",
        "Settlement date",
        "Settled date",
        "Date settled",
        "Paid date",
    ],
    "match_code": ["Lettrage", "Code lettrage", "EcritureLet", "Match code", "Clearing code", "Matching code"],
    # -- customers ---------------------------------------------------------------
    "country": ["Pays", "Code pays", "Country", "Country code"],
    "credit_limit": ["Encours autorisé", "Plafond", "Limite de crédit", "Credit limit"],
    "payment_terms_days": ["Délai de paiement", "Délai", "Jours", "Payment terms", "Terms days"],
    "terms_end_of_month": ["Fin de mois", "FDM", "End of month"],
    "payment_method": ["Mode de règlement", "Mode de paiement", "Payment method"],
    "legal_form": ["Forme juridique", "Legal form"],
    "share_capital": ["Capital", "Capital social", "Share capital"],
    "creation_date": ["Date de création", "Date création", "Creation date"],
    "siren": ["SIREN", "N° SIREN"],
    "group": ["Groupe", "Group", "Parent"],
    # -- payments ----------------------------------------------------------------
    "payment_id": [
        "N° règlement",
        "Référence règlement",
        "N° encaissement",
        "Payment reference",
        "Payment ID",
        "Payment number",
    ],
    "payment_date": [
        "Date règlement",
        "Date encaissement",
        "Date de valeur",
        "Date valeur",
        "Date",
        "Payment date",
        "Value date",
    ],
    "method": ["Mode de règlement", "Mode", "Method", "Payment method"],
    # -- disputes ----------------------------------------------------------------
    "dispute_id": ["N° litige", "Référence litige", "Dispute ID", "Dispute number"],
    "opened_date": ["Date ouverture", "Date d'ouverture", "Date litige", "Opened date", "Opened"],
    "closed_date": ["Date clôture", "Date de clôture", "Date résolution", "Closed date", "Closed"],
    "reason": ["Motif", "Motif litige", "Code litige", "Reason", "Reason code"],
    "owner": ["Responsable", "Service", "Owner", "Department"],
    "stage": ["Étape", "Statut", "Stage", "Status"],
    # -- dunning -----------------------------------------------------------------
    "action_date": ["Date relance", "Date action", "Date", "Action date"],
    "action": ["Action", "Type relance", "Niveau de relance", "Niveau", "Dunning level"],
    "channel": ["Canal", "Channel"],
    "promise_date": ["Date promesse", "Promise date"],
    "promise_amount": ["Montant promis", "Montant promesse", "Promise amount"],
}

_DOCUMENT_TYPE_LABELS = {
    "invoice": ["Facture", "Factures", "FA", "FAC", "FACT", "F", "INV", "Invoice", "Bill", "Facture client", "Vente"],
    "credit_note": [
        "Avoir",
        "Avoirs",
        "AV",
        "AVO",
        "CN",
        "Credit note",
        "Creditnote",
        "Note de crédit",
        "Credit memo",
        "Credit_note",
    ],
    "payment": [
        "Règlement",
        "Reglements",
        "RG",
        "REG",
        "RGT",
        "Paiement",
        "Encaissement",
        "ENC",
        "Payment",
        "PMT",
        "Cash",
        "Virement",
        "VIR",
        "Chèque",
        "Unapplied cash",
    ],
    "other": ["Autre", "Other", "OD", "Divers", "Misc", "Opération diverse"],
}
_DUNNING_ACTION_LABELS = {
    "pre_reminder": ["Pré-relance", "Prérelance", "Pre reminder"],
    "reminder_1": ["Relance", "Relance 1", "Relance 1er niveau", "Reminder", "Reminder 1", "R1"],
    "reminder_2": ["Relance 2", "Reminder 2", "R2"],
    "reminder_3": ["Relance 3", "Reminder 3", "R3"],
    "call": ["Appel", "Appel téléphonique", "Téléphone", "Call", "Phone call"],
    "formal_notice": ["Mise en demeure", "MED", "Formal notice"],
    "injunction": ["Injonction de payer", "Injonction", "IP", "Injunction"],
    "litigation": ["Contentieux", "Litigation"],
    "write_off": ["Passage en perte", "Perte", "Write off", "Write-off"],
    "promise": ["Promesse", "Promesse de paiement", "Promise"],
}
_BOOL_TRUE = ("oui", "o", "yes", "y", "1", "true", "vrai", "x", "t")
_BOOL_FALSE = ("non", "n", "no", "0", "false", "faux", "f")


def _key(name: object) -> str:
    """Header key: :func:`normalise_header`, then any punctuation as one space.

    >>> _key("Date d'échéance"), _key("N°_pièce"), _key("Montant (€)")
    ('date d echeance', 'n piece', 'montant')
    """
    return re.sub(r"[^a-z0-9]+", " ", normalise_header(name)).strip()


def _keys(name: object) -> set[str]:
    """Keys a header matches: its own, without a bracketed unit (``Montant (EUR)``), and split at camelCase.

    ``customerID``, ``InvoiceDate`` and ``MontantTTC`` also match ``Customer ID``,
    ``Invoice date`` and ``Montant TTC`` (a capital after a lower-case letter or a digit
    starts a word); snake_case is already split by :func:`normalise_header`.

    >>> sorted(_keys("customerID")), sorted(_keys("Montant (EUR)"))
    (['customer id', 'customerid'], ['montant', 'montant eur'])
    """
    raw = str(name)
    out = {_key(raw)}
    bare = re.sub(r"[\(\[].*?[\)\]]", " ", raw)
    if bare != raw and _key(bare):
        out.add(_key(bare))
    camel = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", raw)
    if camel != raw:
        out.add(_key(camel))
    out.discard("")
    return out


def _label_map(labels: dict[str, list[str]]) -> dict[str, str]:
    out = {}
    for value, names in labels.items():
        out[_key(value)] = value
        for n in names:
            out[_key(n)] = value
    return out


_TYPE_MAP = _label_map(_DOCUMENT_TYPE_LABELS)
_ACTION_MAP = _label_map(_DUNNING_ACTION_LABELS)
_BOOL_MAP = {**dict.fromkeys(_BOOL_TRUE, True), **dict.fromkeys(_BOOL_FALSE, False)}


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------
def _known_keys(table: str | None = None, mapping: dict[str, str] | None = None) -> set[str]:
    names: list[str] = []
    cols = set(tables.table(table).names) | {"debit", "credit"} if table else None
    for canon, syn in HEADER_PRESETS.items():
        if cols is None or canon in cols:
            names += [canon, *syn]
    if cols:
        names += list(cols)
    names += list((mapping or {}).values())
    return {k for n in names for k in _keys(n)}
