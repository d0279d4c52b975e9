#!/usr/bin/env bash
# Portal load benchmark (issue 4): application submissions per second against PostgreSQL, with
# pgbench's single-row insert rate on the same server in the same run as the physical reference,
# and p50/p95/p99 of portal pages and of the submission at half the maximum rate.
#
#   bench/portal/run.sh                              # 10 clients, 20 s per phase, one authority
#   CLIENTS=20 SECONDS_PER_PHASE=30 bench/portal/run.sh
#   PLACES="33602 50667 40213 44135 45127" bench/portal/run.sh   # drafts spread over authorities
#   BIN=… DRIVER=… bench/portal/run.sh                # binaries built elsewhere (no build step)
#   LOG_STATEMENTS=1 CLIENTS=1 SECONDS_PER_PHASE=2 DRAFTS=20 bench/portal/run.sh
#       # every statement of the server's sessions goes to the PostgreSQL server log (for counting
#       # the statements of one submission; never for a timed run)
#
# Needs a PostgreSQL superuser URL (ADMIN_URL, default the test cluster's) and Redis (REDIS_URL).
# Creates the databases bench_portal_<pid> and bench_pgbench_<pid> and drops them at the end.
# Everything runs on loopback; every phase stops after its time.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ADMIN_URL="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
CLIENTS="${CLIENTS:-10}"
SECONDS_PER_PHASE="${SECONDS_PER_PHASE:-20}"
PAGE_RATE="${PAGE_RATE:-10}"
PLACES="${PLACES:-33602}"
DRAFTS="${DRAFTS:-1500}"

if [ -z "${BIN:-}" ]; then
  cargo build --release -p amtsweg --bin amtsweg -p amtsweg-tests --example portal_load
fi
BIN="${BIN:-$CARGO_TARGET_DIR/release/amtsweg}"
DRIVER="${DRIVER:-$CARGO_TARGET_DIR/release/examples/portal_load}"

DB="bench_portal_$$"; PGB="bench_pgbench_$$"
WORK="$(mktemp -d /tmp/amtsweg-bench-portal.XXXXXX)"
url_for() { python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit((p.scheme, (sys.argv[2]+"@" if sys.argv[2] else "")+p.hostname+":"+str(p.port or 5432), "/"+sys.argv[3], "", "")))' "$ADMIN_URL" "$1" "$2"; }
ADMIN_USER="$(python3 -c 'import sys,urllib.parse as u; print(u.urlsplit(sys.argv[1]).username or "")' "$ADMIN_URL")"
PSQL=(psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qAt)
SERVER=""
cleanup() {
  # The server may keep finishing background work after SIGTERM: give it five seconds, then end it.
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    for _ in $(seq 25); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER" 2>/dev/null || true
  fi
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $PGB WITH (FORCE)" || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$DB:*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(psql --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The physical reference: single-row inserts, as many clients and as long as the submissions.
"${PSQL[@]}" -c "CREATE DATABASE $PGB"
pgbench -q -i -s 1 "$(url_for "$ADMIN_USER" "$PGB")" >/dev/null 2>&1
cat > "$WORK/insert.sql" <<'SQL'
\set aid random(1, 100000)
\set delta random(-5000, 5000)
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, :aid, :delta, CURRENT_TIMESTAMP);
SQL
echo "pgbench: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
pgbench -n -c "$CLIENTS" -j 2 -T "$SECONDS_PER_PHASE" -f "$WORK/insert.sql" \
  "$(url_for "$ADMIN_USER" "$PGB")" \
  | grep -E "number of clients|duration|transactions actually|latency average|tps"
echo "pgbench: load average after $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. The release server on a fresh database, migrated and with the catalog imported, as deployed:
#    default pool (10 connections), two HTTP workers, Redis for throttling and wake-ups.
for role in amtsweg_owner amtsweg_app; do
  "${PSQL[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END \$\$"
done
"${PSQL[@]}" -c "CREATE DATABASE $DB OWNER amtsweg_owner"
if [ -n "${LOG_STATEMENTS:-}" ]; then
  "${PSQL[@]}" -c "ALTER DATABASE $DB SET log_statement = 'all'"
  echo "statements of database $DB go to the PostgreSQL server log"
fi
mkdir -p "$WORK/data"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
env -i PATH="$PATH" \
  AMTSWEG_LISTEN="127.0.0.1:$PORT" AMTSWEG_LOG=warn \
  AMTSWEG_DATABASE_URL="$(url_for amtsweg_app "$DB")" \
  AMTSWEG_MIGRATION_DATABASE_URL="$(url_for amtsweg_owner "$DB")" \
  AMTSWEG_MIGRATE_ON_START=true AMTSWEG_REDIS_URL="$REDIS_URL" AMTSWEG_REDIS_NAMESPACE="$DB" \
  AMTSWEG_JWT_KEYS="bench:$(head -c 32 /dev/urandom | base64 | tr -d '/+=')" \
  AMTSWEG_PUBLIC_URL="http://127.0.0.1:$PORT" AMTSWEG_DATA_DIR="$WORK/data" \
  "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.2
done

# 3. The driver: prepare, closed loop (maximum), pages alone, half rate with pages.
BENCH_BASE="http://127.0.0.1:$PORT" BENCH_ADMIN_URL="$(url_for "$ADMIN_USER" "$DB")" \
BENCH_CLIENTS="$CLIENTS" BENCH_SECONDS="$SECONDS_PER_PHASE" BENCH_PAGE_RATE="$PAGE_RATE" \
BENCH_PLACES="$PLACES" BENCH_DRAFTS="$DRAFTS" BENCH_SERVER_PID="$SERVER" BENCH_CLK_TCK="$(getconf CLK_TCK)" \
  "$DRIVER"
echo "server log (warnings and errors):"; grep -ciE "warn|error" "$WORK/server.log" || true
