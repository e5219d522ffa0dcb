"""``manage.py import_warnings FILE --format esma|csv [--dry-run]``: load a regulator's warning list.

Prints what was (or, with ``--dry-run``, would be) added, updated, left unchanged and refused, with
line numbers, the reason of each refusal and every address that could not be read. Importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.errors import DomainError
from registry.warning_list.imports import (
    FORMATS,
    ImportFileError,
    ImportReport,
    warning_import_apply,
    warning_import_preview,
)


class Command(BaseCommand):
    help = "Import a warning list: ESMA's register of non-compliant entities (esma) or this portal's export (csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import.")
        parser.add_argument("--format", required=True, choices=FORMATS, help="esma (NCASP layout) or csv.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument(
            "--as-user", default="", help="Username of the supervisor to record as actor (default: the system)."
        )

    def handle(self, *args, file: str, format: str, dry_run: bool, as_user: str, **options):
        actor = None
        if as_user:
            actor = get_user_model().objects.filter(username=as_user).first()
            if actor is None:
                raise CommandError(_("No user is named %(username)s.") % {"username": as_user})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        try:
            report = warning_import_preview(data=path.read_bytes(), format=format)
            if not dry_run and report.changes_anything:
                warning_import_apply(report=report, actor=actor)
        except (ImportFileError, DomainError) as error:
            raise CommandError(str(error)) from None
        self._print(report, dry_run=dry_run)

    def _print(self, report: ImportReport, *, dry_run: bool) -> None:
        write = self.stdout.write
        for entity in report.added:
            write(
                _("added      line %(lines)s: %(name)s (%(domains)s)")
                % {"lines": entity.line_label, "name": entity.name, "domains": ", ".join(entity.domains) or "-"}
            )
        for entity in report.updated:
            what = [*entity.changes, *(_("listed again %(date)s") % {"date": day} for day in entity.relisted_on)]
            write(
                _("updated    line %(lines)s: %(name)s (entry %(id)s): %(what)s")
                % {"lines": entity.line_label, "name": entity.name, "id": entity.entry_id, "what": ", ".join(what)}
            )
        for entity in report.unchanged:
            write(
                _("unchanged  line %(lines)s: %(name)s (entry %(id)s)")
                % {"lines": entity.line_label, "name": entity.name, "id": entity.entry_id}
            )
        for refusal in report.refused:
            write(
                self.style.WARNING(
                    _("refused    line %(lines)s: %(name)s: %(reason)s")
                    % {"lines": refusal.line_label, "name": refusal.name or "-", "reason": refusal.reason}
                )
            )
        for line, earlier in report.duplicate_rows:
            write(
                _("duplicate  line %(line)s repeats line %(earlier)s: read once") % {"line": line, "earlier": earlier}
            )
        for item in report.unreadable:
            write(
                self.style.WARNING(
                    _('address    line %(line)s: "%(value)s" left out: %(reason)s')
                    % {"line": item.line, "value": item.value, "reason": item.reason}
                )
            )
        for line, note in report.notes:
            write(self.style.WARNING(_("check      line %(line)s: %(note)s") % {"line": line, "note": note}))
        counts = {
            "added": len(report.added),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "refused": len(report.refused),
        }
        summary = _("%(added)s added, %(updated)s updated, %(unchanged)s unchanged, %(refused)s refused.") % counts
        if not report.changes_anything:
            write(self.style.SUCCESS(summary + " " + _("Nothing to change: the list already holds this file.")))
        elif dry_run:
            write(self.style.WARNING(summary + " " + _("Dry run: nothing was changed.")))
        else:
            write(self.style.SUCCESS(summary))
