"""The risk page: assessments (newest first) and the safety plan, with the forms a writer may use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.roles import Tier
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.lib.http import AuthedRequest, form_errors_text
from qorgau.plans import services
from qorgau.plans.forms import (
    MeasureStatusForm,
    RiskAssessmentForm,
    safety_plan_details,
    safety_plan_forms,
)
from qorgau.plans.models import (
    AREA_TIER,
    Area,
    Level,
    RiskAssessment,
    SafetyMeasure,
)


def _read(request: AuthedRequest, number: str, *, write: bool = False) -> CaseAccess:
    """The case for a risk page: a read is audited, a write leaves its own event."""
    reading = request.method == "GET"
    return access_case(
        request.user, number, write=write, audit="plans.risk.read" if reading else None
    )


def assessment_rows(
    access: CaseAccess, assessment: RiskAssessment
) -> list[tuple[Any, str, Any, str | None]]:
    """(area, level code, level label, factors or None when above the reader's tier)."""
    rows = []
    for area in Area.values:
        level = assessment.level_of(area)
        shown = access.sees_tier(AREA_TIER[area])
        factors = assessment.factors_of(area) if shown else None
        rows.append((Area(area).label, level, Level(level).label, factors))
    return rows


def risk_page(request: AuthedRequest, number: str) -> HttpResponse:
    access = _read(request, number)
    case = access.case
    assessments = list(
        case.risk_assessments.select_related("assessed_by", "created_by")
    )
    measures = Prefetch(
        "measures",
        queryset=SafetyMeasure.objects.select_related(
            "responsible_organisation", "responsible_person"
        ),
    )
    plans = list(
        case.safety_plans.select_related(
            "created_by", "risk_assessment"
        ).prefetch_related(measures)
    )
    current_plan = plans[0] if plans and plans[0].is_current else None
    current = next((a for a in assessments if a.is_current), None)
    context = {
        "access": access,
        "case": case,
        "assessments": [(a, assessment_rows(access, a)) for a in assessments],
        "current": current,
        "draft": next((a for a in assessments if a.is_draft), None),
        "plan": current_plan,
        "earlier_plans": [p for p in plans if not p.is_current],
        "plan_outdated": current_plan is not None
        and current is not None
        and current_plan.risk_assessment_id != current.pk,
        "sees_plan_text": access.sees_tier(Tier.NARRATIVE),
        "assessor": access.can_write and access.max_tier >= Tier.HEALTH,
        "today": timezone.localdate(),
    }
    return render(request, "plans/risk.html", context)


def _set_version(form: Any, version: int) -> None:
    """Lets the user save again over what made their edit stale (their text stays)."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


def _field(form: Any, name: str | None) -> str | None:
    return name if name in form.fields else None


def assessment_create(request: AuthedRequest, number: str) -> HttpResponse:
    access = _read(request, number, write=True)
    case = access.case
    draft = case.risk_assessments.filter(status=RiskAssessment.Status.DRAFT).first()
    if draft is not None:
        messages.info(request, _("A draft assessment is open: continue it here."))
        return redirect(
            "plans:assessment_edit", number=case.number, assessment_id=draft.pk
        )
    form = RiskAssessmentForm(request.POST or None, max_tier=access.max_tier)
    if request.method == "POST" and form.is_valid():
        finalise = "finalise" in request.POST
        try:
            services.start_risk_assessment(
                case,
                ratings=form.ratings(),
                by=request.user,
                finalise=finalise,
                review_date=form.cleaned_data["review_date"],
            )
        except ServiceError as exc:
            form.add_error(_field(form, exc.field), str(exc.message))
        else:
            messages.success(
                request,
                _("The risk assessment was finalised.")
                if finalise
                else _("The draft was saved."),
            )
            return redirect("plans:risk", number=case.number)
    return _assessment_form(request, access, form, None)


def assessment_edit(
    request: AuthedRequest, number: str, assessment_id: str
) -> HttpResponse:
    access = _read(request, number, write=True)
    case = access.case
    assessment = get_object_or_404(case.risk_assessments, pk=assessment_id)
    if not assessment.is_draft:
        messages.info(
            request, _("This assessment is no longer a draft: write a new one.")
        )
        return redirect("plans:risk", number=case.number)
    initial = RiskAssessmentForm.initial_from(assessment, access.max_tier)
    form = RiskAssessmentForm(
        request.POST or None, initial=initial, max_tier=access.max_tier
    )
    if request.method == "POST" and form.is_valid():
        done = _save_draft(request, assessment, form)
        if done:
            return redirect("plans:risk", number=case.number)
    return _assessment_form(request, access, form, assessment)


def _save_draft(
    request: AuthedRequest, assessment: RiskAssessment, form: RiskAssessmentForm
) -> bool:
    try:
        saved = services.update_risk_assessment(
            assessment,
            ratings=form.ratings(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as exc:
        form.add_error(
            None,
            _(
                "Someone else saved this draft after you opened it. Nothing was saved: "
                "your text is kept below. Compare it with theirs on the risk page, then "
                "save again."
            ),
        )
        _set_version(form, exc.current_version)
        return False
    except ServiceError as exc:
        form.add_error(_field(form, exc.field), str(exc.message))
        return False
    if "finalise" not in request.POST:
        messages.success(request, _("The draft was saved."))
        return True
    try:
        services.finalise_risk_assessment(
            saved, by=request.user, review_date=form.cleaned_data["review_date"]
        )
    except ServiceError as exc:
        form.add_error(
            _field(form, exc.field),
            _("The draft was saved but not finalised: %(reason)s")
            % {"reason": exc.message},
        )
        _set_version(form, saved.version)
        return False
    messages.success(request, _("The risk assessment was finalised."))
    return True


def _assessment_form(
    request: AuthedRequest,
    access: CaseAccess,
    form: RiskAssessmentForm,
    assessment: RiskAssessment | None,
) -> HttpResponse:
    context = {
        "access": access,
        "case": access.case,
        "form": form,
        "assessment": assessment,
        "assessor": access.max_tier >= Tier.HEALTH,
    }
    return render(request, "plans/assessment_form.html", context)


@require_POST
def assessment_discard(
    request: AuthedRequest, number: str, assessment_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    assessment = get_object_or_404(access.case.risk_assessments, pk=assessment_id)
    try:
        services.discard_risk_assessment(assessment, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The draft was discarded."))
    return redirect("plans:risk", number=access.case.number)


def safety_plan_edit(request: AuthedRequest, number: str) -> HttpResponse:
    """Writes the next version of the safety plan, starting from the current one."""
    access = _read(request, number, write=True)
    case = access.case
    current = case.safety_plans.current().prefetch_related("measures").first()
    form, formset = safety_plan_forms(case, current, request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_safety_plan(
                case,
                details=safety_plan_details(form, formset),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            form.add_error(
                None,
                _(
                    "Someone else saved a new version of the plan after you opened it. "
                    "Nothing was saved: your text is kept below; open the risk page in "
                    "another tab to compare, then save again."
                ),
            )
            _set_version(form, exc.current_version)
        except ServiceError as exc:
            _place_error(form, formset, exc)
        else:
            messages.success(request, _("The safety plan was saved."))
            return redirect("plans:risk", number=case.number)
    context = {
        "access": access,
        "case": case,
        "form": form,
        "formset": formset,
        "current": current,
        "assessment": RiskAssessment.objects.current().filter(case=case).first(),
    }
    return render(request, "plans/safety_plan_form.html", context)


def _place_error(form: Any, formset: Any, exc: ServiceError) -> None:
    """Shows a refusal next to the field it names: `measures.2.action` is the third measure."""
    parts = (exc.field or "").split(".")
    if parts[0] == "measures" and len(parts) == 3:
        shown = [
            f
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        index = int(parts[1])
        if index < len(shown) and parts[2] in shown[index].fields:
            shown[index].add_error(parts[2], str(exc.message))
            return
    form.add_error(_field(form, exc.field), str(exc.message))


@require_POST
def measure_status(
    request: AuthedRequest, number: str, measure_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    measure = get_object_or_404(
        SafetyMeasure.objects.filter(plan__case=access.case), pk=measure_id
    )
    form = MeasureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("plans:risk", number=access.case.number)
    try:
        services.change_measure_status(
            measure,
            status=form.cleaned_data["status"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit:
        messages.error(
            request,
            _(
                "Someone else changed this measure after you opened the page. Nothing was changed."
            ),
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The measure was updated."))
    return redirect("plans:risk", number=access.case.number)
