from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from qorgau.agencies.models import User


class AuthedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: `user` is a real user, and django-htmx has added `htmx`."""

    user: User
    htmx: HtmxDetails


def form_errors_text(form: Any) -> str:
    """A bound form's errors as one sentence, for a message on the page the user returns to."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
