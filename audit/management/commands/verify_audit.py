from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_check


def checkpoint(value: str) -> tuple[int, str]:
    entry_id, _, entry_hash = value.partition(":")
    if not entry_id.isdigit() or len(entry_hash) != 64:
        raise ValueError(value)
    return int(entry_id), entry_hash


class Command(BaseCommand):
    help = "Check the audit hash chain end to end, and its end against the head; exit 1 naming the first bad entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            type=checkpoint,
            default=[],
            metavar="ID:HASH",
            help="A head this command printed earlier, kept outside the database; the chain must still contain it.",
        )

    def handle(self, *args, checkpoint: list[tuple[int, str]], **options):
        check = audit_chain_check(checkpoints=dict(checkpoint))
        if check.problem:
            where = f"entry #{check.problem.entry_id}" if check.problem.entry_id else "its head"
            raise CommandError(
                f"Audit chain broken at {where}: {check.problem.problem} ({check.checked} entries before it verify)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {check.checked} entries verified."))
        if check.head is not None and check.head.entries:
            # Copied out of the database (a ticket, the operations log), it is a checkpoint for later runs.
            self.stdout.write(f"Head: --checkpoint {check.head.entry_id}:{check.head.hash}")
