"""Support plans, their planned services and the deliveries providers record.

Approval: a plan becomes active only when a supervisor of the case's lead organisation, other
than the person who drafted it, approves it. The plan commits the lead organisation to
co-ordinating services (and often other agencies' places and staff), which is the kind of
decision domain.md §1.2 gives supervisors ("approvals"), as Primero's approval flow does; a
second person reading the plan before it binds anyone is the point, so drafting and approving
are never the same person, and any team member with write access would not be a second look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Role, Tier
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseMember
from qorgau.plans import rules
from qorgau.plans.models import (
    OFFERED_AS,
    Accommodation,
    PlannedService,
    ServiceDelivery,
    ServiceType,
    SupportPlan,
)
from qorgau.plans.services.common import audit, check_version, require_writer, timeline

PlanStatus = SupportPlan.Status
ServiceStatus = PlannedService.Status
Attendance = ServiceDelivery.Attendance
MAX_SESSION_MINUTES = 12 * 60


def may_approve(user: User, plan: SupportPlan) -> bool:
    """A supervisor of the lead organisation who did not draft the plan."""
    return (
        user.has_role(Role.SUPERVISOR)
        and user.organisation_id == plan.case.lead_organisation_id
        and user.pk != plan.created_by_id
    )


def _lock_plan(plan: SupportPlan, expected_version: int | None) -> SupportPlan:
    current: SupportPlan = (
        SupportPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    )
    check_version(current.version, expected_version)
    return current


def _check_goals(goals: str, planned_end_date: date | None) -> None:
    if not goals.strip():
        raise ServiceError(_("Write the goals of the plan."), field="goals")
    if planned_end_date is not None and planned_end_date < timezone.localdate():
        raise ServiceError(
            _("The planned end cannot be in the past."), field="planned_end_date"
        )


def _event(plan: SupportPlan, step: str, by: User | None, **params: Any) -> None:
    timeline(plan.case_id, step, by, **params)
    audit(
        f"support_plan.{step.removeprefix('support_plan_')}",
        by=by,
        object_type="support_plan",
        object_id=plan.pk,
        case_id=plan.case_id,
        **params,
    )


@transaction.atomic
def create_support_plan(
    case: Case, *, goals: str, by: User, planned_end_date: date | None = None
) -> SupportPlan:
    """Drafts the case's support plan; a case has one open (draft or active) plan at a time."""
    require_writer(by, case, tier=Tier.NARRATIVE)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if case.support_plans.filter(status__in=SupportPlan.OPEN).exists():
        raise ServiceError(
            _("The case already has an open support plan: complete or cancel it first.")
        )
    _check_goals(goals, planned_end_date)
    now = timezone.now()
    plan = SupportPlan.objects.create(
        case=case,
        goals=goals.strip(),
        planned_end_date=planned_end_date,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    _event(plan, "support_plan_created", by)
    return plan


@transaction.atomic
def update_support_plan(
    plan: SupportPlan,
    *,
    goals: str,
    planned_end_date: date | None,
    by: User,
    expected_version: int | None,
) -> SupportPlan:
    """Changes a draft's goals; an approved plan's goals are what was approved."""
    current = _lock_plan(plan, expected_version)
    require_writer(by, current.case, tier=Tier.NARRATIVE)
    if current.status != PlanStatus.DRAFT:
        raise ServiceError(
            _("Only a draft plan's goals change: cancel this plan and draft a new one.")
        )
    _check_goals(goals, planned_end_date)
    current.goals = goals.strip()
    current.planned_end_date = planned_end_date
    current.updated_at = timezone.now()
    current.version += 1
    current.save()
    _event(current, "support_plan_changed", by)
    return current


def _check_move(plan: SupportPlan, status: str) -> None:
    if status not in SupportPlan.NEXT[plan.status]:
        raise ServiceError(
            _("A plan that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": plan.get_status_display(),
                "new": PlanStatus(status).label
                if status in PlanStatus.values
                else status,
            },
            field="status",
        )


@transaction.atomic
def approve_support_plan(
    plan: SupportPlan, *, by: User, expected_version: int | None = None
) -> SupportPlan:
    current = _lock_plan(plan, expected_version)
    require_write(by, current.case)
    _check_move(current, PlanStatus.ACTIVE)
    if not (
        by.has_role(Role.SUPERVISOR)
        and by.organisation_id == current.case.lead_organisation_id
    ):
        raise ServiceError(
            _("A support plan is approved by a supervisor of the lead organisation.")
        )
    if by.pk == current.created_by_id:
        raise ServiceError(
            _("A plan is approved by someone other than the person who drafted it.")
        )
    if not current.services.exclude(status=ServiceStatus.CANCELLED).exists():
        raise ServiceError(_("Plan at least one service before approval."))
    now = timezone.now()
    current.status = PlanStatus.ACTIVE
    current.approved_by, current.approved_at = by, now
    current.updated_at = now
    current.version += 1
    current.save()
    _event(current, "support_plan_approved", by)
    return current


@transaction.atomic
def complete_support_plan(
    plan: SupportPlan, *, by: User, expected_version: int | None = None
) -> SupportPlan:
    current = _lock_plan(plan, expected_version)
    require_write(by, current.case)
    _check_move(current, PlanStatus.COMPLETED)
    if current.services.filter(status__in=PlannedService.OPEN).exists():
        raise ServiceError(
            _("Complete or cancel the services still planned or active first.")
        )
    _end(current, PlanStatus.COMPLETED, by)
    _event(current, "support_plan_completed", by)
    return current


@transaction.atomic
def cancel_support_plan(
    plan: SupportPlan, *, reason: str, by: User, expected_version: int | None = None
) -> SupportPlan:
    """Cancels a plan and the services still planned or active under it."""
    current = _lock_plan(plan, expected_version)
    require_writer(by, current.case, tier=Tier.NARRATIVE)
    _check_move(current, PlanStatus.CANCELLED)
    if not reason.strip():
        raise ServiceError(
            _("Give the reason for cancelling the plan."), field="reason"
        )
    now = timezone.now()
    open_services = current.services.filter(status__in=PlannedService.OPEN)
    cancelled = [str(pk) for pk in open_services.values_list("pk", flat=True)]
    open_services.update(status=ServiceStatus.CANCELLED, status_changed_at=now)
    current.end_reason = reason.strip()
    _end(current, PlanStatus.CANCELLED, by)
    _event(current, "support_plan_cancelled", by, services=len(cancelled))
    return current


def _end(plan: SupportPlan, status: str, by: User) -> None:
    now = timezone.now()
    plan.status = status
    plan.ended_at, plan.ended_by = now, by
    plan.updated_at = now
    plan.version += 1
    plan.save()


def change_support_plan_status(
    plan: SupportPlan,
    *,
    status: str,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
) -> SupportPlan:
    """One entry for the plan's status actions (approve, complete, cancel)."""
    if status == PlanStatus.ACTIVE:
        return approve_support_plan(plan, by=by, expected_version=expected_version)
    if status == PlanStatus.COMPLETED:
        return complete_support_plan(plan, by=by, expected_version=expected_version)
    if status == PlanStatus.CANCELLED:
        return cancel_support_plan(
            plan, reason=reason, by=by, expected_version=expected_version
        )
    _check_move(SupportPlan.objects.get(pk=plan.pk), status)  # no way back to a draft
    raise ServiceError(_("Unknown status."), field="status")


# --- planned services -----------------------------------------------------------------------


@dataclass
class ServiceDetails:
    service_type: str
    provider: Organisation
    frequency: str
    start_date: date
    end_date: date | None = None
    planned_sessions: int | None = None


def _check_service(details: ServiceDetails) -> None:
    if details.service_type not in ServiceType.values:
        raise ServiceError(_("Choose the service."), field="service_type")
    if details.frequency not in PlannedService.Frequency.values:
        raise ServiceError(_("Choose how often."), field="frequency")
    provider = details.provider
    if not (provider.is_service_provider and provider.is_active):
        raise ServiceError(
            _("Services are provided by an active service-provider organisation."),
            field="provider",
        )
    if details.end_date is not None and details.end_date < details.start_date:
        raise ServiceError(_("The end comes before the start."), field="end_date")
    if details.planned_sessions is not None and details.planned_sessions < 1:
        raise ServiceError(
            _("Plan at least one session, or leave it empty."),
            field="planned_sessions",
        )


@transaction.atomic
def add_planned_service(
    plan: SupportPlan, *, details: ServiceDetails, by: User
) -> PlannedService:
    """Plans a service under a draft or active plan; how many sessions it plans follows from
    its frequency and dates unless given. See `provider_warnings` for what to tell the user."""
    current = _lock_plan(plan, None)
    require_write(by, current.case)
    if not current.is_open:
        raise ServiceError(_("Services are added to a draft or active plan."))
    _check_service(details)
    sessions = details.planned_sessions or rules.planned_sessions(
        details.frequency, details.start_date, details.end_date
    )
    service = PlannedService.objects.create(
        plan=current,
        service_type=details.service_type,
        provider=details.provider,
        frequency=details.frequency,
        planned_sessions=sessions,
        start_date=details.start_date,
        end_date=details.end_date,
        created_by=by,
    )
    timeline(
        current.case_id,
        "service_added",
        by,
        service=service.service_type,
        provider=service.provider_id,
    )
    audit(
        "support_service.add",
        by=by,
        object_type="planned_service",
        object_id=service.pk,
        case_id=current.case_id,
        service=service.service_type,
        provider=service.provider_id,
    )
    return service


def provider_warnings(
    case: Case, provider: Organisation, service_type: str
) -> list[str]:
    """What is odd about giving this service to this provider, to show beside the service.

    A provider records deliveries only through staff on the case team, which it joins by
    accepting a referral; one neither on the team nor referred to cannot do that yet.
    """
    warnings = []
    on_team = (
        CaseMember.objects.active()
        .filter(case=case, user__organisation=provider)
        .exclude(role=CaseMember.Role.OBSERVER)
        .exists()
    )
    referred = (
        case.referrals.filter(to_organisation=provider)
        .exclude(status__in=["draft", "declined", "withdrawn", "redirected"])
        .exists()
    )
    if not (on_team or referred):
        warnings.append(
            _(
                "%(org)s is neither on the case team nor referred to: refer the case to "
                "them so that their staff can record what they deliver."
            )
            % {"org": provider.name}
        )
    offered = OFFERED_AS.get(service_type)
    if offered and provider.services and offered not in provider.services:
        warnings.append(
            _("%(org)s does not list this service among those it offers.")
            % {"org": provider.name}
        )
    return [str(w) for w in warnings]


def _lock_service(
    service: PlannedService, expected_version: int | None
) -> PlannedService:
    current: PlannedService = (
        PlannedService.objects.select_for_update()
        .select_related("plan__case", "provider")
        .get(pk=service.pk)
    )
    check_version(current.version, expected_version)
    return current


def _move_service(service: PlannedService, status: str, by: User | None) -> None:
    service.status = status
    service.status_changed_at = timezone.now()
    service.version += 1
    service.save(update_fields=["status", "status_changed_at", "version"])
    timeline(
        service.plan.case_id,
        "service_status",
        by,
        service=service.service_type,
        status=status,
    )
    audit(
        "support_service.status",
        by=by,
        object_type="planned_service",
        object_id=service.pk,
        case_id=service.plan.case_id,
        status=status,
    )


@transaction.atomic
def change_service_status(
    service: PlannedService,
    *,
    status: str,
    by: User,
    expected_version: int | None = None,
) -> PlannedService:
    """planned → active → completed; planned or active → cancelled. A service starts and
    completes only under an active (approved) plan."""
    current = _lock_service(service, expected_version)
    require_write(by, current.plan.case)
    if status not in PlannedService.NEXT[current.status]:
        raise ServiceError(
            _("A service that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": current.get_status_display(),
                "new": ServiceStatus(status).label
                if status in ServiceStatus.values
                else status,
            },
            field="status",
        )
    if (
        status in (ServiceStatus.ACTIVE, ServiceStatus.COMPLETED)
        and current.plan.status != PlanStatus.ACTIVE
    ):
        raise ServiceError(_("Services start once the support plan is approved."))
    _move_service(current, status, by)
    return current


# --- deliveries -----------------------------------------------------------------------------


@dataclass
class DeliveryDetails:
    delivered_on: date
    duration_minutes: int
    attendance: str
    accommodations: list[str]
    notes: str = ""
    delivered_by: User | None = None


def is_provider_staff(user: User, service: PlannedService) -> bool:
    """On the case team for the organisation that provides the service."""
    return (
        user.organisation_id == service.provider_id
        and CaseMember.objects.active()
        .filter(case_id=service.plan.case_id, user=user)
        .exclude(role=CaseMember.Role.OBSERVER)
        .exists()
    )


def _check_delivery(service: PlannedService, details: DeliveryDetails) -> None:
    today = timezone.localdate()
    if details.delivered_on > today:
        raise ServiceError(
            _("A delivery is recorded once it has happened."), field="delivered_on"
        )
    if details.delivered_on < service.start_date or (
        service.end_date is not None and details.delivered_on > service.end_date
    ):
        raise ServiceError(
            _("The date is outside the service's planned period."),
            field="delivered_on",
        )
    if details.attendance not in Attendance.values:
        raise ServiceError(_("Say whether the child attended."), field="attendance")
    shortest = 0 if details.attendance == Attendance.DID_NOT_ATTEND else 1
    if not shortest <= details.duration_minutes <= MAX_SESSION_MINUTES:
        raise ServiceError(
            _("Give the duration in minutes (up to 720)."), field="duration_minutes"
        )
    if not set(details.accommodations) <= set(Accommodation.values):
        raise ServiceError(_("Unknown accommodation."), field="accommodations")
    person = details.delivered_by
    if person is not None and (
        not person.is_active or person.organisation_id != service.provider_id
    ):
        raise ServiceError(
            _("The service is delivered by someone of the provider."),
            field="delivered_by",
        )


@transaction.atomic
def record_delivery(
    service: PlannedService, *, details: DeliveryDetails, by: User
) -> ServiceDelivery:
    """Records one session by the provider's staff on the case team; the first one starts a
    planned service. Notes are health details for medical, psychological and disability
    services, so their writer's access must reach that tier."""
    current = _lock_service(service, None)
    access = require_write(by, current.plan.case)
    if not is_provider_staff(by, current):
        raise ServiceError(
            _("Deliveries are recorded by the provider's staff on the case team.")
        )
    if current.plan.status != PlanStatus.ACTIVE:
        raise ServiceError(_("Deliveries are recorded under an active support plan."))
    if current.status not in PlannedService.OPEN:
        raise ServiceError(_("This service has ended."))
    _check_delivery(current, details)
    if details.notes.strip() and not access.sees_tier(current.notes_tier):
        raise ServiceError(
            _("You cannot write notes at this sensitivity level."), field="notes"
        )
    if current.status == ServiceStatus.PLANNED:
        _move_service(current, ServiceStatus.ACTIVE, by)
    delivery = ServiceDelivery.objects.create(
        service=current,
        delivered_on=details.delivered_on,
        duration_minutes=details.duration_minutes,
        delivered_by=details.delivered_by or by,
        attendance=details.attendance,
        accommodations=sorted(set(details.accommodations)),
        notes=details.notes.strip(),
        recorded_by=by,
    )
    case_id = current.plan.case_id
    timeline(
        case_id,
        "delivery_recorded",
        by,
        service=current.service_type,
        attendance=delivery.attendance,
    )
    audit(
        "support_delivery.record",
        by=by,
        object_type="service_delivery",
        object_id=delivery.pk,
        case_id=case_id,
        tier=current.notes_tier if delivery.notes else None,
    )
    return delivery
