#!/usr/bin/env bash
# n8n in queue mode on one machine: Postgres 15 + Redis (Debian packages) on loopback, an n8n main and two workers,
# each with its own user folder holding this package as a community package. Everything lives in one folder
# ($PLEK_QUEUE_DIR, default a new temp folder) and is stopped by process id.
#
#   scripts/queue-mode.sh services      install (apt-get) when missing, start Postgres + Redis on free ports,
#                                       write $PLEK_QUEUE_DIR/env (the queue-mode settings every n8n process shares)
#   scripts/queue-mode.sh package       npm pack + install into $PLEK_QUEUE_DIR/{main,worker1,worker2}/.n8n/nodes
#   scripts/queue-mode.sh n8n <args>    an n8n CLI command against the shared database (import, publish:workflow...)
#   scripts/queue-mode.sh psql <args>   psql against the shared database (execution_entity: which execution ran when)
#   scripts/queue-mode.sh start         the main (prints its URL) and two workers; waits until all are healthy
#   scripts/queue-mode.sh up            services + package + start (then try http://127.0.0.1:<port>)
#   scripts/queue-mode.sh stop          stops every process it started (by pid) and removes the folder
#
# Logs: $PLEK_QUEUE_DIR/logs/{postgres,redis,main,worker1,worker2}.log. Needs `npm run build` first (for package).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
PG_BIN="${PLEK_PG_BIN:-/usr/lib/postgresql/15/bin}"
WORKERS=(worker1 worker2)

say() { printf '[queue-mode] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

queue_dir() {
  if [[ -z "${PLEK_QUEUE_DIR:-}" ]]; then
    PLEK_QUEUE_DIR="$(mktemp -d /tmp/plek-queue-XXXXXX)"
    say "PLEK_QUEUE_DIR=$PLEK_QUEUE_DIR (export it for the other commands)"
  fi
  export PLEK_QUEUE_DIR
  mkdir -p "$PLEK_QUEUE_DIR/logs"
  # The postgres user must reach its data folder inside it.
  chmod 755 "$PLEK_QUEUE_DIR" "$PLEK_QUEUE_DIR/logs"
}

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

remember_pid() { echo "$2" > "$PLEK_QUEUE_DIR/$1.pid"; }

# Runs a command with only stdin, stdout and stderr open. The servers started here outlive this script: an inherited
# descriptor would keep the caller's lock (`flock /tmp/plek-heavy.lock ...`) or a test runner's pipe open as long as
# they run. Call it in a subshell: ( detached cmd args ) &
detached() {
  local entry fd
  for entry in /proc/self/fd/*; do
    fd="${entry##*/}"
    if [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  exec "$@"
}

install_missing() {
  local need=()
  [[ -x "$PG_BIN/initdb" ]] || need+=(postgresql-15)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v curl >/dev/null || need+=(curl)
  [[ ${#need[@]} -eq 0 ]] && return
  say "Installing ${need[*]} (apt-get, as root: no sudo)..."
  apt-get update -qq >&2
  # A system cluster or service the packages may start is left alone: this script runs its own on free ports.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
}

start_postgres() {
  local port="$1" data="$PLEK_QUEUE_DIR/pg"
  mkdir -p "$data" "$PLEK_QUEUE_DIR/pgsock"
  chown postgres "$data" "$PLEK_QUEUE_DIR/pgsock"
  touch "$PLEK_QUEUE_DIR/logs/postgres.log"; chown postgres "$PLEK_QUEUE_DIR/logs/postgres.log"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  ( detached runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -l "$PLEK_QUEUE_DIR/logs/postgres.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PLEK_QUEUE_DIR/pgsock" start >/dev/null )
  remember_pid postgres "$(head -1 "$data/postmaster.pid")"
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres n8n
}

start_redis() {
  local port="$1"
  ( detached redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no ) \
    > "$PLEK_QUEUE_DIR/logs/redis.log" 2>&1 &
  remember_pid redis $!
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return
    sleep 0.1
  done
  die "redis-server did not answer on port $port (see logs/redis.log)"
}

cmd_services() {
  if [[ $(id -u) -ne 0 ]]; then die "run as root (Postgres runs as the postgres user through runuser)"; fi
  queue_dir
  install_missing
  local pg_port redis_port
  pg_port="$(free_port)"; redis_port="$(free_port)"
  start_postgres "$pg_port"
  start_redis "$redis_port"
  local key; key="$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"
  cat > "$PLEK_QUEUE_DIR/env" <<EOF
export EXECUTIONS_MODE=queue
export QUEUE_BULL_REDIS_HOST=127.0.0.1
export QUEUE_BULL_REDIS_PORT=$redis_port
export DB_TYPE=postgresdb
export DB_POSTGRESDB_HOST=127.0.0.1
export DB_POSTGRESDB_PORT=$pg_port
export DB_POSTGRESDB_DATABASE=n8n
export DB_POSTGRESDB_USER=postgres
export DB_POSTGRESDB_PASSWORD=trust
export N8N_ENCRYPTION_KEY=$key
export N8N_PORT=$(free_port)
export N8N_LISTEN_ADDRESS=127.0.0.1
export N8N_DIAGNOSTICS_ENABLED=false
export N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_TEMPLATES_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false
export N8N_COMMUNITY_PACKAGES_ENABLED=true
export N8N_SECURE_COOKIE=false
export N8N_LOG_OUTPUT=console
export N8N_NO_COLOR=true
export OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true
EOF
  say "Postgres on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
}

cmd_package() {
  queue_dir
  [[ -d "$REPO_DIR/dist/nodes" ]] || die "dist/ is missing: run npm run build first"
  local pack="$PLEK_QUEUE_DIR/pack"; mkdir -p "$pack"
  local tarball; tarball="$(cd "$REPO_DIR" && npm pack --ignore-scripts --silent --pack-destination "$pack" | tail -1)"
  # Each process its own user folder, as on separate machines: every worker loads the package itself.
  for name in main "${WORKERS[@]}"; do
    local nodes="$PLEK_QUEUE_DIR/$name/.n8n/nodes"
    mkdir -p "$nodes"
    echo '{"name":"installed-nodes","private":true,"dependencies":{}}' > "$nodes/package.json"
    (cd "$nodes" && npm install --ignore-scripts --legacy-peer-deps --no-audit --no-fund --loglevel=error "$pack/$tarball" >&2)
  done
  say "n8n-nodes-plek installed as a community package for main, ${WORKERS[*]}"
}

# n8n with Node 24 in one process's user folder, with the shared queue-mode settings.
n8n_in() {
  local name="$1"; shift
  [[ -f "$PLEK_QUEUE_DIR/env" ]] || die "no $PLEK_QUEUE_DIR/env: run services first"
  # shellcheck disable=SC1091
  ( source "$PLEK_QUEUE_DIR/env"
    export N8N_USER_FOLDER="$PLEK_QUEUE_DIR/$name"
    detached bash "$SCRIPT_DIR/n8n-runtime.sh" n8n "$@" )
}

cmd_n8n() { queue_dir; n8n_in main "$@"; }

# psql against the shared n8n database (e.g. the execution_entity table: which executions ran when).
cmd_psql() {
  queue_dir
  # shellcheck disable=SC1091
  ( source "$PLEK_QUEUE_DIR/env"
    exec psql -X -q -h 127.0.0.1 -p "$DB_POSTGRESDB_PORT" -U postgres -d n8n "$@" )
}

wait_http() {
  local url="$1" what="$2"
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return
    sleep 0.5
  done
  die "$what did not become healthy at $url (see $PLEK_QUEUE_DIR/logs)"
}

# n8n 2.x activates published workflows after start-up, asynchronously, through its publication outbox: wait until
# every published workflow has a completed record for its published version and nothing is pending.
wait_published() {
  local sql='select (select count(*) from workflow_publication_outbox where status in ('"'pending','in_progress'"'))
    + (select count(*) from workflow_entity w where w."activeVersionId" is not null and not exists (
        select 1 from workflow_publication_outbox o where o."workflowId" = w.id
        and o."publishedVersionId" = w."activeVersionId" and o.status in ('"'completed','partial_success'"')))'
  local left=""
  for _ in $(seq 1 240); do
    left="$(cmd_psql -At -c "$sql" 2>/dev/null || echo '?')"
    [[ "$left" == 0 ]] && return
    sleep 0.5
  done
  cmd_psql -c 'select "workflowId", status, reason, "errorMessage" from workflow_publication_outbox' >&2 || true
  die "published workflows not activated after 120 s ($left outstanding; see logs/main.log)"
}

cmd_start() {
  queue_dir
  # shellcheck disable=SC1091
  local main_port; main_port="$(source "$PLEK_QUEUE_DIR/env" && echo "$N8N_PORT")"
  N8N_RUNNERS_BROKER_PORT="$(free_port)" N8N_LOG_LEVEL="${PLEK_QUEUE_LOG_LEVEL:-info}" \
    n8n_in main start > "$PLEK_QUEUE_DIR/logs/main.log" 2>&1 &
  remember_pid main $!
  local health=()
  for name in "${WORKERS[@]}"; do
    local port; port="$(free_port)"
    health+=("$port")
    QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT="$port" N8N_RUNNERS_BROKER_PORT="$(free_port)" \
      N8N_LOG_LEVEL="${PLEK_QUEUE_LOG_LEVEL:-info}" \
      n8n_in "$name" worker --concurrency=1 > "$PLEK_QUEUE_DIR/logs/$name.log" 2>&1 &
    remember_pid "$name" $!
  done
  wait_http "http://127.0.0.1:$main_port/healthz/readiness" main
  for i in "${!WORKERS[@]}"; do wait_http "http://127.0.0.1:${health[$i]}/healthz/readiness" "${WORKERS[$i]}"; done
  # Readiness comes before the main has activated the published workflows (their webhooks answer 404 until then);
  # the editor line comes after.
  for _ in $(seq 1 240); do
    grep -q 'Editor is now accessible' "$PLEK_QUEUE_DIR/logs/main.log" && break
    kill -0 "$(cat "$PLEK_QUEUE_DIR/main.pid")" 2>/dev/null || die "the main exited (see logs/main.log)"
    sleep 0.5
  done
  grep -q 'Editor is now accessible' "$PLEK_QUEUE_DIR/logs/main.log" || die "the main did not start (see logs/main.log)"
  wait_published
  echo "http://127.0.0.1:$main_port"
}

# Stops one process by its recorded pid (its children with it) and waits for it.
stop_one() {
  local file="$PLEK_QUEUE_DIR/$1.pid"
  [[ -f "$file" ]] || return 0
  local pid; pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

cmd_stop() {
  [[ -n "${PLEK_QUEUE_DIR:-}" && -d "$PLEK_QUEUE_DIR" ]] || die "PLEK_QUEUE_DIR is not set to a queue-mode folder"
  for name in "${WORKERS[@]}" main redis postgres; do stop_one "$name"; done
  [[ "${PLEK_QUEUE_KEEP:-}" == 1 ]] || rm -rf "$PLEK_QUEUE_DIR"
}

case "${1:-}" in
  services) cmd_services ;;
  package) cmd_package ;;
  n8n) shift; cmd_n8n "$@" ;;
  psql) shift; cmd_psql "$@" ;;
  start) cmd_start ;;
  up) cmd_services; cmd_package; cmd_start ;;
  stop) cmd_stop ;;
  *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 1 ;;
esac
