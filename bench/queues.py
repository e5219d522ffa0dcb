"""The staff queues under load at 100,000 applications: every tab, filters, search and a deep page.

What it does, in order (every step bounded in time; traffic only to 127.0.0.1):

1. creates the bench database if missing, migrates it, makes the bench staff (reviewers, an approver,
   a supervisor, each with an authenticator), and tops the applications up to ``--applications`` with
   ``seed_bulk --applications`` (a second run reuses them);
2. signs each bench staff member in: a session that has passed the second factor, as after sign-in
   (production settings: ``STAFF_REQUIRE_2FA`` on, so the OTP middleware's cost is measured too);
3. serves the portal with gunicorn and loads each scenario with wrk for ``--duration`` seconds, as
   ``bench/registry.py`` does, every request carrying that person's session cookie; reports client
   and server-side latency (p50/p90/p99) and throughput;
4. stops gunicorn (always), prints the table against the goal, writes JSON to bench/results/.

Goal (issue 9): a queue page under 50 ms p90, server-side, at 100,000 applications.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import common
from bench.registry import WRK_CONNECTIONS, WRK_THREADS, Server, load_average, scenario

GOAL_P90_MS = 50.0
REVIEWERS = 8
_STAFF_MARKER = "BENCH-STAFF:"


# --- preparing the data ------------------------------------------------------------------------


def staff_sessions() -> None:
    """Run inside ``manage.py shell``: the bench staff, each with a fresh session past the second factor.

    Prints one line, ``BENCH-STAFF:`` and a JSON object of username to session key.
    """
    import time
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    people = [(f"bench-reviewer-{n}", "reviewer") for n in range(1, REVIEWERS + 1)]
    people += [("bench-approver", "approver"), ("bench-supervisor", "supervisor")]
    sessions = {}
    for username, role in people:
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": username.split("-")[1].title(), "last_name": username[-1]}
        )
        user.groups.add(Group.objects.get(name=role))
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session["_auth_started"] = session["_last_seen"] = int(time.time())
        session.create()
        sessions[username] = session.session_key
    print(_STAFF_MARKER + json.dumps(sessions))


def prepare(args) -> tuple[dict, dict[str, str]]:
    figures: dict = {}
    common.ensure_database(args.database_url)
    print("Migrating the bench database ...")
    common.manage(args, "migrate", "--noinput", "-v0")
    output = common.manage(
        args, "shell", "-c", "from bench.queues import staff_sessions; staff_sessions()", capture=True
    )
    line = next(line for line in output.splitlines() if line.startswith(_STAFF_MARKER))
    sessions = json.loads(line.removeprefix(_STAFF_MARKER))
    have = common.query(args.database_url, "SELECT count(*) FROM licensing_application")[0][0]
    figures["applications_before"] = have
    if have < args.applications:
        missing = args.applications - have
        print(f"Seeding {missing:,} applications (there are {have:,}) ...")
        with common.Stopwatch() as watch:
            common.manage(args, "seed_bulk", "--applications", str(missing), "--batch-size", "20000", "-v1")
        figures["seeded_applications"] = missing
        figures["seed_seconds"] = round(watch.seconds, 1)
    # Every run, not only after seeding: the tab counts are index-only scans, which need the
    # visibility map VACUUM sets (autovacuum keeps it in production; a fresh COPY has none).
    common.query_autocommit(args.database_url, "VACUUM ANALYZE")
    figures["applications"] = common.query(args.database_url, "SELECT count(*) FROM licensing_application")[0][0]
    common.manage(args, "collectstatic", "--noinput", "-v0")
    return figures, sessions


def sample_searches(args, rng: random.Random) -> dict[str, list[str]]:
    """Names, BINs and references of real cases, so every search finds something."""
    rows = common.query(
        args.database_url,
        "SELECT a.reference, o.bin, o.legal_name FROM licensing_application a"
        " JOIN licensing_organization o ON o.id = a.organization_id"
        # The same 200 cases every run (random() made consecutive runs search different names).
        " WHERE a.state <> 'draft' ORDER BY md5(a.reference) LIMIT 200",
    )
    return {
        "names": [" ".join(name.split()[:2]) for _reference, _bin, name in rows],
        "bins": [bin_ for _reference, bin_, _name in rows],
        "references": [reference for reference, _bin, _name in rows],
    }


# --- the run -----------------------------------------------------------------------------------


def run(args) -> dict:
    rng = random.Random(9)
    figures, sessions = prepare(args)
    searches = sample_searches(args, rng)

    def cookie(username: str) -> list[str]:
        return [f"Cookie: sessionid={sessions[username]}"]

    reviewers = [f"bench-reviewer-{n}" for n in range(1, REVIEWERS + 1)]
    supervisor = cookie("bench-supervisor")
    plans = [
        # (name, paths, headers)
        ("reviewer: mine", ["/staff/?tab=mine"], cookie(reviewers[0])),
        ("reviewer: all I may see", ["/staff/?tab=all"], cookie(reviewers[1])),
        ("approver: awaiting my decision", ["/staff/?tab=decide"], cookie("bench-approver")),
        ("supervisor: unassigned", ["/staff/?tab=unassigned"], supervisor),
        ("supervisor: overdue", ["/staff/?tab=overdue"], supervisor),
        ("supervisor: all", ["/staff/?tab=all"], supervisor),
        (
            "supervisor: filtered",
            [
                f"/staff/?tab=all&state={s}&license_type={t}"
                for s in ("under_review", "completeness_check", "refused")
                for t in ("DAB", "DAC", "DAX")
            ],
            supervisor,
        ),
        ("supervisor: page 40", ["/staff/?tab=all&page=40"], supervisor),
        ("search: name", [f"/staff/?tab=all&q={name.replace(' ', '+')}" for name in searches["names"]], supervisor),
        ("search: BIN", [f"/staff/?tab=all&q={bin_}" for bin_ in searches["bins"]], supervisor),
        ("search: reference", [f"/staff/?tab=all&q={ref}" for ref in searches["references"]], supervisor),
    ]
    workdir = Path(common.django_env(args)["VAR_DIR"]) / "gunicorn"
    server = Server(args=args, workdir=workdir, app="config.wsgi:application", port=args.port, probe="/healthz")
    results = []
    figures["wrk"] = f"-t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.duration:g}s"
    figures["load_average_before"] = load_average()
    server.start()
    try:
        for name, paths, headers in plans:
            results.append(scenario(server, args, name, paths, headers=headers))
    finally:
        server.stop()
    figures["load_average_after"] = load_average()
    figures["scenarios"] = results
    figures["goal_server_p90_ms"] = GOAL_P90_MS
    report(figures)
    return figures


def report(figures: dict) -> None:
    print(
        f"\nStaff queues at {figures['applications']:,} applications (goal: server p90 <= {GOAL_P90_MS:.0f} ms); "
        f"wrk {figures['wrk']}; load average {figures['load_average_before']} before, "
        f"{figures['load_average_after']} after"
    )
    rows = []
    for result in figures["scenarios"]:
        if result.get("missing"):
            rows.append([result["name"], "-", "-", "-", "-", "missing"])
            continue
        p90 = result["server_p90_ms"]
        verdict = "met" if p90 is not None and p90 <= GOAL_P90_MS else "MISSED"
        rows.append(
            [result["name"], result["throughput_rps"], result["server_p50_ms"], p90, result["client_p90_ms"], verdict]
        )
    common.print_table(["scenario", "req/s", "server p50 ms", "server p90 ms", "client p90 ms", "goal"], rows)


def main(argv: list[str] | None = None) -> int:
    args = common.parse_args(argv, description=__doc__.splitlines()[0])
    figures = run(args)
    path = common.write_results("queues", figures)
    print(f"Results: {path.relative_to(common.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
