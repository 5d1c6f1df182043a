#!/usr/bin/env bash
# cashmission developer entry point: the two README commands.
#   bash dev.sh demo   set everything up (venv, package, Jupyter kernel) and run the demo mission
#   bash dev.sh test   set up if needed, then run the whole test suite (what .ci/run calls)
# Works on a fresh Debian machine with Python 3.11, pip and apt (as root).
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY="$VENV/bin/python"

setup() {
    if [ ! -x "$PY" ]; then
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            echo "[setup] python3-venv missing: installing it with apt-get"
            rm -rf "$VENV"
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$VENV"
        fi
    fi
    # Reinstall only when the dependency list changed.
    stamp="$VENV/.cashmission-installed"
    want=$(sha256sum pyproject.toml | cut -c1-64)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "[setup] installing cashmission and its dependencies into $VENV"
        "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
        "$PY" -m pip install -q --disable-pip-version-check -e ".[test]"
        # The kernel notebooks name ("python3"), pointing at this venv's interpreter.
        "$PY" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (cashmission)" >/dev/null
        echo "$want" > "$stamp"
    fi
}

case "${1:-}" in
    setup) setup ;;
    demo) setup; shift; "$VENV/bin/cashmission" demo "$@" ;;
    test) setup; shift; "$PY" -m pytest "$@" ;;
    *) echo "usage: bash dev.sh {demo|test|setup} [args]" >&2; exit 2 ;;
esac
