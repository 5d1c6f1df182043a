"""Duplicate keys of a loaded table (*doublons*): exact copies, partial settlements, instalments.

An export may repeat a key: ``(entity, document_id)`` for open items.  Rows identical
in every loaded column are copies (the first kept); otherwise, for open items, a
group mixing a debit and a credit is a partial settlement (a payment or credit note
carrying the invoice's number), a group of one type with all due dates different is
instalments, anything else a ``duplicate_id``.  See :mod:`cashmission.io.exports`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission import tables
from cashmission.io.row_problems import RowProblems
from cashmission.problems import excerpt


def _duplicates(
    frame: pd.DataFrame, t: tables.Table, is_open: bool, P: RowProblems, cols: dict[str, str]
) -> pd.DataFrame:
    """Apply the duplicate-key policy (module docstring) to a coerced frame.

    Vectorised: groups are numbered once, classified with per-group counts, and
    messages are built only for the groups listed (at most
    ``P.cap`` per problem code); the others are only counted.
    """
    key = [k for k in t.key if k in frame.columns]
    if not key:
        return frame
    content = [c for c in frame.columns if c != "source_row"]
    exact = frame.duplicated(subset=content, keep="first")
    if exact.any():
        first_row = frame.groupby(content, dropna=False, sort=False)["source_row"].transform("first")
        pos = np.flatnonzero(exact.to_numpy())
        rows = frame["source_row"].to_numpy()[pos].astype(int)
        firsts = dict(zip(rows[: P.cap].tolist(), first_row.to_numpy()[pos][: P.cap], strict=True))
        P.rows(
            "warning",
            "duplicate_row",
            rows[: P.cap],
            cols.get(key[-1]),
            lambda r: f"same as row {int(firsts[r])}; dropped",
        )
        P.more("warning", "duplicate_row", len(rows) - P.cap)
        frame = frame.loc[~exact.to_numpy()].reset_index(drop=True)
    dup = frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return frame
    if not is_open:
        P.rows(
            "warning",
            "duplicate_key",
            frame.loc[dup, "source_row"].astype(int).tolist(),
            cols.get(key[-1]),
            f"key ({', '.join(key)}) not unique; kept",
        )
        return frame
    return _open_item_groups(frame, dup.to_numpy(), key, P, cols.get("document_id"))


_CREDIT_TYPES = ("credit_note", "payment")


def _open_item_groups(
    frame: pd.DataFrame, dup: np.ndarray, key: list[str], P: RowProblems, src: str | None
) -> pd.DataFrame:
    """Rows of ``open_items`` sharing ``(entity, document_id)``: classify each group.

    - *partial settlement*: the group holds a debit row (an invoice or other item
      with ``amount >= 0``) and a credit row (a credit note or payment, or a negative
      amount): a credit carrying an invoice's number.  All rows kept; warning
      ``partial_settlement``; every row of the group whose ``match_code`` is empty
      gets the bare document id as ``match_code`` so the credit can be applied to
      its invoice.
    - *instalments*: same type, same sign and all due dates different (info).
    - otherwise ``duplicate_id`` (warning).

    Ids are made unique as ``id``, ``id/2``, ... : debit rows first, then credit
    rows, each in file order (so the invoice keeps its number).
    """
    sub = frame.loc[dup, [*key, "document_type", "due_date", "amount", "source_row"]]
    gid = sub.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    n_groups = int(gid.max()) + 1
    typ = sub["document_type"].astype(object)
    amount = sub["amount"].to_numpy(dtype=np.float64)
    credit = (typ.isin(_CREDIT_TYPES).to_numpy() | (amount < 0)).astype(np.int64)
    size = np.bincount(gid, minlength=n_groups)
    n_credit = np.bincount(gid, weights=credit, minlength=n_groups).astype(np.int64)
    by_gid = pd.DataFrame(
        {"g": gid, "t": typ.to_numpy(), "s": amount < 0, "d": sub["due_date"].to_numpy()}, index=sub.index
    )
    n_type = by_gid.groupby("g", sort=True)["t"].nunique(dropna=False).to_numpy()
    n_sign = by_gid.groupby("g", sort=True)["s"].nunique().to_numpy()
    n_due = by_gid.groupby("g", sort=True)["d"].nunique(dropna=False).to_numpy()
    settle = (n_credit > 0) & (n_credit < size)
    instal = ~settle & (n_type == 1) & (n_sign == 1) & (n_due == size)
    conflict = ~settle & ~instal

    # rank in the group: debit rows first, then credit rows, each in file order
    order = np.lexsort((np.arange(len(gid)), credit, gid))
    starts = np.r_[0, np.flatnonzero(np.diff(gid[order])) + 1]
    rank = np.empty(len(gid), dtype=np.int64)
    rank[order] = np.arange(len(gid)) - np.repeat(starts, np.diff(np.r_[starts, len(gid)])) + 1
    out = frame.copy()
    pos = np.flatnonzero(dup)
    ids = out["document_id"].to_numpy(dtype=object).copy()
    base = ids[pos].copy()
    later = rank > 1
    ids[pos[later]] = base[later] + "/" + rank[later].astype(str).astype(object)
    out["document_id"] = pd.Series(ids, index=out.index, dtype=object)
    tagged = settle[gid]
    if tagged.any():
        mc = out["match_code"].astype(object).to_numpy().copy()
        empty = pd.isna(mc[pos])
        fill = tagged & empty
        mc[pos[fill]] = base[fill]
        out["match_code"] = pd.Series(mc, index=out.index, dtype=object)

    # problems: messages only for the groups listed, the others counted
    for mask, level, code in (
        (settle, "warning", "partial_settlement"),
        (instal, "info", "instalments"),
        (conflict, "warning", "duplicate_id"),
    ):
        groups = np.flatnonzero(mask)
        if not len(groups):
            continue
        shown = groups[: P.cap]
        sel = np.isin(gid, shown)
        rows_sel = sub.loc[sel]
        g_sel, r_sel = gid[sel], rank[sel]
        for g in shown:
            m = g_sel == g
            part = rows_sel.loc[m].assign(rank_=r_sel[m]).sort_values("rank_")
            P.rows(level, code, [int(part["source_row"].min())], src, _group_message(code, part))
        P.more(level, code, len(groups) - len(shown))
    return out


def _group_message(code: str, part: pd.DataFrame) -> str:
    doc = str(part["document_id"].iat[0])
    n = len(part)
    rows = ", ".join(str(int(r)) for r in sorted(part["source_row"]))
    ids_txt = ", ".join([doc] + [f"{doc}/{i}" for i in range(2, n + 1)])
    if code == "instalments":
        return (
            f"document {excerpt(doc)} on {n} rows with different due dates (rows {rows}): instalments kept as {ids_txt}"
        )
    if code == "duplicate_id":
        return (
            f"document {excerpt(doc)} on {n} rows (rows {rows}) differing in amount or other fields: "
            f"all kept as {ids_txt}"
        )
    items = "; ".join(
        f"row {int(r.source_row)} {r.document_type} {r.amount:.2f} as {doc if r.rank_ == 1 else f'{doc}/{r.rank_}'}"
        for r in part.itertuples(index=False)
    )
    return (
        f"document {excerpt(doc)} on {n} rows (rows {rows}) mixing debits and credits: a payment or credit note "
        f"carrying the invoice's number, i.e. a partial settlement ({items}); all kept, match_code {excerpt(doc)} "
        f"set so the credit is applied to its invoice; open balance {part['amount'].sum():.2f}"
    )
