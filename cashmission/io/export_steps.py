"""The steps of loading an export (:mod:`cashmission.io.exports`): parse the values, apply the policies.

:func:`cashmission.io.exports._load` reads the file and maps its columns, then runs these
steps in order on one shared state (:class:`_Load`): check the required columns, mark
ragged rows, guess the decimal separator, parse amounts (with
:mod:`cashmission.io.totals_row`), dates (:mod:`cashmission.io.date_columns`), flags
and text, drop rows missing a required value, type by sign, check signs, derive due
dates, apply defaults, note currencies.  The policies themselves are documented in
:mod:`cashmission.io.exports`.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cashmission import tables
from cashmission.io.columns import _missing_column
from cashmission.io.parsing import amount_hint, clean_text, infer_decimal, parse_amounts, unicode_digits
from cashmission.io.presets import _ACTION_MAP, _BOOL_MAP, _TYPE_MAP, _key
from cashmission.io.raw import _blank, _by_unique
from cashmission.io.row_problems import RowProblems as _Problems
from cashmission.problems import excerpt


# --------------------------------------------------------------------------------------
# Value parsing helpers
# --------------------------------------------------------------------------------------
def _amounts(s: pd.Series, dec: str) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_amounts` with a fast path for plain numbers (``-1234,56``).

    Cells that are a bare signed number with the file's decimal separator (the bulk
    of most exports) are converted directly; the others go through
    :func:`parse_amounts` (spaces, thousands groups, parentheses, signs, ...).
    """
    if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
        return parse_amounts(s, dec)  # type: ignore[arg-type]
    pattern = r"-?[0-9]+(,[0-9]+)?" if dec == "," else r"-?[0-9]+(\.[0-9]+)?"  # ASCII digits only
    txt = s.astype("string") if s.dtype == object else s
    simple = txt.str.fullmatch(pattern).fillna(False).astype(bool)
    if simple.mean() < 0.5:
        return _by_unique(lambda v: parse_amounts(v, dec), s)  # type: ignore[arg-type]
    plain = txt[simple]
    if dec == ",":
        plain = plain.str.replace(",", ".", regex=False)
    vals = pd.Series(np.nan, index=s.index, dtype="float64")
    vals[simple] = pd.to_numeric(plain).astype("float64")
    bad = pd.Series(False, index=s.index)
    rest = ~simple & s.notna()
    if rest.any():
        v2, b2 = _by_unique(lambda v: parse_amounts(v, dec), s[rest])  # type: ignore[arg-type]
        vals[rest] = v2
        bad[rest] = b2
    infinite = vals.notna() & ~np.isfinite(vals)  # 400 digits: beyond the float range
    return vals.where(~infinite), (bad | infinite).astype(bool)


def _excel_text(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _text(s: pd.Series, excel: bool) -> pd.Series:
    if excel:
        return _by_unique(lambda u: clean_text(u.map(_excel_text)), s).astype(object)
    return _by_unique(clean_text, s).astype(object)


def _labels(s: pd.Series, excel: bool, table_map: dict[str, object]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(mapped values, cleaned text, unknown mask) through a normalised label map."""
    txt = _text(s, excel)
    uniq = txt.dropna().unique()
    lookup = {u: table_map.get(_key(u)) for u in uniq}
    mapped = txt.map(lookup)
    unknown = (txt.notna() & mapped.isna()).astype(bool)
    return mapped, txt, unknown


@dataclass
class _Load:
    """What the steps of :func:`_load` share: the raw cells, the columns found, the parsed values, the rows dropped."""

    table: str
    t: tables.Table
    file: str
    raw: pd.DataFrame
    meta: dict
    P: _Problems
    cols: dict[str, str]
    ignored: list[str]
    dayfirst: bool
    drop: pd.Series
    ragged: pd.Index
    date_order: str | None = None
    control: dict[str, object] | None = None  # the file's own totals row, when it has one
    out: dict[str, pd.Series] = field(default_factory=dict)
    extra: dict[str, pd.Series] = field(default_factory=dict)  # extra columns, carried after the canonical ones
    amount_cols: list[str] = field(default_factory=list)
    dec: str = ","

    @property
    def idx(self) -> pd.Index:
        return self.raw.index

    @property
    def excel(self) -> bool:
        return self.meta["kind"] == "excel"

    @property
    def is_open(self) -> bool:
        return self.table == "open_items"

    @property
    def required(self) -> set[str]:
        return set(self.t.required)

    def bad_rows(self, mask: pd.Series) -> list[int]:
        return self.idx[mask.to_numpy()].tolist()

    def cell(self, row: int, src: str) -> str:
        """The cell at ``row`` under ``src``, quoted and cut to 60 characters."""
        return excerpt(self.raw.at[row, src])

    def of_kind(self, *kinds: str) -> list[str]:
        """Canonical columns of the table, found in the file, of one of ``kinds``."""
        return [c for c in self.t.names if c in self.cols and self.t.column(c).kind in kinds]


def _check_required(c: _Load, headers: list[str], terms_days: int | None) -> None:
    """Raise ``missing_column`` for a required column not found; a Débit/Crédit pair stands for ``amount``."""
    sh = c.meta["sheet"]
    for canon in c.t.required:
        if canon in c.cols:
            continue
        if canon == "amount" and ("debit" in c.cols or "credit" in c.cols):
            if not ("debit" in c.cols and "credit" in c.cols):
                other = "credit" if "debit" in c.cols else "debit"
                hint = " (amount from a Débit/Crédit pair needs both)"
                raise _missing_column(other, headers, c.file, sh, unused=c.ignored, hint=hint)
            continue
        if c.is_open and (canon == "document_type" or (canon == "due_date" and terms_days is not None)):
            continue
        hint = " (or give terms_days)" if c.is_open and canon == "due_date" else ""
        raise _missing_column(canon, headers, c.file, sh, hint=hint, unused=c.ignored)
    if "amount" in c.cols and ("debit" in c.cols or "credit" in c.cols):
        c.P.add(
            "info",
            "debit_credit_ignored",
            f"amount read from {c.cols['amount']!r}; "
            + " and ".join(repr(c.cols[k]) for k in ("debit", "credit") if k in c.cols)
            + " not used",
        )
        for k in ("debit", "credit"):
            if k in c.cols:
                c.ignored.append(c.cols.pop(k))


def _mark_ragged(c: _Load) -> None:
    """Drop the rows with more fields than the header; note blank rows and an empty body."""
    if len(c.ragged):
        message = "more fields than the header (an unquoted separator in a value?); row dropped"
        c.P.rows("warning", "too_many_fields", c.ragged, None, message)
        c.drop[c.ragged] = True
    if c.meta.get("blank_rows"):
        c.P.add("info", "blank_rows", f"{c.meta['blank_rows']} empty rows skipped")
    if len(c.raw) == 0:
        c.P.add("warning", "no_data", "no data rows below the header")


def _guess_decimal(c: _Load, decimal: str | None) -> str | None:
    """The decimal separator: given, else one guess over every amount column of the file."""
    kinds = ("float", "int")
    c.amount_cols = [
        k
        for k in c.cols
        if k in ("debit", "credit", "amount_gross") or (k in c.t.names and c.t.column(k).kind in kinds)
    ]
    if decimal is not None or not c.amount_cols or not len(c.raw):
        return decimal
    texts = pd.concat([c.raw[c.cols[k]] for k in c.amount_cols], ignore_index=True)
    texts = pd.Series(pd.unique(texts.dropna().to_numpy(dtype=object)), dtype=object)
    texts = texts[texts.map(lambda v: isinstance(v, str))].iloc[:20000]  # a sample is enough to vote
    decimal = infer_decimal(texts)
    if (
        decimal == ","
        and c.meta.get("delimiter") == ","
        and not texts.astype(str).str.contains(r",\d{1,2}-?\)?$|\.\d{3},", regex=True).any()
    ):
        decimal = "."  # comma-separated file without decimal-comma evidence
    return decimal


def _read_amounts(c: _Load, src: str, code: str, then: str, keep: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse the column ``src``; warn on each bad cell (``code``, message ending ``then``) and on Unicode digits.

    ``keep`` marks a column whose bad cells do not drop the row.
    """
    vals, bad = _amounts(c.raw[src], c.dec)
    c.P.rows(
        "warning",
        code,
        c.bad_rows(bad & ~c.drop),
        src,
        lambda r: f"cannot read {c.cell(r, src)} as a number{amount_hint(c.raw.at[r, src])}{then}",
    )
    wide = unicode_digits(c.raw[src]) & ~bad & ~c.drop
    c.P.rows(
        "warning",
        "unicode_digits",
        c.bad_rows(wide),
        src,
        lambda r: f"{c.cell(r, src)} is written in non-ASCII digits: read as {vals[r]:g}",
    )
    if not keep:
        c.drop |= bad
    return vals, bad


def _parse_amount_columns(c: _Load) -> pd.Series | None:
    """Amounts and counts (and ``amount`` from Débit - Crédit); returns the amounts read, for the totals."""
    for canon in c.of_kind("float", "int"):
        src, kind, req = c.cols[canon], c.t.column(canon).kind, canon in c.required
        then = "; row dropped" if req else "; left empty"
        if kind == "int":
            vals, bad = _amounts(c.raw[src], c.dec)
            frac = vals.notna() & (vals != vals.round())
            bad, vals = bad | frac, vals.where(~frac)
            message = lambda r, s=src, t=then: f"cannot read {c.cell(r, s)} as a number{t}"  # noqa: E731
            c.P.rows("warning", "bad_number", c.bad_rows(bad & ~c.drop), src, message)
            if req:
                c.drop |= bad
        else:
            vals, _ = _read_amounts(c, src, "bad_amount", then, keep=not req)
        c.out[canon] = vals
    if "amount" in c.t.names and "amount" not in c.cols and "debit" in c.cols:
        _debit_minus_credit(c)
    if "amount_gross" in c.cols:
        src = c.cols["amount_gross"]
        c.extra["amount_gross"], _ = _read_amounts(c, src, "bad_amount", "; amount_gross left empty", keep=True)
        c.P.add(
            "info",
            "open_amount",
            f"amount (open amount) read from {c.cols['amount']!r}; the gross amount {src!r} kept as amount_gross",
            column=c.cols["amount"],
        )
    if "amount" not in c.out:
        return None
    return c.out["amount"].where(~pd.Series(c.idx.isin(c.ragged), index=c.idx))


def _debit_minus_credit(c: _Load) -> None:
    """``amount = Débit - Crédit`` (missing when both are empty); a bad cell on either side drops the row."""
    d, bad_d = _read_amounts(c, c.cols["debit"], "bad_amount", "; row dropped")
    cr, bad_c = _read_amounts(c, c.cols["credit"], "bad_amount", "; row dropped")
    amt = d.fillna(0.0) - cr.fillna(0.0)
    amt = amt.where(d.notna() | cr.notna())
    c.out["amount"] = amt.where(~(bad_d | bad_c))
    c.cols["amount"] = f"{c.cols['debit']} - {c.cols['credit']}"


def _parse_flag_columns(c: _Load) -> None:
    """Yes/no columns (Oui/Non, O/N, Yes/No, 1/0, X); an unknown value is no, with a warning."""
    for canon in c.of_kind("bool"):
        src = c.cols[canon]
        mapped, _, unknown = _labels(c.raw[src], c.excel, _BOOL_MAP)
        c.P.rows(
            "warning",
            "bad_boolean",
            c.bad_rows(unknown & ~c.drop),
            src,
            lambda r, s=src: f"cannot read {c.cell(r, s)} as yes/no (Oui/Non, O/N, Yes/No, 1/0, X); taken as no",
        )
        c.out[canon] = mapped.where(mapped.notna(), False).astype(bool)


def _parse_text_columns(c: _Load) -> None:
    """Text and categories: document types and dunning actions through their label maps, the rest as text."""
    for canon in c.of_kind("str", "category"):
        src = c.cols[canon]
        if canon == "document_type":
            c.out[canon] = _document_types(c, src)
        elif canon == "action":
            mapped, _, unknown = _labels(c.raw[src], c.excel, _ACTION_MAP)
            allowed = ", ".join(tables.DUNNING_ACTIONS)
            c.P.rows(
                "warning",
                "bad_value",
                c.bad_rows(unknown & ~c.drop),
                src,
                lambda r, s=src, a=allowed: f"unknown action {c.cell(r, s)} (allowed: {a}); row dropped",
            )
            c.drop |= unknown
            c.out[canon] = mapped
        else:
            c.out[canon] = _text(c.raw[src], c.excel)


def _document_types(c: _Load, src: str) -> pd.Series:
    """Document types from labels; an unknown label is ``other`` with one warning per label."""
    mapped, txt, unknown = _labels(c.raw[src], c.excel, _TYPE_MAP)
    live = unknown & ~c.drop
    for label, count in txt[live].value_counts(sort=False).items():
        first = int(c.idx[(live & (txt == label)).to_numpy()][0])
        c.P.add(
            "warning",
            "unknown_type",
            f"unknown document type {excerpt(label)} on {count} rows (first at row {first}); taken as 'other'",
            row=first,
            column=src,
        )
    return mapped.where(~unknown, "other")


def _drop_missing_required(c: _Load) -> None:
    """An empty required value drops the row (an open item's due date and type have their own rules)."""
    for canon in sorted(c.required & set(c.out)):
        if c.is_open and canon in ("due_date", "document_type"):
            continue
        missing = c.out[canon].isna() & ~c.drop
        if canon in c.cols and c.cols[canon] in c.raw.columns:
            missing &= _blank(c.raw[c.cols[canon]])
        elif canon == "amount":
            missing &= c.out["amount"].isna()
        c.P.rows(
            "warning", "missing_value", c.bad_rows(missing), c.cols.get(canon, canon), f"empty {canon}; row dropped"
        )
        c.drop |= missing


def _type_from_sign(c: _Load) -> None:
    """Open items without a type label: ``amount >= 0`` an invoice, ``< 0`` a credit note (info)."""
    if "document_type" in c.out:
        no_label = c.out["document_type"].isna() & ~c.drop
        if no_label.any():
            c.P.add(
                "info",
                "type_from_sign",
                f"{int(no_label.sum())} rows without a document type: amount >= 0 taken as invoice, < 0 as credit_note",
                column=c.cols["document_type"],
            )
    else:
        live = int((~c.drop).sum())
        if live:
            c.P.add(
                "info",
                "type_from_sign",
                f"no document type column: {live} rows typed by sign (amount >= 0 invoice, < 0 credit_note)",
            )
        c.out["document_type"] = pd.Series(np.nan, index=c.idx, dtype=object)
    by_sign = pd.Series(np.where(c.out["amount"] < 0, "credit_note", "invoice"), index=c.idx)
    types = c.out["document_type"].astype(object)
    c.out["document_type"] = types.where(types.notna(), by_sign)


def _check_signs(c: _Load) -> None:
    """Signs are never changed: a sign that contradicts the type is a warning, the row kept."""
    amount, typ = c.out["amount"], c.out["document_type"]
    for kind, wrong, what in (
        ("credit_note", amount > 0, "credit note with a positive amount"),
        ("payment", amount > 0, "payment with a positive amount"),
        ("invoice", amount < 0, "invoice with a negative amount"),
    ):
        rows = c.bad_rows((typ == kind) & wrong & ~c.drop)
        message = f"{what}: kept as given (check the export's sign convention)"
        c.P.rows("warning", f"{kind}_sign", rows, c.cols.get("amount"), message)


def _due_dates(c: _Load, terms_days: int | None) -> None:
    """Due dates of open items: from ``terms_days`` without a column; an empty one is the document date."""
    doc_date = c.out["document_date"]
    if "due_date" not in c.cols:
        c.out["due_date"] = doc_date + pd.Timedelta(days=int(terms_days or 0))
        c.P.add("info", "due_date_from_terms", f"no due-date column: due date = document date + {terms_days} days")
    else:
        src = c.cols["due_date"]
        due = c.out["due_date"]
        empty_due = due.isna() & _blank(c.raw[src]) & ~c.drop
        message = "empty due date: taken as immediately due (due date = document date)"
        c.P.rows("warning", "missing_due_date", c.bad_rows(empty_due), src, message)
        early = (due < doc_date) & ~c.drop
        c.P.rows("warning", "due_before_document", c.bad_rows(early), src, "due date before the document date")
        c.out["due_date"] = due.where(due.notna(), doc_date)
    if "dispute" not in c.cols and "dispute_code" in c.out:
        c.out["dispute"] = c.out["dispute_code"].notna()
        c.P.add("info", "dispute_from_code", "no dispute column: an item with a dispute code is taken as disputed")


def _apply_defaults(c: _Load, defaults: dict[str, object]) -> None:
    """Defaults fill empty cells of optional text columns and stand for absent columns."""
    for canon, value in defaults.items():
        if canon not in c.t.names:
            raise ValueError(f"defaults names {canon!r}, not a column of {c.table}")
        if canon in c.out and c.t.column(canon).kind == "str":
            c.out[canon] = c.out[canon].where(c.out[canon].notna(), str(value))
        elif canon not in c.out:
            c.out[canon] = pd.Series([value] * len(c.raw), index=c.idx, dtype=object)


def _note_currencies(c: _Load) -> None:
    if "currency" in c.out and "currency" in c.cols:
        cur = c.out["currency"][~c.drop].dropna()
        counts = cur.str.upper().value_counts()
        if len(counts) > 1:
            c.P.add(
                "info",
                "currencies",
                "several currencies: " + ", ".join(f"{k} ({v} rows)" for k, v in counts.items()),
                column=c.cols["currency"],
            )
