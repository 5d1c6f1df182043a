"""Validation of a FEC (*contrôle du FEC*): the checks of article A47 A-1 of the LPF on lines already read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cashmission.io.fec import _NAME_RE, fec_source
from cashmission.io.fec_columns import _CORE
from cashmission.io.fec_entries import _TOL, _account_starts, _agg, _last_entry_date, entry_key, is_opening
from cashmission.io.fec_period import _d, _fiscal_year, _month_end
from cashmission.meta import FecSource
from cashmission.problems import Problem, excerpt


def _with_file(fname: str | None):
    def f(p: Problem) -> Problem:
        return Problem(p.level, p.code, p.message, file=p.file or fname, sheet=p.sheet, row=p.row, column=p.column)

    return f


def _empty(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_float_dtype(s):
        return s.isna()
    t = s.astype(object)
    return (t.isna() | (t.astype(str).str.strip() == "")).astype(bool)


def _capped(detail: list[Problem], cap: int, what: str, fname: str | None) -> list[Problem]:
    if len(detail) <= cap:
        return detail
    first = detail[0]
    return [
        *detail[:cap],
        Problem(
            first.level, first.code, f"{len(detail) - cap} more {what} not listed ({len(detail)} in all)", file=fname
        ),
    ]


# --------------------------------------------------------------------------- validation
def validate_fec(
    lines: pd.DataFrame,
    fiscal_year_end: str | pd.Timestamp | None = None,
    *,
    file_name: str | Path | None = None,
    max_per_code: int = 200,
) -> list[Problem]:
    """Compliance findings on a FEC, in the spirit of the DGFiP "Test Compta Demat".

    Parameters
    ----------
    lines : the table from :func:`read_fec`.
    fiscal_year_end : closing date of the fiscal year (*date de clôture*); by default
        from the file name ``<SIREN>FEC<YYYYMMDD>`` (``file_name``, or the name
        :func:`read_fec` recorded), else from the data.
    max_per_code : at most this many per-entry / per-group findings of one code; the
        rest is summed up in one more finding of the same code.

    Returns
    -------
    list of Problem, never raises on bad data.  Codes:

    - ``file_name`` (warning): the file name is not ``<SIREN>FEC<AAAAMMJJ>`` (article
      A47 A-1); the file is read all the same, its fiscal year taken from the data.
    - ``fiscal_year`` (info): the fiscal year used and where it came from;
      ``fiscal_year_mismatch`` (warning): the name's closing date does not fit the
      data (no entry in the twelve months before it, or entries after it), the year
      is then taken from the data.
    - ``entry_grouping`` (info): how entries were identified;
      ``ecriture_num_unusable`` (warning): EcritureNum cannot identify entries,
      fallback to JournalCode + EcritureDate + PieceRef (see :func:`entry_key`).
    - ``no_valid_dates`` (error): no line has a valid EcritureDate; the fiscal year and
      the date checks are then skipped (no guessed year).
    - ``trailing_months_empty`` (warning): the last months of the fiscal year have no
      entry (named in the message); :func:`fec_monthly_figures` stops before them.
    - ``unbalanced_entry``: one per entry whose debits differ from its credits; an
      error under the JournalCode + EcritureNum grouping, a warning under the guessed
      fallback grouping (an artefact of the guess is likely: one entry's lines with
      two PieceRefs make two "entries" that cancel each other).
    - ``unbalanced_file`` (error): total debits differ from total credits; left out
      when :func:`read_fec` already reported it for these very lines (its load report
      and these findings are usually shown together).
    - ``missing_value`` (error on JournalCode, EcritureNum, EcritureDate, CompteNum;
      warning on JournalLib, CompteLib, PieceRef, PieceDate, EcritureLib, ValidDate):
      one per column, with the count of empty lines.  A date that is filled but not
      valid (20241301) is not empty: :func:`read_fec` reports it as ``bad_date``.
    - ``aux_label_missing`` (warning): CompAuxNum without CompAuxLib, or the reverse.
    - ``date_outside_fiscal_year`` (warning): EcritureDate outside the fiscal year,
      opening entries (:func:`is_opening`) aside.
    - ``placeholder_date`` (warning): PieceDate before 1950 (e.g. 19000101).
    - ``valid_before_entry`` (warning): ValidDate earlier than EcritureDate.
    - ``negative_amount`` / ``debit_and_credit`` (warning): a negative Debit or
      Credit, a line with both a debit and a credit.
    - ``lettering`` (info): lettered lines and groups on third-party accounts (40*,
      41*), how many net to zero; ``partial_lettering`` (warning): one per
      (account, auxiliary account, EcritureLet) group that does not net to zero, with
      its class in brackets; ``partial_lettering_classes`` (info): the count per class
      (:data:`PARTIAL_CLASSES`), for customers (41*) and suppliers (40*).  A group is
      "counterpart before the file" when what it leaves open is a payment (a credit
      on a customer, a debit on a supplier), all its lines are dated in the first
      three months of the fiscal year and its account (and auxiliary account) has an
      opening line without lettering (an opening balance without detail: the
      invoices it pays are inside that balance); "counterpart after closing" when
      what it leaves open is an invoice and all its lines are in the last month of
      the fiscal year (the payment comes after the closing date); else "partial".
    - ``let_without_date`` / ``date_without_let`` (warning): EcritureLet without
      DateLet, or the reverse; ``currency_amount_without_code`` /
      ``currency_code_without_amount`` (warning): Montantdevise (not zero) without
      Idevise, or the reverse (the pairs the DGFiP "Test Compta Demat" checks).
    - ``date_let_before_entry`` (warning): DateLet earlier than EcritureDate.

    Each finding gives its first line number in ``row`` and the count and first line
    numbers in its message.
    """
    source = fec_source(lines)
    fname = str(file_name) if file_name is not None else source.file
    if lines.empty:
        return [Problem("error", "empty", "the FEC has no lines", file=fname)]
    opening = is_opening(lines)
    out, start, end = _fiscal_year_findings(lines, fiscal_year_end, file_name, source, fname, opening)
    out += _name_findings(fname)
    out += _entry_findings(lines, source, fname, max_per_code)
    out += _required_fields(lines, source, fname)
    out += _date_findings(lines, opening, start, end, fname)
    out += _amount_findings(lines, fname)
    out += _lettering_findings(lines, start, end, fname, max_per_code)
    out += _pair_findings(lines, source, fname)
    return out


def _fiscal_year_findings(
    lines: pd.DataFrame,
    fiscal_year_end: str | pd.Timestamp | None,
    file_name: str | Path | None,
    source: FecSource,
    fname: str | None,
    opening: pd.Series,
) -> tuple[list[Problem], pd.Timestamp | None, pd.Timestamp | None]:
    """(findings, start, end): the fiscal year used and its empty trailing months, or ``no_valid_dates``."""
    if not lines["EcritureDate"].notna().any():
        message = (
            "no line has a valid EcritureDate: the fiscal year cannot be placed and the checks on dates are skipped"
        )
        return [Problem("error", "no_valid_dates", message, file=fname, column="EcritureDate")], None, None
    with_file = _with_file(fname)
    start, end, how, fy_problems = _fiscal_year(lines, fiscal_year_end, file_name, source)
    out = [with_file(p) for p in fy_problems]
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    out.append(
        Problem(
            "info",
            "fiscal_year",
            f"fiscal year {start.date()} to {end.date()} ({months} months, closing date from {how})",
            file=fname,
        )
    )
    last = _last_entry_date(lines, opening.to_numpy())
    if last is not None and start <= last and _month_end(last) < end:
        empty = pd.period_range(_month_end(last) + pd.Timedelta(days=1), end, freq="M")
        out.append(
            Problem(
                "warning",
                "trailing_months_empty",
                f"no entry in the last {len(empty)} month(s) of the fiscal year ({', '.join(map(str, empty))}): "
                f"the last entry is dated {last.date()} (an extract made before the closing, or books not "
                f"complete?); the working-capital figures stop at that entry",
                file=fname,
            )
        )
    return out, start, end


def _name_findings(fname: str | None) -> list[Problem]:
    """A warning when the file name is not ``<SIREN>FEC<AAAAMMJJ>`` (nothing when no name is known)."""
    if fname is None or _NAME_RE.search(Path(fname).name):
        return []
    message = (
        f"the file name {excerpt(Path(fname).name)} is not <SIREN>FEC<AAAAMMJJ> (article A47 A-1): "
        "read all the same; no SIREN, no closing date from the name"
    )
    return [Problem("warning", "file_name", message, file=fname)]


def _entry_findings(lines: pd.DataFrame, source: FecSource, fname: str | None, max_per_code: int) -> list[Problem]:
    """How entries were grouped, each unbalanced entry, and an unbalanced file (unless read_fec said it)."""
    key, grouping, problems = entry_key(lines)
    out = [_with_file(fname)(p) for p in problems]
    out.append(Problem("info", "entry_grouping", f"{int(key.nunique())} entries, grouped by {grouping}", file=fname))
    net = (lines["Debit"] - lines["Credit"]).groupby(key.to_numpy()).sum()
    unbalanced = net[net.abs() > _TOL]
    if len(unbalanced):
        detail = _unbalanced_entries(lines, key, grouping, unbalanced, fname)
        out += _capped(detail, max_per_code, "unbalanced entries", fname)
    total = float(lines["Debit"].sum() - lines["Credit"].sum())
    already = source.unbalanced_reported
    if abs(total) > _TOL and (already is None or abs(already - total) > _TOL):
        out.append(Problem("error", "unbalanced_file", f"total debits - total credits = {total:,.2f}", file=fname))
    return out


def _unbalanced_entries(
    lines: pd.DataFrame, key: pd.Series, grouping: str, unbalanced: pd.Series, fname: str | None
) -> list[Problem]:
    """One finding per unbalanced entry: an error, a warning under a guessed grouping (maybe its artefact)."""
    guessed = grouping != "JournalCode+EcritureNum"
    level = "warning" if guessed else "error"
    note = f" (under the guessed grouping {grouping}: may be an artefact of the guess)" if guessed else ""
    entries = lines.groupby(key.to_numpy(), sort=False)
    detail = []
    for k, v in unbalanced.items():
        entry = entries.get_group(k)
        row = int(entry["line_no"].min())
        first = entry.iloc[0]
        detail.append(
            Problem(
                level,
                "unbalanced_entry",
                f"entry {first['JournalCode']} {first['EcritureNum']} "
                f"({_d(first['EcritureDate'])}, piece {first['PieceRef']}){note}: debits "
                f"{entry['Debit'].sum():,.2f}, credits {entry['Credit'].sum():,.2f}{_repeated(entry)}; "
                f"debits - credits = {v:,.2f}",
                file=fname,
                row=row,
            )
        )
    return detail


def _repeated(entry: pd.DataFrame) -> str:
    """``"; lines 5, 6, 7 are one line repeated (401000, credit 1,000.00)"``: the first line repeated, else ``""``."""
    same = [c for c in entry.columns if c != "line_no"]
    copies = entry[entry.duplicated(subset=same, keep=False)]
    if copies.empty:
        return ""
    first = copies.iloc[0]
    copy_of = copies.groupby(same, dropna=False, sort=False).ngroup()
    group = copies[copy_of == copy_of.iloc[0]]
    side = f"debit {first['Debit']:,.2f}" if first["Debit"] else f"credit {first['Credit']:,.2f}"
    shown = ", ".join(str(int(n)) for n in group["line_no"])
    return f"; lines {shown} are one line repeated ({first['CompteNum']}, {side})"


_REQUIRED_FIELDS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "ValidDate",
)


def _required_fields(lines: pd.DataFrame, source: FecSource, fname: str | None) -> list[Problem]:
    """Empty required fields (error on the core columns), and CompAuxNum/CompAuxLib not both filled."""
    out = []
    for c in _REQUIRED_FIELDS:
        miss = _empty(lines[c])
        invalid = source.bad_dates.get(c)
        if invalid:  # not valid dates: read_fec reported them as such (bad_date), not empty
            miss &= ~lines["line_no"].isin(invalid)
        if miss.any():
            level = "error" if c in _CORE else "warning"
            out.append(_agg(level, "missing_value", f"{c} is empty", lines, miss, fname, c))
    aux, auxlib = ~_empty(lines["CompAuxNum"]), ~_empty(lines["CompAuxLib"])
    if (aux != auxlib).any():
        what = "CompAuxNum and CompAuxLib not both filled"
        out.append(_agg("warning", "aux_label_missing", what, lines, aux != auxlib, fname, "CompAuxLib"))
    return out


def _date_findings(
    lines: pd.DataFrame,
    opening: pd.Series,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    fname: str | None,
) -> list[Problem]:
    """Entries outside the fiscal year (openings aside), placeholder piece dates, validation before entry."""
    d = lines["EcritureDate"]
    checks = []
    if start is not None and end is not None:
        outside = ~opening & d.notna() & ((d < start) | (d > end))
        what = f"EcritureDate outside the fiscal year {start.date()} - {end.date()}"
        checks.append((outside, "date_outside_fiscal_year", what, "EcritureDate"))
    placeholder = lines["PieceDate"] < pd.Timestamp("1950-01-01")
    checks.append((placeholder, "placeholder_date", "PieceDate before 1950 (a placeholder)", "PieceDate"))
    vbefore = lines["ValidDate"].notna() & d.notna() & (lines["ValidDate"] < d)
    checks.append((vbefore, "valid_before_entry", "ValidDate earlier than EcritureDate", "ValidDate"))
    return [_agg("warning", code, what, lines, mask, fname, col) for mask, code, what, col in checks if mask.any()]


def _amount_findings(lines: pd.DataFrame, fname: str | None) -> list[Problem]:
    """A negative Debit or Credit; a line with both a debit and a credit."""
    neg = (lines["Debit"] < 0) | (lines["Credit"] < 0)
    both = (lines["Debit"].abs() > _TOL) & (lines["Credit"].abs() > _TOL)
    checks = (
        (neg, "negative_amount", "negative Debit or Credit"),
        (both, "debit_and_credit", "both a debit and a credit"),
    )
    return [_agg("warning", code, what, lines, mask, fname) for mask, code, what in checks if mask.any()]


def _lettering_findings(
    lines: pd.DataFrame,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    fname: str | None,
    max_per_code: int,
) -> list[Problem]:
    """Lettering on third-party accounts (40*, 41*): groups, the partial ones and their classes."""
    third = _account_starts(lines, ("40", "41")) & ~_empty(lines["EcritureLet"]).to_numpy()
    if not third.any():
        return []
    sub = lines.loc[third]
    gkey = [sub["CompteNum"], sub["CompAuxNum"].astype(object).fillna(""), sub["EcritureLet"]]
    amt = sub["Debit"] - sub["Credit"]
    g = amt.groupby(gkey, sort=False)
    gnet, gsize, gfirst = g.sum(), g.size(), sub["line_no"].groupby(gkey, sort=False).min()
    partial = gnet[gnet.abs() > _TOL]
    out = [
        Problem(
            "info",
            "lettering",
            f"{int(third.sum())} lettered lines on third-party accounts in {len(gnet)} groups: "
            f"{len(gnet) - len(partial)} net to zero, {len(partial)} partial "
            f"({int(gsize[partial.index].sum())} lines)",
            file=fname,
        )
    ]
    classes = _partial_classes(lines, sub, gkey, partial.index, start, end)
    if len(partial):
        out.append(_class_counts(partial, classes, fname))
    detail = [
        Problem(
            "warning",
            "partial_lettering",
            f"lettering {excerpt(k[2])} on account {k[0]}{' / ' + k[1] if k[1] else ''} nets to "
            f"{v:,.2f} over {int(gsize[k])} lines [{classes[k]}]",
            file=fname,
            row=int(gfirst[k]),
            column="EcritureLet",
        )
        for k, v in partial.sort_index().items()
    ]
    return out + _capped(detail, max_per_code, "partial lettering groups", fname)


def _class_counts(partial: pd.Series, classes: pd.Series, fname: str | None) -> Problem:
    """``partial_lettering_classes``: the count per class, for customers (41*) and suppliers (40*)."""
    counts = {c: int((classes == c).sum()) for c in PARTIAL_CLASSES}
    ledger = pd.Series(["customers" if str(k[0]).startswith("41") else "suppliers" for k in classes.index])
    split = "; ".join(
        f"{who}: "
        + ", ".join(f"{int(((classes.to_numpy() == c) & (ledger.to_numpy() == who)).sum())} {c}" for c in counts)
        for who in ("customers", "suppliers")
    )
    return Problem(
        "info",
        "partial_lettering_classes",
        f"{len(partial)} partial lettering groups: " + ", ".join(f"{n} {c}" for c, n in counts.items()) + f" ({split})",
        file=fname,
    )


def _pair_findings(lines: pd.DataFrame, source: FecSource, fname: str | None) -> list[Problem]:
    """Test Compta Demat consistency: fields that go in pairs, and DateLet before the entry."""
    let_filled, datelet_filled = ~_empty(lines["EcritureLet"]), lines["DateLet"].notna()
    bad_datelet = source.bad_dates.get("DateLet")
    if bad_datelet:  # an invalid DateLet is filled, just not valid
        datelet_filled |= lines["line_no"].isin(bad_datelet)
    cur_amount = lines["Montantdevise"].fillna(0.0).abs() > _TOL
    cur_code = ~_empty(lines["Idevise"])
    d = lines["EcritureDate"]
    lbefore = lines["DateLet"].notna() & d.notna() & (lines["DateLet"] < d)
    checks = (
        (let_filled & ~datelet_filled, "let_without_date", "EcritureLet filled but DateLet empty", "DateLet"),
        (datelet_filled & ~let_filled, "date_without_let", "DateLet filled but EcritureLet empty", "EcritureLet"),
        (
            cur_amount & ~cur_code,
            "currency_amount_without_code",
            "Montantdevise filled (not zero) but Idevise empty",
            "Idevise",
        ),
        (
            cur_code & ~cur_amount,
            "currency_code_without_amount",
            "Idevise filled but Montantdevise empty or zero",
            "Montantdevise",
        ),
        (lbefore, "date_let_before_entry", "DateLet earlier than EcritureDate", "DateLet"),
    )
    return [_agg("warning", code, what, lines, mask, fname, col) for mask, code, what, col in checks if mask.any()]


PARTIAL_CLASSES = ("counterpart before the file", "counterpart after closing", "partial")
"""Classes of a lettering group that does not net to zero (see :func:`validate_fec`)."""
_BEFORE_MONTHS = 3


def _partial_classes(
    lines: pd.DataFrame,
    sub: pd.DataFrame,
    gkey: list[pd.Series],
    groups: pd.Index,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> pd.Series:
    """Class of each partial lettering group (index: (account, aux, letter))."""
    out = pd.Series("partial", index=groups, dtype=object)
    if not len(groups) or start is None or end is None:
        return out
    dates = sub["EcritureDate"].groupby(gkey, sort=False).agg(["min", "max"]).reindex(groups)
    gnet = (sub["Debit"] - sub["Credit"]).groupby(gkey, sort=False).sum().reindex(groups)
    # parties whose opening balance is given without detail: an unlettered opening line
    opening = is_opening(lines) & _account_starts(lines, ("40", "41")) & _empty(lines["EcritureLet"]).to_numpy()
    op = lines.loc[opening]
    no_detail = set(zip(op["CompteNum"], op["CompAuxNum"].astype(object).fillna(""), strict=True))
    early = start + pd.DateOffset(months=_BEFORE_MONTHS)
    last_month = end.replace(day=1)
    for k in groups:
        lo, hi = dates.at[k, "min"], dates.at[k, "max"]
        if pd.isna(lo):
            continue
        # what is left open: a payment (customer credit, supplier debit) or an invoice
        left_payment = (gnet[k] < 0) == str(k[0]).startswith("41")
        if left_payment and hi < early and (k[0], k[1]) in no_detail:
            out[k] = PARTIAL_CLASSES[0]
        elif not left_payment and lo >= last_month:
            out[k] = PARTIAL_CLASSES[1]
    return out
