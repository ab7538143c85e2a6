"""HTML input for decisions and reflection periods (the services decide what is allowed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.lib.widgets import FastSelect
from qorgau.protection.models import Decision


class RequestDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision to ask for"), choices=Decision.Kind.choices, widget=FastSelect
    )


class RecordDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Decision.Outcome.POSITIVE, Decision.Outcome.POSITIVE.label),
            (Decision.Outcome.NEGATIVE, Decision.Outcome.NEGATIVE.label),
            (Decision.Outcome.WITHDRAWN, Decision.Outcome.WITHDRAWN.label),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReconsiderForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the decision be reconsidered?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendReflectionForm(forms.Form):
    until = forms.DateField(
        label=_("Extend until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason for the extension"), max_length=500)
