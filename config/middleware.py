import uuid

from django.utils.cache import patch_cache_control

from config.request_context import request_id_var


class RequestIdMiddleware:
    """Give every request an id, echo it in ``X-Request-ID`` and make it available to the audit log.

    The id is always the portal's own: one taken from a client's ``X-Request-ID`` would let the
    client choose what the audit trail records as the request behind an action.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in person are never stored by a browser or a proxy.

    They carry a case, a name or a notice count that belongs to that person; a shared computer's
    back button or a proxy must not show them to the next one. The public API answers the same to
    everybody and keeps its own caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response
