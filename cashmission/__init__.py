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
    "Problem": "problems",
    "LoadReport": "problems",
    "InputError": "problems",
    "TABLES": "tables",
    "validate": "tables",
    "data_model_markdown": "tables",
    # input formats
    "load_open_items": "io.exports",
    "load_table": "io.exports",
    "read_raw": "io.raw",
    "check_file": "io.exports",
    "map_columns": "io.exports",
    "HEADER_PRESETS": "io.presets",
    "read_fec": "io.fec",
    "validate_fec": "io.fec_validation",
    "fec_receivables": "ledger.fec_ledger",
    "fec_payables": "ledger.fec_ledger",
    "fec_payment_history": "ledger.behaviour",
    "fec_monthly_figures": "working_capital.fec_figures",
    "fec_open_items": "ledger.fec_ledger",
    "fec_closing_figures": "working_capital.fec_figures",
    "customer_payment_behaviour": "ledger.behaviour",
    "is_fec": "io.fec",
    "load_receivables": "ledger.sources",
    "load_working_capital": "working_capital.sources",
    # domain
    "open_at": "ledger.ageing",
    "aged_balance": "ledger.ageing",
    "aging_summary": "ledger.ageing",
    "concentration": "ledger.concentration",
    "customer_keys": "ledger.ageing",
    "dso_simple": "working_capital.measures",
    "dso_countback": "working_capital.measures",
    "kpi_table": "working_capital.table",
    "dso_bridge": "working_capital.bridge",
    "read_kpi_template": "io.kpi_template",
    "pareto": "ledger.concentration",
    "dso_best_possible": "working_capital.measures",
    "dso_components": "working_capital.bridge",
    "kpi_series": "working_capital.table",
    "bfr_tracking": "working_capital.table",
    "cash_at_stake": "working_capital.measures",
    "load_kpi_input": "io.kpi_template",
    "dso_bridge_between": "working_capital.bridge",
    "trailing_revenue_ttc": "working_capital.bridge",
    "read_figures_csv": "io.kpi_template",
    "write_kpi_template": "io.kpi_template",
    # presentation
    "label": "report.labels",
    "format_amount": "report.formats",
    "format_percent": "report.formats",
    "format_table": "report.views",
    "reconcile": "ledger.reconciliation",
    "reconciliation_table": "report.views",
    "headline": "report.views",
    "paragraph": "report.markdown",
    "tracking_heading": "report.views",
    "bridge_heading": "report.views",
    "behaviour_display": "report.views",
    "reconciliation_note": "report.views",
    "explain_kpis": "report.narrative",
    "explain_bridge": "report.narrative",
    "aging_bars": "report.plots",
    "top_customers_bar": "report.plots",
    "pareto_curve": "report.plots",
    "kpi_trend": "report.plots",
    "bfr_waterfall": "report.plots",
    "dso_bridge_waterfall": "report.plots",
    "write_workbook": "report.excel",
    "write_figures": "mission.artefacts",
    "diagnostic_figures": "mission.artefacts",
    # orchestration
    "load_mission": "mission.config",
    "run_notebook": "mission.runner",
    "notebook_path": "mission.runner",
    "NotebookError": "mission.runner",
    # sample data
    "generate_sample": "samples.generator",
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
