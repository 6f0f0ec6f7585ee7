#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the extension in a real VS Code:
# Debian's libkrb5-dev, ripgrep and chromium (+ build tools for native modules), and
# code-server 4.100.3 (VS Code 1.100, the last line that accepts Node 20) from the npm
# registry into .vscode-test/code-server, in its own folder with its own package.json.
# Recipe: shared/notes/real-vscode-in-ci.md. Idempotent: skips in well under a second when
# everything is already there. Runs as root (CI) or through sudo.
#
# Usage: bash scripts/install-code-server.sh        (from anywhere; paths are repo-relative)
# Prints the entry point's path on stdout (all progress goes to stderr): .vscode-test/code-server/node_modules/code-server/out/node/entry.js
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless its
# cache already holds the archive it wants; these are the names for code-server 4.100.3.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_VERSION=v13.0.0-10

# Progress goes to stderr; stdout carries only the entry point's path (last line), so
# callers can do entry=$(bash scripts/install-code-server.sh) and still see the progress.
exec 3>&1 1>&2

started=$(date +%s)
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest="$repo_root/.vscode-test/code-server"
entry="$dest/node_modules/code-server/out/node/entry.js"
marker="$dest/.installed-$CODE_SERVER_VERSION"

log() { printf '[install-code-server] %s\n' "$*"; }
die() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo $(( $(date +%s) - started )); }

# --- Debian packages -------------------------------------------------------------------
missing=()
for pkg in libkrb5-dev ripgrep chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# Build tools for node-pty, kerberos, etc. (node-gyp); usually already on the machine.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)

if [ -f "$marker" ] && [ -f "$entry" ] && [ ${#missing[@]} -eq 0 ]; then
  log "code-server $CODE_SERVER_VERSION and its Debian packages already installed ($(elapsed) s)"
  echo "$entry" >&3
  exit 0
fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  # Lock timeout: other jobs on the same machine may be installing packages too.
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q \
    || die "apt-get update failed"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
  log "Debian packages done ($(elapsed) s)"
fi

command -v rg >/dev/null 2>&1 || die "rg (ripgrep) not on PATH after install"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install"

if [ -f "$marker" ] && [ -f "$entry" ]; then
  log "code-server $CODE_SERVER_VERSION already installed ($(elapsed) s)"
  echo "$entry" >&3
  exit 0
fi

# --- ripgrep cache ---------------------------------------------------------------------
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) rg_target=aarch64-unknown-linux-musl ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
# The postinstall looks in os.tmpdir() (honours TMPDIR).
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
rg_archive="$rg_cache/ripgrep-$RIPGREP_VERSION-$rg_target.tar.gz"
mkdir -p "$rg_cache"
tar czf "$rg_archive" -C "$(dirname "$(command -v rg)")" rg
log "seeded $rg_archive with $(command -v rg)"

# --- code-server from the npm registry -------------------------------------------------
mkdir -p "$dest"
rm -f "$marker"
cat >"$dest/package.json" <<EOF
{
  "name": "kernel-trace-lens-code-server",
  "description": "code-server for the end-to-end tests (scripts/install-code-server.sh); not a dependency of the extension",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
EOF

# unsafe_perm: code-server's postinstall refuses to run as root otherwise; yes: node-pty's
# postinstall runs `npx node-gyp`, which would prompt. nodedir: build native modules against
# the machine's Node headers (node-gyp cannot download them here).
export npm_config_unsafe_perm=true npm_config_yes=true
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

log "npm install code-server@$CODE_SERVER_VERSION into ${dest#"$repo_root"/} (several minutes: native modules are compiled)"
(cd "$dest" && npm install --no-audit --no-fund --no-save --loglevel=error) \
  || die "npm install code-server@$CODE_SERVER_VERSION failed (see the npm log above)"

[ -f "$entry" ] || die "code-server installed but $entry is missing"
version=$(node -p "require('$dest/node_modules/code-server/package.json').version")
[ "$version" = "$CODE_SERVER_VERSION" ] || die "installed code-server $version, wanted $CODE_SERVER_VERSION"
touch "$marker"
log "code-server $CODE_SERVER_VERSION installed in $(elapsed) s"
echo "$entry" >&3
