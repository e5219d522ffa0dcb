"""A real Celery worker consumes each broker the portal supports and returns a task's result.

The worker runs as a separate process (`celery -A config worker`), as `make run` and production
start it, with the production settings plus a test-only round-trip task (``tests/worker_settings.py``);
the test sends that task by name through a client app on the same broker.
"""

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def running_worker(environment: dict[str, str], log_path: Path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="tests.worker_settings")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def round_trip(client: Celery, log_path: Path) -> str:
    token = uuid.uuid4().hex
    result = client.send_task("tests.ping", args=[token])
    try:
        value = result.get(timeout=60)
    except Exception:
        print(log_path.read_text())  # the worker's log explains a timeout
        raise
    assert value == token
    return value


@pytest.mark.slow
def test_worker_on_real_redis_runs_a_task_and_returns_its_result(redis_url, tmp_path):
    # A Redis database of its own, so tasks queued by other tests or a running portal are not consumed.
    url = redis_url.rsplit("/", 1)[0] + "/14"
    client = Celery("test-client", broker=url, backend=url)
    client.conf.broker_connection_retry_on_startup = True

    with running_worker({"REDIS_URL": url, "VAR_DIR": str(tmp_path)}, tmp_path / "worker.log"):
        token_result = round_trip(client, tmp_path / "worker.log")

    assert len(token_result) == 32


@pytest.mark.slow
def test_worker_on_embedded_filesystem_broker_runs_a_task_and_returns_its_result(tmp_path):
    queue = tmp_path / "broker" / "queue"
    processed = tmp_path / "broker" / "processed"
    queue.mkdir(parents=True)
    processed.mkdir(parents=True)
    (tmp_path / "celery-results").mkdir()
    client = Celery(
        "test-client",
        broker="filesystem://localhost//",
        backend=f"file://{tmp_path / 'celery-results'}",
    )
    client.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "control_folder": str(tmp_path / "broker" / "control"),
        "store_processed": False,
    }

    with running_worker({"VAR_DIR": str(tmp_path)}, tmp_path / "worker.log"):
        token_result = round_trip(client, tmp_path / "worker.log")

    assert len(token_result) == 32
    assert list(queue.iterdir()) == []  # the message was consumed, not left behind
