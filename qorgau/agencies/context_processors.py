from typing import Any

from django.http import HttpRequest

from qorgau.agencies.models import Notification
from qorgau.concerns.models import ConcernReport
from qorgau.referrals.models import Referral


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cap = user.capability
    receives = cap.receives_referrals
    # The inbox badges: referrals awaiting action (they have a due time), each counted from its
    # own partial index alone; one count of both read every row of a busy inbox (15 ms).
    awaiting = Referral.objects.filter(due_at__isnull=False)
    organisation = awaiting.filter(to_organisation_id=user.organisation_id)
    return {
        "nav_receives_referrals": receives,
        "nav_inbox_count": organisation.count() if receives else 0,
        "nav_new_concerns": ConcernReport.objects.filter(
            organisation_id=user.organisation_id, status=ConcernReport.Status.NEW
        ).count()
        if receives
        else 0,
        "nav_my_referrals": awaiting.filter(to_user_id=user.pk).count(),
        "nav_unread": Notification.objects.filter(recipient=user).unread().count(),
        "nav_sees_cases": bool(cap.max_tier),
        "nav_dashboard": cap.sees_organisation_cases or cap.sees_region_cases,
        "nav_opens_cases": cap.opens_cases,
        "nav_reviews_break_glass": cap.reviews_break_glass,
        "nav_break_glass": cap.break_glass,
        "nav_screens": cap.screens or cap.sees_organisation_cases,
        "nav_screening_statistics": cap.reads_screening_statistics,
        "nav_edits_instruments": cap.edits_instruments,
        "nav_admin": user.is_staff,
    }
