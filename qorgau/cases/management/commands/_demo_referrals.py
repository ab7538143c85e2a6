"""Demo referrals between agencies, in every status, some overdue and escalated.

Written through the referral services (a few hundred, so the rules, timeline and audit are
the real ones), then moved back in time so that deadlines fall before now: the demo's cases
happened in the past, and an inbox with nothing late would show nothing worth seeing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Tier, roles_with
from qorgau.cases.models import Case, CaseMember
from qorgau.referrals import services
from qorgau.referrals.models import Referral

Status = Referral.Status
# Where each demo referral ends, and how many of every 20 end there.
ENDINGS: tuple[tuple[str, int], ...] = (
    (Status.SENT, 4),
    (Status.ACKNOWLEDGED, 3),
    (Status.ACCEPTED, 3),
    (Status.IN_SERVICE, 3),
    (Status.COMPLETED, 2),
    (Status.DECLINED, 2),
    (Status.REDIRECTED, 1),
    (Status.WITHDRAWN, 1),
    (Status.DRAFT, 1),
)
PATHS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (),
    Status.SENT: (),
    Status.ACKNOWLEDGED: ("acknowledge",),
    Status.ACCEPTED: ("acknowledge", "accept"),
    Status.IN_SERVICE: ("accept", "start_service"),
    Status.COMPLETED: ("acknowledge", "accept", "start_service", "complete"),
    Status.DECLINED: ("acknowledge", "decline"),
    Status.REDIRECTED: ("redirect",),
    Status.WITHDRAWN: ("withdraw",),
}
REASONS = (
    ("Shelter", "PsychologicalSupport"),
    ("MedicalAssistance",),
    ("LegalAid",),
    ("LawEnforcement",),
    ("SpecialSocialServices", "Education"),
    ("PsychologicalSupport",),
)


def add_referrals(rng: random.Random, count: int) -> int:
    """About `count` referrals of open cases to other organisations; returns how many."""
    receivers = _receivers()
    if len(receivers) < 3:
        return 0
    cases = list(
        Case.objects.open()
        .select_related("owner", "lead_organisation")
        .order_by("-id")[: count * 3]
    )
    rng.shuffle(cases)
    endings = [status for status, weight in ENDINGS for _ in range(weight)]
    made = 0
    for n, case in enumerate(cases[:count]):
        ending = endings[n % len(endings)]
        if _refer(rng, case, ending, receivers):
            made += 1
    return made


def _receivers() -> dict[int, list[User]]:
    """Organisations with someone who acts on their inbox, and those people."""
    people: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True, role_assignments__role__in=roles_with("receives_referrals")
    ).distinct():
        if user.organisation_id is not None:
            people.setdefault(user.organisation_id, []).append(user)
    return people


@transaction.atomic
def _refer(
    rng: random.Random, case: Case, ending: str, receivers: dict[int, list[User]]
) -> bool:
    sender = case.owner
    options = [org for org in receivers if org != case.lead_organisation_id]
    if not sender.is_active or len(options) < 2:
        return False
    to_org, onward_org = rng.sample(options, 2)
    urgency = rng.choice(Referral.Urgency.values)
    referral = services.create_referral(
        case,
        by=sender,
        to_organisation=Organisation.objects.get(pk=to_org),
        reasons=rng.choice(REASONS),
        urgency=urgency,
        legal_basis=Referral.LegalBasis.CHILD_PROTECTION,
        shared_tier=rng.choice([Tier.IDENTITY, Tier.NARRATIVE]),
        message="Просим принять ребёнка в работу; подробности по телефону.",
        send=ending != Status.DRAFT,
    )
    recipient = rng.choice(receivers[to_org])
    steps: dict[str, Callable[[Referral], object]] = {
        "acknowledge": lambda r: services.acknowledge_referral(r, by=recipient),
        "accept": lambda r: services.accept_referral(r, by=recipient),
        "start_service": lambda r: services.start_service(r, by=recipient),
        "complete": lambda r: services.complete_referral(r, by=recipient),
        "decline": lambda r: services.decline_referral(
            r, by=recipient, reason=rng.choice(Referral.DeclineReason.values[:-1])
        ),
        "redirect": lambda r: services.redirect_referral(
            r,
            by=recipient,
            to_organisation=Organisation.objects.get(pk=onward_org),
        ),
        "withdraw": lambda r: services.withdraw_referral(
            r, by=sender, reason="Семья переехала в другой регион."
        ),
    }
    for step in PATHS[ending]:
        steps[step](Referral.objects.get(pk=referral.pk))
    _move_back(rng, case, ending, urgency)
    return True


def _move_back(rng: random.Random, case: Case, ending: str, urgency: str) -> None:
    """Sends the case's referrals back to when they happened: some of those waiting are late."""
    late = ending in (Status.SENT, Status.ACKNOWLEDGED) and rng.random() < 0.5
    hours = {"immediate_danger": 6, "urgent": 72, "routine": 24 * 10}[urgency]
    back = timedelta(
        hours=rng.uniform(hours, hours * 2) if late else rng.uniform(0, 0.5)
    )
    now = timezone.now()
    for referral in Referral.objects.filter(case=case):
        sent = (referral.sent_at or now) - back
        acknowledge_by, decide_by = (
            services.deadlines_for(referral.urgency, sent)
            if referral.sent_at
            else (None, None)
        )
        due = None
        if referral.status == Status.SENT:
            due = acknowledge_by
        elif referral.status == Status.ACKNOWLEDGED:
            due = decide_by
        Referral.objects.filter(pk=referral.pk).update(
            created_at=referral.created_at - back,
            sent_at=sent if referral.sent_at else None,
            acknowledge_by=acknowledge_by,
            decide_by=decide_by,
            due_at=due,
        )
    CaseMember.objects.filter(
        case=case, added_at__gt=now - timedelta(minutes=5)
    ).update(added_at=now - back)
