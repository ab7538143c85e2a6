import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED = "qorgau_session_started"
SESSION_REFRESHED = "qorgau_session_refreshed"


class SessionLifetimeMiddleware:
    """Ends a session after its idle timeout and a fixed time after login, however active it is.

    The idle timeout is the session's age in the database (SESSION_COOKIE_AGE), renewed when a
    request comes more than QORGAU_SESSION_REFRESH_SECONDS after the last renewal: saving the
    session on every request would make each page view a database write.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.QORGAU_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, _("Your session has ended. Please log in again.")
                )
                return redirect(settings.LOGIN_URL)
            refreshed = request.session.get(SESSION_REFRESHED, 0)
            if now - refreshed > settings.QORGAU_SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED] = now  # saved, with a new expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a logged-in user may show a child's data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
