"""Settings come from the environment; bad values stop start-up with one line naming the variable."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import env

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "licensing.example.kz",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.kz:587?tls=1",
}


def run_manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if key not in {*PRODUCTION, "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://root@localhost/portal", "DATABASE_URL must start with postgres://"),
        ("DATABASE_URL", "postgres://user@db:notaport/portal", "DATABASE_URL has a port that is not a number"),
        ("DATABASE_URL", "postgres:///portal", "DATABASE_URL must name a host"),
        ("DATABASE_URL", "postgres://user@db:5432", "DATABASE_URL must name a database"),
        ("DATABASE_URL", "not a url at all", "DATABASE_URL must start with postgres://"),
        ("DATABASE_URL", "sqlite://", "DATABASE_URL must give a file path"),
        ("REDIS_URL", "http://cache:6379/0", "REDIS_URL must start with redis://"),
        ("REDIS_URL", "redis://cache:port/0", "REDIS_URL has a port that is not a number"),
        ("REDIS_URL", "redis://cache:6379/zero", "REDIS_URL must end with a database number"),
        ("EMAIL_URL", "pigeon://coop", "EMAIL_URL must start with smtp://"),
        ("DEBUG", "maybe", "DEBUG must be 1 or 0"),
    ],
)
def test_malformed_setting_stops_start_up_with_one_clear_line(variable, value, expected):
    result = run_manage("check", extra_env={variable: value})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


def test_production_requires_a_secret_key():
    result = run_manage("check", extra_env={**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Configuration error: SECRET_KEY must be set when DEBUG=0 (50 or more random characters)."
    )


def test_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_defaults_without_any_variable():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'db': str(s.DATABASES['default']['NAME']), "
        "'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, "
        "'documents': str(s.DOCUMENT_STORAGE_ROOT), 'debug': s.DEBUG}))"
    )
    environment = {key: value for key, value in os.environ.items() if key not in {*PRODUCTION, "VAR_DIR"}}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    values = json.loads(result.stdout)

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db"] == str(ROOT / "var" / "portal.sqlite3")
    assert values["broker"] == "filesystem://localhost//"
    assert values["cache"].endswith("LocMemCache")
    assert values["email"].endswith("console.EmailBackend")
    assert values["documents"] == str(ROOT / "var" / "documents")
    assert values["debug"] is True


def test_sqlite_is_configured_for_three_processes_sharing_one_file(tmp_path):
    database = env.sqlite_database(tmp_path / "db.sqlite3")

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed_into_django_settings(tmp_path):
    database = env.database_from_url("postgres://portal:p%40ss@db.internal:6543/licensing", sqlite_path=tmp_path / "x")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("licensing", "portal", "p@ss")
    assert (database["HOST"], str(database["PORT"])) == ("db.internal", "6543")
    assert database["OPTIONS"] == {"connect_timeout": 5}


def test_postgres_url_query_parameters_reach_the_driver(tmp_path):
    database = env.database_from_url(
        "postgres://portal@db.internal/licensing?sslmode=verify-full&connect_timeout=10", sqlite_path=tmp_path / "x"
    )

    assert database["OPTIONS"] == {"sslmode": "verify-full", "connect_timeout": 10}


def test_sqlite_url_keeps_the_settings_for_three_processes(tmp_path):
    database = env.database_from_url(f"sqlite:///{tmp_path}/portal.sqlite3", sqlite_path=tmp_path / "x")

    assert database["NAME"] == tmp_path / "portal.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_smtp_email_url_is_parsed():
    settings = env.email_from_url("smtp://mailer:s%2Fecret@mail.example.kz:587?tls=1")

    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("mail.example.kz", 587)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("mailer", "s/ecret")
    assert settings["EMAIL_USE_TLS"] is True


def settings_value(name: str, **variables: str) -> str:
    script = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORTAL_HOST", "PORTAL_PORT"}
    }
    environment.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


def test_links_follow_the_port_make_run_serves_when_site_url_is_not_set():
    assert settings_value("SITE_URL") == "http://127.0.0.1:8000"
    assert settings_value("SITE_URL", PORTAL_PORT="8101") == "http://127.0.0.1:8101"
    assert settings_value("SITE_URL", PORTAL_PORT="8101", SITE_URL="https://licensing.example.kz/") == (
        "https://licensing.example.kz"
    )
