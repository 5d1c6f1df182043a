"""Benchmark: start-up time of the command line, and the modules that make it.

Times, best of 5 fresh processes each (wall clock, and the CPU time the child used):

- ``python -c "pass"`` (the interpreter alone: the floor) and ``python -c "import pandas"``
  (what an eager pandas import costs);
- ``python -c "import cashmission"``;
- ``python -m cashmission --help``;
- ``python -m cashmission init DIR`` (in a fresh temporary folder each time).

Then ``python -X importtime`` of ``--help`` and of ``init``: the 15 imports with the largest
cumulative time, and which top-level packages are imported at all.  Goal of issue 11:
``--help`` and ``init`` under 200 ms.  Writes benchmarks/results/startup.md.

Run: ``.venv/bin/python benchmarks/startup.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

HEAVY = ("pandas", "numpy", "matplotlib", "seaborn", "pandera", "pydantic", "yaml", "babel", "jinja2", "scipy")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_common.HERE.parent), env.get("PYTHONPATH", "")) if p)
    return env


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run; fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(args, capture_output=True, text=True, env=_env(), cwd=_common.HERE.parent, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {res.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(k: int, make_args) -> tuple[float, float]:
    """(least wall time, least CPU time) over ``k`` runs: on a shared machine the CPU time is the steadier."""
    runs = [timed(make_args()) for _ in range(k)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def importtime(args: list[str]) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of every import of ``python -X importtime <args>``."""
    res = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=_common.HERE.parent,
        check=False,
    )
    out = []
    for line in res.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="cm_init_"))
    counter = iter(range(10_000))
    cases = [
        ('`python -c "pass"` (the interpreter: floor)', lambda: [py, "-c", "pass"]),
        ('`python -c "import pandas"` (for reference)', lambda: [py, "-c", "import pandas"]),
        *(
            [('`python -c "import duckdb"` (for reference)', lambda: [py, "-c", "import duckdb"])]
            if importlib.util.find_spec("duckdb")
            else []
        ),
        ('`python -c "import click"` (what a pandas-free `--help` needs)', lambda: [py, "-c", "import click"]),
        (
            '`python -c "import click, yaml, pydantic"` (`init` if the mission file stays validated eagerly)',
            lambda: [py, "-c", "import click, yaml, pydantic"],
        ),
        ('`python -c "import cashmission"`', lambda: [py, "-c", "import cashmission"]),
        ("`python -m cashmission --help`", lambda: [py, "-m", "cashmission", "--help"]),
        (
            "`python -m cashmission init DIR` (new folder)",
            lambda: [py, "-m", "cashmission", "init", str(tmp / str(next(counter)))],
        ),
    ]
    results = []
    for label, make in cases:
        wall, cpu = best_of(args.repeat, make)
        results.append((label, wall, cpu))
        print(f"{label}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU", flush=True)
    lines = [
        "# Start-up time of the command line",
        "",
        _common.machine("pandas", "numpy", "click", "duckdb"),
        "",
        f"Best of {args.repeat} fresh processes each: least wall-clock time, and least CPU time (user + system of "
        "the child), each over the runs.  On a loaded machine the CPU time is the figure to compare (wall = CPU + "
        "waiting for a core).",
        "",
        "| command | wall ms | CPU ms | goal |",
        "|---|---|---|---|",
    ]
    for label, wall, cpu in results:
        goal = ""
        if label.startswith("`python -m cashmission"):
            goal = f"< 200 ms: {'met' if wall < 0.2 else 'NOT met'} (wall), {'met' if cpu < 0.2 else 'NOT met'} (CPU)"
        lines.append(f"| {label} | {wall * 1000:.0f} | {cpu * 1000:.0f} | {goal} |")
    for what, argv in (
        ("--help", ["-m", "cashmission", "--help"]),
        ("init", ["-m", "cashmission", "init", str(tmp / "it")]),
    ):
        imports = importtime(argv)
        total = sum(s for s, _, _ in imports)
        top = sorted(imports, key=lambda t: -t[1])[:15]
        loaded = sorted({m.split(".")[0] for _, _, m in imports} & set(HEAVY))
        lines += [
            "",
            f"## `python -X importtime -m cashmission {what}`: top 15 by cumulative time",
            "",
            f"{len(imports)} modules imported, {total / 1000:.0f} ms of import time in all (self times summed; "
            f"-X importtime itself slows imports).  Heavy packages imported: {', '.join(loaded) or 'none'}.",
            "",
            "| module | cumulative ms | self ms |",
            "|---|---|---|",
        ]
        lines += [f"| `{m}` | {c / 1000:.1f} | {s / 1000:.1f} |" for s, c, m in top]
    lines += ["", "Run: `.venv/bin/python benchmarks/startup.py`."]
    _common.write_results("startup.md", lines)


if __name__ == "__main__":
    main()
