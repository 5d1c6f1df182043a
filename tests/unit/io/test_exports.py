"""Loader tests over the corpus of awkward and broken exports (tests/data/make_corpus.py).

Every expected value is worked out by hand from the file contents written by
``make_corpus.py``; comments show the arithmetic.  Lines are 1-based as a user sees
them in a text editor or in Excel, header line included.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cashmission.io import exports, presets
from cashmission.io import raw as io_raw
from cashmission.problems import InputError
from cashmission.tables import validate

DATA = Path(__file__).resolve().parents[2] / "data"
BROKEN = DATA / "broken"
GOOD = DATA / "good"

# file, keyword arguments, expected outcome.
#   error: (code, column)             -> InputError with that code (and column, if not None)
#   rows: (rows_read, rows_kept)
#   warnings: {code: count}           -> exactly these warnings; a case that lists none
#                                        expects no warning at all
#   info: {code: count}               -> at least these info problems
#   values: {column: [...]}           -> the loaded column, in order
#   rows_at: {code: [row, ...]}       -> the rows named by that problem code
#   totals: (total_read, total_kept)
#   meta: {attribute of the report or key of report.extra: value}
CASES = [
    # ---- fatal --------------------------------------------------------------------------
    ("empty.csv", {}, {"error": ("empty_file", None)}),
    ("blank_lines_only.csv", {}, {"error": ("empty_file", None)}),
    ("no_header.csv", {}, {"error": ("no_header", None)}),
    ("missing_required_column.csv", {}, {"error": ("missing_column", "document_date")}),
    ("missing_due_column.csv", {}, {"error": ("missing_column", "due_date")}),
    ("garbage.csv", {}, {"error": ("binary_file", None)}),
    ("zip_as_csv.csv", {}, {"error": ("binary_file", None)}),
    ("report.pdf", {}, {"error": ("unsupported_extension", None)}),
    ("data.json", {}, {"error": ("unsupported_extension", None)}),
    ("does_not_exist.csv", {}, {"error": ("missing_file", None)}),
    ("corrupt.xlsx", {}, {"error": ("unreadable_file", None)}),
    ("xlsx_no_data.xlsx", {}, {"error": ("empty_file", None)}),
    ("xlsx_two_sheets.xlsx", {"sheet": "Nope"}, {"error": ("unknown_sheet", None)}),
    ("xlsx_two_sheets.xlsx", {"sheet": 5}, {"error": ("unknown_sheet", None)}),
    ("xlsx_two_sheets.xlsx", {"sheet": "Notes"}, {"error": ("no_header", None)}),
    ("custom_headers.csv", {}, {"error": ("no_header", None)}),
    # ---- structure ----------------------------------------------------------------------
    ("header_only.csv", {}, {"rows": (0, 0), "warnings": {"no_data": 1}, "totals": (0.0, 0.0)}),
    ("xlsx_header_only.xlsx", {}, {"rows": (0, 0), "warnings": {"no_data": 1}}),
    # title, company line, blank line, header on line 4: data on lines 5 and 6
    (
        "title_header_line4.csv",
        {},
        {
            "rows": (2, 2),
            "warnings": {},
            "meta": {"header_line": 4},
            "values": {"source_row": [5, 6], "amount": [100.0, 200.0]},
        },
    ),
    # 2 data rows, then ";;;;", "" and "" -> 3 empty rows skipped
    (
        "trailing_empty_rows.csv",
        {},
        {
            "rows": (2, 2),
            "warnings": {},
            "info": {"blank_rows": 1},
            "values": {"source_row": [2, 3]},
            "totals": (150.0, 150.0),
        },
    ),
    # line 3 empty, line 4 only spaces and separators: the second item is on line 5
    ("blank_rows_inside.csv", {}, {"rows": (2, 2), "values": {"source_row": [2, 5]}}),
    # "Dupont; Fils" unquoted on line 3 shifts the columns: dropped; 100 + 5 = 105 read and kept
    (
        "ragged_rows.csv",
        {},
        {
            "rows": (3, 2),
            "warnings": {"too_many_fields": 1},
            "rows_at": {"too_many_fields": [3]},
            "totals": (105.0, 105.0),
        },
    ),
    ("quoted_separators.csv", {}, {"rows": (1, 1), "values": {"customer_name": ["Dupont; Fils"]}}),
    # a quoted line break: the record on line 2 spans lines 2-3, so the next one is on line 4
    (
        "quoted_newline.csv",
        {},
        {"rows": (2, 2), "values": {"source_row": [2, 4], "customer_name": ["Dupont\nFils", "Martin"]}},
    ),
    (
        "unbalanced_quote.csv",
        {},
        {"rows": (2, 2), "warnings": {"unbalanced_quote": 1}, "values": {"customer_name": ['"Dupont', "Martin"]}},
    ),
    ("crlf.csv", {}, {"rows": (2, 2), "values": {"source_row": [2, 3], "amount": [1.0, 2.0]}}),
    ("crcrlf.csv", {}, {"rows": (2, 2), "values": {"source_row": [2, 3], "amount": [1.0, 2.0]}}),
    ("cr_only.csv", {}, {"rows": (2, 2), "values": {"source_row": [2, 3]}}),
    ("tab.tsv", {}, {"rows": (1, 1), "meta": {"delimiter": "\t"}}),
    ("pipe.txt", {}, {"rows": (1, 1), "meta": {"delimiter": "|"}}),
    (
        "utf16_tab.txt",
        {},
        {"rows": (1, 1), "meta": {"encoding": "utf-16", "delimiter": "\t"}, "values": {"amount": [100.0]}},
    ),
    (
        "cp1252.csv",
        {},
        {
            "rows": (1, 1),
            "meta": {"encoding": "cp1252"},
            "values": {"customer_name": ["Société Générale d'Électricité"]},
        },
    ),
    ("utf8_bom.csv", {}, {"rows": (1, 1), "meta": {"encoding": "utf-8-sig"}, "values": {"customer_id": ["C1"]}}),
    ("duplicate_header_names.csv", {}, {"rows": (1, 1), "meta": {"ignored_columns": ["Notes", "Notes (2)"]}}),
    # ---- values -------------------------------------------------------------------------
    # line 3 '2024-13-45': 170 read (100 + 70), 100 kept
    (
        "bad_date.csv",
        {},
        {"rows": (2, 1), "warnings": {"bad_date": 1}, "rows_at": {"bad_date": [3]}, "totals": (170.0, 100.0)},
    ),
    # 31/02 as a document date drops line 2; as a due date (line 3) the item is immediately due
    (
        "feb31.csv",
        {},
        {
            "rows": (3, 2),
            "warnings": {"bad_date": 2},
            "rows_at": {"bad_date": [2, 3]},
            "values": {
                "document_id": ["F2", "F3"],
                "due_date": [pd.Timestamp("2024-02-15"), pd.Timestamp("2024-03-15")],
            },
            "totals": (135.0, 35.0),
        },
    ),  # 100 + 30 + 5 read; 30 + 5 kept
    (
        "bad_amount.csv",
        {},
        {"rows": (3, 1), "warnings": {"bad_amount": 2}, "rows_at": {"bad_amount": [3, 4]}, "totals": (100.0, 100.0)},
    ),
    # empty customer (l.2), document (l.3), date (l.4), amount (l.5): only F5 kept;
    # read 100 + 20 + 30 + 5 = 155 (line 5 has no amount), kept 5
    (
        "missing_values.csv",
        {},
        {
            "rows": (5, 1),
            "warnings": {"missing_value": 4},
            "rows_at": {"missing_value": [2, 3, 4, 5]},
            "totals": (155.0, 5.0),
        },
    ),
    # ISO / yyyymmdd / dd.mm.yyyy / Excel serial 45352 (= 2024-03-01: 45292 is 2024-01-01, +31+29) / dd/mm/yy
    (
        "dates_variants.csv",
        {},
        {
            "rows": (3, 3),
            "values": {"document_date": [pd.Timestamp("2024-01-31")] * 3, "due_date": [pd.Timestamp("2024-03-01")] * 3},
        },
    ),
    (
        "empty_due_dates.csv",
        {},
        {
            "rows": (3, 3),
            "warnings": {"missing_due_date": 2},
            "rows_at": {"missing_due_date": [2, 3]},
            "values": {
                "due_date": [pd.Timestamp("2024-12-15"), pd.Timestamp("2024-12-16"), pd.Timestamp("2025-01-16")]
            },
        },
    ),
    ("due_before_document.csv", {}, {"rows": (1, 1), "warnings": {"due_before_document": 1}}),
    # terms: 15/12/2024 + 30 d = 14/01/2025; 31/12/2024 + 30 d = 30/01/2025
    (
        "missing_due_column.csv",
        {"terms_days": 30},
        {
            "rows": (2, 2),
            "info": {"due_date_from_terms": 1},
            "values": {"due_date": [pd.Timestamp("2025-01-14"), pd.Timestamp("2025-01-30")]},
        },
    ),
    # ---- amounts ------------------------------------------------------------------------
    ("amounts_space.csv", {}, {"values": {"amount": [1234.56, 12345678.90]}, "meta": {"decimal": ","}}),
    ("amounts_nbsp.csv", {}, {"values": {"amount": [1234.56]}}),
    ("amounts_narrow_nbsp.csv", {}, {"values": {"amount": [1234.56]}}),
    ("amounts_dot_thousands.csv", {}, {"values": {"amount": [1234.56, 1000.0]}}),
    ("amounts_us.csv", {}, {"values": {"amount": [1234.56, -10.5]}, "meta": {"decimal": ".", "delimiter": ","}}),
    ("amounts_parentheses.csv", {}, {"values": {"amount": [-1234.56], "document_type": ["credit_note"]}}),
    ("amounts_trailing_minus.csv", {}, {"values": {"amount": [-1234.56]}}),
    ("amounts_euro.csv", {}, {"values": {"amount": [1234.56, 12.0, 7.5]}}),
    # debit - credit: 1200 - 0, 0 - 200, 10 - 4 = 6; total 1006
    (
        "debit_credit.csv",
        {},
        {
            "rows": (3, 3),
            "values": {"amount": [1200.0, -200.0, 6.0], "document_type": ["invoice", "credit_note", "invoice"]},
            "totals": (1006.0, 1006.0),
        },
    ),
    # ---- labels -------------------------------------------------------------------------
    # Zorg x2 and XX x1 -> 2 warnings (one per label); empty label on -5 -> credit note by sign
    (
        "unknown_types.csv",
        {},
        {
            "rows": (5, 5),
            "warnings": {"unknown_type": 2},
            "info": {"type_from_sign": 1},
            "values": {"document_type": ["invoice", "other", "other", "other", "credit_note"]},
        },
    ),
    (
        "type_labels.csv",
        {},
        {
            "warnings": {},
            "values": {
                "document_type": [
                    "invoice",
                    "credit_note",
                    "payment",
                    "invoice",
                    "credit_note",
                    "payment",
                    "other",
                    "payment",
                ]
            },
        },
    ),
    (
        "no_type_column.csv",
        {},
        {"info": {"type_from_sign": 1}, "values": {"document_type": ["invoice", "credit_note", "invoice"]}},
    ),
    # Avoir +30 (warned, sign kept), Avoir -20, Règlement +50 (warned); total 30 - 20 + 50 = 60
    (
        "credit_note_positive.csv",
        {},
        {
            "warnings": {"credit_note_sign": 1, "payment_sign": 1},
            "rows_at": {"credit_note_sign": [2], "payment_sign": [4]},
            "values": {"amount": [30.0, -20.0, 50.0]},
            "totals": (60.0, 60.0),
        },
    ),
    (
        "booleans.csv",
        {},
        {
            "rows": (14, 14),
            "warnings": {"bad_boolean": 1},
            "rows_at": {"bad_boolean": [15]},
            "values": {
                "dispute": [True, False, True, False, True, False, True, True, False, True, False, True, False, False]
            },
        },
    ),
    # the empty currency on line 5 takes the default EUR
    (
        "multi_currency.csv",
        {},
        {
            "info": {"currencies": 1},
            "values": {
                "currency": ["EUR", "USD", "GBP", "EUR"],
                "amount_currency": [100.0, 100.0, 100.0, float("nan")],
            },
        },
    ),
    ("multi_currency.csv", {"currency": "CHF"}, {"values": {"currency": ["EUR", "USD", "GBP", "CHF"]}}),
    # "Montant TTC" 100 (gross, left) and "Solde" 90 (open): the canonical amount is the
    # open amount, so 90 wherever the column stands; the gross 100 kept as amount_gross
    (
        "ambiguous_columns.csv",
        {},
        {
            "info": {"open_amount": 1},
            "values": {"amount": [90.0], "amount_gross": [100.0]},
            "meta": {"ignored_columns": []},
            "totals": (90.0, 90.0),
        },
    ),
    # "Open amount" left of "Amount": 60 and 0 open (F2 fully paid), gross 100 and 50
    (
        "open_and_gross_amounts.csv",
        {},
        {
            "rows": (2, 2),
            "info": {"open_amount": 1},
            "values": {"amount": [60.0, 0.0], "amount_gross": [100.0, 50.0]},
            "totals": (60.0, 60.0),
        },
    ),
    # "Montant TTC" 120 and "Montant" 100, no open-amount header: really ambiguous, leftmost
    (
        "two_gross_amounts.csv",
        {},
        {"warnings": {"ambiguous_column": 1}, "values": {"amount": [120.0]}, "meta": {"ignored_columns": ["Montant"]}},
    ),
    (
        "english_headers.csv",
        {},
        {
            "rows": (1, 1),
            "values": {
                "entity": ["US01"],
                "customer_name": ["Acme Inc"],
                "amount": [1500.0],
                "currency": ["USD"],
                "dispute": [True],
                "factored": [False],
                "collector": ["Bob"],
                "segment": ["Export"],
            },
        },
    ),
    ("canonical_headers.csv", {}, {"warnings": {"credit_note_sign": 1}, "values": {"document_type": ["credit_note"]}}),
    (
        "custom_headers.csv",
        {
            "mapping": {
                "customer_id": "Cust",
                "document_id": "Doc",
                "document_date": "Posted",
                "due_date": "Pay by",
                "amount": "Value",
            }
        },
        {"rows": (1, 1), "values": {"amount": [10.0], "due_date": [pd.Timestamp("2025-01-14")]}},
    ),
    # ---- duplicates ---------------------------------------------------------------------
    # line 3 repeats line 2: dropped; read 100 + 100 + 10 = 210, kept 110
    (
        "dup_identical.csv",
        {},
        {
            "rows": (3, 2),
            "warnings": {"duplicate_row": 1},
            "rows_at": {"duplicate_row": [3]},
            "values": {"document_id": ["F1", "F2"]},
            "totals": (210.0, 110.0),
        },
    ),
    (
        "dup_instalments.csv",
        {},
        {"rows": (3, 3), "warnings": {}, "info": {"instalments": 1}, "values": {"document_id": ["F1", "F1/2", "F1/3"]}},
    ),
    # F1: invoice 100 (line 2), payment -40 on F1's number (line 3); F2: credit note -30
    # (line 4) before its invoice 80 (line 5): two partial settlements, one warning each,
    # named at the group's first line.  Invoices keep their number, credits get /2;
    # match_code = the invoice's number on both rows.  Nothing dropped:
    # 100 - 40 - 30 + 80 + 10 = 120 read and kept (open: F1 60, F2 50, F3 10)
    (
        "dup_partial_payment.csv",
        {},
        {
            "rows": (5, 5),
            "warnings": {"partial_settlement": 2},
            "info": {"instalments": 0},
            "rows_at": {"partial_settlement": [2, 4]},
            "values": {
                "document_id": ["F1", "F1/2", "F2/2", "F2", "F3"],
                "document_type": ["invoice", "payment", "credit_note", "invoice", "invoice"],
                "amount": [100.0, -40.0, -30.0, 80.0, 10.0],
                "match_code": ["F1", "F1", "F2", "F2", None],
            },
            "totals": (120.0, 120.0),
        },
    ),
    # an invoice and an "other" item on one number: not the same type, so not instalments
    (
        "dup_two_types.csv",
        {},
        {"warnings": {"duplicate_id": 1}, "values": {"document_id": ["F1", "F1/2"], "match_code": [None, None]}},
    ),
    (
        "dup_conflict.csv",
        {},
        {
            "rows": (2, 2),
            "warnings": {"duplicate_id": 1},
            "values": {"document_id": ["F1", "F1/2"], "amount": [100.0, 80.0]},
        },
    ),
    (
        "dup_other_entity.csv",
        {},
        {"rows": (2, 2), "warnings": {}, "values": {"document_id": ["F1", "F1"], "entity": ["FR01", "BE01"]}},
    ),
    # ---- Excel --------------------------------------------------------------------------
    # title on row 1, header on row 3, data rows 4, 5, 7 (row 6 empty); numeric ids as text
    (
        "xlsx_header_row3.xlsx",
        {},
        {
            "rows": (3, 3),
            "warnings": {"missing_due_date": 1},
            "meta": {"header_line": 3, "sheet": "Balance"},
            "values": {
                "source_row": [4, 5, 7],
                "customer_id": ["1001", "1002", "00103"],
                "amount": [1234.56, -50.0, 10.1],
            },
            "totals": (1194.66, 1194.66),
        },
    ),  # 1234.56 - 50 + 10.10
    # serial 45322 = 2024-01-01 (45292) + 30 d = 2024-01-31; 45352 = 2024-03-01
    (
        "xlsx_serial_dates.xlsx",
        {},
        {
            "rows": (2, 2),
            "values": {
                "document_date": [pd.Timestamp("2024-01-31")] * 2,
                "due_date": [pd.Timestamp("2024-03-01")] * 2,
                "amount": [1234.56, 12.0],
            },
        },
    ),
    (
        "xlsx_two_sheets.xlsx",
        {},
        {
            "rows": (2, 2),
            "meta": {"sheet": "Données"},
            "values": {"dispute": [True, True], "document_type": ["invoice", "credit_note"]},
        },
    ),
    ("xlsx_two_sheets.xlsx", {"sheet": 1}, {"rows": (2, 2), "meta": {"sheet": "Données"}}),
    # FR10 (1 row) and EX30 (2 rows) both hold data: no guess, the user chooses
    ("xlsx_sheet_per_entity.xlsx", {}, {"error": ("several_sheets", None)}),
    ("xlsx_sheet_per_entity.xlsx", {"sheet": "EX30"}, {"rows": (2, 2), "values": {"document_id": ["E1", "E2"]}}),
    ("xlsx_sheet_per_entity.xlsx", {"sheet": 0}, {"rows": (1, 1), "values": {"customer_id": ["C1"]}}),
    ("xlsx_two_sheets.xlsx", {"sheet": "données"}, {"rows": (2, 2), "meta": {"sheet": "Données"}}),
]


def _path(name: str) -> Path:
    return GOOD / name if (GOOD / name).exists() else BROKEN / name


def _check(items: pd.DataFrame, report, expect: dict) -> None:
    if "rows" in expect:
        assert (report.rows_read, report.rows_kept) == expect["rows"]
        assert len(items) == expect["rows"][1]
    assert report.warning_counts() == expect.get("warnings", {}), [str(p) for p in report.warnings]
    for code, n in expect.get("info", {}).items():
        assert sum(p.code == code for p in report.problems if p.level == "info") == n
    for code, rows in expect.get("rows_at", {}).items():
        assert sorted(p.row for p in report.problems if p.code == code) == rows
    for col, values in expect.get("values", {}).items():
        got = items[col].tolist()
        if items[col].dtype == "float64":
            assert got == pytest.approx(values, nan_ok=True)
        else:
            assert got == values
    if "totals" in expect:
        assert (report.total_read, report.total_kept) == pytest.approx(expect["totals"])
    for key, value in expect.get("meta", {}).items():
        got = getattr(report, key) if hasattr(report, key) else report.extra[key]
        assert got == value


@pytest.mark.parametrize(("name", "kwargs", "expect"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_corpus(name: str, kwargs: dict, expect: dict) -> None:
    path = _path(name)
    if "error" in expect:
        code, column = expect["error"]
        with pytest.raises(InputError) as err:
            exports.load_open_items(path, **kwargs)
        assert err.value.problem.code == code
        assert err.value.problem.file == str(path)
        if column is not None:
            assert err.value.problem.column == column
        assert "\n" not in str(err.value)  # one line
        report = exports.check_file(path, **kwargs)
        assert [p.code for p in report.errors] == [code]
        return
    items, report = exports.load_open_items(path, **kwargs)
    _check(items, report, expect)
    assert validate(items, "open_items") == []
    assert report.errors == []
    # every dropped row is explained by at least one warning naming it
    dropped = report.rows_read - report.rows_kept
    assert dropped == 0 or dropped <= len({p.row for p in report.warnings if p.row is not None})


def test_corpus_size() -> None:
    assert len(list(BROKEN.iterdir())) >= 40


def test_demo_layout() -> None:
    """The bundled demo format: every column recognised, values parsed by hand."""
    items, report = exports.load_open_items(GOOD / "demo_like.csv")
    assert set(report.columns) == {
        "entity",
        "customer_id",
        "customer_name",
        "document_id",
        "document_type",
        "document_date",
        "due_date",
        "amount",
        "currency",
        "amount_currency",
        "dispute",
        "dispute_code",
        "collector",
        "segment",
        "factored",
    }
    assert report.ignored_columns == []
    assert report.encoding == "utf-8-sig"
    assert items["customer_id"].tolist() == ["00123", "00123", "00123", "00456", "00789"]
    assert items["document_type"].tolist() == ["invoice", "credit_note", "payment", "invoice", "other"]
    assert items["factored"].tolist() == [True, False, False, False, False]
    assert items["dispute_code"].tolist() == [None, None, None, "PRIX", None]
    # 1200 - 200 - 500 + 3450.75 + 99.99 = 4050.74; debits 4750.74, credits -700
    assert (report.total_kept, report.debit_kept, report.credit_kept) == pytest.approx((4050.74, 4750.74, -700.0))
    assert report.warnings == []


def test_demo_layout_xlsx_matches_csv() -> None:
    csv_items, _ = exports.load_open_items(GOOD / "demo_like.csv")
    xl_items, report = exports.load_open_items(GOOD / "demo_like.xlsx")
    cols = [
        "entity",
        "customer_id",
        "document_id",
        "document_type",
        "document_date",
        "due_date",
        "amount",
        "dispute",
        "factored",
        "source_row",
    ]
    pd.testing.assert_frame_equal(xl_items[cols], csv_items[cols].iloc[:2])
    assert report.sheet == "Balance"


@pytest.mark.parametrize(
    ("table", "name", "rows", "column", "values"),
    [
        ("payments", "payments.csv", (2, 2), "amount", [1000.0, 250.5]),
        ("payments", "payments.csv", (2, 2), "document_id", ["F2024-001", None]),
        # "Carrier pigeon" is no dunning action: line 5 dropped
        ("dunning", "dunning.csv", (4, 3), "action", ["reminder_1", "formal_notice", "call"]),
    ],
)
def test_other_tables(table: str, name: str, rows: tuple, column: str, values: list) -> None:
    items, report = exports.load_table(GOOD / name, table)
    assert (report.rows_read, report.rows_kept) == rows
    assert items[column].tolist() == values
    assert validate(items, table) == []


def test_read_raw_keeps_text_and_lines() -> None:
    raw, meta = io_raw.read_raw(BROKEN / "title_header_line4.csv")
    assert list(raw.columns) == ["N° client", "N° pièce", "Date pièce", "Date échéance", "Montant TTC"]
    assert raw.index.tolist() == [5, 6]
    assert raw["Montant TTC"].tolist() == ["100,00", "200,00"]  # text, untouched
    assert (meta["header_line"], meta["delimiter"], meta["encoding"]) == (4, ";", "utf-8")


def test_read_raw_excel_keeps_numbers_and_dates() -> None:
    raw, meta = io_raw.read_raw(BROKEN / "xlsx_header_row3.xlsx")
    assert raw.index.tolist() == [4, 5, 7]
    assert raw["Montant TTC"].tolist()[:2] == [1234.56, -50]
    assert pd.Timestamp(raw["Date pièce"].iloc[0]) == pd.Timestamp("2024-12-15")
    assert (meta["sheet"], meta["blank_rows"], meta["header_line"]) == ("Balance", 1, 3)


def test_header_row_argument() -> None:
    raw, meta = io_raw.read_raw(BROKEN / "title_header_line4.csv", header_row=4)
    assert meta["header_line"] == 4 and raw.index.tolist() == [5, 6]


@pytest.mark.parametrize(
    ("headers", "mapping", "expected"),
    [
        (["N° client", "Raison sociale"], None, {"customer_id": "N° client", "customer_name": "Raison sociale"}),
        (["CODE CLIENT", "nom client"], None, {"customer_id": "CODE CLIENT", "customer_name": "nom client"}),
        (["Montant (EUR)", "Échéance"], None, {"amount": "Montant (EUR)", "due_date": "Échéance"}),
        (["customer_id", "due_date"], None, {"customer_id": "customer_id", "due_date": "due_date"}),
        (["Débit", "Crédit"], None, {"debit": "Débit", "credit": "Crédit"}),
        # the user mapping wins over the preset
        (["Compte", "Tiers"], {"customer_id": "Tiers"}, {"customer_id": "Tiers"}),
    ],
)
def test_map_columns(headers: list, mapping: dict | None, expected: dict) -> None:
    cols, _, _ = exports.map_columns(headers, "open_items", mapping)
    assert cols == expected


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("N° client", "customer_id"),
        ("Code client", "customer_id"),
        ("Compte", "customer_id"),
        ("Customer ID", "customer_id"),
        ("Client", "customer_name"),
        ("Raison sociale", "customer_name"),
        ("Nom client", "customer_name"),
        ("Customer name", "customer_name"),
        ("N° pièce", "document_id"),
        ("N° facture", "document_id"),
        ("Pièce", "document_id"),
        ("Invoice number", "document_id"),
        ("Type", "document_type"),
        ("Type pièce", "document_type"),
        ("Date pièce", "document_date"),
        ("Date facture", "document_date"),
        ("Document date", "document_date"),
        ("Date échéance", "due_date"),
        ("Échéance", "due_date"),
        ("Due date", "due_date"),
        ("Montant TTC", "amount"),
        ("Solde", "amount"),
        ("Montant", "amount"),
        ("Reste à payer", "amount"),
        ("Amount", "amount"),
        ("Open amount", "amount"),
        ("Balance", "amount"),
        ("Débit", "debit"),
        ("Crédit", "credit"),
        ("Devise", "currency"),
        ("Currency", "currency"),
        ("Montant devise", "amount_currency"),
        ("Société", "entity"),
        ("Entité", "entity"),
        ("Entity", "entity"),
        ("Company code", "entity"),
        ("Litige", "dispute"),
        ("Disputed", "dispute"),
        ("Code litige", "dispute_code"),
        ("Motif litige", "dispute_code"),
        ("Recouvreur", "collector"),
        ("Gestionnaire", "collector"),
        ("Collector", "collector"),
        ("Réseau", "segment"),
        ("Segment", "segment"),
        ("Affacturé", "factored"),
        ("Factored", "factored"),
        ("Date lettrage", "cleared_date"),
        ("Lettrage", "match_code"),
    ],
)
def test_presets_cover_the_brief(header: str, canonical: str) -> None:
    assert exports.map_columns([header], "open_items")[0] == {canonical: header}


def test_open_amount_headers_are_the_first_amount_synonyms() -> None:
    # one list built from the other: the open-amount headers lead the amount synonyms and
    # every one of them maps to amount
    opening = presets.HEADER_PRESETS["amount"][: len(presets.AMOUNT_OPEN_HEADERS)]
    assert opening == list(presets.AMOUNT_OPEN_HEADERS)
    assert "Montant TTC" in presets.HEADER_PRESETS["amount"] and "Montant TTC" not in presets.AMOUNT_OPEN_HEADERS
    for header in presets.AMOUNT_OPEN_HEADERS:
        assert exports.map_columns([header], "open_items")[0] == {"amount": header}


def test_mapping_to_absent_column_is_reported() -> None:
    report = exports.check_file(BROKEN / "utf8_bom.csv", mapping={"collector": "Recouvreur"})
    assert report.warning_counts() == {"mapping_not_found": 1}


def test_many_bad_rows_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "MAX_DETAILED_PROBLEMS", 3)
    lines = ["N° client;N° pièce;Date pièce;Date échéance;Montant TTC"]
    lines += [f"C1;F{i};99/99/2024;14/01/2025;1,00" for i in range(10)] + ["C1;OK;15/12/2024;14/01/2025;2,00"]
    p = tmp_path / "many.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _items, report = exports.load_open_items(p)
    bad = [q for q in report.problems if q.code == "bad_date"]
    # 10 bad rows: 3 listed + 1 summary "7 more"
    assert len(bad) == 4 and "7 more" in bad[-1].message
    assert (report.rows_read, report.rows_kept) == (11, 1)


def test_input_not_mutated_and_defaults(tmp_path: Path) -> None:
    items, report = exports.load_open_items(BROKEN / "utf8_bom.csv", defaults={"entity": "FR01"})
    assert items["entity"].tolist() == ["FR01"]
    assert report.summary()["rows_kept"] == 1


def test_sheet_messages_name_and_number_every_sheet() -> None:
    with pytest.raises(InputError) as err:
        exports.load_open_items(BROKEN / "xlsx_sheet_per_entity.xlsx")
    msg = err.value.problem.message
    assert "2 sheets hold data: 'FR10' (number 0), 'EX30' (number 1)" in msg and "--sheet" in msg
    with pytest.raises(InputError) as err:
        exports.load_open_items(BROKEN / "xlsx_two_sheets.xlsx", sheet=5)
    assert err.value.problem.message == (
        "no sheet number 5; the workbook has 2 sheets: 'Notes' (number 0), 'Données' (number 1)"
    )


def test_partial_settlement_message_names_rows_and_balance() -> None:
    _items, report = exports.load_open_items(BROKEN / "dup_partial_payment.csv")
    first = next(p for p in report.warnings if p.code == "partial_settlement")
    assert (first.row, first.column) == (2, "N° pièce")
    assert "rows 2, 3" in first.message
    assert "row 3 payment -40.00 as F1/2" in first.message
    assert "open balance 60.00" in first.message  # 100 - 40


def test_many_duplicate_groups_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """5 instalment groups and 4 partial settlements: 2 of each listed, the rest counted."""
    monkeypatch.setattr(exports, "MAX_DETAILED_PROBLEMS", 2)
    lines = ["N° client;N° pièce;Date pièce;Date échéance;Montant TTC;Type"]
    for i in range(5):
        lines += [f"C1;F{i};15/12/2024;14/01/2025;10,00;Facture", f"C1;F{i};15/12/2024;14/02/2025;10,00;Facture"]
    for i in range(4):
        lines += [f"C1;P{i};15/12/2024;14/01/2025;10,00;Facture", f"C1;P{i};20/12/2024;20/12/2024;-4,00;Règlement"]
    p = tmp_path / "groups.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items, report = exports.load_open_items(p)
    inst = [q for q in report.problems if q.code == "instalments"]
    part = [q for q in report.problems if q.code == "partial_settlement"]
    # 5 groups: 2 listed (lines 2 and 4) + "3 more"; 4 groups: 2 listed (lines 12, 14) + "2 more"
    assert [q.row for q in inst] == [2, 4, None] and "3 more" in inst[-1].message
    assert [q.row for q in part] == [12, 14, None] and "2 more" in part[-1].message
    assert items["document_id"].tolist()[:2] == ["F0", "F0/2"] and len(items) == 18
    assert items["match_code"].notna().sum() == 8  # both rows of the 4 settlements
