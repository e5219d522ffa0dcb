"""A real Redis broker stopped while an application is approved: nothing is lost, nothing doubled.

A private redis-server is started on a free port for this test alone (the machine's Redis serves
the rest of the suite), stopped before the approval and started again before the relay runs.
"""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from licensing import services
from notifications.models import Delivery, OutboxMessage
from notifications.tasks import relay
from tests.conftest import require_service
from tests.licensing.conftest import make_application_in

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int, directory):
        self.port, self.directory, self.process = port, directory, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    require_service("redis-server binary", bool(REDIS_SERVER))
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


def reset_producer_pool() -> None:
    # Drop pooled connections (kombu keeps a process-wide registry of pools) so the next publish
    # connects to the broker as it is now.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_broker(private_redis):
    """Queue tasks on the private Redis for real: the test settings run them eagerly otherwise."""
    conf = celery_app.conf
    previous = {key: conf[key] for key in ("task_always_eager", "broker_url", "broker_connection_timeout")}
    conf.update(
        task_always_eager=False,
        broker_url=f"redis://127.0.0.1:{private_redis.port}/0",
        broker_connection_timeout=1,
    )
    reset_producer_pool()
    yield private_redis
    conf.update(previous)
    reset_producer_pool()


@pytest.mark.django_db
def test_approval_during_a_broker_outage_is_saved_and_its_notice_delivered_once_after(
    cast, real_broker, django_capture_on_commit_callbacks, caplog
):
    application = make_application_in("pending_decision", cast)
    Delivery.objects.update(status="sent")  # earlier notices of the case are not this test's business
    real_broker.stop()  # Redis goes down
    reset_producer_pool()

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.WARNING):
        approved = services.application_approve(application=application, actor=cast.approver, reasons="Complete.")

    # The approval is saved and its notice waits in the outbox; nothing went out.
    approved.refresh_from_db()
    assert approved.state == "approved" and approved.license is not None
    notice = Delivery.objects.get(kind="application_decided", subject_id=application.pk)
    assert notice.status == "pending"
    assert OutboxMessage.objects.filter(kind="application_decided").count() == 1
    assert mail.outbox == []
    assert "Could not queue" in caplog.text and "Connection refused" in caplog.text  # the broker was really down

    real_broker.start()  # Redis is back; beat's relay runs
    reset_producer_pool()
    relay.apply()
    relay.apply()  # and again, as beat would a minute later

    notice.refresh_from_db()
    assert notice.status == "sent"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [f"<delivery-{notice.pk}@licensing-portal>"]
