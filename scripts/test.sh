#!/usr/bin/env bash
# Run the whole test suite, as CI does (`.ci/run` execs this script).
#
#   bash scripts/test.sh
#
# Steps, each with a header and its wall time:
#   services  PostgreSQL, Redis, aiosmtpd, Chromium + ChromeDriver, axe-core (scripts/services.sh)
#   fmt       cargo fmt --all --check
#   clippy    cargo clippy --workspace --all-targets --locked -- -D warnings
#   build     cargo build -p amtsweg --locked          (end-to-end tests start this binary: AMTSWEG_BIN)
#   doctest   cargo test --workspace --doc --locked    (nextest does not run doctests)
#   test      cargo nextest run --workspace --locked --no-fail-fast   (cargo test when nextest is absent)
#
# Everything is built in the debug profile. Any failure stops the run with a non-zero exit and names
# the step that failed; nothing is skipped silently.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

if [ "${CI:-}" = "true" ]; then
    export CARGO_TERM_COLOR=never
    export NEXTEST_PROFILE="${NEXTEST_PROFILE:-ci}"
fi
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

STEP="start"
STEP_STARTED=$SECONDS
RUN_STARTED=$SECONDS
TIMINGS=()

step() {
    finish_step
    STEP="$1"
    STEP_STARTED=$SECONDS
    printf '\n==================== %s: %s ====================\n' "$STEP" "$2"
}

finish_step() {
    if [ "$STEP" != "start" ]; then
        TIMINGS+=("$(printf '%-9s %5ss' "$STEP" "$((SECONDS - STEP_STARTED))")")
    fi
}

summary() {
    local t
    printf '\n-------------------- timings --------------------\n'
    for t in "${TIMINGS[@]}"; do printf '  %s\n' "$t"; done
    printf '  %-9s %5ss\n' "total" "$((SECONDS - RUN_STARTED))"
}

on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        TIMINGS+=("$(printf '%-9s %5ss  FAILED' "$STEP" "$((SECONDS - STEP_STARTED))")")
        summary
        printf '\nscripts/test.sh: FAILED in step "%s" (exit code %s)\n' "$STEP" "$rc" >&2
    fi
    exit "$rc"
}
trap on_exit EXIT

need() {
    command -v "$1" >/dev/null 2>&1 || {
        printf 'scripts/test.sh: FATAL: %s not found on PATH\n' "$1" >&2
        exit 1
    }
}
need cargo

# --------------------------------------------------------------------------------------------------
step services "PostgreSQL, Redis, aiosmtpd, Chromium, axe-core"
# shellcheck source=scripts/services.sh
source "$ROOT/scripts/services.sh"
amtsweg_services_ensure
amtsweg_services_print_env

export AMTSWEG_ARTIFACTS="$ROOT/target/test-artifacts"
mkdir -p "$AMTSWEG_ARTIFACTS"
echo "export AMTSWEG_ARTIFACTS=$AMTSWEG_ARTIFACTS"

# --------------------------------------------------------------------------------------------------
step fmt "cargo fmt --all --check"
cargo fmt --all --check

# --------------------------------------------------------------------------------------------------
step clippy "cargo clippy --workspace --all-targets --locked -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

# --------------------------------------------------------------------------------------------------
step build "cargo build -p amtsweg --locked"
cargo build -p amtsweg --locked
export AMTSWEG_BIN="$ROOT/target/debug/amtsweg"
[ -x "$AMTSWEG_BIN" ] || {
    printf 'scripts/test.sh: FATAL: %s was not built\n' "$AMTSWEG_BIN" >&2
    exit 1
}
echo "export AMTSWEG_BIN=$AMTSWEG_BIN"

# Each end-to-end test clones its own database (t_<uuid>) from a migrated template; drop those left
# by earlier runs so a developer's cluster does not fill up.
psql "$AMTSWEG_TEST_DATABASE_URL" -Atq -c \
    "SELECT format('DROP DATABASE IF EXISTS %I;', datname) FROM pg_database WHERE datname ~ '^t_[0-9a-f]{32}$'" \
    | psql "$AMTSWEG_TEST_DATABASE_URL" -q >/dev/null

# --------------------------------------------------------------------------------------------------
if cargo nextest --version >/dev/null 2>&1; then
    # Doctests first: nextest does not run them, and the nextest summary should be the last thing the
    # run prints.
    step doctest "cargo test --workspace --doc --locked"
    cargo test --workspace --doc --locked --no-fail-fast

    step test "cargo nextest run --workspace --locked --no-fail-fast (profile ${NEXTEST_PROFILE:-default})"
    cargo nextest run --workspace --locked --no-fail-fast
else
    step test "cargo test --workspace --locked --no-fail-fast (cargo-nextest not installed)"
    cargo test --workspace --locked --no-fail-fast
fi

finish_step
STEP="start"
summary
printf '\nscripts/test.sh: all steps passed\n'
