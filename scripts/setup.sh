#!/usr/bin/env bash
# `npm run setup` in a clone of atomik-gen: what only a clone needs (Chromium for the repository's browser test, Slurm
# and munge for its one-node cluster test, the npm dependencies and the build), then `atomik-gen setup`, which installs
# the EDA tools as it does for any user (Debian packages with apt-get, the pinned Python tools of
# scripts/requirements-tools.txt into the per-user toolchain folder).
# Safe to run again: each step is skipped when already done. Works without a terminal (CI=true, no stdin). Run as
# root on a fresh machine; as another user it prints the apt-get command to run and exits 1 after doing the rest.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

started=$SECONDS
step() { printf '==> %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
status=0

# --- Chromium, for the browser test of the HTML comparison report ------------------------------------------------
# playwright-core drives it and never downloads a browser. ATOMIK_CHROMIUM names another Chromium or Chrome, e.g. the
# one a CI image already has. Users of the package do not need it, so `atomik-gen setup` does not install it.
if [[ -x /usr/bin/chromium || -x ${ATOMIK_CHROMIUM:-} ]]; then
  step "chromium: present, skipping apt-get"
elif [[ $(id -u) -eq 0 ]] && have apt-get; then
  step "chromium: apt-get update && apt-get install -y --no-install-recommends chromium"
  apt-get update -q
  apt_updated=1
  apt-get install -y --no-install-recommends chromium
  [[ -x /usr/bin/chromium ]] || die "chromium still missing after apt-get (expected /usr/bin/chromium, or set ATOMIK_CHROMIUM)"
else
  printf 'setup: chromium (for the browser test) is missing; run this as root, or set ATOMIK_CHROMIUM:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n' >&2
  status=1
fi

# --- Slurm and munge, for the test of sweeps on a one-node cluster -------------------------------------------------
# test/slurm-cluster.ts starts munged, slurmctld and slurmd from Debian's slurm-wlm and munge (as root, or through
# passwordless sudo) for `sweep --executor slurm`. Users of the package do not need them: on a cluster, the sweep uses
# the cluster's own Slurm commands. Missing and not root: the command to run is printed, and setup goes on.
if [[ -x /usr/sbin/slurmctld && -x /usr/sbin/slurmd && -x /usr/sbin/munged ]]; then
  step "slurm: present, skipping apt-get"
elif [[ $(id -u) -eq 0 ]] && have apt-get; then
  step "slurm: apt-get install -y --no-install-recommends slurm-wlm munge"
  [[ ${apt_updated:-} == 1 ]] || apt-get update -q
  apt-get install -y --no-install-recommends slurm-wlm munge
  [[ -x /usr/sbin/slurmctld && -x /usr/sbin/munged ]] || die "slurm-wlm or munge still missing after apt-get (expected /usr/sbin/slurmctld and /usr/sbin/munged)"
else
  printf 'setup: slurm-wlm and munge (for the one-node Slurm cluster test) are missing; to run that test, as root:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends slurm-wlm munge\n' >&2
fi

# --- npm dependencies and build -----------------------------------------------------------------------------------
have npm || die "npm not found: install Node.js >= 20 and run setup again"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm: npm ci"
  npm ci --no-audit --no-fund
else
  step "npm: node_modules matches package-lock.json, skipping npm ci"
fi
step "npm: npm run build"
npm run --silent build

# --- the EDA tools, as for any user -------------------------------------------------------------------------------
step "tools: atomik-gen setup"
node bin/atomik-gen.js setup || status=$?

if ((status == 0)); then
  step "setup done in $((SECONDS - started)) s"
else
  printf 'setup: not complete after %s s: see the messages above\n' "$((SECONDS - started))" >&2
fi
exit "$status"
