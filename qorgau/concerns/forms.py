"""The public report form, in a standard and an easy-read wording, and the staff's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.concerns.models import ConcernReport
from qorgau.concerns.services import MAX_TEXT
from qorgau.reference.models import Region

# What each field asks, in each wording: (label, help text).
WORDING: dict[str, dict[str, tuple[Any, Any]]] = {
    "standard": {
        "reporter": (_("Who is reporting?"), ""),
        "danger_now": (
            _("Is the child in danger right now?"),
            _("If so, call 102 (police) now as well."),
        ),
        "region": (_("Region where the child is"), ""),
        "concern": (
            _("What worries you about the child?"),
            _(
                "What happened or what you saw, and when. You do not need to be sure: "
                "a specialist will look at it."
            ),
        ),
        "child_details": (
            _("What you know about the child"),
            _("Name, age, school or what the child looks like: only what you know."),
        ),
        "place": (_("Where the child is or was"), ""),
        "contact": (
            _("How can we reach you?"),
            _(
                "A phone number or e-mail. Leave it empty to stay anonymous, and keep "
                "the reference code you will be given to add information later."
            ),
        ),
    },
    "easy_read": {
        "reporter": (_("Who are you?"), ""),
        "danger_now": (
            _("Is someone hurting the child now?"),
            _("If yes, call 102 now."),
        ),
        "region": (_("Where are you?"), ""),
        "concern": (
            _("What happened?"),
            _("Write in your own words. A few words are enough."),
        ),
        "child_details": (
            _("Who is the child? Write this if it is not you."),
            _("Name and age, if you know them."),
        ),
        "place": (_("Where did it happen?"), ""),
        "contact": (
            _("How can we talk to you?"),
            _("You do not have to tell us. Keep the code you will get."),
        ),
    },
}
EASY_REPORTER_CHOICES = [
    ("child_self", _("I am the child it is about")),
    ("child_other", _("I am worried about another child")),
    ("adult", _("I am an adult")),
    ("professional", _("I work with children")),
]


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": MAX_TEXT})


class ReportForm(forms.Form):
    reporter = forms.ChoiceField(
        choices=ConcernReport.Reporter.choices, widget=forms.RadioSelect
    )
    danger_now = forms.ChoiceField(
        choices=ConcernReport.Danger.choices, widget=forms.RadioSelect
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), required=False, empty_label=_("I do not know")
    )
    concern = forms.CharField(max_length=MAX_TEXT, widget=_textarea(6))
    child_details = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=_textarea(3)
    )
    place = forms.CharField(max_length=MAX_TEXT, required=False, widget=_textarea(2))
    contact = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, easy_read: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wording = WORDING["easy_read" if easy_read else "standard"]
        for name, (label, help_text) in wording.items():
            self.fields[name].label, self.fields[name].help_text = label, help_text
        if easy_read:
            self.fields["reporter"].choices = EASY_REPORTER_CHOICES  # type: ignore[attr-defined]


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference code"),
        help_text=_("It looks like QR-7KM4-2XPD."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AdditionForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want to add?"), max_length=MAX_TEXT, widget=_textarea(5)
    )


class CloseForm(forms.Form):
    closure = forms.ChoiceField(
        label=_("Why is the report closed?"),
        choices=ConcernReport.Closure.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_TEXT, widget=_textarea(3)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
