#!/usr/bin/env bash
# Runs the whole test suite N times (default 10) with a busy loop on every core, as a
# loaded CI machine would run it, and prints how many runs passed. Each run's log is kept
# in $OUT (default /tmp/orgscope-stress). Bounded: each run is stopped after 15 minutes,
# and the busy loops end with the script.
#
#   scripts/stress-tests.sh [N] [--hogs K]
set -uo pipefail
cd "$(dirname "$0")/.."

runs=10
hogs=$(nproc)
while [ $# -gt 0 ]; do
    case "$1" in
        --hogs) hogs=$2; shift 2 ;;
        *) runs=$1; shift ;;
    esac
done
out=${OUT:-/tmp/orgscope-stress}
mkdir -p "$out"

swift build --build-tests >/dev/null || { echo "build failed"; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 "$hogs"); do
    ( while :; do :; done ) &
    pids+=($!)
done

passed=0
for i in $(seq 1 "$runs"); do
    start=$(date +%s)
    timeout 900 swift test --skip-build --parallel >"$out/run-$i.log" 2>&1
    status=$?
    took=$(( $(date +%s) - start ))
    summary=$(grep -E '^(✔|✘) Test run with' "$out/run-$i.log" | tail -n 1)
    if [ "$status" = 0 ]; then
        passed=$((passed + 1))
        echo "run $i: passed in ${took}s  $summary"
    else
        echo "run $i: FAILED (status $status) in ${took}s  $summary"
        grep -E '✘|recorded an issue' "$out/run-$i.log" | head -n 20
    fi
done
echo "$passed of $runs runs passed with $hogs busy loops on $(nproc) cores (logs in $out)"
[ "$passed" = "$runs" ]
