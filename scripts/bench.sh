#!/usr/bin/env bash
# Run the benchmarks.
#
#   scripts/bench.sh                 every benchmark listed below, in order
#   scripts/bench.sh NAME...         only these (e.g. `scripts/bench.sh reconcile`)
#   scripts/bench.sh --list          list the benchmarks and whether their script exists
#
# Each benchmark is a directory bench/NAME/ with an executable entry point bench/NAME/run.sh, owned by
# the team that owns the code it measures. This script does not measure anything itself; it
#   1. starts PostgreSQL and Redis with scripts/services.sh (the same logic as the test suite) and
#      exports AMTSWEG_TEST_DATABASE_URL and AMTSWEG_TEST_REDIS_URL,
#   2. gives each benchmark an output directory AMTSWEG_BENCH_OUT=target/bench/NAME (results, raw
#      samples, flamegraphs), and AMTSWEG_ROOT (the checkout),
#   3. runs bench/NAME/run.sh from the repository root with a header and wall time, and
#   4. fails (non-zero) if a requested benchmark has no run.sh, or if one of them fails.
#
# Rules every run.sh follows (see docs/benchmarks.md for results and how to read them):
#   - load only addresses on loopback, with loops bounded in count and time; it stops by itself;
#   - say which build profile it measures; debug numbers are not comparable with release numbers
#     (a release build of the workspace takes well over 10 minutes on our 2-core machines);
#   - on 2 cores, prefer instruction counts (valgrind --tool=callgrind) or repeated runs (hyperfine)
#     over a single wall-clock figure, and print the machine's load next to any timing.
#
# Known benchmarks (a bench/*/run.sh that is not listed here is run too, after these):
#   reconcile   record-linkage engine (backend/reconcile): candidate generation and scoring throughput
#   http        the real `amtsweg serve` under load on loopback: latency percentiles per route
#   jobs        job queue: enqueue/claim/complete throughput with PostgreSQL and Redis
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
KNOWN=(reconcile http jobs)

discovered() {
    local f n k seen
    for f in bench/*/run.sh; do
        [ -e "$f" ] || continue
        n="$(basename "$(dirname "$f")")"
        seen=0
        for k in "${KNOWN[@]}"; do [ "$k" = "$n" ] && seen=1; done
        [ "$seen" -eq 1 ] || echo "$n"
    done
}

all_benchmarks() {
    printf '%s\n' "${KNOWN[@]}"
    discovered
}

if [ "${1:-}" = "--list" ]; then
    while read -r n; do
        if [ -f "bench/$n/run.sh" ]; then
            printf '  %-12s bench/%s/run.sh\n' "$n" "$n"
        else
            printf '  %-12s MISSING bench/%s/run.sh\n' "$n" "$n"
        fi
    done < <(all_benchmarks)
    exit 0
fi
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
fi

if [ "$#" -gt 0 ]; then
    selected=("$@")
else
    mapfile -t selected < <(all_benchmarks)
fi

# Refuse before starting anything when a script is missing, naming each one.
missing=0
for n in "${selected[@]}"; do
    if [ ! -f "bench/$n/run.sh" ]; then
        echo "scripts/bench.sh: missing bench/$n/run.sh (benchmark '$n')" >&2
        missing=1
    fi
done
if [ "$missing" -ne 0 ]; then
    echo "scripts/bench.sh: FAILED: benchmark scripts are missing; see the list above" >&2
    exit 1
fi

# shellcheck source=scripts/services.sh
source "$ROOT/scripts/services.sh"
amtsweg_ensure_postgres
amtsweg_ensure_redis
export AMTSWEG_ROOT="$ROOT"

failed=()
for n in "${selected[@]}"; do
    export AMTSWEG_BENCH_OUT="$ROOT/target/bench/$n"
    mkdir -p "$AMTSWEG_BENCH_OUT"
    printf '\n==================== bench %s (load: %s) ====================\n' "$n" "$(cut -d' ' -f1-3 /proc/loadavg)"
    started=$SECONDS
    if bash "bench/$n/run.sh"; then
        printf -- '-- bench %s: ok in %ss, results in %s\n' "$n" "$((SECONDS - started))" "$AMTSWEG_BENCH_OUT"
    else
        printf -- '-- bench %s: FAILED after %ss\n' "$n" "$((SECONDS - started))" >&2
        failed+=("$n")
    fi
done

if [ "${#failed[@]}" -ne 0 ]; then
    echo "scripts/bench.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "scripts/bench.sh: all benchmarks ran"
