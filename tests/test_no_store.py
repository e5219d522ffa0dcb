"""Pages shown to a signed-in person are never stored; public pages keep their own caching."""

import pytest
from django.urls import reverse

from tests.notifications.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_signed_in_persons_pages_are_not_stored_even_public_ones(client):
    client.force_login(make_user())
    for url in (reverse("home"), reverse("licensing:applicant_home"), reverse("registry:search")):
        assert client.get(url)["Cache-Control"] == "no-store, private", url


def test_the_api_keeps_its_public_caching_for_a_signed_in_browser(client):
    client.force_login(make_user())
    assert "public" in client.get("/api/v1/assets/")["Cache-Control"]


def test_anonymous_registry_pages_keep_their_public_caching(client):
    assert "no-store" not in client.get(reverse("registry:search")).get("Cache-Control", "")
