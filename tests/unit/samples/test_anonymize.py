"""cashmission anonymize: no original name, id, SIREN or reference survives; every figure is unchanged."""

from __future__ import annotations

import gzip
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.io.exports import load_open_items
from cashmission.io.fec import read_fec
from cashmission.samples.anonymize import anonymise, column_roles, luhn_ok, vat_key

OPEN_ITEMS = (
    "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC;Recouvreur\n"
    "FR10;C1001;Durand Frères SARL;FA2024-00123;Facture;01/01/2026;31/01/2026;1 234,50;Julie Martin\n"
    "FR10;C1001;Durand Frères SARL;AV2024-00007;Avoir;15/01/2026;15/01/2026;-200,00;Julie Martin\n"
    "FR10;C2002;Boulangerie Petit;FA2024-00150;Facture;01/02/2026;03/03/2026;99,99;Paul Roux\n"
)
CUSTOMERS = (
    "N° client;Raison sociale;SIREN;N° TVA;E-mail;Délai de paiement\n"
    "C1001;Durand Frères SARL;732829320;FR44732829320;compta@durand.fr;30\n"
    "C2002;Boulangerie Petit;552100554;FR72552100554;petit@boulangerie.fr;45\n"
)
PAYMENTS = (
    "N° client;N° règlement;Date règlement;Montant;Libellé\n"
    "C1001;REG-881;05/02/2026;1 034,50;VIR SEPA DURAND FRERES SARL FACT FA2024-00123 SIREN 732829320\n"
)
FEC_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n"
)
FEC_LINES = (
    "VT\tVentes\t1\t20260101\t411000\tClients\tC1001\tDurand Frères SARL\tFA2024-00123\t20260101\t"
    "Facture Durand Frères SARL\t1234,50\t0,00\tA\t20260205\t20260101\t\t\n"
    "VT\tVentes\t1\t20260101\t706000\tVentes\t\t\tFA2024-00123\t20260101\tFacture Durand Frères SARL\t"
    "0,00\t1234,50\t\t\t20260101\t\t\n"
    "VT\tVentes\t2\t20260201\t411PETIT\tBoulangerie Petit\t\t\tFA2024-00150\t20260201\tFacture Petit\t"
    "99,99\t0,00\t\t\t20260201\t\t\n"
    "VT\tVentes\t2\t20260201\t706000\tVentes\t\t\tFA2024-00150\t20260201\tFacture Petit\t"
    "0,00\t99,99\t\t\t20260201\t\t\n"
)
ORIGINALS = [
    "Durand Frères SARL",
    "DURAND FRERES",
    "Boulangerie Petit",
    "C1001",
    "C2002",
    "732829320",
    "552100554",
    "FA2024-00123",
    "FA2024-00150",
    "AV2024-00007",
    "REG-881",
    "PETIT",
    "Julie Martin",
    "durand.fr",
]


@pytest.fixture
def mission(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "open_items.csv").write_bytes(OPEN_ITEMS.encode("cp1252"))  # a Windows export
    (data / "customers.csv").write_text(CUSTOMERS, encoding="utf-8-sig")
    (data / "payments.csv.gz").write_bytes(gzip.compress(PAYMENTS.encode("utf-8")))
    (data / "732829320FEC20261231.txt").write_text(FEC_HEADER + FEC_LINES, encoding="utf-8")
    return data


def _all_text(folder) -> str:
    out = []
    for f in sorted(folder.iterdir()):
        raw = f.read_bytes()
        raw = gzip.decompress(raw) if f.suffix == ".gz" else raw
        out.append(f.name + "\n" + raw.decode("utf-8", errors="replace") + raw.decode("cp1252", errors="replace"))
    return "\n".join(out)


def test_no_original_survives_and_figures_are_unchanged(mission, tmp_path):
    out = tmp_path / "anon"
    anonymise([mission], out, secret="k")
    text = _all_text(out)
    for original in ORIGINALS:
        assert original.casefold() not in text.casefold(), original
    # the FEC keeps its name's shape with an aliased SIREN that passes the Luhn check
    (fec,) = [f for f in out.iterdir() if "FEC" in f.name]
    assert re.fullmatch(r"\d{9}FEC20261231\.txt", fec.name) and luhn_ok(fec.name[:9])
    # every figure unchanged: the same amounts, dates and control totals through the package's readers
    before, rb = load_open_items(mission / "open_items.csv")
    after, ra = load_open_items(out / "open_items.csv")
    assert (rb.rows_kept, rb.total_kept) == (ra.rows_kept, ra.total_kept) == (3, pytest.approx(1134.49))
    cols = ["amount", "document_date", "due_date", "document_type"]
    pd.testing.assert_frame_equal(before[cols], after[cols])
    lines_b, fb = read_fec(mission / "732829320FEC20261231.txt")
    lines_a, fa = read_fec(fec)
    # debits 1,234.50 + 99.99 = 1,334.49; credits the same, negative by the report's convention
    assert (fb.debit_kept, fb.credit_kept) == (fa.debit_kept, fa.credit_kept) == (1334.49, -1334.49)
    assert lines_b["CompteNum"].str[:3].tolist() == lines_a["CompteNum"].str[:3].tolist()  # classes kept


def test_the_same_customer_has_the_same_alias_in_every_file(mission, tmp_path):
    out = tmp_path / "anon"
    anonymise([mission], out, secret="k")
    items = pd.read_csv(out / "open_items.csv", sep=";", encoding="cp1252", dtype=str)
    customers = pd.read_csv(out / "customers.csv", sep=";", encoding="utf-8-sig", dtype=str)
    payments = pd.read_csv(out / "payments.csv.gz", sep=";", dtype=str)
    fec = pd.read_csv(next(out.glob("*FEC*")), sep="\t", dtype=str)
    c1001 = items.loc[0, "N° client"]
    name = items.loc[0, "Raison sociale"]
    assert items.loc[1, "N° client"] == c1001 and c1001 != items.loc[2, "N° client"]
    assert customers.loc[0, "N° client"] == payments.loc[0, "N° client"] == fec.loc[0, "CompAuxNum"] == c1001
    assert customers.loc[0, "Raison sociale"] == fec.loc[0, "CompAuxLib"] == name
    assert re.fullmatch(r"[A-Z]\d{4}", c1001)  # same shape as C1001
    # the label names the customer (upper case, as banks write) and the invoice by their aliases
    invoice = items.loc[0, "N° pièce"]
    assert invoice in payments.loc[0, "Libellé"] and fec.loc[0, "PieceRef"] == invoice
    # SIREN, VAT number and SIRET-like numbers stay valid-looking and tied together
    siren = customers.loc[0, "SIREN"]
    assert luhn_ok(siren) and customers.loc[0, "N° TVA"] == vat_key(siren)
    assert siren in payments.loc[0, "Libellé"]
    assert customers.loc[0, "E-mail"] is None or pd.isna(customers.loc[0, "E-mail"])  # contacts emptied
    # a customer account holding the name (411PETIT) keeps its class, its label becomes the alias name
    petit = fec.loc[fec["CompteNum"].str.startswith("411") & fec["CompAuxNum"].isna()].iloc[0]
    assert petit["CompteNum"].startswith("411") and petit["CompteLib"] == items.loc[2, "Raison sociale"]


def test_same_secret_same_aliases_other_secret_other_aliases(mission, tmp_path):
    anonymise([mission], tmp_path / "a", secret="k")
    anonymise([mission], tmp_path / "b", secret="k")
    anonymise([mission], tmp_path / "c", secret="other")
    read = lambda d: (tmp_path / d / "open_items.csv").read_bytes()  # noqa: E731
    assert read("a") == read("b") != read("c")


def test_column_roles_and_check_digits():
    # VAT key of SIREN 732829320: 732829320 mod 97 = 44; (12 + 3 × 44) mod 97 = 144 mod 97 = 47? No:
    # 732829320 = 97 × 7554941 + 43, so (12 + 3 × 43) mod 97 = 141 mod 97 = 44 -> FR44732829320
    assert vat_key("732829320") == "FR44732829320"
    assert column_roles(["CompAuxNum", "CompAuxLib", "PieceRef", "EcritureLib", "Debit"]) == {
        0: "id",
        1: "name",
        2: "ref",
        3: "text",
    }


def test_cli_prints_the_files_and_refuses_writing_over_its_sources(mission, tmp_path):
    r = CliRunner().invoke(main, ["anonymize", str(mission), str(tmp_path / "out"), "--secret", "k"])
    assert r.exit_code == 0, r.output
    assert "open_items.csv" in r.output and "cellules remplacées" in r.output
    r = CliRunner().invoke(main, ["anonymize", str(mission), str(mission)])
    assert r.exit_code != 0 and "OUT" in r.output
