#!/usr/bin/env bash
# Case-processing benchmark (issue 5): one tenant seeded with 200,000 persons, 1,000,000 cases
# (with their routing history) and 3,000,000 document records; p50/p95/p99 of the worklists, the
# case view, the person and e-file search and a person's e-file listing under concurrent load,
# with the load average and the CPU of server and PostgreSQL.
#
#   bench/cases/run.sh                               # seeds bench_cases once, then measures
#   CLIENTS=20 SECONDS_PER_PHASE=60 RATE=60 bench/cases/run.sh
#   PERSONS=20000 CASES=100000 DOCUMENTS=300000 DB=bench_cases_small bench/cases/run.sh
#   BIN=… DRIVER=… bench/cases/run.sh                # binaries built elsewhere (no build step)
#   DROP=1 bench/cases/run.sh                        # drop the database at the end
#   SEARCH_LEAKPROOF=0 bench/cases/run.sh            # without infra/postgres/roles.sql's LEAKPROOF
#
# Needs a PostgreSQL superuser URL (ADMIN_URL, default the test cluster's) and Redis (REDIS_URL).
# The seeded database (DB, default bench_cases) is kept between runs, because seeding takes
# minutes: a run on an existing database measures at once. The server is the release binary on
# that database, migrated and with the catalog imported, as deployed: default pool (10
# connections), two HTTP workers, Redis for throttling and wake-ups. Everything runs on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ADMIN_URL="${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DB="${DB:-bench_cases}"
TENANT="${TENANT:-abh-bielefeld}"
PERSONS="${PERSONS:-200000}"; CASES="${CASES:-1000000}"; DOCUMENTS="${DOCUMENTS:-3000000}"
CLIENTS="${CLIENTS:-10}"
SECONDS_PER_PHASE="${SECONDS_PER_PHASE:-30}"
RATE="${RATE:-40}"
# The seeded staff's password: a loopback benchmark's, stored only as an Argon2 hash.
STAFF_PASSWORD="${STAFF_PASSWORD:-lasttest nur auf loopback}"

if [ -z "${BIN:-}" ]; then
  cargo build --release -p amtsweg --bin amtsweg -p amtsweg-tests --example cases_load
fi
BIN="${BIN:-$CARGO_TARGET_DIR/release/amtsweg}"
DRIVER="${DRIVER:-$CARGO_TARGET_DIR/release/examples/cases_load}"

WORK="$(mktemp -d /tmp/amtsweg-bench-cases.XXXXXX)"
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
  if [ "${DROP:-0}" = 1 ]; then
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  fi
  redis-cli -u "$REDIS_URL" --scan --pattern "$DB:*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(psql --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BIN ($(stat -c %y "$BIN" | cut -d. -f1))"

for role in amtsweg_owner amtsweg_app; do
  "${PSQL[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END \$\$"
done
if [ -z "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE $DB OWNER amtsweg_owner"
fi
DB_ADMIN="$(url_for "$ADMIN_USER" "$DB")"
PSQL_DB=(psql "$DB_ADMIN" -v ON_ERROR_STOP=1 -qAt)
# As infra/postgres/roles.sql does on a deployment: lets full-text search use its GIN indexes under
# row-level security (see there); SEARCH_LEAKPROOF=0 measures PostgreSQL's default.
if [ "${SEARCH_LEAKPROOF:-1}" = 1 ]; then LEAKPROOF=LEAKPROOF; else LEAKPROOF="NOT LEAKPROOF"; fi
"${PSQL_DB[@]}" -c "ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) $LEAKPROOF"
echo "ts_match_vq: $LEAKPROOF"

# The server migrates the database and imports the catalog on start.
mkdir -p "$WORK/data"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
SERVER_ENV=(PATH="$PATH" AMTSWEG_LOG=warn
  AMTSWEG_DATABASE_URL="$(url_for amtsweg_app "$DB")"
  AMTSWEG_MIGRATION_DATABASE_URL="$(url_for amtsweg_owner "$DB")"
  AMTSWEG_MIGRATE_ON_START=true AMTSWEG_REDIS_URL="$REDIS_URL" AMTSWEG_REDIS_NAMESPACE="$DB"
  AMTSWEG_JWT_KEYS="bench:$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
  AMTSWEG_PUBLIC_URL="http://127.0.0.1:$PORT" AMTSWEG_DATA_DIR="$WORK/data")
env -i "${SERVER_ENV[@]}" AMTSWEG_LISTEN="127.0.0.1:$PORT" "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 3000); do  # up to 10 min: a migration may index millions of rows
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.2
done

# Seeding, once per database: as the schema owner (row-level security is forced for it too), so
# that the seed's VACUUM (ANALYZE) may run.
SEEDED="$("${PSQL_DB[@]}" -c "SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = '$TENANT' AND u.email LIKE 'bench-%'" 2>/dev/null || echo 0)"
if [ "$SEEDED" = 0 ]; then
  echo "seeding $TENANT: $PERSONS persons, $CASES cases, $DOCUMENTS documents"
  start=$(date +%s)
  env -i "${SERVER_ENV[@]}" AMTSWEG_DATABASE_URL="$(url_for amtsweg_owner "$DB")" \
    AMTSWEG_SEED_STAFF_PASSWORD="$STAFF_PASSWORD" \
    "$BIN" seed cases --tenant "$TENANT" --persons "$PERSONS" --cases "$CASES" --documents "$DOCUMENTS" \
    | grep -vE '^[a-z ]+: [0-9]+/[0-9]+$'
  echo "seeding took $(( $(date +%s) - start )) s"
else
  echo "$DB is seeded already (drop it, or DROP=1, to seed again)"
fi
"${PSQL_DB[@]}" -c "SELECT 'sizes: ' || (SELECT count(*) FROM persons) || ' persons, ' || (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM case_history) || ' history entries, ' || (SELECT count(*) FROM documents) || ' documents; database ' || pg_size_pretty(pg_database_size('$DB'))"

BENCH_BASE="http://127.0.0.1:$PORT" BENCH_ADMIN_URL="$DB_ADMIN" BENCH_TENANT="$TENANT" \
BENCH_PASSWORD="$STAFF_PASSWORD" BENCH_CLIENTS="$CLIENTS" BENCH_SECONDS="$SECONDS_PER_PHASE" \
BENCH_RATE="$RATE" BENCH_SERVER_PID="$SERVER" BENCH_CLK_TCK="$(getconf CLK_TCK)" \
  "$DRIVER"
echo "server log (warnings and errors):"; grep -ciE "warn|error" "$WORK/server.log" || true
