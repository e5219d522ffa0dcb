"""Organization pages of the applicant face: refusals at their fields, owners, key persons, people."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from licensing.models import BeneficialOwner, Invitation, KeyPerson, Membership, Organization
from tests.licensing.conftest import BIN_A, BIN_C, make_application_in, make_draft, upload_all

pytestmark = pytest.mark.django_db


def test_a_bin_with_a_wrong_check_digit_is_refused_at_the_field_and_nothing_is_made(client, cast):
    client.force_login(cast.applicant_b)

    response = client.post(
        reverse("licensing:organization_create"), {"legal_name": "Qazaq Custody JSC", "bin": "200340000012"}
    )

    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_bin_error"' in page
    assert 'value="Qazaq Custody JSC"' in page
    assert not Organization.objects.filter(legal_name="Qazaq Custody JSC").exists()


def test_a_bin_already_registered_is_refused_naming_what_to_do(client, cast):
    client.force_login(cast.applicant_b)

    response = client.post(reverse("licensing:organization_create"), {"legal_name": "Copy JSC", "bin": BIN_A})

    assert "already registered" in response.content.decode()
    assert Organization.objects.filter(bin=BIN_A).count() == 1


def test_the_creator_becomes_owner(client, cast):
    client.force_login(cast.applicant_b)

    response = client.post(reverse("licensing:organization_create"), {"legal_name": "Qazaq JSC", "bin": BIN_C})

    organization = Organization.objects.get(bin=BIN_C)
    assert response["Location"] == reverse("licensing:organization", args=[organization.public_id])
    assert organization.memberships.get().role == Membership.Role.OWNER


def test_owners_shares_above_100_percent_are_refused_at_the_share(client, cast):
    client.force_login(cast.applicant_a)
    organization = cast.organization_a  # 60 % + 40 % already

    response = client.post(
        reverse("licensing:owner_add", args=[organization.public_id]),
        {"full_name": "Third Owner", "share_percent": "5", "country": "KZ", "is_politically_exposed": "yes"},
    )

    page = response.content.decode()
    assert 'id="id_share_percent_error"' in page and "at most 0.00 %" in page
    assert not BeneficialOwner.objects.filter(full_name="Third Owner").exists()


def test_an_owner_is_changed_and_removed_through_the_list(client, cast):
    client.force_login(cast.applicant_a)
    organization = cast.organization_a
    owner = organization.beneficial_owners.get(full_name="Timur Akhmetov")

    client.post(
        reverse("licensing:owner_edit", args=[organization.public_id, owner.public_id]),
        {"full_name": "Timur Akhmetov", "share_percent": "30", "country": "AE", "is_politically_exposed": "yes"},
    )
    owner.refresh_from_db()
    assert (owner.share_percent, owner.country, owner.is_politically_exposed) == (30, "AE", True)
    assert "90" in client.get(reverse("licensing:owners", args=[organization.public_id])).content.decode()

    client.post(reverse("licensing:owner_remove", args=[organization.public_id, owner.public_id]))
    assert not BeneficialOwner.objects.filter(pk=owner.pk).exists()


def test_a_key_person_with_documents_is_archived_not_deleted(client, cast):
    client.force_login(cast.applicant_a)
    organization = cast.organization_a
    upload_all(make_draft(organization, cast.applicant_a), cast.applicant_a)
    person = organization.key_persons.get(full_name="Berik Omarov")
    spare = KeyPerson.objects.create(organization=organization, role="aml_officer", full_name="No Documents")

    client.post(reverse("licensing:person_remove", args=[organization.public_id, person.public_id]))
    client.post(reverse("licensing:person_remove", args=[organization.public_id, spare.public_id]))

    person.refresh_from_db()
    assert person.archived_at is not None and person.documents.exists()
    assert not KeyPerson.objects.filter(pk=spare.pk).exists()
    listed = client.get(reverse("licensing:people", args=[organization.public_id])).context["people"]
    assert person not in listed


def test_the_profile_stays_editable_after_submission(client, cast):
    make_application_in("under_review", cast)
    client.force_login(cast.applicant_a)
    organization = cast.organization_a

    response = client.post(
        reverse("licensing:person_add", args=[organization.public_id]),
        {"role": "aml_officer", "full_name": "Dana Nurlanovna", "email": ""},
    )

    assert response.status_code == 302
    assert organization.key_persons.filter(full_name="Dana Nurlanovna").exists()
    case = organization.applications.get(state="under_review")
    assert "Dana Nurlanovna" not in str(case.profile_snapshot)  # the submitted application keeps its snapshot


def invite(client, cast, email="colleague@steppe.kz", capture=None):
    client.force_login(cast.applicant_a)
    with capture(execute=True):
        response = client.post(
            reverse("licensing:members", args=[cast.organization_a.public_id]), {"email": email, "role": "member"}
        )
    assert response.status_code == 302
    return urlsplit(next(w for w in mail.outbox[-1].body.split() if "/apply/invitations/" in w)).path


def test_an_invitation_is_accepted_once_by_the_invited_address(
    client, cast, django_user_model, django_capture_on_commit_callbacks
):
    path = invite(client, cast, capture=django_capture_on_commit_callbacks)
    colleague = django_user_model.objects.create_user("colleague@steppe.kz", email="colleague@steppe.kz")
    client.force_login(cast.applicant_b)
    assert "Sign in with that address" in client.post(path).content.decode()

    client.force_login(colleague)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(organization=cast.organization_a, user=colleague).exists()
    colleague.refresh_from_db()
    assert colleague.email_verified

    again = client.post(path)
    assert again.status_code == 400 and "used already" in again.content.decode()


def test_an_invitation_expires(client, cast, django_user_model, django_capture_on_commit_callbacks):
    path = invite(client, cast, capture=django_capture_on_commit_callbacks)
    colleague = django_user_model.objects.create_user("colleague@steppe.kz", email="colleague@steppe.kz")

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client.force_login(colleague)  # signed in then: a session does not last eight days
        response = client.post(path)

    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Membership.objects.filter(user=colleague).exists()


def test_only_owners_invite_and_a_bad_address_is_refused_at_the_field(client, cast, django_user_model):
    member = django_user_model.objects.create_user("member@steppe.kz", email="member@steppe.kz")
    Membership.objects.create(organization=cast.organization_a, user=member, role="member")
    client.force_login(member)
    url = reverse("licensing:members", args=[cast.organization_a.public_id])
    assert client.post(url, {"email": "x@steppe.kz", "role": "member"}).status_code == 404

    client.force_login(cast.applicant_a)
    response = client.post(url, {"email": "not an address", "role": "member"})
    assert 'id="id_email_error"' in response.content.decode() and not Invitation.objects.exists()


def test_owners_remove_members_but_never_the_last_owner(client, cast, django_user_model):
    member = django_user_model.objects.create_user("member@steppe.kz", email="member@steppe.kz")
    membership = Membership.objects.create(organization=cast.organization_a, user=member, role="member")
    own = Membership.objects.get(organization=cast.organization_a, user=cast.applicant_a)
    client.force_login(cast.applicant_a)

    client.post(
        reverse("licensing:member_remove", args=[cast.organization_a.public_id, membership.public_id]),
        {"confirm": "on"},
    )
    response = client.post(
        reverse("licensing:member_remove", args=[cast.organization_a.public_id, own.public_id]),
        {"confirm": "on"},
        follow=True,
    )

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.objects.filter(pk=own.pk).exists()
    assert "only owner" in response.content.decode()
