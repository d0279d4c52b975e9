#!/usr/bin/env bash
# Local PostgreSQL and Redis for development, with the same logic the test suite uses
# (scripts/services.sh).
#
#   scripts/dev-services.sh start        PostgreSQL (127.0.0.1:5432, else a throwaway cluster under
#                                        target/pg) and Redis (127.0.0.1:6379); prints the exports
#   scripts/dev-services.sh start --throwaway
#                                        always use the throwaway cluster under target/pg, leaving
#                                        the machine's PostgreSQL alone
#   scripts/dev-services.sh all          also aiosmtpd, Chromium/ChromeDriver and axe-core
#                                        (everything `cargo nextest run` needs)
#   scripts/dev-services.sh env          like `all`, but prints only the exports:
#                                        eval "$(scripts/dev-services.sh env)"
#   scripts/dev-services.sh status       what is running
#   scripts/dev-services.sh stop         stop only what these scripts started (recorded under
#                                        target/services); a service that was already running is left
#                                        alone
set -euo pipefail

# shellcheck source=scripts/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

usage() {
    sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

pg_status() {
    local url="${1:-postgres://postgres@127.0.0.1:5432/postgres}"
    if _svc_pg_is_superuser "$url"; then
        echo "PostgreSQL  up    $url"
    else
        echo "PostgreSQL  down  $url"
    fi
}

cmd_status() {
    local kind data port
    pg_status
    if [ -f "$AMTSWEG_SERVICES_STATE/pg.started" ]; then
        read -r kind data _ <"$AMTSWEG_SERVICES_STATE/pg.started"
        if [ "$kind" = "throwaway" ] && [ -f "$data/postmaster.pid" ]; then
            port="$(sed -n 4p "$data/postmaster.pid")"
            pg_status "postgres://postgres@127.0.0.1:$port/postgres"
        fi
        echo "            (started by these scripts: $kind${data:+ $data})"
    fi
    if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; then
        echo "Redis       up    redis://127.0.0.1:6379"
    else
        echo "Redis       down  redis://127.0.0.1:6379"
    fi
    [ -f "$AMTSWEG_SERVICES_STATE/redis.started" ] && echo "            (started by these scripts)"
    return 0
}

cmd_stop() {
    local kind data bindir pid
    if [ -f "$AMTSWEG_SERVICES_STATE/pg.started" ]; then
        read -r kind data bindir <"$AMTSWEG_SERVICES_STATE/pg.started"
        case "$kind" in
        throwaway)
            echo "stopping throwaway PostgreSQL in $data"
            if [ "$(id -u)" -eq 0 ]; then
                runuser -u postgres -- "$bindir/pg_ctl" -D "$data" -m fast -w stop || true
            else
                "$bindir/pg_ctl" -D "$data" -m fast -w stop || true
            fi
            ;;
        system)
            for dir in /etc/postgresql/*/main; do
                [ -d "$dir" ] || continue
                echo "stopping PostgreSQL cluster $(basename "$(dirname "$dir")")/main"
                pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$dir")")" main stop || true
            done
            ;;
        esac
        rm -f "$AMTSWEG_SERVICES_STATE/pg.started"
    else
        echo "PostgreSQL was not started by these scripts; leaving it alone"
    fi
    if [ -f "$AMTSWEG_SERVICES_STATE/redis.started" ]; then
        pid="$(cat "$AMTSWEG_SERVICES_STATE/redis.pid" 2>/dev/null || true)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            echo "stopping Redis (pid $pid)"
            redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || kill "$pid" || true
        fi
        rm -f "$AMTSWEG_SERVICES_STATE/redis.started"
    else
        echo "Redis was not started by these scripts; leaving it alone"
    fi
}

case "${1:-start}" in
start)
    [ "${2:-}" = "--throwaway" ] && export AMTSWEG_PG_THROWAWAY=1
    amtsweg_ensure_postgres
    amtsweg_ensure_redis
    _svc_pg_is_superuser "$AMTSWEG_TEST_DATABASE_URL" || {
        _svc_fatal "PostgreSQL at $AMTSWEG_TEST_DATABASE_URL is not usable"
        exit 1
    }
    [ "$(redis-cli -u "$AMTSWEG_TEST_REDIS_URL" ping)" = "PONG" ] || {
        _svc_fatal "Redis at $AMTSWEG_TEST_REDIS_URL is not usable"
        exit 1
    }
    printf 'export AMTSWEG_TEST_DATABASE_URL=%q\nexport AMTSWEG_TEST_REDIS_URL=%q\n' \
        "$AMTSWEG_TEST_DATABASE_URL" "$AMTSWEG_TEST_REDIS_URL"
    ;;
all | env)
    [ "${2:-}" = "--throwaway" ] && export AMTSWEG_PG_THROWAWAY=1
    if [ "$1" = "env" ]; then
        amtsweg_services_ensure 2>/dev/null || amtsweg_services_ensure
    else
        amtsweg_services_ensure
    fi
    amtsweg_services_print_env
    ;;
status) cmd_status ;;
stop) cmd_stop ;;
-h | --help | help) usage ;;
*)
    usage >&2
    exit 2
    ;;
esac
