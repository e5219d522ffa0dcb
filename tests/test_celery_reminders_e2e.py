"""Reminders end to end with real components: a Celery worker process, a real broker, a mail sink.

How the worker sees the test's data: the worker is a subprocess (``celery -A config worker``, as
in production) with ``DATABASE_URL`` pointing at pytest-django's *test* database. That only works
on PostgreSQL: pytest-django's SQLite test database lives in memory, invisible to another process.
So these tests need PostgreSQL (the ``postgres`` fixture: skipped without it, failing under CI) and
are ``transaction=True`` so the rows they create are committed before the worker looks. An
in-process ``start_worker`` thread was the alternative, but it shares the test's Celery app,
which the test settings make eager, and it cannot be killed with SIGKILL, which is the point of
the crash test.

The worker's e-mail goes to ``tests.mail_sink.DirectoryEmailBackend`` (one file per message,
``tests/worker_settings.py``), so mails are counted across processes. Beat is stood
in for by sending the beat-scheduled task by name from ``CELERY_BEAT_SCHEDULE``. Every wait is
bounded and every worker is killed in ``finally``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery
from tests.notifications.factories import make_application, make_cast, make_document

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def worker_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker(environment: dict[str, str], log: Path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="tests.worker_settings")
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "-n", f"e2e-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def wait_for(condition, *, timeout: float, log: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    print(log.read_text() if log.exists() else "(no worker log)")
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}")


def mails(sink: Path) -> list:
    return [message_from_bytes(p.read_bytes()) for p in sorted(sink.glob("*.eml"))]


def due_documents(count: int):
    """``count`` pending documents of assigned cases, overdue by weeks today (real time: the worker's)."""
    cast = make_cast()
    long_ago = timezone.now() - timedelta(days=40)
    application = make_application(cast, state="under_review", submitted=long_ago, reviewer=cast.reviewer)
    for _ in range(count):
        make_document(application, uploaded=long_ago)
    return cast


def beat_task(entry: str) -> str:
    return settings.CELERY_BEAT_SCHEDULE[entry]["task"]


@pytest.fixture
def redis_client(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # our own Redis database: no stale tasks from earlier runs
    client = Celery("e2e-client", broker=redis_url)
    client.conf.broker_connection_retry_on_startup = True
    yield client
    client.close()


def test_document_due_is_reminded_by_the_sweep_in_a_worker_on_real_redis(postgres, redis_client, redis_url, tmp_path):
    cast = due_documents(1)
    sink, log = tmp_path / "mail", tmp_path / "worker.log"
    environment = {
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path),
        "MAIL_SINK_DIR": str(sink),
    }

    with worker(environment, log):
        redis_client.send_task(beat_task("sweep-document-reviews"))
        # Overdue for the reviewer, escalation for the supervisors.
        wait_for(lambda: len(list(sink.glob("*.eml"))) >= 3, timeout=45, log=log, what="three reminders")

    received = sorted(m["To"] for m in mails(sink))
    assert received == sorted([cast.reviewer.email, cast.supervisor.email, cast.supervisor2.email])
    assert all(m.is_multipart() for m in mails(sink))  # plain text plus the HTML alternative
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_worker_killed_mid_batch_and_restarted_delivers_everything_exactly_once(
    postgres, redis_client, redis_url, tmp_path
):
    due_documents(24)  # 24 overdue reminders + 48 escalations
    total = 24 * 3
    sink, log = tmp_path / "mail", tmp_path / "worker.log"
    environment = {
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path),
        "MAIL_SINK_DIR": str(sink),
        "MAIL_SINK_DELAY_MS": "200",
        "REMINDER_BATCH_SIZE": "10",
        "REMINDER_CLAIM_LEASE_SECONDS": "2",
    }

    with worker(environment, log) as first:
        redis_client.send_task(beat_task("sweep-document-reviews"))
        wait_for(lambda: len(list(sink.glob("*.eml"))) >= 5, timeout=45, log=log, what="the batch to start")
        # Killed mid-way through the sink's pause before a message, not in the milliseconds between a
        # message being written and its row marked sent: that gap is the one duplicate the design
        # allows (notifications.services), and killing just after seeing a new file aimed at it.
        seen, deadline = len(list(sink.glob("*.eml"))), time.monotonic() + 10
        while len(list(sink.glob("*.eml"))) == seen and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.1)  # half of MAIL_SINK_DELAY_MS
        os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown, no ack: the worker just dies
        first.wait(timeout=10)

    sent_before_restart = len(list(sink.glob("*.eml")))
    assert 0 < sent_before_restart < total
    time.sleep(2.5)  # the dead worker's claim expires

    with worker(environment, log):

        def relayed_all() -> bool:
            redis_client.send_task(beat_task("relay-notices"))  # what beat does every minute
            return Delivery.objects.exclude(status="sent").count() == 0

        wait_for(relayed_all, timeout=50, log=log, what="every delivery to be sent")
        time.sleep(1)  # anything still in flight would show up as a duplicate now

    delivered = [m["X-Portal-Delivery"] for m in mails(sink)]
    assert Delivery.objects.count() == total
    assert len(delivered) == total
    assert len(set(delivered)) == total  # no delivery twice


def test_document_due_is_reminded_through_the_embedded_filesystem_broker(postgres, tmp_path):
    due_documents(1)
    sink, log = tmp_path / "mail", tmp_path / "worker.log"
    queue, processed = tmp_path / "broker" / "queue", tmp_path / "broker" / "processed"
    queue.mkdir(parents=True)
    processed.mkdir(parents=True)
    client = Celery("e2e-client", broker="filesystem://localhost//")
    client.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "control_folder": str(tmp_path / "broker" / "control"),
        "store_processed": False,
    }
    environment = {"DATABASE_URL": worker_database_url(), "VAR_DIR": str(tmp_path), "MAIL_SINK_DIR": str(sink)}

    with worker(environment, log):
        client.send_task(beat_task("sweep-document-reviews"))
        wait_for(lambda: len(list(sink.glob("*.eml"))) >= 3, timeout=45, log=log, what="three reminders")

    assert len(mails(sink)) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
