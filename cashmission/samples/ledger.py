"""The sample client's ledger (*grand livre clients*): invoices, old overdue stock, credits, collection work."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.samples.calendar import _DAY0, _Cal, _days, _due, _to_ts
from cashmission.samples.customers import _PROFILE_SPEED, _PROFILES
from cashmission.samples.names import (
    _DISPUTE_SHARE,
    _INVOICES_PER_MONTH,
    _OVERDUE_LAST,
    _OVERDUE_W0,
    DISPUTE_CODES,
    FX_RATES,
)

_TYPE_CODES = ("invoice", "credit_note", "payment", "other")
EARLIER_MONTHS = 19
"""Months of invoices before the ledger's flow (which starts 17 months before the audit month):
36 months of sales in all, so that the year before the audit has a year of history behind it."""
_TYPE_PREFIX = ("FA", "AV", "RG", "OD")


# --------------------------------------------------------------------------- the ledger


def _delays(rng: np.random.Generator, prof: np.ndarray) -> np.ndarray:
    """Natural payment delay after the due date (days), by payer profile index 0..4."""
    n = len(prof)
    d = np.select(
        [prof == 0, prof == 1, prof == 2, prof == 3],
        [
            rng.normal(-1.0, 3.0, n),
            rng.exponential(7.0, n),
            8 + rng.exponential(20.0, n),
            20 + rng.exponential(40.0, n),
        ],
        60 + rng.exponential(150.0, n),
    )
    forgotten = (prof <= 1) & (rng.random(n) < 0.06)  # good payers lose an invoice now and then
    return np.where(forgotten, d + 20 + rng.exponential(45.0, n), d)


def _invoice_flow(
    rng: np.random.Generator,
    cal: _Cal,
    cust: pd.DataFrame,
    size: np.ndarray,
    ticket: np.ndarray,
    first: int,
    last: int,
    scale: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Invoices issued on business days between ``first`` and ``last`` (day numbers)."""
    bdays = cal.business_days(first, last)
    month = (_DAY0 + bdays).astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    season = np.array([0.95, 1.0, 1.1, 1.0, 0.9, 1.1, 1.05, 0.7, 1.1, 1.1, 1.0, 0.85])[month]
    lam = _INVOICES_PER_MONTH * scale / 21.0 * season
    counts = rng.poisson(lam)
    doc = np.repeat(bdays, counts)
    n = len(doc)
    c = rng.choice(len(cust), size=n, p=size / size.sum())
    amount = ticket[c] * rng.lognormal(0.0, 0.8, n)
    big = (
        (cust["segment"].to_numpy()[c] == "Agroalimentaire grands comptes")
        & (cust["entity"].to_numpy()[c] == "FR10")
        & (rng.random(n) < 0.02)
    )
    amount = np.where(big, amount * rng.uniform(5, 20, n), amount)  # production-line milestones
    return c, doc, np.minimum(amount, 600_000.0)


def _collection_factor(
    age: np.ndarray, amount: np.ndarray, prof: np.ndarray, disputed: np.ndarray, other: np.ndarray
) -> np.ndarray:
    """Relative collection hazard: recent, big, undisputed items of good payers go first."""
    f_age = np.select([age <= 30, age <= 90, age <= 180, age <= 365], [1.0, 0.8, 0.5, 0.25], 0.07)
    f_amt = np.clip((np.maximum(amount, 1.0) / 1_000.0) ** 0.3, 0.5, 2.5)
    return f_age * f_amt * _PROFILE_SPEED[prof] * np.where(disputed, 0.1, 1.0) * np.where(other, 0.3, 1.0)


@dataclass(frozen=True)
class _Draws:
    """What every step of the ledger draws from: the one random stream, the calendar, the customers' weights."""

    rng: np.random.Generator
    cal: _Cal
    p_size: np.ndarray  # a customer's share of the invoices
    ticket: np.ndarray  # median invoice TTC per customer
    terms: np.ndarray  # payment terms (days) per customer
    eom: np.ndarray  # terms end of month per customer
    scale: float  # week-0 items / 20,000
    as_of: int  # the audit day
    horizon: int  # the last day of the mission

    def customers(self, n: int) -> np.ndarray:
        """``n`` customers drawn by size."""
        return self.rng.choice(len(self.p_size), size=n, p=self.p_size)


def _flow_items(
    d: _Draws, cust: pd.DataFrame, size: np.ndarray, prof_c: np.ndarray, first: int
) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """Step 1: the invoice flow with its natural payment dates.

    Returns the invoices still open at the audit or issued after it, and those paid before it.
    """
    c, doc, amount = _invoice_flow(d.rng, d.cal, cust, size, d.ticket, first, d.horizon, d.scale)
    due = _due(doc, d.terms[c], d.eom[c])
    natural = d.cal.roll(np.round(due + _delays(d.rng, prof_c[c])).astype(np.int64))
    natural = np.maximum(natural, d.cal.roll(doc + 1))
    keep = (natural > d.as_of) | (doc > d.as_of)
    paid_before = pd.DataFrame(
        {"c": c[~keep], "doc": doc[~keep], "clear": natural[~keep], "amount": amount[~keep], "due": due[~keep]}
    )
    flow = {
        "c": c[keep],
        "doc": doc[keep],
        "due": due[keep],
        "amount": amount[keep],
        "natural": natural[keep].astype(float),
        "type": np.zeros(int(keep.sum()), np.int64),
        "origin": np.zeros(int(keep.sum()), np.int64),
    }
    return flow, paid_before


def _earlier_flow(
    rng: np.random.Generator, d: _Draws, cust: pd.DataFrame, size: np.ndarray, first: int, last: int
) -> pd.DataFrame:
    """Invoices issued from ``first`` to ``last``, before the ledger's flow, all paid before the audit.

    They feed only the figures of past dates (``monthly.csv``, the working-capital
    workbook), so that a year before the audit has a full year of sales and receivables
    behind it.  Drawn from their own random stream ``rng``: the ledger and everything
    drawn from the main stream stay as they were.  Each is paid at its natural date
    (due date + its payer profile's delay), at the latest the day before the audit.
    Columns as the ``paid_before`` table: ``c``, ``doc``, ``clear``, ``amount``, ``due``.
    """
    c, doc, amount = _invoice_flow(rng, d.cal, cust, size, d.ticket, first, last, d.scale)
    due = _due(doc, d.terms[c], d.eom[c])
    prof = np.searchsorted(np.array(_PROFILES), cust["payer_profile"].to_numpy().astype(str))[c]
    natural = d.cal.roll(np.round(due + _delays(rng, prof)).astype(np.int64))
    clear = np.minimum(np.maximum(natural, d.cal.roll(doc + 1)), d.as_of - 1)
    return pd.DataFrame({"c": c, "doc": doc, "clear": clear, "amount": amount, "due": due})


def _negatives(d: _Draws, kind: int, rate: float, mu: float, sigma: float) -> dict[str, np.ndarray]:
    """Credit notes (``kind`` 1) or unapplied cash (2) arriving during the mission."""
    bd = d.cal.business_days(d.as_of + 1, d.horizon)
    k = d.rng.poisson(rate * _INVOICES_PER_MONTH * d.scale / 21.0, len(bd))
    day = np.repeat(bd, k)
    cc = d.customers(len(day))
    amt = -d.ticket[cc] * d.rng.lognormal(mu, sigma, len(day))
    return {
        "c": cc,
        "doc": day,
        "due": day.copy(),
        "amount": amt,
        "natural": np.full(len(day), np.inf),
        "type": np.full(len(day), kind),
        "origin": np.full(len(day), 3),
    }


def _past(rng: np.random.Generator, n: int, mix: list[tuple[float, str, float, float]]) -> np.ndarray:
    """Ages (days before the audit) from a mixture of (weight, kind, a, b): exponential a + Exp(b) or uniform [a, b]."""
    w = np.array([m[0] for m in mix])
    k = rng.choice(len(mix), size=n, p=w / w.sum())
    out = np.empty(n)
    for j, (_, kind, a, b) in enumerate(mix):
        idx = k == j
        out[idx] = a + rng.exponential(b, idx.sum()) if kind == "exp" else rng.uniform(a, b, idx.sum())
    return np.round(out).astype(np.int64)


def _week0_credits(d: _Draws, n_cn: int, n_ua: int, n_od: int) -> tuple[dict, dict, dict]:
    """Step 2a: the week-0 credit notes, unapplied cash and other entries (indemnities, differences)."""
    rng, cal, as_of = d.rng, d.cal, d.as_of
    cc = d.customers(n_cn)
    dd = cal.roll(as_of - _past(rng, n_cn, [(0.5, "exp", 0, 60), (0.5, "uni", 60, 720)]), forward=False)
    stock_cn = {"c": cc, "doc": dd, "due": dd.copy(), "amount": -d.ticket[cc] * rng.lognormal(-1.5, 0.9, n_cn)}
    cc = d.customers(n_ua)
    dd = cal.roll(as_of - _past(rng, n_ua, [(0.6, "exp", 0, 45), (0.4, "uni", 45, 540)]), forward=False)
    stock_ua = {"c": cc, "doc": dd, "due": dd.copy(), "amount": -d.ticket[cc] * rng.lognormal(-0.3, 0.8, n_ua)}
    cc = d.customers(n_od)
    dd = cal.roll(as_of - 31 - _past(rng, n_od, [(1.0, "exp", 0, 150)]), forward=False)
    positive = rng.random(n_od) < 0.7
    od_amount = np.where(
        positive,
        np.where(rng.random(n_od) < 0.6, 40.0, 0.02 * d.ticket[cc] * rng.lognormal(0, 0.5, n_od)),
        -rng.lognormal(3.0, 1.0, n_od),
    )
    stock_od = {"c": cc, "doc": dd, "due": np.where(positive, dd + 30, dd), "amount": od_amount}
    return stock_cn, stock_ua, stock_od


def _stuck_invoices(d: _Draws, n_stuck: int) -> dict[str, np.ndarray]:
    """Step 2b: old overdue invoices, partly paid (the residue shrinks with age), before scaling."""
    rng = d.rng
    cc = d.customers(n_stuck)
    past_due = _past(rng, n_stuck, [(0.3, "uni", 45, 180), (0.35, "uni", 180, 365), (0.35, "uni", 365, 1100)])
    dd = d.cal.roll(d.as_of - past_due - d.terms[cc], forward=False)
    residue = np.select(
        [past_due <= 180, past_due <= 365],
        [rng.uniform(0.3, 1.0, n_stuck), rng.uniform(0.1, 0.8, n_stuck)],
        rng.uniform(0.03, 0.5, n_stuck),
    )
    return {
        "c": cc,
        "doc": dd,
        "due": _due(dd, d.terms[cc], d.eom[cc]),
        "amount": d.ticket[cc] * rng.lognormal(-0.3, 1.0, n_stuck) * residue,
    }


def _scale_stuck(d: _Draws, stock_inv: dict, stock_od: dict, flow: dict) -> dict[str, np.ndarray]:
    """Step 2c: the old invoices scaled so that the week-0 overdue stock hits its target."""
    as_of = d.as_of
    target0 = _OVERDUE_W0 * d.scale
    open0 = flow["doc"] <= as_of
    flow_od = float(flow["amount"][open0 & (flow["due"] < as_of)].sum())
    other_od = float(stock_od["amount"][(stock_od["amount"] > 0) & (stock_od["due"] < as_of)].sum())
    stuck_od_mask = stock_inv["due"] < as_of
    need = target0 - flow_od - other_od
    if need <= 0.2 * target0:
        raise ValueError("the invoice flow alone exceeds the week-0 overdue target")
    return {**stock_inv, "amount": stock_inv["amount"] * need / stock_inv["amount"][stuck_od_mask].sum()}


def _stock(items: dict, kind: int, origin: int) -> dict[str, np.ndarray]:
    """Week-0 stock items with no natural payment date, of a document ``kind`` and an ``origin``."""
    n = len(items["c"])
    return {**items, "natural": np.full(n, np.inf), "type": np.full(n, kind), "origin": np.full(n, origin)}


def _week0_ledger(d: _Draws, flow: dict, n_items: int) -> dict[str, np.ndarray]:
    """Steps 1-2 joined: the flow, the week-0 stock and the mission's credits, as one set of columns."""
    new_cn = _negatives(d, 1, 0.04, -1.8, 0.8)
    new_ua = _negatives(d, 2, 0.012, 0.0, 0.5)
    n_flow0 = int((flow["doc"] <= d.as_of).sum())
    n_cn, n_ua, n_od = round(0.05 * n_items), round(0.025 * n_items), round(0.012 * n_items)
    n_stuck = n_items - n_flow0 - n_cn - n_ua - n_od
    if n_stuck < 0.3 * n_items:
        raise ValueError(f"n_items={n_items} is too small for the invoice flow of {n_flow0} items")
    stock_cn, stock_ua, stock_od = _week0_credits(d, n_cn, n_ua, n_od)
    stock_inv = _scale_stuck(d, _stuck_invoices(d, n_stuck), stock_od, flow)
    parts = [
        flow,
        _stock(stock_inv, 0, 1),
        _stock(stock_cn, 1, 2),
        _stock(stock_ua, 2, 2),
        _stock(stock_od, 3, 2),
        new_cn,
        new_ua,
    ]
    L = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    L["amount"] = np.round(L["amount"], 2)
    L["amount"][(L["amount"] > 0) & (L["amount"] < 1)] = 1.0
    return L


def _draw_disputes(d: _Draws, L: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 3: disputed items (flag, code, day opened), up to the dispute share of the week-0 overdue stock.

    Older and bigger overdue invoices are more likely; a few fresh invoices get complaints too.
    """
    rng, as_of, n = d.rng, d.as_of, len(L["c"])
    pos = L["amount"] > 0
    is_inv = L["type"] == 0
    open_w0 = L["doc"] <= as_of
    od0 = pos & open_w0 & (L["due"] < as_of)
    age0 = np.maximum(as_of - L["due"], 0)
    disputed = np.zeros(n, bool)
    cand = np.flatnonzero(od0 & is_inv & (L["amount"] >= 50))
    w = (1 + np.minimum(age0[cand], 400) / 60) * np.clip(L["amount"][cand] / 2_000, 0.2, 3)
    order = cand[np.argsort(-np.log(rng.random(len(cand))) / w, kind="stable")]
    goal, total = _DISPUTE_SHARE * float(L["amount"][od0].sum()), 0.0
    for i in order:  # greedy in a weighted random order, never overshooting
        a = float(L["amount"][i])
        if total + a <= goal:
            disputed[i] = True
            total += a
        if total > 0.995 * goal:
            break
    recent = np.flatnonzero(pos & is_inv & ~od0 & (L["origin"] == 0))  # complaints on fresh invoices
    disputed[recent[rng.random(len(recent)) < 0.012]] = True
    code = np.full(n, None, dtype=object)
    keys = list(DISPUTE_CODES)
    code[disputed] = np.asarray(keys, dtype=object)[
        rng.choice(len(keys), size=int(disputed.sum()), p=[0.3, 0.15, 0.2, 0.15, 0.2])
    ]
    opened = np.full(n, -1, np.int64)
    before = disputed & open_w0
    span = np.maximum(np.minimum(as_of - L["doc"], 90), 1)
    opened[before] = L["doc"][before] + 1 + np.floor(rng.random(n)[before] * span[before]).astype(np.int64)
    after = disputed & ~open_w0
    opened[after] = L["doc"][after] + rng.integers(3, 16, int(after.sum()))
    opened[disputed] = d.cal.roll(
        np.minimum(opened[disputed], np.where(before[disputed], as_of, d.horizon)), forward=False
    )
    return disputed, code, opened


# the team gets up to speed over the first weeks: effort ramps linearly to full over
# `_RAMP` days: the cumulative effort at mission day u is R(u) = u^2 / 2 ramp, then u - ramp / 2
_RAMP = 21.0


def _effort(u: np.ndarray) -> np.ndarray:
    return np.where(u <= _RAMP, u * u / (2 * _RAMP), u - _RAMP / 2)


def _inverse_effort(r: np.ndarray) -> np.ndarray:
    return np.where(r <= _RAMP / 2, np.sqrt(2 * _RAMP * r), r + _RAMP / 2)


def _collection(d: _Draws, L: dict, prof_c: np.ndarray, disputed: np.ndarray, last_snap: int) -> np.ndarray:
    """Step 4: the day each item is settled (``-1`` = after the horizon).

    The hazard scale is solved by bisection so that the overdue stock at the last snapshot
    hits its target.
    """
    as_of, horizon, cal = d.as_of, d.horizon, d.cal
    pos = L["amount"] > 0
    age0 = np.maximum(as_of - L["due"], 0)
    base = _collection_factor(age0, L["amount"], prof_c[L["c"]], disputed, L["type"] == 3)
    base = np.where(L["due"] >= as_of, 0.6 * base, base)  # business as usual: reminders, not a campaign
    expo = d.rng.exponential(1.0, len(L["c"]))
    r0 = _effort((np.maximum(L["due"], as_of) - as_of).astype(float))
    target_last = _OVERDUE_LAST * d.scale

    def _clear(k: float) -> np.ndarray:
        t = as_of + np.ceil(_inverse_effort(r0 + expo / (k * base)))
        t = np.minimum(np.minimum(t, L["natural"]), horizon + 400)
        out = cal.roll(t.astype(np.int64))
        return np.where(pos & (out <= horizon), out, -1)

    def _overdue(clear: np.ndarray, day: int) -> float:
        m = pos & (L["doc"] <= day) & (L["due"] < day) & ((clear < 0) | (clear > day))
        return float(L["amount"][m].sum())

    lo, hi = np.log(1e-5), np.log(10.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        if _overdue(_clear(float(np.exp(mid))), last_snap) > target_last:
            lo = mid
        else:
            hi = mid
    return _clear(float(np.exp(hi)))


def _apply_credits(d: _Draws, L: dict, clear: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 5: credit notes and unapplied cash applied (lettered) to an invoice of theirs settled later.

    Returns the index of the invoice each credit is applied to (``-1``: none) and the
    settlement days, the applied credits taking their invoice's.
    """
    n = len(L["c"])
    apply_p = np.select([L["origin"] == 3, L["type"] == 1, L["type"] == 2], [0.85, 0.45, 0.65], 0.0)
    to_apply = np.flatnonzero((L["amount"] < 0) & (d.rng.random(n) < apply_p))
    to_apply = to_apply[np.lexsort((L["doc"][to_apply], L["c"][to_apply]))]
    clear = clear.copy()
    cleared_pos = np.flatnonzero(clear >= 0)
    cleared_pos = cleared_pos[np.lexsort((-L["amount"][cleared_pos], clear[cleared_pos], L["c"][cleared_pos]))]
    by_cust: dict[int, list[int]] = {}
    for i in cleared_pos:
        by_cust.setdefault(int(L["c"][i]), []).append(int(i))
    capacity = np.where(clear >= 0, L["amount"] - 1.0, 0.0)
    applied_to = np.full(n, -1, np.int64)
    for j in to_apply:
        for i in by_cust.get(int(L["c"][j]), ()):
            if clear[i] >= max(L["doc"][j], d.as_of + 1) and capacity[i] >= -L["amount"][j]:
                capacity[i] += L["amount"][j]
                applied_to[j] = i
                clear[j] = clear[i]
                break
    return applied_to, clear


def _build_ledger(
    rng: np.random.Generator,
    cust: pd.DataFrame,
    size: np.ndarray,
    ticket: np.ndarray,
    n_items: int,
    as_of: int,
    last_snap: int,
    horizon: int,
    cal: _Cal,
    earlier_rng: np.random.Generator | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray], pd.DataFrame]:
    """The ledger and the pre-audit paid invoices (for the monthly table and the workbook).

    Steps, all drawing from ``rng`` in this order: the invoice flow (1), the week-0 stock
    (2), disputes (3), collection (4), credits applied (5), then the ledger frame.  With
    ``earlier_rng``, :data:`EARLIER_MONTHS` more months of invoices paid before the audit
    (:func:`_earlier_flow`) are drawn from it.
    """
    d = _Draws(
        rng=rng,
        cal=cal,
        p_size=size / size.sum(),
        ticket=ticket,
        terms=cust["payment_terms_days"].to_numpy(np.int64),
        eom=cust["terms_end_of_month"].to_numpy(bool),
        scale=n_items / 20_000,
        as_of=as_of,
        horizon=horizon,
    )
    prof_c = np.searchsorted(np.array(_PROFILES), cust["payer_profile"].to_numpy().astype(str))
    flow_first = _days(pd.Timestamp(_DAY0 + as_of).to_period("M").start_time - pd.DateOffset(months=17))
    flow, paid_before = _flow_items(d, cust, size, prof_c, flow_first)
    if earlier_rng is not None:
        history_first = _days(pd.Timestamp(_DAY0 + flow_first) - pd.DateOffset(months=EARLIER_MONTHS))
        earlier = _earlier_flow(earlier_rng, d, cust, size, history_first, flow_first - 1)
        paid_before = pd.concat([earlier, paid_before], ignore_index=True)
    L = _week0_ledger(d, flow, n_items)
    disputed, code, opened = _draw_disputes(d, L)
    L["natural"] = np.where(disputed, np.inf, L["natural"])
    clear = _collection(d, L, prof_c, disputed, last_snap)
    applied_to, clear = _apply_credits(d, L, clear)
    L.update(disputed=disputed, code=code, clear=clear, opened=opened, applied_to=applied_to)
    ledger, extra = _ledger_frame(L, cust, rng)
    return ledger, extra, paid_before


def _ledger_frame(L: dict, cust: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    n = len(L["c"])
    ent = cust["entity"].to_numpy()[L["c"]]
    # document numbers: per entity, type and year, in date order
    tie = rng.random(n)
    order = np.lexsort((tie, L["doc"], L["type"], ent))
    year = (_DAY0 + L["doc"]).astype("datetime64[Y]").astype(np.int64) + 1970
    doc_id = np.empty(n, dtype=object)
    seq: dict[tuple[str, int, int], int] = {}
    for i in order:
        key = (ent[i], int(L["type"][i]), int(year[i]))
        seq[key] = seq.get(key, 0) + 1
        doc_id[i] = f"{_TYPE_PREFIX[key[1]]}{key[2] % 100:02d}-{seq[key]:06d}"
    # lettering codes: one per settled debit item, shared with what was applied to it
    clear = L["clear"]
    match = np.full(n, None, dtype=object)
    settled = np.flatnonzero((clear >= 0) & (L["amount"] > 0))
    settled = settled[np.lexsort((doc_id[settled].astype(str), ent[settled], clear[settled]))]
    codes = np.array([f"L{k + 1:06d}" for k in range(len(settled))], dtype=object)
    match[settled] = codes
    app = np.flatnonzero(L["applied_to"] >= 0)
    match[app] = match[L["applied_to"][app]]

    currency = cust["currency"].to_numpy()[L["c"]]
    rate = np.array([FX_RATES[c] for c in currency])
    factoring = cust["factoring"].to_numpy(bool)[L["c"]]
    df = pd.DataFrame(
        {
            "entity": ent,
            "customer_id": cust["customer_id"].to_numpy()[L["c"]],
            "customer_name": cust["customer_name"].to_numpy()[L["c"]],
            "document_id": doc_id,
            "document_type": np.asarray(_TYPE_CODES, dtype=object)[L["type"]],
            "document_date": _to_ts(L["doc"]),
            "due_date": _to_ts(L["due"]),
            "amount": L["amount"],
            "currency": currency,
            "amount_currency": np.round(L["amount"] * rate, 2),
            "dispute": L["disputed"],
            "dispute_code": L["code"],
            "collector": cust["collector"].to_numpy()[L["c"]],
            "segment": cust["segment"].to_numpy()[L["c"]],
            "factored": factoring & (L["type"] == 0),
            "cleared_date": _to_ts(clear),
            "match_code": match,
        }
    )
    order = np.lexsort((doc_id.astype(str), L["doc"], ent))
    extra = {"opened": L["opened"][order], "customer_index": L["c"][order]}
    return df.iloc[order].reset_index(drop=True), extra
