"""Issue 10 items 5 and 6: English camelCase headers, exports without a type column, a totals row.

Each file is written by hand below; lines are 1-based with the header on line 1.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cashmission.io import exports
from cashmission.io.presets import _keys

T = pd.Timestamp


def _write(tmp_path: Path, text: str, name: str = "items.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# The shape of the public late-payment data set: camelCase headers, US dates, no type column
LATE_PAYMENTS = (
    "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate\n"
    "391,0379-NEVHP,4/6/2013,611365,1/2/2013,2/1/2013,55.94,No,1/15/2013\n"
    "406,8976-AMJEO,3/3/2012,7900770,1/26/2013,2/25/2013,61.74,Yes,3/3/2013\n"
    "391,2820-XGXSB,1/26/2012,9231909,7/3/2013,8/2/2013,65.88,No,\n"
)


def test_english_camel_case_headers_need_no_mapping(tmp_path):
    items, report = exports.load_open_items(_write(tmp_path, LATE_PAYMENTS))
    assert report.columns == {
        "customer_id": "customerID",
        "document_id": "invoiceNumber",
        "document_date": "InvoiceDate",
        "due_date": "DueDate",
        "amount": "InvoiceAmount",
        "dispute": "Disputed",
        "cleared_date": "SettledDate",
    }
    # countryCode has no column in open_items: kept aside as an ignored column, not a failure
    assert report.ignored_columns == ["countryCode", "PaperlessDate"]
    assert items["customer_id"].tolist() == ["0379-NEVHP", "8976-AMJEO", "2820-XGXSB"]
    # month first (1/26, 2/25 have a day above 12): 2 January, 26 January, 3 July
    assert items["document_date"].tolist() == [T("2013-01-02"), T("2013-01-26"), T("2013-07-03")]
    assert items["cleared_date"].tolist()[:2] == [T("2013-01-15"), T("2013-03-03")]
    assert pd.isna(items["cleared_date"].iloc[2])  # still open
    assert items["dispute"].tolist() == [False, True, False]
    assert report.total_read == 183.56  # 55.94 + 61.74 + 65.88
    assert not report.warnings


@pytest.mark.parametrize(
    ("header", "key"),
    [("customerID", "customer id"), ("InvoiceDate", "invoice date"), ("MontantTTC", "montant ttc")],
)
def test_camel_case_is_split_into_words(header, key):
    assert key in _keys(header)


def test_snake_case_headers_match_the_english_preset(tmp_path):
    text = "customer_id;invoice_number;invoice_date;due_date;invoice_amount\nC1;F1;15/01/2024;14/02/2024;10,00\n"
    items, _ = exports.load_open_items(_write(tmp_path, text))
    assert items[["customer_id", "document_id", "amount"]].to_numpy().tolist() == [["C1", "F1", 10.0]]


def test_no_type_column_types_by_sign_and_says_so(tmp_path):
    # an ERP extract: document, dates, amount; the -200 is a credit
    text = (
        "Customer ID;Document;Date;Due date;Amount\n"
        "C1;F1;15/01/2024;14/02/2024;1000,00\n"
        "C1;A1;20/01/2024;20/01/2024;-200,00\n"
    )
    items, report = exports.load_open_items(_write(tmp_path, text))
    assert items["document_type"].tolist() == ["invoice", "credit_note"]
    info = next(p for p in report.problems if p.code == "type_from_sign")
    assert info.message == "no document type column: 2 rows typed by sign (amount >= 0 invoice, < 0 credit_note)"


ITEMS = (
    "N° client;Raison sociale;N° pièce;Date pièce;Date échéance;Montant TTC\n"
    "C1;Alpha;F1;15/12/2024;14/01/2025;1 000,00\n"
    "C2;Beta;F2;15/12/2024;14/01/2025;250,50\n"
    "C2;Beta;A1;16/12/2024;16/12/2024;-50,50\n"
)


@pytest.mark.parametrize("label", ["TOTAL", "Total", "Total général", "Grand total", "total :"])
def test_a_totals_row_is_the_control_total_not_an_item(tmp_path, label):
    # 1,000.00 + 250.50 - 50.50 = 1,200.00: the row's amount, it ties
    items, report = exports.load_open_items(_write(tmp_path, ITEMS + f";{label};;;;1 200,00\n"))
    assert items["document_id"].tolist() == ["F1", "F2", "A1"]
    assert (report.rows_read, report.rows_kept) == (3, 3)  # the totals row is not read as an item
    assert report.total_read == 1200.0 and report.debit_read == 1250.5  # not 2,400.00 / 2,450.50
    assert report.extra["control_total"] == {
        "row": 5,
        "label": label.strip(),
        "amount": 1200.0,
        "items": 1200.0,
        "gap": 0.0,
        "ties": True,
    }
    assert not report.warnings
    assert next(p for p in report.problems if p.code == "totals_row").row == 5


def test_a_totals_row_that_does_not_tie_is_a_warning_with_the_gap(tmp_path):
    # the file says 1,250.00; the items add up to 1,200.00: gap 1,200.00 - 1,250.00 = -50.00
    items, report = exports.load_open_items(_write(tmp_path, ITEMS + "TOTAL;;;;;1 250,00\n"))
    assert len(items) == 3 and report.total_read == 1200.0
    control = report.extra["control_total"]
    assert (control["amount"], control["items"], control["gap"], control["ties"]) == (1250.0, 1200.0, -50.0, False)
    warning = next(p for p in report.warnings if p.code == "totals_row_gap")
    assert warning.row == 5 and "the items add up to 1,200.00 (gap -50.00)" in warning.message


def test_a_customer_named_total_with_a_dated_item_stays_an_item(tmp_path):
    # a dated row whose amount is not the sum above is an item of a customer called "Total"
    items, report = exports.load_open_items(_write(tmp_path, ITEMS + "C9;Total;F9;17/12/2024;16/01/2025;80,00\n"))
    assert items["document_id"].tolist() == ["F1", "F2", "A1", "F9"]
    assert report.total_read == 1280.0 and "control_total" not in report.extra


def test_a_totals_row_in_a_debit_credit_export(tmp_path):
    text = (
        "N° client;N° pièce;Date pièce;Date échéance;Débit;Crédit\n"
        "C1;F1;15/12/2024;14/01/2025;300,00;\n"
        "C1;A1;16/12/2024;16/12/2024;;100,00\n"
        "Total;;;;300,00;100,00\n"
    )
    _, report = exports.load_open_items(_write(tmp_path, text))
    # 300.00 - 100.00 = 200.00 on both sides
    assert report.extra["control_total"]["amount"] == 200.0 and report.extra["control_total"]["ties"]
    assert report.rows_read == 2 and report.total_read == 200.0
