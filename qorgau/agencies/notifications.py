"""Telling people what they must know: a notification in the pages and an e-mail sent by the worker."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from qorgau.agencies.models import Notification, User


def notify(recipient: User, *, kind: str, **params: Any) -> Notification:
    note = Notification.objects.create(recipient=recipient, kind=kind, params=params)
    from qorgau.agencies.tasks import email_notification

    transaction.on_commit(lambda: email_notification.enqueue(note.pk))
    return note


def render(note: Notification) -> str:
    """The notification's text in the active language; it names a case number, never a child."""
    p = note.params
    if note.kind == "break_glass":
        return _(
            "%(actor)s opened emergency access to case %(case)s. Review it within one working day."
        ) % {
            "actor": p.get("actor", ""),
            "case": p.get("case_number", ""),
        }
    return _("You have a new notification.")


def render_for(note: Notification) -> str:
    with override(note.recipient.preferred_language):
        return render(note)
