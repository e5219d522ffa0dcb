"""An e-mail backend that writes each message to its own file: a mail sink visible across processes.

For tests and checks with a real Celery worker in another process (``EMAIL_FILE_PATH`` names the
folder). Each message is one ``.eml`` file named after a random id, so counting files counts mails.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class DirectoryEmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            name = uuid.uuid4().hex
            temporary = self.folder / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            temporary.rename(self.folder / f"{name}.eml")  # atomic: a reader never sees half a message
        return len(email_messages)
