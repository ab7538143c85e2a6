"""Identification decisions and reflection periods: atomic, checked, on the timeline and audited.

The order is the NRM's: a preliminary identification by any agency on the case team, then a
reasonable-grounds decision by a competent authority (QORGAU_REASONABLE_GROUNDS_WORKING_DAYS
after it was asked for), then, after recovery and reflection, recognition of victim status.
A positive reasonable-grounds decision starts the reflection period; only decisions change the
case's victim status; a negative decision may be reconsidered at the request of the team.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Tier, roles_with
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent
from qorgau.protection.models import Decision, ReflectionPeriod
from qorgau.reference.calendar import WorkingCalendar

Kind = Decision.Kind
Outcome = Decision.Outcome
# The case moves at least this far along the NRM path when a decision is positive.
CASE_STATUS_AFTER = {
    Kind.PRELIMINARY: Case.Status.PRELIMINARY_IDENTIFICATION,
    Kind.REASONABLE_GROUNDS: Case.Status.REFLECTION_PERIOD,
    Kind.VICTIM_STATUS: Case.Status.ASSISTANCE_ACTIVE,
}


def _require_decider(user: User, kind: str) -> None:
    """Anyone on the case may identify preliminarily; the later decisions need a competent authority."""
    if kind != Kind.PRELIMINARY and not user.capability.decides_identification:
        raise ServiceError(
            _(
                "Only a competent authority (police, supervisor, coordinator) takes this decision."
            )
        )


@transaction.atomic
def request_decision(case: Case, *, kind: str, by: User) -> Decision:
    """Asks for a decision; a reasonable-grounds decision gets its deadline in working days."""
    require_write(by, case)
    if kind not in Kind.values:
        raise ServiceError(_("Unknown kind of decision."), field="kind")
    if case.decisions.filter(kind=kind, outcome=Outcome.PENDING).exists():
        raise ServiceError(_("This decision is already awaited."), field="kind")
    if (
        kind == Kind.VICTIM_STATUS
        and not case.decisions.filter(
            kind=Kind.REASONABLE_GROUNDS, outcome=Outcome.POSITIVE
        ).exists()
    ):
        raise ServiceError(
            _("Victim status is decided after a positive reasonable-grounds decision."),
            field="kind",
        )
    now = timezone.now()
    decision = Decision(case=case, kind=kind, requested_by=by, requested_at=now)
    if kind == Kind.REASONABLE_GROUNDS:
        days = settings.QORGAU_REASONABLE_GROUNDS_WORKING_DAYS
        decision.due_at = WorkingCalendar.load().add_working_days(now, days)
    decision.save()
    _timeline(decision, "requested", by)
    _audit(decision, "decision.request", by)
    return decision


@transaction.atomic
def record_decision(
    decision: Decision,
    *,
    outcome: str,
    reasons: str,
    by: User,
    expected_version: int | None = None,
) -> Decision:
    """Records the outcome of an awaited decision and what follows from it."""
    current: Decision = (
        Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    require_write(by, current.case)
    _require_decider(by, current.kind)
    if not current.is_pending:
        raise ServiceError(_("This decision has already been taken."))
    if outcome not in (Outcome.POSITIVE, Outcome.NEGATIVE, Outcome.WITHDRAWN):
        raise ServiceError(_("Choose the outcome."), field="outcome")
    if not reasons.strip():
        raise ServiceError(_("Give the reasons for the decision."), field="reasons")
    now = timezone.now()
    current.outcome = outcome
    current.reasons = reasons.strip()
    current.decided_by = by
    current.deciding_organisation = by.organisation
    current.decided_at = now
    current.version += 1
    current.save()
    _timeline(current, "decided", by, outcome=outcome)
    _audit(current, "decision.record", by, details={"outcome": outcome})
    _follow(current, by, now)
    return current


def decide(case: Case, *, kind: str, outcome: str, reasons: str, by: User) -> Decision:
    """Requests and records a decision in one step (a preliminary identification, say)."""
    with transaction.atomic():
        decision = request_decision(case, kind=kind, by=by)
        return record_decision(decision, outcome=outcome, reasons=reasons, by=by)


def _follow(decision: Decision, by: User, now: datetime) -> None:
    """What a decision changes: the victim status, the reflection period and the case's stage."""
    case = Case.objects.select_for_update().get(pk=decision.case_id)
    changes: dict[str, Any] = {}
    if decision.kind == Kind.VICTIM_STATUS and decision.outcome in (
        Outcome.POSITIVE,
        Outcome.NEGATIVE,
    ):
        changes["victim_status"] = (
            Case.VictimStatus.ACTUAL
            if decision.outcome == Outcome.POSITIVE
            else Case.VictimStatus.NOT_A_VICTIM
        )
    if decision.outcome == Outcome.POSITIVE:
        target = CASE_STATUS_AFTER[Kind(decision.kind)]
        if target in Case.next_statuses(case.status):
            changes["status"] = target
        if decision.kind == Kind.REASONABLE_GROUNDS:
            _start_reflection(decision, now)
    if changes:
        old = case.status
        for name, value in changes.items():
            setattr(case, name, value)
        case.version += 1
        case.updated_at = now
        case.save()
        if case.status != old:
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.STATUS_CHANGED,
                actor=by,
                params={"old": old, "new": case.status},
            )


def _start_reflection(decision: Decision, now: datetime) -> ReflectionPeriod:
    days = settings.QORGAU_REFLECTION_DAYS
    period = ReflectionPeriod.objects.create(
        case_id=decision.case_id,
        decision=decision,
        started_at=now,
        planned_end=now + timedelta(days=days),
    )
    CaseEvent.objects.create(
        case_id=decision.case_id,
        kind=CaseEvent.Kind.DECISION,
        actor=None,
        params={"step": "reflection_started", "days": days},
    )
    return period


@transaction.atomic
def request_reconsideration(decision: Decision, *, reason: str, by: User) -> Decision:
    """Asks the competent authority to look again at a negative decision: a new pending decision."""
    require_write(by, decision.case)
    if decision.outcome != Outcome.NEGATIVE:
        raise ServiceError(_("Only a negative decision can be reconsidered."))
    if Decision.objects.filter(reconsideration_of=decision).exists():
        raise ServiceError(_("Reconsideration of this decision was already asked for."))
    if not reason.strip():
        raise ServiceError(
            _("Say why the decision should be reconsidered."), field="reason"
        )
    now = timezone.now()
    again = Decision(
        case=decision.case,
        kind=decision.kind,
        requested_by=by,
        requested_at=now,
        reconsideration_of=decision,
        reconsideration_reason=reason.strip(),
    )
    if decision.kind == Kind.REASONABLE_GROUNDS:
        again.due_at = WorkingCalendar.load().add_working_days(
            now, settings.QORGAU_REASONABLE_GROUNDS_WORKING_DAYS
        )
    again.save()
    _timeline(again, "reconsideration", by)
    _audit(again, "decision.reconsider", by, details={"of": str(decision.pk)})
    return again


@transaction.atomic
def extend_reflection(
    period: ReflectionPeriod, *, until: datetime, reason: str, by: User
) -> ReflectionPeriod:
    current = ReflectionPeriod.objects.select_for_update().get(pk=period.pk)
    require_write(by, current.case)
    if not current.is_running:
        raise ServiceError(_("This period has ended."))
    if until <= current.ends_at:
        raise ServiceError(
            _("An extension must end later than the period does now."), field="until"
        )
    if not reason.strip():
        raise ServiceError(_("Give the reason for the extension."), field="reason")
    current.extended_to = until
    current.extension_reason = reason.strip()
    current.save()
    CaseEvent.objects.create(
        case_id=current.case_id,
        kind=CaseEvent.Kind.DECISION,
        actor=by,
        params={"step": "reflection_extended", "until": until.isoformat()},
    )
    record_event(
        "reflection.extend",
        by=by,
        object_type="reflection_period",
        object_id=current.pk,
        case_id=current.case_id,
    )
    return current


@transaction.atomic
def end_reflection(period: ReflectionPeriod, *, by: User | None) -> ReflectionPeriod:
    current = ReflectionPeriod.objects.select_for_update().get(pk=period.pk)
    if by is not None:
        require_write(by, current.case)
    if not current.is_running:
        raise ServiceError(_("This period has ended."))
    current.ended_at = timezone.now()
    current.save()
    CaseEvent.objects.create(
        case_id=current.case_id,
        kind=CaseEvent.Kind.DECISION,
        actor=by,
        params={"step": "reflection_ended"},
    )
    record_event(
        "reflection.end",
        by=by,
        object_type="reflection_period",
        object_id=current.pk,
        case_id=current.case_id,
    )
    return current


def end_finished_reflection_periods(now: datetime | None = None) -> int:
    """Closes the reflection periods whose (extended) end has passed; run by the schedule."""
    now = now or timezone.now()
    ended = 0
    for period in ReflectionPeriod.objects.filter(ended_at__isnull=True):
        if period.ends_at <= now:
            end_reflection(period, by=None)
            ended += 1
    return ended


def _timeline(decision: Decision, step: str, by: User, **params: Any) -> None:
    CaseEvent.objects.create(
        case_id=decision.case_id,
        kind=CaseEvent.Kind.DECISION,
        actor=by,
        params={
            "decision": str(decision.pk),
            "type": decision.kind,
            "step": step,
            **params,
        },
    )


def _audit(
    decision: Decision, action: str, by: User, details: dict[str, Any] | None = None
) -> None:
    record_event(
        action,
        by=by,
        object_type="decision",
        object_id=decision.pk,
        case_id=decision.case_id,
        tier=Tier.NARRATIVE,
        details={"kind": decision.kind, **(details or {})},
    )


def report_overdue_decisions(now: datetime | None = None) -> int:
    """Tells the competent authorities of a case's lead organisation, once, that a decision
    they owe is past its deadline. Returns how many decisions were reported."""
    now = now or timezone.now()
    overdue = Decision.objects.filter(
        outcome=Outcome.PENDING, due_at__lt=now, overdue_reported_at__isnull=True
    ).select_related("case")
    reported = 0
    for decision in overdue[:500]:
        with transaction.atomic():
            claimed = Decision.objects.filter(
                pk=decision.pk, overdue_reported_at__isnull=True
            ).update(overdue_reported_at=now)
            if not claimed:  # another sweep got there first
                continue
            deciders = User.objects.filter(
                is_active=True,
                organisation_id=decision.case.lead_organisation_id,
                role_assignments__role__in=roles_with("decides_identification"),
            ).distinct()
            for user in deciders:
                notify(
                    user,
                    kind="decision_overdue",
                    case_number=decision.case.number,
                    decision=decision.kind,
                )
            reported += 1
    return reported
