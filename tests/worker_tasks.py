"""A task only the test workers know (``tests/worker_settings.py``): proves a worker consumes the broker."""

from celery import shared_task


@shared_task(name="tests.ping")
def ping(value: str) -> str:
    return value
