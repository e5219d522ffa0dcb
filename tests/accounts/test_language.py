import re

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


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_language_is_offered_in_itself_and_marked_so(client, language):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<html lang="{language}">' in page
    for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        button = re.search(
            rf'<button type="submit" name="language" value="{code}" lang="(\w+)"[^>]*>\s*{name}\s*</button>', page
        )
        assert button is not None, code
        assert button.group(1) == code


def test_kazakh_browsers_get_kazakh_and_unknown_languages_get_kazakh_by_default(client, settings):
    settings.LANGUAGE_CODE = "kk"

    assert '<html lang="kk">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="kk-KZ,kk;q=0.9").content.decode()
    assert '<html lang="kk">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert '<html lang="ru">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru-RU,en;q=0.5").content.decode()


def test_a_visitor_switches_language_without_a_csrf_token_and_public_pages_set_no_cookie():
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("home"))
    response = visitor.post(reverse("set_language"), {"language": "ru", "next": "/"})

    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies
    assert response.status_code == 302
    assert '<html lang="ru">' in visitor.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_signed_in_users_stored_language_cannot_be_changed_by_a_forged_request(django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user("polyglot", password="a-long-password-123")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    forged = browser.post(reverse("set_language"), {"language": "ru", "next": "/"})
    user.refresh_from_db()
    assert forged.status_code == 403
    assert user.preferred_language != "ru"

    page = browser.get(reverse("home")).content.decode()
    token = re.search(r'class="language-switcher".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S).group(1)
    genuine = browser.post(reverse("set_language"), {"language": "ru", "next": "/", "csrfmiddlewaretoken": token})
    user.refresh_from_db()
    assert genuine.status_code == 302
    assert user.preferred_language == "ru"
