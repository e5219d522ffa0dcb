"""`make run` (scripts/run_portal.py): the address and the demo logins come last, after every banner."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_portal.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_the_address_and_logins_are_printed_last_after_the_banners():
    port = free_port()
    # Stand-ins with the real processes' start-up lines: a web server, a worker, beat, the demo data.
    children = {
        "web": python(
            "import http.server; print('Quit the server with CONTROL-C.'); "
            f"http.server.HTTPServer(('127.0.0.1', {port}), http.server.BaseHTTPRequestHandler).serve_forever()"
        ),
        "worker": python("import time; time.sleep(0.5); print(' -------------- [queues]'); time.sleep(60)"),
        "beat": python("import time; print('    . maxinterval -> 5.00 minutes (300s)'); time.sleep(60)"),
    }
    seed = python("print('Demo logins (password for all: demo-test):'); print('  admin        superuser')")
    main = f"runpy.run_path({str(SCRIPT)!r}, run_name='run_portal')['main']"
    driver = f"import runpy, sys; sys.exit({main}(commands={children!r}, seed={seed!r}))"
    environment = {**os.environ, "PORTAL_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        python(driver), cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "Portal running at" in line:
                break
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)

    announced = next(i for i, line in enumerate(lines) if "Portal running at" in line)
    logins = lines.index("Demo logins (password for all: demo-test):")
    banners = [lines.index(" -------------- [queues]"), lines.index("Quit the server with CONTROL-C.")]
    assert all(banner < logins < announced for banner in banners)
    assert lines[announced].strip().startswith(f"Portal running at http://127.0.0.1:{port}/")
    assert "Stopped web, worker and beat." in rest
    assert process.returncode == 0


def test_the_worker_and_beat_log_warnings_only_by_default(monkeypatch):
    monkeypatch.delenv("PORTAL_LOG_LEVEL", raising=False)
    commands = runpy.run_path(str(SCRIPT), run_name="run_portal")["COMMANDS"]

    assert "--loglevel=WARNING" in commands["worker"]
    assert "--loglevel=WARNING" in commands["beat"]
