"""A version of the public register in the Django cache, and rendered answers cached under it.

Why: at a million licenses a license's page or API answer costs four queries, a QR code and a
template or schema pass (5-30 ms), while the register changes a few times a day. A hit here costs
one cache round trip (version and entry together) and no SQL.

How it stays fresh: every rendered answer is cached with the *register version*, a token in the
cache that ``register_changed`` replaces whenever a License, LicenseEvent, DigitalAsset (or an event
of its history), Activity or LicenseType is saved or deleted, or a license's activities or assets
change (signals connected in ``registry.apps``). The token is replaced at once (so the writing
process and tests see the change) and again when the transaction commits: a reader that ran between
the save and the commit may have cached the old state under the first new token; the second one
makes that entry unreachable.

What does not fire signals: raw SQL and the batched COPY of ``seed_bulk`` (registry.bulk). Those
only add licenses with new numbers, so their detail answers are misses and rendered fresh; search
counts and export ETags use ``selectors.registry_version``, which joins this token with the
database's own change probe.
Entries also expire after ``ANSWER_SECONDS`` as a bound on anything else (a deploy that changes a
template), and a lost or flushed cache only costs a re-render.

Each process also keeps the answers it served last (``LOCAL_ANSWERS``) and the register version it
read last, which it reads again from the shared cache at most every ``REGISTRY_VERSION_POLL_SECONDS``
(1 s): a hit then costs no round trip at all. A change made by another process is seen within that
second (the process that makes it sees it at once); the answers say ``max-age=60`` anyway.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "registry:version"
# Bump when the shape of a cached answer changes, so a deploy never serves the previous one.
FORMAT = 1
ANSWER_SECONDS = 600
# Rendered answers each process keeps for itself, most recently used first out of the way.
LOCAL_ANSWERS = 2048


class _Local:
    """The version this process read last (and when), and the answers it rendered or fetched."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: str | None = None
        self.read_at = 0.0
        self.answers: OrderedDict[str, tuple[str, object]] = OrderedDict()

    def remember_version(self, version: str | None) -> None:
        with self.lock:
            self.version, self.read_at = version, time.time()

    def fresh_version(self) -> str | None:
        poll = settings.REGISTRY_VERSION_POLL_SECONDS
        with self.lock:
            # A clock set back makes the age negative: then read the version again.
            if self.version is not None and 0 <= time.time() - self.read_at < poll:
                return self.version
        return None

    def get(self, key: str, version: str) -> object | None:
        with self.lock:
            entry = self.answers.get(key)
            if entry is None or entry[0] != version:
                return None
            self.answers.move_to_end(key)
            return entry[1]

    def put(self, key: str, version: str, value: object) -> None:
        with self.lock:
            self.answers[key] = (version, value)
            self.answers.move_to_end(key)
            while len(self.answers) > LOCAL_ANSWERS:
                self.answers.popitem(last=False)


_local = _Local()


def register_version() -> str:
    """The current token; a new one is created when the cache lost it (then every answer re-renders).

    When the cache is unreachable, a fresh token each call: nothing cached under it is ever found,
    so every caller does the uncached work instead of failing.
    """
    version = _local.fresh_version()
    if version is not None:
        return version
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # add, not set: two workers racing here agree on the winner's token.
            cache.add(VERSION_KEY, uuid.uuid4().hex[:16], timeout=None)
            version = cache.get(VERSION_KEY) or "0"
    except Exception:  # a public page must not fail because the cache is down
        logger.warning("register version unknown: cache unavailable", exc_info=True)
        return "unavailable-" + uuid.uuid4().hex[:16]
    _local.remember_version(version)
    return version


def _bump() -> None:
    version = uuid.uuid4().hex[:16]
    # This process sees its own change at once, whatever its last poll.
    _local.remember_version(version)
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:  # a write to the register must not fail because the cache is down
        logger.warning("register version not bumped: cache unavailable", exc_info=True)
        _local.remember_version(None)


def register_changed(**kwargs) -> None:
    """Signal receiver: the public register changed; cached answers must not be served any more."""
    _bump()
    using = kwargs.get("using")
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_bump, using=using)


def answer_key(kind: str, *parts: str) -> str:
    return ":".join(["registry", kind, str(FORMAT), *parts])


def answer_get(key: str) -> tuple[object | None, str]:
    """(the answer cached under ``key`` for the current register version or None, that version).

    From this process's own answers when its version is fresh (no round trip); otherwise one round
    trip, the version and the entry in the same GET (Django's Redis backend builds a client per
    command, ~0.15 ms of Python each). An entry stored under an older version is a miss. The version
    is returned so that a miss is stored under the version read *before* the database was: if the
    register changes while the answer is rendered, the entry is already stale and is never served.
    """
    version = _local.fresh_version()
    if version is not None:
        value = _local.get(key, version)
        if value is not None:
            return value, version
        keys = [key]
    else:
        keys = [VERSION_KEY, key]
    try:
        found = cache.get_many(keys)
    except Exception:  # a miss: the answer is rendered from the database
        logger.warning("cached answer not read: cache unavailable", exc_info=True)
        _local.remember_version(None)
        return None, register_version()
    if version is None:
        version = found.get(VERSION_KEY)
        if version is None:
            return None, register_version()
        _local.remember_version(version)
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return None, version
    _local.put(key, version, entry[1])
    return entry[1], version


def answer_set(key: str, version: str, value: object) -> None:
    _local.put(key, version, value)
    try:
        cache.set(key, (version, value), ANSWER_SECONDS)
    except Exception:  # the answer is served all the same, only not kept
        logger.warning("answer not cached: cache unavailable", exc_info=True)


def connect_signals() -> None:
    """Called once from ``RegistryConfig.ready``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from registry.models import Activity, DigitalAsset, DigitalAssetEvent, License, LicenseEvent, LicenseType

    for model in (License, LicenseEvent, DigitalAsset, DigitalAssetEvent, Activity, LicenseType):
        post_save.connect(register_changed, sender=model, dispatch_uid=f"registry-version-save-{model.__name__}")
        post_delete.connect(register_changed, sender=model, dispatch_uid=f"registry-version-delete-{model.__name__}")
    for through in (License.activities.through, License.assets.through):
        m2m_changed.connect(register_changed, sender=through, dispatch_uid=f"registry-version-m2m-{through.__name__}")
