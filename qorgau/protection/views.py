"""Decision and reflection-period steps from the case page: each one POST, then back to the case."""

from datetime import datetime, time
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qorgau.cases.access import access_case
from qorgau.cases.views.records import record_prefix
from qorgau.lib.http import AuthedRequest, run_form_step
from qorgau.protection import services
from qorgau.protection.forms import (
    ExtendReflectionForm,
    ReconsiderForm,
    RecordDecisionForm,
    RequestDecisionForm,
)

STALE = gettext_lazy(
    "Someone else recorded this decision after you opened the page. Nothing was changed."
)


def _run(request: AuthedRequest, form: Any, step: Any, done: str) -> None:
    run_form_step(request, form, step, done=done, stale=STALE)


@require_POST
def decision_request(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    _run(
        request,
        RequestDecisionForm(request.POST, prefix="request"),
        lambda data: services.request_decision(
            access.case, kind=data["kind"], by=request.user
        ),
        _("The decision was asked for."),
    )
    return redirect(access.case)


@require_POST
def decision_record(
    request: AuthedRequest, number: str, decision_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    decision = get_object_or_404(access.case.decisions, pk=decision_id)
    _run(
        request,
        RecordDecisionForm(request.POST, prefix=record_prefix(decision)),
        lambda data: services.record_decision(
            decision,
            outcome=data["outcome"],
            reasons=data["reasons"],
            by=request.user,
            expected_version=data["version"],
        ),
        _("The decision was recorded."),
    )
    return redirect(access.case)


@require_POST
def decision_reconsider(
    request: AuthedRequest, number: str, decision_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    decision = get_object_or_404(access.case.decisions, pk=decision_id)
    _run(
        request,
        ReconsiderForm(request.POST, prefix=record_prefix(decision)),
        lambda data: services.request_reconsideration(
            decision, reason=data["reason"], by=request.user
        ),
        _("Reconsideration was asked for."),
    )
    return redirect(access.case)


@require_POST
def reflection_extend(
    request: AuthedRequest, number: str, period_id: int
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    period = get_object_or_404(access.case.reflection_periods, pk=period_id)

    def extend(data: dict[str, Any]) -> object:
        until = datetime.combine(
            data["until"], time.max, tzinfo=timezone.get_current_timezone()
        )
        return services.extend_reflection(
            period, until=until, reason=data["reason"], by=request.user
        )

    _run(
        request,
        ExtendReflectionForm(request.POST, prefix="reflection"),
        extend,
        _("The period was extended."),
    )
    return redirect(access.case)
