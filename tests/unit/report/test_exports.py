"""Formula injection: client text a spreadsheet would run gets a leading apostrophe; numbers do not."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cashmission.report.exports import neutralise_frame, neutralise_text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-400", "'-400"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("Alpha SA", "Alpha SA"),
        ("C-12", "C-12"),  # a dash inside is harmless
        ("", ""),
    ],
)
def test_neutralise_text(text, written):
    assert neutralise_text(text) == written


@pytest.mark.parametrize("value", [-400.0, 0, 12, None, pd.Timestamp("2026-01-31")])
def test_non_text_is_unchanged(value):
    assert neutralise_text(value) is value


def test_nan_is_unchanged():
    assert math.isnan(neutralise_text(float("nan")))


def test_neutralise_frame_touches_text_columns_only_and_copies():
    frame = pd.DataFrame({"name": ["=cmd", "Beta", None], "amount": [-400.0, 1.5, 2.0], "n": [1, 2, 3]})
    out = neutralise_frame(frame)
    assert out["name"].tolist()[:2] == ["'=cmd", "Beta"] and pd.isna(out["name"].iloc[2])
    assert out["amount"].tolist() == [-400.0, 1.5, 2.0] and out["amount"].dtype == float
    assert out["n"].tolist() == [1, 2, 3]
    assert frame["name"].iloc[0] == "=cmd"  # the input is not changed
