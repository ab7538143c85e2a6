from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from qorgau.agencies.models import User


class AuthedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: `user` is a real user, and django-htmx has added `htmx`."""

    user: User
    htmx: HtmxDetails
