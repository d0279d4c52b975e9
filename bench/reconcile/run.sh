#!/usr/bin/env bash
# Reconciliation benchmark: generate 200k and 1M persons per side, reconcile in release,
# measure wall time and peak memory, score against the truth. Optionally Splink.
#
#   bench/reconcile/run.sh                 # 200k and 1M
#   SIZES="200000" bench/reconcile/run.sh  # one size
#   SPLINK=1 bench/reconcile/run.sh        # also Splink (needs a venv, see splink_compare.py)
#
# Uses the crate's example driver so that it does not need the platform binary; the
# `amtsweg reconcile` subcommand runs the same code (run_files_incremental).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-reconcile}"
cargo build --release -p amtsweg-reconcile --example reconcile_bench
BIN="$CARGO_TARGET_DIR/release/examples/reconcile_bench"
WORK="${WORK:-$CARGO_TARGET_DIR/bench}"
mkdir -p "$WORK"
for N in ${SIZES:-200000 1000000}; do
  D="$WORK/g$N"; O="$WORK/o$N"
  [ -f "$D/azr.csv" ] || "$BIN" generate "$N" 42 "$D"
  /usr/bin/time -v "$BIN" run "$D/local.csv" "$D/azr.csv" "$O" 2> "$WORK/time$N.log"
  grep -E "CPU seconds|reconciled|Elapsed|Maximum resident|User time|System time" "$WORK/time$N.log"
  "$BIN" eval "$D" "$O" | tee "$WORK/eval$N.json" | head -16
  if [ "${SPLINK:-0}" = 1 ]; then
    /usr/bin/time -v "${PYTHON:-python3}" bench/reconcile/splink_compare.py "$D" "$WORK/splink$N" \
      2> "$WORK/splink_time$N.log" | tee "$WORK/splink_eval$N.json"
    grep -E "Elapsed|Maximum resident" "$WORK/splink_time$N.log"
  fi
done
