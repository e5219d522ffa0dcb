"""Re-hash every stored document and compare with the SHA-256 recorded at upload.

Exit 0 when every file is present and intact; otherwise each problem is printed (document id and
storage name) with a summary, and the command exits 1. Files in storage that no document refers to
(left by an upload whose outer transaction rolled back, see licensing.services.documents) are listed
for the operator but are not an error: nothing an applicant was told is stored depends on them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from licensing.models import Document
from licensing.services.documents import STORAGE_ALIAS

CHUNK_SIZE = 1024 * 1024


def _sha256(storage, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class Command(BaseCommand):
    help = "Re-hash every stored document file; report mismatched and missing files and exit 1 if any."

    def add_arguments(self, parser):
        parser.add_argument("--orphans", action="store_true", help="Also list stored files no document refers to.")

    def handle(self, *args, orphans: bool = False, **options):
        storage = storages[STORAGE_ALIAS]
        checked = mismatched = missing = 0
        known: set[str] = set()
        documents = Document.objects.order_by("id").values_list("id", "storage_name", "sha256", "size")
        for document_id, name, expected, expected_size in documents.iterator(chunk_size=2000):
            checked += 1
            known.add(name)
            try:
                actual, size = _sha256(storage, name)
            except FileNotFoundError:
                missing += 1
                self.stdout.write(self.style.ERROR(f"MISSING  document {document_id}: {name}"))
                continue
            if actual != expected or size != expected_size:
                mismatched += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"MISMATCH document {document_id}: {name} "
                        f"(recorded sha256 {expected}, {expected_size} bytes; "
                        f"stored sha256 {actual}, {size} bytes)"
                    )
                )
        if orphans:
            self._list_orphans(storage, known)
        summary = (
            f"{checked} documents checked: {checked - mismatched - missing} intact, "
            f"{mismatched} mismatched, {missing} missing."
        )
        if mismatched or missing:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _list_orphans(self, storage, known: set[str]) -> None:
        root = Path(storage.location)
        if not root.exists():
            return
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and name not in known:
                self.stdout.write(self.style.WARNING(f"ORPHAN   {name} (no document refers to it)"))
