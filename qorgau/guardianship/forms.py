"""HTML input for age assessments and appointments (the services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation
from qorgau.cases.models import Case, CaseParticipant
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment
from qorgau.lib.widgets import FastSelect

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisations_for(case: Case, *types: str) -> QuerySet[Organisation]:
    """Active organisations of the case's region or already on the case; with `types`, only
    organisations of those types anywhere (a guardianship body of another region, say)."""
    from qorgau.cases.forms import involved_organisations

    near = Q(region_id=case.region_id) | Q(pk__in=involved_organisations(case))
    if types:
        near |= Q(type__code__in=types)
    return (
        Organisation.objects.filter(near, is_active=True)
        .select_related("region")
        .order_by("region__code", "name_ru")
    )


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"


class ParticipantChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_relation_display()})"


class AgeAssessmentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the age was assessed"), choices=AgeAssessment.Method.choices
    )
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=AgeAssessment.Conclusion.choices,
        widget=forms.RadioSelect,
    )
    documented_birth_date = forms.DateField(
        label=_("Date of birth shown by the documents"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For a documented age."),
    )
    age_min = forms.IntegerField(
        label=_("Youngest age (years)"),
        required=False,
        min_value=0,
        max_value=30,
        help_text=_("For an estimated range, or a disputed age with a range."),
    )
    age_max = forms.IntegerField(
        label=_("Oldest age (years)"), required=False, min_value=0, max_value=30
    )
    assessing_organisation = OrganisationChoiceField(
        label=_("Assessing organisation"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)
    reasons = forms.CharField(
        label=_("What the assessment rests on"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Documents seen, examination or interview findings. Medical findings are shown only to those who may read health details."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessing_organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = organisations_for(case)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Appointment to ask for"), choices=GuardianAppointment.Kind.choices
    )
    notes = forms.CharField(
        label=_("Notes for the guardianship authority"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AppointForm(VersionForm):
    participant = ParticipantChoiceField(
        label=_("Person appointed"),
        queryset=CaseParticipant.objects.none(),
        required=False,
        empty_label=_("Nobody: an organisation is appointed"),
        help_text=_("A person linked to the case as guardian or legal representative."),
    )
    organisation = OrganisationChoiceField(
        label=_("Or the organisation appointed"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=FastSelect,
        empty_label=_("None: a person is appointed"),
        help_text=_("For example a children's institution."),
    )
    appointing_authority = OrganisationChoiceField(
        label=_("Appointing authority"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
        help_text=_("Usually the guardianship and trusteeship body of the akimat."),
    )
    legal_act_reference = forms.CharField(
        label=_("Legal act (number or title)"), max_length=200
    )
    legal_act_date = forms.DateField(
        label=_("Date of the legal act"), widget=DATE_INPUT
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participant = self.fields["participant"]
        assert isinstance(participant, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        participant.queryset = case.participants.filter(
            relation__in=[
                CaseParticipant.Relation.GUARDIAN,
                CaseParticipant.Relation.LEGAL_REPRESENTATIVE,
            ]
        ).select_related("person")
        for name, types in (
            ("organisation", ()),
            ("appointing_authority", ("GuardianshipAuthority", "Court")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
            field.queryset = organisations_for(case, *types)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("participant") and data.get("organisation"):
            self.add_error(
                "organisation",
                _("Choose a linked person or an organisation, not both."),
            )
        return data


class EndForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("Why the appointment ends"),
        choices=GuardianAppointment.EndReason.choices,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(VersionForm):
    reason = forms.CharField(label=_("Why is the request withdrawn?"), max_length=2000)
