"""Timeline lines for risk, safety and support plan events, in the reader's language."""

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.plans.models import (
    Area,
    Level,
    PlannedService,
    SafetyMeasure,
    ServiceDelivery,
    ServiceType,
)


def _label(choices: type[models.TextChoices], value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


SIMPLE = {
    "risk_draft": lambda: _("Risk assessment started (draft)"),
    "risk_discarded": lambda: _("Draft risk assessment discarded"),
    "risk_review_overdue": lambda: _("Risk assessment past its review date"),
    "support_plan_created": lambda: _("Support plan drafted"),
    "support_plan_changed": lambda: _("Support plan goals changed"),
    "support_plan_approved": lambda: _("Support plan approved"),
    "support_plan_completed": lambda: _("Support plan completed"),
    "support_plan_cancelled": lambda: _("Support plan cancelled"),
}


def describe_plan(p: dict[str, Any]) -> str:
    from qorgau.cases.timeline import organisation_name

    step = p.get("step", "")
    if step in SIMPLE:
        return str(SIMPLE[step]())
    if step == "risk_finalised":
        values = {"level": _label(Level, p.get("level"))}
        if p.get("priority_raised"):
            return _(
                "Risk assessed: %(level)s overall; case priority raised to high"
            ) % (values)
        return _("Risk assessed: %(level)s overall") % values
    if step == "safety_plan_saved":
        measures = int(p.get("measures", 0))
        return ngettext(
            "Safety plan version %(version)s saved (%(measures)s measure)",
            "Safety plan version %(version)s saved (%(measures)s measures)",
            measures,
        ) % {"version": p.get("version", ""), "measures": measures}
    if step == "measure_status":
        return _("Safety measure against %(area)s: %(status)s") % {
            "area": _label(Area, p.get("area")).lower(),
            "status": _label(SafetyMeasure.Status, p.get("status")).lower(),
        }
    service = _label(ServiceType, p.get("service"))
    if step == "service_added":
        return _("Service planned: %(service)s by %(provider)s") % {
            "service": service,
            "provider": organisation_name(p.get("provider")),
        }
    if step == "service_status":
        return _("Service %(service)s: %(status)s") % {
            "service": service,
            "status": _label(PlannedService.Status, p.get("status")).lower(),
        }
    if step == "delivery_recorded":
        return _("Service delivered: %(service)s (%(attendance)s)") % {
            "service": service,
            "attendance": _label(
                ServiceDelivery.Attendance, p.get("attendance")
            ).lower(),
        }
    return _("Risk, safety and support plans")
