"""Profile of cashmission's large-file paths: where the time and the memory go, step by step.

On the 1 M-line FEC of ``fec_scale.py`` (built by it if missing) and the 1 M-row export of
``open_items_scale.py``, each in fresh child processes:

1. cProfile of each step (``read_fec``, ``fec_receivables``, ``aged_balance``,
   ``load_open_items``, ``cashmission kpi FILE`` through the click command): the
   functions with the largest own time, with their share of the step and call counts,
   and the package's functions by cumulative time;
2. memory of each step without a profiler: resident set (``VmRSS``) after it and the
   process' peak so far (``VmHWM``), the size of the frame it returns
   (``memory_usage(deep=True)``, by column), and, in a separate run under tracemalloc,
   each step's peak of Python allocations and the source lines that allocated most of
   what the step returns.

Writes the raw figures to benchmarks/results/scale_profile_data.md (the analysis and plan
are in scale_profile.md, written by hand from these figures).

Run: ``.venv/bin/python benchmarks/scale_profile.py``; with
``ARROW_PYTHON=/path/to/python`` (a venv where pyarrow is installed) the memory run is
repeated with that interpreter.
"""

from __future__ import annotations

import json
import os

import _common
from fec_scale import fec_file
from open_items_scale import export_file

STEPS_CHILD = r"""
import cProfile, json, pstats, sys, time, tracemalloc
mode, fec, export = sys.argv[1], sys.argv[2], sys.argv[3]
ROOT = "/cashmission/"

def _rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

def top(prof, n=12):
    st = pstats.Stats(prof)
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():
        short = file.split("site-packages/")[-1].split("wt-F/")[-1]
        rows.append({"where": f"{short}:{line}({func})", "calls": nc, "tt": tt, "ct": ct, "pkg": ROOT in file})
    total = max((r["ct"] for r in rows), default=0.0)
    own = sorted(rows, key=lambda r: -r["tt"])[:n]
    pkg = sorted((r for r in rows if r["pkg"]), key=lambda r: -r["ct"])[:n]
    return {"total": total, "own": own, "pkg": pkg}

def frame_mb(df):
    usage = df.memory_usage(deep=True, index=True)
    return {"total": float(usage.sum() / 2**20),
            "columns": {str(k): float(v / 2**20) for k, v in usage.sort_values(ascending=False).head(8).items()}}

def kpi():
    from cashmission.cli import main
    try:
        main.main(["kpi", fec, "--format", "csv"], standalone_mode=False)
    except SystemExit:
        pass

def steps():
    from cashmission.io.fec import read_fec
    from cashmission.ledger.fec_ledger import fec_receivables
    from cashmission.ledger.ageing import aged_balance
    from cashmission.io.exports import load_open_items
    state = {}
    def s_read():
        state["lines"] = read_fec(fec)[0]; return state["lines"]
    def s_ledger():
        state["items"] = fec_receivables(state["lines"], terms_days=30); return state["items"]
    def s_aging():
        return aged_balance(state["items"], "2024-09-30", by="customer_id")
    def s_export():
        state.clear(); return load_open_items(export)[0]
    return [("read_fec", s_read), ("fec_receivables", s_ledger), ("aged_balance", s_aging),
            ("load_open_items (after dropping the FEC frames)", s_export)]

out = {}
import pandas  # imported once up front: not counted in the steps
if mode == "cprofile":
    for name, fn in steps():
        prof = cProfile.Profile()
        t0 = time.perf_counter(); prof.enable(); fn(); prof.disable()
        out[name] = {"wall": time.perf_counter() - t0, **top(prof)}
    prof = cProfile.Profile()
    import io, contextlib
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        prof.enable(); kpi(); prof.disable()
    out["cashmission kpi (fec_monthly_figures + kpi_table)"] = {"wall": time.perf_counter() - t0, **top(prof)}
elif mode == "memory":
    for name, fn in steps():
        t0 = time.perf_counter(); res = fn(); wall = time.perf_counter() - t0
        out[name] = {"wall": wall, "rss": _rss_mb(), "hwm": _peak_mb(), "frame": frame_mb(res)}
        del res
else:  # tracemalloc
    tracemalloc.start(1)
    for name, fn in steps():
        tracemalloc.reset_peak()
        before = tracemalloc.take_snapshot()
        res = fn()
        peak = tracemalloc.get_traced_memory()[1]
        after = tracemalloc.take_snapshot()
        diff = after.compare_to(before, "lineno")[:6]
        out[name] = {"peak": peak / 2**20, "kept": [
            {"where": f"{str(d.traceback[0].filename).split('site-packages/')[-1].split('wt-F/')[-1]}:"
                      f"{d.traceback[0].lineno}", "mb": d.size_diff / 2**20} for d in diff]}
        del res
print(json.dumps(out))
"""

KPI_CHILD = r"""
import contextlib, io, json, sys, time
t0 = time.perf_counter()
from cashmission.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    try:
        main.main(["kpi", sys.argv[1], "--format", "csv"], standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": _cpu_s(), "peak_mb": _peak_mb(),
                  "out_lines": len(buf.getvalue().splitlines())}))
"""


def _table(rows: list[dict], total: float) -> list[str]:
    out = ["| function | own s | share | calls | cumulative s |", "|---|---|---|---|---|"]
    for r in rows:
        share = r["tt"] / total if total else 0.0
        out.append(f"| `{r['where']}` | {r['tt']:.2f} | {share:.0%} | {r['calls']:,} | {r['ct']:.2f} |")
    return out


def main() -> None:
    fec, _ = fec_file(1_000_000)
    export, _ = export_file(1_000_000)
    prof = _common.run_child(STEPS_CHILD, "cprofile", fec, export)
    mem = _common.run_child(STEPS_CHILD, "memory", fec, export)
    traced = _common.run_child(STEPS_CHILD, "tracemalloc", fec, export)
    # the same steps where pandas stores its strings in pyarrow (pandas 3 does when pyarrow is installed)
    arrow_python = os.environ.get("ARROW_PYTHON")
    arrow = _common.run_child(STEPS_CHILD, "memory", fec, export, python=arrow_python) if arrow_python else None
    lines = [
        "# Profile data: the 1 M-line FEC and the 1 M-row open-items export",
        "",
        _common.machine("pandas", "numpy"),
        "",
        f"Files: `{fec.name}` ({fec.stat().st_size / 2**20:.0f} MB), `{export.name}` "
        f"({export.stat().st_size / 2**20:.0f} MB).  Raw output of `benchmarks/scale_profile.py`; "
        "the analysis is in `scale_profile.md`.",
        "",
        "## Memory by step (no profiler; one process, steps in order)",
        "",
        "| step | wall s | RSS after MB | peak so far MB | frame returned MB | its largest columns MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in mem.items():
        cols = ", ".join(f"{k} {v:.0f}" for k, v in list(m["frame"]["columns"].items())[:6])
        lines.append(
            f"| {name} | {m['wall']:.2f} | {m['rss']:.0f} | {m['hwm']:.0f} | {m['frame']['total']:.0f} | {cols} |"
        )
    if arrow is not None:
        lines += [
            "",
            f"The same steps with pyarrow installed (`{arrow_python}`: pandas 3 then stores `str` columns in "
            "pyarrow; nothing else changes):",
            "",
            "| step | wall s | RSS after MB | peak so far MB | frame returned MB | its largest columns MB |",
            "|---|---|---|---|---|---|",
        ]
        for name, m in arrow.items():
            cols = ", ".join(f"{k} {v:.0f}" for k, v in list(m["frame"]["columns"].items())[:6])
            lines.append(
                f"| {name} | {m['wall']:.2f} | {m['rss']:.0f} | {m['hwm']:.0f} | {m['frame']['total']:.0f} | {cols} |"
            )
    lines += ["", "## tracemalloc: each step's peak of Python allocations and what it keeps", ""]
    for name, t in traced.items():
        kept = "; ".join(f"`{k['where']}` {k['mb']:+.0f} MB" for k in t["kept"])
        lines.append(f"- **{name}**: peak {t['peak']:.0f} MB; kept by line: {kept}")
    for name, p in prof.items():
        lines += [
            "",
            f"## cProfile: {name} ({p['wall']:.2f} s with the profiler)",
            "",
            "Largest own time:",
            "",
            *_table(p["own"], p["total"]),
            "",
            "cashmission functions by cumulative time:",
            "",
            *_table(p["pkg"], p["total"]),
        ]
    kpi_runs = [_common.run_child(KPI_CHILD, fec) for _ in range(3)]
    kpi_arrow = [_common.run_child(KPI_CHILD, fec, python=arrow_python) for _ in range(3)] if arrow_python else []
    lines += [
        "",
        "## `cashmission kpi FEC --format csv` in a fresh process (no profiler; imports included; best of 3)",
        "",
        "| interpreter | wall s | CPU s | peak MB | goal < 3 s |",
        "|---|---|---|---|---|",
    ]
    for label, runs in (("pandas, no pyarrow", kpi_runs), ("pandas + pyarrow strings", kpi_arrow)):
        if runs:
            b = min(runs, key=lambda r: r["wall"])
            pk = max(r["peak_mb"] for r in runs)
            lines.append(
                f"| {label} | {b['wall']:.2f} | {b['cpu']:.2f} | {pk:.0f} | {'met' if b['wall'] < 3 else 'NOT met'} |"
            )
    _common.write_results("scale_profile_data.md", lines)
    raw = {"cprofile": prof, "memory": mem, "traced": traced, "arrow": arrow, "kpi": kpi_runs, "kpi_arrow": kpi_arrow}
    (_common.WORK / "scale_profile.json").write_text(json.dumps(raw))


if __name__ == "__main__":
    main()
