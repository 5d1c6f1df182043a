"""Write the loader test corpus: awkward and broken ERP exports, and a few good ones.

Run from the repository root: ``python tests/data/make_corpus.py``.  The output is
deterministic (fixed contents, fixed timestamps inside the .xlsx zips), so re-running
it leaves ``git status`` clean.  Expected outcomes live in
``tests/unit/io/test_exports.py``, next to the file names written here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"
GOOD = HERE / "good"

H = "N° client;N° pièce;Date pièce;Date échéance;Montant TTC"
"""The minimal header: the required open-items columns."""


def rows(*lines: str, header: str = H, end: str = "\n") -> str:
    return end.join([header, *lines]) + end


TEXT: dict[str, str | bytes] = {
    # --- structure ---------------------------------------------------------------------
    "empty.csv": b"",
    "header_only.csv": rows(),
    "blank_lines_only.csv": "\n\n   \n\n",
    "title_header_line4.csv": "Balance âgée au 31/12/2024\nSociété Exemple SAS\n\n"
    + rows("C1;F1;15/12/2024;14/01/2025;100,00", "C2;F2;20/12/2024;19/01/2025;200,00"),
    "trailing_empty_rows.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "C1;F2;16/12/2024;15/01/2025;50,00", ";;;;", "", ""
    ),
    "blank_rows_inside.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "", "  ;  ;;;", "C1;F2;16/12/2024;15/01/2025;50,00"
    ),
    "missing_required_column.csv": "N° client;N° pièce;Date echeance;Montant TTC\nC1;F1;14/01/2025;100,00\n",
    "missing_due_column.csv": "N° client;N° pièce;Date pièce;Montant TTC\n"
    "C1;F1;15/12/2024;100,00\nC1;F2;31/12/2024;40,00\n",
    "no_header.csv": "1;2;3\n4;5;6\n",
    # --- values ------------------------------------------------------------------------
    "bad_date.csv": rows("C1;F1;15/12/2024;14/01/2025;100,00", "C1;F2;2024-13-45;14/01/2025;70,00"),
    "feb31.csv": rows(
        "C1;F1;31/02/2024;14/03/2024;100,00", "C1;F2;15/02/2024;31/02/2024;30,00", "C1;F3;15/02/2024;15/03/2024;5,00"
    ),
    "bad_amount.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "C1;F2;15/12/2024;14/01/2025;12,3,4", "C1;F3;15/12/2024;14/01/2025;abc"
    ),
    "missing_values.csv": rows(
        ";F1;15/12/2024;14/01/2025;100,00",
        "C1;;15/12/2024;14/01/2025;20,00",
        "C1;F3;;14/01/2025;30,00",
        "C1;F4;15/12/2024;14/01/2025;",
        "C1;F5;15/12/2024;14/01/2025;5,00",
    ),
    "dates_variants.csv": rows(
        "C1;F1;2024-01-31;20240301;1,00", "C1;F2;31.01.2024;45352;2,00", "C1;F3;31/01/24;01-03-2024;3,00"
    ),
    "empty_due_dates.csv": rows(
        "C1;F1;15/12/2024;;100,00", "C1;F2;16/12/2024;;50,00", "C1;F3;17/12/2024;16/01/2025;25,00"
    ),
    "due_before_document.csv": rows("C1;F1;15/12/2024;01/12/2024;100,00"),
    # --- amounts -----------------------------------------------------------------------
    "amounts_space.csv": rows("C1;F1;15/12/2024;14/01/2025;1 234,56", "C1;F2;15/12/2024;14/01/2025;12 345 678,90"),
    "amounts_nbsp.csv": rows("C1;F1;15/12/2024;14/01/2025;1\u00a0234,56"),
    "amounts_narrow_nbsp.csv": rows("C1;F1;15/12/2024;14/01/2025;1\u202f234,56"),
    "amounts_dot_thousands.csv": rows("C1;F1;15/12/2024;14/01/2025;1.234,56", "C1;F2;15/12/2024;14/01/2025;1.000"),
    "amounts_us.csv": "Customer ID,Invoice number,Document date,Due date,Amount\n"
    'C1,F1,2024-12-15,2025-01-14,"1,234.56"\nC1,F2,2024-12-15,2025-01-14,-10.5\n',
    "amounts_parentheses.csv": rows("C1;A1;15/12/2024;15/12/2024;(1 234,56)"),
    "amounts_trailing_minus.csv": rows("C1;A1;15/12/2024;15/12/2024;1 234,56-"),
    "amounts_euro.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;1 234,56 €",
        "C1;F2;15/12/2024;14/01/2025;€12,00",
        "C1;F3;15/12/2024;14/01/2025;7,50 EUR",
    ),
    "debit_credit.csv": "N° client;N° pièce;Date pièce;Date échéance;Débit;Crédit\n"
    "C1;F1;15/12/2024;14/01/2025;1 200,00;\nC1;A1;20/12/2024;20/12/2024;;200,00\n"
    "C1;X1;21/12/2024;21/12/2024;10,00;4,00\n",
    # --- encodings, line ends, delimiters ---------------------------------------------
    "cp1252.csv": rows("C1;F1;15/12/2024;14/01/2025;100,00", header=H + ";Raison sociale")
    .replace("100,00", "100,00;Société Générale d'Électricité")
    .encode("cp1252"),
    "utf8_bom.csv": "\ufeff" + rows("C1;F1;15/12/2024;14/01/2025;100,00"),
    "utf16_tab.txt": (
        "\ufeff" + rows("C1\tF1\t15/12/2024\t14/01/2025\t100,00", header=H.replace(";", "\t"), end="\r\n")
    ).encode("utf-16-le"),
    "crlf.csv": rows("C1;F1;15/12/2024;14/01/2025;1,00", "C1;F2;15/12/2024;14/01/2025;2,00", end="\r\n"),
    "crcrlf.csv": rows("C1;F1;15/12/2024;14/01/2025;1,00", "C1;F2;15/12/2024;14/01/2025;2,00", end="\r\r\n"),
    "cr_only.csv": rows("C1;F1;15/12/2024;14/01/2025;1,00", "C1;F2;15/12/2024;14/01/2025;2,00", end="\r"),
    "tab.tsv": rows("C1\tF1\t15/12/2024\t14/01/2025\t1,00", header=H.replace(";", "\t")),
    "pipe.txt": rows("C1|F1|15/12/2024|14/01/2025|1,00", header=H.replace(";", "|")),
    "ragged_rows.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00",
        "C1;F2;Dupont; Fils;15/12/2024;14/01/2025;7,00",
        "C1;F3;15/12/2024;14/01/2025;5,00",
    ),
    "quoted_separators.csv": rows('C1;F1;15/12/2024;14/01/2025;100,00;"Dupont; Fils"', header=H + ";Raison sociale"),
    "quoted_newline.csv": rows(
        'C1;F1;15/12/2024;14/01/2025;1,00;"Dupont\nFils"',
        "C2;F2;15/12/2024;14/01/2025;2,00;Martin",
        header=H + ";Raison sociale",
    ),
    "unbalanced_quote.csv": rows(
        'C1;F1;15/12/2024;14/01/2025;1,00;"Dupont',
        "C2;F2;15/12/2024;14/01/2025;2,00;Martin",
        header=H + ";Raison sociale",
    ),
    # --- labels ------------------------------------------------------------------------
    "unknown_types.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;1,00;Facture",
        "C1;F2;15/12/2024;14/01/2025;2,00;Zorg",
        "C1;F3;15/12/2024;14/01/2025;3,00;Zorg",
        "C1;F4;15/12/2024;14/01/2025;4,00;XX",
        "C1;F5;15/12/2024;14/01/2025;-5,00;",
        header=H + ";Type",
    ),
    "type_labels.csv": rows(
        "C1;D1;01/12/2024;01/12/2024;1,00;FA",
        "C1;D2;01/12/2024;01/12/2024;-1,00;AV",
        "C1;D3;01/12/2024;01/12/2024;-1,00;RG",
        "C1;D4;01/12/2024;01/12/2024;1,00;INV",
        "C1;D5;01/12/2024;01/12/2024;-1,00;Credit note",
        "C1;D6;01/12/2024;01/12/2024;-1,00;Encaissement",
        "C1;D7;01/12/2024;01/12/2024;1,00;Autre",
        "C1;D8;01/12/2024;01/12/2024;-1,00;règlement",
        header=H + ";Type pièce",
    ),
    "no_type_column.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "C1;A1;15/12/2024;15/12/2024;-30,00", "C1;Z1;15/12/2024;15/12/2024;0,00"
    ),
    "credit_note_positive.csv": rows(
        "C1;A1;15/12/2024;15/12/2024;30,00;Avoir",
        "C1;A2;15/12/2024;15/12/2024;-20,00;Avoir",
        "C1;R1;15/12/2024;15/12/2024;50,00;Règlement",
        header=H + ";Type",
    ),
    "booleans.csv": rows(
        *[
            f"C1;F{i};15/12/2024;14/01/2025;1,00;{v}"
            for i, v in enumerate(
                ["Oui", "Non", "O", "N", "Yes", "No", "Y", "1", "0", "True", "False", "X", "", "peut-être"], start=1
            )
        ],
        header=H + ";Litige",
    ),
    "multi_currency.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00;EUR;100,00",
        "C2;F2;15/12/2024;14/01/2025;92,00;USD;100,00",
        "C3;F3;15/12/2024;14/01/2025;115,00;GBP;100,00",
        "C4;F4;15/12/2024;14/01/2025;50,00;;",
        header=H + ";Devise;Montant devise",
    ),
    "ambiguous_columns.csv": rows("C1;F1;15/12/2024;14/01/2025;100,00;90,00", header=H + ";Solde"),
    # the open amount ("Open amount", left of the gross "Amount") is the amount; the gross kept aside
    "open_and_gross_amounts.csv": "Customer ID;Invoice number;Document date;Due date;Open amount;Amount\n"
    "C1;F1;2024-12-15;2025-01-14;60,00;100,00\nC1;F2;2024-12-16;2025-01-15;0,00;50,00\n",
    # two gross amount headers and no open one: genuinely ambiguous
    "two_gross_amounts.csv": rows("C1;F1;15/12/2024;14/01/2025;120,00;100,00", header=H + ";Montant"),
    "english_headers.csv": "Company code;Customer ID;Customer name;Invoice number;Document date;Due date;Open amount;"
    "Currency;Disputed;Collector;Segment;Factored\n"
    "US01;C9;Acme Inc;INV-1;2024-12-15;2025-01-14;1500,00;USD;Y;Bob;Export;N\n",
    "canonical_headers.csv": "customer_id;document_id;document_date;due_date;amount;document_type\n"
    "C1;F1;2024-12-15;2025-01-14;10,00;credit_note\n",
    "custom_headers.csv": "Cust;Doc;Posted;Pay by;Value\nC1;F1;15/12/2024;14/01/2025;10,00\n",
    "duplicate_header_names.csv": rows("C1;F1;15/12/2024;14/01/2025;100,00;X", header=H + ";Notes;Notes").replace(
        ";X\n", ";X;Y\n"
    ),
    # --- duplicates --------------------------------------------------------------------
    "dup_identical.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "C1;F1;15/12/2024;14/01/2025;100,00", "C1;F2;15/12/2024;14/01/2025;10,00"
    ),
    "dup_instalments.csv": rows(
        "C1;F1;15/12/2024;14/01/2025;100,00", "C1;F1;15/12/2024;14/02/2025;100,00", "C1;F1;15/12/2024;14/03/2025;100,00"
    ),
    # F1: invoice 100, then a payment of 40 on F1's number; F2: a credit note of 30
    # listed before its invoice of 80; F3 alone
    "dup_partial_payment.csv": rows(
        "C1;F1;15/11/2024;15/12/2024;100,00;Facture",
        "C1;F1;10/12/2024;10/12/2024;-40,00;Règlement",
        "C1;F2;20/12/2024;20/12/2024;-30,00;Avoir",
        "C1;F2;01/12/2024;31/12/2024;80,00;Facture",
        "C1;F3;01/12/2024;31/12/2024;10,00;Facture",
        header=H + ";Type",
    ),
    # two types on the same side (an invoice and an "other" item, different due dates)
    "dup_two_types.csv": rows(
        "C1;F1;15/11/2024;15/12/2024;100,00;Facture", "C1;F1;15/11/2024;15/01/2025;5,00;Autre", header=H + ";Type"
    ),
    "dup_conflict.csv": rows("C1;F1;15/12/2024;14/01/2025;100,00", "C1;F1;15/12/2024;14/01/2025;80,00"),
    "dup_other_entity.csv": rows(
        "FR01;C1;F1;15/12/2024;14/01/2025;100,00", "BE01;C1;F1;15/12/2024;14/01/2025;80,00", header="Société;" + H
    ),
    # --- not text at all ---------------------------------------------------------------
    "garbage.csv": bytes((i * 7919 + 13) % 256 for i in range(2048)),
    "zip_as_csv.csv": b"PK\x03\x04" + bytes(60),
    "report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "data.json": b'{"customer_id": "C1"}\n',
}

GOOD_TEXT: dict[str, str | bytes] = {
    "demo_like.csv": "\ufeff"
    + rows(
        "FR01;00123;Dupont SA;F2024-001;Facture;15/11/2024;15/01/2025;1 200,00;EUR;1 200,00;Non;;Alice;GMS;Oui",
        "FR01;00123;Dupont SA;A2024-001;Avoir;20/11/2024;20/11/2024;-200,00;EUR;-200,00;Non;;Alice;GMS;Non",
        "FR01;00123;Dupont SA;RG-77;Règlement;30/11/2024;30/11/2024;-500,00;EUR;-500,00;Non;;Alice;GMS;Non",
        "FR01;00456;Martin & Fils;F2024-002;Facture;01/12/2024;31/12/2024;3 450,75;USD;3 800,00;Oui;PRIX;Bob;Export;Non",
        "BE01;00789;Brugge NV;F2024-003;Autre;10/12/2024;09/01/2025;99,99;EUR;99,99;Non;;Bob;Export;Non",
        header="Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC;Devise;"
        "Montant devise;Litige;Code litige;Recouvreur;Réseau;Affacturé",
        end="\r\n",
    ),
    "payments.csv": "N° client;N° règlement;Date règlement;Montant;Mode de règlement;N° pièce\n"
    "00123;VIR-1;05/01/2025;1 000,00;Virement;F2024-001\n00456;CHQ-9;06/01/2025;250,50;Chèque;\n",
    "dunning.csv": "N° client;N° pièce;Date relance;Action;Canal\n"
    "00123;F2024-001;20/01/2025;Relance 1;email\n00123;;27/01/2025;Mise en demeure;LRAR\n"
    "00456;;28/01/2025;Appel;téléphone\n00456;;29/01/2025;Carrier pigeon;air\n",
}


def _fixed_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry timestamps, so the bytes are reproducible."""
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            z.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def _book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    stamp = dt.datetime(2024, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "cashmission tests"
    return wb


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    wb.properties.modified = dt.datetime(2024, 1, 1)
    wb.save(path)
    _fixed_zip(path)


HEAD = ["N° client", "N° pièce", "Date pièce", "Date échéance", "Montant TTC"]


def write_excel(folder: Path, good: Path) -> list[Path]:
    out = []
    # Sheet "Balance" with a header on row 3 under a title, dates as real dates,
    # amounts and customer ids as numbers.
    wb = _book()
    ws = wb.active
    ws.title = "Balance"
    ws["A1"] = "Balance âgée au 31/12/2024"
    for c, h in enumerate(HEAD, 1):
        ws.cell(row=3, column=c, value=h)
    ws.append([1001, "F1", dt.datetime(2024, 12, 15), dt.datetime(2025, 1, 14), 1234.56])
    ws.append([1002, "F2", dt.datetime(2024, 12, 16), dt.datetime(2025, 1, 15), -50])
    ws.append([])
    ws.append(["00103", "F3", dt.datetime(2024, 12, 17), None, 10.1])
    _save(wb, folder / "xlsx_header_row3.xlsx")
    out.append(folder / "xlsx_header_row3.xlsx")

    # Excel serial numbers stored as numbers in date columns (a formatting loss)
    wb = _book()
    ws = wb.active
    ws.title = "Export"
    ws.append(HEAD)
    ws.append(["C1", "F1", 45322, 45352, "1 234,56"])
    ws.append(["C1", "F2", "31/01/2024", 45352.0, 12])
    _save(wb, folder / "xlsx_serial_dates.xlsx")
    out.append(folder / "xlsx_serial_dates.xlsx")

    # No data at all
    wb = _book()
    wb.active.title = "Vide"
    _save(wb, folder / "xlsx_no_data.xlsx")
    out.append(folder / "xlsx_no_data.xlsx")

    # Header only
    wb = _book()
    wb.active.append(HEAD)
    _save(wb, folder / "xlsx_header_only.xlsx")
    out.append(folder / "xlsx_header_only.xlsx")

    # A notes sheet first, the data on the second sheet
    wb = _book()
    ws = wb.active
    ws.title = "Notes"
    ws["A1"] = "Extraction du 31/12/2024"
    ws["A2"] = "Source : ERP"
    ws2 = wb.create_sheet("Données")
    ws2.append([*HEAD, "Litige", "Type"])
    ws2.append(["C1", "F1", dt.datetime(2024, 12, 15), dt.datetime(2025, 1, 14), 100, True, "Facture"])
    ws2.append(["C1", "A1", dt.datetime(2024, 12, 20), dt.datetime(2024, 12, 20), -40, "X", "Avoir"])
    _save(wb, folder / "xlsx_two_sheets.xlsx")
    out.append(folder / "xlsx_two_sheets.xlsx")

    # One sheet per entity, each with a header and data: which one is meant?
    wb = _book()
    ws = wb.active
    ws.title = "FR10"
    ws.append(HEAD)
    ws.append(["C1", "F1", dt.datetime(2024, 12, 15), dt.datetime(2025, 1, 14), 100])
    ws2 = wb.create_sheet("EX30")
    ws2.append(HEAD)
    ws2.append(["C9", "E1", dt.datetime(2024, 12, 16), dt.datetime(2025, 1, 15), 200])
    ws2.append(["C9", "E2", dt.datetime(2024, 12, 17), dt.datetime(2025, 1, 16), 300])
    _save(wb, folder / "xlsx_sheet_per_entity.xlsx")
    out.append(folder / "xlsx_sheet_per_entity.xlsx")

    # Not a workbook at all, with an .xlsx extension
    (folder / "corrupt.xlsx").write_bytes(b"this is not a zip file\n" * 4)
    out.append(folder / "corrupt.xlsx")

    # Good: the demo layout as a workbook
    wb = _book()
    ws = wb.active
    ws.title = "Balance"
    ws.append(
        [
            "Société",
            "N° client",
            "Raison sociale",
            "N° pièce",
            "Type",
            "Date pièce",
            "Date échéance",
            "Montant TTC",
            "Devise",
            "Montant devise",
            "Litige",
            "Code litige",
            "Recouvreur",
            "Réseau",
            "Affacturé",
        ]
    )
    ws.append(
        [
            "FR01",
            "00123",
            "Dupont SA",
            "F2024-001",
            "Facture",
            dt.datetime(2024, 11, 15),
            dt.datetime(2025, 1, 15),
            1200,
            "EUR",
            1200,
            "Non",
            None,
            "Alice",
            "GMS",
            "Oui",
        ]
    )
    ws.append(
        [
            "FR01",
            "00123",
            "Dupont SA",
            "A2024-001",
            "Avoir",
            dt.datetime(2024, 11, 20),
            dt.datetime(2024, 11, 20),
            -200,
            "EUR",
            -200,
            "Non",
            None,
            "Alice",
            "GMS",
            "Non",
        ]
    )
    _save(wb, good / "demo_like.xlsx")
    out.append(good / "demo_like.xlsx")
    return out


def main() -> None:
    BROKEN.mkdir(parents=True, exist_ok=True)
    GOOD.mkdir(parents=True, exist_ok=True)
    for folder, files in ((BROKEN, TEXT), (GOOD, GOOD_TEXT)):
        for name, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / name).write_bytes(data)
    write_excel(BROKEN, GOOD)
    for folder in (BROKEN, GOOD):  # byte-exact: no line-end conversion by git
        (folder / ".gitattributes").write_text("* -text\n", encoding="utf-8")


if __name__ == "__main__":
    main()
