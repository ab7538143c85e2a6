"""Demo identification decisions of every kind and outcome, some awaited past their deadline.

Taken through the services by a supervisor of the case's lead organisation (a competent
authority), then moved back in time like the demo referrals.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases.models import Case
from qorgau.protection import services
from qorgau.protection.models import Decision, ReflectionPeriod

Kind = Decision.Kind
Outcome = Decision.Outcome
REASONS = (
    "Признаки принудительного попрошайничества подтверждены школой и полицией.",
    "Ребёнок сообщил о работе без оплаты на рынке; документы удерживал работодатель.",
    "Недостаточно признаков эксплуатации; семья получает социальную поддержку.",
)
# (decisions to take in order, as (kind, outcome)), repeated across the chosen cases
STORIES: tuple[tuple[tuple[str, str], ...], ...] = (
    ((Kind.PRELIMINARY, Outcome.POSITIVE),),
    ((Kind.PRELIMINARY, Outcome.POSITIVE), (Kind.REASONABLE_GROUNDS, Outcome.PENDING)),
    ((Kind.PRELIMINARY, Outcome.POSITIVE), (Kind.REASONABLE_GROUNDS, Outcome.POSITIVE)),
    ((Kind.REASONABLE_GROUNDS, Outcome.NEGATIVE),),
    ((Kind.REASONABLE_GROUNDS, Outcome.NEGATIVE), ("reconsider", Outcome.PENDING)),
    (
        (Kind.REASONABLE_GROUNDS, Outcome.POSITIVE),
        (Kind.VICTIM_STATUS, Outcome.POSITIVE),
    ),
    (
        (Kind.REASONABLE_GROUNDS, Outcome.POSITIVE),
        (Kind.VICTIM_STATUS, Outcome.NEGATIVE),
    ),
    ((Kind.PRELIMINARY, Outcome.WITHDRAWN),),
    (
        (Kind.REASONABLE_GROUNDS, Outcome.POSITIVE),
        (Kind.VICTIM_STATUS, Outcome.PENDING),
    ),
)


def add_decisions(rng: random.Random, count: int) -> int:
    supervisors: dict[int, User] = {}
    for user in User.objects.filter(
        is_active=True, role_assignments__role=Role.SUPERVISOR
    ):
        if user.organisation_id is not None:
            supervisors.setdefault(user.organisation_id, user)
    cases = [
        c
        for c in Case.objects.open()
        .filter(
            type__in=[Case.Type.POTENTIAL_VICTIM, Case.Type.CONFIRMED_VICTIM],
            lead_organisation_id__in=list(supervisors),
        )
        .exclude(status=Case.Status.FOLLOW_UP)
        .order_by("-id")[: count * 2]
    ]
    rng.shuffle(cases)
    made = 0
    for n, case in enumerate(cases[:count]):
        decider = supervisors[case.lead_organisation_id]
        _tell_story(rng, case, STORIES[n % len(STORIES)], decider)
        made += 1
    return made


def _tell_story(
    rng: random.Random, case: Case, story: tuple[tuple[str, str], ...], decider: User
) -> None:
    last: Decision | None = None
    for kind, outcome in story:
        if kind == "reconsider":
            assert last is not None  # noqa: S101 - the stories put a decision first
            services.request_reconsideration(
                last, reason="Полиция получила новые сведения.", by=decider
            )
            continue
        if outcome == Outcome.PENDING:
            services.request_decision(case, kind=kind, by=decider)
            continue
        last = services.decide(
            case, kind=kind, outcome=outcome, reasons=rng.choice(REASONS), by=decider
        )
    _move_back(rng, case)


def _move_back(rng: random.Random, case: Case) -> None:
    """Decisions happened days ago: some awaited ones are now past their deadline."""
    back = timedelta(days=rng.uniform(1, 12))
    now = timezone.now()
    for decision in Decision.objects.filter(case=case):
        Decision.objects.filter(pk=decision.pk).update(
            requested_at=decision.requested_at - back,
            due_at=decision.due_at - back if decision.due_at else None,
            decided_at=decision.decided_at - back if decision.decided_at else None,
        )
    for period in ReflectionPeriod.objects.filter(
        case=case, started_at__gt=now - timedelta(minutes=5)
    ):
        ReflectionPeriod.objects.filter(pk=period.pk).update(
            started_at=period.started_at - back, planned_end=period.planned_end - back
        )
