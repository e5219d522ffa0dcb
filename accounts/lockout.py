"""Sign-in lockout: django-axes per address, and a ceiling per account however many addresses try it.

Axes locks a username from one address after AXES_FAILURE_LIMIT failures (five). An attacker who
spreads guesses over many addresses gets five from each; ``AccountThrottlingHandler`` also counts
the username's failures from every address within the cool-off and refuses further sign-ins to it
at ACCOUNT_FAILURE_LIMIT, until they age out. The ceiling is well above five so that one person
mistyping cannot lock anyone else out, and low enough to stop a distributed guessing run.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountThrottlingHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Axes' count for this address and username; past the account's ceiling, at least the limit.

        Axes decides every lockout (before authenticating and after a failure) by comparing this
        number with AXES_FAILURE_LIMIT, so the ceiling takes effect wherever axes looks.
        """
        failures = super().get_failures(request, credentials)
        if self.account_failures(request, credentials) >= settings.ACCOUNT_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def account_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failed sign-ins to this username from every address within the cool-off."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
