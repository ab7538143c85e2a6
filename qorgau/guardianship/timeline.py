"""Timeline lines for age assessments and appointments, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qorgau.guardianship.minority import Minority
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def describe_age(p: dict[str, Any]) -> str:
    step = p.get("step")
    if step == "presumed":
        return _("Presumed a minor: the age is not documented")
    if step == "lifted":
        return _("Presumption of minority lifted: documents show an adult")
    values = {
        "conclusion": _label(AgeAssessment.Conclusion, p.get("conclusion")),
        "method": _label(AgeAssessment.Method, p.get("method")),
        "minority": _label(Minority, p.get("minority")),
    }
    if p.get("age_min") is not None and p.get("age_max") is not None:
        values |= {"min": p["age_min"], "max": p["age_max"]}
        return (
            _(
                "Age assessed (%(method)s): %(conclusion)s, %(min)s–%(max)s years. %(minority)s"
            )
            % values
        )
    return _("Age assessed (%(method)s): %(conclusion)s. %(minority)s") % values


def describe_appointment(p: dict[str, Any]) -> str:
    values = {"kind": _label(GuardianAppointment.Kind, p.get("type"))}
    step = p.get("step")
    if step == "requested":
        if p.get("origin") == GuardianAppointment.Origin.UNACCOMPANIED:
            return _("Asked for: %(kind)s (the child is unaccompanied)") % values
        return _("Asked for: %(kind)s") % values
    if step == "appointed":
        return _("Appointed: %(kind)s") % values
    if step == "ended":
        values["reason"] = _label(GuardianAppointment.EndReason, p.get("reason"))
        return _("Appointment ended: %(kind)s (%(reason)s)") % values
    if step == "withdrawn":
        return _("Request withdrawn: %(kind)s") % values
    return _("Guardian or legal representative")
