"""Benchmark: the whole demo mission, kernel start included, through the real CLI.

Target: under 60 s on 2 cores (PDF printing included).  Writes benchmarks/results/demo.md.
Run: .venv/bin/python benchmarks/demo.py
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    exe = Path(sys.executable).with_name("cashmission")
    runs = []
    for flag in ("--no-pdf", "--no-pdf", "--pdf"):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            subprocess.run([str(exe), "demo", "--out", tmp, flag], check=True, capture_output=True)
            runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cashmission.cli"], check=True)
    import_s = time.perf_counter() - t0
    lines = [
        "# Demo mission benchmark",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| `cashmission demo --no-pdf` (2 notebooks, kernel start, HTML export), run 1 | {runs[0]:.1f} |",
        f"| `cashmission demo --no-pdf`, run 2 | {runs[1]:.1f} |",
        f"| `cashmission demo --pdf` (the same, and each report printed to A4 PDF by Chromium) | {runs[2]:.1f} |",
        f"| `python -c 'import cashmission.cli'` (start-up) | {import_s:.2f} |",
        "",
        f"Target: < 60 s. Result: {'met' if max(runs) < 60 else 'NOT met'}.",
    ]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "demo.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
