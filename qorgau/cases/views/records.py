from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.cases import services
from qorgau.cases.access import access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.forms import (
    CaseEditForm,
    LinkPersonForm,
    NewCaseForm,
    NoteForm,
    PersonEditForm,
    PersonForm,
    StatusForm,
    TeamMemberChoiceForm,
)
from qorgau.cases.matching import possible_matches
from qorgau.cases.models import Case, CaseEvent, Person
from qorgau.lib.http import AuthedRequest, form_errors_text
from qorgau.referrals.services import IMMEDIATE_DANGER_KINDS, DangerAlert
from qorgau.screening import services as screening_services
from qorgau.screening.access import access_screening
from qorgau.screening.models import Screening


def case_create(request: AuthedRequest) -> HttpResponse:
    """Register a child and open a case, after showing children already known who may be the same one."""
    if not request.user.capability.opens_cases:
        raise PermissionDenied
    screening = _referred_screening(request)
    child_form = PersonForm(request.POST or None, prefix="child")
    case_form = NewCaseForm(
        request.POST or None,
        prefix="case",
        initial={"priority": "urgent"} if screening else None,
    )
    matches: list[Any] = []
    if request.method == "POST" and child_form.is_valid() and case_form.is_valid():
        details = child_form.details()
        existing = _chosen_existing_child(request)
        if existing is None and request.POST.get("confirm") != "new":
            matches = possible_matches(request.user, details)
        if not matches:
            case = _open(request, details, case_form.cleaned_data, existing, screening)
            if case is not None:
                messages.success(
                    request, _("Case %(number)s was opened.") % {"number": case.number}
                )
                if screening is not None and screening.result != "immediate_danger":
                    # on to the referral, drafted from the answers
                    url = reverse("referrals:refer", args=[case.number])
                    return redirect(f"{url}?screening={screening.reference}")
                return redirect(case)
    context = {
        "child_form": child_form,
        "case_form": case_form,
        "matches": matches,
        "screening": screening,
    }
    return render(request, "cases/create.html", context)


def _referred_screening(request: AuthedRequest) -> Screening | None:
    """The screening whose positive result this case is opened for, if any: the user's own."""
    reference = request.GET.get("screening") or request.POST.get("screening")
    if not reference:
        return None
    screening = access_screening(request.user, reference, write=True, audit=False)
    if not screening.is_referable:
        raise Http404
    return screening


def _chosen_existing_child(request: AuthedRequest) -> Person | None:
    """A child picked from the matches; only one the user can already see through a case."""
    number = request.POST.get("existing_case")
    if not number:
        return None
    case = Case.objects.visible_to(request.user).filter(number=number).first()
    return case.child if case else None


def _open(
    request: AuthedRequest,
    details: services.PersonDetails,
    data: dict[str, Any],
    existing: Person | None,
    screening: Screening | None,
) -> Case | None:
    """Opens the case; for a screening's result, links it and tells what was raised."""
    kwargs = {
        "by": request.user,
        "case_type": data["case_type"],
        "priority": data["priority"],
        "existing_child": existing,
        "unaccompanied": data["unaccompanied"],
    }
    try:
        if screening is None:
            return services.open_case(details, **kwargs)
        case, alert = screening_services.open_case_for_screening(
            screening, details, **kwargs
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return None
    if alert is not None:
        _tell_danger_alert(request, alert)
    return case


def _tell_danger_alert(request: AuthedRequest, alert: DangerAlert) -> None:
    for referral in alert.referrals:
        messages.warning(
            request,
            _(
                "An immediate-danger referral was sent to %(org)s: it must be "
                "acknowledged within the hour. Phone them as well."
            )
            % {"org": referral.to_organisation.name},
        )
    for kind in alert.missing:
        messages.error(
            request,
            _(
                "No organisation for %(kind)s takes referrals in this region: phone "
                "them now and refer the case from its page."
            )
            % {"kind": IMMEDIATE_DANGER_KINDS.get(kind, kind)},
        )


def case_detail(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number)
    case = access.case
    context = {
        "access": access,
        "case": case,
        "child": case.child,
        "members": case.members.active()
        .select_related("user__organisation")
        .order_by("added_at"),
        "participants": access.participants(),
        "notes": access.notes(),
        "events": CaseEvent.objects.filter(case=case).select_related("actor")[:50],
        "grants": case.access_grants.current().select_related("organisation", "user"),
        "can_see_access_log": _can_see_access_log(access),
        "referrals": _referrals_shown(access),
        **decisions_context(access),
        **_guardianship_context(access),
        **_plans_context(access),
        "consents": list(case.consents.select_related("organisation")),
    }
    if access.can_write:  # readers see no forms: their choices are not even looked up
        context |= {
            "note_form": NoteForm(max_tier=access.max_tier),
            "team_form": TeamMemberChoiceForm(case=case),
            "consent_form": _consent_form(),
            "status_form": StatusForm(case=case)
            if Case.next_statuses(case.status)
            else None,
        }
    return render(request, "cases/detail.html", context)


def _guardianship_context(access: Any) -> dict[str, Any]:
    from qorgau.guardianship.views import case_page_context

    return case_page_context(access)


def _plans_context(access: Any) -> dict[str, Any]:
    from qorgau.plans.views import case_page_context

    return case_page_context(access)


def _consent_form() -> Any:
    from qorgau.referrals.forms import ConsentForm

    return ConsentForm(prefix="consent")


def decisions_context(access: Any) -> dict[str, Any]:
    """The case's identification decisions and reflection period, with the forms a writer may use."""
    from qorgau.protection.forms import (
        ExtendReflectionForm,
        ReconsiderForm,
        RecordDecisionForm,
        RequestDecisionForm,
    )
    from qorgau.protection.models import Decision

    case = access.case
    decisions = list(
        case.decisions.select_related("deciding_organisation").order_by("-requested_at")
    )
    decides = access.user.capability.decides_identification
    may_decide = Decision.Kind.values if decides else [Decision.Kind.PRELIMINARY]
    reconsidered = {d.reconsideration_of_id for d in decisions}
    rows = []
    for d in decisions:
        # Prefixes keep the ids of the case page's many forms apart.
        record = reconsider = None
        if access.can_write and d.is_pending and d.kind in may_decide:
            record = RecordDecisionForm(
                prefix=record_prefix(d), initial={"version": d.version}
            )
        if access.can_write and d.outcome == "negative" and d.pk not in reconsidered:
            reconsider = ReconsiderForm(prefix=record_prefix(d))
        rows.append((d, record, reconsider))
    context: dict[str, Any] = {
        "decision_rows": rows,
        "reflection": case.reflection_periods.first(),
        "now": timezone.now(),
    }
    if access.can_write:
        context |= {
            "request_form": RequestDecisionForm(prefix="request"),
            "extend_form": ExtendReflectionForm(prefix="reflection"),
        }
    return context


def record_prefix(decision: Any) -> str:
    return f"decision-{str(decision.pk)[:8]}"


def _referrals_shown(access: Any) -> list[Any]:
    """All the case's referrals for its team; a recipient still outside it sees only its own."""
    from qorgau.cases.access import Basis

    rows = list(
        access.case.referrals.select_related("from_organisation", "to_organisation")[
            :100
        ]
    )
    if access.basis == Basis.REFERRAL:
        # Picked here from the case's few referrals: asked of the database, the filter on
        # the recipient made SQLite walk the organisation's whole inbox instead.
        rows = [
            r
            for r in rows
            if r.to_organisation_id == access.user.organisation_id
            and r.status != "draft"
        ]
    return rows[:50]


def _can_see_access_log(access: Any) -> bool:
    user = access.user
    return bool(
        access.case.owner_id == user.pk
        or (user.capability.sees_organisation_cases and access.basis == "organisation")
        or (user.capability.oversight and access.basis == "grant")
    )


def case_edit(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(
        request.user,
        number,
        write=True,
        audit="case.read" if request.method == "GET" else None,
    )
    case = access.case
    initial = {
        "type": case.type,
        "priority": case.priority,
        "region": case.region_id,
        "unaccompanied": case.unaccompanied,
        "version": case.version,
    }
    form = CaseEditForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_case(
                case, changes=data, expected_version=data["version"], by=request.user
            )
            messages.success(request, _("The case was saved."))
            return redirect(case)
        except StaleEdit as exc:
            access_case(request.user, number, audit="case.read")
            stale, case = exc, Case.objects.get(pk=case.pk)
            form = CaseEditForm(
                _with_version(request.POST, exc.current_version), initial=initial
            )
    return render(
        request, "cases/case_edit.html", {"case": case, "form": form, "stale": stale}
    )


def _with_version(post: Any, version: int) -> Any:
    data = post.copy()
    data["version"] = str(version)
    for key in [k for k in data if k.endswith("version")]:
        data[key] = str(version)
    return data


def child_edit(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(
        request.user,
        number,
        write=True,
        audit="person.read" if request.method == "GET" else None,
    )
    case, child = access.case, access.case.child
    initial = {**PersonForm.initial_from(child), "version": child.version}
    form = PersonEditForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                child,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                case=case,
            )
            messages.success(request, _("The child's details were saved."))
            return redirect(case)
        except StaleEdit as exc:
            # The page shows the current values beside the user's own: that is a read.
            access_case(request.user, number, audit="person.read")
            stale, child = exc, Person.objects.get(pk=child.pk)
            form = PersonEditForm(
                _with_version(request.POST, exc.current_version), initial=initial
            )
    context = {"case": case, "child": child, "form": form, "stale": stale}
    return render(request, "cases/child_edit.html", context)


@require_POST
def case_status(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = StatusForm(request.POST, case=access.case)
    if form.is_valid():
        try:
            services.change_case_status(
                access.case,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                by=request.user,
            )
            messages.success(request, _("The status was changed."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    elif "status" not in form.errors:
        messages.error(request, form_errors_text(form))
    else:
        messages.error(
            request,
            _("A case that is “%(status)s” cannot move to that status.")
            % {"status": access.case.get_status_display()},
        )
    return redirect(access.case)


@require_POST
def note_add(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = NoteForm(request.POST, max_tier=access.max_tier)
    if form.is_valid():
        try:
            services.add_note(
                access,
                text=form.cleaned_data["text"],
                tier=form.cleaned_data["tier"],
                by=request.user,
            )
            messages.success(request, _("The note was added."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(
            request,
            _(
                "The note was not saved: write a text and choose a sensitivity you can see."
            ),
        )
    return redirect(access.case)


def person_link(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = LinkPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_person(
                access.case,
                details=form.details(),
                relation=form.cleaned_data["relation"],
                has_parental_responsibility=form.cleaned_data[
                    "has_parental_responsibility"
                ],
                by=request.user,
            )
            messages.success(request, _("The person was linked to the case."))
            return redirect(access.case)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    return render(
        request, "cases/person_link.html", {"case": access.case, "form": form}
    )
