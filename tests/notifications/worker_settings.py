"""Settings of the Celery worker subprocess in the end-to-end tests: production settings, mail to a folder.

Everything else (database, broker, delays, lease) comes from the environment the test passes, as in
production; only the e-mail backend differs, so the test can count what the worker sent.
"""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "notifications.backends.DirectoryEmailBackend"
EMAIL_FILE_PATH = os.environ["MAIL_SINK_DIR"]
