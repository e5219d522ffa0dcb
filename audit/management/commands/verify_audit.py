from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_first_break


class Command(BaseCommand):
    help = "Check the audit hash chain end to end; exit 1 naming the first bad entry."

    def handle(self, *args, **options):
        checked, problem = audit_chain_first_break()
        if problem:
            raise CommandError(
                f"Audit chain broken at entry #{problem.entry_id}: {problem.problem} "
                f"({checked} entries before it verify)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} entries verified."))
