#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install the exact versions in requirements/lock.txt.
# Re-runs are cheap: nothing is installed again unless the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed-lock"

suitable() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        if suitable "$PYTHON"; then echo "$PYTHON"; return 0; fi
        echo "PYTHON=$PYTHON is not Python 3.12 or newer." >&2
        return 1
    fi
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && suitable "$(command -v "$candidate")"; then
            command -v "$candidate"; return 0
        fi
    done
    # pyenv keeps interpreters that are not on PATH unless selected.
    local root="${PYENV_ROOT:-$HOME/.pyenv}"
    if [ -d "$root/versions" ]; then
        for candidate in $(ls -1 "$root/versions" | grep -E '^3\.(1[2-9])(\.[0-9]+)?$' | sort -t. -k2,2nr -k3,3nr); do
            if suitable "$root/versions/$candidate/bin/python3"; then
                echo "$root/versions/$candidate/bin/python3"; return 0
            fi
        done
    fi
    return 1
}

if [ ! -x "$VENV/bin/python" ] || ! suitable "$VENV/bin/python"; then
    if ! PY=$(find_python); then
        cat >&2 <<'MSG'
aftercare needs Python 3.12 or newer (Django 6.1 does not run on older versions).
None was found on PATH (python3.14, python3.13, python3.12, python3) nor under pyenv.
Install one (for example `pyenv install 3.13` or your system's python3.13 package),
or point to it: make run PYTHON=/path/to/python3.13
MSG
        exit 1
    fi
    echo "Creating $VENV with $PY ($("$PY" --version))"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi

# Install the lock file, saying how far it is: on a terminal one line that counts the packages
# as pip reaches them, elsewhere a line before and one after. pip's own output goes to a log that
# is shown only if it fails.
install_lock() {
    local total log started
    total=$(grep -cE '^[A-Za-z0-9]' requirements/lock.txt)
    log=$(mktemp)
    started=$(date +%s)
    echo "Installing $total packages (exact versions from requirements/lock.txt) into $VENV"
    if [ -t 1 ]; then
        if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
                -r requirements/lock.txt 2>&1 | tee "$log" | awk -v total="$total" '
                /^Collecting / { name = $2 }
                /^Requirement already satisfied: / { name = $4 }
                name != "" {
                    sub(/[=<>!~;[].*/, "", name)
                    if (!(tolower(name) in seen)) {
                        seen[tolower(name)] = 1; count++
                        printf "\r\033[K  %d/%d %s", count, total, name; fflush()
                    }
                    name = ""
                }
                /^Installing collected packages/ { printf "\r\033[K  installing..."; fflush() }
                END { printf "\r\033[K"; fflush() }'; then
            tail -n 30 "$log" >&2; rm -f "$log"; exit 1
        fi
    elif ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -r requirements/lock.txt >"$log" 2>&1; then
        cat "$log" >&2; rm -f "$log"; exit 1
    fi
    rm -f "$log"
    echo "Installed in $(( $(date +%s) - started )) s."
}

if [ ! -f "$STAMP" ] || ! cmp -s requirements/lock.txt "$STAMP"; then
    install_lock
    cp requirements/lock.txt "$STAMP"
fi
