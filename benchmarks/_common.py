"""Shared by the scale benchmarks: fresh child processes, each measuring its own peak memory.

A child's peak is the high-water mark of its own resident set (``VmHWM`` in
``/proc/self/status``, reset by ``exec``), not ``getrusage(RUSAGE_SELF).ru_maxrss``:
Linux carries ``ru_maxrss`` over ``fork`` + ``exec``, so a child started by a parent
that built a 1 GB file reported the parent's 1 GB (issue 11).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
RESULTS = HERE / "results"

PEAK = '''
def _peak_mb():
    """This process' own peak resident set size (VmHWM), in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s():
    """CPU seconds (user + system) of this process' threads so far."""
    import os
    t = os.times()
    return t.user + t.system
'''
"""Source of ``_peak_mb()`` and ``_cpu_s()``, prepended to every child's code."""


def run_child(code: str, *args: object, timeout: float = 3600, python: str | None = None) -> dict:
    """Run ``code`` in a fresh ``python -c`` (with :data:`PEAK` defined); return the JSON of its last line.

    ``python``: another interpreter (e.g. a venv with pyarrow), else this one.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE.parent), env.get("PYTHONPATH", "")) if p)
    res = subprocess.run(
        [python or sys.executable, "-c", PEAK + code, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        env=env,
        timeout=timeout,
        check=False,
    )
    if res.returncode != 0:
        raise SystemExit(f"child failed ({res.returncode}):\n{res.stderr[-3000:]}")
    last = [line for line in res.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(last)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def versions(*names: str) -> str:
    """``name version`` of each installed distribution (``absent`` when not installed)."""
    from importlib import metadata

    out = []
    for n in names:
        try:
            out.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            out.append(f"{n} absent")
    return ", ".join(out)


def machine(*packages: str) -> str:
    """One line: cores, CPU, memory, OS, Python, package versions, load average."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), {memory_gb():.0f} GB RAM, {platform.system()} "
        f"{platform.machine()}; Python {platform.python_version()}; {versions(*packages)}.  "
        f"Load average at the end (1/5/15 min): {load} (other jobs share the machine: times vary)."
    )


def write_results(name: str, lines: list[str]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return path
