#!/usr/bin/env bash
# cashmission developer entry point: the two README commands.
#   bash dev.sh demo   set everything up (venv, package, Jupyter kernel) and run the demo mission
#   bash dev.sh test   set up if needed, then run the whole test suite (what .ci/run calls)
#   bash dev.sh lab    set up if needed, then open JupyterLab on the project (localhost, project kernel)
# Works on a fresh Debian machine with Python 3.11, pip and apt (as root).  PDF reports need
# Debian's chromium (and the tests read PDFs with poppler-utils): installed with apt-get
# when missing and running as root, otherwise a warning says what to run.
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
    system_packages
}

# System packages for PDF reports: chromium prints the HTML reports, poppler-utils
# (pdftotext, pdfinfo) lets the tests read the PDFs.  Fast no-op when already there.
system_packages() {
    local missing=()
    if [ -z "${CASHMISSION_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
        && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
        missing+=(chromium)
    fi
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "[setup] installing ${missing[*]} with apt-get (PDF reports)"
        if apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        then
            return 0
        fi
        echo "[setup] warning: apt-get could not install ${missing[*]}" >&2
    fi
    echo "[setup] warning: ${missing[*]} missing: no PDF reports (the PDF tests fail under CI=true);" \
        "install with: apt-get install -y --no-install-recommends ${missing[*]} (as root)" >&2
}

case "${1:-}" in
    setup) setup ;;
    demo) setup; shift; "$VENV/bin/cashmission" demo "$@" ;;
    test) setup; shift; "$PY" -m pytest "$@" ;;
    lab) setup; shift; exec "$VENV/bin/cashmission" lab "${@:-.}" ;;
    *) echo "usage: bash dev.sh {demo|test|setup|lab} [args]" >&2; exit 2 ;;
esac
