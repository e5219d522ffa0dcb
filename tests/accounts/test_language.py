import pytest
from django.urls import reverse


def test_browser_language_is_the_default(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru")

    assert '<html lang="ru">' in response.content.decode()


def test_visitor_picks_a_language_and_it_sticks(client):
    response = client.post(reverse("set_language"), {"language": "kk", "next": "/registry/"})
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/registry/"
    assert '<html lang="kk">' in page.content.decode()


def test_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx"})

    assert '<html lang="en">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_language_switch_never_redirects_off_site(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "https://evil.example/"})

    assert response["Location"] == "/"


@pytest.mark.django_db
def test_signed_in_users_choice_is_stored_and_wins_over_the_browser(client, django_user_model):
    user = django_user_model.objects.create_user("polyglot", password="a-long-password-123")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "ru"})
    user.refresh_from_db()
    client.cookies.clear()
    client.force_login(user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert user.preferred_language == "ru"
    assert '<html lang="ru">' in page.content.decode()


def test_language_switch_ignores_a_foreign_referer(client):
    response = client.post(reverse("set_language"), {"language": "ru"}, HTTP_REFERER="https://evil.example/")

    assert response["Location"] == "/"


def test_language_switch_returns_to_the_referring_page_of_this_site(client):
    response = client.post(reverse("set_language"), {"language": "ru"}, HTTP_REFERER="http://testserver/registry/")

    assert response["Location"] == "http://testserver/registry/"
