"""Every change to a referral: one function per transition, atomic, checked, on the timeline and audited.

Each transition locks the referral row, checks its version (two agencies acting at once: the second
is refused with `StaleEdit`, never silently overwritten), checks that the user is on the side of the
referral that may make it, changes the status, and writes the case timeline and the audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role, Tier, roles_with
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.reference.calendar import WorkingCalendar
from qorgau.reference.models import Term
from qorgau.referrals.models import Consent, Referral

Status = Referral.Status
REASON_VOCABULARY = "cas_ReasonForOutgoingReferral"

# Which statuses each transition leaves from, and where it goes.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "send": ((Status.DRAFT,), Status.SENT),
    "acknowledge": ((Status.SENT,), Status.ACKNOWLEDGED),
    "accept": ((Status.SENT, Status.ACKNOWLEDGED), Status.ACCEPTED),
    "decline": ((Status.SENT, Status.ACKNOWLEDGED), Status.DECLINED),
    "redirect": ((Status.SENT, Status.ACKNOWLEDGED), Status.REDIRECTED),
    "start_service": ((Status.ACCEPTED,), Status.IN_SERVICE),
    "complete": ((Status.IN_SERVICE,), Status.COMPLETED),
    "withdraw": (
        (
            Status.DRAFT,
            Status.SENT,
            Status.ACKNOWLEDGED,
            Status.ACCEPTED,
            Status.IN_SERVICE,
        ),
        Status.WITHDRAWN,
    ),
}
SENDER_ACTIONS = {"send", "withdraw"}
RECIPIENT_ACTIONS = {
    "acknowledge",
    "accept",
    "decline",
    "redirect",
    "start_service",
    "complete",
}


# --- who may do what -------------------------------------------------------------------------


def acts_for_recipient(user: User, referral: Referral) -> bool:
    """Staff of the receiving organisation with a case role (or the named recipient)."""
    if not user.is_active or user.organisation_id != referral.to_organisation_id:
        return False
    if referral.to_user_id is not None and referral.to_user_id == user.pk:
        return True
    return user.capability.receives_referrals


def acts_for_sender(user: User, referral: Referral) -> bool:
    """Whoever of the referring organisation may change the case (not the recipient, even
    once on the team)."""
    if user.organisation_id != referral.from_organisation_id:
        return False
    try:
        require_write(user, referral.case)
    except Exception:  # noqa: BLE001 - Http404 and PermissionDenied both mean "no"
        return False
    return True


def allowed_actions(user: User, referral: Referral) -> list[str]:
    """The transitions this user may make now, for pages to offer (services check again)."""
    actions = []
    for action, (sources, _target) in TRANSITIONS.items():
        if referral.status not in sources:
            continue
        if (
            action in SENDER_ACTIONS
            and acts_for_sender(user, referral)
            or action in RECIPIENT_ACTIONS
            and acts_for_recipient(user, referral)
        ):
            actions.append(action)
    return actions


def _check(
    referral: Referral, action: str, by: User, expected_version: int | None
) -> Referral:
    """Locks the referral and refuses the transition unless it is allowed now, for this user."""
    current: Referral = (
        Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    sources, _target = TRANSITIONS[action]
    if current.status not in sources:
        raise ServiceError(
            _("This referral is “%(status)s”: this step is not possible now.")
            % {"status": current.get_status_display()}
        )
    side_ok = (
        acts_for_sender(by, current)
        if action in SENDER_ACTIONS
        else acts_for_recipient(by, current)
    )
    if not side_ok:
        raise ServiceError(_("You cannot make this change to the referral."))
    return current


# --- deadlines -------------------------------------------------------------------------------


def deadline_after(
    moment: datetime, rule: dict[str, int], calendar: WorkingCalendar
) -> datetime:
    if "working_days" in rule:
        return calendar.add_working_days(moment, int(rule["working_days"]))
    return moment + timedelta(hours=int(rule["hours"]))


def deadlines_for(
    urgency: str, sent_at: datetime, calendar: WorkingCalendar | None = None
) -> tuple[datetime, datetime]:
    """When a referral sent at `sent_at` must be acknowledged, and accepted or declined."""
    calendar = calendar or WorkingCalendar.load()
    rules = settings.QORGAU_REFERRAL_DEADLINES[urgency]
    return (
        deadline_after(sent_at, rules["acknowledge"], calendar),
        deadline_after(sent_at, rules["decide"], calendar),
    )


# --- creating and sending --------------------------------------------------------------------


def _clean_reasons(reasons: Iterable[str]) -> list[str]:
    chosen = sorted(set(reasons))
    known = set(Term.objects.of(REASON_VOCABULARY).values_list("code", flat=True))
    if not chosen:
        raise ServiceError(
            _("Choose at least one reason for the referral."), field="reasons"
        )
    if not set(chosen) <= known:
        raise ServiceError(_("Unknown referral reason."), field="reasons")
    return chosen


def sharing_problem(referral: Referral) -> str | None:
    """Why the referral would share more than its legal basis allows, or None when it may be sent.

    A legal basis lets a referral share the case up to a tier (QORGAU_LEGAL_BASIS_MAX_TIER);
    beyond that only a current consent that covers the recipient and the tier, or an override
    with a reason, allows it. Criminal procedure is a basis for law enforcement only.
    """
    basis = referral.legal_basis
    ceiling = int(settings.QORGAU_LEGAL_BASIS_MAX_TIER.get(basis, 0))
    if (
        basis == Referral.LegalBasis.CRIMINAL_PROCEDURE
        and referral.to_organisation.ministry not in LAW_ENFORCEMENT_MINISTRIES
    ):
        ceiling = int(settings.QORGAU_LEGAL_BASIS_MAX_TIER["child_protection"])
    if referral.shared_tier <= ceiling:
        return None
    consent = referral.consent
    if (
        consent is not None
        and consent.case_id == referral.case_id
        and consent.covers(referral.to_organisation_id, referral.shared_tier)
    ):
        return None
    if referral.override_reason.strip():
        return None
    return str(
        _(
            "This referral shares the case up to “%(tier)s”, beyond what its legal basis allows. "
            "Record the consent that covers it, share less, or give the reason for sharing anyway."
        )
        % {"tier": Tier(referral.shared_tier).label}
    )


LAW_ENFORCEMENT_MINISTRIES = {"internal_affairs", "prosecutor_general"}


@transaction.atomic
def create_referral(
    case: Case,
    *,
    by: User,
    to_organisation: Organisation,
    reasons: Iterable[str],
    urgency: str,
    legal_basis: str,
    shared_tier: int,
    message: str = "",
    to_user: User | None = None,
    consent: Consent | None = None,
    override_reason: str = "",
    send: bool = True,
) -> Referral:
    """Writes a referral (a draft, or sent at once) from the user's organisation to another's inbox."""
    require_write(by, case)
    if by.organisation is None:
        raise ServiceError(_("Your account has no organisation."))
    if not to_organisation.is_active:
        raise ServiceError(
            _("This organisation does not take referrals."), field="to_organisation"
        )
    if to_user is not None and to_user.organisation_id != to_organisation.pk:
        raise ServiceError(
            _("This person does not work at that organisation."), field="to_user"
        )
    if urgency not in Referral.Urgency.values:
        raise ServiceError(_("Choose the urgency."), field="urgency")
    if legal_basis not in Referral.LegalBasis.values:
        raise ServiceError(_("Choose the legal basis."), field="legal_basis")
    if shared_tier not in Tier.values:
        raise ServiceError(_("Choose what the referral shares."), field="shared_tier")
    if consent is not None and consent.case_id != case.pk:
        raise ServiceError(_("This consent belongs to another case."), field="consent")
    referral = Referral(
        case=case,
        from_organisation=by.organisation,
        created_by=by,
        to_organisation=to_organisation,
        to_user=to_user,
        reasons=_clean_reasons(reasons),
        urgency=urgency,
        legal_basis=legal_basis,
        shared_tier=shared_tier,
        consent=consent,
        override_reason=override_reason.strip(),
        message=message.strip(),
    )
    referral.save()
    _timeline(referral, "referral_created", by)
    _audit(referral, "referral.create", by)
    if send:
        return send_referral(referral, by=by)
    return referral


@transaction.atomic
def send_referral(
    referral: Referral, *, by: User, expected_version: int | None = None
) -> Referral:
    current = _check(referral, "send", by, expected_version)
    problem = sharing_problem(current)
    if problem:
        raise ServiceError(problem, field="shared_tier")
    now = timezone.now()
    current.acknowledge_by, current.decide_by = deadlines_for(current.urgency, now)
    current.due_at = current.acknowledge_by
    current.sent_at = now
    _move(current, "send", by, now)
    if current.override_reason:
        _audit(
            current,
            "referral.consent_override",
            by,
            details={"reason": current.override_reason, "tier": current.shared_tier},
        )
    _tell_recipients(current, "referral_received")
    return current


@dataclass(frozen=True)
class DangerAlert:
    """The immediate-danger referrals sent, and the kinds of recipient the region lacks."""

    referrals: list[Referral]
    missing: list[str]


IMMEDIATE_DANGER_KINDS = {  # the recipient kinds of QORGAU_IMMEDIATE_DANGER_RECIPIENTS, named
    "police": _("police"),
    "child_protection": _("child protection"),
}


def immediate_danger_recipients(
    region: Any, sender: Organisation
) -> dict[str, Organisation | None]:
    """For each recipient kind, the active organisation of the region that takes it: the first
    organisation type listed that the region has. The sender itself is left out: it knows."""
    chosen: dict[str, Organisation | None] = {}
    for kind, rule in settings.QORGAU_IMMEDIATE_DANGER_RECIPIENTS.items():
        candidates = (
            Organisation.objects.filter(
                region=region, is_active=True, type__code__in=rule["types"]
            )
            .exclude(pk=sender.pk)
            .select_related("type")
            .order_by("pk")
        )
        by_type: dict[str, Organisation] = {}
        for organisation in candidates:
            by_type.setdefault(organisation.type.code, organisation)
        chosen[kind] = next((by_type[t] for t in rule["types"] if t in by_type), None)
    return chosen


@transaction.atomic
def raise_immediate_danger(
    case: Case, *, by: User, region: Any, message: str
) -> DangerAlert:
    """Sends an immediate-danger referral (1-hour deadline) to the police and to child protection
    of the child's region, under the duty to protect a child (identity and narrative shared).
    A kind the region has no organisation for is returned as missing, for the sender to phone."""
    if by.organisation is None:
        raise ServiceError(_("Your account has no organisation."))
    sent, missing = [], []
    recipients = immediate_danger_recipients(region, by.organisation)
    for kind, organisation in recipients.items():
        if organisation is None:
            missing.append(kind)
            continue
        sent.append(
            create_referral(
                case,
                by=by,
                to_organisation=organisation,
                reasons=[
                    str(settings.QORGAU_IMMEDIATE_DANGER_RECIPIENTS[kind]["reason"])
                ],
                urgency=Referral.Urgency.IMMEDIATE_DANGER,
                legal_basis=Referral.LegalBasis.CHILD_PROTECTION,
                shared_tier=Tier.NARRATIVE,
                message=message,
            )
        )
    return DangerAlert(sent, missing)


# --- the recipient's side --------------------------------------------------------------------


@transaction.atomic
def acknowledge_referral(
    referral: Referral, *, by: User, expected_version: int | None = None
) -> Referral:
    current = _check(referral, "acknowledge", by, expected_version)
    now = timezone.now()
    current.acknowledged_at = now
    current.due_at = current.decide_by
    _move(current, "acknowledge", by, now)
    return current


@transaction.atomic
def accept_referral(
    referral: Referral, *, by: User, expected_version: int | None = None
) -> Referral:
    """Accepts the referral; whoever accepts joins the case team, and so sees it within their role."""
    current = _check(referral, "accept", by, expected_version)
    now = timezone.now()
    current.acknowledged_at = current.acknowledged_at or now
    current.decided_at = now
    _move(current, "accept", by, now)
    _join_team(current.case, by)
    _tell(current.created_by, current, "referral_accepted")
    return current


@transaction.atomic
def decline_referral(
    referral: Referral,
    *,
    by: User,
    reason: str,
    detail: str = "",
    expected_version: int | None = None,
) -> Referral:
    if reason not in Referral.DeclineReason.values:
        raise ServiceError(
            _("Choose the reason for declining."), field="decline_reason"
        )
    if reason == Referral.DeclineReason.OTHER and not detail.strip():
        raise ServiceError(
            _("Explain why the referral is declined."), field="decline_detail"
        )
    current = _check(referral, "decline", by, expected_version)
    now = timezone.now()
    current.acknowledged_at = current.acknowledged_at or now
    current.decided_at = now
    current.closed_at = now
    current.decline_reason = reason
    current.decline_detail = detail.strip()
    _move(current, "decline", by, now, reason=reason)
    _tell(current.created_by, current, "referral_declined")
    return current


@transaction.atomic
def redirect_referral(
    referral: Referral,
    *,
    by: User,
    to_organisation: Organisation,
    message: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Passes the referral on to another organisation: a new referral continues this one's chain."""
    current = _check(referral, "redirect", by, expected_version)
    if to_organisation.pk in (current.to_organisation_id, current.from_organisation_id):
        raise ServiceError(
            _("Redirect the referral to a third organisation."), field="to_organisation"
        )
    if not to_organisation.is_active:
        raise ServiceError(
            _("This organisation does not take referrals."), field="to_organisation"
        )
    now = timezone.now()
    current.acknowledged_at = current.acknowledged_at or now
    current.decided_at = now
    current.closed_at = now
    _move(current, "redirect", by, now, to=to_organisation.pk)
    onward = Referral(
        case=current.case,
        from_organisation=current.to_organisation,
        created_by=by,
        to_organisation=to_organisation,
        reasons=current.reasons,
        urgency=current.urgency,
        legal_basis=current.legal_basis,
        shared_tier=current.shared_tier,
        consent=current.consent,
        override_reason=current.override_reason,
        message=message.strip() or current.message,
        redirected_from=current,
    )
    onward.save()
    _timeline(onward, "referral_created", by)
    _audit(onward, "referral.create", by, details={"redirected_from": str(current.pk)})
    _tell(current.created_by, current, "referral_redirected")
    return _send_onward(onward, by=by)


def _send_onward(referral: Referral, *, by: User) -> Referral:
    """Sends a redirected referral: the redirecting recipient acts for the chain here."""
    problem = sharing_problem(referral)
    if problem:
        raise ServiceError(problem, field="shared_tier")
    now = timezone.now()
    referral.acknowledge_by, referral.decide_by = deadlines_for(referral.urgency, now)
    referral.due_at = referral.acknowledge_by
    referral.sent_at = now
    _move(referral, "send", by, now)
    _tell_recipients(referral, "referral_received")
    return referral


@transaction.atomic
def start_service(
    referral: Referral, *, by: User, expected_version: int | None = None
) -> Referral:
    current = _check(referral, "start_service", by, expected_version)
    now = timezone.now()
    current.in_service_at = now
    _move(current, "start_service", by, now)
    return current


@transaction.atomic
def complete_referral(
    referral: Referral, *, by: User, expected_version: int | None = None
) -> Referral:
    current = _check(referral, "complete", by, expected_version)
    now = timezone.now()
    current.closed_at = now
    _move(current, "complete", by, now)
    _tell(current.created_by, current, "referral_completed")
    return current


@transaction.atomic
def withdraw_referral(
    referral: Referral, *, by: User, reason: str, expected_version: int | None = None
) -> Referral:
    if not reason.strip():
        raise ServiceError(
            _("Give the reason for withdrawing the referral."), field="reason"
        )
    current = _check(referral, "withdraw", by, expected_version)
    now = timezone.now()
    current.closed_at = now
    was_sent = current.status != Status.DRAFT
    _move(current, "withdraw", by, now)
    if was_sent:
        _tell_recipients(current, "referral_withdrawn")
    return current


# --- shared steps ----------------------------------------------------------------------------


def _move(
    referral: Referral, action: str, by: User, now: datetime, **params: Any
) -> None:
    old = referral.status
    referral.status = TRANSITIONS[action][1]
    if referral.status not in Referral.AWAITING_RECIPIENT:
        referral.due_at = None
    referral.version += 1
    referral.save()
    Case.objects.filter(pk=referral.case_id).update(updated_at=now)
    _timeline(referral, f"referral_{referral.status}", by, old=old, **params)
    _audit(
        referral, f"referral.{action}", by, details={"old": old, "new": referral.status}
    )


def _timeline(referral: Referral, kind: str, by: User, **params: Any) -> None:
    CaseEvent.objects.create(
        case_id=referral.case_id,
        kind=CaseEvent.Kind.REFERRAL,
        actor=by,
        params={
            "referral": str(referral.pk),
            "step": kind,
            "to": referral.to_organisation_id,
            "from": referral.from_organisation_id,
            **params,
        },
    )


def _audit(
    referral: Referral,
    action: str,
    by: User | None,
    details: dict[str, Any] | None = None,
) -> None:
    record_event(
        action,
        by=by,
        object_type="referral",
        object_id=referral.pk,
        case_id=referral.case_id,
        details=details or {},
    )


def _join_team(case: Case, user: User) -> None:
    if not CaseMember.objects.active().filter(case=case, user=user).exists():
        CaseMember.objects.create(
            case=case, user=user, role=CaseMember.Role.SERVICE_PROVIDER, added_by=user
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.MEMBER_ADDED,
            actor=user,
            params={
                "user": user.get_username(),
                "role": CaseMember.Role.SERVICE_PROVIDER,
            },
        )


def _tell(user: User | None, referral: Referral, kind: str) -> None:
    if user is not None and user.is_active:
        notify(
            user,
            kind=kind,
            referral=str(referral.pk),
            case_number=referral.case.number,
            organisation=referral.to_organisation_id,
            urgency=referral.urgency,
        )


def _tell_recipients(referral: Referral, kind: str) -> None:
    """The named person, or else everyone who acts on the organisation's inbox."""
    if referral.to_user_id is not None:
        _tell(referral.to_user, referral, kind)
        return
    staff = User.objects.filter(
        organisation_id=referral.to_organisation_id,
        is_active=True,
        role_assignments__role__in=roles_with("receives_referrals"),
    ).distinct()
    for user in staff:
        _tell(user, referral, kind)


# --- deadlines that pass ---------------------------------------------------------------------

ESCALATION_BATCH = 500


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalates overdue referrals one level each: first to the recipient organisation's
    supervisors, then, QORGAU_ESCALATION_HOURS later and still untouched, to the regional
    coordinators of the recipient's region. Returns how many referrals were escalated.

    Each referral is escalated in its own transaction, so one failure loses nothing else and
    a sweep that overlaps another never escalates the same referral twice.
    """
    now = now or timezone.now()
    later = now - timedelta(hours=settings.QORGAU_ESCALATION_HOURS)
    due = Referral.objects.overdue(now).filter(
        models.Q(escalation_level=0)
        | models.Q(escalation_level=1, escalated_at__lt=later)
    )
    escalated = 0
    for pk in due.order_by("due_at").values_list("pk", flat=True)[:ESCALATION_BATCH]:
        escalated += _escalate_one(pk, now, later)
    return escalated


@transaction.atomic
def _escalate_one(pk: Any, now: datetime, later: datetime) -> int:
    referral = (
        Referral.objects.select_for_update()
        .select_related("case", "to_organisation")
        .get(pk=pk)
    )
    if not referral.is_overdue(now) or referral.escalation_level >= 2:
        return 0
    if referral.escalation_level == 1 and (
        referral.escalated_at is None or referral.escalated_at >= later
    ):
        return 0
    level = referral.escalation_level + 1
    if level == 1:
        people = people_with_role(
            Role.SUPERVISOR, organisation=referral.to_organisation_id
        )
    else:
        people = people_with_role(
            Role.REGIONAL_COORDINATOR, region=referral.to_organisation.region_id
        )
    Referral.objects.filter(pk=pk).update(escalation_level=level, escalated_at=now)
    referral.escalation_level = level
    for person in people:
        _tell(person, referral, "referral_overdue")
    CaseEvent.objects.create(
        case_id=referral.case_id,
        kind=CaseEvent.Kind.REFERRAL,
        actor=None,
        params={
            "referral": str(referral.pk),
            "step": "escalated",
            "level": level,
            "to": referral.to_organisation_id,
            "from": referral.from_organisation_id,
        },
    )
    _audit(referral, "referral.escalate", None, details={"level": level})
    return 1


def people_with_role(
    role: str, *, organisation: int | None = None, region: int | None = None
) -> list[User]:
    """Active holders of a role, in an organisation or covering a region (their own region
    scope, else their organisation's region): whom the escalations tell."""
    people = User.objects.filter(is_active=True, role_assignments__role=role)
    if organisation is not None:
        people = people.filter(organisation_id=organisation)
    if region is not None:
        people = people.filter(
            models.Q(region_scope_id=region)
            | models.Q(region_scope__isnull=True, organisation__region_id=region)
        )
    return list(people.distinct())


# --- consent ---------------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    case: Case,
    *,
    by: User,
    purpose: str,
    given_by: str,
    max_tier: int,
    how_obtained: str,
    organisation: Organisation | None = None,
) -> Consent:
    """Records consent (or the child's assent) to one purpose, as it was given."""
    require_write(by, case)
    if purpose not in Consent.Purpose.values:
        raise ServiceError(_("Choose the purpose."), field="purpose")
    if given_by not in Consent.GivenBy.values:
        raise ServiceError(_("Say who gave the consent."), field="given_by")
    if max_tier not in Tier.values:
        raise ServiceError(_("Choose what the consent covers."), field="max_tier")
    if not how_obtained.strip():
        raise ServiceError(
            _("Say how the consent was obtained (form, easy-read, interpreter …)."),
            field="how_obtained",
        )
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        organisation=organisation,
        given_by=given_by,
        max_tier=max_tier,
        how_obtained=how_obtained.strip(),
        recorded_by=by,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CONSENT,
        actor=by,
        params={"step": "given", "purpose": purpose, "given_by": given_by},
    )
    record_event(
        "consent.record",
        by=by,
        object_type="consent",
        object_id=consent.pk,
        case_id=case.pk,
        details={"purpose": purpose, "tier": max_tier},
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: User) -> Consent:
    """Withdraws consent: referrals sent on it stay as they were; new ones cannot rely on it."""
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    require_write(by, current.case)
    if current.withdrawn_at is not None:
        raise ServiceError(_("This consent was already withdrawn."))
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_at"])
    CaseEvent.objects.create(
        case_id=current.case_id,
        kind=CaseEvent.Kind.CONSENT,
        actor=by,
        params={"step": "withdrawn", "purpose": current.purpose},
    )
    record_event(
        "consent.withdraw",
        by=by,
        object_type="consent",
        object_id=current.pk,
        case_id=current.case_id,
    )
    return current
