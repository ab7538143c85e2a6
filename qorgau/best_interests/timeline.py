"""What the case timeline and notifications say about best interests, from parameters without
personal data (`qorgau.cases.timeline` and `qorgau.agencies.notifications` call these)."""

from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qorgau.best_interests.models import BestInterestsAppeal


def describe(p: dict[str, Any]) -> str:
    step = p.get("step")
    if step == "started":
        return _("Best-interests assessment started")
    if step == "review_started":
        return _("Review of the best-interests determination started")
    if step == "updated":
        return _("Best-interests assessment updated")
    if step == "option_added":
        return _("Option added to the best-interests assessment")
    if step == "option_removed":
        return _("Option removed from the best-interests assessment")
    if step == "completed":
        return _("Best-interests assessment completed")
    if step == "cancelled":
        return _("Best-interests assessment cancelled")
    if step == "determined":
        review = parse_date(str(p.get("review_date", "")))
        return _("Best interests determined; review by %(date)s") % {
            "date": date_format(review, "SHORT_DATE_FORMAT") if review else "?"
        }
    if step == "appealed":
        by = p.get("lodged_by", "")
        label = (
            BestInterestsAppeal.LodgedBy(by).label
            if by in BestInterestsAppeal.LodgedBy.values
            else by
        )
        return _("Best-interests determination appealed (%(by)s)") % {"by": label}
    if step == "appeal_decided":
        outcome = p.get("outcome", "")
        label = (
            BestInterestsAppeal.Outcome(outcome).label
            if outcome in BestInterestsAppeal.Outcome.values
            else outcome
        )
        return _("Appeal against the best-interests determination: %(outcome)s") % {
            "outcome": label
        }
    if step == "review_due":
        return _("Review of the best-interests determination is due")
    return _("Best interests")


def notification_text(kind: str, p: dict[str, Any]) -> str | None:
    texts = {
        "best_interests_determined": _(
            "The best interests of the child in case %(case)s were determined."
        ),
        "best_interests_appealed": _(
            "Your best-interests determination in case %(case)s was appealed."
        ),
        "best_interests_review_due": _(
            "The best-interests determination in case %(case)s is due for review: start a new assessment."
        ),
    }
    if kind not in texts:
        return None
    return texts[kind] % {"case": p.get("case_number", "")}
