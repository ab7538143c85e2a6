"""Referral pages: inboxes, one referral with the steps the user may take, and referring a case."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qorgau.audit.services import record_event
from qorgau.cases.access import access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.lib.http import AuthedRequest, form_errors_text
from qorgau.lib.pagination import CappedPaginator
from qorgau.referrals import services
from qorgau.referrals.access import (
    access_referral,
    inbox_of_organisation,
    inbox_of_person,
    sent_by_organisation,
)
from qorgau.referrals.forms import (
    ConsentForm,
    DeclineForm,
    RedirectForm,
    ReferralForm,
    StepForm,
    WithdrawForm,
)
from qorgau.referrals.models import Referral
from qorgau.screening import services as screening_services
from qorgau.screening.access import access_screening

INBOX_RELATED = ("case", "from_organisation", "to_organisation", "to_user")
PAGE_SIZE = 25


def _listing(
    request: AuthedRequest, rows: QuerySet[Referral], *, title: str, kind: str
) -> HttpResponse:
    """A page of referrals, awaiting action first (earliest deadline, so overdue ones lead)."""
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(due_at__isnull=False).order_by("due_at")
    else:
        rows = rows.order_by("-created_at")
    paginator = CappedPaginator(rows.select_related(*INBOX_RELATED), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    if items:
        record_event(
            "referral.list",
            by=request.user,
            object_type="referral",
            details={"referrals": [str(r.pk) for r in items]},
        )
    context = {
        "title": title,
        "kind": kind,
        "show": show,
        "page": page,
        "referrals": items,
        "now": timezone.now(),
    }
    return render(request, "referrals/inbox.html", context)


def inbox(request: AuthedRequest) -> HttpResponse:
    """Referrals received by the user's organisation."""
    if not request.user.capability.receives_referrals:
        raise PermissionDenied
    return _listing(
        request,
        inbox_of_organisation(request.user),
        title=_("Our organisation's inbox"),
        kind="organisation",
    )


def my_inbox(request: AuthedRequest) -> HttpResponse:
    """Referrals addressed to the user by name."""
    return _listing(
        request, inbox_of_person(request.user), title=_("Referred to me"), kind="person"
    )


def sent(request: AuthedRequest) -> HttpResponse:
    if not request.user.capability.writes_cases:
        raise PermissionDenied
    return _listing(
        request,
        sent_by_organisation(request.user),
        title=_("Referrals we sent"),
        kind="sent",
    )


def referral_detail(request: AuthedRequest, referral_id: str) -> HttpResponse:
    access = access_referral(request.user, referral_id)
    referral = access.referral
    actions = services.allowed_actions(request.user, referral)
    context: dict[str, Any] = {
        "access": access,
        "referral": referral,
        "actions": actions,
        "reason_labels": _reason_labels(referral),
        "chain": _chain(referral),
        "now": timezone.now(),
    }
    if "decline" in actions:
        context["decline_form"] = DeclineForm(
            initial={"version": referral.version}, prefix="decline"
        )
    if "redirect" in actions:
        context["redirect_form"] = RedirectForm(
            initial={"version": referral.version}, referral=referral, prefix="redirect"
        )
    if "withdraw" in actions:
        context["withdraw_form"] = WithdrawForm(
            initial={"version": referral.version}, prefix="withdraw"
        )
    return render(request, "referrals/detail.html", context)


def _reason_labels(referral: Referral) -> list[str]:
    from qorgau.reference.models import Term

    terms = {
        t.code: t.label
        for t in Term.objects.filter(
            vocabulary=services.REASON_VOCABULARY, code__in=referral.reasons
        )
    }
    return [terms.get(code, code) for code in referral.reasons]


def _chain(referral: Referral) -> list[Referral]:
    """The referral and those it continues, oldest first (a redirect keeps the chain)."""
    chain = [referral]
    while chain[0].redirected_from_id is not None and len(chain) < 20:
        previous = (
            Referral.objects.select_related("from_organisation", "to_organisation")
            .filter(pk=chain[0].redirected_from_id)
            .first()
        )
        if previous is None:
            break
        chain.insert(0, previous)
    return chain


def _from_screening(request: AuthedRequest, case: Any) -> dict[str, Any]:
    """The referral drafted from the screening that opened the case: urgency and message."""
    reference = request.GET.get("screening")
    if not reference or request.method != "GET":
        return {}
    screening = access_screening(request.user, reference, audit=False)
    if screening.case_id != case.pk:
        return {}
    danger = screening.result == "immediate_danger"
    return {
        "urgency": Referral.Urgency.IMMEDIATE_DANGER
        if danger
        else Referral.Urgency.URGENT,
        "message": screening_services.referral_message(screening),
    }


def refer_case(request: AuthedRequest, number: str) -> HttpResponse:
    """Refer a case to another organisation's inbox."""
    case_access = access_case(
        request.user,
        number,
        write=True,
        audit="case.read" if request.method == "GET" else None,
    )
    case = case_access.case
    form = ReferralForm(
        request.POST or None, case=case, initial=_from_screening(request, case)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.create_referral(
                case,
                by=request.user,
                to_organisation=data["to_organisation"],
                reasons=data["reasons"],
                urgency=data["urgency"],
                legal_basis=data["legal_basis"],
                shared_tier=data["shared_tier"],
                consent=data["consent"],
                override_reason=data["override_reason"],
                message=data["message"],
            )
        except ServiceError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        else:
            messages.success(
                request,
                _("The referral was sent to %(org)s.")
                % {"org": referral.to_organisation.name},
            )
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/create.html", {"case": case, "form": form})


Step = Callable[..., Referral]
STEPS: dict[str, Step] = {
    "acknowledge": services.acknowledge_referral,
    "accept": services.accept_referral,
    "start_service": services.start_service,
    "complete": services.complete_referral,
}
DONE = {  # lazy: this table is built once, the message is read in each user's language
    "acknowledge": gettext_lazy("The referral was acknowledged."),
    "accept": gettext_lazy("The referral was accepted: you are now on the case team."),
    "start_service": gettext_lazy("The service has started."),
    "complete": gettext_lazy("The referral is complete."),
    "decline": gettext_lazy("The referral was declined."),
    "redirect": gettext_lazy("The referral was passed on."),
    "withdraw": gettext_lazy("The referral was withdrawn."),
}


@require_POST
def referral_step(
    request: AuthedRequest, referral_id: str, action: str
) -> HttpResponse:
    """One transition of the referral, refused with a message (and nothing changed) if not allowed."""
    access = access_referral(request.user, referral_id, audit=None)
    referral = access.referral
    try:
        _apply(request, referral, action)
    except StaleEdit:
        messages.error(
            request,
            _(
                "Someone else acted on this referral after you opened it. Nothing was changed: "
                "here is its current state."
            ),
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("referrals:detail", referral_id=referral.pk)


def _apply(request: AuthedRequest, referral: Referral, action: str) -> None:
    user = request.user
    if action in STEPS:
        form: Any = StepForm(request.POST)
        _require_valid(form)
        STEPS[action](referral, by=user, expected_version=form.cleaned_data["version"])
    elif action == "decline":
        form = DeclineForm(request.POST, prefix="decline")
        _require_valid(form)
        services.decline_referral(
            referral,
            by=user,
            reason=form.cleaned_data["reason"],
            detail=form.cleaned_data["detail"],
            expected_version=form.cleaned_data["version"],
        )
    elif action == "redirect":
        form = RedirectForm(request.POST, referral=referral, prefix="redirect")
        _require_valid(form)
        services.redirect_referral(
            referral,
            by=user,
            to_organisation=form.cleaned_data["to_organisation"],
            message=form.cleaned_data["message"],
            expected_version=form.cleaned_data["version"],
        )
    elif action == "withdraw":
        form = WithdrawForm(request.POST, prefix="withdraw")
        _require_valid(form)
        services.withdraw_referral(
            referral,
            by=user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    else:
        raise ServiceError(_("Unknown step."))


def _require_valid(form: Any) -> None:
    if not form.is_valid():
        raise ServiceError(form_errors_text(form))


@require_POST
def consent_add(request: AuthedRequest, number: str) -> HttpResponse:
    case_access = access_case(request.user, number, write=True, audit=None)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(case_access.case)
    try:
        services.record_consent(case_access.case, by=request.user, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The consent was recorded."))
    return redirect(case_access.case)


@require_POST
def consent_withdraw(
    request: AuthedRequest, number: str, consent_id: int
) -> HttpResponse:
    case_access = access_case(request.user, number, write=True, audit=None)
    consent = get_object_or_404(case_access.case.consents, pk=consent_id)
    try:
        services.withdraw_consent(consent, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect(case_access.case)


def dashboard(request: AuthedRequest) -> HttpResponse:
    """The supervisor's and the regional coordinator's figures (no child is named)."""
    from qorgau.referrals.dashboards import FLOW_DAYS, dashboard_for

    cap = request.user.capability
    if not (cap.sees_organisation_cases or cap.sees_region_cases):
        raise PermissionDenied
    context = dashboard_for(request.user) | {"days": FLOW_DAYS, "now": timezone.now()}
    record_event("dashboard.read", by=request.user, object_type="dashboard")
    return render(request, "referrals/dashboard.html", context)
