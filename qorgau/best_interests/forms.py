"""HTML input for best-interests assessments and determinations (the services decide what is allowed)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.best_interests.models import (
    COMMUNICATION_METHODS,
    FINDING_AREAS,
    Accommodation,
    BestInterestsAppeal,
    BestInterestsOption,
    ViewsLanguage,
    ViewsMethod,
)
from qorgau.lib.widgets import FastSelect

YES_NO = [("true", _("Yes")), ("false", _("No"))]
TEXTAREA = {"rows": 3}


def _yes_no(value: str) -> bool:
    return value == "true"


def _date_widget() -> forms.DateInput:
    # The browser's date picker sends and shows ISO dates in every language.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class TeamChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        name = user.get_full_name() or user.username
        return f"{name} ({user.organisation.name})" if user.organisation else name


def team_field(label: Any, team: list[User], help_text: Any = "") -> TeamChoiceField:
    return TeamChoiceField(
        label=label,
        queryset=User.objects.filter(pk__in=[u.pk for u in team])
        .select_related("organisation")
        .order_by("username"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


class AssessmentForm(forms.Form):
    """Everything the assessment records; fields beyond the writer's tier are left out."""

    team_participants = forms.Field(required=False)  # replaced in __init__
    other_participants = forms.CharField(
        label=_("Others who took part"),
        help_text=_(
            "For example the guardian, an interpreter, a teacher: name and role."
        ),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    views_method = forms.ChoiceField(
        label=_("How the child's views were obtained"),
        choices=ViewsMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    views_not_obtained_reason = forms.CharField(
        label=_("Why the views could not be obtained"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations used"),
        choices=Accommodation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    views_language = forms.ChoiceField(
        label=_("Language the child used"),
        choices=[("", "—"), *ViewsLanguage.choices],
        widget=FastSelect,
        required=False,
    )
    views_language_other = forms.CharField(
        label=_("Other language"), max_length=60, required=False
    )
    child_views = forms.CharField(
        label=_("The child's views"),
        help_text=_("In the child's own words where possible."),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    maturity_considered = forms.TypedChoiceField(
        label=_("Were the child's age and maturity taken into account?"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    maturity_note = forms.CharField(
        label=_("How age and maturity were weighed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, team: list[User], max_tier: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_participants"] = team_field(
            _("Case team members who took part"), team
        )
        for name, label, tier in FINDING_AREAS:
            if tier <= max_tier:
                self.fields[name] = forms.CharField(
                    label=label,
                    max_length=10000,
                    required=False,
                    widget=forms.Textarea(attrs=TEXTAREA),
                )
        if max_tier < 2:  # the narrative is beyond this writer
            for name in (
                "other_participants",
                "views_not_obtained_reason",
                "child_views",
                "maturity_note",
            ):
                del self.fields[name]
        self.order_fields(["team_participants", "other_participants"])


class OptionForm(forms.Form):
    option = forms.CharField(
        label=_("Option"),
        help_text=_(
            "For example: return to the family with support; foster care; a shelter."
        ),
        max_length=500,
    )
    arguments_for = forms.CharField(
        label=_("For"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    arguments_against = forms.CharField(
        label=_("Against"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class OptionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        option: BestInterestsOption = obj
        return str(option.option)


def option_field(
    options: list[BestInterestsOption], *, required: bool, **kwargs: Any
) -> OptionChoiceField:
    return OptionChoiceField(
        queryset=BestInterestsOption.objects.filter(pk__in=[o.pk for o in options]),
        required=required,
        **kwargs,
    )


class DetermineForm(forms.Form):
    option = forms.Field()  # replaced in __init__
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "Why this option serves the child's best interests, weighing the child's views."
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    panel = forms.Field(required=False)  # replaced in __init__
    panel_others = forms.CharField(
        label=_("Other panel members"),
        help_text=_("Name and role, for example the guardian or a child psychologist."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    determined_on = forms.DateField(
        label=_("Date of the determination"), widget=_date_widget()
    )
    review_date = forms.DateField(
        label=_("Review date"), required=False, widget=_date_widget()
    )
    explained_to_child = forms.TypedChoiceField(
        label=_("Was the decision explained to the child?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )
    explanation_method = forms.ChoiceField(
        label=_("How it was explained"),
        choices=[("", "—"), *((m.value, m.label) for m in COMMUNICATION_METHODS)],
        widget=FastSelect,
        required=False,
    )
    explanation_note = forms.CharField(
        label=_("About the explanation"),
        help_text=_("If it was not explained: why, and when it will be."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        options: list[BestInterestsOption],
        team: list[User],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"determined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["option"] = option_field(
            options,
            required=True,
            label=_("Option chosen"),
            widget=forms.RadioSelect,
            empty_label=None,
        )
        self.fields["panel"] = team_field(_("Panel members from the case team"), team)
        self.fields["review_date"].help_text = _(
            "Leave empty to review %(days)s days after the determination."
        ) % {"days": settings.QORGAU_BEST_INTERESTS_REVIEW_DAYS}


class AppealForm(forms.Form):
    lodged_by = forms.ChoiceField(
        label=_("Lodged by"),
        choices=BestInterestsAppeal.LodgedBy.choices,
        widget=forms.RadioSelect,
    )
    lodged_by_detail = forms.CharField(
        label=_("Who lodged it"),
        help_text=_("Needed when someone else lodged the appeal."),
        max_length=500,
        required=False,
    )
    lodged_on = forms.DateField(label=_("Lodged on"), widget=_date_widget())
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"lodged_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecideAppealForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"),
        choices=[
            (o.value, o.label)
            for o in BestInterestsAppeal.Outcome
            if o != BestInterestsAppeal.Outcome.PENDING
        ],
        widget=forms.RadioSelect,
    )
    option = forms.Field(required=False)  # replaced in __init__
    reasons = forms.CharField(
        label=_("Reasons for the appeal decision"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, options: list[BestInterestsOption], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"] = option_field(
            options,
            required=False,
            label=_("New option chosen"),
            help_text=_("Only when the appeal changes the decision."),
            widget=FastSelect,
            empty_label="—",
        )
        self.order_fields(["outcome", "option", "reasons", "version"])
