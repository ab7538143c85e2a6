"""Demo best-interests assessments and determinations, in every state of both.

Written through the services: the case owner assesses, a supervisor of the lead organisation
determines with the owner on the panel, and the region's coordinator, put on the team for it,
decides appeals. Then moved back in time, so that some reviews have fallen due and their
owners have been told.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.best_interests import services
from qorgau.best_interests.models import (
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
    BestInterestsOption,
)
from qorgau.cases import services as case_services
from qorgau.cases.models import Case, CaseEvent, CaseMember

# Where each demo story stops.
STORIES = (
    "in_progress",
    "awaiting_determination",
    "cancelled",
    "determined",
    "under_appeal",
    "upheld",
    "changed",
    "set_aside_and_redetermined",
    "review_due",
    "under_review",
    "replaced",
)
METHODS = (
    ("spoken", ["child_friendly_room", "breaks"], "kk"),
    ("sign_language", ["sign_interpreter", "pictograms"], "sign"),
    ("aac", ["aac_device", "trusted_adult", "breaks"], "ru"),
    ("easy_read", ["easy_read", "large_print"], "ru"),
    ("pictures", ["pictograms", "trusted_adult"], "kk"),
)
VIEWS = (
    "Хочу жить у бабушки и ходить в свою школу. Домой к дяде не хочу.",
    "Апама қайтқым келеді, бірақ ол жақта мені іздейтін адамдар бар.",
    "Показала на картинке дом тёти и школу; на картинке с рынком — «нет».",
    "Хочу остаться в центре, пока не закончу учебный год.",
)
OPTIONS = (
    ("Проживание у бабушки в районе, с сопровождением соцработника",
     "Желание ребёнка; школа рядом", "Бабушке 74 года"),
    ("Возвращение к родителям с планом безопасности",
     "Семья; родной язык", "Вербовщик знает адрес семьи"),
    ("Временная приёмная семья",
     "Безопасность; отдельная комната", "Смена школы"),
    ("Кризисный центр до окончания учебного года",
     "Психологическая помощь на месте", "Учреждение, а не семья"),
)  # fmt: skip
REVIEW_BACK = timedelta(days=100)  # past the 90-day review


def add_best_interests(rng: random.Random, count: int) -> int:
    """Best-interests stories on about `count` open cases; returns how many were told."""
    supervisors = _first_by(Role.SUPERVISOR, "organisation_id")
    coordinators = _first_by(Role.REGIONAL_COORDINATOR, "region_scope_id")
    cases = list(
        Case.objects.open()
        .filter(
            type__in=[Case.Type.POTENTIAL_VICTIM, Case.Type.CONFIRMED_VICTIM],
            lead_organisation_id__in=list(supervisors),
            region_id__in=list(coordinators),
        )
        .select_related("owner")
        .order_by("id")[: count * 3]
    )
    rng.shuffle(cases)
    told = 0
    for case in cases:
        if told == count:
            break
        supervisor = supervisors[case.lead_organisation_id]
        coordinator = coordinators[case.region_id]
        # Those who decide must be able to write: not on the team as read-only observers.
        if (
            CaseMember.objects.active()
            .filter(case=case, user__in=[supervisor, coordinator])
            .filter(role=CaseMember.Role.OBSERVER)
            .exists()
        ):
            continue
        Story(rng, case, supervisor, coordinator).tell(STORIES[told % len(STORIES)])
        told += 1
    services.report_reviews_due()
    return told


def _first_by(role: str, key: str) -> dict[int, User]:
    found: dict[int, User] = {}
    for user in User.objects.filter(
        is_active=True, role_assignments__role=role
    ).order_by("id"):
        value = getattr(user, key)
        if value is not None:
            found.setdefault(value, user)
    return found


class Story:
    def __init__(
        self, rng: random.Random, case: Case, supervisor: User, coordinator: User
    ) -> None:
        self.rng, self.case = rng, case
        self.owner, self.supervisor, self.coordinator = (
            case.owner,
            supervisor,
            coordinator,
        )

    def tell(self, ending: str) -> None:
        back = timedelta(days=self.rng.uniform(5, 40))
        if ending == "in_progress":
            self.assessment(complete=False)
        elif ending == "awaiting_determination":
            self.assessment()
        elif ending == "cancelled":
            services.cancel_assessment(
                self.assessment(complete=False),
                reason="Ребёнок переведён в другой регион; оценку проведёт новая команда.",
                by=self.owner,
            )
        elif ending in ("review_due", "under_review", "replaced"):
            self.reviewed(ending, REVIEW_BACK + back)
            return
        else:
            self.determined_story(ending)
        _move_back(self.case, back)

    def determined_story(self, ending: str) -> BestInterestsDetermination:
        made = self.determine(self.assessment())
        if ending == "determined":
            return made
        services.lodge_appeal(
            made,
            lodged_by=self.rng.choice(BestInterestsAppeal.LodgedBy.values),
            lodged_by_detail="Социальный педагог школы",
            grounds="Ребёнка не спросили о бабушке; переводчик был не на всех встречах.",
            by=self.owner,
        )
        if ending == "under_appeal":
            return made
        self.join(self.coordinator)
        outcome = {"upheld": "upheld", "changed": "changed"}.get(ending, "overturned")
        options = list(made.assessment.options.exclude(pk=made.option_id))
        services.decide_appeal(
            made,
            outcome=outcome,
            reasons="Комиссия заново взвесила мнение ребёнка и риски.",
            option=options[0] if outcome == "changed" else None,
            by=self.coordinator,
        )
        if outcome == "overturned":
            return self.determine(made.assessment, option=options[-1])
        return made

    def reviewed(self, ending: str, back: timedelta) -> None:
        """A determination made long ago, its review now due; a review started or finished."""
        self.determine(self.assessment())
        _move_back(self.case, back)
        services.report_reviews_due()
        if ending == "review_due":
            return
        review = self.assessment(complete=ending == "replaced")
        if ending == "replaced":
            self.determine(review)

    # Steps ------------------------------------------------------------------------------

    def join(self, user: User) -> None:
        if not CaseMember.objects.active().filter(case=self.case, user=user).exists():
            case_services.add_team_member(
                self.case, user=user, role=CaseMember.Role.CASEWORKER, by=self.owner
            )

    def assessment(self, *, complete: bool = True) -> BestInterestsAssessment:
        rng = self.rng
        started = services.start_assessment(self.case, by=self.owner)
        method, accommodations, language = rng.choice(METHODS)
        changes: dict[str, Any] = {
            "other_participants": "Бабушка (законный представитель); переводчик",
            "views_method": method,
            "accommodations": accommodations,
            "views_language": language,
            "child_views": rng.choice(VIEWS),
            "maturity_considered": True,
            "maturity_note": "Ребёнку 13 лет; мнение учтено с весом по возрасту.",
            "findings_safety": "Вербовщик не задержан; семья получала угрозы по телефону.",
            "findings_family": "Бабушка готова принять ребёнка; родители в трудовой миграции.",
            "findings_health": "Нарушение слуха; нужен слуховой аппарат.",
            "findings_education": "Пропустил полгода школы; нужна инклюзивная поддержка.",
            "findings_identity": "Говорит на казахском и русском; важна связь с родным аулом.",
            "findings_wishes": "Хочет жить у бабушки и вернуться в свою школу.",
        }
        services.update_assessment(started, changes=changes, by=self.owner)
        for option, pro, contra in rng.sample(OPTIONS, 3):
            services.add_option(
                started,
                option=option,
                arguments_for=pro,
                arguments_against=contra,
                by=self.owner,
            )
        if complete:
            return services.complete_assessment(started, by=self.owner)
        return started

    def determine(
        self,
        assessment: BestInterestsAssessment,
        option: BestInterestsOption | None = None,
    ) -> BestInterestsDetermination:
        explained = self.rng.random() < 0.8
        decision = services.Determining(
            option=option or assessment.options.first(),
            reasons="Вариант отвечает желанию ребёнка и снижает риск повторной вербовки.",
            panel=[self.owner],
            panel_others="Бабушка (законный представитель); психолог центра",
            explained_to_child=explained,
            explanation_method=assessment.views_method if explained else "",
            explanation_note=""
            if explained
            else "Ребёнок в больнице; объяснит законный представитель на этой неделе.",
        )
        return services.determine(assessment, decision=decision, by=self.supervisor)


def _move_back(case: Case, back: timedelta) -> None:
    """What was written just now happened `back` ago: dates, deadlines and timeline."""
    recent = timezone.now() - timedelta(minutes=10)
    days = timedelta(days=back.days)
    BestInterestsAssessment.objects.filter(case=case, started_at__gt=recent).update(
        started_at=F("started_at") - back, updated_at=F("updated_at") - back
    )
    BestInterestsAssessment.objects.filter(case=case, completed_at__gt=recent).update(
        completed_at=F("completed_at") - back
    )
    BestInterestsAssessment.objects.filter(case=case, cancelled_at__gt=recent).update(
        cancelled_at=F("cancelled_at") - back
    )
    # Dates are moved one row at a time: date arithmetic in SQL differs between databases.
    for made in BestInterestsDetermination.objects.filter(
        case=case, recorded_at__gt=recent
    ):
        BestInterestsDetermination.objects.filter(pk=made.pk).update(
            recorded_at=made.recorded_at - back,
            determined_on=made.determined_on - days,
            review_date=made.review_date - days,
        )
    for appeal in BestInterestsAppeal.objects.filter(
        determination__case=case, recorded_at__gt=recent
    ):
        BestInterestsAppeal.objects.filter(pk=appeal.pk).update(
            recorded_at=appeal.recorded_at - back, lodged_on=appeal.lodged_on - days
        )
    BestInterestsAppeal.objects.filter(
        determination__case=case, decided_at__gt=recent
    ).update(decided_at=F("decided_at") - back)
    CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.BEST_INTERESTS, at__gt=recent
    ).update(at=F("at") - back)
