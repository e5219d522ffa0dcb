"""What every benchmark in bench/ shares: arguments, the database, manage.py, figures and results.

Contract for a benchmark module ``bench/<name>.py``: ``run(args) -> dict`` does the work (args from
``parse_args``), prints a readable table and returns the figures; ``bench/run.py`` calls it and
``write_results`` stores the figures as JSON under ``bench/results/`` (git-ignored). Each module
also runs on its own: ``.venv/bin/python bench/<name>.py [--quick] ...``.

Benchmarks talk to 127.0.0.1 only, bound every loop by count and time, and use a database of their
own (default ``portal_bench``), never the development or test databases.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6"
# Only for the benchmark's own server on 127.0.0.1; never a production key.
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789-abcdefghijklmnop"  # noqa: S105


def build_parser(description: str = "Benchmarks of the licensing portal on PostgreSQL.") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL database of the benchmark, created if missing "
        f"(default $DATABASE_URL or {DEFAULT_DATABASE_URL}).",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        help=f"Redis for cache and broker (default $REDIS_URL or {DEFAULT_REDIS_URL}).",
    )
    parser.add_argument("--licenses", type=int, default=1_000_000, help="Licenses in the register (default 1000000).")
    parser.add_argument(
        "--documents", type=int, default=1_000_000, help="Pending documents for the reminders sweep (default 1000000)."
    )
    parser.add_argument("--due", type=int, default=10_000, help="Of those, documents due for review (default 10000).")
    parser.add_argument(
        "--applications", type=int, default=100_000, help="Applications behind the staff queues (default 100000)."
    )
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds of load per HTTP scenario (default 10).")
    parser.add_argument(
        "--port",
        type=int,
        default=8106,
        help="Port of the portal's gunicorn on 127.0.0.1; the bare view uses the next.",
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class of both servers (default sync, as gunicorn's)."
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread only; default 1).")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Smoke run: 20000 licenses, documents and applications (200 documents due), 2 s per scenario. "
        "Figures are not comparable.",
    )
    parser.add_argument(
        "--only",
        choices=["registry", "reminders", "queues"],
        action="append",
        help="Run only these benchmarks (repeatable).",
    )
    return parser


def parse_args(argv: list[str] | None = None, description: str | None = None) -> argparse.Namespace:
    args = build_parser(*([description] if description else [])).parse_args(argv)
    if args.quick:
        args.licenses = min(args.licenses, 20_000)
        args.documents = min(args.documents, 20_000)
        args.applications = min(args.applications, 20_000)
        args.due = min(args.due, 200)
        args.duration = min(args.duration, 2.0)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmarks measure PostgreSQL: give a postgres:// --database-url.")
    return args


def django_env(args: argparse.Namespace, **extra: str) -> dict[str, str]:
    """Environment of manage.py and gunicorn: production settings, pointed at the bench's services."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "DEBUG": "0",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "API_RATE_LIMIT": "0",
            "PAGE_RATE_LIMIT": "0",
            # As behind the TLS-terminating proxy of a deployment: wrk sends X-Forwarded-Proto: https.
            "BEHIND_TLS_PROXY": "1",
            "VAR_DIR": str(Path("/tmp") / f"portal-bench-var-{port_tag(args)}"),  # noqa: S108
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def port_tag(args: argparse.Namespace) -> str:
    return str(args.port)


def manage(args: argparse.Namespace, *command: str, capture: bool = False, timeout: float = 3600) -> str:
    """Run ``manage.py <command>`` against the bench database; raises if it fails."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *command],
        env=django_env(args),
        cwd=ROOT,
        check=True,
        timeout=timeout,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def _admin_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def ensure_database(database_url: str) -> None:
    """Create the bench database if it does not exist yet (migrate cannot create databases)."""
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(database_url)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def query(database_url: str, statement: str, params: list | None = None) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(statement, params or []).fetchall()


def query_autocommit(database_url: str, statement: str) -> None:
    """Run a statement outside a transaction (VACUUM, ANALYZE)."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(statement)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in cells:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def write_results(name: str, figures: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return path


class Stopwatch:
    def __enter__(self):
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started
