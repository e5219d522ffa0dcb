"""The version check of the dashboard's forms under a real race on PostgreSQL.

Two people acting at the same instant on what their pages showed: both actions would be allowed on
their own, but the check under the row lock lets exactly one through and tells the other what changed.
"""

from __future__ import annotations

import pytest

from common.errors import ConcurrentChange
from licensing import services
from licensing.models import Document
from licensing.services.cases import application_unchanged
from licensing.staff_selectors import case_version
from tests.licensing.conftest import BIN_A, make_submittable_application
from tests.licensing.conftest import make_organization as complete_organization
from tests.licensing.test_concurrency import race, split
from tests.registry.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

ROUNDS = 8


def test_of_two_actions_on_the_same_version_exactly_one_goes_through(postgres):
    applicant, reviewer, supervisor = make_user(), make_user("reviewer"), make_user("supervisor")
    organization = complete_organization(applicant, bin=BIN_A, legal_name="Steppe Digital Exchange JSC")
    cases = []
    for _ in range(ROUNDS):
        application = make_submittable_application(organization, applicant)
        application = services.application_submit(application=application, actor=applicant)
        cases.append(services.application_start_check(application=application, actor=reviewer))

    def load(round_):
        application = cases[round_]
        first, second = Document.objects.filter(application=application).order_by("pk")[:2]
        return application, case_version(application), {reviewer.pk: first, supervisor.pk: second}

    def act(seen, actor):
        application, version, documents = seen
        with application_unchanged(application=application, seen_version=version):
            return services.document_accept(document=documents[actor.pk], actor=actor)

    outcomes = race([reviewer, supervisor], ROUNDS, act, load)

    for round_, outcome in enumerate(outcomes):
        accepted, refused = split(outcome)
        assert len(accepted) == 1, round_
        assert len(refused) == 1 and isinstance(refused[0], ConcurrentChange), refused
        assert "accepted a document" in " ".join(refused[0].problems)
        assert Document.objects.filter(application=cases[round_], state="accepted").count() == 1
