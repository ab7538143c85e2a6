from typing import Any

from django.http import HttpRequest

from qorgau.agencies.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cap = user.capability
    return {
        "nav_unread": Notification.objects.filter(recipient=user).unread().count(),
        "nav_sees_cases": bool(cap.max_tier),
        "nav_opens_cases": cap.opens_cases,
        "nav_reviews_break_glass": cap.reviews_break_glass,
        "nav_break_glass": cap.break_glass,
        "nav_admin": user.is_staff,
    }
