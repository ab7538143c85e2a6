import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qorgau.audit.context import RequestContext, current
from qorgau.audit.services import write_deferred_events


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID) that each audit event of the request carries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        context = RequestContext(
            request_id=request_id,
            ip=request.META.get("REMOTE_ADDR", ""),
            channel=channel,
        )
        token = current.set(context)
        try:
            response = self.get_response(request)
            write_deferred_events(context)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response
