"""An e-mail backend that writes each message to its own file: a mail sink visible across processes.

For tests with a real Celery worker in another process (``tests/worker_settings.py``). Each message
is one ``.eml`` file named after a random id, so counting files counts mails. ``MAIL_SINK_DELAY_MS``
makes every send take that long, so a test can kill a worker in the middle of a batch.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class DirectoryEmailBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(settings.EMAIL_FILE_PATH)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.delay = settings.MAIL_SINK_DELAY_MS / 1000

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            time.sleep(self.delay)  # before writing: a worker killed now has not sent this one
            name = uuid.uuid4().hex
            temporary = self.folder / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            temporary.rename(self.folder / f"{name}.eml")  # atomic: a reader never sees half a message
        return len(email_messages)
