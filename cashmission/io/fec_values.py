"""A FEC's values (:func:`cashmission.io.fec.read_fec`'s later steps): amounts, Montant + Sens, dates, columns, totals.

Identifiers stripped, amounts as floats (comma or dot decimal, an infinite amount
fatal), ``Debit``/``Credit`` from ``Montant`` + ``Sens``, the dates parsed (YYYYMMDD,
other forms with a warning), the missing non-core columns added empty, and the facts and
control totals of the load report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission.io.fec_columns import CASH_BASIS_COLUMNS, DATE_COLUMNS, FEC_COLUMNS
from cashmission.io.fec_entries import _TOL, _agg, entry_key
from cashmission.io.parsing import (
    amount_hint,
    date_hint,
    in_date_range,
    parse_amounts,
    parse_dates,
    unicode_digits,
)
from cashmission.problems import LoadReport, Problem, excerpt, fail


def _strip(values: pd.Series) -> pd.Series:
    """Strip spaces, whitespace-only -> missing; works on the distinct values only."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return values
    u = pd.Series(uniques, dtype=object).astype(str)
    su = u.str.strip()
    if (su == u).all():
        return values
    su = su.mask(su == "")
    arr = su.to_numpy(dtype=object)[codes]
    arr[codes < 0] = None
    return pd.Series(arr, index=values.index).astype(values.dtype)


def _parse_fec_amounts(values: pd.Series, line_no: pd.Series, column: str, fname: str) -> tuple[pd.Series, str | None]:
    """Fast path for FEC amounts: no thousands separator, comma or dot decimal."""
    s = values.astype(object)
    filled = s.notna()
    if not filled.any():
        return pd.Series(np.nan, index=values.index, dtype="float64"), None
    txt = pd.Series(s[filled].to_numpy(dtype=object), index=s.index[filled]).astype(str)
    has_comma = bool(txt.str.contains(",", regex=False).any())
    if has_comma:
        txt = txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    num = pd.to_numeric(txt, errors="coerce")
    bad = num.isna()
    if bad.any():
        # spaces as thousands separators, signs after the number, currency signs...
        again, still_bad = parse_amounts(values[filled][bad], decimal="," if has_comma else ".")
        num[bad] = again
        if still_bad.any():
            idx = still_bad[still_bad].index[0]
            raise fail(
                "bad_amount",
                f"{column} is not a number: {excerpt(values[idx])}{amount_hint(values[idx])}",
                file=fname,
                row=int(line_no[idx]),
                column=column,
            )
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    out[filled] = num.astype("float64").to_numpy()
    return out, ("," if has_comma else ".")


def _parse_fec_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(dates, bad, other_format): YYYYMMDD fast, other forms through parse_dates.

    Parses the distinct values only (a year has about 365 of them).
    """
    codes, uniques = pd.factorize(values)
    u = pd.Series(uniques, dtype=object).astype(str).str.strip()
    parsed = pd.to_datetime(u, format="%Y%m%d", errors="coerce")
    out_u = parsed.where(in_date_range(parsed)).astype("datetime64[ns]")  # 23230206: bad, not a crash
    todo = out_u.isna() & (u != "")
    bad_u = pd.Series(False, index=u.index)
    other_u = pd.Series(False, index=u.index)
    if todo.any():
        again, still = parse_dates(u[todo])
        out_u[todo] = again
        bad_u[todo] = still.to_numpy()
        other_u[todo] = (~still).to_numpy()
    valid = codes >= 0
    take = np.where(valid, codes, 0)
    dates = out_u.to_numpy()[take] if len(u) else np.full(len(codes), np.datetime64("NaT"), "datetime64[ns]")
    dates = np.where(valid, dates, np.datetime64("NaT"))
    bad = bad_u.to_numpy()[take] & valid if len(u) else np.zeros(len(codes), bool)
    other = other_u.to_numpy()[take] & valid if len(u) else np.zeros(len(codes), bool)
    idx = values.index
    return (
        pd.Series(dates, index=idx).astype("datetime64[ns]"),
        pd.Series(bad, index=idx),
        pd.Series(other, index=idx),
    )


def _amount_columns(
    df: pd.DataFrame, amount_names: list[str], fast: bool, decimal: str, fname: str, report: LoadReport
) -> str:
    """Amounts as floats (in place); an infinite amount (``1e400``) is fatal.  Returns the decimal mark."""
    for c in amount_names:
        if not fast:
            wide = unicode_digits(df[c])
            values, dec = _parse_fec_amounts(df[c], df["line_no"], c, fname)
            df[c] = values
            if c != "Montantdevise" and dec:
                decimal = dec
            if wide.any():
                what = f"{c} written in non-ASCII digits (Arabic-Indic, full-width): read as the digits they are"
                report.problems.append(_agg("warning", "unicode_digits", what, df, wide, fname, c))
        infinite = df[c].notna() & ~np.isfinite(df[c].astype("float64"))
        if infinite.any():
            i = int(np.flatnonzero(infinite.to_numpy())[0])
            raise fail(
                "bad_amount",
                f"{c} is not a usable number: beyond the range of numbers (infinite)",
                file=fname,
                row=int(df["line_no"].iloc[i]),
                column=c,
            )
    return decimal


def _debit_credit_from_sens(df: pd.DataFrame, fname: str, report: LoadReport) -> None:
    """``Debit`` and ``Credit`` (in place) from ``Montant`` and ``Sens`` (D/C, +1/-1)."""
    sens = _strip(df["Sens"]).str.upper()
    debit_side = sens.isin(["D", "+1", "1", "+"])
    credit_side = sens.isin(["C", "-1", "-"])
    bad = ~(debit_side | credit_side)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise fail(
            "bad_value",
            f"Sens must be D or C (or +1/-1), found {excerpt(df['Sens'].iloc[i])}",
            file=fname,
            row=int(df["line_no"].iloc[i]),
            column="Sens",
        )
    m = df["Montant"].fillna(0.0)
    pos = df.columns.get_loc("Montant")
    df.insert(pos, "Debit", m.where(debit_side, 0.0))
    df.insert(pos + 1, "Credit", m.where(credit_side, 0.0))
    report.problems.append(Problem("info", "montant_sens", "amounts given as Montant + Sens", file=fname))


def _date_columns(df: pd.DataFrame, fname: str, report: LoadReport) -> dict[str, list[int]]:
    """Dates parsed in place; returns the line numbers of the bad ones per column."""
    bad_dates: dict[str, list[int]] = {}
    for c in DATE_COLUMNS:
        if c not in df.columns:
            continue
        parsed, bad, other = _parse_fec_dates(df[c])
        if bad.any():
            value = df.loc[bad, c].iloc[0]
            example = str(value).strip()
            bad_dates[c] = df.loc[bad, "line_no"].astype(int).tolist()
            level = "error" if c == "EcritureDate" else "warning"
            what = f"{c} is not a valid date (e.g. {excerpt(example)}{date_hint(example)})"
            report.problems.append(_agg(level, "bad_date", what, df, bad, fname, c))
        if other.any():
            what = f"{c} is not in the FEC form YYYYMMDD (read anyway)"
            report.problems.append(_agg("warning", "date_format", what, df, other, fname, c))
        df[c] = parsed
    return bad_dates


def _add_missing_columns(df: pd.DataFrame, fname: str, report: LoadReport) -> None:
    """Missing non-core columns added empty (in place), with a warning each."""
    for c in FEC_COLUMNS:
        if c in df.columns:
            continue
        report.problems.append(
            Problem("warning", "missing_column", f"column {c} is missing: taken as empty", file=fname, row=1, column=c)
        )
        if c in ("Debit", "Credit", "Montantdevise"):
            df[c] = np.nan
        elif c in DATE_COLUMNS:
            df[c] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        else:
            df[c] = pd.Series(pd.NA, index=df.index, dtype=df["CompteNum"].dtype)


def _fec_facts(df: pd.DataFrame, fy_end: pd.Timestamp | None) -> dict[str, object]:
    """Entries (and their grouping), journals, date range, cash-basis columns, closing date from the name."""
    if len(df):
        ekey, grouping, _ = entry_key(df)
        entries = int(ekey.nunique())
    else:
        entries, grouping = 0, "JournalCode+EcritureNum"
    dates = df["EcritureDate"]
    return {
        "entries": entries,
        "entry_grouping": grouping,
        "journals": int(df["JournalCode"].nunique()),
        "first_date": None if dates.isna().all() else dates.min().date().isoformat(),
        "last_date": None if dates.isna().all() else dates.max().date().isoformat(),
        "cash_basis_columns": all(c in df.columns for c in CASH_BASIS_COLUMNS),
        "fiscal_year_end_from_name": None if fy_end is None else fy_end.date().isoformat(),
    }


def _totals(df: pd.DataFrame, report: LoadReport) -> float | None:
    """Rows and debit/credit totals into ``report``; the difference when the file is unbalanced, else None."""
    debit, credit = float(df["Debit"].sum()), float(df["Credit"].sum())
    report.rows_read = report.rows_kept = len(df)
    report.debit_read = report.debit_kept = round(debit, 2)
    report.credit_read = report.credit_kept = round(-credit, 2)
    report.total_read = report.total_kept = round(debit - credit, 2)
    if abs(debit - credit) <= _TOL:
        return None
    report.problems.append(
        Problem(
            "error",
            "unbalanced_file",
            f"total debits {debit:,.2f} != total credits {credit:,.2f} (difference {debit - credit:,.2f})",
            file=report.file,
        )
    )
    return round(debit - credit, 2)
