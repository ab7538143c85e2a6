from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from qorgau.agencies.models import Notification
from qorgau.agencies.notifications import render as render_notification
from qorgau.audit.services import record_event
from qorgau.cases.access import cases_on_my_teams, count_cases_on_my_teams
from qorgau.cases.forms import CaseFilterForm
from qorgau.cases.models import CaseAccessGrant
from qorgau.cases.search import LIST_RELATED, case_list_page
from qorgau.lib.http import AuthedRequest
from qorgau.lib.pagination import CappedPaginator
from qorgau.reviews.dashboards import my_work


def home(request: AuthedRequest) -> HttpResponse:
    """My work: the user's open cases, emergency access to review, unread notifications."""
    user = request.user
    mine = cases_on_my_teams(user).select_related(*LIST_RELATED).order_by("-updated_at")
    my_cases = list(mine[:25])
    if my_cases:
        record_event(
            "case.list",
            by=user,
            object_type="case",
            details={"cases": [c.number for c in my_cases]},
        )
    reviews: QuerySet[CaseAccessGrant] = CaseAccessGrant.objects.none()
    if user.capability.reviews_break_glass:
        from qorgau.cases.views.emergency import reviewable_grants

        reviews = reviewable_grants(user)
    notes = [
        (n, render_notification(n))
        for n in Notification.objects.filter(recipient=user).unread()[:5]
    ]
    waiting, overdue_count = _referrals_to_act_on(user)
    context = {
        "waiting": waiting,
        "overdue_count": overdue_count,
        "now": timezone.now(),
        "my_cases": my_cases,
        "my_open": CappedPaginator(
            mine, 25, count_from=partial(count_cases_on_my_teams, user)
        ),
        "reviews": reviews[:10],
        "notes": notes,
        "guardian_requests": _guardian_requests(user),
        **my_work(user),
    }
    return render(request, "cases/home.html", context)


def _guardian_requests(user: Any) -> list[Any]:
    """Guardians still to be appointed for children of the cases the user owns."""
    from qorgau.guardianship.services import requests_for_owner

    return requests_for_owner(user)


def _referrals_to_act_on(user: Any) -> tuple[list[Any], int]:
    """The five referrals nearest their deadline in the user's inboxes, and how many are late."""
    from qorgau.referrals.access import inbox_of_organisation, inbox_of_person

    inbox = (
        inbox_of_organisation(user)
        if user.capability.receives_referrals
        else inbox_of_person(user)
    ).filter(due_at__isnull=False)
    waiting = list(
        inbox.select_related("case", "from_organisation").order_by("due_at")[:5]
    )
    if waiting:
        record_event(
            "referral.list",
            by=user,
            object_type="referral",
            details={"referrals": [str(r.pk) for r in waiting]},
        )
    return waiting, inbox.filter(due_at__lt=timezone.now()).count()


def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = case_list_page(request.user, filters, request.GET.get("page"))
    context = {
        "form": form,
        "page": listing.page,
        "rows": listing.rows,
        "query_string": _without_page(request),
    }
    template = "cases/list.html#results" if request.htmx else "cases/list.html"
    return render(request, template, context)


def _without_page(request: AuthedRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/help.html")
