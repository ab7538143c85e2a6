"""Texts of the review and follow-up notifications: a case number and dates, never a child."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qorgau.agencies.models import Notification
from qorgau.reviews.timeline import short_date


def render_review_note(note: Notification) -> str:
    p = note.params
    values: dict[str, Any] = {
        "case": p.get("case_number", ""),
        "date": short_date(p.get("due", "")),
        "owner": p.get("owner", ""),
        "months": p.get("months", ""),
    }
    texts = {
        "review_due": _("The review of case %(case)s is due by %(date)s."),
        "review_overdue": _(
            "The review of case %(case)s was due by %(date)s and is overdue."
        ),
        "review_overdue_supervisor": _(
            "The review of case %(case)s (owner: %(owner)s) was due by %(date)s and is still not held."
        ),
        "review_escalated": _(
            "A review of case %(case)s was escalated to the supervisors."
        ),
        "follow_up_due": _(
            "The %(months)s-month follow-up of closed case %(case)s is due by %(date)s."
        ),
        "follow_up_overdue": _(
            "The %(months)s-month follow-up of closed case %(case)s (owner: %(owner)s) was due by %(date)s and is not recorded."
        ),
        "follow_up_at_risk": _(
            "A follow-up of closed case %(case)s found the child at risk again."
        ),
    }
    text = texts.get(note.kind)
    return text % values if text else _("You have a new notification.")
