"""Synthetic volume for benchmarks: ``seed_bulk --licenses N --documents M``.

Lives in ``licensing`` because documents belong to applications; the license half is
``registry.bulk`` (registry imports nothing from licensing).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from licensing.bulk import applications_bulk_create, bin_generate, documents_bulk_create
from registry.bulk import licenses_bulk_create


class Command(BaseCommand):
    help = (
        "Add synthetic volume for benchmarks: N licenses in the public register, M pending documents and/or K "
        "applications in the states staff work with. "
        "Every run ADDS rows (license numbers continue each type's sequence, organizations get fresh BINs); "
        "it never deletes. The documents are synthetic: no file is written, so verify_documents reports them "
        "missing. Not for production databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--licenses", type=int, default=0, metavar="N", help="Licenses to add (default 0).")
        parser.add_argument(
            "--documents", type=int, default=0, metavar="M", help="Pending documents to add (default 0)."
        )
        parser.add_argument(
            "--applications",
            type=int,
            default=0,
            metavar="K",
            help="Applications in the states staff work with, for the queues (default 0).",
        )
        parser.add_argument(
            "--due-fraction",
            type=float,
            default=0.01,
            help="Share of the documents already due for a review reminder (default 0.01); "
            "the rest arrived within the last working days.",
        )
        parser.add_argument("--batch-size", type=int, default=10_000, help="Rows per transaction (default 10000).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for reproducible data.")

    def handle(
        self, *args, licenses: int, documents: int, applications: int, due_fraction: float, batch_size: int, seed,
        **options,
    ):  # fmt: skip
        if licenses < 0 or documents < 0 or applications < 0:
            raise CommandError("--licenses, --documents and --applications must not be negative.")
        if not licenses and not documents and not applications:
            raise CommandError("Nothing to do: give --licenses N, --documents M and/or --applications K.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not 0 <= due_fraction <= 1:
            raise CommandError("--due-fraction must be between 0 and 1.")
        verbosity = options.get("verbosity", 1)

        if licenses:
            started = time.monotonic()
            created = licenses_bulk_create(
                count=licenses,
                make_bin=bin_generate,
                batch_size=batch_size,
                seed=seed,
                progress=self._progress("licenses", verbosity),
            )
            self._done("licenses", created, time.monotonic() - started)
        if documents:
            started = time.monotonic()
            created, due = documents_bulk_create(
                count=documents,
                due_fraction=due_fraction,
                batch_size=batch_size,
                seed=None if seed is None else seed + 1,
                progress=self._progress("documents", verbosity),
            )
            self._done(f"pending documents ({due} due for review)", created, time.monotonic() - started)
        if applications:
            started = time.monotonic()
            created = applications_bulk_create(
                count=applications,
                batch_size=batch_size,
                seed=None if seed is None else seed + 2,
                progress=self._progress("applications", verbosity),
            )
            self._done("applications", created, time.monotonic() - started)
        if connection.vendor == "postgresql":
            # Fresh statistics: without them the planner takes the word index for empty and name
            # search at a million licenses is slower by two orders of magnitude.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"ANALYZE in {time.monotonic() - started:.1f} s.")

    def _progress(self, what: str, verbosity: int):
        started = time.monotonic()

        def report(done: int, total: int) -> None:
            if verbosity >= 1:
                elapsed = max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {what}: {done:,}/{total:,} ({done / elapsed:,.0f}/s)")

        return report

    def _done(self, what: str, count: int, seconds: float) -> None:
        rate = count / seconds if seconds > 0 else 0
        self.stdout.write(self.style.SUCCESS(f"Created {count:,} {what} in {seconds:.1f} s ({rate:,.0f}/s)."))
