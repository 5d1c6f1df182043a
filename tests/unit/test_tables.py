"""Canonical tables: one description, validated with pandera, documented in docs/."""

from __future__ import annotations

import pandas as pd
import pytest

from cashmission import tables
from tests.conftest import ROOT


def _items(**over):
    base = {
        "customer_id": ["C1", "C2"],
        "document_id": ["F1", "F2"],
        "document_type": ["invoice", "credit_note"],
        "document_date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
        "due_date": pd.to_datetime(["2024-01-31", "2024-02-04"]),
        "amount": [120.0, -20.0],
    }
    base.update(over)
    return tables.coerce(pd.DataFrame(base), "open_items")


def test_coerce_adds_optional_columns_with_defaults():
    df = _items()
    assert list(df.columns) == tables.OPEN_ITEMS.names
    assert df["entity"].tolist() == ["MAIN", "MAIN"]
    assert df["currency"].tolist() == ["EUR", "EUR"]
    assert df["dispute"].tolist() == [False, False]


def test_valid_frame_has_no_problem():
    assert tables.validate(_items(), "open_items") == []


def test_missing_required_column_is_reported():
    df = _items().drop(columns=["due_date"])
    problems = tables.validate(df, "open_items", file="x.csv")
    assert [(p.code, p.column) for p in problems] == [("missing_column", "due_date")]


def test_all_problems_at_once_bad_type_and_duplicate_key():
    df = _items(document_type=["invoice", "facture"], document_id=["F1", "F1"])
    codes = {(p.code, p.column) for p in tables.validate(df, "open_items")}
    assert ("schema", "document_type") in codes
    assert any(col is None or col in ("entity", "document_id") for code, col in codes if code == "schema")
    assert len(codes) >= 2


def test_unknown_table_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown table 'invoices'; known: open_items, customers"):
        tables.table("invoices")


def test_docs_data_model_is_up_to_date():
    doc = (ROOT / "docs" / "data_model.md").read_text(encoding="utf-8")
    assert doc.strip() == tables.data_model_markdown().strip(), "run: python -m cashmission.tables > docs/data_model.md"


def test_every_table_documents_every_column():
    for t in tables.TABLES.values():
        assert t.required, t.name
        for c in t.columns:
            assert c.description and c.kind in ("str", "float", "int", "date", "bool", "category")
