from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from qorgau.agencies.models import User
from qorgau.cases.errors import ServiceError, StaleEdit


class AuthedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: `user` is a real user, and django-htmx has added `htmx`."""

    user: User
    htmx: HtmxDetails


def form_errors_text(form: Any) -> str:
    """A bound form's errors as one sentence, for a message on the page the user returns to."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def run_form_step(
    request: HttpRequest,
    form: Any,
    step: Callable[[dict[str, Any]], object],
    *,
    done: str,
    stale: object,
) -> bool:
    """Validates a posted form and runs its service step with the cleaned data, telling the
    user in a message what happened: the form's errors, `stale` when someone else changed the
    record first, the service's refusal, or `done`. Returns whether the step was taken."""
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return False
    try:
        step(form.cleaned_data)
    except StaleEdit:
        messages.error(request, str(stale))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
        return True
    return False
