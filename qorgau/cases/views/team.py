from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.models import User
from qorgau.audit.models import AuditEvent
from qorgau.cases import services
from qorgau.cases.access import access_case
from qorgau.cases.errors import ServiceError
from qorgau.cases.forms import OversightForm, TeamMemberChoiceForm
from qorgau.cases.views.records import _can_see_access_log
from qorgau.lib.http import AuthedRequest, form_errors_text


@require_POST
def team_add(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = TeamMemberChoiceForm(request.POST, case=access.case)
    if form.is_valid():
        try:
            services.add_team_member(
                access.case,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
            messages.success(request, _("The team member was added."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, form_errors_text(form))
    return redirect(access.case)


@require_POST
def team_remove(request: AuthedRequest, number: str, member_id: int) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    member = get_object_or_404(access.case.members.active(), pk=member_id)
    try:
        services.remove_team_member(member, by=request.user)
        messages.success(request, _("The team member was removed."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect(access.case)


def access_log(request: AuthedRequest, number: str) -> HttpResponse:
    """Who looked at or changed this case: for its owner, its organisation's supervisors and oversight."""
    access = access_case(request.user, number, audit="case.access_log.read")
    if not _can_see_access_log(access):
        raise PermissionDenied
    events = AuditEvent.objects.for_case(access.case.pk).order_by("-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    users = User.objects.in_bulk({e.actor_id for e in page.object_list if e.actor_id})
    rows = [
        (e, users.get(e.actor_id) if e.actor_id else None) for e in page.object_list
    ]
    return render(
        request,
        "cases/access_log.html",
        {"case": access.case, "page": page, "rows": rows},
    )


def oversight_open(request: AuthedRequest, number: str) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    form = OversightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = None
        if data["expires_on"]:
            expires = timezone.make_aware(
                datetime.combine(data["expires_on"], time.max)
            )
        try:
            services.open_to_oversight(
                access.case,
                organisation=data["organisation"],
                max_tier=data["max_tier"],
                reason=data["reason"],
                expires_at=expires,
                by=request.user,
            )
            messages.success(request, _("The case was opened to the oversight body."))
            return redirect(access.case)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    return render(request, "cases/oversight.html", {"case": access.case, "form": form})


@require_POST
def grant_revoke(request: AuthedRequest, number: str, grant_id: int) -> HttpResponse:
    access = access_case(request.user, number, write=True, audit=None)
    grant = get_object_or_404(access.case.access_grants.current(), pk=grant_id)
    services.revoke_grant(grant, by=request.user)
    messages.success(request, _("The access was closed."))
    return redirect(access.case)
