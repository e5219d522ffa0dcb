"""The applicant's busiest pages cost the same number of queries for 2 or 200 documents, events, requests."""

from __future__ import annotations

import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from licensing.models import ClockPause, Document, InformationRequest
from tests.licensing.conftest import make_application_in, make_draft, upload_all

pytestmark = pytest.mark.django_db


def grow(application, n: int, user) -> None:
    """``n`` more document versions, answered requests (with their pauses) and timeline events."""
    slot = Document.objects.filter(application=application).order_by("-version").first()
    now = timezone.now()
    Document.objects.bulk_create(
        Document(
            application=application,
            requirement_id=slot.requirement_id,
            key_person_id=slot.key_person_id,
            version=slot.version + 100 + i,
            state=Document.State.SUPERSEDED,
            storage_name=f"grown/{secrets.token_hex(8)}.pdf",
            original_name=f"v{i}.pdf",
            size=100,
            sha256="0" * 64,
            content_type="application/pdf",
            uploaded_by=user,
            uploaded_at=now,
        )
        for i in range(n)
    )
    requests = InformationRequest.objects.bulk_create(
        InformationRequest(
            application=application,
            state=InformationRequest.State.ANSWERED,
            questions=f"Question {i}",
            deadline=now.date(),
            requested_by=user,
            requested_at=now,
            response="Answer",
            responded_by=user,
            responded_at=now,
        )
        for i in range(n)
    )
    ClockPause.objects.bulk_create(
        ClockPause(application=application, started_at=now, ended_at=now, information_request=request)
        for request in requests
        if request.pk
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now,
            actor_name="x",
            action="document.upload",
            object_type="licensing.application",
            object_id=str(application.pk),
            prev_hash=secrets.token_hex(32),
            hash=secrets.token_hex(32),
        )
        for _ in range(n)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("state", ["draft", "under_review"])
def test_task_list_and_case_page_cost_the_same_for_2_and_200_items(client, cast, state, django_assert_max_num_queries):
    def application():
        if state == "draft":
            draft = make_draft(cast.organization_a, cast.applicant_a)
            upload_all(draft, cast.applicant_a)
            return draft
        return make_application_in(state, cast)

    small, big = application(), application()
    grow(small, 2, cast.applicant_a)
    grow(big, 200, cast.applicant_a)
    client.force_login(cast.applicant_a)

    baseline = queries(client, reverse("licensing:applicant_case", args=[small.reference]))
    with django_assert_max_num_queries(baseline):
        assert client.get(reverse("licensing:applicant_case", args=[big.reference])).status_code == 200


def test_applicant_home_costs_the_same_for_2_and_200_items(client, cast, django_assert_max_num_queries):
    case = make_application_in("under_review", cast)
    grow(case, 2, cast.applicant_a)
    client.force_login(cast.applicant_a)
    baseline = queries(client, reverse("licensing:applicant_home"))

    grow(case, 200, cast.applicant_a)
    make_draft(cast.organization_a, cast.applicant_a)
    make_application_in("information_requested", cast)

    with django_assert_max_num_queries(baseline):
        assert client.get(reverse("licensing:applicant_home")).status_code == 200
