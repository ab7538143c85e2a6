"""Demo risk assessments, safety plans and support plans in every state, with deliveries.

Written through the plan services by the case owner (who assesses and drafts), a supervisor of
the lead organisation (who approves) and a service provider's caseworker put on the team (who
records deliveries); then moved back in time, so that some reviews are past their date.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases import services as case_services
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.plans import services
from qorgau.plans.models import (
    Area,
    Level,
    PlannedService,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
    ServiceDelivery,
    ServiceType,
    SupportPlan,
)

FACTORS: dict[str, str] = {
    Area.RE_TRAFFICKING: "Вербовщик снова писал ребёнку и обещал работу в Алматы.",
    Area.RETALIATION: "Родственник задержанного угрожал семье по телефону.",
    Area.HOUSEHOLD: "Отчим злоупотребляет алкоголем; мать боится обращаться в полицию.",
    Area.COMMUNITY: "Соседи знают о деле; ребёнка дразнят в школе.",
    Area.ONLINE: "Аккаунт в Telegram, через который шла вербовка, ещё активен.",
    Area.HEALTH_SAFETY: "Нарушения сна, тревога; нуждается в наблюдении психолога.",
}
MEASURES = (
    (Area.ONLINE, "Сменить номер телефона, заблокировать аккаунты вербовщика."),
    (Area.HOUSEHOLD, "Временное размещение в кризисном центре до оценки семьи."),
    (Area.RETALIATION, "Полиция проводит профилактическую беседу, патруль у дома."),
    (Area.COMMUNITY, "Классный руководитель и школьный психолог сопровождают ребёнка."),
    (Area.RE_TRAFFICKING, "Ежедневная связь с социальным работником по телефону."),
)
CONTACTS = "Телефон доверия 111 и 150; дежурный социальный работник; тётя по матери."
SAFE_PLACES = "Кризисный центр; кабинет школьного психолога; дом тёти."
GOALS = (
    "Безопасное проживание, возвращение в школу, работа с психологом, восстановление документов.",
    "Вернуть ребёнка в семью после оценки; правовая помощь в уголовном деле.",
)
NOTES = (
    "Ребёнок спокоен, рассказал о школе.",
    "Обсуждали безопасность в интернете; ребёнок сам заблокировал аккаунт.",
    "",
)
# Provided by each kind of provider (see `Organisation.services`).
SERVICE_FOR = {
    "shelter": ServiceType.SHELTER,
    "psychological": ServiceType.PSYCHOLOGICAL,
    "legal_aid": ServiceType.LEGAL_AID,
    "special_social_services": ServiceType.FAMILY_SUPPORT,
    "education": ServiceType.EDUCATION,
}


class Cast:
    """Who acts on the demo plans of one case."""

    def __init__(
        self, case: Case, approver: User, provider: User, back: timedelta
    ) -> None:
        self.case, self.owner, self.approver, self.provider = (
            case,
            case.owner,
            approver,
            provider,
        )
        self.back = back  # how long ago the plans were written


def add_plans(rng: random.Random, count: int) -> int:
    """Plans on about `count` open cases; returns on how many."""
    approvers = _first_of_role(Role.SUPERVISOR)
    providers = _providers()
    if not providers:
        return 0
    cases = [
        c
        for c in Case.objects.open()
        .filter(lead_organisation_id__in=list(approvers))
        .select_related("owner", "lead_organisation")
        .order_by("-id")[: count * 4]
        if c.owner.is_active
        and c.owner.capability.max_tier >= 3
        and c.owner_id != approvers[c.lead_organisation_id].pk
    ]
    rng.shuffle(cases)
    made = 0
    for n, case in enumerate(cases[:count]):
        region_providers = providers.get(case.region_id) or rng.choice(
            list(providers.values())
        )
        provider = rng.choice(region_providers)
        back = timedelta(days=rng.randint(15, 60))
        cast = Cast(case, approvers[case.lead_organisation_id], provider, back)
        STORIES[n % len(STORIES)](rng, cast)
        _move_back(case, back)
        made += 1
    return made


def _first_of_role(role: str) -> dict[int, User]:
    people: dict[int, User] = {}
    for user in User.objects.filter(
        is_active=True, role_assignments__role=role
    ).order_by("pk"):
        if user.organisation_id is not None:
            people.setdefault(user.organisation_id, user)
    return people


def _providers() -> dict[int, list[User]]:
    """Caseworkers of service providers, by region: they record what they deliver."""
    found: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True,
        role_assignments__role=Role.CASEWORKER,
        organisation__is_service_provider=True,
        organisation__is_active=True,
    ).select_related("organisation"):
        org = user.organisation
        assert org is not None  # noqa: S101 - filtered above
        if any(s in SERVICE_FOR for s in org.services):
            found.setdefault(org.region_id, []).append(user)
    return found


def _assess(
    cast: Cast, levels: dict[str, str], *, draft: bool = False
) -> RiskAssessment:
    ratings = {
        area: services.Rating(level, FACTORS[area] if level != Level.LOW else "")
        for area, level in levels.items()
    }
    return services.start_risk_assessment(
        cast.case, ratings=ratings, by=cast.owner, finalise=not draft
    )


def _safety_plan(
    rng: random.Random, cast: Cast, statuses: tuple[str, ...]
) -> SafetyPlan:
    current = cast.case.safety_plans.current().first()
    measures = [
        services.MeasureDetails(
            action=text,
            area=area,
            responsible_organisation=cast.case.lead_organisation,
            responsible_person=cast.owner if n == 0 else None,
            due_date=timezone.localdate() + timedelta(days=rng.randint(3, 30)),
            status=status,
        )
        for n, ((area, text), status) in enumerate(
            zip(rng.sample(MEASURES, len(statuses)), statuses, strict=True)
        )
    ]
    return services.save_safety_plan(
        cast.case,
        details=services.SafetyPlanDetails(
            emergency_contacts=CONTACTS, safe_places=SAFE_PLACES, measures=measures
        ),
        by=cast.owner,
        expected_version=current.version if current else 0,
    )


def _support_plan(rng: random.Random, cast: Cast, *, approve: bool) -> SupportPlan:
    provider = cast.provider.organisation
    assert provider is not None  # noqa: S101 - a provider's caseworker
    if (
        not CaseMember.objects.active()
        .filter(case=cast.case, user=cast.provider)
        .exists()
    ):
        case_services.add_team_member(
            cast.case,
            user=cast.provider,
            role=CaseMember.Role.SERVICE_PROVIDER,
            by=cast.owner,
        )
    plan = services.create_support_plan(
        cast.case,
        goals=rng.choice(GOALS),
        planned_end_date=timezone.localdate() + timedelta(days=120),
        by=cast.owner,
    )
    # Services start a day or two after the plan, which is moved back by `cast.back`.
    start = timezone.localdate() - cast.back + timedelta(days=rng.randint(1, 2))
    kinds = [SERVICE_FOR[s] for s in provider.services if s in SERVICE_FOR]
    for n, (kind, frequency) in enumerate(
        zip(kinds[:2], ("weekly", "several_weekly"), strict=False)
    ):
        services.add_planned_service(
            plan,
            details=services.ServiceDetails(
                service_type=kind,
                provider=provider,
                frequency=frequency,
                start_date=start + timedelta(days=n),
                end_date=start + timedelta(days=90),
            ),
            by=cast.owner,
        )
    if approve:
        plan = services.approve_support_plan(plan, by=cast.approver)
    return plan


ATTENDANCE = (
    ServiceDelivery.Attendance.ATTENDED,
    ServiceDelivery.Attendance.PARTLY,
    ServiceDelivery.Attendance.DID_NOT_ATTEND,
    ServiceDelivery.Attendance.ATTENDED,
)


def _deliver(rng: random.Random, cast: Cast, service: PlannedService) -> None:
    """Sessions from the service's start to today at its pace; one missed, some adapted."""
    every = timedelta(days=7 if service.frequency == "weekly" else 4)
    day: date = service.start_date
    n = 0
    while day <= timezone.localdate():
        attendance = ATTENDANCE[min(n, len(ATTENDANCE) - 1)]
        missed = attendance == ServiceDelivery.Attendance.DID_NOT_ATTEND
        services.record_delivery(
            service,
            details=services.DeliveryDetails(
                delivered_on=day,
                duration_minutes=0 if missed else rng.choice((45, 60, 90)),
                attendance=attendance,
                accommodations=rng.choice(
                    ([], ["easy_read"], ["sign_language", "breaks"], ["interpreter"])
                ),
                notes="" if missed else rng.choice(NOTES),
            ),
            by=cast.provider,
        )
        day += every
        n += 1


# --- stories: each leaves one case's plans in a different state -----------------------------


def _low_risk_only(rng: random.Random, cast: Cast) -> None:
    _assess(cast, {Area.HOUSEHOLD: Level.LOW, Area.COMMUNITY: Level.LOW})


def _planned(rng: random.Random, cast: Cast) -> None:
    _assess(cast, {Area.RE_TRAFFICKING: Level.MEDIUM, Area.ONLINE: Level.MEDIUM})
    _safety_plan(rng, cast, ("planned", "in_place"))
    _support_plan(rng, cast, approve=False)


def _reassessed_and_served(rng: random.Random, cast: Cast) -> None:
    _assess(cast, {Area.RETALIATION: Level.HIGH, Area.HEALTH_SAFETY: Level.MEDIUM})
    first = _safety_plan(rng, cast, ("in_place", "planned", "planned"))
    _assess(cast, {Area.RETALIATION: Level.MEDIUM, Area.HOUSEHOLD: Level.LOW})
    measure = first.measures.order_by("position").last()
    assert measure is not None  # noqa: S101 - three measures above
    services.change_measure_status(measure, status="ended", by=cast.owner)
    _safety_plan(rng, cast, ("in_place", "planned"))
    plan = _support_plan(rng, cast, approve=True)
    for service in plan.services.all():
        _deliver(rng, cast, service)


def _drafting(rng: random.Random, cast: Cast) -> None:
    discarded = _assess(cast, {Area.ONLINE: Level.LOW}, draft=True)
    services.discard_risk_assessment(discarded, by=cast.owner)
    _assess(cast, {Area.COMMUNITY: Level.MEDIUM})
    _assess(cast, {Area.HOUSEHOLD: Level.HIGH}, draft=True)


def _completed(rng: random.Random, cast: Cast) -> None:
    _assess(cast, {Area.HOUSEHOLD: Level.HIGH, Area.RE_TRAFFICKING: Level.HIGH})
    _safety_plan(rng, cast, ("in_place", "ended"))
    plan = _support_plan(rng, cast, approve=True)
    services_ = list(plan.services.all())
    for service in services_[:1]:
        _deliver(rng, cast, service)
        services.change_service_status(
            PlannedService.objects.get(pk=service.pk), status="completed", by=cast.owner
        )
    for service in services_[1:]:
        services.change_service_status(service, status="cancelled", by=cast.owner)
    services.complete_support_plan(SupportPlan.objects.get(pk=plan.pk), by=cast.owner)
    services.create_support_plan(
        cast.case, goals="Наблюдение после завершения помощи.", by=cast.owner
    )


def _cancelled(rng: random.Random, cast: Cast) -> None:
    _assess(cast, {Area.RE_TRAFFICKING: Level.MEDIUM})
    plan = _support_plan(rng, cast, approve=True)
    services.cancel_support_plan(
        plan, reason="Семья переехала в другой регион.", by=cast.owner
    )


STORIES: tuple[Callable[[random.Random, Cast], None], ...] = (
    _low_risk_only,
    _planned,
    _reassessed_and_served,
    _drafting,
    _completed,
    _cancelled,
)


def _move_back(case: Case, back: timedelta) -> None:
    """The plans were written `back` ago: reviews fall due, some already past."""
    for a in RiskAssessment.objects.filter(case=case):
        RiskAssessment.objects.filter(pk=a.pk).update(
            created_at=a.created_at - back,
            updated_at=a.updated_at - back,
            assessed_at=a.assessed_at - back if a.assessed_at else None,
            next_review_date=a.next_review_date - back if a.next_review_date else None,
            superseded_at=a.superseded_at - back if a.superseded_at else None,
        )
    for p in SafetyPlan.objects.filter(case=case):
        SafetyPlan.objects.filter(pk=p.pk).update(
            created_at=p.created_at - back,
            superseded_at=p.superseded_at - back if p.superseded_at else None,
            review_date=p.review_date - back,
        )
    SafetyMeasure.objects.filter(plan__case=case).update(
        status_changed_at=timezone.now() - back
    )
    CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.PLAN, at__gt=timezone.now() - timedelta(hours=1)
    ).update(at=F("at") - back)
    for s in SupportPlan.objects.filter(case=case):
        SupportPlan.objects.filter(pk=s.pk).update(
            created_at=s.created_at - back,
            approved_at=s.approved_at - back if s.approved_at else None,
        )
