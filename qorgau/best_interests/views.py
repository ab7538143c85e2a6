"""The best-interests page of a case, and one POST view per step.

A step that fails shows the page again with what the user typed and the reason beside the
field, so a long assessment or determination is never lost to a typing slip or a stale edit.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.best_interests import services
from qorgau.best_interests.forms import (
    AppealForm,
    AssessmentForm,
    CancelForm,
    DecideAppealForm,
    DetermineForm,
    OptionForm,
    VersionForm,
)
from qorgau.best_interests.models import (
    FINDING_AREAS,
    BestInterestsAssessment,
    BestInterestsDetermination,
)
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.lib.http import AuthedRequest

Assessment = BestInterestsAssessment
DStatus = BestInterestsDetermination.Status
READ = "best_interests.read"


def best_interests_page(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, audit=READ)
    shown = _shown(access, request.GET.get("assessment"))
    return render(request, "best_interests/page.html", page_context(access, shown))


def _shown(access: CaseAccess, chosen: str | None) -> Assessment | None:
    """The assessment asked for, else the one in progress, else the latest one."""
    assessments = access.case.best_interests_assessments.all()
    if chosen:
        found = assessments.filter(pk=chosen).first() if _is_uuid(chosen) else None
        if found is None:
            raise Http404
        return found
    return (
        assessments.filter(status=Assessment.Status.IN_PROGRESS).first()
        or assessments.exclude(status=Assessment.Status.CANCELLED).first()
        or assessments.first()
    )


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def page_context(
    access: CaseAccess, shown: Assessment | None, **bound: forms.Form
) -> dict[str, Any]:
    """What the page shows, with the forms the user may use (`bound` replaces empty ones)."""
    case, user = access.case, access.user
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "assessments": list(
            case.best_interests_assessments.select_related(
                "started_by"
            ).prefetch_related("determinations")
        ),
        "shown": shown,
        "sees_narrative": access.max_tier >= 2,
        "in_force": services.determination_in_force(case),
    }
    writes = access.can_write and not case.is_closed
    determines = access.can_write and user.capability.determines_best_interests
    context["can_start"] = writes and not any(
        a.is_in_progress or a.awaits_determination() for a in context["assessments"]
    )
    if shown is None:
        return context
    options = list(shown.options.all())
    determinations = list(
        shown.determinations.select_related("option", "determined_by").prefetch_related(
            "panel"
        )
    )
    current = next((d for d in determinations if d.is_in_force), None)
    appeal = current.appeal_or_none() if current else None
    team = services.team_users(case)
    context |= {
        "options": options,
        "participants": list(shown.team_participants.order_by("username")),
        "findings": [
            (label, getattr(shown, name), tier <= access.max_tier)
            for name, label, tier in FINDING_AREAS
        ],
        "determination": current,
        "earlier_determinations": [d for d in determinations if not d.is_in_force],
        "appeal": appeal,
        "awaits_determination": shown.awaits_determination(),
    }
    if access.can_write and shown.is_in_progress:
        version = {"version": shown.version}
        context |= {
            "assessment_form": AssessmentForm(
                team=team, max_tier=access.max_tier, prefix="bia",
                initial=_assessment_initial(shown),
            ),
            "option_form": OptionForm(prefix="option", initial=version),
            "remove_form": VersionForm(prefix="remove", initial=version),
            "complete_form": VersionForm(prefix="complete", initial=version),
        }  # fmt: skip
    if access.can_write and (shown.is_in_progress or context["awaits_determination"]):
        context["cancel_form"] = CancelForm(
            prefix="cancel", initial={"version": shown.version}
        )
    if determines and context["awaits_determination"]:
        context["determine_form"] = DetermineForm(
            options=options,
            team=[u for u in team if u.pk != user.pk],
            prefix="determine",
        )
    if current is not None and access.can_write:
        if current.status == DStatus.DETERMINED:
            context["appeal_form"] = AppealForm(
                prefix="appeal", initial={"version": current.version}
            )
        involved = user.pk == current.determined_by_id or user in current.panel.all()
        if determines and current.status == DStatus.UNDER_APPEAL and not involved:
            context["decide_form"] = DecideAppealForm(
                options=options, prefix="decide", initial={"version": current.version}
            )
    return context | {key: form for key, form in bound.items()}


def _assessment_initial(a: Assessment) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "version": a.version,
        "team_participants": list(a.team_participants.values_list("pk", flat=True)),
        "maturity_considered": {True: "true", False: "false"}.get(
            a.maturity_considered  # type: ignore[arg-type]
        ),
    }
    for name in (
        "other_participants",
        "views_method",
        "views_not_obtained_reason",
        "accommodations",
        "views_language",
        "views_language_other",
        "child_views",
        "maturity_note",
        *(name for name, _label, _tier in FINDING_AREAS),
    ):
        initial[name] = getattr(a, name)
    return initial


# Steps ----------------------------------------------------------------------------------------


FormMaker = Callable[[Any], forms.Form]


def _step(
    request: AuthedRequest,
    access: CaseAccess,
    shown: Assessment,
    name: str,
    make: FormMaker,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validates, acts and goes back to the page; or shows the page again with the form kept."""
    form = make(request.POST)
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except StaleEdit as exc:
            messages.error(request, str(exc.message))
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(exc.current_version)
            form = make(data)
            form.is_valid()
        except ServiceError as exc:
            messages.error(request, str(exc.message))
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        else:
            messages.success(request, done)
            return redirect(page_url(access.case.number, shown))
    else:
        messages.error(
            request, _("Nothing was saved. Correct the fields marked below.")
        )
    # The page shows the case again beside the kept form: that is a read.
    access = access_case(request.user, access.case.number, audit=READ)
    shown = Assessment.objects.get(pk=shown.pk)
    return render(
        request, "best_interests/page.html", page_context(access, shown, **{name: form})
    )


def page_url(number: str, shown: Assessment) -> str:
    return reverse("best_interests:page", args=[number]) + f"?assessment={shown.pk}"


def _writable(
    request: AuthedRequest, number: str, assessment_id: Any
) -> tuple[CaseAccess, Assessment]:
    access = access_case(request.user, number, write=True, audit=None)
    shown = get_object_or_404(access.case.best_interests_assessments, pk=assessment_id)
    return access, shown


@require_POST
def assessment_start(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    try:
        started = services.start_assessment(access.case, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("best_interests:page", number)
    messages.success(request, _("The assessment was started."))
    return redirect(page_url(number, started))


@require_POST
def assessment_update(
    request: AuthedRequest, number: str, assessment_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    team = services.team_users(access.case)

    def make(data: Any) -> AssessmentForm:
        return AssessmentForm(data, team=team, max_tier=access.max_tier, prefix="bia")

    def act(data: dict[str, Any]) -> object:
        changes = {k: v for k, v in data.items() if k != "version"}
        changes["team_participants"] = list(changes["team_participants"])
        return services.update_assessment(
            shown, changes=changes, by=request.user, expected_version=data["version"]
        )

    return _step(
        request, access, shown, "assessment_form", make, act,
        _("The assessment was saved."),
    )  # fmt: skip


@require_POST
def option_add(request: AuthedRequest, number: str, assessment_id: Any) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    return _step(
        request, access, shown, "option_form",
        lambda data: OptionForm(data, prefix="option"),
        lambda data: services.add_option(
            shown, option=data["option"], arguments_for=data["arguments_for"],
            arguments_against=data["arguments_against"], by=request.user,
            expected_version=data["version"],
        ),
        _("The option was added."),
    )  # fmt: skip


@require_POST
def option_remove(
    request: AuthedRequest, number: str, assessment_id: Any, option_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    option = get_object_or_404(shown.options, pk=option_id)
    return _step(
        request, access, shown, "remove_form",
        lambda data: VersionForm(data, prefix="remove"),
        lambda data: services.remove_option(
            option, by=request.user, expected_version=data["version"]
        ),
        _("The option was removed."),
    )  # fmt: skip


@require_POST
def assessment_complete(
    request: AuthedRequest, number: str, assessment_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    return _step(
        request, access, shown, "complete_form",
        lambda data: VersionForm(data, prefix="complete"),
        lambda data: services.complete_assessment(
            shown, by=request.user, expected_version=data["version"]
        ),
        _("The assessment was completed. It now awaits the determination."),
    )  # fmt: skip


@require_POST
def assessment_cancel(
    request: AuthedRequest, number: str, assessment_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    return _step(
        request, access, shown, "cancel_form",
        lambda data: CancelForm(data, prefix="cancel"),
        lambda data: services.cancel_assessment(
            shown, reason=data["reason"], by=request.user,
            expected_version=data["version"],
        ),
        _("The assessment was cancelled."),
    )  # fmt: skip


@require_POST
def determine(request: AuthedRequest, number: str, assessment_id: Any) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    team = [u for u in services.team_users(access.case) if u.pk != request.user.pk]
    options = list(shown.options.all())

    def make(data: Any) -> DetermineForm:
        return DetermineForm(data, options=options, team=team, prefix="determine")

    def act(data: dict[str, Any]) -> object:
        decision = services.Determining(
            option=data["option"], reasons=data["reasons"], panel=list(data["panel"]),
            panel_others=data["panel_others"], determined_on=data["determined_on"],
            review_date=data["review_date"],
            explained_to_child=data["explained_to_child"],
            explanation_method=data["explanation_method"],
            explanation_note=data["explanation_note"],
        )  # fmt: skip
        return services.determine(shown, decision=decision, by=request.user)

    return _step(
        request, access, shown, "determine_form", make, act,
        _("The best interests were determined."),
    )  # fmt: skip


@require_POST
def appeal_lodge(
    request: AuthedRequest, number: str, assessment_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    return _step(
        request, access, shown, "appeal_form",
        lambda data: AppealForm(data, prefix="appeal"),
        lambda data: services.lodge_appeal(
            services.in_force_on(shown), lodged_by=data["lodged_by"], grounds=data["grounds"],
            lodged_by_detail=data["lodged_by_detail"], lodged_on=data["lodged_on"],
            by=request.user, expected_version=data["version"],
        ),
        _("The appeal was recorded."),
    )  # fmt: skip


@require_POST
def appeal_decide(
    request: AuthedRequest, number: str, assessment_id: Any
) -> HttpResponse:
    access, shown = _writable(request, number, assessment_id)
    options = list(shown.options.all())
    return _step(
        request, access, shown, "decide_form",
        lambda data: DecideAppealForm(data, options=options, prefix="decide"),
        lambda data: services.decide_appeal(
            services.in_force_on(shown), outcome=data["outcome"], reasons=data["reasons"],
            option=data["option"], by=request.user, expected_version=data["version"],
        ),
        _("The appeal was decided."),
    )  # fmt: skip
