#!/usr/bin/env bash
# Make sure every external service and tool the test suite needs is present and reachable, then export
# the AMTSWEG_* variables the tests read.
#
#   source scripts/services.sh && amtsweg_services_ensure     # from another script (scripts/test.sh)
#   bash scripts/services.sh                                  # standalone: prints `export …` lines
#   eval "$(bash scripts/services.sh)"                        # … into the current shell
#
# What it ensures, in order (each step installs or starts what is missing, and fails loudly if it cannot):
#   PostgreSQL  127.0.0.1:5432, superuser `postgres` without password (the machine's cluster); when that is
#               not usable, a throwaway cluster under target/pg on a free port (trust auth, fsync=off)
#   Redis       127.0.0.1:6379
#   Python      the aiosmtpd module (tests run a loopback SMTP sink with it)
#   openssl     for the STARTTLS mail tests (Debian package openssl)
#   Chromium    /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium, chromium-driver)
#   axe-core    target/npm/node_modules/axe-core/axe.min.js (npm)
#   tesseract   the OCR engine with German and English data (Debian packages tesseract-ocr,
#               tesseract-ocr-deu, tesseract-ocr-eng); the scan-intake OCR test runs it for real
#
# AMTSWEG_PG_THROWAWAY=1 skips the machine's cluster and goes straight to the throwaway one.
#
# Exports: AMTSWEG_TEST_DATABASE_URL (admin URL of a superuser; tests create their own roles and
# databases), AMTSWEG_TEST_REDIS_URL, AMTSWEG_CHROMIUM, AMTSWEG_CHROMEDRIVER, AMTSWEG_AXE_JS,
# AMTSWEG_PYTHON, AMTSWEG_TESSERACT. A variable that is already set is verified and kept, so a developer can point the
# tests at other services.
#
# Nothing here is ever skipped: every function returns non-zero with a line starting with
# "services: FATAL:" when a service cannot be provided.

AMTSWEG_ROOT="${AMTSWEG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
AMTSWEG_SERVICES_STATE="${AMTSWEG_SERVICES_STATE:-$AMTSWEG_ROOT/target/services}"
AMTSWEG_PG_DIR="${AMTSWEG_PG_DIR:-$AMTSWEG_ROOT/target/pg}"
AMTSWEG_NPM_PREFIX="${AMTSWEG_NPM_PREFIX:-$AMTSWEG_ROOT/target/npm}"
_amtsweg_apt_updated=0

_svc_log() { printf 'services: %s\n' "$*" >&2; }
_svc_fatal() {
    printf 'services: FATAL: %s\n' "$*" >&2
    return 1
}

# Wait for the dpkg/apt locks (another process may be installing at the same time), then run apt-get.
# DPkg::Lock::Timeout covers the dpkg frontend lock; the retry loop covers the lists lock of `update`.
_svc_apt() {
    local attempt
    for attempt in 1 2 3 4 5 6; do
        if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 \
            -y -q "$@" >&2; then
            return 0
        fi
        _svc_log "apt-get $* failed (attempt $attempt); waiting for apt/dpkg locks and retrying"
        sleep 10
    done
    return 1
}

_svc_apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        _svc_fatal "need to install $* but not running as root; run: sudo apt-get install -y $*"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        _svc_fatal "need to install $* but apt-get is not available on this machine"
        return 1
    fi
    if [ "$_amtsweg_apt_updated" -eq 0 ]; then
        _svc_log "apt-get update"
        _svc_apt update || {
            _svc_fatal "apt-get update failed"
            return 1
        }
        _amtsweg_apt_updated=1
    fi
    _svc_log "apt-get install -y $*"
    _svc_apt install --no-install-recommends "$@" || {
        _svc_fatal "apt-get install $* failed"
        return 1
    }
}

_svc_free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# --------------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------------

# Directory of the newest installed PostgreSQL server binaries (Debian keeps them off PATH).
_svc_pg_bindir() {
    local d
    d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$d" ]; then
        dirname "$d"
    elif command -v postgres >/dev/null 2>&1; then
        dirname "$(command -v postgres)"
    fi
}

_svc_pg_installed() { [ -n "$(_svc_pg_bindir)" ]; }

_svc_psql() {
    local psql
    psql="$(command -v psql || true)"
    [ -n "$psql" ] || psql="$(_svc_pg_bindir)/psql"
    PGCONNECT_TIMEOUT=5 "$psql" -X -w -q -A -t -v ON_ERROR_STOP=1 "$@"
}

# Succeeds when URL reaches PostgreSQL as a superuser.
_svc_pg_is_superuser() {
    local out
    out="$(_svc_psql -d "$1" -c 'select rolsuper from pg_roles where rolname = current_user' 2>/dev/null)" || return 1
    [ "$out" = "t" ]
}

_svc_pg_wait() {
    local host="$1" port="$2"
    for _ in $(seq 1 60); do
        pg_isready -q -h "$host" -p "$port" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}

# Start the machine's own clusters (Debian's pg_ctlcluster), as the machine does before a session.
_svc_pg_start_system() {
    local dir ver
    command -v pg_ctlcluster >/dev/null 2>&1 || return 1
    for dir in /etc/postgresql/*/main; do
        [ -d "$dir" ] || continue
        ver="$(basename "$(dirname "$dir")")"
        _svc_log "starting PostgreSQL cluster $ver/main: pg_ctlcluster --skip-systemctl-redirect $ver main start"
        pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
    done
    _svc_pg_wait 127.0.0.1 5432
}

# Last resort: a throwaway cluster under target/pg on a free port, trust auth, fsync off.
_svc_pg_start_throwaway() {
    local bindir data port run_as=() owner logfile
    bindir="$(_svc_pg_bindir)"
    [ -n "$bindir" ] || {
        _svc_fatal "no PostgreSQL server binaries found under /usr/lib/postgresql"
        return 1
    }
    data="$AMTSWEG_PG_DIR"
    logfile="$AMTSWEG_SERVICES_STATE/pg.log"
    mkdir -p "$AMTSWEG_SERVICES_STATE"
    # initdb and postgres refuse to run as root: run them as the `postgres` system user.
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || {
            _svc_fatal "running as root but there is no 'postgres' user to run a throwaway cluster"
            return 1
        }
        run_as=(runuser -u postgres --)
        owner=postgres
        mkdir -p "$data"
        chown postgres: "$data"
        chmod 700 "$data"
        touch "$logfile"
        chown postgres: "$logfile"
        if ! runuser -u postgres -- test -w "$data"; then
            # The checkout may live below a directory postgres cannot enter (e.g. /root).
            data="$(mktemp -d /tmp/amtsweg-pg.XXXXXX)"
            chown postgres: "$data"
            chmod 700 "$data"
            _svc_log "postgres cannot write $AMTSWEG_PG_DIR; using $data instead"
            logfile="$data.log"
            touch "$logfile"
            chown postgres: "$logfile"
        fi
    else
        owner="$(id -un)"
        mkdir -p "$data"
        chmod 700 "$data"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        _svc_log "initdb throwaway cluster in $data (owner $owner, trust auth)"
        "${run_as[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$logfile" 2>&1 || {
            cat "$logfile" >&2
            _svc_fatal "initdb failed for $data"
            return 1
        }
    fi

    # Already running (a previous run, or dev-services)? Reuse it.
    if "${run_as[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        port="$(sed -n 4p "$data/postmaster.pid")"
        _svc_log "throwaway cluster already running in $data on port $port"
    else
        port="$(_svc_free_port)"
        _svc_log "starting throwaway cluster in $data on 127.0.0.1:$port"
        "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB" >&2 || {
            tail -n 50 "$logfile" >&2 || true
            _svc_fatal "could not start the throwaway PostgreSQL cluster in $data"
            return 1
        }
    fi
    printf 'throwaway %s %s\n' "$data" "$bindir" >"$AMTSWEG_SERVICES_STATE/pg.started"
    export AMTSWEG_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

amtsweg_ensure_postgres() {
    local url="postgres://postgres@127.0.0.1:5432/postgres"
    if [ -n "${AMTSWEG_TEST_DATABASE_URL:-}" ]; then
        _svc_log "PostgreSQL: using preset AMTSWEG_TEST_DATABASE_URL"
        return 0
    fi
    if [ "${AMTSWEG_PG_THROWAWAY:-0}" = "1" ]; then
        _svc_log "AMTSWEG_PG_THROWAWAY=1: using a throwaway cluster under $AMTSWEG_PG_DIR"
        _svc_pg_installed || _svc_apt_install postgresql postgresql-client || return 1
        _svc_pg_start_throwaway
        return
    fi
    if ! _svc_pg_installed; then
        _svc_log "PostgreSQL is not installed"
        _svc_apt_install postgresql postgresql-client || return 1
    fi
    command -v pg_isready >/dev/null 2>&1 || PATH="$PATH:$(_svc_pg_bindir)"
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        _svc_log "PostgreSQL is not accepting connections on 127.0.0.1:5432"
        if _svc_pg_start_system; then
            mkdir -p "$AMTSWEG_SERVICES_STATE"
            printf 'system\n' >"$AMTSWEG_SERVICES_STATE/pg.started"
        fi
    fi
    if pg_isready -q -h 127.0.0.1 -p 5432 && _svc_pg_is_superuser "$url"; then
        export AMTSWEG_TEST_DATABASE_URL="$url"
        return 0
    fi
    _svc_log "127.0.0.1:5432 is down or does not let postgres in as a superuser without password;" \
        "falling back to a throwaway cluster"
    _svc_pg_start_throwaway
}

# --------------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------------

amtsweg_ensure_redis() {
    if [ -n "${AMTSWEG_TEST_REDIS_URL:-}" ]; then
        _svc_log "Redis: using preset AMTSWEG_TEST_REDIS_URL"
        return 0
    fi
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        _svc_log "redis-server/redis-cli not installed"
        _svc_apt_install redis-server redis-tools || return 1
    fi
    if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" != "PONG" ]; then
        _svc_log "Redis is not answering on 127.0.0.1:6379; starting redis-server"
        mkdir -p "$AMTSWEG_SERVICES_STATE"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
            --dir "$AMTSWEG_SERVICES_STATE" --logfile "$AMTSWEG_SERVICES_STATE/redis.log" \
            --pidfile "$AMTSWEG_SERVICES_STATE/redis.pid" >&2 || {
            _svc_fatal "redis-server failed to start (see $AMTSWEG_SERVICES_STATE/redis.log)"
            return 1
        }
        for _ in $(seq 1 40); do
            [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] && break
            sleep 0.25
        done
        printf 'ours\n' >"$AMTSWEG_SERVICES_STATE/redis.started"
    fi
    export AMTSWEG_TEST_REDIS_URL="redis://127.0.0.1:6379"
}

# --------------------------------------------------------------------------------------------------
# Python SMTP sink, Chromium, axe-core
# --------------------------------------------------------------------------------------------------

amtsweg_ensure_python() {
    : "${AMTSWEG_PYTHON:=python3}"
    command -v "$AMTSWEG_PYTHON" >/dev/null 2>&1 || {
        _svc_fatal "$AMTSWEG_PYTHON not found"
        return 1
    }
    if ! "$AMTSWEG_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
        _svc_log "installing python module aiosmtpd"
        "$AMTSWEG_PYTHON" -m pip install --quiet aiosmtpd >&2 ||
            "$AMTSWEG_PYTHON" -m pip install --quiet --break-system-packages aiosmtpd >&2 || {
            _svc_fatal "pip install aiosmtpd failed"
            return 1
        }
    fi
    export AMTSWEG_PYTHON
    # The STARTTLS mail tests make a throwaway certificate with it.
    command -v openssl >/dev/null 2>&1 || _svc_apt_install openssl || return 1
}

amtsweg_ensure_chromium() {
    : "${AMTSWEG_CHROMIUM:=/usr/bin/chromium}"
    : "${AMTSWEG_CHROMEDRIVER:=/usr/bin/chromedriver}"
    if [ ! -x "$AMTSWEG_CHROMIUM" ] || [ ! -x "$AMTSWEG_CHROMEDRIVER" ]; then
        _svc_log "Chromium or ChromeDriver missing ($AMTSWEG_CHROMIUM, $AMTSWEG_CHROMEDRIVER)"
        _svc_apt_install chromium chromium-driver || return 1
    fi
    export AMTSWEG_CHROMIUM AMTSWEG_CHROMEDRIVER
}

amtsweg_ensure_tesseract() {
    : "${AMTSWEG_TESSERACT:=tesseract}"
    if ! command -v "$AMTSWEG_TESSERACT" >/dev/null 2>&1 ||
        ! "$AMTSWEG_TESSERACT" --list-langs 2>/dev/null | grep -qx deu; then
        _svc_log "tesseract or its German data missing ($AMTSWEG_TESSERACT)"
        _svc_apt_install tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng || return 1
    fi
    export AMTSWEG_TESSERACT
}

amtsweg_ensure_axe() {
    local js="$AMTSWEG_NPM_PREFIX/node_modules/axe-core/axe.min.js"
    if [ -n "${AMTSWEG_AXE_JS:-}" ]; then
        js="$AMTSWEG_AXE_JS"
    elif [ ! -f "$js" ]; then
        if ! command -v npm >/dev/null 2>&1; then
            _svc_log "npm not found"
            _svc_apt_install nodejs npm || return 1
        fi
        _svc_log "npm install --prefix $AMTSWEG_NPM_PREFIX axe-core@4"
        mkdir -p "$AMTSWEG_NPM_PREFIX"
        npm install --prefix "$AMTSWEG_NPM_PREFIX" --no-audit --no-fund --loglevel=error axe-core@4 >&2 || {
            _svc_fatal "npm install axe-core@4 failed"
            return 1
        }
    fi
    export AMTSWEG_AXE_JS="$js"
}

# --------------------------------------------------------------------------------------------------
# Verification: every exported value is checked for real, not assumed.
# --------------------------------------------------------------------------------------------------

amtsweg_services_verify() {
    local failed=0 out
    if _svc_pg_is_superuser "$AMTSWEG_TEST_DATABASE_URL"; then
        _svc_log "ok  PostgreSQL  $AMTSWEG_TEST_DATABASE_URL ($(_svc_psql -d "$AMTSWEG_TEST_DATABASE_URL" -c 'show server_version'))"
    else
        _svc_log "FAIL PostgreSQL: cannot connect as a superuser to $AMTSWEG_TEST_DATABASE_URL"
        failed=1
    fi
    out="$(redis-cli -u "$AMTSWEG_TEST_REDIS_URL" ping 2>&1 || true)"
    if [ "$out" = "PONG" ]; then
        _svc_log "ok  Redis       $AMTSWEG_TEST_REDIS_URL ($(redis-cli -u "$AMTSWEG_TEST_REDIS_URL" info server | tr -d '\r' | sed -n 's/^redis_version://p'))"
    else
        _svc_log "FAIL Redis: ping to $AMTSWEG_TEST_REDIS_URL answered: $out"
        failed=1
    fi
    if "$AMTSWEG_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
        _svc_log "ok  Python      $AMTSWEG_PYTHON with aiosmtpd $("$AMTSWEG_PYTHON" -c 'import aiosmtpd; print(aiosmtpd.__version__)')"
    else
        _svc_log "FAIL Python: $AMTSWEG_PYTHON cannot import aiosmtpd"
        failed=1
    fi
    if out="$("$AMTSWEG_CHROMIUM" --version 2>/dev/null)"; then
        _svc_log "ok  Chromium    $AMTSWEG_CHROMIUM ($out)"
    else
        _svc_log "FAIL Chromium: $AMTSWEG_CHROMIUM --version failed"
        failed=1
    fi
    if out="$("$AMTSWEG_CHROMEDRIVER" --version 2>/dev/null)"; then
        _svc_log "ok  ChromeDriver $AMTSWEG_CHROMEDRIVER (${out%% (*})"
    else
        _svc_log "FAIL ChromeDriver: $AMTSWEG_CHROMEDRIVER --version failed"
        failed=1
    fi
    if [ -s "$AMTSWEG_AXE_JS" ] && grep -q 'axe' "$AMTSWEG_AXE_JS"; then
        _svc_log "ok  axe-core    $AMTSWEG_AXE_JS"
    else
        _svc_log "FAIL axe-core: $AMTSWEG_AXE_JS missing or empty"
        failed=1
    fi
    if "$AMTSWEG_TESSERACT" --list-langs 2>/dev/null | grep -qx deu; then
        _svc_log "ok  tesseract   $AMTSWEG_TESSERACT ($("$AMTSWEG_TESSERACT" --version 2>&1 | head -n 1))"
    else
        _svc_log "FAIL tesseract: $AMTSWEG_TESSERACT missing or without German data (deu)"
        failed=1
    fi
    if [ "$failed" -ne 0 ]; then
        _svc_fatal "service verification failed (see FAIL lines above)"
        return 1
    fi
}

amtsweg_services_ensure() {
    amtsweg_ensure_postgres || return 1
    amtsweg_ensure_redis || return 1
    amtsweg_ensure_python || return 1
    amtsweg_ensure_chromium || return 1
    amtsweg_ensure_axe || return 1
    amtsweg_ensure_tesseract || return 1
    amtsweg_services_verify || return 1
}

amtsweg_services_print_env() {
    local v
    for v in AMTSWEG_TEST_DATABASE_URL AMTSWEG_TEST_REDIS_URL AMTSWEG_CHROMIUM AMTSWEG_CHROMEDRIVER \
        AMTSWEG_AXE_JS AMTSWEG_PYTHON AMTSWEG_TESSERACT; do
        printf 'export %s=%q\n' "$v" "${!v}"
    done
}

# Run standalone: ensure everything and print the exports on stdout (all logging goes to stderr).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    amtsweg_services_ensure
    amtsweg_services_print_env
fi
