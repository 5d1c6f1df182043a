"""Customers' payment behaviour (*comportement de paiement*) from a FEC's lettering or any item history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission.ledger.fec_ledger import fec_payables, fec_receivables

_HISTORY_COLUMNS = [
    "customer_id",
    "customer_name",
    "document_id",
    "document_date",
    "due_date",
    "amount",
    "match_code",
    "payment_date",
    "payment_date_source",
    "settled_by",
    "days_to_pay",
    "days_late",
    "days_beyond_terms",
]
"""Columns of a payment history, in order."""


def _fec_items(lines: pd.DataFrame, ledger: str, kw: dict[str, object]) -> pd.DataFrame:
    """The customer or supplier ledger of a FEC's lines."""
    if ledger == "customers":
        return fec_receivables(lines, **kw)  # type: ignore[arg-type]
    if ledger == "suppliers":
        if "terms_by_customer" in kw:
            kw["terms_by_supplier"] = kw.pop("terms_by_customer")
        return fec_payables(lines, **kw)  # type: ignore[arg-type]
    raise ValueError(f"ledger must be 'customers' or 'suppliers', got {ledger!r}")


# --------------------------------------------------------------------------- payment behaviour
def fec_payment_history(
    lines: pd.DataFrame | None, *, ledger: str = "customers", items: pd.DataFrame | None = None, **kw: object
) -> pd.DataFrame:
    """Payment history (*historique de règlement*) of every lettered invoice.

    ``ledger="customers"`` (default): customer invoices, from :func:`fec_receivables`;
    ``ledger="suppliers"``: supplier invoices, from :func:`fec_payables` (how fast the
    company pays; the supplier id is in ``customer_id``).  Other keyword arguments go
    to that function (terms, accounts, entity; ``terms_by_customer`` is accepted for
    suppliers too, as ``terms_by_supplier``).  ``items``: that function's result when
    the caller has it already (it is then not rebuilt, and ``lines`` may be ``None``:
    the items carry each line's DateLet as ``lettering_date``).

    Returns
    -------
    One row per invoice whose lettering group nets to zero: ``customer_id``,
    ``customer_name``, ``document_id``, ``document_date``, ``due_date``, ``amount``,
    ``match_code``, ``payment_date``, ``payment_date_source``, ``settled_by``,
    ``days_to_pay``, ``days_late``, ``days_beyond_terms``.

    Notes
    -----
    - ``payment_date`` = the invoice line's DateLet when filled (source ``DateLet``);
      else the latest EcritureDate of the payment lines of its lettering group
      (source ``payment_line``); when the group holds no payment (an invoice settled
      by a credit note), the latest EcritureDate of its credit lines (source
      ``credit_line``).  With instalments, the invoice counts as paid at the last one.
    - ``settled_by``: ``payment``, ``credit_note`` or ``payment+credit_note``.
    - ``days_to_pay`` = payment_date − document_date; ``days_late`` = payment_date −
      due_date (negative when paid early; the due date comes from the terms, a FEC
      has none); ``days_beyond_terms`` = max(0, days_late).
    """
    if items is None:
        if lines is None:
            raise ValueError("fec_payment_history needs the FEC's lines or the ledger built from them (items=)")
        items = _fec_items(lines, ledger, kw)
    cols = _HISTORY_COLUMNS
    done = items[items["lettering_status"] == "lettered"]
    if done.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c.endswith("date") else object) for c in cols})
    g = [done["account"], done["customer_id"], done["match_code"]]
    is_pay = done["document_type"] == "payment"
    is_cn = done["amount"] < 0
    pay_date = done["entry_date"].where(is_pay).groupby(g).transform("max")
    credit_date = done["entry_date"].where(is_cn).groupby(g).transform("max")
    n_pay = is_pay.groupby(g).transform("sum")
    n_cn = (done["document_type"] == "credit_note").groupby(g).transform("sum")
    inv = done["document_type"] == "invoice"
    h = done.loc[
        inv, ["customer_id", "customer_name", "document_id", "document_date", "due_date", "amount", "match_code"]
    ].copy()
    own = done.loc[inv, "lettering_date"].to_numpy()  # the invoice line's own DateLet
    h["payment_date"] = np.where(pd.notna(own), own, np.where(pay_date[inv].notna(), pay_date[inv], credit_date[inv]))
    h["payment_date"] = pd.to_datetime(h["payment_date"]).astype("datetime64[ns]")
    h["payment_date_source"] = np.where(
        pd.notna(own), "DateLet", np.where(pay_date[inv].notna(), "payment_line", "credit_line")
    )
    np_, nc_ = n_pay[inv].to_numpy() > 0, n_cn[inv].to_numpy() > 0
    h["settled_by"] = np.where(np_ & nc_, "payment+credit_note", np.where(np_, "payment", "credit_note"))
    h["days_to_pay"] = (h["payment_date"] - h["document_date"]).dt.days.astype("float64")
    h["days_late"] = (h["payment_date"] - h["due_date"]).dt.days.astype("float64")
    h["days_beyond_terms"] = h["days_late"].clip(lower=0)
    return h.reset_index(drop=True)[cols]


def customer_payment_behaviour(history: pd.DataFrame, *, recent_months: int = 3) -> pd.DataFrame:
    """Payment behaviour (*comportement de paiement*) per customer from a payment history.

    Parameters
    ----------
    history : the table from :func:`fec_payment_history` (or any table with
        ``customer_id``, ``amount``, ``payment_date``, ``days_to_pay``, ``days_late``).
    recent_months : length of the recent window for the trend.

    Returns
    -------
    One row per customer: ``invoices`` (count), ``amount``, ``avg_days_to_pay``,
    ``weighted_days_to_pay``, ``avg_days_late``, ``weighted_days_late``,
    ``weighted_days_beyond_terms``, ``last_payment``, ``trend_days_per_month``,
    ``recent_days_late``, ``previous_days_late``, ``trend_days_late``.

    Notes
    -----
    - Weighted averages are amount-weighted: Σ(amount × days) / Σ amount.
    - ``trend_days_per_month``: least-squares slope of days_late against the payment
      date, in days per 30 days (positive = paying later and later); needs two
      distinct payment dates.
    - ``recent_days_late``: average days_late of the invoices paid in the last
      ``recent_months`` months before the customer's last payment (window
      ``(last_payment − recent_months months, last_payment]``); ``previous_days_late``
      of the ones paid before; ``trend_days_late`` = recent − previous.  The window
      ends at each customer's last payment, so no "today" is needed.
    """
    cols = [
        "customer_id",
        "invoices",
        "amount",
        "avg_days_to_pay",
        "weighted_days_to_pay",
        "avg_days_late",
        "weighted_days_late",
        "weighted_days_beyond_terms",
        "last_payment",
        "trend_days_per_month",
        "recent_days_late",
        "previous_days_late",
        "trend_days_late",
    ]
    rows = []
    for cid, g in history.groupby("customer_id", sort=True):
        w = g["amount"].to_numpy(dtype=float)
        sw = w.sum()
        late = g["days_late"].to_numpy(dtype=float)
        beyond = np.clip(late, 0, None)
        pay = pd.to_datetime(g["payment_date"])
        last = pay.max()
        x = (pay - pay.min()).dt.days.to_numpy(dtype=float)
        slope = float(np.polyfit(x, late, 1)[0] * 30) if len(np.unique(x)) > 1 else np.nan
        recent = pay > last - pd.DateOffset(months=recent_months)
        r = float(late[recent.to_numpy()].mean()) if recent.any() else np.nan
        p = float(late[~recent.to_numpy()].mean()) if (~recent).any() else np.nan
        rows.append(
            {
                "customer_id": cid,
                "invoices": len(g),
                "amount": float(sw),
                "avg_days_to_pay": float(g["days_to_pay"].mean()),
                "weighted_days_to_pay": float((w * g["days_to_pay"].to_numpy(dtype=float)).sum() / sw)
                if sw
                else np.nan,
                "avg_days_late": float(late.mean()),
                "weighted_days_late": float((w * late).sum() / sw) if sw else np.nan,
                "weighted_days_beyond_terms": float((w * beyond).sum() / sw) if sw else np.nan,
                "last_payment": last,
                "trend_days_per_month": slope,
                "recent_days_late": r,
                "previous_days_late": p,
                "trend_days_late": r - p,
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["last_payment"] = pd.to_datetime(out["last_payment"]).astype("datetime64[ns]")
    out["invoices"] = out["invoices"].astype("int64")
    return out


# --------------------------------------------------------------------------- any item history
def item_payment_history(items: pd.DataFrame) -> pd.DataFrame:
    """Payment history (*historique de règlement*) of the settled invoices of an item history.

    ``items``: canonical ``open_items`` with ``cleared_date`` (an export with settlement
    dates, a customer ledger).  One row per invoice (``document_type == "invoice"``)
    whose ``cleared_date`` is filled, with the columns of :func:`fec_payment_history`
    (``payment_date`` = ``cleared_date``, source ``cleared_date``, ``settled_by``
    ``settlement``) plus ``dispute`` when the items have it.

    Notes
    -----
    ``days_to_pay`` = payment_date − document_date; ``days_late`` = payment_date −
    due_date (negative when paid early); ``days_beyond_terms`` = max(0, days_late).

    >>> items = pd.DataFrame({"customer_id": ["C1"], "document_id": ["F1"], "document_type": ["invoice"],
    ...     "document_date": pd.to_datetime(["2024-01-01"]), "due_date": pd.to_datetime(["2024-01-31"]),
    ...     "amount": [100.0], "cleared_date": pd.to_datetime(["2024-02-10"])})
    >>> item_payment_history(items)[["days_to_pay", "days_late", "days_beyond_terms"]].values.tolist()
    [[40.0, 10.0, 10.0]]
    """
    settled = items["cleared_date"].notna() if "cleared_date" in items.columns else False
    h = items.loc[(items["document_type"] == "invoice") & settled].copy()
    for col in ("customer_name", "match_code"):
        if col not in h.columns:
            h[col] = None
    h["payment_date"] = pd.to_datetime(h["cleared_date"]).astype("datetime64[ns]")
    h["payment_date_source"] = "cleared_date"
    h["settled_by"] = "settlement"
    h["days_to_pay"] = (h["payment_date"] - h["document_date"]).dt.days.astype("float64")
    h["days_late"] = (h["payment_date"] - h["due_date"]).dt.days.astype("float64")
    h["days_beyond_terms"] = h["days_late"].clip(lower=0)
    cols = [*_HISTORY_COLUMNS, *(["dispute"] if "dispute" in h.columns else [])]
    return h.reset_index(drop=True)[cols]


PAYER_COLUMNS = [
    "customer_id",
    "customer_name",
    "invoices_paid",
    "amount_paid",
    "avg_days_to_pay",
    "weighted_days_to_pay",
    "avg_days_late",
    "weighted_days_late",
    "late_share",
    "days_late_3m",
    "days_late_12m",
    "trend_3m_vs_12m",
    "open_overdue_items",
    "open_overdue_amount",
    "open_overdue_days",
    "overall_days_late",
    "overall_late_share",
    "disputed_items",
    "disputed_open_amount",
]
"""Columns of :func:`payer_behaviour`, in order."""


def payer_behaviour(
    history: pd.DataFrame,
    items: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    recent_months: int = 3,
    year_months: int = 12,
) -> pd.DataFrame:
    """Payer behaviour (*comportement payeur*) per customer at ``as_of``: paid invoices and open overdue ones.

    Parameters
    ----------
    history : settled invoices (:func:`item_payment_history` or :func:`fec_payment_history`);
        only those issued and paid on or before ``as_of`` count.
    items : the item history (canonical ``open_items``, with ``cleared_date``), for the
        items open at ``as_of`` (:func:`cashmission.ledger.ageing.open_at`) and disputes.
    as_of : the date of the analysis (time is an argument).
    recent_months, year_months : the two windows of the trend (3 and 12 months).

    Returns
    -------
    One row per customer (:data:`PAYER_COLUMNS`), worst first (``overall_days_late``
    descending, then ``customer_id``).

    Notes
    -----
    Paid invoices (*factures réglées*), d = days late = payment − due date:

    - ``avg_days_late`` = Σ d / n; ``weighted_days_late`` = Σ(amount × d) / Σ amount
      (the same for ``days_to_pay`` = payment − document date);
    - ``late_share`` = invoices with d > 0 / n;
    - ``days_late_3m`` / ``days_late_12m`` = average d of the invoices paid in
      (as_of − 3 months, as_of] / (as_of − 12 months, as_of]; ``trend_3m_vs_12m`` = the
      first − the second (positive: paying later lately).

    Open overdue items (*échu non réglé*): positive items open at ``as_of`` whose due
    date is before it, p = days past due = as_of − due date; ``open_overdue_amount`` is
    the ``overdue`` of :func:`cashmission.ledger.ageing.aged_balance` (matched partial
    payments applied), so it ties to ``cashmission aging``.  A customer that leaves
    many invoices unpaid must not look good because its few paid ones were on time, so
    the overall figures count them as late by at least p:

    - ``overall_days_late`` = (Σ d + Σ p) / (n + number of open overdue items);
    - ``overall_late_share`` = (paid late + open overdue) / (n + open overdue).

    ``disputed_items``: positive items marked ``dispute`` issued by ``as_of``;
    ``disputed_open_amount``: the aged balance's ``disputed`` at ``as_of`` (0 when the
    items carry no dispute column, e.g. a FEC).
    """
    from cashmission.ledger.ageing import aged_balance, open_at

    day = pd.Timestamp(as_of).normalize()
    paid = history[(history["payment_date"] <= day) & (history["document_date"] <= day)]
    opened = open_at(items, day)
    overdue = opened[(opened["amount"] > 0) & (opened["due_date"] < day)].copy()
    overdue["days_past_due"] = (day - overdue["due_date"]).dt.days.astype("float64")
    aged = aged_balance(items, day, by=["customer_id"]) if len(opened) else pd.DataFrame(columns=["customer_id"])
    aged = aged.set_index(aged["customer_id"].astype(str)).reindex(columns=["overdue", "disputed"])
    windows = {"days_late_3m": recent_months, "days_late_12m": year_months}
    out = _paid_figures(paid, day, windows).join(_overdue_figures(overdue), how="outer")
    out["open_overdue_amount"] = aged["overdue"].reindex(out.index)
    out["disputed_open_amount"] = aged["disputed"].reindex(out.index)
    out = out.join(_disputed_items(items, day), how="left")
    out = _overall(out.fillna({"invoices_paid": 0, "open_overdue_items": 0, "open_overdue_amount": 0.0}))
    out["open_overdue_amount"] = out["open_overdue_amount"].fillna(0.0)
    out["trend_3m_vs_12m"] = out["days_late_3m"] - out["days_late_12m"]
    out["customer_name"] = out.index.map(_names(items))
    out = out.reset_index().rename(columns={"index": "customer_id"})
    out = out.sort_values(["overall_days_late", "customer_id"], ascending=[False, True], na_position="last")
    for col in ("invoices_paid", "open_overdue_items", "disputed_items"):
        out[col] = out[col].fillna(0).astype("int64")
    out["disputed_open_amount"] = out["disputed_open_amount"].fillna(0.0)
    return out.reset_index(drop=True)[PAYER_COLUMNS]


def _weighted(values: pd.Series, weights: pd.Series, by: pd.Series) -> pd.Series:
    """Σ(weight × value) / Σ weight per group, NaN when the weights add up to 0."""
    num = (values * weights).groupby(by).sum()
    den = weights.groupby(by).sum()
    return (num / den.where(den != 0)).astype("float64")


def _paid_figures(paid: pd.DataFrame, day: pd.Timestamp, windows: dict[str, int]) -> pd.DataFrame:
    """Per customer: count, amount, plain and weighted days to pay and late, late share, windows."""
    by = paid["customer_id"].astype(str)
    g = paid.groupby(by)
    out = pd.DataFrame(
        {
            "invoices_paid": g.size(),
            "amount_paid": g["amount"].sum(),
            "avg_days_to_pay": g["days_to_pay"].mean(),
            "weighted_days_to_pay": _weighted(paid["days_to_pay"], paid["amount"], by),
            "avg_days_late": g["days_late"].mean(),
            "weighted_days_late": _weighted(paid["days_late"], paid["amount"], by),
            "late_share": (paid["days_late"] > 0).groupby(by).mean(),
            "_late_sum": g["days_late"].sum(),
            "_late_n": (paid["days_late"] > 0).groupby(by).sum(),
        }
    )
    for name, months in windows.items():
        inside = paid["payment_date"] > day - pd.DateOffset(months=months)
        out[name] = paid.loc[inside, "days_late"].groupby(by[inside]).mean()
    return out


def _overdue_figures(overdue: pd.DataFrame) -> pd.DataFrame:
    """Per customer: open overdue items, their average and total days past due."""
    by = overdue["customer_id"].astype(str)
    g = overdue.groupby(by)
    return pd.DataFrame(
        {
            "open_overdue_items": g.size(),
            "open_overdue_days": g["days_past_due"].mean(),
            "_overdue_days_sum": g["days_past_due"].sum(),
        }
    )


def _disputed_items(items: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Per customer: disputed positive items issued by ``day`` (none without a dispute column)."""
    if "dispute" not in items.columns:
        return pd.DataFrame(columns=["disputed_items"], dtype="float64")
    issued = items[(items["document_date"] <= day) & (items["amount"] > 0) & items["dispute"].astype(bool)]
    return issued.groupby(issued["customer_id"].astype(str)).size().to_frame("disputed_items")


def _overall(out: pd.DataFrame) -> pd.DataFrame:
    """Days late and late share over paid invoices and open overdue items together."""
    for col in ("_late_sum", "_late_n", "_overdue_days_sum"):
        out[col] = out[col].fillna(0.0)
    n = out["invoices_paid"] + out["open_overdue_items"]
    out["overall_days_late"] = (out["_late_sum"] + out["_overdue_days_sum"]) / n.where(n > 0)
    out["overall_late_share"] = (out["_late_n"] + out["open_overdue_items"]) / n.where(n > 0)
    return out.drop(columns=["_late_sum", "_late_n", "_overdue_days_sum"])


def _names(items: pd.DataFrame) -> dict[str, object]:
    """First non-empty customer name of each customer id."""
    if "customer_name" not in items.columns:
        return {}
    named = items.dropna(subset=["customer_name"]).drop_duplicates("customer_id")
    return dict(zip(named["customer_id"].astype(str), named["customer_name"], strict=True))
