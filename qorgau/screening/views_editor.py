"""Editor pages for screening instruments: the list, one version, a new draft, a preview as a
screener sees it, publishing, and deleting a draft.

Only editors of instruments reach them (`access.versions_for_editor`); every change goes through
the services. The preview stores nothing: its answers travel in the query string, and the same
skip logic as the screener's section page decides which questions it shows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qorgau.cases.errors import ServiceError
from qorgau.lib.http import AuthedRequest
from qorgau.screening import scoring, services
from qorgau.screening.access import access_version, versions_for_editor
from qorgau.screening.definition import Definition, DefinitionError
from qorgau.screening.forms import DraftForm, PreviewForm, posted_answers, question_in
from qorgau.screening.models import Band, InstrumentVersion, Screening

DRAFT = InstrumentVersion.Status.DRAFT
VERSION_LINE = re.compile(r"^(version:[ \t]*)\d+", re.MULTILINE)


def instruments(request: AuthedRequest) -> HttpResponse:
    versions = list(
        versions_for_editor(request.user).order_by("instrument__code", "-version")
    )
    for version in versions:
        # one index range each: a join grouped over every screening took 15 s at a million
        version.screening_count = version.screenings.count()  # type: ignore[attr-defined]
    listed = []
    for instrument, group in itertools.groupby(versions, lambda v: v.instrument):
        rows = list(group)
        listed.append(
            {"instrument": instrument, "versions": rows, "title": _title(rows)}
        )
    return render(request, "screening/editor/instruments.html", {"listed": listed})


def instrument_version(request: AuthedRequest, code: str, version: int) -> HttpResponse:
    chosen = access_version(request.user, code, version)
    problems = _problems(chosen)
    context = {
        "version": chosen,
        "latest": access_version(request.user, code),
        "definition": None if problems else chosen.parsed,
        "problems": problems,
        "screenings": chosen.screenings.count(),
    }
    return render(request, "screening/editor/version.html", context)


@require_http_methods(["GET", "POST"])
def draft_new(request: AuthedRequest, code: str) -> HttpResponse:
    """The latest draft to edit, or else the published text with the next version number."""
    latest = access_version(request.user, code)
    form = DraftForm(
        request.POST or None, request.FILES or None, initial={"source": _next(latest)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved, stored = services.import_instrument(form.text(), by=request.user)
        except ServiceError as exc:
            form.add_error(form.text_field(), str(exc.message).splitlines())
        else:
            done = (
                _("%(version)s is saved as a draft.")
                if stored
                else _("%(version)s is unchanged: nothing was saved.")
            )
            messages.success(request, done % {"version": saved})
            return redirect(saved)
    context = {"latest": latest, "title": _title([latest]), "form": form}
    return render(
        request,
        "screening/editor/draft.html",
        context,
        status=422 if form.errors else 200,
    )


def preview(request: AuthedRequest, code: str, version: int) -> HttpResponse:
    chosen = access_version(request.user, code, version)
    if _problems(chosen):
        messages.error(request, _("Correct this draft's problems to preview it."))
        return redirect(chosen)
    form = PreviewForm(request.GET, language=request.LANGUAGE_CODE)
    language, easy, part = form.choice()
    definition = chosen.parsed
    raw = posted_answers(request.GET, definition.all_items())
    context = {
        "version": chosen,
        "form": form,
        **_preview(definition, raw, language=language, easy=easy, part=part),
    }
    template = "screening/editor/preview.html"
    return render(request, f"{template}#answers" if request.htmx else template, context)


@require_http_methods(["GET", "POST"])
def publish(request: AuthedRequest, code: str, version: int) -> HttpResponse:
    """GET asks for confirmation; POST publishes."""
    chosen = access_version(request.user, code, version)
    if chosen.status != DRAFT:
        return redirect(chosen)
    if request.method == "POST":
        try:
            services.publish_version(chosen, by=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            done = _("%(version)s is published: new screenings use it.")
            messages.success(request, done % {"version": chosen})
        return redirect(chosen)
    context = {
        "version": chosen,
        "title": _title([chosen]),
        "published": chosen.instrument.published(),
    }
    return render(request, "screening/editor/publish.html", context)


@require_http_methods(["GET", "POST"])
def delete_draft(request: AuthedRequest, code: str, version: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    chosen = access_version(request.user, code, version)
    if chosen.status != DRAFT:
        return redirect(chosen)
    if request.method == "POST":
        try:
            services.delete_draft(chosen, by=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
            return redirect(chosen)
        messages.success(
            request, _("The draft %(version)s is deleted.") % {"version": chosen}
        )
        return redirect("screening:instruments")
    context = {"version": chosen, "title": _title([chosen])}
    return render(request, "screening/editor/delete.html", context)


def _problems(version: InstrumentVersion) -> list[str]:
    """What is wrong with a stored definition (none, unless the rules changed since)."""
    try:
        version.parsed  # noqa: B018 - parsing is the check
    except DefinitionError as exc:
        return exc.problems
    return []


def _title(versions: Sequence[InstrumentVersion]) -> str:
    """The instrument's title from the newest version that reads, else its code."""
    readable = (v.parsed.title for v in versions if not _problems(v))
    return str(next(readable, versions[0].instrument.code))


def _next(latest: InstrumentVersion) -> str:
    """The text a new draft starts from: the draft's own, or the next version number's."""
    if latest.status == DRAFT:
        return latest.source
    return VERSION_LINE.sub(rf"\g<1>{latest.version + 1}", latest.source, count=1)


def _preview(
    definition: Definition,
    raw: dict[str, Any],
    *,
    language: str,
    easy: bool,
    part: int,
) -> dict[str, Any]:
    """What the section page shows a screener for these answers, and what they would score."""
    answers, errors = scoring.clean(definition, raw, complete=False)
    sections = scoring.visible(definition, answers)
    number = min(max(part, 1), len(sections))
    section, items = sections[number - 1]
    typed = {**answers, **{code: raw[code] for code in errors}}  # shown again, as typed
    band = scoring.score(definition, answers).band
    return {
        "definition": definition,
        "language": language,
        "mode": Screening.Mode.EASY_READ if easy else Screening.Mode.STANDARD,
        "title": section.title.get(language),
        "help": section.help.get(language) if section.help else "",
        "number": number,
        "count": len(sections),
        "questions": [
            question_in(
                i, language, easy=easy, answers=typed, error=errors.get(i.code, "")
            )
            for i in items
        ],
        "carried": _pairs(answers, skip={i.code for i in section.items}),
        "all_answers": _pairs(answers),
        "band": band,
        "band_label": Band(band).label,
        "action": definition.band(band).action.get(language),
    }


def _pairs(
    answers: dict[str, Any], skip: Collection[str] = ()
) -> list[tuple[str, str]]:
    """Answers as (name, value) pairs for hidden inputs: a preview carries them page to page."""
    return [
        (code, str(value))
        for code, answer in answers.items()
        if code not in skip
        for value in (answer if isinstance(answer, list) else [answer])
    ]
