"""REST endpoints for risk assessments, the safety plan and the support plan, under the case
access layer: the same services, refusals and tier hiding as the pages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Tier
from qorgau.api.auth import api_user
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError
from qorgau.plans import services
from qorgau.plans.models import (
    AREA_TIER,
    Area,
    Level,
    PlannedService,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
    ServiceDelivery,
    SupportPlan,
)

router = Router(tags=["plans"])


# --- risk assessments -----------------------------------------------------------------------


class RatingIn(Schema):
    level: str = Level.NOT_ASSESSED
    factors: str = ""


class RatingOut(Schema):
    area: str
    level: str
    factors: str | None = Field(
        description="Null when the area's tier is beyond the caller's access"
    )


class RiskAssessmentIn(Schema):
    ratings: dict[str, RatingIn] = Field(
        description="By area: " + ", ".join(Area.values)
    )
    finalise: bool = False
    review_date: date | None = None


class RiskAssessmentUpdateIn(Schema):
    ratings: dict[str, RatingIn]
    version: int


class VersionIn(Schema):
    version: int
    review_date: date | None = None


class RiskAssessmentOut(Schema):
    id: str
    status: str
    overall_level: str
    ratings: list[RatingOut]
    created_by: str
    created_at: datetime
    assessed_by: str | None
    assessed_at: datetime | None
    next_review_date: date | None
    review_overdue: bool
    current: bool
    version: int


def _username(user: User | None) -> str | None:
    return user.get_username() if user else None


def _assessment_out(access: CaseAccess, a: RiskAssessment) -> RiskAssessmentOut:
    return RiskAssessmentOut(
        id=str(a.pk),
        status=a.status,
        overall_level=a.overall_level,
        ratings=[
            RatingOut(
                area=area,
                level=a.level_of(area),
                factors=a.factors_of(area)
                if access.sees_tier(AREA_TIER[area])
                else None,
            )
            for area in Area.values
        ],
        created_by=a.created_by.get_username(),
        created_at=a.created_at,
        assessed_by=_username(a.assessed_by),
        assessed_at=a.assessed_at,
        next_review_date=a.next_review_date,
        review_overdue=a.review_overdue(),
        current=a.is_current,
        version=a.version,
    )


def _ratings(payload: dict[str, RatingIn]) -> dict[str, services.Rating]:
    return {
        area: services.Rating(level=r.level, factors=r.factors)
        for area, r in payload.items()
    }


def _by_id(rows: Any, pk: str) -> Any:
    """One row of the case's by its UUID, or 404 (also for text that is no UUID)."""
    try:
        key = uuid.UUID(pk)
    except ValueError:
        raise Http404 from None
    row = rows.filter(pk=key).first()
    if row is None:
        raise Http404
    return row


@router.get(
    "/cases/{number}/risk-assessments",
    response=list[RiskAssessmentOut],
    summary="The case's risk assessments, newest first (factors up to the caller's tier)",
)
def list_risk_assessments(request: HttpRequest, number: str) -> list[RiskAssessmentOut]:
    access = access_case(api_user(request), number, audit="plans.risk.read")
    rows = access.case.risk_assessments.select_related("created_by", "assessed_by")
    return [_assessment_out(access, a) for a in rows]


@router.post(
    "/cases/{number}/risk-assessments",
    response={201: RiskAssessmentOut},
    summary="Write a risk assessment, as a draft or finalised at once",
)
def create_risk_assessment(
    request: HttpRequest, number: str, payload: RiskAssessmentIn
) -> Status[RiskAssessmentOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = services.start_risk_assessment(
        access.case,
        ratings=_ratings(payload.ratings),
        by=user,
        finalise=payload.finalise,
        review_date=payload.review_date,
    )
    return Status(201, _assessment_out(access, assessment))


@router.put(
    "/cases/{number}/risk-assessments/{assessment_id}",
    response=RiskAssessmentOut,
    summary="Change a draft risk assessment (optimistic locking)",
)
def update_risk_assessment(
    request: HttpRequest,
    number: str,
    assessment_id: str,
    payload: RiskAssessmentUpdateIn,
) -> RiskAssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = services.update_risk_assessment(
        _by_id(access.case.risk_assessments, assessment_id),
        ratings=_ratings(payload.ratings),
        by=user,
        expected_version=payload.version,
    )
    return _assessment_out(access, assessment)


@router.post(
    "/cases/{number}/risk-assessments/{assessment_id}/finalise",
    response=RiskAssessmentOut,
    summary="Finalise a draft: it supersedes the current assessment",
)
def finalise_risk_assessment(
    request: HttpRequest, number: str, assessment_id: str, payload: VersionIn
) -> RiskAssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = services.finalise_risk_assessment(
        _by_id(access.case.risk_assessments, assessment_id),
        by=user,
        expected_version=payload.version,
        review_date=payload.review_date,
    )
    return _assessment_out(access, assessment)


@router.post(
    "/cases/{number}/risk-assessments/{assessment_id}/discard",
    response=RiskAssessmentOut,
    summary="Discard a draft (it stays on record)",
)
def discard_risk_assessment(
    request: HttpRequest, number: str, assessment_id: str, payload: VersionIn
) -> RiskAssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = services.discard_risk_assessment(
        _by_id(access.case.risk_assessments, assessment_id),
        by=user,
        expected_version=payload.version,
    )
    return _assessment_out(access, assessment)


# --- safety plan ----------------------------------------------------------------------------


class MeasureIn(Schema):
    action: str
    area: str
    responsible_organisation: int
    responsible_person: str | None = Field(None, description="A username")
    due_date: date | None = None
    status: str = SafetyMeasure.Status.PLANNED


class MeasureOut(Schema):
    id: str
    action: str | None
    area: str
    responsible_organisation: int
    responsible_person: str | None
    due_date: date | None
    status: str
    version: int


class SafetyPlanIn(Schema):
    version: int = Field(description="The current plan's version, 0 for the first plan")
    emergency_contacts: str
    safe_places: str = ""
    review_date: date | None = None
    measures: list[MeasureIn]


class SafetyPlanOut(Schema):
    id: str
    version: int
    risk_assessment: str
    emergency_contacts: str | None
    safe_places: str | None
    review_date: date
    created_by: str
    created_at: datetime
    superseded_at: datetime | None
    measures: list[MeasureOut]


class SafetyPlanHistoryOut(Schema):
    current: SafetyPlanOut | None
    earlier: list[SafetyPlanOut]


class MeasureStatusIn(Schema):
    status: str
    version: int


def _plan_out(access: CaseAccess, plan: SafetyPlan) -> SafetyPlanOut:
    text = access.sees_tier(Tier.NARRATIVE)
    return SafetyPlanOut(
        id=str(plan.pk),
        version=plan.version,
        risk_assessment=str(plan.risk_assessment_id),
        emergency_contacts=plan.emergency_contacts if text else None,
        safe_places=plan.safe_places if text else None,
        review_date=plan.review_date,
        created_by=plan.created_by.get_username(),
        created_at=plan.created_at,
        superseded_at=plan.superseded_at,
        measures=[_measure_out(access, m) for m in plan.measures.all()],
    )


def _measure_out(access: CaseAccess, m: SafetyMeasure) -> MeasureOut:
    return MeasureOut(
        id=str(m.pk),
        action=m.action if access.sees_tier(Tier.NARRATIVE) else None,
        area=m.area,
        responsible_organisation=m.responsible_organisation_id,
        responsible_person=_username(m.responsible_person),
        due_date=m.due_date,
        status=m.status,
        version=m.version,
    )


def _measure_details(n: int, m: MeasureIn) -> services.MeasureDetails:
    org = Organisation.objects.filter(pk=m.responsible_organisation).first()
    if org is None:
        raise ServiceError(
            _unknown("organisation"), field=f"measures.{n}.responsible_organisation"
        )
    person = None
    if m.responsible_person:
        person = User.objects.filter(username=m.responsible_person).first()
        if person is None:
            raise ServiceError(
                _unknown("person"), field=f"measures.{n}.responsible_person"
            )
    return services.MeasureDetails(
        action=m.action,
        area=m.area,
        responsible_organisation=org,
        responsible_person=person,
        due_date=m.due_date,
        status=m.status,
    )


def _unknown(what: str) -> str:
    return _("Unknown organisation.") if what == "organisation" else _("Unknown user.")


@router.get(
    "/cases/{number}/safety-plan",
    response=SafetyPlanHistoryOut,
    summary="The current safety plan and its earlier versions",
)
def get_safety_plan(request: HttpRequest, number: str) -> SafetyPlanHistoryOut:
    access = access_case(api_user(request), number, audit="plans.risk.read")
    plans = list(
        access.case.safety_plans.select_related("created_by").prefetch_related(
            "measures__responsible_person"
        )
    )
    outs = [_plan_out(access, p) for p in plans]
    current = outs[0] if plans and plans[0].is_current else None
    return SafetyPlanHistoryOut(
        current=current, earlier=[o for o in outs if o is not current]
    )


@router.put(
    "/cases/{number}/safety-plan",
    response=SafetyPlanOut,
    summary="Save the next version of the safety plan (optimistic locking on `version`)",
)
def put_safety_plan(
    request: HttpRequest, number: str, payload: SafetyPlanIn
) -> SafetyPlanOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    details = services.SafetyPlanDetails(
        emergency_contacts=payload.emergency_contacts,
        safe_places=payload.safe_places,
        review_date=payload.review_date,
        measures=[_measure_details(n, m) for n, m in enumerate(payload.measures)],
    )
    plan = services.save_safety_plan(
        access.case, details=details, by=user, expected_version=payload.version
    )
    return _plan_out(access, plan)


@router.post(
    "/cases/{number}/safety-plan/measures/{measure_id}/status",
    response=MeasureOut,
    summary="Move a measure of the current plan on (planned, in place, ended)",
)
def measure_status(
    request: HttpRequest, number: str, measure_id: str, payload: MeasureStatusIn
) -> MeasureOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    measure = _by_id(SafetyMeasure.objects.filter(plan__case=access.case), measure_id)
    changed = services.change_measure_status(
        measure, status=payload.status, by=user, expected_version=payload.version
    )
    return _measure_out(access, changed)


# --- support plan ---------------------------------------------------------------------------


class DeliveryOut(Schema):
    id: str
    delivered_on: date
    duration_minutes: int
    attendance: str
    delivered_by: str
    accommodations: list[str]
    notes: str | None


class ServiceOut(Schema):
    id: str
    service_type: str
    provider: int
    frequency: str
    planned_sessions: int | None
    delivered_sessions: int
    missed_sessions: int
    delivered_minutes: int
    start_date: date
    end_date: date | None
    status: str
    version: int
    warnings: list[str]
    deliveries: list[DeliveryOut]


class SupportPlanOut(Schema):
    id: str
    status: str
    goals: str | None
    planned_end_date: date | None
    created_by: str
    approved_by: str | None
    approved_at: datetime | None
    ended_at: datetime | None
    htcds_types: list[str]
    version: int
    services: list[ServiceOut]


class SupportPlanHistoryOut(Schema):
    plan: SupportPlanOut | None = Field(description="The open plan, else the latest")
    earlier: list[str] = Field(description="Ids of earlier plans")


class SupportPlanIn(Schema):
    goals: str
    planned_end_date: date | None = None


class SupportPlanUpdateIn(SupportPlanIn):
    version: int


class PlanStatusIn(Schema):
    status: str = Field(description="active (approve), completed or cancelled")
    version: int
    reason: str = ""


class ServiceIn(Schema):
    service_type: str
    provider: int
    frequency: str
    start_date: date
    end_date: date | None = None
    planned_sessions: int | None = None


class ServiceStatusIn(Schema):
    status: str
    version: int


class DeliveryIn(Schema):
    delivered_on: date
    duration_minutes: int
    attendance: str
    accommodations: list[str] = []
    notes: str = ""
    delivered_by: str | None = Field(
        None, description="A username; the caller if empty"
    )


def _delivery_out(
    access: CaseAccess, s: PlannedService, d: ServiceDelivery
) -> DeliveryOut:
    return DeliveryOut(
        id=str(d.pk),
        delivered_on=d.delivered_on,
        duration_minutes=d.duration_minutes,
        attendance=d.attendance,
        delivered_by=d.delivered_by.get_username(),
        accommodations=list(d.accommodations),
        notes=d.notes if access.sees_tier(s.notes_tier) else None,
    )


def _service_out(access: CaseAccess, s: PlannedService) -> ServiceOut:
    if not hasattr(s, "delivered_count"):
        s = (
            PlannedService.objects.with_deliveries()
            .select_related("provider")
            .get(pk=s.pk)
        )
    warn = access.can_write and s.status in PlannedService.OPEN
    deliveries = s.deliveries.select_related("delivered_by")
    return ServiceOut(
        id=str(s.pk),
        service_type=s.service_type,
        provider=s.provider_id,
        frequency=s.frequency,
        planned_sessions=s.planned_sessions,
        delivered_sessions=s.delivered_count,  # type: ignore[attr-defined]
        missed_sessions=s.missed_count,  # type: ignore[attr-defined]
        delivered_minutes=s.delivered_minutes or 0,  # type: ignore[attr-defined]
        start_date=s.start_date,
        end_date=s.end_date,
        status=s.status,
        version=s.version,
        warnings=services.provider_warnings(access.case, s.provider, s.service_type)
        if warn
        else [],
        deliveries=[_delivery_out(access, s, d) for d in deliveries],
    )


def _support_out(access: CaseAccess, plan: SupportPlan) -> SupportPlanOut:
    rows = plan.services.with_deliveries().select_related("provider")
    return SupportPlanOut(
        id=str(plan.pk),
        status=plan.status,
        goals=plan.goals if access.sees_tier(Tier.NARRATIVE) else None,
        planned_end_date=plan.planned_end_date,
        created_by=plan.created_by.get_username(),
        approved_by=_username(plan.approved_by),
        approved_at=plan.approved_at,
        ended_at=plan.ended_at,
        htcds_types=plan.htcds_types(),
        version=plan.version,
        services=[_service_out(access, s) for s in rows],
    )


def _open_plan(access: CaseAccess) -> SupportPlan:
    plan = access.case.support_plans.filter(status__in=SupportPlan.OPEN).first()
    if plan is None:
        raise ServiceError(_("The case has no open support plan."))
    return plan


@router.get(
    "/cases/{number}/support-plan",
    response=SupportPlanHistoryOut,
    summary="The support plan with its services and deliveries",
)
def get_support_plan(request: HttpRequest, number: str) -> SupportPlanHistoryOut:
    access = access_case(api_user(request), number, audit="plans.support.read")
    plans = list(access.case.support_plans.select_related("created_by", "approved_by"))
    return SupportPlanHistoryOut(
        plan=_support_out(access, plans[0]) if plans else None,
        earlier=[str(p.pk) for p in plans[1:]],
    )


@router.post(
    "/cases/{number}/support-plan",
    response={201: SupportPlanOut},
    summary="Draft a support plan (one open plan per case)",
)
def create_support_plan(
    request: HttpRequest, number: str, payload: SupportPlanIn
) -> Status[SupportPlanOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    plan = services.create_support_plan(
        access.case,
        goals=payload.goals,
        planned_end_date=payload.planned_end_date,
        by=user,
    )
    return Status(201, _support_out(access, plan))


@router.put(
    "/cases/{number}/support-plan",
    response=SupportPlanOut,
    summary="Change a draft plan's goals (optimistic locking)",
)
def update_support_plan(
    request: HttpRequest, number: str, payload: SupportPlanUpdateIn
) -> SupportPlanOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    plan = services.update_support_plan(
        _open_plan(access),
        goals=payload.goals,
        planned_end_date=payload.planned_end_date,
        by=user,
        expected_version=payload.version,
    )
    return _support_out(access, plan)


@router.post(
    "/cases/{number}/support-plan/status",
    response=SupportPlanOut,
    summary="Approve (active), complete or cancel the open plan",
)
def support_plan_status(
    request: HttpRequest, number: str, payload: PlanStatusIn
) -> SupportPlanOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    plan = services.change_support_plan_status(
        _open_plan(access),
        status=payload.status,
        reason=payload.reason,
        by=user,
        expected_version=payload.version,
    )
    return _support_out(access, plan)


@router.post(
    "/cases/{number}/support-plan/services",
    response={201: ServiceOut},
    summary="Plan a service; `warnings` says if the provider cannot record deliveries yet",
)
def add_service(
    request: HttpRequest, number: str, payload: ServiceIn
) -> Status[ServiceOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    provider = Organisation.objects.filter(pk=payload.provider).first()
    if provider is None:
        raise ServiceError(_unknown("organisation"), field="provider")
    service = services.add_planned_service(
        _open_plan(access),
        details=services.ServiceDetails(
            service_type=payload.service_type,
            provider=provider,
            frequency=payload.frequency,
            start_date=payload.start_date,
            end_date=payload.end_date,
            planned_sessions=payload.planned_sessions,
        ),
        by=user,
    )
    return Status(201, _service_out(access, service))


@router.post(
    "/cases/{number}/support-plan/services/{service_id}/status",
    response=ServiceOut,
    summary="Start, complete or cancel a planned service",
)
def service_status(
    request: HttpRequest, number: str, service_id: str, payload: ServiceStatusIn
) -> ServiceOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    service = _by_id(PlannedService.objects.filter(plan__case=access.case), service_id)
    changed = services.change_service_status(
        service, status=payload.status, by=user, expected_version=payload.version
    )
    return _service_out(access, changed)


@router.post(
    "/cases/{number}/support-plan/services/{service_id}/deliveries",
    response={201: DeliveryOut},
    summary="Record a delivery (the provider's staff on the case team)",
)
def add_delivery(
    request: HttpRequest, number: str, service_id: str, payload: DeliveryIn
) -> Status[DeliveryOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    service = _by_id(PlannedService.objects.filter(plan__case=access.case), service_id)
    delivered_by = None
    if payload.delivered_by:
        delivered_by = User.objects.filter(username=payload.delivered_by).first()
        if delivered_by is None:
            raise ServiceError(_unknown("person"), field="delivered_by")
    delivery = services.record_delivery(
        service,
        details=services.DeliveryDetails(
            delivered_on=payload.delivered_on,
            duration_minutes=payload.duration_minutes,
            attendance=payload.attendance,
            accommodations=payload.accommodations,
            notes=payload.notes,
            delivered_by=delivered_by,
        ),
        by=user,
    )
    return Status(201, _delivery_out(access, service, delivery))
