"""Reading the environment, in one place.

Every setting that production changes comes from an environment variable. A malformed value stops
start-up with one line naming the variable (``SystemExit`` with a message), never a traceback deep
inside a driver.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

TRUE = {"1", "true", "yes", "on"}
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
FALSE = {"0", "false", "no", "off", ""}


def fail(variable: str, problem: str) -> None:
    raise SystemExit(f"Configuration error: {variable} {problem}")


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    fail(name, f"must be 1 or 0 (got {raw!r}).")
    return default  # unreachable


def get_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        fail(name, f"must be a whole number (got {raw!r}).")
    if value < minimum:
        fail(name, f"must be at least {minimum} (got {value}).")
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, sqlite_path: Path) -> dict:
    """A Django DATABASES entry for ``url``, or the embedded SQLite database when it is empty.

    dj-database-url does the parsing (query parameters such as ``sslmode`` become OPTIONS); this
    only refuses what the portal cannot run on, naming the variable.
    """
    if not url:
        return sqlite_database(sqlite_path)
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES | {"sqlite"}:
        fail("DATABASE_URL", f"must start with postgres:// or sqlite:// (got {url[:40]!r}).")
    try:
        _ = parts.port  # urlsplit parses the port lazily and raises on a non-number
    except ValueError:
        fail("DATABASE_URL", "has a port that is not a number.")
    try:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError:
        fail("DATABASE_URL", "is not a valid URL: %-encode special characters in the user name and password.")
    if parts.scheme == "sqlite":
        if database["NAME"] == ":memory:":
            fail("DATABASE_URL", "must give a file path, e.g. sqlite:////srv/portal/db.sqlite3.")
        return sqlite_database(Path(database["NAME"]))
    if not database["HOST"] and not database.get("OPTIONS", {}).get("host"):
        fail("DATABASE_URL", "must name a host, e.g. postgres://user@127.0.0.1:5432/portal.")
    if not database["NAME"]:
        fail("DATABASE_URL", "must name a database, e.g. postgres://user@127.0.0.1:5432/portal.")
    database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return database


def sqlite_database(path: Path) -> dict:
    # Web, worker and beat share this file: WAL lets readers run beside a writer, and IMMEDIATE
    # transactions take the write lock up front so two writers queue (busy timeout) instead of
    # failing with "database is locked" when one upgrades a read lock.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def redis_url(name: str = "REDIS_URL") -> str:
    url = get_str(name)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        fail(name, f"must start with redis:// or rediss:// (got {url[:40]!r}).")
    try:
        _ = parts.port  # urlsplit parses the port lazily and raises on a non-number
    except ValueError:
        fail(name, "has a port that is not a number.")
    if parts.scheme != "unix" and not parts.hostname:
        fail(name, "must name a host, e.g. redis://127.0.0.1:6379/0.")
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        fail(name, f"must end with a database number, e.g. /0 (got /{db}).")
    return url


def email_from_url(url: str) -> dict:
    """Django e-mail settings from ``EMAIL_URL``: console://, locmem://, smtp://user:pass@host:587?tls=1."""
    parts = urlsplit(url or "console://")
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        fail("EMAIL_URL", f"must start with smtp://, smtps://, console:// or locmem:// (got {url[:40]!r}).")
    settings = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            fail("EMAIL_URL", "has a port that is not a number.")
        if not parts.hostname:
            fail("EMAIL_URL", "must name the SMTP host, e.g. smtp://user:password@mail.example.kz:587?tls=1.")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "0").lower() in TRUE,
            EMAIL_TIMEOUT=int(query.get("timeout", "10")),
        )
    return settings
