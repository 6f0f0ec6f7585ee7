#!/usr/bin/env bash
# The README's "run it" command, for a fresh machine: installs, builds, and opens the
# sample workspace (sample/) in VS Code with this extension loaded.
#   - With a `code` CLI (desktop VS Code): an Extension Development Host window.
#   - Without one: code-server (VS Code in the browser) on 127.0.0.1:$PORT (default 8080),
#     in the foreground; open the printed URL. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

npm ci --no-audit --no-fund
npm run build
# The kernel source the sample's settings point at (Debian's linux-source-6.1, never committed).
node scripts/linux-source.mjs >/dev/null

if command -v code >/dev/null 2>&1; then
  exec code --extensionDevelopmentPath="$root" "$root/sample"
fi

entry=$(bash scripts/install-code-server.sh)
[ -f "$entry" ] || { echo "open-sample: code-server entry point not found ($entry)" >&2; exit 1; }

port=${PORT:-8080}
# A profile of its own, kept between runs (state, window layout), beside the code-server install.
profile="$root/.vscode-test/open-sample"
mkdir -p "$profile/user-data/User" "$profile/extensions"
if [ ! -f "$profile/user-data/User/settings.json" ]; then
  # No workspace-trust prompt (it would keep the extension from activating), no welcome page.
  cat >"$profile/user-data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false
}
JSON
fi
# The extension is this checkout, linked under the name VS Code expects: publisher.name-version.
ext_name=$(node -p "const p = require('./package.json'); p.publisher + '.' + p.name + '-' + p.version")
find "$profile/extensions" -mindepth 1 -maxdepth 1 -type l -delete
ln -sfn "$root" "$profile/extensions/$ext_name"
printf 'auth: none\ncert: false\n' >"$profile/config.yaml"

url="http://127.0.0.1:$port/?folder=$root/sample"
cat <<MSG

  Kernel Trace Lens: VS Code (code-server) with the sample workspace.
  Open:  $url
  (Forwarding from another machine: ssh -L $port:127.0.0.1:$port THIS_HOST, then the same URL.)
  Ctrl-C stops it.

MSG
# VSCODE_IPC_HOOK_CLI would make code-server hand the folder to a VS Code it runs inside of.
unset VSCODE_IPC_HOOK_CLI
export PORT="$port"
exec node "$entry" --config "$profile/config.yaml" --auth none --bind-addr "127.0.0.1:$port" \
  --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions" \
  --disable-telemetry --disable-update-check --disable-getting-started-override \
  --ignore-last-opened "$root/sample"
