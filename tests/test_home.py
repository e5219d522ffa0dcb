from django.urls import reverse


def test_home_says_what_the_portal_is_and_leads_to_the_three_faces(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Licensing of digital asset service providers" in page
    assert 'href="/registry/"' in page
    assert 'href="/apply/"' in page
    assert f'href="{reverse("accounts:login")}?next=/staff/"' in page


def test_base_template_is_accessible(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page
    assert 'role="banner"' in page
    assert 'role="contentinfo"' in page
    assert '<nav class="wrap main-nav" aria-label="Main">' in page
    assert 'name="viewport"' in page


def test_language_switcher_offers_kazakh_russian_and_english(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    for code, label in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'value="{code}" lang="{code}"' in page
        assert label in page
    assert 'aria-current="true" class="current"' in page


def test_pages_use_no_inline_script_or_style(client):
    page = client.get(reverse("home")).content.decode()

    assert "<script>" not in page
    assert "<style" not in page
    assert " style=" not in page
