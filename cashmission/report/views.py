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

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cashmission.ledger.ageing import overdue_rate
from cashmission.ledger.buckets import BUCKET_KEYS, CREDIT_KEYS, bucket_columns
from cashmission.ledger.reconciliation import _ledger_split, reconcile, snapshot_before_extraction
from cashmission.meta import Period, of
from cashmission.problems import is_missing
from cashmission.report.formats import (
    Scale,
    format_amount,
    format_count,
    format_date,
    format_days,
    format_month,
    format_number,
    format_percent,
    format_value,
    kind_of,
)
from cashmission.report.labels import LABELS, LANGS, MISSING, NBSP, Kind, Lang, _check_lang, bucket_label, label
from cashmission.report.markdown import heading, paragraph
from cashmission.terms import DEFAULT_TERMS_DAYS

# Bucket labels use no-break spaces ("> 180 j" never wraps); the literals above are
# written with plain spaces for readability and normalised here.
for _lang in LANGS:
    for _k in BUCKET_KEYS[1:]:
        LABELS[_lang][_k] = bucket_label(_k, _lang)


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


def _overdue_share(s: Mapping[str, Any]) -> float:
    overdue, total = s.get("overdue"), s.get("total")
    if overdue is None or total is None:
        return float("nan")
    return float(overdue_rate(float(overdue), float(total)))


def headline(summary: Mapping[str, Any] | pd.Series, lang: Lang = "fr") -> str:
    """The headline figures as plain lines of text (deterministic, for ``print``).

    ``summary`` is :func:`cashmission.ledger.ageing.aging_summary` (or any mapping with
    ``total``, ``overdue``, ``disputed``, ``n_items``, ``n_customers``).  The share "du
    solde" is :func:`cashmission.ledger.ageing.overdue_rate` (overdue / total), worked
    out here from the two amounts shown, so that it cannot say anything else.  With a
    ``lettering_rate`` (a ledger that records lettering) it is shown, and so are the
    customers whose unlettered credits were allocated (``n_customers_allocated``).

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
        f"({format_percent(_overdue_share(s), lang)} {of})",
        f"{label('disputed', lang)}{colon} {format_amount(s.get('disputed'), lang)}",
    ]
    counts = [f"{label(k, lang)}{colon} {format_count(s[k], lang)}" for k in ("n_items", "n_customers") if k in s]
    if counts:
        lines.append(" — ".join(counts))
    return "\n".join(lines + _lettering_lines(s, lang, colon))


def _lettering_lines(s: Mapping[str, Any], lang: Lang, colon: str) -> list[str]:
    """The lettering rate (when the items record lettering) and the customers whose
    unlettered credits were allocated to their oldest invoices (when there are some)."""
    rate = s.get("lettering_rate")
    if rate is None or is_missing(rate):
        return []
    lines = [f"{label('lettering_rate', lang)}{colon} {format_percent(rate, lang)}"]
    if s.get("n_customers_allocated"):
        lines.append(
            f"{label('n_customers_allocated', lang)}{colon} {format_count(s['n_customers_allocated'], lang)} — "
            f"{label('allocated_credits', lang)}{colon} {format_amount(s.get('allocated_credits'), lang)}"
        )
    return lines


# Loaded tables without a signed amount column: their control totals are always zero
# and mean nothing to a reader, so the load table leaves them out.
NO_AMOUNT_KINDS = frozenset({"working_capital_template"})
_CONTROL_TOTALS = ("total_read", "total_kept", "debit_kept", "credit_kept")


def load_report_table(report: Any, lang: Lang = "fr") -> pd.DataFrame:
    """What a loader read and kept (:class:`cashmission.problems.LoadReport`), as a table.

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
    """:func:`cashmission.ledger.concentration.concentration` ready to show, ranked, with the "others" row.

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
    """One sentence from :func:`cashmission.ledger.concentration.pareto`.

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
# Working-capital views (tables of cashmission.working_capital.table and .series)
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
    """:func:`cashmission.working_capital.table.kpi_table` ready to show: KPI names labelled, values by unit."""
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
    """:func:`cashmission.working_capital.series.bfr_tracking` ready to show: N−1, N and the variation.

    Rows unknown at both dates are dropped; ``kpis=None`` keeps every row.  In
    month-by-month mode (dates not a year apart, as its :class:`cashmission.meta.Period`
    says) the two columns are headed by their months instead of N−1 / N.
    """
    dates = of(tracking, Period) or Period()
    months = dates.one_year_apart is False
    before = format_month(dates.start, lang) if months else label("n_minus_1", lang)
    after = format_month(dates.end, lang) if months else label("n", lang)
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


def period_note(period: Mapping[str, Any] | None, lang: Lang = "fr") -> str:
    """The period a FEC's figures cover and why (the ``period`` of their :class:`cashmission.meta.FigureBasis`), one line.

    Empty for figures without one (a template, a CSV).

    >>> print(period_note({"start": "2024-01-01", "end": "2024-12-15", "days": 350, "start_from": "opening_entries",
    ...     "end_from": "last_entry", "fiscal_year_end": "2024-12-31", "fiscal_year_months": 12}))
    Période mesurée : du 01/01/2024 au 15/12/2024 (350 jours), depuis les à-nouveaux jusqu'à la dernière écriture, avant la clôture du 31/12/2024
    """
    if not period:
        return ""
    if period.get("end_from") == "opening_only":
        return label("period_opening_only", lang).format(start=format_date(period["start"], lang))
    days = int(period["days"])
    months = int(period.get("fiscal_year_months") or 12)
    kind = label("period_short", lang) if months < 12 else label("period_long", lang) if months > 12 else ""
    end_from = label(f"period_to_{period.get('end_from')}", lang).format(
        kind=kind, months=months, fiscal_year_end=format_date(period.get("fiscal_year_end"), lang)
    )
    return label("period_line", lang).format(
        start=format_date(period["start"], lang),
        end=format_date(period["end"], lang),
        days=f"{days} {label('day_one' if days == 1 else 'day_many', lang)}",
        start_from=label(f"period_from_{period.get('start_from')}", lang),
        end_from=end_from,
    )


def _window_text(window: object, lang: Lang) -> str:
    n = int(window)  # type: ignore[call-overload]
    return label("month_one", lang) if n == 1 else label("month_many", lang).format(n=n)


def tracking_heading(tracking: pd.DataFrame, lang: Lang = "fr") -> Any:
    """The heading of the BFR tracking, with a note when it is not a full N−1 / N comparison.

    Reads the tracking's :class:`cashmission.meta.Period`
    (:func:`cashmission.working_capital.series.bfr_tracking`): dates not a year apart give
    the month-by-month heading and say which dates are compared; fewer than 12 months of
    flows are said too.  A plain :func:`heading` otherwise.
    """
    from IPython.display import Markdown

    dates = of(tracking, Period) or Period()
    window = dates.window if dates.window is not None else "year"
    if dates.one_year_apart is False:
        note = label("note_months", lang).format(
            start=format_month(dates.start, lang),
            end=format_month(dates.end, lang),
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
    """:func:`cashmission.working_capital.bridge.dso_bridge` ready to show: cause, days and cash (a dash for a cause that moved nothing)."""
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
    """The DSO bridge heading with its dates and convention (its :class:`cashmission.meta.Period`, from
    :func:`cashmission.working_capital.bridge.dso_bridge_between`); a plain heading without them."""
    from IPython.display import Markdown

    dates = of(bridge, Period)
    if dates is None or dates.start is None or dates.end is None or dates.months is None:
        return heading("sec_bridge", lang)
    note = label("note_bridge", lang).format(
        start=format_date(dates.start, lang, long=True),
        end=format_date(dates.end, lang, long=True),
        months=dates.months,
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
    """Customers paying latest (:func:`cashmission.ledger.behaviour.customer_payment_behaviour`), ready to show.

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
    return paragraph(
        label("note_behaviour", lang).format(terms=DEFAULT_TERMS_DAYS if terms_days is None else terms_days)
    )


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
