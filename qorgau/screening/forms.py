"""Screening forms: the start form, and the questions of one section as the page shows them.

The questions come from the instrument, so they are not Django form fields: `questions` lays
out each visible item in the screening's own language and wording, with its answer and error,
and `posted_answers` reads a section's answers from a POST for the service to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qorgau.screening.definition import Definition, Item, Text
from qorgau.screening.models import Band, Screening, Setting

LANGUAGES = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))


class StartForm(forms.Form):
    setting = forms.ChoiceField(label=_("Where the screening takes place"))
    mode = forms.ChoiceField(
        label=_("Wording"),
        choices=Screening.Mode.choices,
        widget=forms.RadioSelect,
        initial=Screening.Mode.STANDARD,
        help_text=_(
            "Easy-read wording speaks to the child in short, everyday sentences."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the questions"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
    )
    participation = forms.MultipleChoiceField(
        label=_("How the child takes part"),
        choices=Screening.Participation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations used"),
        choices=Screening.Accommodation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accommodations_note = forms.CharField(
        label=_("Other accommodations"), required=False, max_length=500
    )

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = definition.settings or tuple(Setting.values)
        field = cast(forms.ChoiceField, self.fields["setting"])
        field.choices = [(s, Setting(s).label) for s in settings]
        if len(settings) == 1:
            field.initial = settings[0]
        if not definition.about_the_child:
            for name in ("participation", "accommodations", "accommodations_note"):
                del self.fields[name]


class CompleteForm(forms.Form):
    override_band = forms.ChoiceField(
        label=_("Your own result, if it differs from the score"),
        choices=[("", _("The scored result stands")), *Band.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Why your result differs"), widget=forms.Textarea, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


@dataclass
class Choice:
    code: str
    label: str
    checked: bool


@dataclass
class Question:
    code: str
    type: str
    wording: str  # what is asked, in the screening's language and wording
    other_wording: str  # the other wording (standard or easy-read), for the screener
    help: str
    pictogram: str
    required: bool
    value: Any
    error: str = ""
    choices: list[Choice] = field(default_factory=list)
    min: int | None = None
    max: int | None = None


def _in(text: Text | None, language: str) -> str:
    return text.get(language) if text else ""


def question(
    item: Item, screening: Screening, answers: dict[str, Any], error: str
) -> Question:
    language, easy = screening.language, screening.mode == Screening.Mode.EASY_READ
    value = answers.get(item.code)
    chosen = set(value) if isinstance(value, list) else {value}
    if item.type == "yes_no":
        with translation.override(language):  # the questions' language, not the page's
            options = [("yes", str(_("Yes"))), ("no", str(_("No")))]
    else:
        options = [
            (o.code, _in(o.easy_read if easy else o.text, language))
            for o in item.options
        ]
    first, second = (item.easy_read, item.text) if easy else (item.text, item.easy_read)
    return Question(
        code=item.code,
        type=item.type,
        wording=_in(first, language),
        other_wording=_in(second, language),
        help=_in(item.help, language),
        pictogram=item.pictogram,
        required=item.required,
        value=value,
        error=error,
        choices=[Choice(code, label, code in chosen) for code, label in options],
        min=item.min,
        max=item.max,
    )


def posted_answers(data: QueryDict, items: list[Item]) -> dict[str, Any]:
    """A section's answers as posted: a list for multiple choice, one value otherwise."""
    return {
        item.code: data.getlist(item.code)
        if item.type == "multiple"
        else data.get(item.code)
        for item in items
    }
