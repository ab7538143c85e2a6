"""HTML input for referrals: validation and normalisation only (the services decide what is allowed)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation
from qorgau.agencies.roles import Tier
from qorgau.cases.models import Case
from qorgau.lib.widgets import FastSelect
from qorgau.reference.models import Term
from qorgau.referrals.models import Consent, Referral
from qorgau.referrals.services import REASON_VOCABULARY


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        region = obj.region.name if obj.region_id else ""
        return f"{obj.name} — {region}" if region else str(obj.name)


def active_organisations() -> Any:
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__code", "name_ru")
    )


class ReferralForm(forms.Form):
    to_organisation = OrganisationChoiceField(
        label=_("Refer to organisation"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"), widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Referral.Urgency.choices,
        initial=Referral.Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=Referral.LegalBasis.choices,
        initial=Referral.LegalBasis.CHILD_PROTECTION,
        widget=FastSelect,
    )
    shared_tier = forms.TypedChoiceField(
        label=_("The recipient may see the case up to"),
        coerce=int,
        choices=Tier.choices,
        initial=Tier.NARRATIVE,
        widget=FastSelect,
        help_text=_(
            "Until someone of the recipient organisation joins the case team, they see only this much."
        ),
    )
    consent = forms.ModelChoiceField(
        label=_("Consent relied on (optional)"),
        queryset=Consent.objects.none(),
        required=False,
        widget=FastSelect,
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing beyond the legal basis without consent (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("Message to the recipient"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = self.fields["to_organisation"]
        assert isinstance(orgs, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        orgs.queryset = active_organisations().exclude(pk=case.lead_organisation_id)
        reasons = self.fields["reasons"]
        assert isinstance(reasons, forms.MultipleChoiceField)  # noqa: S101
        reasons.choices = [
            (t.code, t.label) for t in Term.objects.of(REASON_VOCABULARY)
        ]
        consent = self.fields["consent"]
        assert isinstance(consent, forms.ModelChoiceField)  # noqa: S101
        consent.queryset = Consent.objects.filter(case=case, withdrawn_at__isnull=True)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for declining"), choices=Referral.DeclineReason.choices
    )
    detail = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RedirectForm(forms.Form):
    to_organisation = OrganisationChoiceField(
        label=_("Pass on to organisation"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
    )
    message = forms.CharField(
        label=_("Message to the new recipient"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = self.fields["to_organisation"]
        assert isinstance(orgs, forms.ModelChoiceField)  # noqa: S101
        orgs.queryset = active_organisations().exclude(
            pk__in=[referral.to_organisation_id, referral.from_organisation_id]
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepForm(forms.Form):
    """Acknowledge, accept, start the service, complete: a button and the version it was shown at."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=Consent.Purpose.choices, widget=FastSelect
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation it allows sharing with (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=FastSelect,
    )
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect
    )
    max_tier = forms.TypedChoiceField(
        label=_("Covers the case up to"),
        coerce=int,
        choices=Tier.choices,
        initial=Tier.NARRATIVE,
        widget=FastSelect,
    )
    how_obtained = forms.CharField(
        label=_("How it was obtained"),
        max_length=200,
        help_text=_(
            "For example: signed form; easy-read sheet read with the child; sign-language interpreter."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = self.fields["organisation"]
        assert isinstance(orgs, forms.ModelChoiceField)  # noqa: S101
        orgs.queryset = active_organisations()
