"""The support page: the plan, its services with delivered against planned, and the deliveries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qorgau.agencies.roles import Tier
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError
from qorgau.lib.http import AuthedRequest, run_form_step
from qorgau.plans import services
from qorgau.plans.forms import (
    DeliveryForm,
    PlanStatusForm,
    ServiceForm,
    ServiceStatusForm,
    SupportPlanForm,
)
from qorgau.plans.models import PlannedService, ServiceDelivery, SupportPlan

SERVICE_ACTIONS: dict[str, Any] = {  # the button that moves a service to each status
    PlannedService.Status.ACTIVE: gettext_lazy("Start"),
    PlannedService.Status.COMPLETED: gettext_lazy("Complete"),
    PlannedService.Status.CANCELLED: gettext_lazy("Cancel"),
}


@dataclass
class ServiceRow:
    service: PlannedService
    deliveries: list[ServiceDelivery]
    sees_notes: bool
    next_statuses: list[tuple[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delivery_form: DeliveryForm | None = None

    @property
    def progress(self) -> int | None:
        planned = self.service.planned_sessions
        delivered = getattr(self.service, "delivered_count", 0)
        if not planned:
            return None
        return min(100, round(100 * delivered / planned))


def delivery_prefix(service: PlannedService) -> str:
    return f"delivery-{str(service.pk)[:8]}"


def _rows(access: CaseAccess, plan: SupportPlan) -> list[ServiceRow]:
    services_ = list(plan.services.with_deliveries().select_related("provider"))
    by_service: dict[Any, list[ServiceDelivery]] = {s.pk: [] for s in services_}
    for delivery in ServiceDelivery.objects.filter(service__plan=plan).select_related(
        "delivered_by"
    ):
        by_service[delivery.service_id].append(delivery)
    rows = []
    for service in services_:
        row = ServiceRow(
            service, by_service[service.pk], access.sees_tier(service.notes_tier)
        )
        open_ = service.status in PlannedService.OPEN
        if access.can_write and open_:
            row.warnings = services.provider_warnings(
                access.case, service.provider, service.service_type
            )
            row.next_statuses = [
                (s, SERVICE_ACTIONS[s])
                for s in PlannedService.NEXT[service.status]
                if plan.status == SupportPlan.Status.ACTIVE
                or s == PlannedService.Status.CANCELLED
            ]
        if (
            access.can_write
            and open_
            and plan.status == SupportPlan.Status.ACTIVE
            and services.is_provider_staff(access.user, service)
        ):
            row.delivery_form = DeliveryForm(
                service=service,
                max_tier=access.max_tier,
                prefix=delivery_prefix(service),
            )
        rows.append(row)
    return rows


def support_page(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, audit="plans.support.read")
    case = access.case
    plans = list(
        case.support_plans.select_related("created_by", "approved_by", "ended_by")
    )
    plan = plans[0] if plans else None
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "plan": plan,
        "earlier": plans[1:],
        "rows": _rows(access, plan) if plan else [],
        "sees_goals": access.sees_tier(Tier.NARRATIVE),
        "child_needs": case.child.communication_need_labels(),
    }
    if access.can_write:
        context |= _writer_forms(access, plan)
    return render(request, "plans/support.html", context)


def _writer_forms(access: CaseAccess, plan: SupportPlan | None) -> dict[str, Any]:
    case = access.case
    if plan is None or not plan.is_open:
        return {"create_form": SupportPlanForm(prefix="plan")}
    forms: dict[str, Any] = {
        "service_form": ServiceForm(case=case, prefix="service"),
        "may_approve": plan.status == SupportPlan.Status.DRAFT
        and services.may_approve(access.user, plan),
    }
    if plan.status == SupportPlan.Status.DRAFT:
        forms["edit_form"] = SupportPlanForm(
            prefix="plan",
            initial={
                "goals": plan.goals,
                "planned_end_date": plan.planned_end_date,
                "version": plan.version,
            },
        )
    return forms


def _back(case_number: str) -> HttpResponse:
    return redirect("plans:support", number=case_number)


STALE = gettext_lazy(
    "Someone else changed this after you opened the page. Nothing was changed: "
    "here is the current state."
)


def _run(request: AuthedRequest, form: Any, step: Callable[[], Any], done: str) -> None:
    run_form_step(request, form, lambda _data: step(), done=done, stale=STALE)


def _open_plan(access: CaseAccess) -> SupportPlan:
    plan = access.case.support_plans.filter(status__in=SupportPlan.OPEN).first()
    if plan is None:
        raise ServiceError(_("The case has no open support plan."))
    return plan


@require_POST
def support_plan_create(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = SupportPlanForm(request.POST, prefix="plan")
    _run(
        request,
        form,
        lambda: services.create_support_plan(
            access.case,
            goals=form.cleaned_data["goals"],
            planned_end_date=form.cleaned_data["planned_end_date"],
            by=request.user,
        ),
        _("The support plan was drafted."),
    )
    return _back(access.case.number)


@require_POST
def support_plan_edit(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = SupportPlanForm(request.POST, prefix="plan")
    _run(
        request,
        form,
        lambda: services.update_support_plan(
            _open_plan(access),
            goals=form.cleaned_data["goals"],
            planned_end_date=form.cleaned_data["planned_end_date"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        ),
        _("The goals were saved."),
    )
    return _back(access.case.number)


PLAN_DONE = {  # lazy: read in each user's language
    SupportPlan.Status.ACTIVE: gettext_lazy(
        "The support plan was approved and is active."
    ),
    SupportPlan.Status.COMPLETED: gettext_lazy("The support plan was completed."),
    SupportPlan.Status.CANCELLED: gettext_lazy("The support plan was cancelled."),
}


@require_POST
def support_plan_status(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = PlanStatusForm(request.POST, prefix="status")
    status = form.data.get(form.add_prefix("status"), "")
    _run(
        request,
        form,
        lambda: services.change_support_plan_status(
            _open_plan(access),
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        ),
        str(PLAN_DONE.get(status, "")),
    )
    return _back(access.case.number)


@require_POST
def service_add(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = ServiceForm(request.POST, case=access.case, prefix="service")

    def add() -> None:
        service = services.add_planned_service(
            _open_plan(access), details=form.details(), by=request.user
        )
        for warning in services.provider_warnings(
            access.case, service.provider, service.service_type
        ):
            messages.warning(request, warning)

    _run(request, form, add, _("The service was added to the plan."))
    return _back(access.case.number)


@require_POST
def service_status(
    request: AuthedRequest, number: str, service_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    service = get_object_or_404(
        PlannedService.objects.filter(plan__case=access.case), pk=service_id
    )
    form = ServiceStatusForm(request.POST)
    _run(
        request,
        form,
        lambda: services.change_service_status(
            service,
            status=form.cleaned_data["status"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        ),
        _("The service was updated."),
    )
    return _back(access.case.number)


@require_POST
def delivery_add(request: AuthedRequest, number: str, service_id: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    service = get_object_or_404(
        PlannedService.objects.filter(plan__case=access.case), pk=service_id
    )
    form = DeliveryForm(
        request.POST,
        service=service,
        max_tier=access.max_tier,
        prefix=delivery_prefix(service),
    )
    _run(
        request,
        form,
        lambda: services.record_delivery(
            service, details=form.details(), by=request.user
        ),
        _("The delivery was recorded."),
    )
    return _back(access.case.number)
