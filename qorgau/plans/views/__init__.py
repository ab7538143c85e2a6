"""Pages for risk assessments and the safety plan (`risk`), and for the support plan (`support`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qorgau.cases.access import CaseAccess
from qorgau.plans.models import RiskAssessment, SupportPlan


def case_page_context(access: CaseAccess) -> dict[str, Any]:
    """What the case page shows of the plans: the current overall risk and the support plan."""
    case = access.case
    return {
        "risk_current": RiskAssessment.objects.current().filter(case=case).first(),
        "support_plan": SupportPlan.objects.filter(case=case)
        .order_by("-created_at")
        .first(),
        "plans_today": timezone.localdate(),
    }
