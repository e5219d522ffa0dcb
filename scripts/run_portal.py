"""Start web server, Celery worker and Celery beat together; Ctrl-C stops all three.

Used by `make run` (after `migrate`). It loads the demo data first, then starts the three processes
and passes their output through; once the web server answers and the worker and beat have printed
their banners, it prints the address and the demo logins last, where a newcomer sees them. Each
child is watched: if one dies the others are stopped too, so the portal is never left half-running,
and nothing is left behind after exit.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("PORTAL_HOST", "127.0.0.1")
PORT = os.environ.get("PORTAL_PORT", "8000")
# The workers log warnings and errors only: a task run every minute is not news. PORTAL_LOG_LEVEL=INFO
# shows every task again.
LOG_LEVEL = os.environ.get("PORTAL_LOG_LEVEL", "WARNING")

SEED = [PYTHON, "manage.py", "seed_demo"]
COMMANDS = {
    "web": [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
    "worker": [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--loglevel={LOG_LEVEL}",
        "--concurrency=2",
        "-n",
        "portal@%h",
    ],
    "beat": [PYTHON, "-m", "celery", "-A", "config", "beat", f"--loglevel={LOG_LEVEL}"],
}
# What each child prints at the end of its start-up: the worker's banner ends with its queues, beat's
# with its schedule's longest sleep, runserver's with how to quit.
STARTED = {"web": "Quit the server with", "worker": "[queues]", "beat": "maxinterval"}
QUIET_SECONDS = 1.0  # no output for this long after the banners: the start-up is over
ANNOUNCE_AFTER_SECONDS = 30.0  # announce anyway if a banner never comes


class Output:
    """The children's output, passed through line by line, noting who has finished starting."""

    def __init__(self, started: dict[str, str]) -> None:
        self.started = dict(started)
        self.lock = threading.Lock()
        self.last_line = time.monotonic()

    def forward(self, name: str, stream) -> None:
        for line in stream:
            with self.lock:
                sys.stdout.write(line)
                sys.stdout.flush()
                self.last_line = time.monotonic()
                if name in self.started and self.started[name] in line:
                    del self.started[name]

    def settled(self) -> bool:
        with self.lock:
            return not self.started and time.monotonic() - self.last_line >= QUIET_SECONDS


def answers(host: str, port: str) -> bool:
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def announcement(logins: str) -> str:
    return (
        f"\n{logins.rstrip()}\n\n"
        f"  Portal running at http://{HOST}:{PORT}/  (web, Celery worker and beat; Ctrl-C stops all three)\n"
    )


def main(commands: dict[str, list[str]] = COMMANDS, seed: list[str] = SEED) -> int:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}  # lines reach us as they are printed
    loaded = subprocess.run(seed, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True, check=False)
    if loaded.returncode:
        sys.stdout.write(loaded.stdout)
        return loaded.returncode

    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    output = Output({name: STARTED[name] for name in commands if name in STARTED})
    for name, command in commands.items():
        # Own process group: a Ctrl-C reaches us once and we stop the children in order.
        children[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=output.forward, args=(name, children[name].stdout), daemon=True).start()

    exit_code = 0
    announced = False
    started_at = time.monotonic()
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with code {child.returncode}; stopping the others.", file=sys.stderr, flush=True)
                exit_code = child.returncode or 1
                stopping = True
                break
        if not stopping and not announced:
            waited = time.monotonic() - started_at
            if (output.settled() and answers(HOST, PORT)) or waited > ANNOUNCE_AFTER_SECONDS:
                print(announcement(loaded.stdout), flush=True)
                announced = True
        time.sleep(0.2)

    print("Stopping: the worker finishes the task in hand first (a few seconds)…", flush=True)
    # SIGTERM to each main process only: Celery then shuts its own pool down cleanly. Whatever is
    # still alive after the grace period is killed with its whole process group.
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    print("Stopped web, worker and beat.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
