"""Case reviews, closure reasons and follow-ups: atomic, checked, on the timeline and audited.

An open case always has its next review scheduled: the first when it is opened (`open_case`
calls `schedule_first_review`), the next each time one is held, and, for cases found without
one, by the periodic sweep of `sweeps.py`, which also sends the reminders. Closing a case
(`change_case_status` calls `check_closure`, then `record_closure`) needs a reason from the
vocabulary, cancels the review still pending and plans the follow-ups.

Closed cases stay writable through the access layer (`require_write` does not look at the
status), which is what lets the owner and the team record follow-ups after closure; it is
these services that refuse a review of a closed case or a follow-up of an open one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.reviews.models import (
    CaseClosure,
    CaseReview,
    ClosureReason,
    FollowUp,
    reasons_for,
)
from qorgau.reviews.schedule import follow_up_dates, interval_days, next_review_on

SCHEDULED = CaseReview.Status.SCHEDULED
Outcome = CaseReview.Outcome
Situation = FollowUp.Situation


def _today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def _short(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _event(case_id: int, kind: str, by: User | None, **params: Any) -> CaseEvent:
    return CaseEvent.objects.create(case_id=case_id, kind=kind, actor=by, params=params)


def _audit(
    action: str,
    obj: models.Model,
    case_id: int,
    by: User | None,
    details: dict[str, Any] | None = None,
) -> None:
    record_event(
        action,
        by=by,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        case_id=case_id,
        tier=Tier.NARRATIVE,
        details=details,
    )


# --- The schedule -------------------------------------------------------------------------------


def schedule_first_review(case: Case) -> CaseReview:
    """The first review of a case just opened: one interval (by priority) after the opening."""
    due = next_review_on(timezone.localdate(case.opened_at), case.priority)
    return CaseReview.objects.create(
        case=case, due_on=due, responsible_id=case.owner_id
    )


def _scheduled(case: Case) -> CaseReview | None:
    return (
        CaseReview.objects.select_for_update()
        .filter(case=case, status=SCHEDULED)
        .first()
    )


def _last_review_or_opening(case: Case) -> date:
    held = case.reviews.filter(status=CaseReview.Status.HELD).aggregate(
        last=Max("held_on")
    )["last"]
    return held or timezone.localdate(case.opened_at)


def reschedule_for_priority(case: Case, *, by: User) -> CaseReview | None:
    """Brings the next review forward when a higher priority asks for it sooner (never before
    today); a lower priority leaves the date already planned. `update_case` calls this."""
    review = _scheduled(case)
    if review is None:
        return None
    due = max(next_review_on(_last_review_or_opening(case), case.priority), _today())
    if due >= review.due_on:
        return review
    review.due_on = due
    review.version += 1
    review.save(update_fields=["due_on", "version"])
    _event(case.pk, CaseEvent.Kind.REVIEW, by, step="rescheduled", due=due.isoformat())
    _audit("review.reschedule", review, case.pk, by, {"due": due.isoformat()})
    return review


def _schedule_next(case: Case, due: date, version: int) -> CaseReview:
    """The next review; its version follows the one held, so that a form still showing the
    review just held is stale for the next one too."""
    try:
        with transaction.atomic():
            return CaseReview.objects.create(
                case=case, due_on=due, version=version, responsible_id=case.owner_id
            )
    except IntegrityError:  # the sweep gave the case a review meanwhile: move that one
        review = CaseReview.objects.select_for_update().get(case=case, status=SCHEDULED)
        review.due_on, review.version = due, version
        review.save(update_fields=["due_on", "version"])
        return review


def team_members_named(case: Case, usernames: Iterable[str]) -> list[User]:
    """Current members of the case team by username; anyone else is refused, by name."""
    wanted = {u.strip() for u in usernames if u.strip()}
    members = list(
        User.objects.filter(
            username__in=wanted,
            case_memberships__case=case,
            case_memberships__removed_at__isnull=True,
        ).distinct()
    )
    unknown = wanted - {m.username for m in members}
    if unknown:
        raise ServiceError(
            _("Not on the case team: %(names)s.")
            % {"names": ", ".join(sorted(unknown))},
            field="participants",
        )
    return members


@transaction.atomic
def hold_review(
    case: Case,
    *,
    summary: str,
    outcome: str,
    by: User,
    participants: Iterable[User] = (),
    other_participants: str = "",
    held_on: date | None = None,
    next_due_on: date | None = None,
    expected_version: int | None = None,
) -> CaseReview:
    """Records the review the case was due for (or one held early) and schedules the next: by
    default one interval later, earlier if the team wants, never later."""
    require_write(by, case)
    locked: Case = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_closed:
        raise ServiceError(
            _(
                "The case is closed and is no longer reviewed: record follow-ups instead."
            )
        )
    review = _scheduled(locked)
    if (
        review is not None
        and expected_version is not None
        and review.version != expected_version
    ):
        raise StaleEdit(review.version)
    today = _today()
    held_on = held_on or today
    _check_held_on(locked, held_on, today)
    if outcome not in Outcome.values:
        raise ServiceError(_("Choose the outcome of the review."), field="outcome")
    if not summary.strip():
        raise ServiceError(_("Summarise the review."), field="summary")
    members = list(participants)
    team = set(
        CaseMember.objects.active()
        .filter(case=locked)
        .values_list("user_id", flat=True)
    )
    if any(m.pk not in team for m in members):
        raise ServiceError(
            _("Only members of the case team are listed as team participants."),
            field="participants",
        )
    if not members and not other_participants.strip():
        raise ServiceError(_("Say who took part in the review."), field="participants")
    next_due = _check_next_due(locked, held_on, next_due_on)
    now = timezone.now()
    if review is None:  # held before the schedule reached the case
        review = CaseReview(case=locked, due_on=held_on, responsible_id=locked.owner_id)
    else:
        review.version += 1
    review.status = CaseReview.Status.HELD
    review.held_on = held_on
    review.summary = summary.strip()
    review.other_participants = other_participants.strip()
    review.outcome = outcome
    review.next_due_on = next_due
    review.recorded_by = by
    review.recorded_at = now
    review.save()
    review.participants.set(members)
    _schedule_next(locked, next_due, review.version + 1)
    Case.objects.filter(pk=locked.pk).update(updated_at=now)
    _event(
        locked.pk,
        CaseEvent.Kind.REVIEW,
        by,
        step="held",
        review=str(review.pk),
        outcome=outcome,
        next=next_due.isoformat(),
    )
    _audit("review.hold", review, locked.pk, by, {"outcome": outcome})
    if outcome == Outcome.ESCALATE:
        for person in supervisors_of(locked.lead_organisation_id):
            notify(person, kind="review_escalated", case_number=locked.number)
    return review


def _check_held_on(case: Case, held_on: date, today: date) -> None:
    if held_on > today:
        raise ServiceError(
            _("A review is recorded once it has been held."), field="held_on"
        )
    if held_on < timezone.localdate(case.opened_at):
        raise ServiceError(
            _("A review cannot be held before the case was opened."), field="held_on"
        )
    last = case.reviews.filter(status=CaseReview.Status.HELD).aggregate(
        last=Max("held_on")
    )["last"]
    if last is not None and held_on < last:
        raise ServiceError(
            _("A later review is already recorded (%(date)s).")
            % {"date": _short(last)},
            field="held_on",
        )


def _check_next_due(case: Case, held_on: date, wanted: date | None) -> date:
    latest = next_review_on(held_on, case.priority)
    if wanted is None:
        return latest
    if wanted > latest:
        raise ServiceError(
            _(
                "The next review is due by %(date)s at the latest: every %(days)s days at this priority."
            )
            % {"date": _short(latest), "days": interval_days(case.priority)},
            field="next_due_on",
        )
    if wanted <= held_on:
        raise ServiceError(
            _("The next review must come after this one."), field="next_due_on"
        )
    return wanted


# --- Closure ------------------------------------------------------------------------------------


def check_closure(status: str, reason: str, detail: str) -> None:
    """Refuses a closure without a fitting reason; `change_case_status` calls this first."""
    if not reason:
        raise ServiceError(_("Choose the reason for closing the case."), field="reason")
    if reason not in ClosureReason.values:
        raise ServiceError(_("Unknown reason for closing."), field="reason")
    if reason not in reasons_for(status):
        raise ServiceError(
            _("“%(reason)s” does not fit a case closed as “%(status)s”.")
            % {
                "reason": ClosureReason(reason).label,
                "status": Case.Status(status).label,
            },
            field="reason",
        )
    if reason == ClosureReason.OTHER and not detail.strip():
        raise ServiceError(_("Say why the case is closed."), field="detail")


def record_closure(case: Case, *, reason: str, detail: str, by: User) -> CaseClosure:
    """What closing sets going: the coded reason, the pending review cancelled, the follow-ups
    planned. `change_case_status` calls this inside its transaction, after its own checks."""
    closed_at = case.closed_at or timezone.now()
    closure = CaseClosure.objects.create(
        case=case,
        status=case.status,
        reason=reason,
        detail=detail.strip(),
        closed_by=by,
        closed_at=closed_at,
    )
    cancelled = CaseReview.objects.filter(case=case, status=SCHEDULED).update(
        status=CaseReview.Status.CANCELLED, cancelled_at=closed_at
    )
    if cancelled:
        _event(case.pk, CaseEvent.Kind.REVIEW, by, step="cancelled")
    _schedule_follow_ups(case, closure, by)
    _audit("case.closure", closure, case.pk, by, {"reason": reason})
    return closure


def follows_up(status: str, reason: str) -> bool:
    return (
        status not in settings.QORGAU_FOLLOW_UP_SKIP_STATUSES
        and reason not in settings.QORGAU_FOLLOW_UP_SKIP_REASONS
    )


def _schedule_follow_ups(case: Case, closure: CaseClosure, by: User) -> list[FollowUp]:
    if not follows_up(closure.status, closure.reason):
        return []
    planned = [
        FollowUp.objects.create(
            case=case,
            closure=closure,
            months=months,
            due_on=due,
            responsible_id=case.owner_id,
        )
        for months, due in follow_up_dates(timezone.localdate(closure.closed_at))
    ]
    if planned:
        _event(
            case.pk,
            CaseEvent.Kind.FOLLOW_UP,
            by,
            step="scheduled",
            months=[f.months for f in planned],
        )
    return planned


# --- Follow-up after closure --------------------------------------------------------------------


@transaction.atomic
def record_follow_up(
    follow_up: FollowUp,
    *,
    contact_made: bool,
    situation: str,
    by: User,
    contact_method: str = "",
    notes: str = "",
    done_on: date | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """Records a follow-up of a closed case; a child at risk again is reported to the supervisors."""
    current: FollowUp = (
        FollowUp.objects.select_for_update().select_related("case").get(pk=follow_up.pk)
    )
    case = current.case
    require_write(by, case)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    if not case.is_closed or case.closed_at is None:
        raise ServiceError(_("Follow-ups are recorded once the case is closed."))
    if not current.is_scheduled:
        raise ServiceError(_("This follow-up has already been recorded."))
    today = _today()
    done_on = done_on or today
    if done_on > today:
        raise ServiceError(
            _("A follow-up is recorded once it has taken place."), field="done_on"
        )
    if done_on < timezone.localdate(case.closed_at):
        raise ServiceError(
            _("A follow-up comes after the case was closed."), field="done_on"
        )
    if situation not in Situation.values:
        raise ServiceError(_("Choose the child's situation."), field="situation")
    if contact_made and contact_method not in FollowUp.Contact.values:
        raise ServiceError(_("Say how contact was made."), field="contact_method")
    current.status = FollowUp.Status.DONE
    current.done_on = done_on
    current.contact_made = contact_made
    current.contact_method = contact_method if contact_made else ""
    current.situation = situation
    current.notes = notes.strip()
    current.recorded_by = by
    current.recorded_at = timezone.now()
    current.version += 1
    current.save()
    _event(
        case.pk,
        CaseEvent.Kind.FOLLOW_UP,
        by,
        step="recorded",
        months=current.months,
        situation=situation,
    )
    _audit("follow_up.record", current, case.pk, by, {"situation": situation})
    if situation == Situation.AT_RISK:
        for person in supervisors_of(case.lead_organisation_id):
            notify(person, kind="follow_up_at_risk", case_number=case.number)
    return current


@transaction.atomic
def open_case_after_follow_up(follow_up: FollowUp, *, by: User) -> Case:
    """Opens a new, high-priority case for the same child after a follow-up found them at risk
    again; the closed case's remaining follow-ups give way to the new case's reviews."""
    from qorgau.cases.services import PersonDetails, open_case

    current: FollowUp = (
        FollowUp.objects.select_for_update()
        .select_related("case__child", "case__region")
        .get(pk=follow_up.pk)
    )
    old = current.case
    require_write(by, old)
    if current.situation != Situation.AT_RISK:
        raise ServiceError(
            _(
                "A new case is opened from a follow-up that found the child at risk again."
            )
        )
    if current.new_case_id is not None:
        raise ServiceError(_("A new case was already opened from this follow-up."))
    case = open_case(
        PersonDetails(),
        by=by,
        case_type=old.type,
        priority=Case.Priority.HIGH,
        region=old.region,
        existing_child=old.child,
    )
    current.new_case = case
    current.version += 1
    current.save(update_fields=["new_case", "version"])
    now = timezone.now()
    FollowUp.objects.filter(case=old, status=FollowUp.Status.SCHEDULED).update(
        status=FollowUp.Status.CANCELLED, cancelled_at=now
    )
    _event(old.pk, CaseEvent.Kind.FOLLOW_UP, by, step="new_case", number=case.number)
    _event(case.pk, CaseEvent.Kind.FOLLOW_UP, by, step="reopened", number=old.number)
    _audit("follow_up.new_case", current, old.pk, by, {"new_case": case.number})
    return case


def supervisors_of(organisation_id: int) -> list[User]:
    """The active supervisors of an organisation, who hear of what its cases lack."""
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id=organisation_id,
            role_assignments__role=Role.SUPERVISOR,
        ).distinct()
    )
