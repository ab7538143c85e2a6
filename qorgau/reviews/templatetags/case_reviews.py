"""The reviews section of the case page, and closure reasons shown by their label."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from qorgau.agencies.roles import Tier
from qorgau.reviews.models import CaseReview, ClosureReason, FollowUp

register = template.Library()


@register.filter
def closure_reason_label(code: str) -> str:
    """A closure reason's label; a reason written before the vocabulary, as written."""
    return str(ClosureReason(code).label) if code in ClosureReason.values else code


@register.inclusion_tag("reviews/_case_section.html", takes_context=True)
def case_reviews_section(context: template.Context) -> dict[str, Any]:
    access = context["access"]
    case = access.case
    reviews = case.reviews.exclude(status=CaseReview.Status.CANCELLED)
    return {
        "case": case,
        "today": timezone.localdate(),
        "scheduled": reviews.filter(status=CaseReview.Status.SCHEDULED).first(),
        "last": reviews.filter(status=CaseReview.Status.HELD)
        .order_by("-held_on", "-recorded_at")
        .first(),
        "closure": case.closures.first() if case.is_closed else None,
        "next_follow_up": case.follow_ups.filter(
            status=FollowUp.Status.SCHEDULED
        ).first(),
        "sees_narrative": access.max_tier >= Tier.NARRATIVE,
    }
