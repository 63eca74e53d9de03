#!/usr/bin/env bash
# Lists from a running orgscope sandbox with the providers' official Python SDKs
# (huaweicloudsdkorganizations, sendgrid, cloudflare, twilio, from PyPI in a throwaway venv),
# with nothing changed but their host: the sandbox serves every API at its real path and
# prints its base URLs in the form each SDK takes. Uses scripts/bench_sdk.py to drive them.
#
#   scripts/sdk_check.sh [path/to/orgscope]
#   scripts/sdk_check.sh --print-pins      # the pinned SDK versions, for pip
#
# Exit 0 when every SDK listed every account, 1 when one did not. When PyPI cannot be
# reached (no network, a slow mirror) it says so and exits 0: CI machines without network
# still pass, and the line says the check was skipped.
#
# Env: ORGSCOPE_SDK_VENV (default: a new temporary venv, removed afterwards; an existing venv
# with the four SDKs is reused as it is), SDK_CHECK_PIP_TIMEOUT (seconds, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."

# The SDK versions this check was last seen to pass with (pinned, so that CI tests orgscope's
# sandbox and not a new SDK release).
sdks=(huaweicloudsdkorganizations==3.1.219 sendgrid==6.12.5 cloudflare==5.9.0 twilio==9.13.0)
if [ "${1:-}" = --print-pins ]; then
  echo "${sdks[@]}"
  exit 0
fi

bin=${1:-.build/debug/orgscope}
[ -x "$bin" ] || { echo "sdk_check: no orgscope binary at $bin (build first)" >&2; exit 1; }
accounts=120
pip_timeout=${SDK_CHECK_PIP_TIMEOUT:-300}

cleanup=()
trap 'for item in "${cleanup[@]}"; do eval "$item"; done' EXIT

venv=${ORGSCOPE_SDK_VENV:-}
if [ -z "$venv" ]; then
  venv=$(mktemp -d /tmp/orgscope-sdk-check.XXXXXX)
  cleanup+=("rm -rf '$venv'")
fi
if ! "$venv/bin/python" -c 'import cloudflare, twilio, sendgrid, huaweicloudsdkorganizations' \
  2>/dev/null; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    echo "sdk_check: skipped: python3 cannot make a venv (install python3-venv)"
    exit 0
  fi
  # A quick probe first, so a machine without network skips in seconds.
  if ! timeout 20 "$venv/bin/pip" download --quiet --no-deps --dest "$venv/probe" \
    sendgrid >/dev/null 2>&1; then
    echo "sdk_check: skipped: PyPI is unreachable from here (pip could not download sendgrid)"
    exit 0
  fi
  if ! timeout "$pip_timeout" "$venv/bin/pip" install --quiet "${sdks[@]}" >/dev/null 2>&1; then
    echo "sdk_check: skipped: pip could not install ${sdks[*]} within ${pip_timeout}s"
    exit 0
  fi
fi

# The sandbox on a free port; its first lines are the export lines.
out=$(mktemp /tmp/orgscope-sdk-check-out.XXXXXX)
cleanup+=("rm -f '$out'")
"$bin" sandbox --port 0 --accounts "$accounts" --roles 30 >"$out" 2>/dev/null &
sandbox=$!
cleanup+=("kill $sandbox 2>/dev/null || true")
for _ in $(seq 1 100); do
  grep -q '^export ORGSCOPE_HUAWEI_URL=' "$out" && break
  sleep 0.1
done
grep -q '^export ORGSCOPE_HUAWEI_URL=' "$out" || { echo "sdk_check: the sandbox did not start" >&2; exit 1; }
# shellcheck disable=SC1090
source <(grep '^export ' "$out")

status=0
for source in huawei sendgrid cloudflare twilio-accounts; do
  if ! result=$(timeout 120 "$venv/bin/python" scripts/bench_sdk.py "$source" 50 2>&1 >/dev/null); then
    echo "sdk_check: $source: the official SDK failed: $(echo "$result" | tail -n 1)"
    status=1
    continue
  fi
  count=$(echo "$result" | sed -n 's/^count=//p' | tail -n 1)
  if [ "$count" = "$accounts" ]; then
    echo "sdk_check: $source: the official SDK listed $count of $accounts accounts"
  else
    echo "sdk_check: $source: the official SDK listed ${count:-no} accounts, expected $accounts"
    status=1
  fi
done
exit "$status"
