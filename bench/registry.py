"""Public registry under load: search, detail, filtered list and CSV export at a million licenses.

What it does, in order (every step bounded in time; traffic only to 127.0.0.1):

1. creates the bench database if missing, migrates it, and tops the register up to ``--licenses``
   with ``seed_bulk`` (so a second run reuses the rows), then collects static files;
2. starts gunicorn (2 gthread workers, production settings: DEBUG=0, Redis cache, rate limit off)
   with ``bench.settings``, which adds a bare view at ``/bench/bare/``; the access log records each
   request's status, server time (``%(D)s``, microseconds) and path;
3. runs each scenario for ``--duration`` seconds with ``--concurrency`` keep-alive connections and
   reports client and server latency (p50/p90/p99) and throughput; then streams the full CSV
   export once, sampling the RSS of the gunicorn workers from /proc;
4. stops gunicorn (always), prints the table with the goals, writes JSON to bench/results/.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    # Run as a script: bench/ is first on the path and this very file would shadow the Django app
    # ``registry``; the project root goes there instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import common

GOALS = {
    "search_p90_ms": 30.0,
    "detail_p90_ms": 5.0,
    "detail_to_bare_throughput": 0.5,
    "export_rows_per_second": 100_000,
    "export_peak_rss_mb": 200.0,
}
_WARMUP_REQUESTS = 20
_MAX_REQUESTS_PER_SCENARIO = 200_000
_STARTUP_TIMEOUT = 60.0
_EXPORT_TIMEOUT = 600.0
_REQUEST_TIMEOUT = 60.0


# --- preparing the data ------------------------------------------------------------------------


def prepare(args) -> dict:
    figures: dict = {}
    common.ensure_database(args.database_url)
    print("Migrating the bench database ...")
    common.manage(args, "migrate", "--noinput", "-v0")
    have = common.query(args.database_url, "SELECT count(*) FROM registry_license")[0][0]
    figures["licenses_before"] = have
    if have < args.licenses:
        missing = args.licenses - have
        print(f"Seeding {missing:,} licenses (register has {have:,}) ...")
        with common.Stopwatch() as watch:
            common.manage(args, "seed_bulk", "--licenses", str(missing), "--batch-size", "20000", "-v1")
        figures["seeded_licenses"] = missing
        figures["seed_seconds"] = round(watch.seconds, 1)
        figures["seed_licenses_per_second"] = round(missing / watch.seconds)
        common.query_autocommit(args.database_url, "VACUUM ANALYZE")
    figures["licenses"] = common.query(args.database_url, "SELECT count(*) FROM registry_license")[0][0]
    common.manage(args, "collectstatic", "--noinput", "-v0")
    return figures


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    return word[:i] + rng.choice("aeiouy") + word[i + 1 :]  # one wrong letter


def sample_inputs(args, rng: random.Random) -> dict[str, list[str]]:
    """Real numbers, BINs and name fragments from the register, so every request finds something."""
    rows = common.query(
        args.database_url,
        "SELECT number, holder_bin, holder_name FROM registry_license TABLESAMPLE SYSTEM (1) LIMIT 400",
    ) or common.query(args.database_url, "SELECT number, holder_bin, holder_name FROM registry_license LIMIT 400")
    if not rows:
        raise SystemExit("The register is empty: nothing to benchmark.")
    numbers = [r[0] for r in rows]
    bins = [r[1] for r in rows]
    names = [[w.strip("«»") for w in r[2].split() if len(w.strip("«»")) >= 4] for r in rows]
    # A word found in several sampled names ("Exchange", "Altyn") matches a sizeable share of the
    # register; people look up a particular company by its distinctive word, so the name scenario
    # uses those, and the common words get a scenario of their own (the worst case, no goal).
    seen = Counter(w.lower() for words in names for w in set(words))
    common_words = sorted(w for w, n in seen.items() if n >= 3)
    fragments = []
    for words in names:
        words = [w for w in words if seen[w.lower()] < 3]
        if not words:
            continue
        word = rng.choice(words)
        roll = rng.random()
        if roll < 0.3:
            fragments.append(_typo(word, rng))
        elif roll < 0.6:
            fragments.append(word[: rng.randint(4, max(4, len(word)))])
        elif roll < 0.8 and len(words) > 1:
            fragments.append(" ".join(words[:2]))
        else:
            fragments.append(word)
    return {"numbers": numbers, "bins": bins, "fragments": fragments, "common": common_words[:40]}


# --- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    args: object
    workdir: Path
    process: subprocess.Popen | None = None
    access_log: Path = field(init=False)

    def __post_init__(self):
        self.access_log = self.workdir / "access.log"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.access_log.write_text("")
        command = [
            common.PYTHON, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.args.port}",
            "--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--keep-alive", "30", "--timeout", str(int(_EXPORT_TIMEOUT)), "--graceful-timeout", "5",
            "--access-logfile", str(self.access_log),
            "--access-logformat", "%(s)s %(D)s %(U)s",
            "--error-logfile", str(self.workdir / "error.log"),
        ]  # fmt: skip
        env = common.django_env(self.args, DJANGO_SETTINGS_MODULE="bench.settings")
        self.process = subprocess.Popen(command, env=env, cwd=common.ROOT, start_new_session=True)
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.workdir / 'error.log'}")
            try:
                status, _, _ = request(self.args.port, "/healthz", timeout=5)
                print(f"gunicorn is up (pid {self.process.pid}); /healthz answered {status}.")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz within {_STARTUP_TIMEOUT:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(stat.parent.name))
                except (OSError, ValueError, IndexError):
                    continue
            return pids

    def log_offset(self) -> int:
        return self.access_log.stat().st_size

    def server_times_ms(self, start: int, end: int) -> list[float]:
        with self.access_log.open("rb") as log:
            log.seek(start)
            chunk = log.read(end - start).decode(errors="replace")
        times = []
        for line in chunk.splitlines():
            parts = line.split(" ", 2)
            if len(parts) >= 2 and parts[0].startswith("2"):
                times.append(int(parts[1]) / 1000)
        return times


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def request(port: int, path: str, *, timeout: float = _REQUEST_TIMEOUT, connection=None, headers=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers={"Accept": "application/json, text/html", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, body, response


# --- load ---------------------------------------------------------------------------------------


def load(port: int, paths: list[str], *, duration: float, concurrency: int, headers=None) -> dict:
    """``concurrency`` keep-alive clients send ``paths`` round-robin for ``duration`` seconds."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    budget = _MAX_REQUESTS_PER_SCENARIO // concurrency

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=_REQUEST_TIMEOUT)
        mine, codes = [], {}
        i = index
        deadline = time.monotonic() + duration
        try:
            while time.monotonic() < deadline and len(mine) < budget:
                path = paths[i % len(paths)]
                i += concurrency
                started = time.perf_counter()
                try:
                    status, _, response = request(port, path, connection=conn, headers=headers)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=_REQUEST_TIMEOUT)
                    status, response = 599, None
                mine.append((time.perf_counter() - started) * 1000)
                codes[status] = codes.get(status, 0) + 1
                if response is not None and response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=_REQUEST_TIMEOUT)
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + _REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - started
    ok = sum(n for code, n in statuses.items() if 200 <= code < 300)
    return {"requests": len(latencies), "ok": ok, "statuses": statuses, "seconds": elapsed, "latencies": latencies}


def scenario(server: Server, args, name: str, paths: list[str], *, headers=None) -> dict:
    """``paths`` under load; ``headers`` go with every request (a session cookie, say)."""
    status, _, _ = request(args.port, paths[0], headers=headers)
    if status == 404:
        print(f"  {name}: {paths[0]} answers 404: endpoint missing, skipped.")
        return {"name": name, "missing": True, "probe_status": status}
    for path in (paths * _WARMUP_REQUESTS)[:_WARMUP_REQUESTS]:
        request(args.port, path, headers=headers)
    start = server.log_offset()
    result = load(args.port, paths, duration=args.duration, concurrency=args.concurrency, headers=headers)
    time.sleep(0.2)  # the access log line is written just after the response
    server_ms = server.server_times_ms(start, server.log_offset())
    client_ms = result.pop("latencies")
    figures = {
        "name": name,
        "example": paths[0],
        **{k: v for k, v in result.items() if k != "seconds"},
        "seconds": round(result["seconds"], 2),
        "throughput_rps": round(result["ok"] / result["seconds"], 1) if result["seconds"] else None,
    }
    for label, values in (("client", client_ms), ("server", server_ms)):
        for p in (50, 90, 99):
            value = common.percentile(values, p)
            figures[f"{label}_p{p}_ms"] = round(value, 2) if value is not None else None
    print(
        f"  {name}: {figures['ok']:,} ok of {figures['requests']:,}, {figures['throughput_rps']} req/s, "
        f"server p90 {figures['server_p90_ms']} ms, client p90 {figures['client_p90_ms']} ms"
    )
    return figures


def export(server: Server, args) -> dict:
    """Stream the whole CSV export once; rows per second and peak RSS of the gunicorn workers."""
    path = "/api/v1/export/licenses.csv"
    workers = server.worker_pids()
    baseline = {pid: rss_mb(pid) for pid in workers}
    peak = dict(baseline)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in workers:
                peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=_REQUEST_TIMEOUT)
    sampler.start()
    rows = size = 0
    started = time.monotonic()
    first_byte = None
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status == 404:
            print(f"  export: {path} answers 404: endpoint missing, skipped.")
            return {"name": "export_csv", "missing": True, "probe_status": 404}
        deadline = started + _EXPORT_TIMEOUT
        while time.monotonic() < deadline:
            chunk = response.read1(1 << 16)
            if first_byte is None:
                first_byte = time.monotonic() - started
            if not chunk:
                break
            rows += chunk.count(b"\n")
            size += len(chunk)
        status = response.status
    finally:
        elapsed = time.monotonic() - started
        done.set()
        sampler.join(timeout=5)
        conn.close()
    rows = max(rows - 1, 0)  # header line
    serving = max(peak, key=lambda pid: peak[pid] - baseline.get(pid, 0.0)) if peak else None
    figures = {
        "name": "export_csv",
        "status": status,
        "rows": rows,
        "megabytes": round(size / 1e6, 1),
        "seconds": round(elapsed, 2),
        "first_byte_ms": round(first_byte * 1000, 1) if first_byte is not None else None,
        "rows_per_second": round(rows / elapsed) if elapsed else None,
        "worker_rss_before_mb": round(baseline.get(serving, 0.0), 1) if serving else None,
        "peak_rss_mb": round(peak[serving], 1) if serving else None,
    }
    print(
        f"  export: {rows:,} rows, {figures['megabytes']} MB in {figures['seconds']} s "
        f"({figures['rows_per_second']:,} rows/s), worker RSS {figures['worker_rss_before_mb']} -> "
        f"{figures['peak_rss_mb']} MB"
    )
    return figures


# --- the run -------------------------------------------------------------------------------------


def run(args) -> dict:
    rng = random.Random(2026)
    figures = {"benchmark": "registry", "concurrency": args.concurrency, "duration_s": args.duration}
    figures["data"] = prepare(args)
    inputs = sample_inputs(args, rng)
    numbers = inputs["numbers"]
    plans = {
        "bare": ["/bench/bare/"],
        "search_name": [f"/api/v1/licenses/?q={quote(f)}" for f in inputs["fragments"]],
        "search_common_word": [f"/api/v1/licenses/?q={quote(w)}" for w in inputs["common"]],
        "search_bin": [f"/api/v1/licenses/?q={b}" for b in inputs["bins"]],
        "detail_api": [f"/api/v1/licenses/{n}/" for n in numbers],
        "detail_page": [f"/registry/{n}/" for n in numbers],
        "filtered_list": [
            f"/api/v1/licenses/?status=active&license_type=DAX&activity=custody&page={page}" for page in range(1, 6)
        ],
        "search_page": [f"/registry/?q={quote(f)}" for f in inputs["fragments"]],
    }
    server = Server(args=args, workdir=Path(common.django_env(args)["VAR_DIR"]) / "gunicorn")
    results: dict[str, dict] = {}
    try:
        server.start()
        print(f"Load: {args.concurrency} keep-alive clients, {args.duration:g} s per scenario.")
        for name, paths in plans.items():
            results[name] = scenario(server, args, name, paths)
        results["export_csv"] = export(server, args)
    finally:
        server.stop()
    figures["scenarios"] = results
    figures["goals"] = judge(results)
    report(figures)
    return figures


def judge(results: dict) -> dict:
    def get(name, key):
        entry = results.get(name) or {}
        return None if entry.get("missing") else entry.get(key)

    checks = {}
    for name in ("search_name", "search_bin"):
        value = get(name, "server_p90_ms")
        checks[f"{name} server p90 <= 30 ms"] = (value, value is not None and value <= GOALS["search_p90_ms"])
    for name in ("detail_api", "detail_page"):
        value = get(name, "server_p90_ms")
        checks[f"{name} server p90 <= 5 ms"] = (value, value is not None and value <= GOALS["detail_p90_ms"])
    bare = get("bare", "throughput_rps")
    for name in ("detail_api", "detail_page"):
        rps = get(name, "throughput_rps")
        ratio = round(rps / bare, 2) if rps and bare else None
        checks[f"{name} throughput / bare >= 0.5"] = (ratio, ratio is not None and ratio >= 0.5)
    rate = get("export_csv", "rows_per_second")
    checks["export >= 100,000 rows/s"] = (rate, rate is not None and rate >= GOALS["export_rows_per_second"])
    peak = get("export_csv", "peak_rss_mb")
    checks["export peak worker RSS < 200 MB"] = (peak, peak is not None and peak < GOALS["export_peak_rss_mb"])
    return {label: {"value": value, "met": met} for label, (value, met) in checks.items()}


def report(figures: dict) -> None:
    data = figures["data"]
    print()
    print(f"Register: {data['licenses']:,} licenses", end="")
    if "seed_licenses_per_second" in data:
        print(f"; seeded {data['seeded_licenses']:,} at {data['seed_licenses_per_second']:,} licenses/s", end="")
    print()
    headers = ["scenario", "req/s", "client p50", "p90", "p99", "server p50", "p90", "p99", "non-2xx"]
    rows = []
    for name, entry in figures["scenarios"].items():
        if name == "export_csv":
            continue
        if entry.get("missing"):
            rows.append([name, "missing", "", "", "", "", "", "", ""])
            continue
        rows.append(
            [
                name,
                entry["throughput_rps"],
                *(entry[f"client_p{p}_ms"] for p in (50, 90, 99)),
                *(entry[f"server_p{p}_ms"] for p in (50, 90, 99)),
                entry["requests"] - entry["ok"],
            ]
        )
    common.print_table(headers, rows)
    print("(latencies in ms; server = gunicorn's request time, client = round trip from the load generator)")
    export_figures = figures["scenarios"].get("export_csv", {})
    if not export_figures.get("missing"):
        print(
            f"CSV export: {export_figures.get('rows', 0):,} rows in {export_figures.get('seconds')} s = "
            f"{common.fmt(export_figures.get('rows_per_second'))} rows/s; worker peak RSS "
            f"{export_figures.get('peak_rss_mb')} MB (before: {export_figures.get('worker_rss_before_mb')} MB)"
        )
    print()
    common.print_table(
        ["goal", "value", "met"],
        [[label, check["value"], "yes" if check["met"] else "NO"] for label, check in figures["goals"].items()],
    )


def main(argv: list[str] | None = None) -> int:
    args = common.parse_args(argv, description=__doc__.splitlines()[0])
    figures = run(args)
    path = common.write_results("registry", figures)
    print(f"Results: {path.relative_to(common.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
