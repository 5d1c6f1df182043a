"""The synthetic sample client.

Structure on a small sample; headline figures on the shipped files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cashmission import tables
from cashmission.ledger.ageing import open_at
from cashmission.samples import generator

DEMO = Path(__file__).resolve().parents[3] / "data_samples" / "demo"
W0, W12 = pd.Timestamp("2026-08-03"), pd.Timestamp("2026-10-26")
TABLE_OF = {
    "customers": "customers",
    "ledger": "open_items",
    "payments": "payments",
    "disputes": "disputes",
    "dunning": "dunning",
    "monthly": "working_capital",
}


@pytest.fixture(scope="module")
def small() -> generator.SampleData:
    return generator.generate_sample(n_customers=200, n_items=2000)


@pytest.fixture(scope="module")
def shipped_ledger() -> pd.DataFrame:
    return pd.read_csv(DEMO / "ledger.csv.gz", parse_dates=["document_date", "due_date", "cleared_date"])


@pytest.fixture(scope="module")
def shipped_export() -> pd.DataFrame:
    return pd.read_csv(DEMO / "open_items.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str)


def overdue(items: pd.DataFrame, day: pd.Timestamp) -> float:
    snap = open_at(items, day)
    return float(snap.loc[(snap["amount"] > 0) & (snap["due_date"] < day), "amount"].sum())


# --------------------------------------------------------------------------- structure


def test_same_seed_same_frames(small):
    again = generator.generate_sample(n_customers=200, n_items=2000)
    for name in TABLE_OF:
        pd.testing.assert_frame_equal(getattr(small, name), getattr(again, name))
    assert small.snapshot_dates == again.snapshot_dates


def test_other_seed_other_frames(small):
    other = generator.generate_sample(seed=7, n_customers=200, n_items=2000)
    assert not small.ledger["amount"].equals(other.ledger["amount"])
    assert not small.customers["customer_name"].equals(other.customers["customer_name"])


@pytest.mark.parametrize("name", list(TABLE_OF))
def test_tables_follow_the_canonical_schemas(small, name):
    assert tables.validate(getattr(small, name), TABLE_OF[name]) == []


def test_snapshot_dates_are_thirteen_mondays(small):
    dates = small.snapshot_dates
    assert len(dates) == 13 and dates[0] == W0 and dates[-1] == W12
    assert all(d.day_of_week == 0 for d in dates)


def test_ledger_dates_are_consistent(small):
    led = small.ledger
    assert (led["due_date"] >= led["document_date"]).all()
    cleared = led["cleared_date"].notna()
    assert (led.loc[cleared, "cleared_date"] >= led.loc[cleared, "document_date"]).all()
    assert (led.loc[cleared, "cleared_date"] > W0).all()  # the ledger starts at the audit
    assert led["cleared_date"].max() <= pd.Timestamp("2026-10-31")
    assert not led.duplicated(["entity", "document_id"]).any()
    assert (led["amount"].round(2) == led["amount"]).all()


def test_every_ledger_item_is_open_at_a_snapshot_or_issued_during_the_mission(small):
    led = small.ledger
    seen = pd.Series(False, index=led.index)
    for d in small.snapshot_dates:
        seen |= led.index.isin(open_at(led, d).index)
    assert (seen | (led["document_date"] > W0)).all()


def test_payments_match_ledger_settlements(small):
    led, pay = small.ledger, small.payments
    cleared = led[led["cleared_date"].notna()]
    settled_debits = cleared[cleared["amount"] > 0]
    assert len(pay) == len(settled_debits)
    assert set(pay["document_id"]) == set(settled_debits["document_id"])
    # cash = settled invoices less the credit notes / unapplied cash lettered with them
    assert pay["amount"].sum() == pytest.approx(cleared["amount"].sum(), abs=0.05)
    assert (pay["amount"] > 0).all()
    dates = pay.merge(settled_debits, on=["entity", "document_id"])
    assert (dates["payment_date"] == dates["cleared_date"]).all()


def test_lettered_credits_share_the_code_and_date_of_their_invoice(small):
    led = small.ledger
    credits = led[(led["amount"] < 0) & led["cleared_date"].notna()]
    assert len(credits) > 0
    debits = led[led["amount"] > 0].set_index("match_code")
    assert (debits.loc[credits["match_code"], "cleared_date"].to_numpy() == credits["cleared_date"].to_numpy()).all()


def test_disputes_dunning_and_monthly_are_consistent(small):
    disp = small.disputes
    assert len(disp) == int(small.ledger["dispute"].sum())
    closed = disp["closed_date"].notna()
    assert (disp.loc[closed, "closed_date"] >= disp.loc[closed, "opened_date"]).all()
    assert set(disp["dispute_code"]) <= set(generator.DISPUTE_CODES)
    dun = small.dunning
    assert set(dun["action"]) <= set(tables.DUNNING_ACTIONS)
    assert {"pre_reminder", "reminder_1", "call", "promise"} <= set(dun["action"])
    promises = dun[dun["action"] == "promise"]
    assert promises["promise_date"].notna().all() and (promises["promise_date"] > promises["action_date"]).all()
    monthly = small.monthly
    assert len(monthly) == 15 and monthly["period_end"].iloc[-1] == pd.Timestamp("2026-10-31")
    mission = monthly[monthly["source"] == "ledger"]
    for _, row in mission.iterrows():
        assert row["receivables"] == pytest.approx(open_at(small.ledger, row["period_end"])["amount"].sum(), abs=0.05)


def test_small_sample_scales_the_headline_figures(small):
    # 2,000 items: a tenth of 6.6 M€ and 1.5 M€
    assert overdue(small.ledger, W0) == pytest.approx(660_000, rel=0.01)
    assert overdue(small.ledger, W12) == pytest.approx(150_000, rel=0.05)
    assert len(small.snapshot(0)) == 2000


def test_snapshot_rejects_unknown_week(small):
    with pytest.raises(ValueError, match=r"week must be in 0\.\.12"):
        small.snapshot(13)


def test_generate_open_items_is_canonical_and_deterministic():
    a = generator.generate_open_items(5000, seed=3)
    b = generator.generate_open_items(5000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert tables.validate(a, "open_items") == []
    assert set(a["document_type"]) == set(tables.DOCUMENT_TYPES)
    assert (a.loc[a["document_type"].isin(["credit_note", "payment"]), "amount"] < 0).all()


# --------------------------------------------------------------------------- names


def _name_pattern() -> re.Pattern[str]:
    word = "".join(f"(?:{'|'.join(part)})" for part in (generator.ONSETS, generator.MIDDLES, generator.ENDINGS))
    forms = {f for f, _ in generator.FRENCH_FORMS if f != "EI"}
    forms |= {o[2] for opts in generator.COUNTRIES.values() for o in opts}
    stems = [re.escape(t).replace(re.escape("{w}"), word) for ts in generator.NAME_TEMPLATES.values() for t in ts]
    form = "|".join(re.escape(f) for f in sorted(forms))
    return re.compile(f"^(?:(?:{'|'.join(stems)}) (?:{form})|Ets {word})$")


def test_customer_names_come_only_from_the_invented_lists():
    customers = pd.read_csv(DEMO / "customers.csv", dtype=str)
    pattern = _name_pattern()
    bad = [n for n in customers["customer_name"] if not pattern.match(n)]
    assert bad == []
    assert customers["customer_name"].is_unique
    word = "".join(f"(?:{'|'.join(part)})" for part in (generator.ONSETS, generator.MIDDLES, generator.ENDINGS))
    assert customers["group"].dropna().str.fullmatch(f"Groupe {word}").all()
    assert set(customers["collector"]) == set(generator.COLLECTORS.values())


# --------------------------------------------------------------------------- shipped files


def test_shipped_export_has_the_french_erp_layout(shipped_export):
    raw = (DEMO / "open_items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header == ";".join(generator.FRENCH_EXPORT_HEADERS)
    assert set(shipped_export["Type"]) == {"Facture", "Avoir", "Règlement", "Autre"}
    assert set(shipped_export["Litige"]) == {"Oui", "Non"} and set(shipped_export["Affacturé"]) == {
        "Oui",
        "Non",
    }
    assert shipped_export["Date pièce"].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert shipped_export["Montant TTC"].str.fullmatch(r"-?\d+,\d{2}").all()


def test_shipped_snapshot_equals_the_ledger_at_week_0(shipped_ledger):
    export = pd.read_csv(DEMO / "open_items.csv", sep=";", decimal=",", encoding="utf-8-sig")
    snap = open_at(shipped_ledger, W0)
    assert len(export) == len(snap)
    assert export["Montant TTC"].sum() == pytest.approx(snap["amount"].sum(), abs=0.05)
    assert set(export["N° pièce"]) == set(snap["document_id"])


def test_shipped_headline_figures(shipped_ledger, shipped_export):
    assert 6.5e6 <= overdue(shipped_ledger, W0) <= 6.7e6
    assert 1.4e6 <= overdue(shipped_ledger, W12) <= 1.6e6
    assert 19_000 <= len(shipped_export) <= 21_000
    assert 1_900 <= len(pd.read_csv(DEMO / "customers.csv")) <= 2_100
    # the weekly decrease: every week below week 0, the last far below
    weekly = [overdue(shipped_ledger, W0 + pd.Timedelta(weeks=w)) for w in range(13)]
    assert max(weekly[1:]) < weekly[0] and weekly[6] < weekly[2] < weekly[0]


def test_shipped_week_0_has_every_kind_of_item(shipped_ledger):
    snap = open_at(shipped_ledger, W0)
    od = (snap["amount"] > 0) & (snap["due_date"] < W0)
    kinds = snap.groupby("document_type")["amount"].agg(["count", "max"])
    assert kinds.loc["credit_note", "max"] < 0 and kinds.loc["payment", "max"] < 0
    assert kinds["count"].min() > 100
    disputed = snap.loc[od & snap["dispute"], "amount"].sum() / snap.loc[od, "amount"].sum()
    assert 0.05 <= disputed <= 0.08
    assert set(snap["dispute_code"].dropna()) == set(generator.DISPUTE_CODES)
    assert snap["factored"].sum() > 100
    assert set(snap["currency"]) == {"EUR", "USD", "GBP"}
    assert (snap["currency"] == "EUR").mean() > 0.85
    assert (W0 - snap.loc[od, "due_date"]).dt.days.max() > 700  # a long tail of old items
    assert set(snap["entity"]) == set(generator.ENTITIES)


def test_shipped_dso_falls():
    monthly = pd.read_csv(DEMO / "monthly.csv", parse_dates=["period_end"])
    ttc = monthly["revenue"] + monthly["vat_collected"]
    dso = monthly["receivables"] / ttc.rolling(3).sum() * monthly["period_days"].rolling(3).sum()
    audit = dso[monthly["period_end"] == pd.Timestamp("2026-07-31")].iloc[0]
    assert dso.iloc[-1] < audit - 10


def test_shipped_folder_is_small():
    total = sum(p.stat().st_size for p in DEMO.iterdir())
    assert total < 5_000_000  # "a few MB at most": the large canonical tables are gzipped


def test_regenerating_reproduces_the_shipped_files(tmp_path):
    assert generator.main(["--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in DEMO.iterdir() if p.name != ".gitattributes")
    for name in written:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_tables_read_back_from_the_files_are_canonical(shipped_ledger):
    assert tables.validate(tables.coerce(shipped_ledger, "open_items"), "open_items") == []
    pay = pd.read_csv(DEMO / "payments.csv.gz", dtype={"customer_id": str}, parse_dates=["payment_date"])
    assert tables.validate(tables.coerce(pay, "payments"), "payments") == []
    assert np.isclose(
        pay["amount"].sum(),
        shipped_ledger.loc[shipped_ledger["cleared_date"].notna(), "amount"].sum(),
        atol=0.05,
    )
