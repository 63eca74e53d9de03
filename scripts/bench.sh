#!/usr/bin/env bash
# The orgscope benchmark (issue 6): builds release binaries in a scratch path of their own
# (so the shared .build is never locked for minutes), makes a throwaway venv with the
# official Python SDKs, and runs scripts/bench.py, which prints the table that
# BENCHMARKS.md records. Everything runs against sandboxes on 127.0.0.1.
#
#   scripts/bench.sh                      # everything (about 20 minutes on 2 cores)
#   scripts/bench.sh --only ui            # one part: tui, ui, list, snapshot
#   scripts/bench.sh --accounts 10000 --latencies 20 --runs 3
#
# Needs: swift, python3 (with venv), tmux. Output: the table on stdout, raw figures in
# bench-out/results.json and bench-out/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# The binaries as the README's install command builds them: the Swift runtime and
# Foundation linked in (`--static-swift-stdlib`), which also starts about 6 ms sooner than
# loading and binding a dozen shared libraries.
scratch=.build-release
build=(swift build -c release --static-swift-stdlib --scratch-path "$scratch")
echo "building release binaries in $scratch" >&2
"${build[@]}" --product orgscope >&2
"${build[@]}" --product orgscope-bench >&2
bin=$("${build[@]}" --show-bin-path)

venv=${ORGSCOPE_SDK_VENV:-/tmp/orgscope-sdk-venv}
sdks=(cloudflare twilio sendgrid huaweicloudsdkorganizations)
if ! "$venv/bin/python" -c 'import cloudflare, twilio, sendgrid, huaweicloudsdkorganizations' \
  2>/dev/null; then
  echo "installing the official SDKs into $venv" >&2
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "${sdks[@]}"; } >&2; then
    echo "warning: the SDK venv could not be made; the SDK columns will be empty" >&2
  fi
fi

command -v tmux >/dev/null || { echo "tmux is needed (apt-get install -y tmux)" >&2; exit 2; }
exec python3 scripts/bench.py --bin-dir "$bin" --sdk-python "$venv/bin/python" "$@"
