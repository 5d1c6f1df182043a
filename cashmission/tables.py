"""Canonical tables: the one data model every cashmission module uses.

Loaders (CSV/Excel exports, the FEC, factor statements, bank statements) turn what
they read into these tables; domain modules take them in and give them out.  Each
table is described once here: column name, type, whether it is required, meaning.
:func:`data_model_markdown` renders this description (``docs/data_model.md``), and
:func:`validate` checks a frame against it with pandera, lazily, so that a user sees
every problem at once.

Conventions
-----------
- Amounts are floats in the company (mission) currency, tax included (TTC) for
  receivables and payables, signed from the company's point of view: an invoice to a
  customer is positive, a credit note (*avoir*) or an unapplied payment is negative.
- Dates are ``datetime64[ns]`` at midnight, no time zone.
- Identifiers are strings (``"00123"`` keeps its zeros).
- Extra columns are allowed and carried along untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from cashmission.problems import Problem

Kind = Literal["str", "float", "int", "date", "bool", "category"]

DOCUMENT_TYPES = ("invoice", "credit_note", "payment", "other")
"""``document_type`` values: invoice (*facture*), credit note (*avoir*), payment or
unapplied cash (*règlement non lettré*), other (journal entries, fees, instalments)."""

DUNNING_ACTIONS = (
    "pre_reminder",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "call",
    "formal_notice",
    "injunction",
    "litigation",
    "write_off",
    "promise",
)
"""``dunning.action`` values, in escalation order (*pré-relance* … *mise en demeure*,
*injonction de payer*, contentieux, passage en perte)."""


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    kind: Kind
    required: bool
    description: str
    allowed: tuple[str, ...] | None = None
    default: object = None  # value used when an optional column is absent


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, what one row is, and its columns."""

    name: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}; columns: {', '.join(self.names)}")


C = Column

OPEN_ITEMS = Table(
    "open_items",
    "one receivable document (*poste client*): an invoice, a credit note, an unapplied "
    "payment or another entry on a customer account. The same table holds payables "
    "(*postes fournisseurs*) with supplier ids in `customer_id` and amounts signed the "
    "other way (what the company owes is positive).",
    (
        C("entity", "str", False, "legal entity / company code (*société*)", default="MAIN"),
        C("customer_id", "str", True, "customer account (*n° client*, FEC CompAuxNum)"),
        C("customer_name", "str", False, "customer name (*raison sociale*)"),
        C("document_id", "str", True, "document number (*n° de pièce*), unique per entity"),
        C("document_type", "category", True, "invoice, credit_note, payment or other", DOCUMENT_TYPES),
        C("document_date", "date", True, "invoice / document date (*date de pièce*)"),
        C("due_date", "date", True, "due date (*date d'échéance*)"),
        C("amount", "float", True, "open amount, signed, company currency, tax included (*solde TTC*)"),
        C("currency", "str", False, "ISO currency of the document", default="EUR"),
        C("amount_currency", "float", False, "open amount in the document currency"),
        C("dispute", "bool", False, "the item is disputed (*en litige*)", default=False),
        C("dispute_code", "str", False, "dispute reason code (*motif de litige*)"),
        C("collector", "str", False, "person in charge of collection (*recouvreur*)"),
        C("segment", "str", False, "network / segment / business line (*réseau*)"),
        C("factored", "bool", False, "assigned to a factor (*cédé à l'affacturage*)", default=False),
        C("cleared_date", "date", False, "date the item was settled (*date de lettrage*); empty while open"),
        C("match_code", "str", False, "lettering code shared by matched items (*code lettrage*)"),
        C("source_row", "int", False, "line number in the source file, for tracing back"),
    ),
    key=("entity", "document_id"),
)

CUSTOMERS = Table(
    "customers",
    "one customer account (*fiche client*) of an entity.",
    (
        C("entity", "str", False, "legal entity", default="MAIN"),
        C("customer_id", "str", True, "customer account"),
        C("customer_name", "str", False, "customer name"),
        C("country", "str", False, "ISO country code"),
        C("segment", "str", False, "network / segment"),
        C("collector", "str", False, "person in charge of collection"),
        C("credit_limit", "float", False, "credit limit granted (*encours autorisé*)"),
        C("payment_terms_days", "int", False, "agreed payment terms in days (*délai de paiement*)"),
        C("terms_end_of_month", "bool", False, "terms count from the end of the month (*fin de mois*)", default=False),
        C("payment_method", "str", False, "usual payment method: lcr, traite, cheque, transfer, cash, card"),
        C("legal_form", "str", False, "legal form: SA, SAS, SARL, EI, ..."),
        C("share_capital", "float", False, "share capital (*capital social*)"),
        C("creation_date", "date", False, "company creation date"),
        C("siren", "str", False, "French company id (SIREN)"),
        C("group", "str", False, "parent group, for intra-group and consolidation"),
    ),
    key=("entity", "customer_id"),
)

PAYMENTS = Table(
    "payments",
    "one payment received from a customer (*encaissement*), possibly applied to a document.",
    (
        C("entity", "str", False, "legal entity", default="MAIN"),
        C("customer_id", "str", True, "customer account"),
        C("payment_id", "str", True, "payment reference"),
        C("payment_date", "date", True, "value / receipt date"),
        C("amount", "float", True, "amount received, positive, company currency"),
        C("currency", "str", False, "ISO currency", default="EUR"),
        C("method", "str", False, "transfer, lcr, cheque, card, ..."),
        C("document_id", "str", False, "document the payment settles, when known"),
    ),
    key=("entity", "payment_id", "document_id"),
)

DISPUTES = Table(
    "disputes",
    "one dispute (*litige*) on a document or a customer.",
    (
        C("entity", "str", False, "legal entity", default="MAIN"),
        C("dispute_id", "str", True, "dispute reference"),
        C("customer_id", "str", True, "customer account"),
        C("document_id", "str", False, "disputed document"),
        C("opened_date", "date", True, "date the dispute was raised"),
        C("closed_date", "date", False, "date it was resolved; empty while open"),
        C("reason", "str", False, "reason code: price, quantity, quality, delivery, billing, ..."),
        C("owner", "str", False, "department that must act: sales, ADV, logistics, accounting, ..."),
        C("stage", "str", False, "workflow stage"),
        C("amount", "float", False, "disputed amount"),
    ),
    key=("entity", "dispute_id"),
)

DUNNING = Table(
    "dunning",
    "one collection action (*relance*): a reminder, a call, a formal notice, a promise.",
    (
        C("entity", "str", False, "legal entity", default="MAIN"),
        C("customer_id", "str", True, "customer account"),
        C("document_id", "str", False, "document concerned; empty for a customer-level action"),
        C("action_date", "date", True, "date of the action"),
        C("action", "category", True, "type of action, in escalation order", DUNNING_ACTIONS),
        C("channel", "str", False, "email, letter, phone, registered letter, ..."),
        C("collector", "str", False, "who acted"),
        C("promise_date", "date", False, "payment date promised by the customer"),
        C("promise_amount", "float", False, "amount promised"),
    ),
)

WORKING_CAPITAL = Table(
    "working_capital",
    "one period (a month or a year) of the figures behind DSO, DPO, stock rotation and "
    "BFR. Flows (revenue, purchases) are totals over the period; balances (receivables, "
    "payables, stocks) are at `period_end`.",
    (
        C("period_end", "date", True, "last day of the period"),
        C("period_days", "int", True, "calendar days in the period"),
        C("revenue", "float", True, "revenue excluding tax (*CA HT*, accounts 70)"),
        C("vat_collected", "float", False, "VAT collected on sales (44571); revenue_ttc = revenue + vat_collected"),
        C("receivables", "float", True, "trade receivables incl. tax (*clients TTC*, 411/413/416/418 debit)"),
        C("receivables_not_due", "float", False, "part of the receivables not yet due (*non échu*)"),
        C("factored_receivables", "float", False, "receivables assigned to a factor, off the ledger"),
        C("discounted_receivables", "float", False, "bills discounted not yet due (*effets escomptés non échus*)"),
        C("payables", "float", False, "trade payables incl. tax (*fournisseurs TTC*, 401/403/408 credit)"),
        C("purchases", "float", False, "purchases excl. tax used for DPO (60 + 61/62 where chosen)"),
        C("vat_deductible", "float", False, "deductible VAT on purchases (44566)"),
        C("purchases_raw_materials", "float", False, "raw-material purchases (601, 602)"),
        C("purchases_goods", "float", False, "purchases of goods for resale (607)"),
        C("stock_raw_materials", "float", False, "raw materials and supplies in stock (31, 32)"),
        C("stock_goods", "float", False, "goods for resale in stock (37)"),
        C("stock_finished_goods", "float", False, "finished goods and work in progress (33, 34, 35)"),
    ),
    key=("period_end", "period_days"),
)

TABLES: dict[str, Table] = {t.name: t for t in (OPEN_ITEMS, CUSTOMERS, PAYMENTS, DISPUTES, DUNNING, WORKING_CAPITAL)}


WORKING_CAPITAL_FLOWS = (
    "revenue",
    "vat_collected",
    "purchases",
    "vat_deductible",
    "purchases_raw_materials",
    "purchases_goods",
)
"""The flow columns of :data:`WORKING_CAPITAL` (totals over the period; the other figures are balances at its end)."""


def table(name: str) -> Table:
    """The canonical table called ``name``."""
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the table's columns and types."""
    t = table(name)
    return pd.DataFrame({c.name: pd.Series(dtype=_DTYPES[c.kind]) for c in t.columns})


_DTYPES = {
    "str": "object",
    "float": "float64",
    "int": "Int64",
    "date": "datetime64[ns]",
    "bool": "bool",
    "category": "object",
}


def coerce(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return a copy with optional columns added (defaults) and columns in canonical types.

    Does not parse: strings must already be clean (loaders parse first).  Unknown
    columns are kept after the canonical ones.
    """
    t = table(name)
    out = df.copy()
    for c in t.columns:
        if c.name not in out.columns:
            if c.required:
                continue
            out[c.name] = c.default if c.default is not None else pd.NA
        col = out[c.name]
        if c.kind in ("str", "category"):
            out[c.name] = col.astype("object").where(col.notna(), None)
        elif c.kind == "float":
            out[c.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif c.kind == "int":
            out[c.name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif c.kind == "date":
            out[c.name] = pd.to_datetime(col, errors="coerce").astype("datetime64[ns]")
        elif c.kind == "bool":
            out[c.name] = col.fillna(False).astype(bool)
    canon = [c for c in t.names if c in out.columns]
    return out[canon + [c for c in out.columns if c not in canon]]


def validate(df: pd.DataFrame, name: str, file: str | None = None) -> list[Problem]:
    """Check ``df`` against the canonical table ``name``; return every problem found.

    Checks: required columns present, types, allowed values, no missing value in a
    required column, unique key.  Runs pandera lazily so that all problems come back
    at once; an empty list means the frame is valid.
    """
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    t = table(name)
    problems: list[Problem] = []
    missing = [c for c in t.required if c not in df.columns]
    for c in missing:
        problems.append(Problem("error", "missing_column", f"required column {c!r} is missing", file=file, column=c))
    if missing:
        return problems
    checks = {
        "str": pa.Column(object, nullable=True, coerce=False),
        "category": pa.Column(object, nullable=True),
        "float": pa.Column(float, nullable=True),
        "int": pa.Column("Int64", nullable=True, coerce=True),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "bool": pa.Column(bool),
    }
    cols = {}
    for c in t.columns:
        if c.name not in df.columns:
            continue
        base = checks[c.kind]
        col_checks = [pa.Check.isin(list(c.allowed))] if c.allowed else []
        cols[c.name] = pa.Column(
            base.dtype, nullable=not c.required, checks=col_checks, coerce=c.kind == "int", name=c.name
        )
    key = [k for k in t.key if k in df.columns]
    schema = pa.DataFrameSchema(cols, strict=False, unique=key or None, report_duplicates="all")
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as err:
        for _, r in err.failure_cases.iterrows():
            col = r.get("column")
            idx = r.get("index")
            row = None
            if idx is not None and pd.notna(idx) and "source_row" in df.columns and idx in df.index:
                sr = df.at[idx, "source_row"]
                row = int(sr) if pd.notna(sr) else None
            problems.append(
                Problem(
                    "error",
                    "schema",
                    f"{r.get('check')}: {r.get('failure_case')!r}",
                    file=file,
                    row=row,
                    column=None if col is None or pd.isna(col) else str(col),
                )
            )
    return problems


def data_model_markdown() -> str:
    """The canonical tables as Markdown (the source of ``docs/data_model.md``)."""
    lines = [
        "# cashmission data model",
        "",
        "Generated from `cashmission/tables.py` (`python -m cashmission.tables > docs/data_model.md`).",
        "",
        (__doc__ or "").split("Conventions\n-----------\n", 1)[-1].strip(),
        "",
    ]
    for t in TABLES.values():
        lines += [f"## `{t.name}`", "", f"One row: {t.row}", ""]
        if t.key:
            lines += [f"Key: {', '.join(f'`{k}`' for k in t.key)}.", ""]
        lines += ["| column | type | required | meaning |", "|---|---|---|---|"]
        for c in t.columns:
            meaning = c.description
            if c.allowed:
                meaning += " (" + ", ".join(f"`{a}`" for a in c.allowed) + ")"
            if c.default is not None:
                meaning += f"; default `{c.default}`"
            lines.append(f"| `{c.name}` | {c.kind} | {'yes' if c.required else ''} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(data_model_markdown())  # noqa: T201
