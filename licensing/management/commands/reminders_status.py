"""Due, sent and failed deliveries of the last days, for operators."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from notifications.models import Delivery


class Command(BaseCommand):
    help = "List due (waiting), sent, skipped and failed deliveries of the last days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="How many days back to look (default 7).")
        parser.add_argument("--limit", type=int, default=50, help="Rows listed per section (default 50).")

    def handle(self, *args, days: int, limit: int, **options):
        since = timezone.now() - timedelta(days=days)
        recent = Delivery.objects.filter(created_at__gte=since)
        self.stdout.write(f"Deliveries created in the last {days} days:")
        summary = recent.values("kind", "status").annotate(n=Count("pk")).order_by("kind", "status")
        if not summary:
            self.stdout.write("  none")
        for row in summary:
            self.stdout.write(f"  {row['kind']:<30} {row['status']:<8} {row['n']}")

        sections = (
            ("Due (waiting to be sent)", Delivery.objects.filter(status__in=["pending", "sending"]), "next_attempt_at"),
            ("Sent", recent.filter(status=Delivery.Status.SENT), "-finished_at"),
            ("Skipped", recent.filter(status=Delivery.Status.SKIPPED), "-finished_at"),
            ("Failed", recent.filter(status=Delivery.Status.FAILED), "-finished_at"),
        )
        for title, queryset, order in sections:
            total = queryset.count()
            self.stdout.write(f"{title}: {total}")
            for d in queryset.select_related("recipient").order_by(order)[:limit]:
                when = timezone.localtime(d.finished_at or d.next_attempt_at)
                line = (
                    f"  {when:%Y-%m-%d %H:%M} {d.kind}/{d.threshold} {d.subject_type}#{d.subject_id} "
                    f"to {d.recipient.get_username()} (attempts {d.attempts})"
                )
                if d.last_error:
                    line += f": {d.last_error}"
                self.stdout.write(line)
            if total > limit:
                self.stdout.write(f"  ... and {total - limit} more")
