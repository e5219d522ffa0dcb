from functools import cache

from notifications.selectors import unread_for


def notices(request):
    """``unread_notice_count`` for the header: counted once, and only on pages that show it."""
    user = getattr(request, "user", None)

    @cache
    def unread_notice_count() -> int:
        return unread_for(user).count() if user is not None else 0

    return {"unread_notice_count": unread_notice_count}
