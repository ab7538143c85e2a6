"""HTML input for children and cases: validation and normalisation only."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import CAPABILITIES, Tier
from qorgau.cases.models import (
    Case,
    CaseAccessGrant,
    CaseMember,
    CaseParticipant,
    Person,
)
from qorgau.cases.services import PersonDetails
from qorgau.lib.iin import iin_is_valid, normalise_iin
from qorgau.lib.widgets import FastSelect
from qorgau.reference.models import District, Region
from qorgau.reviews.models import ClosureReason


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Case number, IIN, or the child's name in any spelling"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Case.Status.choices],
        widget=FastSelect,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("Any priority")), *Case.Priority.choices],
        widget=FastSelect,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.all(),
        empty_label=_("Any region"),
        widget=FastSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("Any organisation"),
        widget=FastSelect,
    )


class PersonForm(forms.Form):
    """A person's details. A child needs a date of birth or at least a birth year or an age."""

    family_name = forms.CharField(
        label=_("Family name"), max_length=100, required=False
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    other_spellings = forms.CharField(
        label=_("Other known spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line, for example the name as written in a passport or by another agency."
        ),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, help_text=_("Format: 31.12.2015")
    )
    birth_year = forms.IntegerField(
        label=_("Birth year (when the date is not known)"),
        required=False,
        min_value=1900,
        max_value=2100,
    )
    age_assessment = forms.ChoiceField(
        label=_("How the age is known"), choices=Person.AgeAssessment.choices
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=14,
        required=False,
        help_text=_("12 digits; leave empty when the child has none."),
    )
    citizenship = forms.CharField(
        label=_("Citizenship"),
        max_length=40,
        required=False,
        help_text=_("Country codes, for example KZ or KZ, UZ"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=Person.Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    communication_needs = forms.MultipleChoiceField(
        label=_("Communication needs"),
        required=False,
        choices=Person.CommunicationNeed.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    disability_status = forms.ChoiceField(
        label=_("Disability"), choices=Person.Disability.choices
    )
    disability_types = forms.MultipleChoiceField(
        label=_("Types of disability"),
        required=False,
        choices=Person.DisabilityType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    support_needs = forms.CharField(
        label=_("Support needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )

    kind = Person.Kind.CHILD

    def clean_iin(self) -> str:
        iin = normalise_iin(self.cleaned_data["iin"])
        if iin and not iin_is_valid(iin):
            raise ValidationError(
                _(
                    "This is not a valid IIN: it must have 12 digits and a correct check digit."
                )
            )
        return iin

    def clean_citizenship(self) -> list[str]:
        codes = [
            c.strip().upper()
            for c in self.cleaned_data["citizenship"].replace(";", ",").split(",")
            if c.strip()
        ]
        if any(len(c) != 2 or not c.isalpha() or not c.isascii() for c in codes):
            raise ValidationError(
                _(
                    "Use two-letter country codes separated by commas, for example KZ, UZ."
                )
            )
        return codes

    def clean_other_spellings(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["other_spellings"].splitlines()
            if line.strip()
        ]

    def clean_phone(self) -> str:
        phone = "".join(
            ch for ch in self.cleaned_data["phone"] if ch.isdigit() or ch == "+"
        )
        if phone and not (7 <= len(phone.lstrip("+")) <= 15):
            raise ValidationError(
                _("Enter the phone number with its code, for example +7 701 123 45 67.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born: date | None = data.get("birth_date")
        today = timezone.localdate()
        if born and born > today:
            self.add_error(
                "birth_date", _("The date of birth cannot be in the future.")
            )
        if born and data.get("birth_year") and data["birth_year"] != born.year:
            self.add_error(
                "birth_year", _("The birth year does not match the date of birth.")
            )
        if self.kind == Person.Kind.CHILD:
            if not born and not data.get("birth_year"):
                self.add_error(
                    "birth_year",
                    _("Give the date of birth, or at least an estimated birth year."),
                )
            year = born.year if born else data.get("birth_year")
            if (
                year
                and today.year - year > 18
                and data.get("age_assessment") != Person.AgeAssessment.PRESUMED_MINOR
            ):
                self.add_error(
                    "age_assessment",
                    _(
                        "This age is over 18. If the person may be a child, choose “Presumed minor”: all child protections then apply."
                    ),
                )
        if (
            data.get("disability_types")
            and data.get("disability_status") == Person.Disability.NONE
        ):
            self.add_error(
                "disability_status",
                _("Types of disability are given: choose “Suspected” or “Certified”."),
            )
        district = data.get("district")
        if district and data.get("region") and district.region_id != data["region"].pk:
            self.add_error("district", _("This district is not in the chosen region."))
        return data

    def details(self) -> PersonDetails:
        d = self.cleaned_data
        return PersonDetails(
            kind=self.kind,
            given_name=d["given_name"].strip(),
            family_name=d["family_name"].strip(),
            patronymic=d["patronymic"].strip(),
            other_spellings=d["other_spellings"],
            birth_date=d["birth_date"],
            birth_year=d["birth_year"],
            age_assessment=d["age_assessment"],
            sex=d["sex"],
            iin=d["iin"],
            citizenship=d["citizenship"],
            languages=d["languages"],
            communication_needs=d["communication_needs"],
            disability_status=d["disability_status"],
            disability_types=d["disability_types"],
            support_needs=d["support_needs"].strip(),
            phone=d["phone"],
            email=d["email"],
            address=d["address"].strip(),
            region=d["region"],
            district=d["district"],
        )

    @staticmethod
    def initial_from(person: Person) -> dict[str, Any]:
        return {
            "family_name": person.family_name,
            "given_name": person.given_name,
            "patronymic": person.patronymic,
            "other_spellings": "\n".join(person.other_spellings or []),
            "birth_date": person.birth_date_value,
            "birth_year": person.birth_year,
            "age_assessment": person.age_assessment,
            "sex": person.sex,
            "iin": person.iin,
            "citizenship": ", ".join(person.citizenship or []),
            "languages": person.languages,
            "communication_needs": person.communication_needs,
            "disability_status": person.disability_status,
            "disability_types": person.disability_types,
            "support_needs": person.support_needs,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "region": person.region_id,
            "district": person.district_id,
        }


class AdultForm(PersonForm):
    kind = Person.Kind.ADULT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["age_assessment"].initial = Person.AgeAssessment.ESTIMATED


def unaccompanied_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Unaccompanied or separated child"),
        required=False,
        help_text=_(
            "No parent or other legal carer is with the child: a guardian or legal representative must be appointed."
        ),
    )


class NewCaseForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=Case.Type.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    unaccompanied = unaccompanied_field()


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaseEditForm(VersionedForm):
    type = forms.ChoiceField(label=_("Case type"), choices=Case.Type.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Case.Priority.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    unaccompanied = unaccompanied_field()


class PersonEditForm(VersionedForm, PersonForm):
    pass


class StatusForm(forms.Form):
    """The statuses a case may move to from where it is (the service checks again)."""

    status = forms.ChoiceField(
        label=_("New status"), choices=Case.Status.choices, widget=FastSelect
    )
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", _("Not closing")), *ClosureReason.choices],
        widget=FastSelect,
        help_text=_("Required when the case is closed."),
    )
    detail = forms.CharField(
        label=_("Details of the reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “Other”."),
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type for mypy
            allowed = Case.next_statuses(case.status)
            field.choices = [
                (v, label) for v, label in Case.Status.choices if v in allowed
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") in Case.CLOSED_STATUSES and not data.get("reason"):
            self.add_error("reason", _("Choose the reason for closing the case."))
        if (
            data.get("reason") == ClosureReason.OTHER
            and not data.get("detail", "").strip()
        ):
            self.add_error("detail", _("Say why the case is closed."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    tier = forms.TypedChoiceField(
        label=_("Sensitivity"), coerce=int, choices=Tier.choices, initial=Tier.NARRATIVE
    )

    def __init__(
        self, *args: Any, max_tier: int = Tier.CRIMINAL, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tier = self.fields["tier"]
        assert isinstance(tier, forms.TypedChoiceField)  # noqa: S101 - narrows the type for mypy
        tier.choices = [(v, label) for v, label in Tier.choices if v <= max_tier]


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("User name of the new member"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role on the case"), choices=CaseMember.Role.choices
    )

    def clean_username(self) -> User:
        user = User.objects.filter(
            username=self.cleaned_data["username"].strip(), is_active=True
        ).first()
        if user is None:
            raise ValidationError(_("There is no active user with this user name."))
        return user


class LinkPersonForm(AdultForm):
    relation = forms.ChoiceField(
        label=_("Relation to the child"), choices=CaseParticipant.Relation.choices
    )
    has_parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False
    )


class BreakGlassForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=24)
    reason_code = forms.ChoiceField(
        label=_("Reason"), choices=CaseAccessGrant.Reason.choices
    )
    reason = forms.CharField(
        label=_("Explain why you need access now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=20,
        max_length=2000,
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CaseAccessGrant.ReviewOutcome.choices
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class OversightForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Oversight body"),
        queryset=Organisation.objects.filter(
            is_active=True, ministry__in=["prosecutor_general", "ombudsman"]
        ),
    )
    max_tier = forms.TypedChoiceField(
        label=_("Up to sensitivity"), coerce=int, choices=Tier.choices
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_on = forms.DateField(label=_("Open until (optional)"), required=False)

    def clean_expires_on(self) -> date | None:
        day: date | None = self.cleaned_data["expires_on"]
        if day and day <= timezone.localdate():
            raise ValidationError(_("Choose a date in the future."))
        return day


def involved_organisations(case: Case) -> set[int]:
    """The lead organisation, those of the team, and those a referral of the case was accepted by.

    Another agency comes onto a case by accepting a referral (with its deadline and trail), not
    by being picked from a list of everyone in the country; after that, its people can be added.
    """
    orgs = {case.lead_organisation_id}
    orgs.update(
        case.members.active()
        .exclude(user__organisation__isnull=True)
        .values_list("user__organisation_id", flat=True)
    )
    orgs.update(
        case.referrals.filter(
            status__in=["accepted", "in_service", "completed"]
        ).values_list("to_organisation_id", flat=True)
    )
    return orgs


class TeamMemberChoiceForm(TeamMemberForm):
    """The page's version: colleagues of the organisations on the case, chosen by name."""

    username = forms.ChoiceField(  # type: ignore[assignment]
        label=_("New member"), widget=FastSelect, required=False
    )
    other_username = forms.CharField(
        label=_("Or someone of another organisation: their user name"),
        max_length=150,
        required=False,
        help_text=_("Usually another agency joins by accepting a referral."),
    )
    field_order = ["username", "other_username", "role"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_roles = [role for role, cap in CAPABILITIES.items() if cap.max_tier]
        current = case.members.active().values("user_id")
        users = (
            User.objects.filter(
                is_active=True,
                role_assignments__role__in=case_roles,
                organisation__in=involved_organisations(case),
            )
            .exclude(pk__in=current)
            .select_related("organisation")
            .distinct()
            .order_by("organisation__name_ru", "last_name", "first_name")
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        for user in users:
            if user.organisation is None:
                continue
            label = f"{user.get_full_name() or user.username} ({user.username})"
            groups.setdefault(user.organisation.name, []).append((user.username, label))
        field = self.fields["username"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type for mypy
        field.choices = [("", _("Choose a person")), *groups.items()]

    def clean_username(self) -> User | None:  # type: ignore[override]
        return super().clean_username() if self.cleaned_data.get("username") else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other = (data.get("other_username") or "").strip()
        if other and data.get("username"):
            raise ValidationError(_("Choose a person or type a user name, not both."))
        if other:
            user = User.objects.filter(username=other, is_active=True).first()
            if user is None:
                self.add_error(
                    "other_username", _("There is no active user with this user name.")
                )
            data["username"] = user
        elif not data.get("username") and "username" not in self.errors:
            raise ValidationError(_("Choose the person to add."))
        return data
