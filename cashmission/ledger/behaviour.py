"""Customers' payment behaviour (*comportement de paiement*) from a FEC's lettered lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cashmission.ledger.fec_ledger import fec_payables, fec_receivables


# --------------------------------------------------------------------------- payment behaviour
def fec_payment_history(lines: pd.DataFrame, *, ledger: str = "customers", **kw: object) -> pd.DataFrame:
    """Payment history (*historique de règlement*) of every lettered invoice.

    ``ledger="customers"`` (default): customer invoices, from :func:`fec_receivables`;
    ``ledger="suppliers"``: supplier invoices, from :func:`fec_payables` (how fast the
    company pays; the supplier id is in ``customer_id``).  Other keyword arguments go
    to that function (terms, accounts, entity; ``terms_by_customer`` is accepted for
    suppliers too, as ``terms_by_supplier``).

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
    if ledger == "customers":
        items = fec_receivables(lines, **kw)  # type: ignore[arg-type]
    elif ledger == "suppliers":
        if "terms_by_customer" in kw:
            kw["terms_by_supplier"] = kw.pop("terms_by_customer")
        items = fec_payables(lines, **kw)  # type: ignore[arg-type]
    else:
        raise ValueError(f"ledger must be 'customers' or 'suppliers', got {ledger!r}")
    cols = [
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
    own = lines.set_index("line_no")["DateLet"].reindex(done.loc[inv, "source_row"].astype("int64")).to_numpy()
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
