#!/usr/bin/env python3
"""The orgscope benchmark driver (issue 6). Run it through scripts/bench.sh, which builds the
release binaries and the SDK venv first; see BENCHMARKS.md for what each figure means.

Everything it starts (sandboxes, a private tmux server, the binaries) talks to 127.0.0.1
only, is bounded in count and time, and is stopped by this script.
"""

import argparse
import datetime
import json
import os
import platform
import re
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ["twilio-accounts", "cloudflare", "sendgrid", "huawei"]
SDK_NAMES = {
    "twilio-accounts": "twilio",
    "cloudflare": "cloudflare",
    "sendgrid": "sendgrid",
    "huawei": "huaweicloudsdkorganizations",
}
# A data row of the first tab (Twilio accounts): an account SID.
DATA_ROW = re.compile(r"AC[0-9a-f]{10}")


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else None


# --- machine ---------------------------------------------------------------------------


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor()
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    loadavg = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "swift": run("swift", "--version").splitlines()[0] if shutil.which("swift") else "?",
        "commit": run("git", "-C", ROOT, "rev-parse", "--short", "HEAD"),
        "loadavg_at_start": " ".join(loadavg),
    }


# --- sandbox -----------------------------------------------------------------------------


class SandboxProcess:
    """`orgscope sandbox` (or `orgscope-bench serve` when the CLI has no sandbox command) as
    a child process; its `export` lines become the environment of everything measured."""

    NEEDED = ("ORGSCOPE_HUAWEI_URL", "HUAWEICLOUD_SDK_SK", "CLOUDFLARE_BASE_URL")

    def __init__(self, bins, accounts, latency):
        self.accounts, self.latency = accounts, latency
        self.env = None
        self.process = None
        attempts = [
            ("orgscope sandbox", [bins["orgscope"], "sandbox"]),
            ("orgscope-bench serve", [bins["bench"], "serve", "--max-seconds", "3600"]),
        ]
        errors = []
        for name, command in attempts:
            command = command + ["--accounts", str(accounts), "--latency", str(latency)]
            env = self._start(command)
            if env:
                self.server, self.env = name, env
                return
            errors.append(f"{name}: {self.error}")
        raise RuntimeError("no sandbox could start: " + "; ".join(errors))

    def _start(self, command):
        try:
            self.stderr = tempfile.TemporaryFile(mode="w+")
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=self.stderr, text=True, bufsize=1
            )
        except OSError as error:
            self.error = str(error)
            return None
        # A thread reads the lines: select() on a buffered pipe misses lines already read.
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout],
                         daemon=True).start()
        env = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    self.stderr.seek(0)
                    self.error = self.stderr.read().strip()[:200] or "exited"
                    return None
                continue
            match = re.match(r"export (\w+)='(.*)'$", line.strip())
            if match:
                env[match.group(1)] = match.group(2).replace("'\\''", "'")
            if all(name in env for name in self.NEEDED):
                return env
        self.stop()
        self.error = "no export lines within 120 s"
        return None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def environment(sandbox_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "CLOUDFLARE_",
           "SENDGRID_", "HUAWEICLOUD_", "ORGSCOPE_"))}
    env.update(sandbox_env)
    # An empty config home: a developer's own config.toml must not change what is measured.
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="orgscope-bench-config-")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env.pop(name, None)
    return env


# --- list --------------------------------------------------------------------------------


def timed(command, env, timeout):
    start = time.perf_counter()
    result = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - start
    return elapsed, result.returncode, result.stderr


def count_lines(command, env, timeout):
    result = subprocess.run(command, env=env, capture_output=True, timeout=timeout)
    return result.returncode, result.stdout.count(b"\n"), result.stderr.decode(errors="replace")


def bench_list(bins, args, pages, sdk_python):
    rows = []
    for accounts in args.accounts:
        for latency in args.latencies:
            runs = args.runs_large if accounts >= 100_000 and latency > 0 else args.runs
            log(f"list: {accounts} records, {latency} ms latency, {runs} runs")
            with SandboxProcess(bins, accounts, latency) as sandbox:
                env = environment(sandbox.env)
                for source in args.sources:
                    info = pages[accounts][source]
                    requests = info["page_requests"] + info["token_requests"]
                    row = {
                        "source": source, "accounts": accounts, "latency_ms": latency,
                        "requests": requests, "page_size": info["page_size"],
                        "floor_s": requests * latency / 1000, "server": sandbox.server,
                    }
                    ours = [bins["orgscope"], "list", source, "--format", "ndjson"]
                    sdk = [sdk_python, os.path.join(ROOT, "scripts", "bench_sdk.py"), source,
                           str(info["page_size"])] if sdk_python else None
                    timeout = max(120, requests * latency / 1000 * 10 + 60)
                    if latency == 0:
                        # Untimed check that every record comes out (and a warm-up).
                        rc, lines, err = count_lines(ours, env, timeout)
                        row["orgscope_count"] = lines if rc == 0 else f"exit {rc}: {err[:160]}"
                    times, sdk_times, sdk_note = [], [], None
                    for _ in range(runs):
                        elapsed, rc, err = timed(ours, env, timeout)
                        if rc != 0:
                            row["orgscope_error"] = f"exit {rc}: {err.strip()[:200]}"
                            break
                        times.append(elapsed)
                        if sdk and not sdk_note:
                            elapsed, rc, err = timed(sdk, env, timeout)
                            found = re.search(r"count=(\d+)", err)
                            if rc != 0 or not found:
                                sdk_note = f"exit {rc}: {err.strip().splitlines()[-1:]}"
                            elif int(found.group(1)) != accounts:
                                sdk_note = f"listed {found.group(1)} of {accounts}"
                            else:
                                sdk_times.append(elapsed)
                    row["orgscope_s"] = times
                    row["sdk_s"] = sdk_times
                    row["sdk_note"] = sdk_note or ("" if sdk else "SDK venv missing")
                    log(f"  {source}: orgscope {fmt(median(times))} s, "
                        f"SDK {fmt(median(sdk_times))} s, floor {row['floor_s']:.2f} s"
                        + (f" ({sdk_note})" if sdk_note else ""))
                    rows.append(row)
    return rows


# --- snapshot ----------------------------------------------------------------------------


def bench_snapshot(bins, args):
    """`orgscope snapshot` of every source against the slowest single `list`: the sources
    are fetched at once, so the snapshot should take little more than the slowest one."""
    accounts, latency = args.snapshot_accounts, args.snapshot_latency
    log(f"snapshot: {accounts} records per source, {latency} ms latency, {args.runs} runs")
    folder = tempfile.mkdtemp(prefix="orgscope-bench-snapshot-")
    row = {"accounts": accounts, "latency_ms": latency, "list_s": {}, "snapshot_s": []}
    with SandboxProcess(bins, accounts, latency) as sandbox:
        env = environment(sandbox.env)
        env["XDG_DATA_HOME"] = folder
        timeout = 600
        # Warm the sandbox's record caches once, untimed.
        path = os.path.join(folder, "bench.db")
        timed([bins["orgscope"], "snapshot", "-o", path, "--force"], env, timeout)
        for _ in range(args.runs):
            for source in SOURCES:
                elapsed, rc, err = timed(
                    [bins["orgscope"], "list", source, "--format", "ndjson"], env, timeout)
                if rc == 0:
                    row["list_s"].setdefault(source, []).append(elapsed)
            elapsed, rc, err = timed(
                [bins["orgscope"], "snapshot", "-o", path, "--force"], env, timeout)
            if rc != 0:
                row["error"] = f"exit {rc}: {err.strip()[:200]}"
                break
            row["snapshot_s"].append(elapsed)
        row["file_bytes"] = os.path.getsize(path) if os.path.exists(path) else 0
    shutil.rmtree(folder, ignore_errors=True)
    slowest = max((median(v) for v in row["list_s"].values()), default=None)
    log(f"  snapshot {fmt(median(row['snapshot_s']))} s, slowest list {fmt(slowest)} s")
    return row


# --- TUI in tmux -------------------------------------------------------------------------


class Tmux:
    """A private tmux server (its own socket), killed at the end: no other tmux is touched."""

    def __init__(self):
        self.socket = f"orgscope-bench-{os.getpid()}"

    def __call__(self, *args, check=True):
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, timeout=30)
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def session(self, name, command, env):
        exports = " ".join(f"{k}={shell_quote(v)}" for k, v in sorted(env.items())
                           if k.startswith(("TWILIO_", "CLOUDFLARE_", "SENDGRID_", "HUAWEICLOUD_",
                                            "ORGSCOPE_", "XDG_CONFIG_HOME")))
        self("new-session", "-d", "-s", name, "-x", "80", "-y", "24",
             f"env LANG=C.UTF-8 LC_ALL=C.UTF-8 {exports} bash --norc --noprofile -c {shell_quote(command)}")
        self("set-option", "-t", name, "remain-on-exit", "on")

    def capture(self, name):
        return self("capture-pane", "-p", "-t", name, check=False)

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def first_frame(bins, args, env, tmux):
    """Exec to first data row painted, at 80x24 in tmux. The pane's shell stamps the exec time;
    with `--exit-after-first-frame` the stamp after exit ends it, else the screen is polled."""
    flag_times, poll_times, notes = [], [], []
    for run in range(args.runs):
        stamp = tempfile.mktemp(prefix="orgscope-bench-stamp-")
        command = (f"s=$EPOCHREALTIME; {shell_quote(bins['orgscope'])} --exit-after-first-frame; "
                   f"rc=$?; e=$EPOCHREALTIME; echo \"$s $e $rc\" > {stamp}")
        name = f"ff{run}"
        tmux.session(name, command, env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not os.path.exists(stamp):
            time.sleep(0.02)
        screen = tmux.capture(name)
        tmux("kill-session", "-t", name, check=False)
        try:
            start, end, rc = open(stamp).read().split()
            os.unlink(stamp)
        except (OSError, ValueError):
            notes.append("flag run did not finish in 30 s")
            continue
        # The flag exits once a frame shows data rows (TUI.run); the screen cannot show it
        # afterwards (the alternate screen is left), so the polling below is the check.
        if rc == "0":
            flag_times.append(float(end) - float(start))
        else:
            notes.append(f"flag run: exit {rc}")
    if True:
        # Independent of the flag: poll the screen until a data row is there (adds the
        # polling interval and capture-pane's own time).
        for run in range(args.runs):
            stamp = tempfile.mktemp(prefix="orgscope-bench-stamp-")
            command = f"echo $EPOCHREALTIME > {stamp}; exec {shell_quote(bins['orgscope'])}"
            name = f"fp{run}"
            tmux.session(name, command, env)
            deadline = time.monotonic() + 30
            seen = None
            while time.monotonic() < deadline:
                if DATA_ROW.search(tmux.capture(name)):
                    seen = time.time()
                    break
                time.sleep(0.003)
            tmux("kill-session", "-t", name, check=False)
            try:
                start = float(open(stamp).read().split()[0])
                os.unlink(stamp)
            except (OSError, ValueError, IndexError):
                continue
            if seen:
                poll_times.append(seen - start)
    return {"flag_s": flag_times, "poll_s": poll_times, "notes": notes}


def scroll_bytes(bins, args, env, tmux):
    """Bytes the real TUI writes to the terminal (tmux pipe-pane) per `j` at 80x24: moving the
    cursor inside the visible list, and scrolling the list by one line at its bottom."""
    out = tempfile.mktemp(prefix="orgscope-bench-pipe-")
    name = "bytes"
    tmux.session(name, f"sleep 0.3; exec {shell_quote(bins['orgscope'])}", env)
    tmux("pipe-pane", "-o", "-t", name, f"cat >> {out}")

    def size():
        return os.path.getsize(out) if os.path.exists(out) else 0

    def settle(limit=3.0, quiet=0.25):
        deadline = time.monotonic() + limit
        last, since = size(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            now = size()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not DATA_ROW.search(tmux.capture(name)):
        time.sleep(0.05)
    first = settle()
    per_key = []
    for _ in range(min(args.scroll_keys, 200)):
        before = size()
        tmux("send-keys", "-t", name, "j")
        per_key.append(settle() - before)
    screen = tmux.capture(name)
    tmux("send-keys", "-t", name, "q")
    time.sleep(0.3)
    tmux("kill-session", "-t", name, check=False)
    try:
        os.unlink(out)
    except OSError:
        pass
    # The list shows fewer than 30 rows at 80x24: presses 2-4 move the cursor inside it,
    # the last 10 of 40 scroll it by one line each (the screen is kept as evidence).
    return {"first_frame_bytes": first, "per_key": per_key,
            "cursor_move_bytes": median(per_key[1:4]), "scroll_bytes": median(per_key[-10:]),
            "screen_after": screen}


def resize_redraw(bins, args, env, tmux, count=10):
    """Resize to redraw, exec-free: the running TUI's pane is resized (`resize-window`) and
    the screen polled until its last row holds the status line drawn at the new width. Each
    resize waits a second after the last: tmux delays a pane's resize that follows another
    within 250 ms, which would be measured instead of orgscope."""
    name = "resize"
    tmux.session(name, f"exec {shell_quote(bins['orgscope'])}", env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not DATA_ROW.search(tmux.capture(name)):
        time.sleep(0.05)
    times, missed = [], 0
    sizes = [(100, 26), (120, 30), (90, 25), (130, 35), (81, 24), (110, 28), (95, 27),
             (125, 33), (85, 26), (140, 40)][:count]
    for width, height in sizes:
        time.sleep(1.0)
        start = time.monotonic()
        tmux("resize-window", "-t", name, "-x", str(width), "-y", str(height))
        seen = None
        while time.monotonic() - start < 3.0:
            rows = tmux.capture(name).split("\n")
            if len(rows) >= height and len(rows[height - 1].rstrip()) >= width - 1:
                seen = time.monotonic()
                break
        if seen is None:
            missed += 1
        else:
            times.append(seen - start)
    tmux("send-keys", "-t", name, "q")
    time.sleep(0.2)
    tmux("kill-session", "-t", name, check=False)
    return {"resize_s": times, "missed": missed}


# --- in-process UI -----------------------------------------------------------------------


def bench_ui(bins, args):
    results = []
    with SandboxProcess(bins, args.ui_rows, 0) as sandbox:
        env = environment(sandbox.env)
        for run in range(args.runs):
            log(f"ui: run {run + 1}/{args.runs} with {args.ui_rows} rows")
            result = subprocess.run(
                [bins["bench"], "ui", "--rows", str(args.ui_rows), "--source", args.ui_source],
                env=env, capture_output=True, text=True, timeout=900,
            )
            if result.returncode != 0:
                return {"error": result.stderr.strip()[:300]}
            results.append(json.loads(result.stdout.strip().splitlines()[-1]))
    keys = [k for k, v in results[0].items() if isinstance(v, (int, float)) and
            not isinstance(v, bool)]
    summary = {k: median([r[k] for r in results]) for k in keys}
    summary["source"] = results[0]["source"]
    summary["runs"] = len(results)
    return summary


# --- report ------------------------------------------------------------------------------


def fmt(value, digits=2):
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "—"


def report(results):
    m = results["machine"]
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}; "
        f"{m['swift']}; commit {m['commit']}; {m['date']}; load average at start "
        f"{m['loadavg_at_start']}",
        "",
    ]
    if "first_frame" in results:
        ff = results["first_frame"]
        def ms(values):
            return f"{fmt(median(values) * 1000, 1)} ms" if values else "—"
        lines += [
            "| TUI (80×24, tmux, sandbox on loopback) | median | runs | target |",
            "|---|---|---|---|",
            f"| exec to first page painted (`--exit-after-first-frame`) | {ms(ff['flag_s'])} "
            f"| {len(ff['flag_s'])} | < 150 ms |",
            f"| exec to first data row seen by polling `capture-pane` | {ms(ff['poll_s'])} "
            f"| {len(ff['poll_s'])} | < 150 ms |",
        ]
        if "scroll" in results:
            s = results["scroll"]
            lines += [
                f"| bytes written: first full frame | {s['first_frame_bytes']} B | 1 | — |",
                f"| bytes written: `j` moving the cursor | {fmt(s['cursor_move_bytes'], 0)} B "
                f"| 3 | a few hundred |",
                f"| bytes written: `j` scrolling one line | {fmt(s['scroll_bytes'], 0)} B "
                f"| 10 | a few hundred |",
            ]
        if "resize" in results:
            r = results["resize"]
            worst = f", worst {fmt(max(r['resize_s']) * 1000, 1)} ms" if r["resize_s"] else ""
            missed = f", {r['missed']} not drawn in 3 s" if r["missed"] else ""
            lines.append(
                f"| resize to redraw, no key pressed (exec-free){worst}{missed} | "
                f"{ms(r['resize_s'])} | {len(r['resize_s'])} | < 50 ms |")
        lines.append("")
    if "ui" in results and "error" not in results["ui"]:
        u = results["ui"]
        lines += [
            f"| In-process, {int(u['rows']):,} {u['source']} rows loaded (median of {u['runs']} runs) "
            "| value | target |",
            "|---|---|---|",
            f"| keystroke update + view, all keys, p50 / p99 | {fmt(u['key_p50_ms'], 3)} / "
            f"{fmt(u['key_p99_ms'], 3)} ms | p99 < 5 ms |",
            f"| — moving (j/k/PgDn/PgUp/g/G), p50 / p99 | {fmt(u['nav_p50_ms'], 3)} / "
            f"{fmt(u['nav_p99_ms'], 3)} ms | |",
            f"| — search typing (`/`, letters, Backspace, Esc), p50 / p99 | "
            f"{fmt(u['search_p50_ms'], 3)} / {fmt(u['search_p99_ms'], 3)} ms | |",
            f"| first search key (full filter of every row) + view, median | "
            f"{fmt(u['search_first_key_median_ms'], 3)} ms | < 20 ms |",
            f"| `LocalFilter.apply` over every row (`orgscope list --search`), median | "
            f"{fmt(u['filter_apply_median_ms'], 3)} ms | (CLI path) |",
            f"| resident memory after loading (VmRSS / VmHWM) | {fmt(u['rss_loaded_mib'], 1)} / "
            f"{fmt(u['hwm_loaded_mib'], 1)} MiB | < 150 MB |",
            f"| resident memory at the end (VmRSS / VmHWM) | {fmt(u['rss_end_mib'], 1)} / "
            f"{fmt(u['hwm_end_mib'], 1)} MiB | |",
            f"| loading all rows through update (0 ms latency) | {fmt(u['load_ms'] / 1000)} s | |",
            "",
        ]
    elif "ui" in results:
        lines += [f"In-process UI bench failed: {results['ui']['error']}", ""]
    if "snapshot" in results:
        r = results["snapshot"]
        lists = {k: median(v) for k, v in r["list_s"].items()}
        slowest_source = max(lists, key=lists.get) if lists else None
        slowest = lists.get(slowest_source)
        snap = median(r["snapshot_s"])
        lines += [
            f"| `orgscope snapshot` (all five sources, {r['accounts']:,} records each, "
            f"{r['latency_ms']} ms) | median of {len(r['snapshot_s'])} | target |",
            "|---|---|---|",
        ]
        for source, value in lists.items():
            lines.append(f"| `list {source} --format ndjson` | {fmt(value)} s | |")
        lines += [
            f"| `snapshot` of every source | {fmt(snap) if snap else r.get('error', '—')} s | |",
            f"| snapshot ÷ slowest list ({slowest_source}) | {ratio(snap, slowest)} | ≤ 1.2× |",
            f"| file size | {r['file_bytes'] / 1e6:.1f} MB | |",
            "",
        ]
    if "list" in results:
        lines += [
            "| `orgscope list SOURCE --format ndjson` | records | latency | requests × size "
            "| floor | orgscope | ÷ floor | official SDK | orgscope ÷ SDK |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in results["list"]:
            ours = median(r["orgscope_s"])
            sdk = median(r["sdk_s"])
            sdk_text = f"{fmt(sdk)} s" if sdk else "—"
            note = r.get("sdk_note") or ""
            sdk_name = SDK_NAMES[r["source"]]
            if note:
                sdk_text += f" ({note})"
            ours_text = f"{fmt(ours)} s" if ours else r.get("orgscope_error", "—")
            lines.append(
                f"| {r['source']} | {r['accounts']:,} | {r['latency_ms']} ms | "
                f"{r['requests']} × {r['page_size']} | {fmt(r['floor_s'])} s | {ours_text} | "
                f"{ratio(ours, r['floor_s'])} | `{sdk_name}` {sdk_text} | {ratio(ours, sdk)} |"
            )
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--sdk-python", default="")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runs-large", type=int, default=3,
                        help="runs for 100,000 records at a latency above 0")
    parser.add_argument("--accounts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--latencies", type=int, nargs="+", default=[0, 20])
    parser.add_argument("--sources", nargs="+", default=SOURCES, choices=SOURCES)
    parser.add_argument("--ui-rows", type=int, default=100_000)
    parser.add_argument("--ui-source", default="sendgrid")
    parser.add_argument("--scroll-keys", type=int, default=40)
    parser.add_argument("--only", nargs="+", default=["tui", "ui", "list", "snapshot"],
                        choices=["tui", "ui", "list", "snapshot"])
    parser.add_argument("--snapshot-accounts", type=int, default=10_000)
    parser.add_argument("--snapshot-latency", type=int, default=20)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    args = parser.parse_args()
    args.runs = max(1, min(args.runs, 50))
    args.runs_large = max(1, min(args.runs_large, 50))

    bins = {"orgscope": os.path.join(args.bin_dir, "orgscope"),
            "bench": os.path.join(args.bin_dir, "orgscope-bench")}
    sdk_python = args.sdk_python if args.sdk_python and os.path.exists(args.sdk_python) else None
    results = {"machine": machine(), "args": vars(args)}
    os.makedirs(args.out, exist_ok=True)

    if "tui" in args.only:
        log("TUI in tmux: first frame and bytes per key")
        tmux = Tmux()
        try:
            with SandboxProcess(bins, 10_000, 0) as sandbox:
                env = environment(sandbox.env)
                results["first_frame"] = first_frame(bins, args, env, tmux)
                results["scroll"] = scroll_bytes(bins, args, env, tmux)
                results["resize"] = resize_redraw(bins, args, env, tmux)
        finally:
            tmux.close()
    if "ui" in args.only:
        results["ui"] = bench_ui(bins, args)
    if "snapshot" in args.only:
        results["snapshot"] = bench_snapshot(bins, args)
    if "list" in args.only:
        pages = {}
        for accounts in args.accounts:
            out = subprocess.run([bins["bench"], "pages", "--accounts", str(accounts)],
                                 capture_output=True, text=True, timeout=600, check=True).stdout
            pages[accounts] = {p["source"]: p for p in map(json.loads, out.splitlines())}
        results["pages"] = pages
        results["list"] = bench_list(bins, args, pages, sdk_python)

    text = report(results)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    log(f"raw results: {os.path.join(args.out, 'results.json')}")


if __name__ == "__main__":
    main()
