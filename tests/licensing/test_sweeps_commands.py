"""The operators' commands: run_sweeps (run everything now, print what was sent) and reminders_status."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from notifications.models import Delivery
from tests.notifications.factories import at, make_application, make_cast, make_document

pytestmark = pytest.mark.django_db


def run(command: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def due_document(db):
    cast = make_cast()
    application = make_application(cast, state="under_review", submitted=at(date(2026, 3, 2)), reviewer=cast.reviewer)
    make_document(application, uploaded=at(date(2026, 3, 20)))
    return cast


def test_run_sweeps_sends_what_is_due_now_and_prints_it(due_document):
    cast = due_document
    with time_machine.travel(at(date(2026, 4, 3), 9), tick=False):
        out, err = run("run_sweeps")
        again, _ = run("run_sweeps")

    assert "document review: 3 new deliveries" in out
    assert "sent     document_review/overdue licensing.document#" in out
    assert f"to {cast.reviewer.username}" in out
    assert "Sent: 3 sent." in out
    assert "Sent: nothing." in again
    assert len(mail.outbox) == 3
    assert err == ""


def test_reminders_status_lists_due_sent_and_failed_deliveries(due_document):
    with time_machine.travel(at(date(2026, 4, 3), 9), tick=False):
        run("run_sweeps", "--no-send")
        Delivery.objects.filter(threshold="escalation").update(status="failed", last_error="SMTP 554 rejected")
        out, _ = run("reminders_status", "--days", "3")

    assert "Due (waiting to be sent): 1" in out
    assert "Failed: 2" in out
    assert "SMTP 554 rejected" in out
    assert "document_review" in out
