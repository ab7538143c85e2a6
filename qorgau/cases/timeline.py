from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.agencies.roles import Tier
from qorgau.cases.models import Case, CaseEvent, CaseMember, CaseParticipant


def describe(event: CaseEvent) -> str:
    """One line of the timeline in the reader's language, built from parameters without personal data."""
    p = event.params
    kind = event.kind
    if kind == CaseEvent.Kind.STATUS_CHANGED:
        if p.get("reason"):
            from qorgau.reviews.timeline import describe_closure

            return describe_closure(p)
        return _("Status changed from “%(old)s” to “%(new)s”") % {
            "old": Case.Status(p["old"]).label
            if p.get("old") in Case.Status.values
            else p.get("old"),
            "new": Case.Status(p["new"]).label
            if p.get("new") in Case.Status.values
            else p.get("new"),
        }
    if kind == CaseEvent.Kind.MEMBER_ADDED:
        role = (
            CaseMember.Role(p["role"]).label
            if p.get("role") in CaseMember.Role.values
            else p.get("role")
        )
        return _("%(user)s joined the team as %(role)s") % {
            "user": p.get("user", ""),
            "role": role,
        }
    if kind == CaseEvent.Kind.MEMBER_REMOVED:
        return _("%(user)s was removed from the team") % {"user": p.get("user", "")}
    if kind == CaseEvent.Kind.PERSON_LINKED:
        relation = p.get("relation", "")
        label = (
            CaseParticipant.Relation(relation).label
            if relation in CaseParticipant.Relation.values
            else relation
        )
        return _("Linked a person: %(relation)s") % {"relation": label}
    if kind == CaseEvent.Kind.NOTE_ADDED:
        tier = p.get("tier")
        return _("Note added (%(tier)s)") % {
            "tier": Tier(tier).label if tier in Tier.values else tier
        }
    if kind == CaseEvent.Kind.BREAK_GLASS:
        hours = int(p.get("hours", 0))
        text = ngettext(
            "%(user)s used emergency access for %(hours)s hour",
            "%(user)s used emergency access for %(hours)s hours",
            hours,
        )
        return text % {
            "user": p.get("user", ""),
            "hours": p.get("hours", ""),
        }
    if kind == CaseEvent.Kind.REFERRAL:
        return _describe_referral(p)
    if kind == CaseEvent.Kind.DECISION:
        return _describe_decision(p)
    if kind == CaseEvent.Kind.CONSENT:
        return _describe_consent(p)
    if kind in (CaseEvent.Kind.AGE_ASSESSMENT, CaseEvent.Kind.GUARDIANSHIP):
        from qorgau.guardianship import timeline

        if kind == CaseEvent.Kind.AGE_ASSESSMENT:
            return timeline.describe_age(p)
        return timeline.describe_appointment(p)
    if kind == CaseEvent.Kind.BEST_INTERESTS:
        from qorgau.best_interests.timeline import describe as describe_best_interests

        return describe_best_interests(p)
    if kind == CaseEvent.Kind.PLAN:
        from qorgau.plans.timeline import describe_plan

        return describe_plan(p)
    if kind in (CaseEvent.Kind.REVIEW, CaseEvent.Kind.FOLLOW_UP):
        from qorgau.reviews.timeline import describe_review_event

        return describe_review_event(event)
    return str(CaseEvent.Kind(kind).label) if kind in CaseEvent.Kind.values else kind


def organisation_name(pk: Any) -> str:
    """An organisation's name in the active language, cached for a few minutes (timelines repeat them)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from qorgau.agencies.models import Organisation

    def lookup() -> str:
        org = Organisation.objects.filter(pk=pk).first()
        return org.name if org else "?"

    return str(cache.get_or_set(f"org-name:{pk}:{get_language()}", lookup, 300))


def _describe_referral(p: dict[str, Any]) -> str:
    from qorgau.referrals.models import Referral

    step = str(p.get("step", "")).removeprefix("referral_")
    values: dict[str, Any] = {
        "to": organisation_name(p.get("to")),
        "from": organisation_name(p.get("from")),
    }
    if step == "created":
        return _("Referral to %(to)s written") % values
    if step == "escalated":
        return _("Referral to %(to)s overdue: escalated") % values
    if step in Referral.Status.values:
        values["status"] = Referral.Status(step).label
        return _("Referral from %(from)s to %(to)s: %(status)s") % values
    return _("Referral to %(to)s") % values


def _describe_decision(p: dict[str, Any]) -> str:
    from qorgau.protection.models import Decision

    kind = p.get("type", "")
    values: dict[str, Any] = {
        "decision": Decision.Kind(kind).label if kind in Decision.Kind.values else kind
    }
    step = p.get("step")
    if step == "requested":
        return _("Decision asked for: %(decision)s") % values
    if step == "reconsideration":
        return _("Reconsideration asked for: %(decision)s") % values
    if step == "decided":
        outcome = p.get("outcome", "")
        values["outcome"] = (
            Decision.Outcome(outcome).label
            if outcome in Decision.Outcome.values
            else outcome
        )
        return _("%(decision)s: %(outcome)s") % values
    if step == "reflection_started":
        return ngettext(
            "Recovery and reflection period started (%(days)s day)",
            "Recovery and reflection period started (%(days)s days)",
            int(p.get("days", 0)),
        ) % {"days": p.get("days", "")}
    if step == "reflection_extended":
        return _("Recovery and reflection period extended")
    if step == "reflection_ended":
        return _("Recovery and reflection period ended")
    return str(CaseEvent.Kind.DECISION.label)


def _describe_consent(p: dict[str, Any]) -> str:
    from qorgau.referrals.models import Consent

    purpose = p.get("purpose", "")
    values = {
        "purpose": Consent.Purpose(purpose).label
        if purpose in Consent.Purpose.values
        else purpose
    }
    if p.get("step") == "withdrawn":
        return _("Consent withdrawn: %(purpose)s") % values
    return _("Consent recorded: %(purpose)s") % values
