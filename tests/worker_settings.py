"""Settings of the Celery worker subprocesses in the tests: production settings plus two test helpers.

Everything else (database, broker, lease, batch size) comes from the environment the test passes,
as in production. The worker also loads ``tests.worker_tasks`` (a round-trip task), and sends its
e-mail to files in ``MAIL_SINK_DIR`` when that is given, so the test can count what it sent.
"""

import os

from config.settings import *  # noqa: F403

CELERY_IMPORTS = ["tests.worker_tasks"]

if os.environ.get("MAIL_SINK_DIR"):
    EMAIL_BACKEND = "tests.mail_sink.DirectoryEmailBackend"
    EMAIL_FILE_PATH = os.environ["MAIL_SINK_DIR"]
    MAIL_SINK_DELAY_MS = int(os.environ.get("MAIL_SINK_DELAY_MS", "0"))
