"""Start web server, Celery worker and Celery beat together; Ctrl-C stops all three.

Used by `make run`. Each child is watched: if one dies the others are stopped too, so the portal is
never left half-running, and nothing is left behind after exit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("PORTAL_HOST", "127.0.0.1")
PORT = os.environ.get("PORTAL_PORT", "8000")

COMMANDS = {
    "web": [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
    "worker": [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        "--concurrency=2",
        "-n",
        "portal@%h",
    ],
    "beat": [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
}


def main() -> int:
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    for name, command in COMMANDS.items():
        # Own process group: a Ctrl-C reaches us once and we stop the children in order.
        children[name] = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    print(
        f"\n  Portal running at http://{HOST}:{PORT}/  (web, Celery worker and beat; Ctrl-C stops all three)\n",
        flush=True,
    )

    exit_code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with code {child.returncode}; stopping the others.", file=sys.stderr, flush=True)
                exit_code = child.returncode or 1
                stopping = True
                break
        time.sleep(0.3)

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
