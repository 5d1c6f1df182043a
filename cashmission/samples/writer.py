"""The sample client's files: the French ERP export, the canonical CSVs and the README with its figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cashmission.samples.names import ENTITIES, FX_RATES

if TYPE_CHECKING:
    from cashmission.samples.generator import SampleData

_TYPE_FR = {"invoice": "Facture", "credit_note": "Avoir", "payment": "Règlement", "other": "Autre"}


FRENCH_EXPORT_HEADERS = (
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
)
"""Headers of ``open_items.csv``, the week-0 snapshot as a French ERP export."""


# --------------------------------------------------------------------------- files


def weekly_figures(data: SampleData) -> pd.DataFrame:
    """Headline figures of each weekly snapshot: items, total, not due, overdue, disputed."""
    rows = []
    for w, d in enumerate(data.snapshot_dates):
        snap = data.snapshot(w)
        od = (snap["amount"] > 0) & (snap["due_date"] < d)
        rows.append(
            {
                "week": w,
                "as_of": d,
                "items": len(snap),
                "total": round(float(snap["amount"].sum()), 2),
                "not_due": round(float(snap.loc[snap["due_date"] >= d, "amount"].sum()), 2),
                "overdue": round(float(snap.loc[od, "amount"].sum()), 2),
                "overdue_disputed": round(float(snap.loc[od & snap["dispute"], "amount"].sum()), 2),
            }
        )
    return pd.DataFrame(rows)


def french_export(items: pd.DataFrame) -> pd.DataFrame:
    """Open items as a typical French ERP export (the columns of ``open_items.csv``), as text."""
    items = items.sort_values(["entity", "customer_id", "document_date", "document_id"], kind="stable")

    def money(s: pd.Series) -> list[str]:
        return [f"{v:.2f}".replace(".", ",") for v in s.to_numpy(dtype=float)]

    def fr_date(s: pd.Series) -> list[str]:
        return list(s.dt.strftime("%d/%m/%Y").to_numpy(dtype=object))

    yes_no = {True: "Oui", False: "Non"}
    return pd.DataFrame(
        {
            "Société": items["entity"].to_numpy(dtype=object),
            "N° client": items["customer_id"].to_numpy(dtype=object),
            "Raison sociale": items["customer_name"].to_numpy(dtype=object),
            "N° pièce": items["document_id"].to_numpy(dtype=object),
            "Type": items["document_type"].map(_TYPE_FR).to_numpy(dtype=object),
            "Date pièce": fr_date(items["document_date"]),
            "Date échéance": fr_date(items["due_date"]),
            "Montant TTC": money(items["amount"]),
            "Devise": items["currency"].to_numpy(dtype=object),
            "Montant devise": money(items["amount_currency"]),
            "Litige": items["dispute"].map(yes_no).to_numpy(dtype=object),
            "Code litige": items["dispute_code"].fillna("").to_numpy(dtype=object),
            "Recouvreur": items["collector"].to_numpy(dtype=object),
            "Réseau": items["segment"].to_numpy(dtype=object),
            "Affacturé": items["factored"].map(yes_no).to_numpy(dtype=object),
        },
        columns=list(FRENCH_EXPORT_HEADERS),
    )


def _csv(df: pd.DataFrame, path: Path) -> None:
    # .csv.gz files get a fixed gzip timestamp so that regeneration is byte-for-byte.
    compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None
    df.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n", encoding="utf-8", compression=compression)


def _fixed_zip_times(path: Path) -> None:
    """Rewrite a workbook (a zip) with fixed entry and modification times, so that regeneration is byte-for-byte."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")  # openpyxl stamps the time of saving
    entries = [(i, modified.sub(rb"\g<1>2026-01-01T00:00:00Z", c)) for i, c in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            z.writestr(fixed, content)


def _readme(data: SampleData, sizes: dict[str, int]) -> str:
    wk = weekly_figures(data)
    w0, wl = wk.iloc[0], wk.iloc[-1]
    snap0, snapl = data.snapshot(0), data.snapshot(len(wk) - 1)
    d0, dl = data.snapshot_dates[0], data.snapshot_dates[-1]

    def meur(x: float) -> str:
        return f"{x / 1e6:,.2f} M€".replace(",", " ").replace(".", ",")

    def by_entity(snap: pd.DataFrame, d: pd.Timestamp) -> dict[str, float]:
        m = (snap["amount"] > 0) & (snap["due_date"] < d)
        return snap.loc[m].groupby("entity")["amount"].sum().to_dict()

    e0, el = by_entity(snap0, d0), by_entity(snapl, dl)
    cn = snap0["document_type"] == "credit_note"
    ua = snap0["document_type"] == "payment"
    lines = [
        "# Sample client data (synthetic)",
        "",
        "**Every figure, name and number in this folder is synthetic**, generated by",
        f"`python -m cashmission.samples --seed {data.seed}` (`cashmission/samples/generator.py`,",
        f"`generate_sample(seed={data.seed})`).  Customer names are built from invented syllables,",
        "collectors have invented first names, no real company identifier is generated.",
        "Regenerating with the same seed gives the same files byte for byte.",
        "",
        "The client: an industrial group selling food-production lines and safety pumps in",
        "France and abroad — entities " + ", ".join(f"`{k}` ({v})" for k, v in ENTITIES.items()) + ".",
        f"Audit (week 0) on {d0:%Y-%m-%d}, then weekly snapshots to {dl:%Y-%m-%d} (week {len(wk) - 1}).",
        "",
        "## Headline figures",
        "",
        f"- customers: {len(data.customers):,}".replace(",", " "),
        f"- open items at week 0: {int(w0['items']):,}".replace(",", " ") + f", total {meur(w0['total'])}",
        f"- overdue stock at week 0: **{meur(w0['overdue'])}**; "
        f"at week {len(wk) - 1}: **{meur(wl['overdue'])}** "
        f"({(wl['overdue'] / w0['overdue'] - 1) * 100:+.0f} %)",
        f"- disputed overdue at week 0: {meur(w0['overdue_disputed'])} "
        f"({w0['overdue_disputed'] / w0['overdue'] * 100:.1f} % of the overdue stock)",
        f"- at week 0: {int(cn.sum())} credit notes ({meur(snap0.loc[cn, 'amount'].sum())}), "
        f"{int(ua.sum())} unapplied payments ({meur(snap0.loc[ua, 'amount'].sum())}), "
        f"{int(snap0['factored'].sum())} factored items",
        "",
        "Overdue = positive items whose due date is before the snapshot date.",
        "",
        "| entity | overdue week 0 | overdue week " + str(len(wk) - 1) + " |",
        "|---|---:|---:|",
    ]
    lines += [f"| {e} | {meur(e0.get(e, 0.0))} | {meur(el.get(e, 0.0))} |" for e in ENTITIES]
    lines += [
        "",
        "Weekly snapshots (`open_at(ledger, as_of)`):",
        "",
        "| week | as_of | items | total | not due | overdue | of which disputed |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {int(r.week)} | {r.as_of:%Y-%m-%d} | {int(r['items'])} | {meur(r.total)} | "
        f"{meur(r.not_due)} | "
        f"{meur(r.overdue)} | {meur(r.overdue_disputed)} |"
        for _, r in wk.iterrows()
    ]
    lines += [
        "",
        "Monthly figures (`monthly.csv`), simple DSO = receivables / revenue TTC of the last 3 months × days:",
        "",
        "| month end | revenue HT | receivables | DSO (days) | source |",
        "|---|---:|---:|---:|---|",
    ]
    mo = data.monthly
    ttc = mo["revenue"] + mo["vat_collected"]
    for i in range(2, len(mo)):
        r = mo.iloc[i]
        dso = r.receivables / ttc.iloc[i - 2 : i + 1].sum() * mo["period_days"].iloc[i - 2 : i + 1].sum()
        lines.append(
            f"| {r.period_end:%Y-%m-%d} | {meur(r.revenue)} | {meur(r.receivables)} | {dso:.0f} | {r.source} |"
        )
    files = {
        "open_items.csv": (
            "the week-0 snapshot as a French ERP export: UTF-8 with BOM, `;`, decimal comma, "
            "dd/mm/yyyy, CRLF; headers `" + ";".join(FRENCH_EXPORT_HEADERS) + "`"
        ),
        "ledger.csv.gz": (
            "every document open at some snapshot or issued during the mission, canonical "
            "`open_items` columns with `cleared_date` (empty while open at the end of the "
            "ledger, the last day of the month of the last snapshot); `open_at(ledger, date)` "
            "gives any snapshot"
        ),
        "customers.csv": (
            "canonical `customers` columns plus `currency`, `payer_profile` (A–E, used by "
            "the generator) and `factoring` (under the factoring contract)"
        ),
        "payments.csv.gz": (
            "one row per settled debit item (payment_date = cleared_date); one payment id "
            "per customer and day; amount = the item less the credit notes / unapplied cash "
            "lettered with it (`match_code`)"
        ),
        "disputes.csv": "one dispute per disputed ledger item; closed when the item is settled",
        "dunning.csv.gz": (
            "collection actions: per-invoice letters of FR10 before the audit, "
            "customer-level actions (one letter per customer) during the mission, promises "
            "after calls"
        ),
        "monthly.csv": (
            "`working_capital` columns: revenue HT and VAT by document month, receivables at "
            "month end; `source` = `ledger` when computed from the ledger, `simulation` for "
            "the months before the audit (the generator's invoice flow, including invoices "
            "paid before the audit that are not in the ledger; items settled before the audit "
            "other than that flow are not simulated)"
        ),
        "working_capital.xlsx": (
            "the filled KPI template of the working-capital report, from the same simulation: two "
            f"rolling years to {d0:%Y-%m-%d} and a year before, and the 24 months before the audit month; "
            "its receivables at the audit date are the ledger's aged balance total; purchases, payables "
            "and stocks are derived from revenue by fixed ratios (the sample ledger holds receivables only)"
        ),
    }
    lines += ["", "## Files", "", "| file | size | content |", "|---|---:|---|"]
    lines += [f"| `{f}` | {sizes.get(f, 0) / 1024:.0f} KB | {t} |" for f, t in files.items()]
    lines += [
        "",
        "## What is synthetic, and simplified",
        "",
        "- All of it.  Amounts are TTC in EUR; USD and GBP documents carry `amount_currency` at "
        "fixed rates (" + ", ".join(f"{k} {v}" for k, v in FX_RATES.items() if k != "EUR") + " per EUR).",
        "- VAT: 20 % for customers in France, none for the others (intra-EU and export).",
        "- Settlements are full (no partial payments); the dispute flag of a ledger item is its "
        "status over its life (dates in `disputes.csv`).",
        "- Collection is modelled, not recorded: a settlement hazard high for recent, big, "
        "undisputed items of good payers and low for old or disputed ones, scaled so that the "
        "overdue stock falls to the announced figure at the last week.",
        "",
    ]
    return "\n".join(lines)


def write_sample(out_dir: str | Path, data: SampleData | None = None) -> dict[str, Path]:
    """Write the sample client's files into ``out_dir``; return ``{file name: path}``.

    Files: ``open_items.csv`` (the week-0 snapshot as a French ERP export),
    ``ledger.csv.gz``, ``customers.csv``, ``payments.csv.gz``, ``disputes.csv``,
    ``dunning.csv.gz``, ``monthly.csv``, ``working_capital.xlsx`` (the filled KPI
    template of the working-capital report, :mod:`cashmission.samples.working_capital`;
    the CSVs have canonical English columns, ISO dates; the
    three large tables gzipped to keep the bundled sample small — pandas and the
    loaders read them as they are) and a ``README.md`` with the headline figures.
    """
    if data is None:
        from cashmission.samples.generator import generate_sample

        data = generate_sample()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out / name
        for name in (
            "open_items.csv",
            "ledger.csv.gz",
            "customers.csv",
            "payments.csv.gz",
            "disputes.csv",
            "dunning.csv.gz",
            "monthly.csv",
            "working_capital.xlsx",
            "README.md",
        )
    }
    french_export(data.snapshot(0)).to_csv(
        paths["open_items.csv"], sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    for name in ("ledger", "customers", "payments", "disputes", "dunning", "monthly"):
        file = f"{name}.csv.gz" if f"{name}.csv.gz" in paths else f"{name}.csv"
        _csv(getattr(data, name), paths[file])
    from cashmission.io.kpi_template import write_kpi_template

    _fixed_zip_times(write_kpi_template(paths["working_capital.xlsx"], data.working_capital))
    sizes = {n: p.stat().st_size for n, p in paths.items() if n != "README.md"}
    paths["README.md"].write_text(_readme(data, sizes), encoding="utf-8")
    return paths
