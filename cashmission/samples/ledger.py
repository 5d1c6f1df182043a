"""The sample client's ledger (*grand livre clients*): invoices, old overdue stock, credits, collection work."""

from __future__ import annotations

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
) -> tuple[pd.DataFrame, dict[str, np.ndarray], pd.DataFrame]:
    """The ledger and the pre-audit paid invoices (for the monthly table)."""
    scale = n_items / 20_000
    nc = len(cust)
    terms = cust["payment_terms_days"].to_numpy(np.int64)
    eom = cust["terms_end_of_month"].to_numpy(bool)
    prof_c = np.searchsorted(np.array(_PROFILES), cust["payer_profile"].to_numpy().astype(str))
    p_size = size / size.sum()
    flow_first = _days(pd.Timestamp(_DAY0 + as_of).to_period("M").start_time - pd.DateOffset(months=17))

    # 1. the invoice flow -------------------------------------------------------------------
    c, doc, amount = _invoice_flow(rng, cal, cust, size, ticket, flow_first, horizon, scale)
    due = _due(doc, terms[c], eom[c])
    natural = cal.roll(np.round(due + _delays(rng, prof_c[c])).astype(np.int64))
    natural = np.maximum(natural, cal.roll(doc + 1))
    keep = (natural > as_of) | (doc > as_of)
    paid_before = pd.DataFrame(
        {
            "c": c[~keep],
            "doc": doc[~keep],
            "clear": natural[~keep],
            "amount": amount[~keep],
            "due": due[~keep],
        }
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

    # credit notes and unapplied cash arriving during the mission
    def _negatives(kind: int, rate: float, mu: float, sigma: float, first: int, last: int):
        bd = cal.business_days(first, last)
        k = rng.poisson(rate * _INVOICES_PER_MONTH * scale / 21.0, len(bd))
        d = np.repeat(bd, k)
        cc = rng.choice(nc, size=len(d), p=p_size)
        amt = -ticket[cc] * rng.lognormal(mu, sigma, len(d))
        return {
            "c": cc,
            "doc": d,
            "due": d.copy(),
            "amount": amt,
            "natural": np.full(len(d), np.inf),
            "type": np.full(len(d), kind),
            "origin": np.full(len(d), 3),
        }

    new_cn = _negatives(1, 0.04, -1.8, 0.8, as_of + 1, horizon)
    new_ua = _negatives(2, 0.012, 0.0, 0.5, as_of + 1, horizon)

    open0 = flow["doc"] <= as_of
    n_flow0 = int(open0.sum())

    # 2. the week-0 stock: credit notes, unapplied cash, other entries, old overdue items --
    n_cn, n_ua, n_od = round(0.05 * n_items), round(0.025 * n_items), round(0.012 * n_items)
    n_stuck = n_items - n_flow0 - n_cn - n_ua - n_od
    if n_stuck < 0.3 * n_items:
        raise ValueError(f"n_items={n_items} is too small for the invoice flow of {n_flow0} items")

    def _past(n, mix):
        """Ages (days before the audit) from a mixture of (weight, kind, a, b)."""
        w = np.array([m[0] for m in mix])
        k = rng.choice(len(mix), size=n, p=w / w.sum())
        out = np.empty(n)
        for j, (_, kind, a, b) in enumerate(mix):
            idx = k == j
            out[idx] = a + rng.exponential(b, idx.sum()) if kind == "exp" else rng.uniform(a, b, idx.sum())
        return np.round(out).astype(np.int64)

    cc = rng.choice(nc, size=n_cn, p=p_size)
    dd = cal.roll(as_of - _past(n_cn, [(0.5, "exp", 0, 60), (0.5, "uni", 60, 720)]), forward=False)
    stock_cn = {
        "c": cc,
        "doc": dd,
        "due": dd.copy(),
        "amount": -ticket[cc] * rng.lognormal(-1.5, 0.9, n_cn),
    }
    cc = rng.choice(nc, size=n_ua, p=p_size)
    dd = cal.roll(as_of - _past(n_ua, [(0.6, "exp", 0, 45), (0.4, "uni", 45, 540)]), forward=False)
    stock_ua = {
        "c": cc,
        "doc": dd,
        "due": dd.copy(),
        "amount": -ticket[cc] * rng.lognormal(-0.3, 0.8, n_ua),
    }
    cc = rng.choice(nc, size=n_od, p=p_size)
    dd = cal.roll(as_of - 31 - _past(n_od, [(1.0, "exp", 0, 150)]), forward=False)
    positive = rng.random(n_od) < 0.7
    od_amount = np.where(
        positive,
        np.where(rng.random(n_od) < 0.6, 40.0, 0.02 * ticket[cc] * rng.lognormal(0, 0.5, n_od)),
        -rng.lognormal(3.0, 1.0, n_od),
    )
    stock_od = {"c": cc, "doc": dd, "due": np.where(positive, dd + 30, dd), "amount": od_amount}

    cc = rng.choice(nc, size=n_stuck, p=p_size)
    past_due = _past(n_stuck, [(0.3, "uni", 45, 180), (0.35, "uni", 180, 365), (0.35, "uni", 365, 1100)])
    dd = cal.roll(as_of - past_due - terms[cc], forward=False)
    residue = np.select(
        [past_due <= 180, past_due <= 365],
        [rng.uniform(0.3, 1.0, n_stuck), rng.uniform(0.1, 0.8, n_stuck)],
        rng.uniform(0.03, 0.5, n_stuck),
    )
    stock_inv = {
        "c": cc,
        "doc": dd,
        "due": _due(dd, terms[cc], eom[cc]),
        "amount": ticket[cc] * rng.lognormal(-0.3, 1.0, n_stuck) * residue,
    }

    # scale the old stock so that the week-0 overdue stock hits its target
    target0 = _OVERDUE_W0 * scale
    flow_od = float(flow["amount"][open0 & (flow["due"] < as_of)].sum())
    other_od = float(stock_od["amount"][(stock_od["amount"] > 0) & (stock_od["due"] < as_of)].sum())
    stuck_od_mask = stock_inv["due"] < as_of
    need = target0 - flow_od - other_od
    if need <= 0.2 * target0:
        raise ValueError("the invoice flow alone exceeds the week-0 overdue target")
    stock_inv["amount"] = stock_inv["amount"] * need / stock_inv["amount"][stuck_od_mask].sum()

    def _stock(d, kind, origin):
        n = len(d["c"])
        return {
            **d,
            "natural": np.full(n, np.inf),
            "type": np.full(n, kind),
            "origin": np.full(n, origin),
        }

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
    n = len(L["c"])

    # 3. disputes -----------------------------------------------------------------------------
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
    L["natural"] = np.where(disputed, np.inf, L["natural"])
    opened = np.full(n, -1, np.int64)
    before = disputed & open_w0
    span = np.maximum(np.minimum(as_of - L["doc"], 90), 1)
    opened[before] = L["doc"][before] + 1 + np.floor(rng.random(n)[before] * span[before]).astype(np.int64)
    after = disputed & ~open_w0
    opened[after] = L["doc"][after] + rng.integers(3, 16, int(after.sum()))
    opened[disputed] = cal.roll(np.minimum(opened[disputed], np.where(before[disputed], as_of, horizon)), forward=False)

    # 4. collection: solve the hazard scale for the last-snapshot overdue target ---------------
    prof = prof_c[L["c"]]
    base = _collection_factor(age0, L["amount"], prof, disputed, L["type"] == 3)
    base = np.where(L["due"] >= as_of, 0.6 * base, base)  # business as usual: reminders, not a campaign
    expo = rng.exponential(1.0, n)
    start = np.maximum(L["due"], as_of)
    target_last = _OVERDUE_LAST * scale

    # the team gets up to speed over the first weeks: effort ramps linearly to full over
    # `ramp` days: the cumulative effort at mission day u is R(u) = u^2 / 2 ramp,
    # then u - ramp / 2
    ramp = 21.0

    def _effort(u: np.ndarray) -> np.ndarray:
        return np.where(u <= ramp, u * u / (2 * ramp), u - ramp / 2)

    def _inverse(r: np.ndarray) -> np.ndarray:
        return np.where(r <= ramp / 2, np.sqrt(2 * ramp * r), r + ramp / 2)

    r0 = _effort((start - as_of).astype(float))

    def _clear(k: float) -> np.ndarray:
        t = as_of + np.ceil(_inverse(r0 + expo / (k * base)))
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
    clear = _clear(float(np.exp(hi)))

    # 5. apply (letter) credit notes and unapplied cash to invoices settled later ---------------
    apply_p = np.select([L["origin"] == 3, L["type"] == 1, L["type"] == 2], [0.85, 0.45, 0.65], 0.0)
    to_apply = np.flatnonzero((L["amount"] < 0) & (rng.random(n) < apply_p))
    to_apply = to_apply[np.lexsort((L["doc"][to_apply], L["c"][to_apply]))]
    cleared_pos = np.flatnonzero(clear >= 0)
    cleared_pos = cleared_pos[np.lexsort((-L["amount"][cleared_pos], clear[cleared_pos], L["c"][cleared_pos]))]
    by_cust: dict[int, list[int]] = {}
    for i in cleared_pos:
        by_cust.setdefault(int(L["c"][i]), []).append(int(i))
    capacity = np.where(clear >= 0, L["amount"] - 1.0, 0.0)
    applied_to = np.full(n, -1, np.int64)
    for j in to_apply:
        for i in by_cust.get(int(L["c"][j]), ()):
            if clear[i] >= max(L["doc"][j], as_of + 1) and capacity[i] >= -L["amount"][j]:
                capacity[i] += L["amount"][j]
                applied_to[j] = i
                clear[j] = clear[i]
                break

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
