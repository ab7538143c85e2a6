"""Screening forms: the start form, and the questions of one section as the page shows them.

The questions come from the instrument, so they are not Django form fields: `questions` lays
out each visible item in the screening's own language and wording, with its answer and error,
and `posted_answers` reads a section's answers from a POST for the service to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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


class DraftForm(forms.Form):
    """An instrument file, typed or pasted into the text area, or uploaded; `text()` is the one
    to import and `text_field()` the field its problems belong to."""

    MAX_BYTES = 1024 * 1024  # the shipped files are under 100 KB

    source = forms.CharField(
        label=_("Instrument file (YAML)"),
        required=False,
        strip=False,
        help_text=_(
            "The format is described in FORMAT.md, beside the shipped instrument files. "
            "A published version never changes: changed text needs the next version number."
        ),
        widget=forms.Textarea(
            attrs={
                "rows": 30,
                "class": "source",
                "spellcheck": "false",
                "autocapitalize": "off",
                "autocomplete": "off",
            }
        ),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        help_text=_(
            "A YAML file in UTF-8; when one is chosen, it is saved instead of the text above."
        ),
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_source(self) -> str:
        return str(self.cleaned_data["source"]).replace("\r\n", "\n")

    def clean_file(self) -> str:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if not upload:
            return ""
        if (upload.size or 0) > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            return bytes(upload.read()).decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data["file"] or data["source"].strip()):
            self.add_error("source", _("Type the instrument's text or upload a file."))
        return data

    def text_field(self) -> str:
        return "file" if self.cleaned_data.get("file") else "source"

    def text(self) -> str:
        return str(self.cleaned_data[self.text_field()])


class PreviewForm(forms.Form):
    """What an editor's preview shows: the questions' language and wording, and which part.
    Item codes begin with a letter, so these names never meet an answer's."""

    _language = forms.ChoiceField(
        label=_("Language of the questions"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
    )
    _mode = forms.ChoiceField(
        label=_("Wording"), choices=Screening.Mode.choices, widget=forms.RadioSelect
    )
    _part = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, query: QueryDict, *, language: str) -> None:
        self.defaults = {
            "_language": language if language in dict(LANGUAGES) else "ru",
            "_mode": Screening.Mode.STANDARD,
            "_part": 1,
        }
        super().__init__(
            {**self.defaults, **{k: query[k] for k in self.defaults if query.get(k)}}
        )
        self.step = 1 if "_next" in query else -1 if "_back" in query else 0

    def choice(self) -> tuple[str, bool, int]:
        """(language, easy-read, part): what was asked, a default for any wrong value."""
        self.is_valid()
        data = {**self.defaults, **self.cleaned_data}
        easy = data["_mode"] == Screening.Mode.EASY_READ
        return str(data["_language"]), easy, int(data["_part"]) + self.step


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
    easy = screening.mode == Screening.Mode.EASY_READ
    return question_in(
        item, screening.language, easy=easy, answers=answers, error=error
    )


def question_in(
    item: Item, language: str, *, easy: bool, answers: dict[str, Any], error: str = ""
) -> Question:
    """One item as a screener sees it in that language and wording (an editor's preview too)."""
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
