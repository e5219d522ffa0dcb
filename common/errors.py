"""Domain errors raised by services of both ``registry`` and ``licensing``.

They carry a message a person can act on; views turn them into form errors or flash messages,
the API into JSON. Services never raise HTTP exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A rule of the licensing process refuses the action; ``problems`` lists every reason."""

    def __init__(self, message: StrOrPromise, *, problems: Sequence[StrOrPromise] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def __str__(self) -> str:
        # Messages may be lazy translations, rendered in the language active when shown.
        return " ".join(str(part) for part in [self.message, *self.problems])


class NotPermitted(DomainError):
    """The acting user's role or relation to the case does not allow the action."""


class TransitionNotAllowed(DomainError):
    """The object is not in a state from which the action can be taken."""


class ConcurrentChange(DomainError):
    """Someone else changed the object first; the caller should reload and look again."""
