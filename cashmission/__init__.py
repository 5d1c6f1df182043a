"""cashmission: a toolkit for cash-engineering consulting missions.

Aged balance (*balance âgée*), the French FEC ledger, working-capital KPIs (DSO, DPO,
stock rotation, BFR), and reproducible diagnostic reports.  Notebooks use it as::

    import cashmission as cm
    items, report = cm.load_open_items("open_items.csv")
    cm.aged_balance(items, as_of="2026-08-03", by="customer_id")

Public names are imported lazily, so ``import cashmission`` stays fast for the CLI.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # checks / schemas
    "Problem": "checks",
    "LoadReport": "checks",
    "InputError": "checks",
    "TABLES": "schemas",
    "validate": "schemas",
    "data_model_markdown": "schemas",
    # input formats
    "load_open_items": "loaders",
    "load_table": "loaders",
    "read_raw": "loaders",
    "check_file": "loaders",
    "map_columns": "loaders",
    "HEADER_PRESETS": "loaders",
    "read_fec": "fec",
    "validate_fec": "fec",
    "fec_receivables": "fec",
    "fec_payables": "fec",
    "fec_payment_history": "fec",
    "fec_monthly_figures": "fec",
    "fec_open_items": "fec",
    "fec_closing_figures": "fec",
    "customer_payment_behaviour": "fec",
    "is_fec": "fec",
    "load_receivables": "inputs",
    "load_working_capital": "inputs",
    # domain
    "open_at": "receivables",
    "aged_balance": "receivables",
    "aging_summary": "receivables",
    "concentration": "receivables",
    "customer_keys": "receivables",
    "dso_simple": "kpis",
    "dso_countback": "kpis",
    "kpi_table": "kpis",
    "dso_bridge": "kpis",
    "read_kpi_template": "kpis",
    "pareto": "receivables",
    "dso_best_possible": "kpis",
    "dso_components": "kpis",
    "kpi_series": "kpis",
    "bfr_tracking": "kpis",
    "cash_at_stake": "kpis",
    "load_kpi_input": "kpis",
    "dso_bridge_between": "kpis",
    "trailing_revenue_ttc": "kpis",
    "read_figures_csv": "kpis",
    "write_kpi_template": "kpis",
    # presentation
    "label": "reporting",
    "format_amount": "reporting",
    "format_percent": "reporting",
    "format_table": "reporting",
    "reconcile": "reporting",
    "reconciliation_table": "reporting",
    "headline": "reporting",
    "paragraph": "reporting",
    "tracking_heading": "reporting",
    "bridge_heading": "reporting",
    "behaviour_display": "reporting",
    "reconciliation_note": "reporting",
    "explain_kpis": "narrative",
    "explain_bridge": "narrative",
    "aging_bars": "plots",
    "top_customers_bar": "plots",
    "pareto_curve": "plots",
    "kpi_trend": "plots",
    "bfr_waterfall": "plots",
    "dso_bridge_waterfall": "plots",
    "write_workbook": "excel",
    "write_figures": "artefacts",
    "diagnostic_figures": "artefacts",
    # orchestration
    "load_mission": "mission",
    "run_notebook": "runner",
    "notebook_path": "runner",
    "NotebookError": "runner",
    # sample data
    "generate_sample": "samples",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cashmission' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cashmission.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
