"""Public registry under load: search, detail, filtered list and CSV export at a million licenses.

Measured the way the project's reviewers measure (issue 11.7), client side with ``wrk -t2 -c8
-d10s`` (Debian package ``wrk``: ``apt-get install wrk``), on 127.0.0.1 only:

1. creates the bench database if missing, migrates it, and tops the register up to ``--licenses``
   with ``seed_bulk`` (which ends with ANALYZE; a second run reuses the rows), then collects static
   files;
2. starts two gunicorns with the same command (``--workers 2``, ``--worker-class`` as given,
   default sync): the portal with production settings (DEBUG=0, BEHIND_TLS_PROXY=1, Redis cache,
   API rate limit off) and the bare Django JSON view of ``bench/bare.py`` (one module, security and
   common middleware only, no database) as the reference;
3. runs each scenario with wrk, every request carrying ``X-Forwarded-Proto: https`` as a TLS proxy
   would send it, and reports wrk's p50/p90/p99 and requests per second, with gunicorn's own request
   time beside them; then streams the whole CSV export once, sampling the RSS of the workers;
4. stops both servers (always), prints the table with the goals and the load average of the machine
   before and after (figures taken on a busy machine are not comparable), writes JSON to
   bench/results/.

The name-search scenario of the reviewers is one URL with a 4-6 letter fragment of a common name
word; ``search_distinct`` rotates through several hundred different fragments, typos and BINs
instead, so that most answers are computed rather than served from the answer cache.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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
WRK_THREADS = 2
WRK_CONNECTIONS = 8
PROXY_HEADER = "X-Forwarded-Proto: https"
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
        # seed_bulk ends with ANALYZE; VACUUM also sets the visibility map the index-only scans need.
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
    """Real numbers, BINs and name words from the register, so every request finds something."""
    rows = common.query(
        args.database_url,
        "SELECT number, holder_bin, holder_name FROM registry_license TABLESAMPLE SYSTEM (1) LIMIT 400",
    ) or common.query(args.database_url, "SELECT number, holder_bin, holder_name FROM registry_license LIMIT 400")
    if not rows:
        raise SystemExit("The register is empty: nothing to benchmark.")
    numbers = [r[0] for r in rows]
    bins = [r[1] for r in rows]
    names = [[w for w in re.findall(r"\w+", r[2]) if len(w) >= 4] for r in rows]
    seen = Counter(w.lower() for words in names for w in set(words))
    # A common name word: in several of the sampled names, so in thousands of the register's.
    common_words = [w for w, n in seen.most_common() if n >= 3 and w.isalpha()]
    # The reviewers' query: a 4-6 letter fragment of a common name word.
    fragment = common_words[0][: min(6, max(4, len(common_words[0]) - 1))] if common_words else "Capit"
    distinct = []
    for words in names:
        if not words:
            continue
        word = rng.choice(words)
        roll = rng.random()
        if roll < 0.3:
            distinct.append(_typo(word, rng))
        elif roll < 0.6:
            distinct.append(word[: rng.randint(4, max(4, min(6, len(word))))])
        elif roll < 0.8 and len(words) > 1:
            distinct.append(" ".join(words[:2]))
        else:
            distinct.append(word)
    return {"numbers": numbers, "bins": bins, "fragment": fragment, "distinct": distinct}


# --- the servers -----------------------------------------------------------------------------


@dataclass
class Server:
    """One gunicorn: the portal (``config.wsgi:application``) or the bare view (``bench.bare:application``)."""

    args: object
    workdir: Path
    app: str
    port: int
    probe: str
    process: subprocess.Popen | None = None
    access_log: Path = field(init=False)

    def __post_init__(self):
        self.access_log = self.workdir / f"access-{self.port}.log"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.access_log.write_text("")
        command = [
            common.PYTHON, "-m", "gunicorn", self.app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", "--worker-class", self.args.worker_class, "--threads", str(self.args.threads),
            "--keep-alive", "30", "--timeout", str(int(_EXPORT_TIMEOUT)), "--graceful-timeout", "5",
            "--access-logfile", str(self.access_log),
            "--access-logformat", "%(s)s %(D)s %(U)s",
            "--error-logfile", str(self.workdir / f"error-{self.port}.log"),
        ]  # fmt: skip
        env = common.django_env(self.args)
        self.process = subprocess.Popen(command, env=env, cwd=common.ROOT, start_new_session=True)
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.workdir}")
            try:
                status, _, _ = request(self.port, self.probe, timeout=5)
                print(f"{self.app} is up on port {self.port} (pid {self.process.pid}); {self.probe} answered {status}.")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.app} did not answer within {_STARTUP_TIMEOUT:.0f} s")

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
            return []

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


def request(port: int, path: str, *, timeout: float = _REQUEST_TIMEOUT, connection=None, headers=()):
    """GET ``path``; ``headers`` are extra ``"Name: value"`` lines, as wrk takes them."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    extra = dict(line.split(": ", 1) for line in headers)
    conn.request("GET", path, headers={"Accept": "application/json, text/html", "X-Forwarded-Proto": "https", **extra})
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, body, response


# --- load: wrk --------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_LUA_ROTATE = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    figures: dict = {}
    for percent in (50, 75, 90, 99):
        match = re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE)
        if match:
            figures[f"client_p{percent}_ms"] = round(_ms(match.group(1)), 2)
    match = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    if match:
        figures["requests"] = int(match.group(1))
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["throughput_rps"] = float(match.group(1)) if match else None
    errors = re.search(r"Socket errors: (.*)", output)
    figures["socket_errors"] = errors.group(1) if errors else ""
    return figures


def wrk(port: int, paths: list[str], *, duration: float, headers=()) -> dict:
    """wrk -t2 -c8 against ``paths`` (one URL, or a Lua script rotating through several)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian package).")
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration:g}s", "--latency",
        "--timeout", "30s", "-H", PROXY_HEADER, *(option for line in headers for option in ("-H", line)),
    ]  # fmt: skip
    script = None
    if len(paths) > 1:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 - removed below
        script.write(_LUA_ROTATE % ", ".join('"' + path.replace('"', "%22") + '"' for path in paths))
        script.close()
        command += ["-s", script.name]
    command.append(f"http://127.0.0.1:{port}{paths[0]}")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True)
    finally:
        if script:
            os.unlink(script.name)
    return parse_wrk(result.stdout)


def scenario(server: Server, args, name: str, paths: list[str], *, headers=()) -> dict:
    """``paths`` under load; ``headers`` (``"Name: value"``) go with every request, a session cookie say."""
    status, _, _ = request(server.port, paths[0], headers=headers)
    if status == 404:
        print(f"  {name}: {paths[0]} answers 404: endpoint missing, skipped.")
        return {"name": name, "missing": True, "probe_status": status}
    # Every URL once before measuring: caches filled, as they are in production after a while.
    for path in paths:
        request(server.port, path, headers=headers)
    start = server.log_offset()
    load = wrk(server.port, paths, duration=args.duration, headers=headers)
    figures = {"name": name, "example": paths[0], "urls": len(paths), **load}
    time.sleep(0.2)  # the access log line is written just after the response
    server_ms = server.server_times_ms(start, server.log_offset())
    for p in (50, 90, 99):
        value = common.percentile(server_ms, p)
        figures[f"server_p{p}_ms"] = round(value, 2) if value is not None else None
    print(
        f"  {name}: {figures.get('requests', 0):,} requests, {figures['throughput_rps']} req/s, "
        f"client p90 {figures.get('client_p90_ms')} ms, server p90 {figures['server_p90_ms']} ms"
        + (f", {figures['non_2xx']} non-2xx" if figures["non_2xx"] else "")
    )
    return figures


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


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
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
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
    figures = {
        "benchmark": "registry",
        "wrk": f"-t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.duration:g}s",
        "gunicorn": f"--workers 2 --worker-class {args.worker_class} --threads {args.threads}",
    }
    figures["data"] = prepare(args)
    inputs = sample_inputs(args, rng)
    numbers = inputs["numbers"]
    fragment = quote(inputs["fragment"])
    plans = {
        "search_name": [f"/api/v1/licenses/?q={fragment}"],
        "search_distinct": [f"/api/v1/licenses/?q={quote(f)}" for f in inputs["distinct"]],
        "search_bin": [f"/api/v1/licenses/?q={b}" for b in inputs["bins"]],
        "detail_api": [f"/api/v1/licenses/{n}/" for n in numbers],
        "detail_page": [f"/registry/{n}/" for n in numbers],
        "filtered_list": [
            f"/api/v1/licenses/?status=active&license_type=DAX&activity=custody&page={page}" for page in range(1, 6)
        ],
    }
    workdir = Path(common.django_env(args)["VAR_DIR"]) / "gunicorn"
    portal = Server(args=args, workdir=workdir, app="config.wsgi:application", port=args.port, probe="/healthz")
    bare = Server(args=args, workdir=workdir, app="bench.bare:application", port=args.port + 1, probe="/bench/bare/")
    results: dict[str, dict] = {}
    figures["load_average_before"] = load_average()
    try:
        bare.start()
        portal.start()
        print(f"Load: wrk {figures['wrk']}, {PROXY_HEADER}; gunicorn {figures['gunicorn']}.")
        # The reference first and again last: its spread shows how steady the machine was.
        results["bare"] = scenario(bare, args, "bare", ["/bench/bare/"])
        for name, paths in plans.items():
            results[name] = scenario(portal, args, name, paths)
        results["bare_again"] = scenario(bare, args, "bare_again", ["/bench/bare/"])
        results["export_csv"] = export(portal, args)
    finally:
        portal.stop()
        bare.stop()
    figures["load_average_after"] = load_average()
    figures["scenarios"] = results
    figures["goals"] = judge(results)
    report(figures)
    return figures


def judge(results: dict) -> dict:
    def get(name, key):
        entry = results.get(name) or {}
        return None if entry.get("missing") else entry.get(key)

    checks = {}
    value = get("search_name", "client_p90_ms")
    checks["search_name client p90 <= 30 ms"] = (value, value is not None and value <= GOALS["search_p90_ms"])
    for name in ("detail_api", "detail_page"):
        value = get(name, "client_p90_ms")
        checks[f"{name} client p90 <= 5 ms"] = (value, value is not None and value <= GOALS["detail_p90_ms"])
    bare_rates = [rate for rate in (get("bare", "throughput_rps"), get("bare_again", "throughput_rps")) if rate]
    bare = max(bare_rates) if bare_rates else None
    for name in ("detail_api", "detail_page"):
        rps = get(name, "throughput_rps")
        ratio = round(rps / bare, 2) if rps and bare else None
        checks[f"{name} throughput / bare (the better bare run) >= 0.5"] = (ratio, ratio is not None and ratio >= 0.5)
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
    print(f"Load average before {figures['load_average_before']}, after {figures['load_average_after']}.")
    headers = ["scenario", "urls", "req/s", "client p50", "p90", "p99", "server p50", "p90", "p99", "non-2xx"]
    rows = []
    for name, entry in figures["scenarios"].items():
        if name == "export_csv":
            continue
        if entry.get("missing"):
            rows.append([name, "missing", "", "", "", "", "", "", "", ""])
            continue
        rows.append(
            [
                name,
                entry["urls"],
                entry["throughput_rps"],
                *(entry.get(f"client_p{p}_ms") for p in (50, 90, 99)),
                *(entry.get(f"server_p{p}_ms") for p in (50, 90, 99)),
                entry["non_2xx"],
            ]
        )
    common.print_table(headers, rows)
    print("(latencies in ms; client = wrk, server = gunicorn's request time)")
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
