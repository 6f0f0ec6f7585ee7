#!/usr/bin/env bash
# Debian packages, npm ci, the kernel source files, code-server, build, lint, typecheck, then
# every test suite (unit, golden, fuzz, kernel, webview, e2e). Stops at the first failing step and says which.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the test suites need: Chromium for the webview and e2e suites;
# linux-source-6.1 for the kernel source files the source-linking tests and the sample read
# (scripts/linux-source.mjs unpacks only those; nothing of the kernel is committed); the rest
# is what code-server needs (kerberos headers, ripgrep, build tools for native modules), and
# ping and ip for the kernel suite's recording in network namespaces (it skips, saying why,
# where there is no tracefs or no root).
# scripts/install-code-server.sh checks its own list again, so it also works on its own.
DEBIAN_PACKAGES=(chromium libkrb5-dev ripgrep python3 make g++ linux-source-6.1 iputils-ping iproute2)

started=$(date +%s)

# Runs one step; on failure says which step failed and exits with its status.
step() {
  local name=$1 t0 rc=0
  shift
  t0=$(date +%s)
  printf '\n=== test-all: %s\n' "$name"
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '\n*** test-all: FAILED at step "%s" (exit %s) after %s s in all\n' "$name" "$rc" "$(( $(date +%s) - started ))" >&2
    exit "$rc"
  fi
  printf '=== test-all: %s ok (%s s)\n' "$name" "$(( $(date +%s) - t0 ))"
}

# (Called through step, where set -e does not apply: every command checks its own status.)
install_debian_packages() {
  local missing=() pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all present: ${DEBIAN_PACKAGES[*]}"
    return 0
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q || return
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" || return
}

step "Debian packages" install_debian_packages
step "npm ci" npm ci --no-audit --no-fund
step "kernel source" node scripts/linux-source.mjs
step "code-server" bash scripts/install-code-server.sh
step "build" npm run build
step "lint" npm run lint
step "typecheck" npm run typecheck
step "tests (all suites)" npm test

printf '\n=== test-all: every step passed in %s s\n' "$(( $(date +%s) - started ))"
