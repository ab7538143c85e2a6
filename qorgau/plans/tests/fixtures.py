"""Plans written through the services, for tests of this app and for the access matrix."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.cases.models import Case
from qorgau.plans import services
from qorgau.plans.models import (
    Area,
    Level,
    PlannedService,
    RiskAssessment,
    SafetyMeasure,
    ServiceType,
    SupportPlan,
)


def give_plans(
    case: Case, *, by: User, approver: User, provider: Organisation
) -> SupportPlan:
    """A finalised risk assessment, a safety plan with one measure and an approved support
    plan with one weekly service by `provider` (which must be a service provider)."""
    services.start_risk_assessment(
        case,
        ratings={
            Area.RE_TRAFFICKING: services.Rating(
                Level.MEDIUM, "The recruiter still writes to the child."
            )
        },
        by=by,
        finalise=True,
    )
    services.save_safety_plan(
        case,
        details=services.SafetyPlanDetails(
            emergency_contacts="Helpline 111; duty social worker.",
            measures=[
                services.MeasureDetails(
                    action="Block the recruiter's accounts on the child's phone.",
                    area=Area.ONLINE,
                    responsible_organisation=case.lead_organisation,
                )
            ],
        ),
        by=by,
        expected_version=0,
    )
    plan = services.create_support_plan(
        case, goals="Stay safe and return to school.", by=by
    )
    services.add_planned_service(
        plan,
        details=services.ServiceDetails(
            service_type=ServiceType.SHELTER,
            provider=provider,
            frequency=PlannedService.Frequency.WEEKLY,
            start_date=timezone.localdate(),
        ),
        by=by,
    )
    return services.approve_support_plan(plan, by=approver)


def path_values(case: Case) -> dict[str, Any]:
    """Ids of the case's plan records, for routes that name one."""
    zero = str(uuid.UUID(int=0))
    assessment = RiskAssessment.objects.filter(case=case).first()
    measure = SafetyMeasure.objects.filter(plan__case=case).first()
    service = PlannedService.objects.filter(plan__case=case).first()
    return {
        "assessment_id": str(assessment.pk) if assessment else zero,
        "measure_id": str(measure.pk) if measure else zero,
        "service_id": str(service.pk) if service else zero,
    }
