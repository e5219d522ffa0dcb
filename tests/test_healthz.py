from unittest import mock

import pytest
from django.urls import reverse

CLOSED_PORT = "127.0.0.1:1"


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    """A reachable broker whatever the environment: the embedded filesystem transport in a temp dir."""
    queue = tmp_path / "queue"
    queue.mkdir()
    settings.CELERY_BROKER_URL = "filesystem://localhost//"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(queue), "data_folder_out": str(queue)}


@pytest.mark.django_db
def test_healthz_answers_200_when_database_cache_and_broker_answer(client, filesystem_broker):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = f"redis://{CLOSED_PORT}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_does_not_answer(client, settings, filesystem_broker):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{CLOSED_PORT}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_does_not_answer(client, filesystem_broker):
    with mock.patch("config.views.connection") as broken:
        broken.cursor.side_effect = OSError("connection refused")
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert "connection refused" in body["checks"]["database"]["error"]


@pytest.mark.django_db
def test_healthz_reaches_real_redis_as_cache_and_broker(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get(reverse("healthz"))

    assert response.status_code == 200, response.json()
    assert "Redis" in settings.CACHES["default"]["BACKEND"]


def test_healthz_refuses_other_methods(client):
    assert client.post(reverse("healthz")).status_code == 405


PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = f"redis://{CLOSED_PORT}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


@pytest.mark.django_db
def test_the_public_learns_only_which_part_is_up_or_down(client, broker_down):
    response = client.get(reverse("healthz"), **PUBLIC)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": {"ok": True}, "cache": {"ok": True}, "broker": {"ok": False}},
        "failing": ["broker"],
    }


@pytest.mark.django_db
def test_a_monitor_with_the_token_sees_the_details_from_anywhere(client, broker_down, settings):
    settings.HEALTHZ_TOKEN = "s3cret-monitoring-token"

    with_token = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer s3cret-monitoring-token", **PUBLIC)
    wrong_token = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer guess", **PUBLIC)

    assert "error" in with_token.json()["checks"]["broker"]
    assert "ms" in with_token.json()["checks"]["database"]
    assert "error" not in wrong_token.json()["checks"]["broker"]


@pytest.mark.django_db
def test_behind_a_local_proxy_the_client_is_not_taken_for_loopback(client, broker_down, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1

    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert "error" not in response.json()["checks"]["broker"]
