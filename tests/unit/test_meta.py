"""Metadata that travels with a table (cashmission.meta): one record per kind, under one key.

A record must survive what pandas does to a table (copies, slices, concatenation of
frames that carry the same record) and never make it raise (concatenation compares the
records of its inputs: a record holding an array or a DataFrame would raise there).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cashmission.meta import KEY, FecSource, FigureBasis, LedgerNotes, Period, TaxReturnBasis, attach, of
from cashmission.problems import Problem

PACKAGE = Path(__file__).resolve().parents[2] / "cashmission"

BRIDGE = Period(start="2024-07-01", end="2024-08-05", months=3)
SOURCE = FecSource(
    file="777777777FEC20241231.txt",
    fiscal_year_end_from_name=pd.Timestamp("2024-12-31"),
    bad_dates={"EcritureDate": [4, 5]},
    unbalanced_reported=20.0,
)
BASIS = FigureBasis(
    convention={"revenue": "70, credit - debit"},
    fiscal_year={"start": "2024-01-01", "end": "2024-12-31"},
    through="2024-03-05",
    stock_write_downs={"2024-01-31": 150.0},
    period={"start": "2024-01-01", "end": "2024-03-05", "days": 65, "warnings": []},
)
NOTES = LedgerNotes(problems=(Problem("warning", "placeholder_date", "PieceDate empty", row=35),), due_dates="30 days")


def _frame(record=None) -> pd.DataFrame:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]})
    return df if record is None else attach(df, record)


@pytest.mark.parametrize(
    "record", [BRIDGE, SOURCE, BASIS, NOTES, TaxReturnBasis("net", "2024-01-01", "2024-12-31", 12)]
)
def test_attach_then_of_gives_the_record_back(record):
    df = _frame(record)
    assert of(df, type(record)) == record
    assert list(df.attrs) == [KEY]  # one key, whatever the record


def test_records_of_different_kinds_live_side_by_side_and_one_replaces_its_kind():
    df = attach(_frame(SOURCE), BRIDGE)
    assert of(df, FecSource) == SOURCE and of(df, Period) == BRIDGE
    attach(df, Period(frequency="month", window_months=3))
    assert of(df, Period) == Period(frequency="month", window_months=3)
    assert of(df, FecSource) == SOURCE


def test_a_frame_without_a_record_gives_none():
    assert of(_frame(), Period) is None
    assert of(_frame(BRIDGE), FigureBasis) is None
    assert of(None, Period) is None  # not a pandas object
    assert of(_frame(BRIDGE)["a"], Period) == BRIDGE  # a column keeps its frame's record


def test_copy_slice_and_set_index_keep_the_record():
    df = _frame(SOURCE)
    assert of(df.copy(), FecSource) == SOURCE
    assert of(df.iloc[1:], FecSource) == SOURCE
    assert of(df[df["a"] > 1.0], FecSource) == SOURCE
    assert of(df[["a"]], FecSource) == SOURCE
    assert of(df.set_index("b"), FecSource) == SOURCE
    # a copy's record is its own: attaching to the copy leaves the original alone
    copy = attach(df.copy(), FecSource(file="other.txt"))
    assert of(df, FecSource) == SOURCE and of(copy, FecSource).file == "other.txt"


@pytest.mark.parametrize("record", [BRIDGE, SOURCE, BASIS, NOTES])
def test_concat_of_frames_with_the_same_record_keeps_it(record):
    both = pd.concat([_frame(record), _frame(record).iloc[:1]], ignore_index=True)
    assert len(both) == 4  # 3 + 1 rows
    assert of(both, type(record)) == record


def test_concat_of_frames_with_different_records_or_none_does_not_raise_and_keeps_none():
    other = Period(start="2024-08-05", end="2024-09-30", months=3)
    assert of(pd.concat([_frame(BRIDGE), _frame(other)]), Period) is None
    assert of(pd.concat([_frame(BRIDGE), _frame()]), Period) is None
    assert of(pd.concat([_frame(SOURCE), _frame(BASIS)]), FecSource) is None
    changed = FecSource(**{**SOURCE.__dict__, "bad_dates": {"EcritureDate": [4]}})
    assert of(pd.concat([_frame(SOURCE), _frame(changed)], axis=1), FecSource) is None


def test_records_are_frozen():
    with pytest.raises(AttributeError):
        BRIDGE.months = 4  # type: ignore[misc]


def test_no_module_but_meta_touches_dataframe_attrs():
    # the one way in and out of a table's metadata is attach/of: no loose attrs keys,
    # nor a docstring telling readers about some ``attrs["..."]``
    loose = re.compile(r"\.attrs\b|\battrs\[")
    found = [
        f"{p.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if p != PACKAGE / "meta.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if loose.search(line)
    ]
    assert found == []
