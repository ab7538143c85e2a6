"""The case's age and guardianship page, and its steps: each a POST back to the page.

A step refused by its form or its service shows the page again with the form as it was sent and
the reason beside the field, so that nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.roles import Tier
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.guardianship import services
from qorgau.guardianship.forms import (
    AgeAssessmentForm,
    AppointForm,
    EndForm,
    RequestForm,
    WithdrawForm,
)
from qorgau.guardianship.models import GuardianAppointment
from qorgau.lib.http import AuthedRequest

PAGE_AUDIT = "guardianship.read"


def prefix(step: str, appointment: GuardianAppointment) -> str:
    """Form prefixes keep the ids of the page's many forms apart."""
    return f"{step}-{str(appointment.pk)[:8]}"


def case_page_context(access: CaseAccess) -> dict[str, Any]:
    """The section of the case page: presumption, unaccompanied warning, current appointments."""
    return {"guardianship": services.summary(access.case), "now": timezone.now()}


def page_context(
    access: CaseAccess, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The page, with blank forms for those who may use them (or the forms just sent)."""
    bound = bound or {}
    case = access.case
    records = access.can_write and services.may_record(access.user)
    appointments = list(
        case.guardian_appointments.select_related(
            "participant__person", "organisation", "appointing_authority"
        )
    )
    rows = []
    for a in appointments:
        forms: dict[str, Any] = {}
        if records and a.is_requested:
            forms["appoint"] = bound.get(prefix("appoint", a)) or AppointForm(
                case=case, prefix=prefix("appoint", a), initial={"version": a.version}
            )
            forms["withdraw"] = bound.get(prefix("withdraw", a)) or WithdrawForm(
                prefix=prefix("withdraw", a), initial={"version": a.version}
            )
        if records and a.is_active:
            forms["end"] = bound.get(prefix("end", a)) or EndForm(
                prefix=prefix("end", a), initial={"version": a.version}
            )
        rows.append((a, forms))
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "child": case.child,
        "guardianship": services.summary(case),
        "assessments": list(
            case.age_assessments.select_related("assessing_organisation", "recorded_by")
        ),
        "appointment_rows": rows,
        "records": records,
        "sees_narrative": access.sees_tier(Tier.NARRATIVE),
        "now": timezone.now(),
    }
    if access.can_write:
        context["request_form"] = bound.get("request") or RequestForm(prefix="request")
    if records:
        context["age_form"] = bound.get("age") or AgeAssessmentForm(
            case=case, prefix="age", initial={"assessed_on": timezone.localdate()}
        )
    return context


def guardianship_page(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, audit=PAGE_AUDIT)
    return render(request, "guardianship/page.html", page_context(access))


def _submit(
    request: AuthedRequest,
    access: CaseAccess,
    form: Any,
    step: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    page = reverse("guardianship:page", args=[access.case.number])
    if form.is_valid():
        try:
            step(form.cleaned_data)
        except StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else changed this appointment after you opened the page. Nothing was saved: here is its current state."
                ),
            )
            return redirect(page)
        except ServiceError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc.message))
        else:
            messages.success(request, done)
            return redirect(page)
    # Showing the page again is a read of the case.
    access = access_case(request.user, access.case.number, audit=PAGE_AUDIT)
    context = page_context(access, {form.prefix: form})
    return render(request, "guardianship/page.html", context)


@require_POST
def age_assessment_add(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = AgeAssessmentForm(request.POST, case=access.case, prefix="age")
    return _submit(
        request,
        access,
        form,
        lambda data: services.record_age_assessment(
            access.case, by=request.user, **data
        ),
        _("The age assessment was recorded."),
    )


@require_POST
def appointment_request(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    return _submit(
        request,
        access,
        RequestForm(request.POST, prefix="request"),
        lambda data: services.request_appointment(
            access.case, kind=data["kind"], notes=data["notes"], by=request.user
        ),
        _("The appointment was asked for."),
    )


def _appointment(access: CaseAccess, appointment_id: Any) -> GuardianAppointment:
    return get_object_or_404(access.case.guardian_appointments, pk=appointment_id)


@require_POST
def appointment_appoint(
    request: AuthedRequest, number: str, appointment_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    appointment = _appointment(access, appointment_id)
    form = AppointForm(
        request.POST, case=access.case, prefix=prefix("appoint", appointment)
    )
    return _submit(
        request,
        access,
        form,
        lambda data: services.appoint(
            appointment,
            participant=data["participant"],
            organisation=data["organisation"],
            appointing_authority=data["appointing_authority"],
            legal_act_reference=data["legal_act_reference"],
            legal_act_date=data["legal_act_date"],
            by=request.user,
            expected_version=data["version"],
        ),
        _("The appointment was recorded."),
    )


@require_POST
def appointment_end(
    request: AuthedRequest, number: str, appointment_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    appointment = _appointment(access, appointment_id)
    return _submit(
        request,
        access,
        EndForm(request.POST, prefix=prefix("end", appointment)),
        lambda data: services.end_appointment(
            appointment,
            reason=data["reason"],
            note=data["note"],
            by=request.user,
            expected_version=data["version"],
        ),
        _("The appointment was ended."),
    )


@require_POST
def appointment_withdraw(
    request: AuthedRequest, number: str, appointment_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    appointment = _appointment(access, appointment_id)
    return _submit(
        request,
        access,
        WithdrawForm(request.POST, prefix=prefix("withdraw", appointment)),
        lambda data: services.withdraw_request(
            appointment,
            reason=data["reason"],
            by=request.user,
            expected_version=data["version"],
        ),
        _("The request was withdrawn."),
    )
