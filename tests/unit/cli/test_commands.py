"""Command line: every command has --help, the README documents every command,
errors are one line."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from tests.conftest import ROOT

COMMANDS = sorted(main.commands)


def test_the_expected_commands_exist():
    assert {"demo", "run", "init", "check", "aging", "kpi", "sample", "data-model"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: main " + command in result.output or f"Usage: cashmission {command}" in result.output
    doc = main.commands[command].help or ""
    assert len(doc.strip()) > 20


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_every_command(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`cashmission {command}" in readme


def test_init_writes_a_mission_file_and_refuses_to_overwrite(tmp_path):
    r = CliRunner().invoke(main, ["init", str(tmp_path / "acme")])
    assert r.exit_code == 0 and (tmp_path / "acme" / "mission.yml").exists()
    r = CliRunner().invoke(main, ["init", str(tmp_path / "acme")])
    assert r.exit_code == 1 and "exists already" in r.output


def test_run_with_a_bad_mission_is_one_line(tmp_path):
    p = tmp_path / "mission.yml"
    p.write_text('client: "A"\nas_of: "2026-13-45x"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["run", str(p)])
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert r.output.count("\n") == 1 and "as_of must be an ISO date" in r.output


def test_aging_rejects_bad_buckets(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-01-31", "--buckets", "30,0"])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "--buckets: bucket edges must be strictly increasing" in r.output


def test_data_model_prints_every_table():
    r = CliRunner().invoke(main, ["data-model"])
    assert r.exit_code == 0
    for name in ("open_items", "customers", "payments", "disputes", "dunning", "working_capital"):
        assert f"## `{name}`" in r.output


CORPUS = sorted((ROOT / "tests" / "data").glob("*/*.*"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("command", [["check"], ["aging", "--as-of", "2025-01-31", "--terms", "30"], ["kpi"]])
def test_no_input_file_ever_gives_a_traceback(path, command):
    """Every file of the broken-file corpus: a result or one clear line, never a traceback."""
    r = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert r.exception is None or isinstance(r.exception, SystemExit), f"{path.name}: {r.exception!r}"
    assert r.exit_code in (0, 1), r.output
    if r.exit_code == 1 and command[0] != "check":
        assert r.output.startswith("Error: ") and r.output.count("\n") == 1, r.output


@pytest.mark.parametrize("command", ["demo", "run"])
def test_demo_and_run_offer_pdf(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0 and "--pdf / --no-pdf" in r.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert any(line.startswith(f"| `cashmission {command} ") and "--pdf" in line for line in readme.splitlines())


def test_run_pdf_without_chromium_fails_in_one_line_before_running(tmp_path, monkeypatch):
    monkeypatch.setenv("CASHMISSION_CHROMIUM", str(tmp_path / "no-browser"))
    (tmp_path / "items.csv").write_text("x\n", encoding="utf-8")
    p = tmp_path / "mission.yml"
    p.write_text('client: "A"\nas_of: "2026-03-31"\ndata:\n  open_items: items.csv\npdf: true\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["run", str(p)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.count("\n") == 1 and "apt-get install chromium" in r.output
    assert not (tmp_path / "reports").exists()  # failed before any notebook ran


def test_demo_without_chromium_skips_pdfs_with_one_line(tmp_path, monkeypatch):
    from cashmission.cli.app import want_pdf

    monkeypatch.setenv("CASHMISSION_CHROMIUM", str(tmp_path / "no-browser"))
    want, why = want_pdf("auto")
    assert want is False and why is not None
    assert "\n" not in why and why.startswith("PDF reports skipped") and "apt-get install chromium" in why
    assert want_pdf(False) == (False, None)


# ---------------------------------------------------------------------------- aging: total row and reconciliation
def _write_items(tmp_path, rows: str):
    p = tmp_path / "items.csv"
    header = "Société;N° client;Raison sociale;N° pièce;Type;Date pièce;Date échéance;Montant TTC\n"
    p.write_text(header + rows, encoding="utf-8")
    return p


TWO_ENTITIES = (
    # C1 exists in both entities, as two different customers
    "FR10;C1;Alpha SA;F1;Facture;01/01/2026;31/01/2026;100,00\n"
    "EX30;C1;Beta Ltd;F2;Facture;01/02/2026;03/03/2026;70,00\n"
    "FR10;C2;Gamma;A1;Avoir;15/02/2026;15/02/2026;-30,00\n"
)


def test_aging_csv_ends_with_a_total_row_and_ties_to_the_file(tmp_path):
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, ["aging", "--lang", "en", str(p), "--as-of", "2026-03-31", "--format", "csv"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("entity,customer_id,customer_name,")
    # one row per entity and customer: C1 is two customers; rows sorted by total
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["FR10", "C1", "Alpha SA"],
        ["EX30", "C1", "Beta Ltd"],
        ["FR10", "C2", "Gamma"],
        ["TOTAL", "", ""],
    ]
    total = dict(zip(lines[0].split(","), lines[-1].split(","), strict=True))
    # at 31/03: F1 59 days past due (31-60), F2 28 days (1-30); A1 a credit note
    assert float(total["d31_60"]) == 100.0 and float(total["d1_30"]) == 70.0
    assert float(total["credit_notes"]) == -30.0 and float(total["total"]) == 140.0  # 100 + 70 - 30
    assert "kept 3 (total 140.00) = aged at 2026-03-31 140.00 + not open at that date 0.00" in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("Some customer numbers exist in several entities")
    assert "tied." in r.stderr


def test_aging_at_a_past_date_of_an_extract_warns_it_cannot_tie(tmp_path):
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(p), "--as-of", "2026-01-31", "--by", "none", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    # F2 (70, 01/02) and A1 (-30, 15/02) are dated after 31/01: 40 not open; aged 100
    assert "(total 140.00) = aged at 2026-01-31 100.00 + not open at that date 40.00" in r.stderr
    assert "cannot tie to the balance sheet" in r.stderr and "latest document is dated 2026-02-15" in r.stderr


def test_aging_of_a_fec_says_where_the_due_dates_come_from():
    fec = ROOT / "tests" / "data" / "fec" / "tab_utf8bom_dot_999999999FEC20241231.txt"
    r = CliRunner().invoke(
        main, ["aging", "--lang", "en", str(fec), "--as-of", "2024-12-31", "--terms", "45", "--end-of-month"]
    )
    assert r.exit_code == 0, r.output
    assert (
        "A FEC has no due date (tab_utf8bom_dot_999999999FEC20241231.txt, entity 999999999): "
        "due dates derived: 45 days end of month from the document date." in r.output
    )


def test_csv_amounts_are_rounded_to_the_cent(tmp_path):
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point
    p = _write_items(
        tmp_path, "FR10;C1;A;F1;Facture;01/01/2026;31/01/2026;0,10\nFR10;C1;A;F2;Facture;01/01/2026;31/01/2026;0,20\n"
    )
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-01-31", "--by", "none", "--format", "csv"])
    assert r.stdout.splitlines()[1].split(",")[0] == "0.3"


@pytest.mark.parametrize(
    "args",
    [
        ["aging", "{items}", "--as-of", "2026-03-31", "--format", "csv", "-o", "{tmp}/no/such/folder/x.csv"],
        ["demo", "--out", "/proc/cashmission-cannot-write-here"],
    ],
)
def test_an_unwritable_output_path_is_one_line(tmp_path, args):
    items = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, [a.format(items=items, tmp=tmp_path) for a in args])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.startswith("Error: ") and r.output.count("\n") == 1, r.output


def test_input_errors_are_not_prefixed_twice(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("", encoding="utf-8")
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-03-31"])
    assert r.exit_code == 1 and r.output.startswith(f"Error: {p}: ") and "error: " not in r.output


# ---------------------------------------------------------------------------- kpi
DEMO_WC = ROOT / "tests" / "data" / "working_capital_round.xlsx"


@pytest.mark.parametrize(("days", "dso"), [("365", 63.25), ("360", 62.39)])
def test_kpi_json_gives_the_simple_dso_by_hand(days, dso):
    # The demo template, year 2025: receivables TTC 5,490,000 at 31/12; revenue HT
    # 26,400,000 + VAT collected 5,280,000 = 31,680,000 TTC.
    # 5,490,000 / 31,680,000 × 365 = 63.2528… ; × 360 = 62.3864…
    import json

    r = CliRunner().invoke(main, ["kpi", str(DEMO_WC), "--format", "json", "--days", days])
    assert r.exit_code == 0, r.output
    values = {row["kpi"]: row["value"] for row in json.loads(r.stdout)}
    assert values["receivables"] == 5_490_000 and values["revenue_ttc"] == 31_680_000
    assert values["dso_simple"] == dso


def test_kpi_table_has_a_header_and_each_kpi_with_its_formula():
    r = CliRunner().invoke(main, ["kpi", str(DEMO_WC), "--lang", "en"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Working-capital KPIs: working_capital_round.xlsx, 2025-12-31 (365-day year)"
    dso = next(line for line in lines if line.lstrip().startswith("DSO (simple method)"))
    assert dso.split()[-7:] == ["5,490,000", "/", "31,680,000", "×", "365.00", "=", "63.25"]


def test_aging_of_the_supplier_ledger_of_a_fec_ties_to_the_published_net_balance(shared):
    # ../shared/fec/README.md: the plain net balance of the supplier accounts of
    # 123456789FEC20500930 is 154,891 (before reclassifying suppliers in debit).
    fec = shared / "fec" / "123456789FEC20500930.txt"
    args = [
        "aging",
        "--lang",
        "en",
        str(fec),
        "--as-of",
        "2023-04-30",
        "--terms",
        "60",
        "--ledger",
        "suppliers",
        "--by",
        "none",
    ]
    r = CliRunner().invoke(main, [*args, "--format", "csv"])
    assert r.exit_code == 0, r.output
    header, row = r.stdout.strip().splitlines()
    total = float(dict(zip(header.split(","), row.split(","), strict=True))["total"])
    assert round(total) == 154_891
    assert "entity 123456789): due dates derived: 60 days from the document date." in r.stderr


def test_ledger_suppliers_needs_a_fec(tmp_path):
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-03-31", "--ledger", "suppliers"])
    assert r.exit_code == 1 and "--ledger suppliers needs a FEC" in r.output


def test_aging_of_a_fec_takes_each_customers_terms_from_the_customer_master(tmp_path):
    # Fixture FEC, customer C002 at 29/02/2024: opening invoice F2312-09 (600, dated
    # 20/12/2023) and invoice F2401-02 (1,800, dated 15/01/2024, partly lettered with a
    # cheque), plus payments (credits, not aged in buckets).
    # --terms 30:   F2312-09 due 19/01 -> 41 days late (31-60); F2401-02 due 14/02 -> 15 days (1-30).
    # master, 60 days end of month: F2312-09 due 31/12 + 60 = 29/02, F2401-02 due 31/01 + 60
    # = 31/03: both not yet due on 29/02.
    fec = ROOT / "tests" / "data" / "fec" / "tab_utf8bom_dot_999999999FEC20241231.txt"
    master = tmp_path / "clients.csv"
    master.write_text("N° client;Raison sociale;Délai de paiement;Fin de mois\nC002;Bêta Conserves;60;Oui\n", "utf-8")
    base = ["aging", "--lang", "en", str(fec), "--as-of", "2024-02-29", "--terms", "30", "--format", "csv"]

    def c002(extra: list[str]) -> dict[str, float]:
        r = CliRunner().invoke(main, [*base, *extra])
        assert r.exit_code == 0, r.output
        header, *rows = r.stdout.strip().splitlines()
        row = next(line for line in rows if line.startswith("C002,"))
        got = dict(zip(header.split(","), row.split(","), strict=True))
        return {k: float(got[k]) for k in ("not_due", "d1_30", "d31_60", "total")} | {"stderr": r.stderr}

    plain, with_master = c002([]), c002(["--customers", str(master)])
    assert plain["d31_60"] == 600.0 and plain["not_due"] == 0.0 and plain["d1_30"] > 0  # F2401-02 (open part)
    assert with_master["d31_60"] == 0.0 and with_master["d1_30"] == 0.0
    assert with_master["not_due"] == 600.0 + plain["d1_30"]  # both invoices moved to not yet due
    assert with_master["total"] == plain["total"]  # terms move amounts between buckets only
    assert "per party: C002 60 days end of month" in with_master["stderr"]


@pytest.mark.parametrize(("option", "payables"), [("reclassify", 9_795), ("net", 4_631)])
def test_kpi_of_a_fec_supplier_debit_convention(shared, option, payables):
    # 000000000FEC20231231: the published suppliers figure of the return (2033 line 166)
    # is 4,631 = the plain net balance of the supplier accounts; reclassifying the
    # suppliers in debit as assets gives 9,795 (../shared/fec/README.md, tests/unit/io/test_fec.py).
    import json

    fec = shared / "fec" / "000000000FEC20231231.txt"
    r = CliRunner().invoke(main, ["kpi", str(fec), "--supplier-debits", option, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {row["kpi"]: row for row in json.loads(r.stdout)}
    assert rows["dpo"]["formula"].startswith(f"{payables:,} / ")  # DPO = payables / purchases TTC × days
    assert round(rows["receivables"]["value"]) == 27_772  # published customers figure (line 068)


def test_negative_terms_are_refused(tmp_path):
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-03-31", "--terms", "-5"])
    assert r.exit_code == 1 and r.output == (
        "Error: --terms '-5' is not a payment term: give whole days from 0 to 365, e.g. 30\n"
    )


def test_the_supplier_ledger_is_labelled_as_suppliers(shared):
    fec = shared / "fec" / "123456789FEC20500930.txt"
    args = ["aging", str(fec), "--as-of", "2023-04-30", "--terms", "60", "--ledger", "suppliers"]
    fr = CliRunner().invoke(main, args).stdout.splitlines()[1]
    en = CliRunner().invoke(main, [*args, "--lang", "en", "--format", "csv"]).stdout.splitlines()[0]
    assert fr.split()[:3] == ["N°", "fournisseur", "Fournisseur"] and "client" not in fr.lower()
    assert en.startswith("supplier_id,supplier_name,")


def test_kpi_reads_monthly_figures_from_a_csv_and_says_how_formulas_are_written():
    # The demo's monthly.csv: canonical columns, one row a month (see data_samples/demo/README.md)
    r = CliRunner().invoke(main, ["kpi", str(ROOT / "data_samples" / "demo" / "monthly.csv")])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Indicateurs de BFR: monthly.csv, 2026-10-31 (année de 365 jours)"
    assert lines[1].strip().startswith("(formules et conventions en notation anglaise")


def test_gross_shows_a_matched_partial_payment_in_its_own_column(tmp_path):
    # F1 100 due 31/01, paid 40 on 20/02 with the same number: the loader matches them.
    # At 31/03 (59 days late): net 60 in 31-60; --gross: 100 in 31-60 and -40 unapplied.
    p = _write_items(
        tmp_path,
        "FR10;C1;Alpha;F1;Facture;01/01/2026;31/01/2026;100,00\nFR10;C1;Alpha;F1;Règlement;20/02/2026;20/02/2026;-40,00\n",
    )
    base = ["aging", str(p), "--as-of", "2026-03-31", "--by", "none", "--format", "csv"]

    def row(extra):
        r = CliRunner().invoke(main, [*base, *extra])
        assert r.exit_code == 0, r.output
        header, values = r.stdout.strip().splitlines()
        return {k: float(v) for k, v in zip(header.split(","), values.split(","), strict=True)}

    net, gross = row([]), row(["--gross"])
    assert (net["d31_60"], net["unapplied_cash"], net["total"]) == (60.0, 0.0, 60.0)
    assert (gross["d31_60"], gross["unapplied_cash"], gross["total"]) == (100.0, -40.0, 60.0)


def test_the_fecs_of_two_companies_are_aged_together_and_kept_apart(tmp_path):
    # Two hand-written FECs, one per company (SIREN in the file name):
    # - 888888888 (booking_lag), its 411 lines: F2312-50 500 (opening), F2401-10 1,200
    #   (booked 10/01, lettered A with VIR-1 -1,200 booked 15/02), F2401-11 600 (dated
    #   31/01 but booked 02/03).  Open at 31/01: 500 + 1,200 = 1,700 (VIR-1 and F2401-11
    #   are not in the books yet).
    # - 999999999 (tab_utf8bom_dot): aged alone first, its total is then added.
    data = ROOT / "tests" / "data" / "fec"
    lag, other = data / "booking_lag_888888888FEC20241231.txt", data / "tab_utf8bom_dot_999999999FEC20241231.txt"
    base = ["--as-of", "2024-01-31", "--terms", "30", "--by", "entity", "--format", "csv"]

    def totals(*files: object) -> dict[str, float]:
        r = CliRunner().invoke(main, ["aging", *map(str, files), *base])
        assert r.exit_code == 0, r.output
        header, *rows = r.stdout.strip().splitlines()
        col = header.split(",").index("total")
        return {row.split(",")[0]: float(row.split(",")[col]) for row in rows}

    alone = totals(other)
    both = totals(lag, other)
    assert both["888888888"] == 1_700.0
    assert both["999999999"] == alone["999999999"]
    assert both["TOTAL"] == 1_700.0 + alone["999999999"]


def test_two_files_of_the_same_entity_are_flagged(tmp_path):
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, ["aging", "--lang", "en", str(p), str(p), "--as-of", "2026-03-31", "--by", "none"])
    assert r.exit_code == 0, r.output
    assert "Warning: several files hold entity EX30, FR10" in r.output


# English words the French kpi output printed in its formulas and conventions (issue 10, item 10)
ENGLISH_IN_KPI = [
    "trailing", "months", "year", "revenue", "receivables", "payables", "purchases", "walked", "countback",
    "share of", "past due", "opening", "as a fraction", "added back", "cash worth", "days of", "sum of",
    "calendar", "counted", "needs", "missing", "left empty", "VAT", "not yet due", "trade", " at ", " and ", "n/a",
]  # fmt: skip


@pytest.mark.parametrize("source", ["demo/working_capital.xlsx", "demo/monthly.csv", "fec"])
def test_kpi_in_french_writes_formulas_and_conventions_in_french(source, shared):
    path = shared / "fec" / "123456789FEC20500930.txt" if source == "fec" else ROOT / "data_samples" / source
    for days in ("365", "360"):
        r = CliRunner().invoke(main, ["kpi", str(path), "--days", days])
        assert r.exit_code == 0, r.output
        # the note on the notation is the only line allowed to describe the English way
        text = "\n".join(r.stdout.splitlines()[2:]) + r.stdout.splitlines()[0]
        text = re.sub(r"\w+_\w+", "", text)  # column names (vat_rate, factored_receivables) stay as they are
        text = re.sub(r"--[\w-]+", "", text)  # so do option names (--purchases-only)
        assert "mois glissants au" in text or "année close le" in text
        assert f"année de {days} jours" in r.stdout.splitlines()[0]
        found = [w for w in ENGLISH_IN_KPI if w in text]
        assert found == [], found


def test_kpi_in_english_keeps_the_english_formulas():
    r = CliRunner().invoke(main, ["kpi", str(DEMO_WC), "--lang", "en"])
    assert "trailing 12 months to" in r.stdout and "mois glissants" not in r.stdout


def test_supplier_ageing_shows_gross_payables_not_gross_debit(shared):
    # a supplier's invoices are credits in the books: the column of positive items is what the
    # company owes, "Dettes brutes" / gross_payable, never the customers' "Débit brut"
    fec = shared / "fec" / "123456789FEC20500930.txt"
    args = ["aging", str(fec), "--as-of", "2023-04-30", "--terms", "60", "--ledger", "suppliers", "--by", "none"]
    fr = CliRunner().invoke(main, args).stdout
    csv_header = CliRunner().invoke(main, [*args, "--format", "csv"]).stdout.splitlines()[0]
    assert "Dettes brutes" in fr and "Débit brut" not in fr
    assert "gross_payable" in csv_header.split(",") and "gross_debit" not in csv_header
    customers = CliRunner().invoke(main, [*args[:-4], "--by", "none"]).stdout
    assert "Débit brut" in customers


def test_aging_notes_are_in_french_by_default(tmp_path):
    # the same three items as test_aging_csv_ends_with_a_total_row_and_ties_to_the_file, which
    # add up to 140.00 and are all open at 31/03/2026: read 3 rows = aged 140,00 + 0,00 not open
    p = _write_items(tmp_path, TWO_ENTITIES)
    r = CliRunner().invoke(main, ["aging", str(p), "--as-of", "2026-03-31"])
    assert r.exit_code == 0, r.output
    assert (
        "Lu 3 lignes, gardé 3 (total 140,00) = âgé au 2026-03-31 140,00 + non ouvert à cette date 0,00 ; "
        "lignes et colonnes égales au total âgé : concordant." in r.stderr
    )
    assert "Des numéros de client existent dans plusieurs sociétés" in r.stderr
    assert not any(w in r.stderr for w in ("Read ", "tied", "Some customer", "Warning"))
