from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.models import User
from qorgau.cases import services
from qorgau.cases.errors import ServiceError
from qorgau.cases.forms import BreakGlassForm, ReviewForm
from qorgau.cases.models import Case, CaseAccessGrant
from qorgau.lib.http import AuthedRequest


def break_glass(request: AuthedRequest) -> HttpResponse:
    """Emergency, read-only access to one case by its number, with a reason that is reviewed afterwards."""
    if not request.user.capability.break_glass:
        raise PermissionDenied
    form = BreakGlassForm(
        request.POST or None, initial={"case_number": request.GET.get("case", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = Case.objects.filter(number=data["case_number"].strip().upper()).first()
        if case is None:
            form.add_error("case_number", _("No case has this number."))
        else:
            try:
                services.invoke_break_glass(
                    case,
                    reason_code=data["reason_code"],
                    reason=data["reason"],
                    by=request.user,
                )
                messages.warning(
                    request,
                    _(
                        "Emergency access is open and has been reported to the case owner."
                    ),
                )
                return redirect(case)
            except ServiceError as exc:
                form.add_error(None, str(exc.message))
    return render(request, "cases/break_glass.html", {"form": form})


def reviewable_grants(user: User) -> QuerySet[CaseAccessGrant]:
    """Emergency access awaiting review: a supervisor's organisation's cases; every one for oversight."""
    grants = (
        CaseAccessGrant.objects.awaiting_review()
        .exclude(user=user)
        .select_related("case", "user__organisation")
    )
    if user.capability.oversight:
        return grants.order_by("valid_from")
    if user.capability.reviews_break_glass and user.organisation_id:
        return grants.filter(
            Q(case__lead_organisation_id=user.organisation_id)
        ).order_by("valid_from")
    return grants.none()


def break_glass_reviews(request: AuthedRequest) -> HttpResponse:
    if not request.user.capability.reviews_break_glass:
        raise PermissionDenied
    rows = [
        (g, ReviewForm(prefix=f"g{g.pk}"))
        for g in reviewable_grants(request.user)[:200]
    ]
    return render(request, "cases/break_glass_reviews.html", {"rows": rows})


@require_POST
def break_glass_review(request: AuthedRequest, grant_id: int) -> HttpResponse:
    if not request.user.capability.reviews_break_glass:
        raise Http404
    grant = get_object_or_404(reviewable_grants(request.user), pk=grant_id)
    form = ReviewForm(request.POST, prefix=f"g{grant.pk}")
    if form.is_valid():
        try:
            services.review_break_glass(
                grant,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("The review was recorded."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Choose an outcome."))
    return redirect("cases:break_glass_reviews")
