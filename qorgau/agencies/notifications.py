"""Telling people what they must know: a notification in the pages and an e-mail sent by the worker."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from qorgau.agencies.models import Notification, User


def notify(recipient: User, *, kind: str, **params: Any) -> Notification:
    note = Notification.objects.create(recipient=recipient, kind=kind, params=params)
    if recipient.email_delivery == "immediate":
        from qorgau.agencies.tasks import email_notification

        transaction.on_commit(lambda: email_notification.enqueue(note.pk))
    return note  # otherwise it waits for the daily digest


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
    texts = {
        "referral_received": _(
            "A referral of case %(case)s arrived in your inbox (%(urgency)s)."
        ),
        "referral_accepted": _("Your referral of case %(case)s was accepted."),
        "referral_declined": _("Your referral of case %(case)s was declined."),
        "referral_redirected": _(
            "Your referral of case %(case)s was passed on to another organisation."
        ),
        "referral_completed": _(
            "The service for case %(case)s, given on your referral, is complete."
        ),
        "referral_withdrawn": _("The referral of case %(case)s was withdrawn."),
        "referral_overdue": _(
            "The referral of case %(case)s is overdue: nobody has acted on it in time."
        ),
        "risk_high": _("A risk assessment of case %(case)s found a high risk."),
        "risk_review_overdue": _(
            "The risk assessment of case %(case)s is past its review date: assess again."
        ),
    }
    if note.kind == "decision_overdue":
        from qorgau.protection.models import Decision

        kind = p.get("decision", "")
        label = Decision.Kind(kind).label if kind in Decision.Kind.values else kind
        return _("A decision on case %(case)s is past its deadline: %(decision)s.") % {
            "case": p.get("case_number", ""),
            "decision": label,
        }
    if note.kind == "guardianship_overdue":
        from qorgau.guardianship.models import GuardianAppointment

        kind = p.get("appointment", "")
        label = (
            GuardianAppointment.Kind(kind).label
            if kind in GuardianAppointment.Kind.values
            else kind
        )
        return _(
            "No guardian has been appointed in time for the child of case %(case)s: %(appointment)s."
        ) % {"case": p.get("case_number", ""), "appointment": label}
    if note.kind.startswith("best_interests_"):
        from qorgau.best_interests.timeline import notification_text

        return notification_text(note.kind, p) or _("You have a new notification.")
    if note.kind.startswith(("review_", "follow_up_")):
        from qorgau.reviews.notifications import render_review_note

        return render_review_note(note)
    if note.kind == "screening_danger":
        return _(
            "Screening %(ref)s at %(org)s found a child in immediate danger: make sure the "
            "child is referred to the police and child protection within the hour."
        ) % {"ref": p.get("reference", ""), "org": p.get("organisation", "")}
    if note.kind.startswith("concern_"):
        return _concern_text(note.kind, p)
    if note.kind in texts:
        from qorgau.referrals.models import Referral

        urgency = p.get("urgency", "")
        label = (
            Referral.Urgency(urgency).label
            if urgency in Referral.Urgency.values
            else urgency
        )
        return texts[note.kind] % {"case": p.get("case_number", ""), "urgency": label}
    return _("You have a new notification.")


def _concern_text(kind: str, p: dict[str, Any]) -> str:
    reference = p.get("reference", "")
    if kind == "concern_added":
        return _("The reporter added information to concern report %(ref)s.") % {
            "ref": reference
        }
    if p.get("danger"):
        return _(
            "A concern report, %(ref)s, says a child is in danger now: read it at once."
        ) % {"ref": reference}
    return _("A concern report, %(ref)s, arrived in your inbox.") % {"ref": reference}


def render_for(note: Notification) -> str:
    with override(note.recipient.preferred_language):
        return render(note)
