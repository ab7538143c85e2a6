"""HTML input for risk assessments, safety plans and support plans (the services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.cases.models import Case, CaseMember
from qorgau.lib.widgets import FastSelect
from qorgau.plans.models import (
    AREA_TIER,
    Accommodation,
    Area,
    Level,
    PlannedService,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
    ServiceDelivery,
    ServiceType,
    SupportPlan,
    factors_field,
    level_field,
)
from qorgau.plans.services import (
    DeliveryDetails,
    MeasureDetails,
    Rating,
    SafetyPlanDetails,
    ServiceDetails,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _narrow(field: forms.Field) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
    return field


class RiskAssessmentForm(forms.Form):
    """A level and the factors behind it for each risk area; factors of areas above the
    writer's access are left out (and left as they are)."""

    review_date = forms.DateField(
        label=_("Review earlier than usual (optional)"),
        required=False,
        widget=DATE,
        help_text=_(
            "Left empty, the review follows the overall level: a high risk is reviewed soonest."
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, max_tier: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_tier = max_tier
        for area in Area.values:
            self.fields[level_field(area)] = forms.ChoiceField(
                label=_("Level"),
                choices=Level.choices,
                initial=Level.NOT_ASSESSED,
                widget=forms.RadioSelect,
            )
            if max_tier >= AREA_TIER[area]:
                self.fields[factors_field(area)] = forms.CharField(
                    label=_("Factors that raise or lower this risk"),
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        self.order_fields([*self._area_field_names(), "review_date", "version"])

    def _area_field_names(self) -> list[str]:
        names = []
        for area in Area.values:
            names.append(level_field(area))
            if factors_field(area) in self.fields:
                names.append(factors_field(area))
        return names

    @staticmethod
    def initial_from(assessment: RiskAssessment, max_tier: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": assessment.version}
        for area in Area.values:
            initial[level_field(area)] = assessment.level_of(area)
            if max_tier >= AREA_TIER[area]:
                initial[factors_field(area)] = assessment.factors_of(area)
        return initial

    def areas(self) -> list[tuple[Any, Any, Any]]:
        """(area label, level field, factors field or None) for the template."""
        return [
            (
                Area(area).label,
                self[level_field(area)],
                self[factors_field(area)]
                if factors_field(area) in self.fields
                else None,
            )
            for area in Area.values
        ]

    def ratings(self) -> dict[str, Rating]:
        data = self.cleaned_data
        return {
            area: Rating(
                level=data[level_field(area)],
                factors=data.get(factors_field(area)) or "",
            )
            for area in Area.values
        }


def involved_organisations(case: Case) -> QuerySet[Organisation]:
    """The lead organisation, those with staff on the team and those referred to."""
    return Organisation.objects.filter(
        Q(pk=case.lead_organisation_id)
        | Q(
            users__case_memberships__case=case, users__case_memberships__removed_at=None
        )
        | Q(referrals_received__case=case)
    ).distinct()


def _grouped(
    case: Case, rows: QuerySet[Organisation], *, others: bool
) -> list[tuple[Any, Any]]:
    """Choices in groups: organisations on this case first, then the case's region, then
    (when `others`) the rest of the country."""
    rows = rows.select_related("region").order_by("region__code", "name_ru")
    involved = set(involved_organisations(case).values_list("pk", flat=True))
    groups: dict[str, list[tuple[Any, str]]] = {"case": [], "region": [], "other": []}
    for org in rows:
        if org.pk in involved:
            groups["case"].append((org.pk, org.name))
        elif org.region_id == case.region_id:
            groups["region"].append((org.pk, org.name))
        elif others:
            groups["other"].append((org.pk, f"{org.name} — {org.region.name}"))
    labels = {
        "case": _("On this case"),
        "region": _("In the case's region"),
        "other": _("Elsewhere"),
    }
    choices: list[tuple[Any, Any]] = [("", "—")]
    return choices + [(labels[k], v) for k, v in groups.items() if v]


class SafetyPlanForm(forms.Form):
    emergency_contacts = forms.CharField(
        label=_("Emergency contacts"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who the child and carers call, and how: 111 and 150 are free."),
    )
    safe_places = forms.CharField(
        label=_("Safe places"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DATE,
        help_text=_("Left empty: the risk assessment's review date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeasureChoices:
    """The choices every measure form of one page shares, looked up once."""

    def __init__(self, case: Case) -> None:
        self.organisations = _grouped(
            case, Organisation.objects.filter(is_active=True), others=False
        )
        members = CaseMember.objects.active().filter(case=case).values("user_id")
        self.people = User.objects.filter(is_active=True, pk__in=members)
        self.person_choices: list[tuple[Any, str]] = [("", "—")] + [
            (u.pk, f"{u.get_full_name() or u.username} — {u.organisation}")
            for u in self.people.select_related("organisation")
        ]


class MeasureForm(forms.Form):
    action = forms.CharField(
        label=_("Measure"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    area = (
        forms.ChoiceField(  # blank first, so that an unused extra measure is unchanged
            label=_("Risk it addresses"),
            choices=[("", "—"), *Area.choices],
            widget=FastSelect,
        )
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person (optional)"),
        queryset=User.objects.none(),
        required=False,
        widget=FastSelect,
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=SafetyMeasure.Status.choices,
        initial=SafetyMeasure.Status.PLANNED,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, choices: MeasureChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = _narrow(self.fields["responsible_organisation"])
        orgs.queryset = Organisation.objects.filter(is_active=True)
        orgs.widget.choices = choices.organisations
        people = _narrow(self.fields["responsible_person"])
        people.queryset = choices.people
        people.widget.choices = choices.person_choices

    def details(self) -> MeasureDetails:
        data = self.cleaned_data
        return MeasureDetails(
            action=data["action"],
            area=data["area"],
            responsible_organisation=data["responsible_organisation"],
            responsible_person=data["responsible_person"],
            due_date=data["due_date"],
            status=data["status"],
        )


class BaseMeasureFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave out of the new version")


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=2, can_delete=True
)


def safety_plan_forms(
    case: Case, plan: SafetyPlan | None, data: Any = None
) -> tuple[SafetyPlanForm, Any]:
    """The plan's form and its measures' formset, filled from the current plan."""
    initial: dict[str, Any] = {"version": plan.version if plan else 0}
    measures: list[dict[str, Any]] = []
    if plan is not None:
        initial |= {
            "emergency_contacts": plan.emergency_contacts,
            "safe_places": plan.safe_places,
        }
        measures = [
            {
                "action": m.action,
                "area": m.area,
                "responsible_organisation": m.responsible_organisation_id,
                "responsible_person": m.responsible_person_id,
                "due_date": m.due_date,
                "status": m.status,
            }
            for m in plan.measures.all()
            if m.status != SafetyMeasure.Status.ENDED
        ]
    form = SafetyPlanForm(data, initial=initial, prefix="plan")
    formset = MeasureFormSet(
        data,
        initial=measures,
        prefix="measure",
        form_kwargs={"choices": MeasureChoices(case)},
    )
    return form, formset


def safety_plan_details(form: SafetyPlanForm, formset: Any) -> SafetyPlanDetails:
    data = form.cleaned_data
    return SafetyPlanDetails(
        emergency_contacts=data["emergency_contacts"],
        safe_places=data["safe_places"],
        review_date=data["review_date"],
        measures=[
            f.details()
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ],
    )


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(choices=SafetyMeasure.Status.choices)
    version = forms.IntegerField()


class SupportPlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the support should achieve with the child, in plain words."),
    )
    planned_end_date = forms.DateField(
        label=_("Planned end (optional)"), required=False, widget=DATE
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=SupportPlan.Status.choices)
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Service"), choices=ServiceType.choices, widget=FastSelect
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), widget=FastSelect
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=PlannedService.Frequency.choices,
        initial=PlannedService.Frequency.WEEKLY,
        widget=FastSelect,
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End (optional)"), required=False, widget=DATE)
    planned_sessions = forms.IntegerField(
        label=_("Sessions planned (optional)"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Left empty: counted from how often and the dates."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = _narrow(self.fields["provider"])
        provider.queryset = Organisation.objects.filter(
            is_active=True, is_service_provider=True
        )
        provider.widget.choices = _grouped(case, provider.queryset, others=True)

    def details(self) -> ServiceDetails:
        return ServiceDetails(**self.cleaned_data)


class ServiceStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlannedService.Status.choices)
    version = forms.IntegerField()


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=720
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=ServiceDelivery.Attendance.choices,
        widget=forms.RadioSelect,
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations used"),
        choices=Accommodation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivered_by = forms.ModelChoiceField(
        label=_("Delivered by"),
        queryset=User.objects.none(),
        required=False,
        widget=FastSelect,
        help_text=_("Left empty: you."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, service: PlannedService, max_tier: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        staff = _narrow(self.fields["delivered_by"])
        staff.queryset = User.objects.filter(
            organisation_id=service.provider_id, is_active=True
        ).order_by("username")
        staff.widget.choices = [("", "—")] + [
            (u.pk, u.get_full_name() or u.username) for u in staff.queryset
        ]
        if max_tier < service.notes_tier:
            del self.fields["notes"]

    def details(self) -> DeliveryDetails:
        data = self.cleaned_data
        return DeliveryDetails(
            delivered_on=data["delivered_on"],
            duration_minutes=data["duration_minutes"],
            attendance=data["attendance"],
            accommodations=list(data["accommodations"]),
            notes=data.get("notes") or "",
            delivered_by=data["delivered_by"],
        )
