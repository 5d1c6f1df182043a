"""Tables derived from the sample ledger: payments (*règlements*), disputes (*litiges*), dunning (*relances*)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.samples.calendar import _DAY0, _Cal, _to_ts
from cashmission.samples.names import DISPUTE_CODES

# --------------------------------------------------------------------------- derived tables


def _payments(ledger: pd.DataFrame, cust: pd.DataFrame) -> pd.DataFrame:
    """One row per settled debit item; one payment id per customer and day."""
    cleared = ledger["cleared_date"].notna().to_numpy()
    applied = ledger.loc[cleared & (ledger["amount"] < 0).to_numpy()]
    credit = applied.groupby("match_code")["amount"].sum()
    pay = ledger.loc[cleared & (ledger["amount"] > 0).to_numpy()].copy()
    pay["amount"] = np.round(pay["amount"] + pay["match_code"].map(credit).fillna(0.0), 2)
    pay = pay.sort_values(["cleared_date", "entity", "customer_id", "document_id"], kind="stable")
    day_key = pay["cleared_date"].dt.strftime("%y%m%d").to_numpy().astype(str)
    grp = pd.Series(list(zip(day_key, pay["entity"], pay["customer_id"], strict=True)))
    first = ~grp.duplicated().to_numpy()
    rank = np.cumsum(first)
    day_start = pd.Series(rank[first], index=day_key[first]).groupby(level=0).min()
    number = rank - day_start.reindex(day_key).to_numpy() + 1
    method = pay["customer_id"].map(cust.set_index("customer_id")["payment_method"]).to_numpy()
    method = np.where(method == "traite", "lcr", method)
    return pd.DataFrame(
        {
            "entity": pay["entity"].to_numpy(),
            "customer_id": pay["customer_id"].to_numpy(),
            "payment_id": [f"ENC{d}-{k:04d}" for d, k in zip(day_key, number, strict=True)],
            "payment_date": pay["cleared_date"].to_numpy(),
            "amount": pay["amount"].to_numpy(),
            "currency": pay["currency"].to_numpy(),
            "method": method,
            "document_id": pay["document_id"].to_numpy(),
            "match_code": pay["match_code"].to_numpy(),
        }
    )


def _disputes(
    ledger: pd.DataFrame,
    extra: dict[str, np.ndarray],
    rng: np.random.Generator,
    cal: _Cal,
    last_snap: int,
) -> pd.DataFrame:
    m = ledger["dispute"].to_numpy(bool)
    d = ledger.loc[m]
    opened = extra["opened"][m]
    clear = d["cleared_date"].to_numpy()
    clear_days = np.where(pd.isna(clear), -1, (clear.astype("datetime64[D]") - _DAY0).astype(np.int64))
    lag = rng.integers(0, 6, len(d))
    closed = np.where(clear_days >= 0, np.maximum(cal.add(np.maximum(clear_days, 0), -lag), opened), -1)
    age = last_snap - opened
    stage = np.where(
        closed >= 0,
        "resolved",
        np.select(
            [age < 20, age < 60, age < 180],
            ["identified", "analysis", "awaiting_credit_note"],
            "escalated",
        ),
    )
    codes = d["dispute_code"].to_numpy()
    out = pd.DataFrame(
        {
            "entity": d["entity"].to_numpy(),
            "customer_id": d["customer_id"].to_numpy(),
            "document_id": d["document_id"].to_numpy(),
            "opened_date": _to_ts(opened),
            "closed_date": _to_ts(closed),
            "reason": [DISPUTE_CODES[c][0] for c in codes],
            "owner": [DISPUTE_CODES[c][1] for c in codes],
            "stage": stage,
            "amount": d["amount"].to_numpy(),
            "dispute_code": codes,
        }
    )
    out = out.iloc[np.lexsort((out["document_id"].to_numpy().astype(str), opened, out["entity"].to_numpy()))]
    out.insert(
        1,
        "dispute_id",
        [f"LIT-{e}-{k + 1:05d}" for e, k in zip(out["entity"], out.groupby("entity").cumcount(), strict=True)],
    )
    return out.reset_index(drop=True)


_DUNNING_COLUMNS = ["c", "document_id", "day", "action", "channel", "promise", "promise_amount"]


def _day_numbers(ledger: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Document, due and cleared day numbers of the ledger (not cleared: 10**7)."""
    doc = (ledger["document_date"].to_numpy().astype("datetime64[D]") - _DAY0).astype(np.int64)
    due = (ledger["due_date"].to_numpy().astype("datetime64[D]") - _DAY0).astype(np.int64)
    cl = ledger["cleared_date"].to_numpy()
    clear = np.where(pd.isna(cl), 10**7, (cl.astype("datetime64[D]") - _DAY0).astype(np.int64))
    return doc, due, clear


def _letters_before_audit(
    ledger: pd.DataFrame, ci: np.ndarray, due: np.ndarray, rng: np.random.Generator, cal: _Cal, as_of: int
) -> list[tuple]:
    """Before the audit only FR10 sent reminders: one letter per invoice, now and then (15 days past due)."""
    pos = ledger["amount"].to_numpy() > 0
    fr10 = (ledger["entity"].to_numpy() == "FR10") & pos & (due < as_of - 15) & (due > as_of - 200)
    sent = fr10 & (rng.random(len(ledger)) < 0.2)
    return [
        (
            int(ci[i]),
            ledger["document_id"].iloc[i],
            int(cal.roll(np.array([due[i] + 15]))[0]),
            "reminder_1",
            "letter",
            None,
            np.nan,
        )
        for i in np.flatnonzero(sent)
    ]


def _eligible(w: int, has: np.ndarray, od_amt: np.ndarray, level: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Customers acted on in week ``w``: the biggest 20 % in week 0 (the top 5 % called first,
    their level raised), the upper half of the others in week 1, then every two weeks."""
    if w == 0:
        eligible = has & (od_amt >= np.quantile(od_amt[has], 0.8))
        level[eligible & (od_amt >= np.quantile(od_amt[has], 0.95))] = 2  # quick wins: call first
        return eligible
    if w == 1:
        return has & (od_amt >= np.quantile(od_amt[has], 0.5)) & (last < 0)
    return has & ((last < 0) | (w - last >= 2))


@dataclass
class _Escalation:
    """Where each customer stands in the dunning process."""

    level: np.ndarray
    last: np.ndarray  # the week of the last action (-99: none)
    notice: np.ndarray  # formal notice sent
    injunction: np.ndarray  # injunction filed


def _step(
    c: int, d: int, lv: int, w: int, amt: float, dpd: int, profile: str, esc: _Escalation
) -> tuple[list[tuple], bool]:
    """The written action of escalation level ``lv`` for customer ``c`` on day ``d``, and whether to call."""
    rows: list[tuple] = []
    call = False
    if lv == 1:
        rows.append((c, None, d, "reminder_1", "email", None, np.nan))
    elif lv == 2:
        rows.append((c, None, d, "reminder_2", "email", None, np.nan))
    elif lv == 3:
        if not (w == 0 and amt >= 2_000):  # quick wins of week 0: a call first
            rows.append((c, None, d, "reminder_3", "letter", None, np.nan))
        call = amt >= 2_000
    elif amt >= 5_000 and dpd >= 60 and not esc.notice[c]:
        esc.notice[c] = True
        rows.append((c, None, d, "formal_notice", "registered_letter", None, np.nan))
    elif profile == "E" and amt >= 20_000 and esc.notice[c] and not esc.injunction[c] and lv >= 6:
        esc.injunction[c] = True
        rows.append((c, None, d, "injunction", "court", None, np.nan))
    elif amt >= 2_000:
        call = True
    elif lv % 2 == 0:
        rows.append((c, None, d, "reminder_3", "letter", None, np.nan))
    return rows, call


def _call(
    c: int, d: int, u: float, amt: float, ukeys: np.ndarray, sums: np.ndarray, cal: _Cal, as_of: int
) -> list[tuple]:
    """A call, and the promise it gets: kept (the customer's next payment within 30 days, 75 %) or not (30 %)."""
    rows = [(c, None, d, "call", "phone", None, np.nan)]
    k = np.searchsorted(ukeys, c * 100_000 + (d - as_of) + 1)
    paid = k < len(ukeys) and ukeys[k] // 100_000 == c and ukeys[k] % 100_000 <= d - as_of + 30
    if paid and u < 0.75:
        rows.append((c, None, d, "promise", "phone", as_of + int(ukeys[k] % 100_000), float(sums[k])))
    elif not paid and u < 0.3:  # a promise that will not be kept
        promised = int(cal.add(np.array([d]), 10)[0])
        rows.append((c, None, d, "promise", "phone", promised, float(np.round(amt * (0.3 + 0.7 * u / 0.3), -2))))
    return rows


def _dunning_frame(rows: list[tuple], cust: pd.DataFrame) -> pd.DataFrame:
    """The actions as the canonical ``dunning`` table, by day then customer."""
    df = pd.DataFrame(rows, columns=_DUNNING_COLUMNS)
    df = df.iloc[np.lexsort((df["c"].to_numpy(), df["day"].to_numpy()))].reset_index(drop=True)
    c = df["c"].to_numpy()
    promise = df["promise"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "entity": cust["entity"].to_numpy()[c],
            "customer_id": cust["customer_id"].to_numpy()[c],
            "document_id": df["document_id"].to_numpy(dtype=object),
            "action_date": _to_ts(df["day"].to_numpy(np.int64)),
            "action": df["action"].to_numpy(dtype=object),
            "channel": df["channel"].to_numpy(dtype=object),
            "collector": cust["collector"].to_numpy()[c],
            "promise_date": _to_ts(np.where(np.isnan(promise), -1, promise).astype(np.int64)),
            "promise_amount": df["promise_amount"].to_numpy(dtype=float),
        }
    )


def _dunning(
    ledger: pd.DataFrame,
    extra: dict[str, np.ndarray],
    cust: pd.DataFrame,
    rng: np.random.Generator,
    cal: _Cal,
    snaps: list[int],
    as_of: int,
) -> pd.DataFrame:
    """Customer-level collection actions during the mission, per-invoice letters before it.

    Each snapshot week, customers with overdue undisputed items are escalated one level
    (:func:`_eligible`, :func:`_step`); calls may bring promises (:func:`_call`); from
    week 2, pre-reminders go to customers with items falling due within a week.
    """
    nc = len(cust)
    ci = extra["customer_index"]
    amount = ledger["amount"].to_numpy()
    doc, due, clear = _day_numbers(ledger)
    disp = ledger["dispute"].to_numpy(bool)
    pos = amount > 0
    profile = cust["payer_profile"].to_numpy()
    rows = _letters_before_audit(ledger, ci, due, rng, cal, as_of)

    # payments by customer and day, to turn calls into (mostly kept) promises
    settled = pos & (clear < 10**7)
    keys = ci[settled].astype(np.int64) * 100_000 + (clear[settled] - as_of)
    ukeys, inv = np.unique(keys, return_inverse=True)
    sums = np.bincount(inv, weights=amount[settled])

    esc = _Escalation(np.zeros(nc, np.int64), np.full(nc, -99, np.int64), np.zeros(nc, bool), np.zeros(nc, bool))
    for w, s in enumerate(snaps):
        od = pos & (doc <= s) & (clear > s) & (due < s) & ~disp
        od_amt = np.bincount(ci[od], weights=amount[od], minlength=nc)
        dpd = np.zeros(nc, np.int64)
        np.maximum.at(dpd, ci[od], s - due[od])
        has = od_amt >= 1.0
        esc.level[~has] = 0
        acting = np.flatnonzero(_eligible(w, has, od_amt, esc.level, esc.last))
        when = cal.add(np.full(len(acting), s), rng.integers(0, 4, len(acting)))
        esc.level[acting] += 1
        esc.last[acting] = w
        coin = rng.random(len(acting))
        for c, d, lv, u in zip(acting, when, esc.level[acting], coin, strict=True):
            c, d, amt = int(c), int(d), float(od_amt[c])
            step, call = _step(c, d, lv, w, amt, dpd[c], profile[c], esc)
            rows += step
            if call:
                rows += _call(c, d, u, amt, ukeys, sums, cal, as_of)
        if w >= 2:  # pre-reminders, a new step of the process from week 2
            soon = pos & (doc <= s) & (clear > s) & (due > s) & (due <= s + 7) & ~disp
            pre = np.unique(ci[soon])
            pre = pre[profile[pre] != "A"]
            d = int(cal.add(np.array([s]), 1)[0])
            rows += [(int(c), None, d, "pre_reminder", "email", None, np.nan) for c in pre]
    return _dunning_frame(rows, cust)
