"""Screening pages: choose an instrument, start, answer one section at a time, review, result.

Each section page lists the items its answers so far make visible; with htmx, changing an answer
re-renders the section from the server (skip logic lives there only), and without it, saving a
section whose answers showed new items brings the same section back with them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.lib.http import AuthedRequest
from qorgau.screening import scoring, services
from qorgau.screening import statistics as stats
from qorgau.screening.access import (
    access_instrument,
    access_screening,
    instruments_for,
    recent_screenings_for,
)
from qorgau.screening.definition import Item, Section
from qorgau.screening.forms import CompleteForm, StartForm, posted_answers, question
from qorgau.screening.models import DIMENSION_LABELS, Band, Screening

RECENT = 25


def home(request: AuthedRequest) -> HttpResponse:
    capability = request.user.capability
    if not (capability.screens or capability.sees_organisation_cases):
        raise PermissionDenied
    recent = recent_screenings_for(request.user, RECENT)
    return render(
        request,
        "screening/home.html",
        {"instruments": instruments_for(request.user), "recent": recent},
    )


@require_http_methods(["GET", "POST"])
def start(request: AuthedRequest, code: str) -> HttpResponse:
    version = access_instrument(request.user, code)
    definition = version.parsed
    form = StartForm(
        request.POST or None,
        definition=definition,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.start_screening(
                version, by=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        else:
            return redirect("screening:section", screening.reference, 1)
    return render(
        request,
        "screening/start.html",
        {"version": version, "definition": definition, "form": form},
    )


def _sections(
    screening: Screening, answers: dict[str, Any]
) -> list[tuple[Section, list[Item]]]:
    return scoring.visible(screening.version.parsed, answers)


@require_http_methods(["GET", "POST"])
def section(request: AuthedRequest, reference: str, part: int) -> HttpResponse:
    screening = access_screening(request.user, reference, write=True)
    if screening.status != Screening.Status.IN_PROGRESS:
        return redirect("screening:result", reference)
    answers = dict(screening.answers or {})
    errors: dict[str, str] = {}
    if request.method == "POST":
        shown = set(request.POST.getlist("shown"))
        # Every item of the section: one the posted answers reveal is saved with them.
        items = _all_items_of(screening, part, answers)
        posted = posted_answers(request.POST, items)
        if request.htmx and "save" not in request.POST:
            # An answer changed: show the questions that now follow, saving nothing.
            answers.update(posted)
            answers, _errors = scoring.clean(
                screening.version.parsed, answers, complete=False
            )
            return _render_section(request, screening, part, answers, {}, partial=True)
        try:
            screening, errors = services.save_answers(
                screening,
                raw=posted,
                items={i.code for i in items},
                expected_version=_int(request.POST.get("version")),
                by=request.user,
                complete_section=False,
            )
        except StaleEdit as exc:
            messages.error(request, str(exc.message))
            return redirect("screening:section", reference, part)
        answers = dict(screening.answers or {})
        if errors:
            # Nothing was saved: the form shows again what was typed, with the errors.
            answers |= {k: v for k, v in posted.items() if v not in (None, "", [])}
        else:
            now_shown = {i.code for i in _items_of(screening, part, answers)}
            if now_shown - shown:  # the answers opened new questions here: ask them too
                messages.info(request, _("Your answers opened more questions below."))
                return redirect("screening:section", reference, part)
            errors = _missing(screening, part, answers)
        if not errors:
            sections = _sections(screening, answers)
            if part < len(sections):
                return redirect("screening:section", reference, part + 1)
            return redirect("screening:review", reference)
    return _render_section(request, screening, part, answers, errors)


def _items_of(screening: Screening, number: int, answers: dict[str, Any]) -> list[Item]:
    sections = _sections(screening, answers)
    return sections[number - 1][1] if 0 < number <= len(sections) else []


def _all_items_of(
    screening: Screening, number: int, answers: dict[str, Any]
) -> list[Item]:
    sections = _sections(screening, answers)
    return list(sections[number - 1][0].items) if 0 < number <= len(sections) else []


def _missing(
    screening: Screening, number: int, answers: dict[str, Any]
) -> dict[str, str]:
    items = _items_of(screening, number, answers)
    _answers, errors = scoring.clean(
        screening.version.parsed, answers, complete=True, only={i.code for i in items}
    )
    return errors


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _render_section(
    request: AuthedRequest,
    screening: Screening,
    number: int,
    answers: dict[str, Any],
    errors: dict[str, str],
    *,
    partial: bool = False,
) -> HttpResponse:
    sections = _sections(screening, answers)
    if not 0 < number <= len(sections):
        return redirect("screening:review", screening.reference)
    current, items = sections[number - 1]
    context = {
        "screening": screening,
        "definition": screening.version.parsed,
        "section": current,
        "title": current.title.get(screening.language),
        "help": current.help.get(screening.language) if current.help else "",
        "number": number,
        "count": len(sections),
        "questions": [
            question(i, screening, answers, errors.get(i.code, "")) for i in items
        ],
        "errors": errors,
    }
    template = (
        "screening/section.html#questions" if partial else "screening/section.html"
    )
    return render(request, template, context, status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, reference: str) -> HttpResponse:
    screening = access_screening(request.user, reference, write=True)
    if screening.status != Screening.Status.IN_PROGRESS:
        return redirect("screening:result", reference)
    form = CompleteForm(
        request.POST or None, initial={"version": screening.row_version}
    )
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            screening, errors = services.complete_screening(
                screening,
                expected_version=form.cleaned_data["version"],
                by=request.user,
                override_band=form.cleaned_data["override_band"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except StaleEdit as exc:
            messages.error(request, str(exc.message))
            return redirect("screening:review", reference)
        except ServiceError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        else:
            if not errors:
                return redirect("screening:result", reference)
    answers = dict(screening.answers or {})
    sections = _sections(screening, answers)
    context = {
        "screening": screening,
        "form": form,
        "sections": [
            (
                n,
                s.title.get(screening.language),
                [
                    question(i, screening, answers, errors.get(i.code, ""))
                    for i in items
                ],
            )
            for n, (s, items) in enumerate(sections, start=1)
        ],  # fmt: skip
        "preview_band": Band(
            scoring.score(screening.version.parsed, answers).band
        ).label,
        "missing": bool(errors),
    }
    return render(
        request, "screening/review.html", context, status=422 if errors else 200
    )


def result(request: AuthedRequest, reference: str) -> HttpResponse:
    screening = access_screening(request.user, reference)
    if screening.status == Screening.Status.IN_PROGRESS:
        return redirect("screening:review", reference)
    definition = screening.version.parsed
    scored = scoring.score(definition, screening.answers or {})
    labels = {
        **dict(Screening.Participation.choices),
        **dict(Screening.Accommodation.choices),
    }
    return render(
        request,
        "screening/result.html",
        {
            "screening": screening,
            "definition": definition,
            "band": definition.band(screening.result),
            "participation": [labels.get(p, p) for p in screening.participation],
            "accommodations": [labels.get(a, a) for a in screening.accommodations],
            "dimensions": [
                {
                    "label": DIMENSION_LABELS.get(name, name),
                    **{s: counts.get(s, 0) for s in ("strong", "medium", "weak")},
                    "met": name in scored.dimensions_met,
                }
                for name, counts in scored.dimensions.items()
            ],
        },
    )


def statistics(request: AuthedRequest) -> HttpResponse:
    """Results by instrument, setting and region, and item endorsement, from the tallies."""
    if not request.user.capability.reads_screening_statistics:
        raise PermissionDenied
    versions = stats.published_versions()
    chosen = next(
        (v for v in versions if str(v.pk) == request.GET.get("version")), None
    )
    chosen = chosen or stats.most_used(versions)
    return render(
        request,
        "screening/statistics.html",
        {
            "bands": Band.choices,
            "by_version": stats.results_by("version"),
            "by_setting": stats.results_by("setting"),
            "by_region": stats.results_by("region", suppress=True),
            "outcomes": stats.identification_outcomes(),
            "versions": versions,
            "chosen": chosen,
            "rates": stats.item_rates(chosen) if chosen else [],
            "min_cell": settings.QORGAU_STATS_MIN_CELL,
        },
    )
