"""The public report pages (no login) and the inbox where a hotline or coordinator triages them."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from qorgau.audit.context import forget_address
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.concerns import challenge, services
from qorgau.concerns.access import access_concern, inbox_of
from qorgau.concerns.forms import AdditionForm, CloseForm, ReferenceForm, ReportForm
from qorgau.concerns.models import ConcernReport
from qorgau.lib.http import AuthedRequest

# --- the public side -------------------------------------------------------------------------


def client_key(group: str, request: HttpRequest) -> str:
    """The sender, as rate limiting needs it and no more: a keyed hash of the address (of its
    /64 network for IPv6), kept in the shared cache only for the limit's window."""
    address = str(request.META.get(settings.QORGAU_CLIENT_ADDRESS_HEADER, ""))
    try:
        ip = ipaddress.ip_address(address.split(",")[0].strip())
    except ValueError:  # no usable address: all such senders share one limit
        ip = ipaddress.ip_address(0)
    network = ipaddress.ip_network(
        f"{ip}/{64 if ip.version == 6 else 32}", strict=False
    )
    return salted_hmac(
        "qorgau.concerns.client", str(network), algorithm="sha256"
    ).hexdigest()


def _everyone(group: str, request: HttpRequest) -> str:
    return "everyone"


def _limited(request: HttpRequest, kind: str) -> bool:
    """Counts this request against the sender's limit and everyone's; True when over either."""
    rates = settings.QORGAU_CONCERN_RATES
    mine = is_ratelimited(
        request,
        group=f"concern-{kind}",
        key=client_key,
        rate=rates[kind],
        increment=True,
    )
    all_of_them = is_ratelimited(
        request, group=f"concern-{kind}-all", key=_everyone,
        rate=rates[f"{kind}_all"], increment=True,
    )  # fmt: skip
    return bool(mine or all_of_them)


def _private(response: HttpResponse) -> HttpResponse:
    """What a reporter wrote or was given must not stay in a shared computer's cache."""
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": browsers then send Origin "null", which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def _too_many(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "concerns/too_many.html", status=429))


def _challenge_problem(request: HttpRequest) -> str | None:
    return challenge.problem_with(
        request.POST.get("challenge", ""),
        request.POST.get("work", ""),
        request.POST.get("answer", ""),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, easy_read: bool = False) -> HttpResponse:
    """Report a concern about a child: no account, nothing kept about who sends it."""
    forget_address()
    problem = None
    if request.method == "POST":
        if _limited(request, "report"):
            return _too_many(request)
        form = ReportForm(request.POST, easy_read=easy_read)
        if form.is_valid():
            problem = _challenge_problem(request)
        if form.is_valid() and problem is None:
            data = form.cleaned_data
            try:
                sent = services.submit_report(
                    region=data["region"],
                    reporter=data["reporter"],
                    danger_now=data["danger_now"],
                    concern=data["concern"],
                    child_details=data["child_details"],
                    place=data["place"],
                    contact=data["contact"],
                    language=get_language() or "ru",
                    easy_read=easy_read,
                )
            except ServiceError as exc:
                form.add_error(
                    exc.field if exc.field in form.fields else None, str(exc.message)
                )
            else:
                context = {"report": sent, "easy_read": easy_read}
                return _private(render(request, "concerns/sent.html", context))
    else:
        form = ReportForm(easy_read=easy_read)
    context = {
        "form": form,
        "easy_read": easy_read,
        "challenge": challenge.new_challenge(),
        "challenge_error": problem,
    }
    return _private(render(request, "concerns/report.html", context))


@login_not_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """With the reference: see whether the report is being looked at, and add to it."""
    forget_address()
    lookup = ReferenceForm(request.POST or None)
    found, addition, problem = None, None, None
    if request.method == "POST":
        if _limited(request, "lookup"):
            return _too_many(request)
        if lookup.is_valid():
            found = services.find_report(lookup.cleaned_data["reference"])
            if found is None:
                lookup.add_error(
                    "reference", _("No report has this code. Check it and try again.")
                )
    if found is not None:
        adding = "text" in request.POST
        addition = AdditionForm(request.POST if adding else None)
        if adding and addition.is_valid():
            problem = _challenge_problem(request)
            if problem is None:
                services.add_information(found, addition.cleaned_data["text"])
                context = {"report": found, "added": True}
                return _private(render(request, "concerns/follow_up.html", context))
    context = {
        "lookup": lookup,
        "report": found,
        "addition": addition,
        "challenge": challenge.new_challenge(),
        "challenge_error": problem,
    }
    return _private(render(request, "concerns/follow_up.html", context))


# --- the inbox -------------------------------------------------------------------------------


def inbox(request: AuthedRequest) -> HttpResponse:
    """The concern reports sent to the user's organisation, open ones first, danger first."""
    closed = request.GET.get("status") == "closed"
    reports = inbox_of(request.user, closed=closed).order_by(
        "-closed_at" if closed else "-received_at"
    )
    rows = list(reports[:200])
    if not closed:  # a child in danger now comes first
        rows.sort(key=lambda r: r.danger_now != ConcernReport.Danger.YES)
    return render(request, "concerns/inbox.html", {"reports": rows, "closed": closed})


def detail(request: AuthedRequest, report_ref: str) -> HttpResponse:
    report = access_concern(request.user, report_ref)
    form = CloseForm(initial={"version": report.row_version})
    return render(request, "concerns/detail.html", _detail_context(report, form))


def _detail_context(report: ConcernReport, form: CloseForm) -> dict[str, object]:
    return {
        "report": report,
        "additions": list(report.additions.all()),
        "close_form": form,
    }


@require_POST
def triage(request: AuthedRequest, report_ref: str) -> HttpResponse:
    """Triage with the hotline instrument: on to its first section."""
    report = access_concern(request.user, report_ref, audit=False)
    try:
        screening = services.start_triage(
            report, by=request.user, expected_version=_version(request)
        )
    except StaleEdit:
        messages.error(request, _("Someone changed this report meanwhile. Look again."))
        return redirect("concerns:detail", report_ref=report_ref)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("concerns:detail", report_ref=report_ref)
    if screening.status != screening.Status.IN_PROGRESS:
        return redirect("screening:result", reference=screening.reference)
    return redirect("screening:section", reference=screening.reference, part=1)


@require_POST
def close(request: AuthedRequest, report_ref: str) -> HttpResponse:
    report = access_concern(request.user, report_ref, audit=False)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_report(
                report,
                by=request.user,
                closure=form.cleaned_data["closure"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            form.add_error(
                None, _("Someone changed this report meanwhile. Look again.")
            )
        except ServiceError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        else:
            messages.success(request, _("The report was closed."))
            return redirect("concerns:inbox")
    return render(
        request, "concerns/detail.html", _detail_context(report, form), status=400
    )


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None
