#!/usr/bin/env bash
# Runs the server scenario tests (test/server, and test/contract when it exists) N times in a
# row, each run a fresh vitest process, and stops at the first failure.
#
#   scripts/flake-loop.sh                 # 200 runs
#   N=20 scripts/flake-loop.sh            # a quick check
#   BUDGET=900 scripts/flake-loop.sh      # stop cleanly after 900 s, reporting the runs done
#
# Prints one line per run and, at the end, how many runs passed in a row. The output of a
# failing run is kept in $LOG_DIR (default: a fresh temp dir) and its path printed.
# Exit status: 0 when all N runs passed, 1 at the first failure, 2 when BUDGET ran out first.
set -u

N="${N:-200}"
BUDGET="${BUDGET:-0}"
cd "$(dirname "$0")/.."

targets=(test/server)
[ -d test/contract ] && targets+=(test/contract)

LOG_DIR="${LOG_DIR:-$(mktemp -d -t keepalive-kit-flake.XXXXXX)}"
mkdir -p "$LOG_DIR"
start=$SECONDS
passed=0

for ((run = 1; run <= N; run++)); do
  if ((BUDGET > 0 && SECONDS - start >= BUDGET)); then
    echo "flake-loop: time budget of ${BUDGET}s used up"
    break
  fi
  log="$LOG_DIR/run-$run.log"
  t0=$SECONDS
  if npx vitest run "${targets[@]}" >"$log" 2>&1; then
    passed=$run
    echo "flake-loop: run $run/$N passed ($((SECONDS - t0))s)"
    rm -f "$log"
  else
    echo "flake-loop: run $run/$N FAILED ($((SECONDS - t0))s); output: $log"
    grep -aE 'FAIL|Tests ' "$log" | head -20
    echo "flake-loop: $passed consecutive passing runs of ${targets[*]} before the first failure, in $((SECONDS - start))s"
    exit 1
  fi
done

echo "flake-loop: $passed/$N consecutive passing runs of ${targets[*]} in $((SECONDS - start))s"
((passed == N)) || exit 2
