"""What a FEC's lines mean: account classes, opening entries (*à-nouveaux*), entry keys, journals, the fiscal year."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

import numpy as np
import pandas as pd

from cashmission.problems import Problem

_OPENING_CODES = {"AN", "ANO", "RAN", "AND", "ANX", "OUV", "NOUV"}
_TOL = 0.005  # amounts within half a cent are equal

_B = TypeVar("_B", float, np.ndarray)  # a balance: one amount, or one per month end

CUSTOMER_ACCOUNTS = ("411", "413", "416", "418", "419")
SUPPLIER_ACCOUNTS = ("401", "403", "408")


def _agg(
    level: str,
    code: str,
    what: str,
    df: pd.DataFrame,
    mask: pd.Series,
    fname: str | None,
    column: str | None = None,
    unit: str = "line",
) -> Problem:
    """One problem for all the lines in ``mask``: count, first line numbers."""
    rows = df.loc[mask, "line_no"]
    n = len(rows)
    first = ", ".join(str(int(x)) for x in rows.iloc[:5])
    more = f", ... ({n - 5} more)" if n > 5 else ""
    return Problem(
        level,
        code,
        f"{n} {unit}{'s' if n != 1 else ''}: {what} (lines {first}{more})",  # type: ignore[arg-type]
        file=fname,
        row=int(rows.iloc[0]) if n else None,
        column=column,
    )


# --------------------------------------------------------------------------- structure
def _by_value(values: pd.Series, func) -> np.ndarray:
    """``func`` (str Series -> Series) applied to the distinct values only, then spread
    back; missing values are seen as ``""``.  Fast on 1M lines with few distinct values."""
    codes, uniques = pd.factorize(values)
    u = pd.Series(np.append(np.asarray(uniques, dtype=object), ""), dtype=object).fillna("").astype(str)
    res = np.asarray(func(u))
    return res[np.where(codes >= 0, codes, len(uniques))]


def _account_starts(lines: pd.DataFrame, prefixes: Iterable[str]) -> np.ndarray:
    """Bool array: CompteNum starts with one of ``prefixes``."""
    pre = tuple(prefixes)
    return _by_value(lines["CompteNum"], lambda u: u.str.startswith(pre)).astype(bool)


def is_opening(lines: pd.DataFrame) -> pd.Series:
    """Lines of opening entries (*à-nouveaux*).

    A line is an opening line when its journal code is one of AN, ANO, RAN, AND, ANX,
    OUV, NOUV (any case) or its journal label contains "nouveau" (*A nouveaux*,
    *Report à nouveau*).
    """
    code = _by_value(lines["JournalCode"], lambda u: u.str.upper().isin(list(_OPENING_CODES)))
    lib = _by_value(lines["JournalLib"], lambda u: u.str.lower().str.contains("nouveau", regex=False))
    return pd.Series(code.astype(bool) | lib.astype(bool), index=lines.index)


def _closing_mask(lines: pd.DataFrame) -> pd.Series:
    lib = _by_value(lines["JournalLib"], lambda u: u.str.lower().str.contains(r"cl[oô]ture", regex=True))
    return pd.Series(lib.astype(bool), index=lines.index)


def entry_key(lines: pd.DataFrame) -> tuple[pd.Series, str, list[Problem]]:
    """The entry (*écriture*) each line belongs to, and which grouping was used.

    Returns ``(key, grouping, problems)``: ``key`` is an integer entry id per line;
    ``grouping`` is ``"JournalCode+EcritureNum"`` or, when EcritureNum is unusable,
    ``"JournalCode+EcritureDate+PieceRef"``.

    Notes
    -----
    In the fallback grouping, the lines of an opening journal (:func:`is_opening`)
    form one entry per journal: detailed opening entries (*à-nouveaux détaillés*)
    keep each item's own date and reference but balance only as a whole.
    EcritureNum is unusable when it is empty on some lines, or when more than half of
    the lines sit in a (JournalCode, EcritureNum) group that spans several
    EcritureDate values (an entry has one date; files where EcritureNum is always
    "0" fall there).
    """
    problems: list[Problem] = []
    num_key = lines.groupby(["JournalCode", "EcritureNum"], sort=False, dropna=False).ngroup()
    empty_num = lines["EcritureNum"].isna()
    ndates = lines.groupby(num_key.to_numpy())["EcritureDate"].transform("nunique")
    multi = ndates.to_numpy() > 1
    if len(lines) and (empty_num.any() or multi.mean() > 0.5):
        top = lines["EcritureNum"].value_counts(dropna=False)
        why = (
            f"EcritureNum is empty on {int(empty_num.sum())} lines"
            if empty_num.any()
            else f"{int(multi.sum())} of {len(lines)} lines are in (JournalCode, EcritureNum) groups spanning "
            f"several dates (most common EcritureNum {top.index[0]!r} on {int(top.iloc[0])} lines)"
        )
        problems.append(
            Problem(
                "warning",
                "ecriture_num_unusable",
                f"EcritureNum cannot identify entries: {why}; entries are grouped by "
                "JournalCode + EcritureDate + PieceRef instead",
            )
        )
        # opening entries (detailed à-nouveaux keep the items' original dates and
        # references) form one entry per opening journal
        opening = is_opening(lines)
        date = lines["EcritureDate"].where(~opening)
        ref = lines["PieceRef"].astype(object).where(~opening.to_numpy(), None)
        key = (
            pd.DataFrame({"j": lines["JournalCode"].astype(object), "d": date, "r": ref})
            .groupby(["j", "d", "r"], sort=False, dropna=False)
            .ngroup()
        )
        return key.astype("int64"), "JournalCode+EcritureDate+PieceRef", problems
    return num_key.astype("int64"), "JournalCode+EcritureNum", problems


def journal_kinds(lines: pd.DataFrame) -> dict[str, str]:
    """Kind of each journal: ``opening``, ``sales``, ``purchases``, ``bank`` or ``other``.

    Notes
    -----
    Opening journals by :func:`is_opening`.  Then by name: a code or label starting
    with VE/VT or containing *vente(s)*/sales is a sales journal; AC/HA or *achat(s)*/
    purchase(s) a purchases journal; OD, *diverses*, *régularisation*, *inventaire*,
    *paye*/*salaires* an ``other`` journal.  Otherwise from the accounts its lines touch
    among classes 2, 5, 6 and 7: at least half on class 7 (*produits*), with customer
    lines (41), makes a sales journal; on classes 6 (*charges*) and 2 (fixed assets),
    with supplier lines (40), a purchases journal; on class 5 (*banque, caisse*) a bank
    journal; else ``other``.
    """
    if lines.empty:
        return {}
    cats = ("2", "5", "6", "7", "40", "41")
    # per line: index in cats of the account class (0-3), of the 40/41 prefix (4-5), or -1
    cls = _by_value(lines["CompteNum"], lambda u: u.str[:1].map({c: i for i, c in enumerate(cats[:4])}).fillna(-1))
    third = _by_value(lines["CompteNum"], lambda u: u.str[:2].map({"40": 4, "41": 5}).fillna(-1))
    jcodes, journals = pd.factorize(lines["JournalCode"].astype(object).fillna(""))
    nj = len(journals)
    counts = np.zeros((nj, len(cats)))
    for col in (cls.astype(int), third.astype(int)):
        ok = col >= 0
        np.add.at(counts, (jcodes[ok], col[ok]), 1)
    n_lines = np.bincount(jcodes, minlength=nj)
    n_open = np.bincount(jcodes, weights=is_opening(lines).to_numpy().astype(float), minlength=nj)
    first = pd.Series(np.arange(len(jcodes))).groupby(jcodes).first().to_numpy()
    libs = lines["JournalLib"].astype(object).fillna("").to_numpy(dtype=object)[first]
    out: dict[str, str] = {}
    for i in np.argsort(np.asarray(journals, dtype=str)):
        j = journals[i]
        name = f"{j} {libs[i]}".lower()
        c2, c5, c6, c7, c40, c41 = counts[i]
        core = c2 + c5 + c6 + c7 or 1.0
        if n_open[i] > 0.5 * n_lines[i]:
            out[j] = "opening"
        elif re.search(r"\bventes?\b|\bsales\b|^v[et]\w*\b", name):
            out[j] = "sales"
        elif re.search(r"\bachats?\b|\bpurchases?\b|^(ac|ha)\w*\b", name):
            out[j] = "purchases"
        elif re.search(r"^od|\bo\.d\.|divers|r[ée]gularisation|inventaire|\bpaye?\b|salaire", name):
            out[j] = "other"
        elif c7 / core >= 0.5 and c41 > 0:
            out[j] = "sales"
        elif (c6 + c2) / core >= 0.5 and c40 > 0:
            out[j] = "purchases"
        elif c5 / core >= 0.5:
            out[j] = "bank"
        else:
            out[j] = "other"
    return out


def _last_entry_date(lines: pd.DataFrame, opening: np.ndarray) -> pd.Timestamp | None:
    """Latest EcritureDate of the lines that are not opening lines (``None`` if none)."""
    d = lines["EcritureDate"].to_numpy()[~opening]
    d = d[~np.isnat(d)]
    return pd.Timestamp(d.max()) if len(d) else None
