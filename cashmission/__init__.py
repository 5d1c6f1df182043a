"""cashmission: a toolkit for cash-engineering consulting missions.

Aged balance (*balance âgée*), the French FEC ledger, working-capital KPIs (DSO, DPO,
stock rotation, BFR), and reproducible diagnostic reports.  Notebooks use it as::

    import cashmission as cm
    items, report = cm.load_open_items("open_items.csv")
    cm.aged_balance(items, as_of="2026-08-03", by="customer_id")

``cm`` exposes the user's functions: load a client's files, age the receivables, compute
the working-capital KPIs, run a mission.  Everything else is reached through its
subpackage (``cashmission.io``, ``ledger``, ``working_capital``, ``report``, ``mission``;
see ``docs/architecture.md``).  Public names are imported lazily, so ``import cashmission``
stays fast for the CLI.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # what a loader found
    "Problem": "problems",
    "LoadReport": "problems",
    "InputError": "problems",
    # load a client's files
    "check_file": "io.exports",
    "load_open_items": "io.exports",
    "is_fec": "io.fec",
    "read_fec": "io.fec",
    "validate_fec": "io.fec_validation",
    "load_receivables": "ledger.sources",
    "load_working_capital": "working_capital.sources",
    # receivables: open items, ageing, concentration, payment behaviour, reconciliation
    "open_at": "ledger.ageing",
    "aged_balance": "ledger.ageing",
    "aging_summary": "ledger.ageing",
    "customer_keys": "ledger.ageing",
    "concentration": "ledger.concentration",
    "pareto": "ledger.concentration",
    "fec_payment_history": "ledger.behaviour",
    "customer_payment_behaviour": "ledger.behaviour",
    "item_payment_history": "ledger.behaviour",
    "payer_behaviour": "ledger.behaviour",
    "reconcile": "ledger.reconciliation",
    # working capital: the KPI table, series, tracking, bridge, cash at stake
    "kpi_table": "working_capital.table",
    "kpi_series": "working_capital.series",
    "bfr_tracking": "working_capital.series",
    "dso_bridge_between": "working_capital.bridge",
    "dso_bridge_from_files": "working_capital.sources",
    "cash_at_stake": "working_capital.measures_cycle",
    # run a mission
    "load_mission": "mission.config",
    "run_notebook": "mission.runner",
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
