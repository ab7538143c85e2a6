"""HTML input for reviews and follow-ups (the services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.cases.models import Case
from qorgau.lib.widgets import FastSelect
from qorgau.reviews.models import CaseReview, FollowUp


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TeamMemberField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class HoldReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    participants = TeamMemberField(
        label=_("Team members who took part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("Others who took part"),
        help_text=_("For example the child, a parent, a teacher or a doctor."),
        required=False,
        max_length=1000,
    )
    summary = forms.CharField(
        label=_("Summary of the review"),
        help_text=_(
            "Progress against the plan, the child's views, risks, what changes."
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CaseReview.Outcome.choices, widget=forms.RadioSelect
    )
    next_due_on = forms.DateField(
        label=_("Next review by"),
        help_text=_(
            "Leave empty for the usual interval; you may choose an earlier date."
        ),
        required=False,
        widget=DateInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, TeamMemberField)  # noqa: S101 - narrows the type for mypy
        field.queryset = (
            User.objects.filter(
                case_memberships__case=case, case_memberships__removed_at__isnull=True
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Date of the follow-up"), widget=DateInput)
    contact_made = forms.TypedChoiceField(
        label=_("Was contact made with the child or the family?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    contact_method = forms.ChoiceField(
        label=_("How"),
        required=False,
        choices=[("", "—"), *FollowUp.Contact.choices],
        widget=FastSelect,
    )
    situation = forms.ChoiceField(
        label=_("The child's situation"),
        choices=FollowUp.Situation.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_made") and not data.get("contact_method"):
            self.add_error("contact_method", _("Say how contact was made."))
        return data


def follow_up_prefix(follow_up: FollowUp) -> str:
    """Keeps the ids of the page's several follow-up forms apart."""
    return f"follow-up-{str(follow_up.pk)[:8]}"
