#!/usr/bin/env bash
# The test command, for a developer's machine and for CI (a fresh Debian, as root, CI=true):
#
#     bash scripts/test.sh [pytest arguments...]
#
# 1. installs the Debian packages the tests drive (chromium, nginx, fonts-noto-cjk, ffmpeg, rsync, Java, npm; python3-venv
#    when python3 cannot make a venv) with apt-get, as root or through passwordless sudo;
#    otherwise it says how to install them and goes on: those tests skip locally, fail under CI=true;
#    then the npm checkers pinned in tools/package.json (vnu-jar, axe-core) into tools/node_modules;
# 2. creates .venv and installs Exhibit with its test extras into it (again only when pyproject.toml changed);
# 3. runs `ruff check exhibit tests build.py` and `lint-imports` (the layer contracts in pyproject.toml),
#    then `python -m pytest -n auto --dist worksteal "$@"`: the tests run in parallel, one pytest-xdist worker
#    per CPU (EXHIBIT_TEST_WORKERS=N for another number; `-n 0` among the arguments runs them in this process).
# Exit status: pytest's, else ruff's, else lint-imports'. Everything already installed: no network,
# a few seconds of setup.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
PY="$VENV/bin/python"
STAMP="$VENV/.exhibit-test-deps"

note() { printf 'scripts/test.sh: %s\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------------------------

have_chromium() {
    [ -n "${EXHIBIT_CHROMIUM:-}" ] && [ -x "${EXHIBIT_CHROMIUM}" ] && return 0
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -x /usr/bin/chromium ]
}

have_nginx() {
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
}

have_cjk_font() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
        return 0
    fi
    command -v dpkg-query >/dev/null 2>&1 &&
        dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed'
}

have_ffprobe() {
    command -v ffprobe >/dev/null 2>&1
}

have_rsync() {
    command -v rsync >/dev/null 2>&1
}

have_java() {
    command -v java >/dev/null 2>&1
}

have_python_venv() {
    command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1
}

can_be_root() {
    [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# Runs as root. "nginx" becomes nginx-light where the archive still has it. A temporary
# policy-rc.d keeps the package from starting an nginx service on port 80 (tests start their own).
APT_SCRIPT='
set -e
export DEBIAN_FRONTEND=noninteractive
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
fi
trap "[ -z \"\$made_policy\" ] || rm -f /usr/sbin/policy-rc.d" EXIT
apt-get update -qq
packages=
for package in "$@"; do
    if [ "$package" = nginx ] && apt-cache show nginx-light >/dev/null 2>&1; then package=nginx-light; fi
    packages="$packages $package"
done
apt-get install -y -qq --no-install-recommends $packages
'

missing=()
have_python_venv || missing+=(python3 python3-venv)
have_chromium || missing+=(chromium)
have_nginx || missing+=(nginx)
have_cjk_font || missing+=(fonts-noto-cjk)
have_ffprobe || missing+=(ffmpeg)
have_rsync || missing+=(rsync)
have_java || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1 && can_be_root; then
        note "installing Debian packages: ${missing[*]}"
        if ! as_root sh -c "$APT_SCRIPT" sh "${missing[@]}"; then
            note "apt-get failed; continuing without: ${missing[*]}"
        fi
    else
        note "missing: ${missing[*]}"
        note "install them with:  sudo apt-get install chromium nginx-light fonts-noto-cjk ffmpeg python3-venv"
        note "(or your system's equivalents; EXHIBIT_CHROMIUM=/path/to/chromium also works)."
        note "Without them the browser and nginx tests are skipped here, and fail under CI=true."
    fi
fi

# --- npm checkers (pinned in tools/package.json): the Nu HTML Checker and axe-core ---------------

if [ ! -f tools/node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f tools/node_modules/axe-core/axe.min.js ]; then
    if command -v npm >/dev/null 2>&1; then
        note "installing the HTML and accessibility checkers into tools/node_modules"
        # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; Debian's default-jre-headless serves.
        (cd tools && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
            note "npm ci failed; the HTML and accessibility checks are skipped here, and fail under CI=true"
    else
        note "npm is missing (Debian: apt-get install npm): the HTML and accessibility checks skip here"
    fi
fi

# --- Python environment ---------------------------------------------------------------------

if ! command -v python3 >/dev/null 2>&1; then
    note "python3 is not installed (Debian: apt-get install python3 python3-venv)"
    exit 1
fi

if [ ! -x "$PY" ]; then
    rm -rf "$VENV"
    note "creating $VENV"
    if ! python3 -m venv "$VENV"; then
        rm -rf "$VENV"
        note "python3 cannot create a venv (Debian: apt-get install python3-venv)"
        exit 1
    fi
fi

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    note "$VENV uses Python $("$PY" -c 'import platform; print(platform.python_version())'); Exhibit needs 3.11+."
    note "Remove $VENV and run this again with a newer python3 first on PATH."
    exit 1
fi

wanted="$( { "$PY" -VV; cat pyproject.toml; } | "$PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted" ] ||
        ! "$PY" -c 'import exhibit, pytest, playwright, ruff, xdist, importlinter' >/dev/null 2>&1; then
    note "installing Exhibit and its test tools into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'
    printf '%s\n' "$wanted" > "$STAMP"
fi

# --- lint and tests ---------------------------------------------------------------------------

ruff_status=0
"$PY" -m ruff check exhibit tests build.py || ruff_status=$?

imports_status=0
"$VENV/bin/lint-imports" --no-logo || imports_status=$?

# Parallel unless the arguments choose (-n, --numprocesses, -p no:xdist, or a debugger, which needs one process).
# worksteal: a worker that runs out of tests takes pending ones from the other (the tests vary from
# milliseconds to half a minute; conftest.py puts the long ones first).
parallel=(-n "${EXHIBIT_TEST_WORKERS:-auto}" --dist worksteal)
for arg in "$@"; do
    case "$arg" in
        -n | -n* | --numprocesses | --numprocesses=* | no:xdist | -pno:xdist | --pdb | --trace) parallel=() ;;
    esac
done

# Temporary folders go under one of this checkout's own: at its end a run prunes old runs from its
# temporary root, and the shared /tmp/pytest-of-$USER also holds every other checkout's runs.
test_tmp="${TMPDIR:-/tmp}/exhibit-tests-$(id -u)-$(printf '%s' "$PWD" | cksum | cut -d ' ' -f 1)"
mkdir -p "$test_tmp"

pytest_status=0
TMPDIR="$test_tmp" "$PY" -m pytest ${parallel[@]+"${parallel[@]}"} "$@" || pytest_status=$?

if [ "$pytest_status" -eq 5 ]; then
    if [ -z "$(find tests -name 'test_*.py' -o -name '*_test.py' 2>/dev/null | head -n 1)" ]; then
        note "no tests exist yet (no tests/**/test_*.py): nothing to run"
        pytest_status=0
    else
        note "pytest collected no tests although tests exist: check the arguments (${*:-none}), -k or -m"
    fi
fi

if [ "$pytest_status" -eq 0 ] && [ "$ruff_status" -ne 0 ]; then
    note "ruff found problems (see above)"
    exit "$ruff_status"
fi
if [ "$pytest_status" -eq 0 ] && [ "$imports_status" -ne 0 ]; then
    note "lint-imports found a broken import contract (see above)"
    exit "$imports_status"
fi
exit "$pytest_status"
