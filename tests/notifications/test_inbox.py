"""The in-app inbox: a person's own notices, newest first, an unread count in the header."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.notifications.factories import make_user

pytestmark = pytest.mark.django_db


def notice(user, title="Information requested on APP-000001", link="http://127.0.0.1:8000/apply/", **fields):
    return Notification.objects.create(
        user=user, kind="information_requested", title=title, body="Body", link=link, **fields
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_sees_only_their_own_notices_newest_first(client):
    alice, bob = make_user(), make_user()
    notice(alice, title="First for Alice")
    notice(alice, title="Second for Alice")
    notice(bob, title="For Bob")
    client.force_login(alice)
    response = client.get(reverse("notifications:inbox"))
    body = response.content.decode()
    assert body.index("Second for Alice") < body.index("First for Alice")
    assert "For Bob" not in body
    assert response["Cache-Control"] == "no-store, private"


def test_the_header_counts_unread_notices(client):
    alice = make_user()
    notice(alice)
    notice(alice)
    notice(alice, read_at="2026-01-01T00:00:00Z")
    client.force_login(alice)
    body = client.get(reverse("home")).content.decode()
    assert '<span class="count-badge">2<span class="visually-hidden"> unread</span></span>' in body


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client):
    alice = make_user()
    item = notice(alice, link="https://portal.example.kz/apply/?tab=cases")
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[item.public_id]))
    assert response.status_code == 302
    assert response["Location"] == "/apply/?tab=cases"  # this site's page, whatever host the e-mail named
    item.refresh_from_db()
    assert item.read_at is not None


@pytest.mark.parametrize("link", ["", "javascript:alert(1)", "mailto:someone@example.kz"])
def test_a_notice_without_a_usable_link_goes_back_to_the_inbox(client, link):
    alice = make_user()
    item = notice(alice, link=link)
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[item.public_id]))
    assert response["Location"] == reverse("notifications:inbox")


def test_a_link_to_another_host_never_leaves_the_portal(client):
    alice = make_user()
    item = notice(alice, link="//evil.example/phish")
    client.force_login(alice)
    assert client.get(reverse("notifications:open", args=[item.public_id]))["Location"] == "/phish"


def test_another_persons_notice_is_not_found_and_stays_unread(client):
    alice, bob = make_user(), make_user()
    item = notice(bob)
    client.force_login(alice)
    assert client.get(reverse("notifications:open", args=[item.public_id])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_needs_a_post_and_touches_only_the_callers_notices(client):
    alice, bob = make_user(), make_user()
    notice(alice)
    theirs = notice(bob)
    client.force_login(alice)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_costs_the_same_queries_for_3_and_60_notices(client, django_assert_max_num_queries):
    alice = make_user()
    for _ in range(3):
        notice(alice)
    client.force_login(alice)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("notifications:inbox"))
    for _ in range(57):
        notice(alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:inbox"))
