"""Timeline lines for reviews, closures and follow-ups, from parameters without personal data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.cases.models import Case, CaseEvent
from qorgau.reviews.models import CaseReview, ClosureReason, FollowUp


def label(choices: Any, value: Any) -> str:
    """A code's label in the reader's language; an unknown (older) value as it was stored."""
    return str(choices(value).label) if value in choices.values else str(value or "")


def short_date(iso: Any) -> str:
    try:
        return formats.date_format(date.fromisoformat(str(iso)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(iso)


def describe_closure(p: dict[str, Any]) -> str:
    return _("Case closed (%(status)s): %(reason)s") % {
        "status": label(Case.Status, p.get("new")),
        "reason": label(ClosureReason, p.get("reason")),
    }


def describe_review_event(event: CaseEvent) -> str:
    p = event.params
    step = p.get("step")
    if event.kind == CaseEvent.Kind.REVIEW:
        if step == "held":
            return _("Case review held: %(outcome)s; next review by %(date)s") % {
                "outcome": label(CaseReview.Outcome, p.get("outcome")),
                "date": short_date(p.get("next")),
            }
        if step == "rescheduled":
            return _("Next case review brought forward to %(date)s") % {
                "date": short_date(p.get("due"))
            }
        if step == "cancelled":
            return _("Pending case review cancelled: the case was closed")
        return str(CaseEvent.Kind.REVIEW.label)
    if step == "scheduled":
        months = [str(m) for m in p.get("months", [])]
        return ngettext(
            "Follow-up planned %(months)s month after closure",
            "Follow-ups planned %(months)s months after closure",
            len(months),
        ) % {"months": ", ".join(months)}
    if step == "recorded":
        return _("Follow-up after %(months)s months: %(situation)s") % {
            "months": p.get("months", ""),
            "situation": label(FollowUp.Situation, p.get("situation")),
        }
    if step == "new_case":
        return _("New case %(number)s opened after a follow-up") % {
            "number": p.get("number", "")
        }
    if step == "reopened":
        return _("Opened after a follow-up of case %(number)s") % {
            "number": p.get("number", "")
        }
    return str(CaseEvent.Kind.FOLLOW_UP.label)
