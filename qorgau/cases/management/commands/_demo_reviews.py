"""Demo case reviews, closures and follow-ups: reviews held (some now overdue, some due soon),
cases closed with coded reasons, and follow-ups done, due, overdue and one that found the child
at risk again. (Every other open case has its next review from the caseload.)

Written through the review services: reviews are held on dates in the past (the service allows
a review recorded after the meeting), closures are moved back in time afterwards, like the demo
decisions, and the follow-ups are then recorded on dates after the moved closure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from qorgau.cases import services as case_services
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.reviews import services, sweeps
from qorgau.reviews.models import CaseClosure, CaseReview, ClosureReason, FollowUp
from qorgau.reviews.schedule import follow_up_dates, interval_days

R = ClosureReason
Outcome = CaseReview.Outcome
Situation = FollowUp.Situation

SUMMARIES = (
    "План поддержки выполняется: ребёнок посещает школу, встречи с психологом раз в неделю.",
    "Семья получила социальную помощь; риск повторного вовлечения снижен, наблюдение продолжается.",
    "Ребёнок пропустил две встречи; нужен новый график и сопровождение до центра.",
    "Баланың жағдайы тұрақты, мектепке барады; отбасымен жұмыс жалғасады.",
    "Полиция сообщила о новых контактах с вербовщиком: нужен пересмотр плана безопасности.",
)
OTHERS = (
    "Ребёнок, мать",
    "Ребёнок, школьный психолог",
    "Бала және әжесі",
    "Опекун, классный руководитель",
)
OUTCOMES = (
    (Outcome.CONTINUE, 6),
    (Outcome.CHANGE_PLAN, 3),
    (Outcome.ESCALATE, 1),
    (Outcome.PROPOSE_CLOSURE, 1),
)
# How far back the last review was held, in intervals of the case's priority: before 1 the
# next one is not due yet, just under 1 it is due soon, over 1 it is overdue.
LAST_HELD = (0.3, 0.6, 0.95, 1.2, 1.6)
DETAILS: dict[str, str] = {
    R.REINTEGRATED: "Ребёнок живёт с бабушкой, ходит в школу; семья на учёте в центре.",
    R.GOALS_ACHIEVED: "Все цели плана достигнуты, риск оценён как низкий.",
    R.TRANSFERRED: "Семья переехала; дело передано в организацию по новому месту жительства.",
    R.WHEREABOUTS_UNKNOWN: "Семья выехала, новый адрес неизвестен; полиция уведомлена.",
    R.REFUSAL: "Мать отказалась от дальнейшей поддержки; ребёнок в безопасности.",
    R.OTHER: "Ребёнок помещён в семью опекуна в другой области.",
}


@dataclass(frozen=True)
class Closing:
    """A closed demo case: how it closed, how long ago, and its follow-ups recorded since."""

    reason: str
    days_ago: int
    recorded: tuple[
        tuple[bool, str], ...
    ] = ()  # (contact made, situation) per follow-up
    status: str = Case.Status.CLOSED


CLOSINGS = (
    Closing(R.REINTEGRATED, 177),  # 6-month follow-up due in a few days
    Closing(R.GOALS_ACHIEVED, 215),  # 6-month follow-up overdue, supervisors told
    Closing(R.REFUSAL, 240, ((True, Situation.SAFE),)),
    Closing(R.REINTEGRATED, 380, ((True, Situation.NEEDS_SUPPORT),)),  # 12 overdue
    Closing(R.GOALS_ACHIEVED, 400, ((True, Situation.SAFE), (True, Situation.SAFE))),
    Closing(R.WHEREABOUTS_UNKNOWN, 200, ((False, Situation.LOST_CONTACT),)),
    Closing(R.REINTEGRATED, 210, ((True, Situation.AT_RISK),)),  # a new case opened
    Closing(R.TRANSFERRED, 30, (), Case.Status.CLOSED_REFERRED),
    Closing(R.OTHER, 60),
)


def add_reviews(rng: random.Random, count: int) -> dict[str, int]:
    """Holds reviews on `count` open cases and closes some others.

    The caseload has already given every open case its next review and every closed case
    its coded closure (`_demo_caseload`), as the services would have.
    """
    made = {"held": hold_reviews(rng, count)}
    made["closed"] = close_cases(rng, len(CLOSINGS) * max(1, count // 30))
    made["told"] = sweeps.send_review_reminders() + sweeps.send_follow_up_reminders()
    return made


def _candidates(count: int, *, order: str, opened_before: date) -> list[Case]:
    """Open cases past their first steps whose owner still works, without a review held."""
    return list(
        Case.objects.open()
        .exclude(status=Case.Status.DRAFT)
        .filter(owner__is_active=True, opened_at__lt=_start_of(opened_before))
        .filter(
            ~Exists(
                CaseReview.objects.filter(
                    case=OuterRef("pk"), status=CaseReview.Status.HELD
                )
            )
        )
        .select_related("owner")
        .order_by(order)[:count]
    )


def _start_of(day: date) -> Any:
    return timezone.make_aware(datetime.combine(day, time.min))


def hold_reviews(rng: random.Random, count: int) -> int:
    today = timezone.localdate()
    held = 0
    pool = _candidates(
        count * 3, order="-id", opened_before=today - timedelta(days=200)
    )
    rng.shuffle(pool)
    for n, case in enumerate(pool[:count]):
        team = list(
            CaseMember.objects.active()
            .filter(case=case)
            .exclude(role=CaseMember.Role.OBSERVER)
            .select_related("user")
        )
        step = interval_days(case.priority)
        last = today - timedelta(days=round(step * LAST_HELD[n % len(LAST_HELD)]))
        earlier = last - timedelta(days=step)
        for held_on in (earlier, last):
            if held_on < timezone.localdate(case.opened_at):
                continue
            members = [
                m.user for m in team if m.user == case.owner or rng.random() < 0.5
            ]
            services.hold_review(
                case,
                held_on=held_on,
                participants=members,
                other_participants=rng.choice(OTHERS),
                summary=rng.choice(SUMMARIES),
                outcome=_weighted(rng, OUTCOMES)
                if held_on == last
                else Outcome.CONTINUE,
                next_due_on=None if held_on == last else last,
                by=case.owner,
            )
            held += 1
    return held


def close_cases(rng: random.Random, count: int) -> int:
    """Closes cases whose last activity came before the closure the story gives them."""
    now = timezone.now()
    pool = _candidates(  # idle longest
        count,
        order="updated_at",
        opened_before=timezone.localdate() - timedelta(days=30),
    )
    rng.shuffle(pool)
    closed = 0
    for n in range(count):
        story = CLOSINGS[n % len(CLOSINGS)]
        back = timedelta(days=story.days_ago + 7)
        case = next((c for c in pool if c.updated_at < now - back), None)
        if case is None:
            continue
        pool.remove(case)
        if story.status not in Case.next_statuses(case.status):
            story = Closing(story.reason, story.days_ago, story.recorded)
        _close(rng, case, story)
        closed += 1
    return closed


def _close(rng: random.Random, case: Case, story: Closing) -> None:
    since = timezone.now()
    owner = case.owner
    case_services.change_case_status(
        case,
        status=story.status,
        reason=story.reason,
        detail=DETAILS.get(story.reason, ""),
        by=owner,
    )
    _move_closure_back(case, timedelta(days=story.days_ago), since)
    for follow_up, (contact, situation) in zip(
        FollowUp.objects.filter(case=case).order_by("months"),
        story.recorded,
        strict=False,
    ):
        done_on = min(
            follow_up.due_on + timedelta(days=rng.randint(-7, 10)), timezone.localdate()
        )
        recorded = services.record_follow_up(
            follow_up,
            done_on=done_on,
            contact_made=contact,
            contact_method=rng.choice(FollowUp.Contact.values) if contact else "",
            situation=situation,
            notes=_note(situation),
            by=owner,
        )
        if situation == Situation.AT_RISK and owner.capability.opens_cases:
            services.open_case_after_follow_up(recorded, by=owner)


def _move_closure_back(case: Case, back: timedelta, since: Any) -> None:
    """The case closed `back` ago: its closure, its timeline and its follow-up dates with it."""
    closed_at = timezone.now() - back
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at, updated_at=closed_at)
    closure = CaseClosure.objects.filter(case=case).latest("closed_at")
    CaseClosure.objects.filter(pk=closure.pk).update(closed_at=closed_at)
    CaseEvent.objects.filter(case=case, at__gte=since).update(at=closed_at)
    CaseReview.objects.filter(case=case, cancelled_at__gte=since).update(
        cancelled_at=closed_at
    )
    dates = dict(follow_up_dates(timezone.localdate(closed_at)))
    for follow_up in FollowUp.objects.filter(closure=closure):
        FollowUp.objects.filter(pk=follow_up.pk).update(due_on=dates[follow_up.months])


def _note(situation: str) -> str:
    notes: dict[str, str] = {
        Situation.SAFE: "Ребёнок дома, учится, жалоб нет.",
        Situation.NEEDS_SUPPORT: "Семье нужна помощь с оплатой школьных расходов.",
        Situation.AT_RISK: "Соседи видели ребёнка на рынке с незнакомым взрослым.",
        Situation.LOST_CONTACT: "Телефон не отвечает, по адресу никто не живёт.",
    }
    return notes[situation]


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*options, strict=True)
    return str(rng.choices(values, weights=weights)[0])
