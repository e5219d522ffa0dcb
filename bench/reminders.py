"""Document-review sweep over a million pending documents on PostgreSQL (issue 5, SPEC section 9).

Seeds pending documents with ``manage.py seed_bulk --documents N`` (10,000 of them due), then runs the
document-review sweep in a fresh process and measures its wall time, its number of queries
(``CaptureQueriesContext``) and that process's peak memory (``ru_maxrss``). It measures twice: with
half the documents, then after adding the other half, none of them due. The query count must be the
same both times: the sweep never fetches a document that is not due.

The sweep measured is ``licensing.reminders.sweep_document_reviews(dispatch=False)``: deriving what
is due and inserting the deliveries; sending the e-mails is the workers' job and not measured here.
Goals: under 20 s, query count independent of not-due documents, under 300 MB.

    .venv/bin/python bench/reminders.py [--quick] [--documents N] [--due N]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = _ROOT  # bench/registry.py would shadow the Django app ``registry``
elif _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import common  # noqa: E402

GOAL_SECONDS = 20.0
GOAL_MB = 300.0


def measure() -> dict:
    """In a fresh process: forget earlier review reminders, then run the sweep once and measure it."""
    import resource
    import time

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import SUPERVISOR
    from licensing import reminders
    from licensing.models import Document
    from notifications.models import Delivery

    # Unassigned cases remind the supervisors: the bench needs one (seed_bulk creates no staff).
    supervisor, _ = get_user_model().objects.get_or_create(
        username="bench-supervisor", defaults={"email": "bench-supervisor@example.kz"}
    )
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR))
    # One DELETE statement: the ORM's cascade collector would load every row into this process's memory.
    Delivery.objects.filter(kind=reminders.KIND_DOCUMENT_REVIEW)._raw_delete(Delivery.objects.db)
    pending = Document.objects.filter(state=Document.State.PENDING).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE licensing_document; ANALYZE licensing_application; ANALYZE notifications_delivery")
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = reminders.sweep_document_reviews(dispatch=False)
    seconds = time.monotonic() - started
    due = Delivery.objects.filter(kind=reminders.KIND_DOCUMENT_REVIEW).values("subject_id").distinct().count()
    # Linux reports ru_maxrss in kilobytes.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "pending_documents": pending,
        "due_documents": due,
        "deliveries": result.created,
        "seconds": round(seconds, 2),
        "queries": len(queries.captured_queries),
        "peak_mb": round(peak_mb, 1),
        "problems": result.problems,
    }


def _measure_in_child(args) -> dict:
    output = subprocess.run(
        [common.PYTHON, __file__, "--measure-child"],
        env=common.django_env(args),
        cwd=common.ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
        timeout=3600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(args) -> dict:
    common.ensure_database(args.database_url)
    common.manage(args, "migrate", "--noinput", "-v0")
    half = args.documents // 2
    print(f"Seeding {half:,} pending documents, {args.due:,} of them due ...")
    common.manage(args, "seed_bulk", "--documents", str(half), "--due-fraction", str(args.due / half), "--seed", "5")
    small = _measure_in_child(args)
    print(f"Seeding {args.documents - half:,} more pending documents, none due ...")
    common.manage(args, "seed_bulk", "--documents", str(args.documents - half), "--due-fraction", "0", "--seed", "6")
    large = _measure_in_child(args)

    headers = ["pending documents", "due", "deliveries", "seconds", "queries", "peak MB"]
    rows = [
        [m["pending_documents"], m["due_documents"], m["deliveries"], m["seconds"], m["queries"], m["peak_mb"]]
        for m in (small, large)
    ]
    common.print_table(headers, rows)
    independent = small["queries"] == large["queries"]
    verdict = {
        "under_20_s": large["seconds"] < GOAL_SECONDS,
        "queries_independent_of_not_due": independent,
        "under_300_mb": large["peak_mb"] < GOAL_MB,
    }
    for goal, met in verdict.items():
        print(f"{goal}: {'yes' if met else 'NO'}")
    for problem in small["problems"] + large["problems"]:
        print(f"ERROR: {problem}")
    return {"small": small, "large": large, "goals": verdict}


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure-child"]:
        print(json.dumps(measure()))
    else:
        figures = run(common.parse_args(description=__doc__.splitlines()[0]))
        print(f"Results: {common.write_results('reminders', figures).relative_to(common.ROOT)}")
