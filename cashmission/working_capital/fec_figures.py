"""Monthly and closing working-capital figures (revenue, purchases, receivables, payables, stocks) from a FEC."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cashmission.io.fec import fec_source
from cashmission.io.fec_entries import (
    _B,
    SUPPLIER_ACCOUNTS,
    _account_starts,
    _closing_mask,
    _last_entry_date,
    entry_key,
    is_opening,
)
from cashmission.io.fec_period import _fiscal_year
from cashmission.meta import FigureBasis, attach
from cashmission.problems import fail
from cashmission.tables import WORKING_CAPITAL_FLOWS

# --------------------------------------------------------------------------- working capital
_RECEIVABLE_BALANCE = ("411", "413", "416", "418")
_STOCKS = {
    "stock_raw_materials": ("31", "32"),
    "stock_finished_goods": ("33", "34", "35"),
    "stock_goods": ("36", "37", "38"),
}
"""Stock accounts (class 3 of the PCG) behind each stock column, gross."""
_WRITE_DOWNS = {
    "stock_raw_materials": ("391", "392"),
    "stock_finished_goods": ("393", "394", "395"),
    "stock_goods": ("396", "397", "398"),
}
"""Write-down accounts (*dépréciations des stocks*, 39x) netted off each stock column."""
_STOCK_CONVENTION = (
    "stocks net of write-downs: raw materials 31, 32 less 391, 392; finished goods and "
    "work in progress 33, 34, 35 less 393, 394, 395; goods for resale 37 with 36 (stocks "
    "from fixed assets) and 38 (in transit, on consignment) less 396, 397, 398"
)


def _stock_balances(balance: Callable[[tuple[str, ...]], _B], net: bool = True) -> tuple[dict[str, _B], dict[str, _B]]:
    """Each stock column and its write-downs, from ``balance(prefixes)`` (debit − credit).

    Returns ``(stocks, write_downs)``: the stocks of :data:`_STOCKS`, net of their
    write-downs (:data:`_WRITE_DOWNS`) unless ``net`` is False, and those write-downs
    as credit balances (positive).  ``balance`` may give a float (year end) or an
    array of month ends.
    """
    write_downs = {k: -balance(v) for k, v in _WRITE_DOWNS.items()}
    stocks = {k: balance(v) - write_downs[k] if net else balance(v) for k, v in _STOCKS.items()}
    return stocks, write_downs


_THROUGH = ("last_entry", "fiscal_year_end")


def fec_period(
    lines: pd.DataFrame,
    *,
    fiscal_year_end: str | pd.Timestamp | None = None,
    through: str | pd.Timestamp = "last_entry",
) -> dict[str, object]:
    """The period a FEC's figures cover (*période mesurée*), and why: what the data say.

    Start: the first day of the fiscal year (:func:`cashmission.io.fec_period._fiscal_year`):
    the date of the opening entries (*à-nouveaux*) or the first day of the month of
    the first entry; a fiscal year runs 1 to 24 months (*exercice court ou long*).
    End, by ``through``:

    - ``"last_entry"`` (default): the fiscal-year end when the entries reach it, else
      the date of the last entry that is not an opening entry (an extract made on
      15 December ends on 15 December: its last month is partial);
    - ``"fiscal_year_end"``: the fiscal-year end (the file name's closing date when it
      fits the data, else the month end of the last entry);
    - a date (``kpi --as-of``): that day, anywhere from the start to the fiscal-year end;
      later or earlier is an error.

    A file with no entry after its opening entries covers the opening day only
    (``end_from`` = ``"opening_only"``): its balances are the opening balances, it has
    no flows.

    Returns
    -------
    dict of plain values (it travels as the ``period`` of the figures'
    :class:`cashmission.meta.FigureBasis`): ``start``, ``end``,
    ``fiscal_year_end`` (ISO dates), ``days`` (calendar days, start and end included),
    ``start_from`` (``"opening_entries"`` or ``"first_entry"``), ``end_from``
    (``"fiscal_year_end"``, ``"last_entry"``, ``"as_of"``, ``"opening_only"``, or
    ``"data_end"``: to the last entry's month end when no closing date is known),
    ``fiscal_year_end_from`` (in words), ``fiscal_year_months`` (calendar months from
    the start to the fiscal-year end) and ``warnings`` (sentences: the file name's
    closing date does not fit the entries; only opening entries).
    """
    start, fy_end, how, problems = _fiscal_year(lines, fiscal_year_end, None, fec_source(lines))
    opening = is_opening(lines).to_numpy()
    last = _last_entry_date(lines, opening)
    warnings = [p.message for p in problems]
    end, end_from = _period_end(start, fy_end, last, through)
    if end_from == "fiscal_year_end" and through == "last_entry" and how.startswith("the data"):
        end_from = "data_end"  # no closing date known: the year ends with the last entry's month
    if end_from == "opening_only":
        warnings.append(
            f"the file holds only opening entries (à-nouveaux) dated {start.date()}: no entry after the opening, "
            "so the balances are the opening balances and the flows (revenue, purchases) are empty"
        )
    openings = lines.loc[opening, "EcritureDate"]
    return {
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "fiscal_year_end": fy_end.date().isoformat(),
        "days": int((end - start).days) + 1,
        "start_from": "opening_entries" if bool((openings == start).any()) else "first_entry",
        "end_from": end_from,
        "fiscal_year_end_from": how,
        "fiscal_year_months": int((fy_end.year - start.year) * 12 + fy_end.month - start.month + 1),
        "warnings": warnings,
    }


def period_sentence(period: dict) -> str:
    """The period of :func:`cashmission.working_capital.fec_figures.fec_period` in one English sentence.

    >>> print(period_sentence({"start": "2024-01-01", "end": "2024-12-15", "days": 350, "start_from": "opening_entries",
    ...     "end_from": "last_entry", "fiscal_year_end": "2024-12-31", "fiscal_year_months": 12}))
    ... # doctest: +NORMALIZE_WHITESPACE
    period measured 2024-01-01 to 2024-12-15 (350 days): from the opening entries to the last entry,
    before the fiscal-year end 2024-12-31
    """
    start_from = {"opening_entries": "the opening entries", "first_entry": "the first day of the first entry's month"}
    months = int(period.get("fiscal_year_months") or 12)
    kind = "short fiscal year, " if months < 12 else "long fiscal year, " if months > 12 else ""
    end_from = {
        "fiscal_year_end": f"the fiscal-year end ({kind}{months} months)",
        "last_entry": f"the last entry, before the fiscal-year end {period.get('fiscal_year_end')}",
        "as_of": "the date asked for (as_of)",
        "data_end": f"the month end of the last entry ({months} months; no closing date known from the file name)",
        "opening_only": "the opening day: no entry after the opening entries",
    }
    return (
        f"period measured {period['start']} to {period['end']} ({period['days']} days): from "
        f"{start_from.get(str(period.get('start_from')), '?')} to {end_from.get(str(period.get('end_from')), '?')}"
    )


def _period_end(
    start: pd.Timestamp, fy_end: pd.Timestamp, last: pd.Timestamp | None, through: str | pd.Timestamp
) -> tuple[pd.Timestamp, str]:
    """(end, why) of the period: see :func:`fec_period`."""
    if last is None:
        return start, "opening_only"
    if isinstance(through, str) and through in _THROUGH:
        if through == "fiscal_year_end" or last >= fy_end:
            return fy_end, "fiscal_year_end"
        return max(last, start), "last_entry"
    try:
        when = pd.Timestamp(through)
    except (TypeError, ValueError):
        when = pd.NaT
    if pd.isna(when):
        raise ValueError(f"through must be 'last_entry', 'fiscal_year_end' or a date, got {through!r}")
    when = when.normalize()
    if not start <= when <= fy_end:
        raise fail(
            "as_of",
            f"as_of {when.date()} is outside the fiscal year of the FEC ({start.date()} to {fy_end.date()}): "
            "give a date within it",
        )
    return when, "as_of"


def _period_rows(start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """One row a calendar month from ``start`` to ``end``: its last day and its days (partial months their own).

    >>> ends, days = _period_rows(pd.Timestamp("2024-11-01"), pd.Timestamp("2024-12-15"))
    >>> [d.strftime("%Y-%m-%d") for d in ends], days.tolist()
    (['2024-11-30', '2024-12-15'], [30, 15])
    """
    months = pd.period_range(start, end, freq="M")
    ends = pd.DatetimeIndex([min(p.to_timestamp(how="end").normalize(), end) for p in months])
    starts = pd.DatetimeIndex([max(p.to_timestamp(how="start"), start) for p in months])
    return ends.astype("datetime64[ns]"), ((ends - starts).days + 1).to_numpy(dtype="int64")


def fec_monthly_figures(
    lines: pd.DataFrame,
    *,
    include_services: bool = True,
    reclassify_debit_suppliers: bool = True,
    fiscal_year_end: str | pd.Timestamp | None = None,
    through: str = "last_entry",
    net_stock_write_downs: bool = True,
) -> pd.DataFrame:
    """Monthly working-capital figures (*éléments du BFR*) from a FEC.

    One row per calendar month of the period the data cover (:func:`fec_period`), in
    the ``working_capital`` schema: ``period_end`` = the month end, or the period's end
    within its last month (an extract cut on 15 December ends its December row on the
    15th); ``period_days`` = the calendar days the row covers (15 for that December).
    A file with only opening entries gives one row at the opening date, balances and
    no flows (NaN).

    Parameters
    ----------
    include_services : ``purchases`` are purchases and other external charges,
        60 + 61 + 62 (default: the denominator of DPO of the Banque de France and of the
        payment-terms observatory, *achats et autres charges externes*, forms 2052 FS +
        FU + FW, because the supplier accounts hold every supplier, goods and services);
        ``False``: purchases of account 60 only (goods and materials).
    reclassify_debit_suppliers : compute ``payables`` as the sum of the credit
        balances of the supplier accounts, auxiliary account by auxiliary account
        (suppliers in debit go to the assets, as on the tax return); ``False`` gives
        the plain net balance of 401/403/408.
    fiscal_year_end : closing date; by default the file name's (as recorded by
        :func:`read_fec`) when it fits the data, else the month end of the last entry
        (see :func:`validate_fec`).  The year starts on the date of the opening
        entries or the first day of the month of the first entry, 1 to 24 months
        before the end (a short or long fiscal year is kept as it is).
    through : ``"last_entry"`` (default): stop at the last entry that is not an
        opening entry (at the fiscal-year end when the entries reach it), so that a
        file cut before its closing date does not end with empty days or months that
        KPIs would walk through (a countback DSO would add their days);
        ``"fiscal_year_end"``: the whole fiscal year; a date: that day (``kpi
        --as-of``).  ``validate_fec`` warns about the trailing empty months.
    net_stock_write_downs : stocks net of their write-downs (39x, *dépréciations*),
        as the net column of the balance sheet (default); ``False``: gross.

    Returns
    -------
    DataFrame with its :class:`cashmission.meta.FigureBasis` (:func:`cashmission.meta.of`):
    ``convention`` maps each column to the accounts it uses (in words),
    ``fiscal_year`` gives the fiscal year's start and end, ``through`` the last day
    kept, ``period`` the period measured and why (:func:`fec_period`), and
    ``stock_write_downs`` the write-downs of the stock accounts at each row's end
    (positive, ISO date → amount) whether netted or not.

    Notes
    -----
    Account mapping (French chart of accounts, PCG), by prefix of CompteNum:

    - ``revenue`` (flow): 70 (*ventes, prestations*, 709 rebates included),
      credit − debit.
    - ``vat_collected`` (flow): 4457 (*TVA collectée*), credit − debit, on the entries
      that also touch a 70 account (so that the VAT return entries that clear 4457
      do not cancel it).
    - ``receivables`` (balance): debit balances of 411, 413, 416, 418 (*clients et
      comptes rattachés*, form 2050 line BX), account by account and auxiliary account
      by auxiliary account (customers in credit are liabilities, not netted).
    - ``payables`` (balance): credit balances of 401, 403, 408 (*fournisseurs et
      comptes rattachés*, form 2051 line DX), per auxiliary account when
      ``reclassify_debit_suppliers``, else their net balance.
    - ``purchases`` (flow): 60 except 603 (*achats*, stock variations excluded) plus
      61 and 62 (*services extérieurs*, *autres services extérieurs*) unless
      ``include_services`` is False, debit − credit.
    - ``vat_deductible`` (flow): 44566 (*TVA déductible sur autres biens et services*),
      debit − credit, on the entries that also touch one of the purchases accounts
      (60, 61, 62, or 60 alone without ``include_services``): the VAT and the
      purchases it is compared with have the same base.
    - ``purchases_raw_materials``: 601, 602; ``purchases_goods``: 607 (flows).
    - ``stock_raw_materials``: 31, 32; ``stock_finished_goods``: 33, 34, 35
      (work in progress and finished goods); ``stock_goods``: 37, with 36 and 38
      (stocks from fixed assets, stocks in transit or on consignment: the PCG leaves
      their nature to the company, they are shown with goods for resale); each net
      of its write-downs 391-392, 393-395, 396-398 unless ``net_stock_write_downs``
      is False (balances, debit − credit; usually only booked at the year end).
    - ``receivables_not_due``, ``factored_receivables``, ``discounted_receivables``:
      not in a FEC, left empty.

    Balances at a month end include the opening entries (whatever their date) and
    every other line dated up to that day.  Flows leave out opening entries and the
    entries of a closing journal (label containing *clôture*).
    """
    cols = [c.name for c in __import__("cashmission.tables", fromlist=["WORKING_CAPITAL"]).WORKING_CAPITAL.columns]
    if lines.empty or not lines["EcritureDate"].notna().any():
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    period = fec_period(lines, fiscal_year_end=fiscal_year_end, through=through)
    start, end, fy_end = (pd.Timestamp(period[k]) for k in ("start", "end", "fiscal_year_end"))
    month_ends, row_days = _period_rows(start, end)
    months = _month_grid(lines, start, end, len(month_ends))
    stocks, write_downs = _stock_balances(months.balance, net_stock_write_downs)
    purchases_prefixes = ("60", "61", "62") if include_services else ("60",)
    out = pd.DataFrame(
        {
            "period_end": month_ends,
            "period_days": row_days,
            **_monthly_values(months, purchases_prefixes, reclassify_debit_suppliers),
            **stocks,
        }
    )
    out["period_days"] = out["period_days"].astype("Int64")
    if period["end_from"] == "opening_only":  # balances at the opening, no flows: left empty, not zero
        out[[c for c in WORKING_CAPITAL_FLOWS if c in out.columns]] = np.nan
    out = out[cols]
    basis = FigureBasis(
        convention=_convention(purchases_prefixes, include_services, reclassify_debit_suppliers, net_stock_write_downs),
        fiscal_year={"start": start.date().isoformat(), "end": fy_end.date().isoformat()},
        through=end.date().isoformat(),
        stock_write_downs={
            d.date().isoformat(): float(sum(w[i] for w in write_downs.values())) for i, d in enumerate(month_ends)
        },
        period=period,
    )
    return attach(out, basis)


@dataclass(frozen=True, eq=False)
class _MonthGrid:
    """Where each line of a FEC falls among the rows of :func:`fec_monthly_figures`.

    ``month``: the row of each line (opening lines and lines before the period in row
    0); ``valid``: the lines the balances count (none after the period's end);
    ``flow_ok``: the lines the flows count (``valid`` less the opening entries and the
    closing journal's); ``net``: debit − credit; ``key``: each line's entry
    (:func:`entry_key`); ``n``: the rows.
    """

    lines: pd.DataFrame
    n: int
    month: np.ndarray
    valid: np.ndarray
    flow_ok: np.ndarray
    net: np.ndarray
    key: np.ndarray

    def flow(
        self,
        prefixes: Iterable[str],
        sign: float,
        exclude: tuple[str, ...] = (),
        entries_touching: Iterable[str] | None = None,
    ) -> np.ndarray:
        """Each row's flow on the accounts ``prefixes`` (less ``exclude``), ``sign`` × (debit − credit).

        With ``entries_touching``: only the entries that also touch one of those accounts.
        """
        lines, nm = self.lines, self.n
        m = _account_starts(lines, prefixes) & self.flow_ok
        if exclude:
            m &= ~_account_starts(lines, exclude)
        if entries_touching is not None:
            touched = np.unique(self.key[_account_starts(lines, entries_touching)])
            m &= np.isin(self.key, touched)
        return np.bincount(self.month[m], weights=sign * self.net[m], minlength=nm)[:nm].astype(float)

    def balance(self, prefixes: Iterable[str]) -> np.ndarray:
        """The balance (debit − credit) of the accounts ``prefixes`` at each row's end."""
        nm = self.n
        m = _account_starts(self.lines, prefixes) & self.valid
        return np.cumsum(np.bincount(self.month[m], weights=self.net[m], minlength=nm)[:nm].astype(float))

    def third_party(self, prefixes: Iterable[str], sign: float, by_account: bool) -> np.ndarray:
        """At each row's end: the ``sign`` × (debit − credit) balances of the accounts ``prefixes``.

        ``by_account``: the positive ones only, summed account by account and auxiliary
        account by auxiliary account; else their net sum.
        """
        lines, nm, net, mi_int = self.lines, self.n, self.net, self.month
        m = _account_starts(lines, prefixes) & self.valid
        if not m.any():
            return np.zeros(nm)
        if not by_account:
            return np.cumsum(np.bincount(mi_int[m], weights=sign * net[m], minlength=nm)[:nm].astype(float))
        acc_obj = lines["CompteNum"].astype(object).fillna("")
        sub_key = pd.MultiIndex.from_arrays(
            [acc_obj[m].to_numpy(dtype=object), lines["CompAuxNum"].astype(object).fillna("")[m].to_numpy(dtype=object)]
        )
        codes = pd.factorize(sub_key)[0]
        mat = np.zeros((codes.max() + 1, nm))
        np.add.at(mat, (codes, mi_int[m]), sign * net[m])
        return np.clip(np.cumsum(mat, axis=1), 0, None).sum(axis=0)


def _month_grid(lines: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, nm: int) -> _MonthGrid:
    """The :class:`_MonthGrid` of ``lines`` over the ``nm`` calendar months from ``start`` to ``end``."""
    opening = is_opening(lines).to_numpy()
    net = (lines["Debit"] - lines["Credit"]).to_numpy(dtype=float)
    date = lines["EcritureDate"]
    # month index of each line: opening lines and earlier lines in month 0
    mi = ((date.dt.year - start.year) * 12 + date.dt.month - start.month).to_numpy(dtype="float64")
    mi = np.where(opening | (mi < 0), 0, mi)
    valid = ~np.isnan(mi) & (mi < nm) & (opening | (date <= end).to_numpy())  # nothing after the period's end
    mi_int = np.where(valid, mi, 0).astype("int64")
    flow_ok = valid & ~opening & ~_closing_mask(lines).to_numpy()
    key, _, _ = entry_key(lines)
    return _MonthGrid(lines, nm, mi_int, valid, flow_ok, net, key.to_numpy())


def _monthly_values(
    months: _MonthGrid, purchases_prefixes: tuple[str, ...], reclassify_debit_suppliers: bool
) -> dict[str, np.ndarray | float]:
    """The flows and the third-party balances of each row (the stocks aside): see :func:`fec_monthly_figures`."""
    flow, third_party = months.flow, months.third_party
    return {
        "revenue": flow(("70",), -1.0),
        "vat_collected": flow(("4457",), -1.0, entries_touching=("70",)),
        "receivables": third_party(_RECEIVABLE_BALANCE, 1.0, True),
        "receivables_not_due": np.nan,
        "factored_receivables": np.nan,
        "discounted_receivables": np.nan,
        "payables": third_party(SUPPLIER_ACCOUNTS, -1.0, reclassify_debit_suppliers),
        "purchases": flow(purchases_prefixes, 1.0, exclude=("603",)),
        "vat_deductible": flow(("44566",), 1.0, entries_touching=purchases_prefixes),
        "purchases_raw_materials": flow(("601", "602"), 1.0),
        "purchases_goods": flow(("607",), 1.0),
    }


def _convention(
    purchases_prefixes: tuple[str, ...],
    include_services: bool,
    reclassify_debit_suppliers: bool,
    net_stock_write_downs: bool,
) -> dict[str, str]:
    """The accounts behind each column of :func:`fec_monthly_figures`, in words (its ``convention``)."""
    buying = ", ".join(purchases_prefixes)
    return {
        "revenue": "70, credit - debit, opening and closing entries aside",
        "vat_collected": "4457 on the entries touching a 70 account",
        "receivables": "debit balances of 411, 413, 416, 418 per account and auxiliary account",
        "payables": "credit balances of 401, 403, 408 per account and auxiliary account"
        if reclassify_debit_suppliers
        else "net balance of 401, 403, 408",
        "purchases": f"{buying} (603 stock variations excluded), debit - credit"
        + (
            "; purchases and other external charges (Banque de France DPO)"
            if include_services
            else "; purchases of goods and materials only (61, 62 external charges left out)"
        ),
        "vat_deductible": f"44566 on the entries touching a purchases account ({buying})",
        "purchases_raw_materials": "601, 602",
        "purchases_goods": "607",
        "stocks": _STOCK_CONVENTION if net_stock_write_downs else _STOCK_CONVENTION.replace(" net of", " gross of"),
    }


def fec_closing_figures(lines: pd.DataFrame, *, reclassify_debit_suppliers: bool = True) -> dict[str, float]:
    """Year-end figures of a FEC to compare with the tax return (*liasse fiscale*).

    Returns
    -------
    dict of plain floats:

    - ``trade_receivables``: debit balances of 411, 413, 416, 418 per (account,
      auxiliary account) — form 2050 line BX (2033 line 068, 2139 line BC);
    - ``customer_credit_balances``: their credit balances (liabilities), positive;
    - ``net_turnover``: 70, credit − debit, opening and closing entries aside — form
      2052 line FL (2033 line 214); the rebates granted (709) are in it, deducted;
    - ``rebates_granted``: those rebates (*rabais, remises, ristournes accordés*, 709),
      debit − credit;
    - ``trade_payables``: credit balances of 401, 403, 408, per (account, auxiliary
      account) when ``reclassify_debit_suppliers`` (form 2051 line DX), else their
      net balance (what a simplified-regime return such as 2033 line 166 often shows);
    - ``supplier_debit_balances``: the debit balances of those accounts, positive;
    - ``purchases``: 60 except 603; ``stock_raw_materials``, ``stock_finished_goods``,
      ``stock_goods``: closing balances of 31-32, 33-35 and 36-38, net of their
      write-downs 391-392, 393-395 and 396-398 (the net column of the balance sheet);
    - ``stock_write_downs``: the credit balance of the write-down accounts 39, positive.

    Balances include every line of the file (opening entries included).
    """
    acc = lines["CompteNum"].astype(object).fillna("")
    net = lines["Debit"] - lines["Credit"]
    aux = lines["CompAuxNum"].astype(object).fillna("")
    flows = ~is_opening(lines) & ~_closing_mask(lines)

    def per_account(prefixes: tuple[str, ...]) -> pd.Series:
        m = _account_starts(lines, prefixes)
        return net[m].groupby([acc[m], aux[m]]).sum()

    cust = per_account(_RECEIVABLE_BALANCE)
    supp = per_account(SUPPLIER_ACCOUNTS)
    supp_credit = float(-supp[supp < 0].sum())
    supp_debit = float(supp[supp > 0].sum())
    m60 = _account_starts(lines, ("60",)) & ~_account_starts(lines, ("603",)) & flows.to_numpy()
    return {
        "trade_receivables": float(cust[cust > 0].sum()),
        "customer_credit_balances": 0.0 - float(cust[cust < 0].sum()),
        "net_turnover": float(-net[_account_starts(lines, ("70",)) & flows.to_numpy()].sum()),
        "rebates_granted": float(net[_account_starts(lines, ("709",)) & flows.to_numpy()].sum()),
        "trade_payables": supp_credit if reclassify_debit_suppliers else supp_credit - supp_debit,
        "supplier_debit_balances": supp_debit,
        "purchases": float(net[m60].sum()),
        **_stock_balances(lambda prefixes: float(net[_account_starts(lines, prefixes)].sum()))[0],
        "stock_write_downs": float(-net[_account_starts(lines, ("39",))].sum()),
    }
