"""The case's reviews and follow-ups page, and its forms: each POST calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.roles import Tier
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.lib.http import AuthedRequest
from qorgau.reviews import services
from qorgau.reviews.forms import FollowUpForm, HoldReviewForm, follow_up_prefix
from qorgau.reviews.models import CaseReview, FollowUp
from qorgau.reviews.schedule import interval_days

READ = "case.reviews.read"


def reviews_page(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, audit=READ)
    return render(request, "reviews/page.html", page_context(access))


@require_POST
def review_hold(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = HoldReviewForm(request.POST, case=access.case)
    if form.is_valid() and _run(form, lambda d: _hold(access, d, request.user)):
        messages.success(request, _("The review was recorded."))
        return redirect("reviews:page", number)
    return _again(request, number, hold_form=form)


def _hold(access: CaseAccess, data: dict[str, Any], user: Any) -> CaseReview:
    return services.hold_review(
        access.case,
        held_on=data["held_on"],
        participants=data["participants"],
        other_participants=data["other_participants"],
        summary=data["summary"],
        outcome=data["outcome"],
        next_due_on=data["next_due_on"],
        by=user,
        expected_version=data["version"],
    )


@require_POST
def follow_up_record(
    request: AuthedRequest, number: str, follow_up_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    follow_up = get_object_or_404(access.case.follow_ups, pk=follow_up_id)
    form = FollowUpForm(request.POST, prefix=follow_up_prefix(follow_up))
    if form.is_valid() and _run(
        form,
        lambda d: services.record_follow_up(
            follow_up,
            done_on=d["done_on"],
            contact_made=d["contact_made"],
            contact_method=d["contact_method"],
            situation=d["situation"],
            notes=d["notes"],
            by=request.user,
            expected_version=d["version"],
        ),
    ):
        messages.success(request, _("The follow-up was recorded."))
        return redirect("reviews:page", number)
    return _again(request, number, follow_up_form=(follow_up.pk, form))


@require_POST
def follow_up_new_case(
    request: AuthedRequest, number: str, follow_up_id: str
) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    follow_up = get_object_or_404(access.case.follow_ups, pk=follow_up_id)
    try:
        case = services.open_case_after_follow_up(follow_up, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("reviews:page", number)
    messages.success(
        request,
        _("Case %(number)s was opened for the child.") % {"number": case.number},
    )
    return redirect(case)


def _run(form: Any, step: Any) -> bool:
    """Runs the service; its refusal is shown on the form, at the field it names."""
    try:
        step(form.cleaned_data)
    except StaleEdit as exc:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(exc.current_version)
        form.data = data
        form.add_error(
            None,
            _(
                "Someone else recorded this after you opened the page. Nothing was saved: "
                "check the page and save again only if it is still needed."
            ),
        )
        return False
    except ServiceError as exc:
        form.add_error(
            exc.field if exc.field in form.fields else None, str(exc.message)
        )
        return False
    return True


def _again(request: AuthedRequest, number: str, **forms: Any) -> HttpResponse:
    """The page again, with the user's input and what was wrong with it: that is a read."""
    access = access_case(request.user, number, audit=READ)
    return render(request, "reviews/page.html", page_context(access, **forms))


def page_context(
    access: CaseAccess,
    *,
    hold_form: HoldReviewForm | None = None,
    follow_up_form: tuple[Any, FollowUpForm] | None = None,
) -> dict[str, Any]:
    case = access.case
    today = timezone.localdate()
    reviews = list(
        case.reviews.select_related("recorded_by", "responsible").prefetch_related(
            "participants"
        )
    )
    scheduled = next((r for r in reviews if r.is_scheduled), None)
    held = sorted(
        (r for r in reviews if r.status == CaseReview.Status.HELD),
        key=lambda r: (r.held_on, r.recorded_at),
        reverse=True,
    )
    rows = []
    for f in case.follow_ups.select_related("recorded_by", "new_case", "responsible"):
        form = None
        if access.can_write and f.is_scheduled and case.is_closed:
            if follow_up_form and follow_up_form[0] == f.pk:
                form = follow_up_form[1]
            else:
                form = FollowUpForm(
                    prefix=follow_up_prefix(f),
                    initial={"done_on": today, "version": f.version},
                )
        rows.append((f, form))
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "today": today,
        "scheduled": scheduled,
        "held": held,
        "interval": interval_days(case.priority),
        "closure": case.closures.select_related("closed_by").first(),
        "follow_up_rows": rows,
        "sees_narrative": access.max_tier >= Tier.NARRATIVE,
        "opens_cases": access.can_write and access.user.capability.opens_cases,
        "at_risk": FollowUp.Situation.AT_RISK,
    }
    if access.can_write and not case.is_closed:
        context["hold_form"] = hold_form or HoldReviewForm(
            case=case,
            initial={
                "held_on": today,
                "version": scheduled.version if scheduled else None,
            },
        )
    return context
