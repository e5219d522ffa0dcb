import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One state change, append-only, chained to the previous entry by SHA-256.

    The actor is stored by id and name rather than by foreign key: deleting a user must not rewrite
    (or be blocked by) the record of what that user did.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            # At most one entry follows any entry: even a writer that bypassed the chain lock of
            # audit.services could not fork the chain, only fail.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_cannot_fork"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} by {self.actor_name}"

    def content(self) -> dict:
        """What the hash covers: every field a reader relies on, in a fixed form."""
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "comment": self.comment,
            "request_id": self.request_id,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(f"{self.prev_hash}|{payload}".encode()).hexdigest()


class AuditHead(models.Model):
    """The newest entry of the chain, written in the transaction of every append (one row, id 1).

    An entry's hash vouches for the entries before it, never for those after it: without this
    record, removing or rewriting the newest entries leaves a chain that verifies. Kept beside the
    table, forward-only (database triggers refuse to move it back or delete it), the head says
    where the chain must end.
    """

    entry_id = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.entry_id} ({self.entries} entries)"
