"""Run every periodic sweep once, now, in this process, send what is due and print it."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from licensing import reminders
from notifications.models import Delivery
from notifications.services import deliveries_due_ids, deliveries_send


class Command(BaseCommand):
    help = "Run every reminder sweep once, now, in-process; send what is due and print what was sent."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument("--no-send", action="store_true", help="Only create the deliveries; do not send them.")

    def handle(self, *args, today: date | None, no_send: bool, **options):
        problems: list[str] = []
        # Deliveries are sent below, in this process, not handed to the workers.
        results = reminders.run_all(today=today, dispatch=False)
        for result in results:
            self.stdout.write(f"{result.name}: {result.created} new deliveries")
            for action in result.actions:
                self.stdout.write(f"  {action}")
            problems.extend(p for p in result.problems if p not in problems)
        if not no_send:
            outcomes = deliveries_send(ids=deliveries_due_ids())
            sent = {o.delivery_id: o for o in outcomes if o.status != "not_claimed"}
            deliveries = Delivery.objects.filter(pk__in=sent).select_related("recipient").order_by("pk")
            for delivery in deliveries:
                outcome = sent[delivery.pk]
                line = (
                    f"{outcome.status:<8} {delivery.kind}/{delivery.threshold} "
                    f"{delivery.subject_type}#{delivery.subject_id} to {delivery.recipient.get_username()}"
                )
                self.stdout.write(line + (f" ({outcome.detail})" if outcome.detail else ""))
            counts = {}
            for outcome in sent.values():
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
            self.stdout.write(f"Sent: {summary}.")
        for problem in problems:
            self.stderr.write(self.style.ERROR(f"ERROR: {problem}"))
