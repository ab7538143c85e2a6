"""The caseload of `seed_demo`, planned as rows: children, relatives, cases, teams, notes,
each open case's next review and each closed case's closure.

Planning draws every random choice in a fixed order from one generator, so a seed always
gives the same rows. Nothing here encrypts or writes: `_demo_writer` does. The rows are
those the services write (open_case, add_team_member, link_person, add_note,
change_case_status, and the review schedule and coded closure of `reviews.services`), with the
timeline parameters that timeline.describe reads.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from qorgau.agencies.roles import Role, Tier
from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.management.commands._demo_country import (
    HISTORY,
    REFERENCE_NOW,
    Country,
    Staff,
)
from qorgau.cases.management.commands._demo_people import (
    FamilyNames,
    IinIssuer,
    Spelling,
    Weighted,
    mobile_phone,
)
from qorgau.cases.models import Case, CaseMember, CaseNumberCounter, CaseParticipant
from qorgau.cases.models import CaseEvent as E
from qorgau.cases.models import Person as P
from qorgau.reviews.models import CaseReview
from qorgau.reviews.schedule import interval_days

S, M, R = Case.Status, CaseMember.Role, CaseParticipant.Relation

STATUSES = Weighted({
    S.DRAFT: 6, S.SCREENING_POSITIVE: 11, S.PRELIMINARY_IDENTIFICATION: 12,
    S.REFERRED: 12, S.REFLECTION_PERIOD: 8, S.ASSISTANCE_ACTIVE: 16, S.FOLLOW_UP: 15,
    S.CLOSED: 10, S.CLOSED_REFERRED: 5, S.CLOSED_NOT_VICTIM: 5,
})  # fmt: skip
# The NRM path of an open case (domain.md §5.3); a case may be closed at any step.
OPEN_PATH = (S.DRAFT, S.SCREENING_POSITIVE, S.PRELIMINARY_IDENTIFICATION, S.REFERRED,
             S.REFLECTION_PERIOD, S.ASSISTANCE_ACTIVE, S.FOLLOW_UP)  # fmt: skip
TYPES = Weighted({Case.Type.CHILD_PROTECTION_RISK: 55, Case.Type.POTENTIAL_VICTIM: 35,
                  Case.Type.CONFIRMED_VICTIM: 10})  # fmt: skip
PRIORITIES = Weighted({Case.Priority.LOW: 15, Case.Priority.NORMAL: 50,
                       Case.Priority.HIGH: 25, Case.Priority.URGENT: 10})  # fmt: skip
NOTE_TIERS = Weighted({Tier.IDENTITY: 15, Tier.NARRATIVE: 50, Tier.HEALTH: 25,
                       Tier.CRIMINAL: 10})  # fmt: skip
AGES = Weighted(
    dict(zip(range(3, 18), (1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 7, 7, 6), strict=True))
)
AGE_ASSESSMENTS = Weighted({P.AgeAssessment.DOCUMENTED: 86, P.AgeAssessment.ESTIMATED: 9,
                            P.AgeAssessment.PRESUMED_MINOR: 4,
                            P.AgeAssessment.DISPUTED: 1})  # fmt: skip
RELATIONS = Weighted({R.PARENT: 62, R.GUARDIAN: 18, R.RELATIVE: 8,
                      R.SUSPECTED_TRAFFICKER: 8, R.RECRUITER: 4})  # fmt: skip
CRIMINAL_RELATIONS = (R.SUSPECTED_TRAFFICKER, R.RECRUITER)
# Besides the lead, 1–3 team members; 0–2 linked adults; 1–4 notes.
EXTRA_MEMBERS = Weighted({1: 50, 2: 35, 3: 15})
LINKED_ADULTS = Weighted({0: 35, 1: 45, 2: 20})
NOTE_COUNTS = Weighted({1: 35, 2: 35, 3: 20, 4: 10})
TEAM_ROLES = Weighted({M.INVESTIGATOR: 25, M.PSYCHOLOGIST: 25, M.HEALTH_WORKER: 15,
                       M.EDUCATOR: 15, M.CASEWORKER: 10, M.LEGAL_ADVISER: 5,
                       M.OBSERVER: 5})  # fmt: skip
# Who takes each role on a case team: (platform role, kind of organisation).
TEAM_POOLS: dict[str, tuple[tuple[str, str], ...]] = {
    M.INVESTIGATOR: (
        (Role.POLICE_INVESTIGATOR, "police"), (Role.POLICE_INVESTIGATOR, "migration"),
    ),
    M.PSYCHOLOGIST: (
        (Role.SCREENER, "pmpk"), (Role.CASEWORKER, "shelter"), (Role.CASEWORKER, "ngo"),
    ),
    M.HEALTH_WORKER: ((Role.SCREENER, "clinic"),),
    M.EDUCATOR: ((Role.SCREENER, "school"), (Role.SCREENER, "special_school")),
    M.LEGAL_ADVISER: ((Role.CASEWORKER, "legal_aid"),),
    M.CASEWORKER: (
        (Role.CASEWORKER, "social_protection"), (Role.CASEWORKER, "guardianship"),
    ),
    M.OBSERVER: ((Role.REGIONAL_COORDINATOR, "social_protection"),),
}  # fmt: skip
DISABILITY_NEEDS = {"hearing": "sign_language", "speech": "aac",
                    "intellectual": "easy_read", "multiple": "aac"}  # fmt: skip
SECOND_CASE_SHARE = 0.05  # children known to a second organisation, with a case there

# Column order of the planned rows; `_demo_writer` inserts them in this order.
CASE_COLUMNS = ("id", "number", "type", "status", "priority", "region",
                "lead_organisation", "owner", "child", "opened_at", "closed_at",
                "closure_reason", "updated_at", "version")  # fmt: skip
MEMBER_COLUMNS = ("case", "user", "role", "added_by", "added_at")
PARTICIPANT_COLUMNS = ("case", "person", "relation", "has_parental_responsibility",
                       "added_at")  # fmt: skip
EVENT_COLUMNS = ("case", "at", "actor", "kind", "params")

Row = tuple[Any, ...]


@dataclass
class Plan:
    """One batch of planned rows; persons and notes are field values, encrypted later."""

    children: int = 0
    persons: list[dict[str, Any]] = field(default_factory=list)
    cases: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    participants: list[Row] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class CaseDraft:
    id: int
    type: str
    status: str
    priority: str
    region_id: int
    owner: Staff
    child_id: uuid.UUID
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    closure_reason: str = ""
    closure_detail: str = ""
    version: int = 1
    number: str = ""

    def row(self) -> Row:
        return (self.id, self.number, self.type, self.status, self.priority,
                self.region_id, self.owner.organisation_id, self.owner.pk, self.child_id,
                self.opened_at, self.closed_at, self.closure_reason, self.updated_at,
                self.version)  # fmt: skip


@dataclass
class Child:
    person: dict[str, Any]
    family: FamilyNames
    region_id: int
    district_id: int


class Caseload:
    def __init__(
        self, rng: random.Random, country: Country, total: int, first_case_id: int
    ) -> None:
        self.rng = rng
        self.country = country
        self.total = total
        self.next_case_id = first_case_id
        self.today = timezone.localdate()
        self.reviews_scheduled = 0
        self.iins = IinIssuer(rng)
        self.last_numbers: dict[tuple[int, int], int] = {}
        self.regions = {r.pk: r for r in country.regions}
        weights = {r.pk: info.weight for r, info in country.regions_with_info()}
        self.region_choice = Weighted(weights)
        self.caseworkers = country.with_role(Role.CASEWORKER)
        self.pools = {role: self.team_pool(pairs) for role, pairs in TEAM_POOLS.items()}

    def team_pool(self, pairs: tuple[tuple[str, str], ...]) -> dict[int, list[Staff]]:
        """Who may take a role on a team, by region; region 0 holds the whole country."""
        chosen = [s for s in self.country.staff if (s.role, s.kind) in pairs]
        pool: dict[int, list[Staff]] = {0: chosen}
        for s in chosen:
            pool.setdefault(s.region_id, []).append(s)
        return pool

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, start: datetime, end: datetime) -> datetime:
        seconds = self.rng.uniform(0, (end - start).total_seconds())
        return start + timedelta(seconds=int(seconds))

    def plan(self, first: int, count: int) -> Plan:
        plan, drafts = Plan(children=count), []
        for index in range(first, first + count):
            drafts += self.plan_child(plan, self.opening_time(index))
        self.number_cases(plan, drafts)
        return plan

    def opening_time(self, index: int) -> datetime:
        # Children come in order, evenly over three years, so case numbers follow dates.
        seconds = HISTORY.total_seconds() * (index + self.rng.random()) / self.total
        return REFERENCE_NOW - HISTORY + timedelta(seconds=int(seconds))

    def plan_child(self, plan: Plan, opened: datetime) -> list[CaseDraft]:
        region_id = self.region_choice.pick(self.rng)
        owner = self.pick_caseworker(region_id, other_than=0)
        child = self.new_child(opened, region_id, owner)
        plan.persons.append(child.person)
        drafts = [self.plan_case(plan, child, region_id, owner, opened)]
        if self.rng.random() < SECOND_CASE_SHARE:
            second = self.pick_caseworker(region_id, other_than=owner.organisation_id)
            later = opened + timedelta(days=self.rng.uniform(1, 120))
            later = max(opened, min(later, REFERENCE_NOW - timedelta(hours=1)))
            # Led where the child turned up: the region of the second organisation.
            drafts.append(self.plan_case(plan, child, second.region_id, second, later))
        return drafts

    def pick_caseworker(self, region_id: int, *, other_than: int) -> Staff:
        """Mostly one of the child's region; sometimes where the child was found."""
        allowed = [s for s in self.caseworkers if s.organisation_id != other_than]
        local = [s for s in allowed if s.region_id == region_id]
        return self.rng.choice(local if local and self.rng.random() < 0.9 else allowed)

    # People

    def new_child(self, opened: datetime, region_id: int, owner: Staff) -> Child:
        rng = self.rng
        family = FamilyNames.draw(rng)
        sex = rng.choice((P.Sex.FEMALE, P.Sex.MALE))
        system = Spelling.draw(rng, family)
        name = family.child(sex, rng)
        given, surname, patronymic = name.spelt(system)
        age, assessment = AGES.pick(rng), AGE_ASSESSMENTS.pick(rng)
        born = opened.date() - timedelta(days=365 * age + rng.randrange(365))
        # Undocumented children have an assessed birth year only, and no IIN.
        documented = assessment == P.AgeAssessment.DOCUMENTED
        has_iin = documented and family.citizenship == "KZ" and rng.random() < 0.7
        other = rng.random() < 0.15
        district = rng.choice(self.country.districts[region_id])
        person = dict(
            id=self.new_uuid(), kind=P.Kind.CHILD, given_name=given,
            family_name=surname, patronymic=patronymic,
            other_spellings=name.other_spellings(system, rng, family.origin) if other else [],
            birth_date=born.isoformat() if documented else "", birth_year=born.year,
            age_assessment=assessment, sex=sex, citizenship=[family.citizenship],
            languages=family.languages(rng), iin=self.iins.issue(born, sex) if has_iin else "",
            phone=mobile_phone(rng) if age >= 10 and rng.random() < 0.45 else "",
            address=family.address(rng, system) if rng.random() < 0.5 else "",
            region_id=region_id, district_id=district,
            created_by_organisation_id=owner.organisation_id,
            created_at=opened, updated_at=opened,
        )  # fmt: skip
        if rng.random() < 0.1:
            person.update(self.disability())
        return Child(person, family, region_id, district)

    def disability(self) -> dict[str, Any]:
        rng = self.rng
        kinds = rng.sample(P.DisabilityType.values, rng.choice((1, 1, 2)))
        return {
            "disability_status": rng.choice((P.Disability.SUSPECTED, P.Disability.CERTIFIED)),
            "disability_types": kinds,
            "communication_needs": sorted({DISABILITY_NEEDS[k] for k in kinds if k in DISABILITY_NEEDS}),
            "support_needs": rng.choice(data.SUPPORT_NEEDS[kinds[0]]),
        }  # fmt: skip

    def new_adult(
        self, child: Child, relation: str, organisation_id: int, at: datetime
    ) -> dict[str, Any]:
        rng = self.rng
        criminal = relation in CRIMINAL_RELATIONS
        if criminal:
            sex, name = P.Sex.MALE, FamilyNames.stranger(rng)
            # Often only a nickname from a chat: written as it was typed.
            system = Spelling.INFORMAL if rng.random() < 0.5 else Spelling.RUSSIAN
        else:
            sex = rng.choice((P.Sex.FEMALE, P.Sex.MALE))
            name = child.family.parent(sex, rng)
            system = Spelling.draw(rng, child.family)
        given, surname, patronymic = name.spelt(system)
        age = timedelta(days=rng.randint(19 * 365, 45 * 365))
        born = date(child.person["birth_year"], 1, 1) - age
        has_iin = not criminal and rng.random() < 0.3
        assessment = (
            P.AgeAssessment.ESTIMATED if criminal else P.AgeAssessment.DOCUMENTED
        )
        return dict(
            id=self.new_uuid(), kind=P.Kind.ADULT, given_name=given, family_name=surname,
            patronymic=patronymic, birth_year=born.year, age_assessment=assessment,
            sex=sex, citizenship=[child.family.citizenship],
            languages=child.family.languages(rng),
            iin=self.iins.issue(born, sex) if has_iin else "",
            phone=mobile_phone(rng) if rng.random() < 0.7 else "",
            region_id=child.region_id, district_id=child.district_id,
            created_by_organisation_id=organisation_id, created_at=at, updated_at=at,
        )  # fmt: skip

    # Cases

    def plan_case(
        self, plan: Plan, child: Child, region_id: int, owner: Staff, opened: datetime
    ) -> CaseDraft:
        status, case_type = STATUSES.pick(self.rng), TYPES.pick(self.rng)
        if status == S.CLOSED_NOT_VICTIM and case_type == Case.Type.CONFIRMED_VICTIM:
            case_type = Case.Type.POTENTIAL_VICTIM
        case = CaseDraft(
            id=self.next_case_id, type=case_type, status=status,
            priority=PRIORITIES.pick(self.rng), region_id=region_id, owner=owner,
            child_id=child.person["id"], opened_at=opened, updated_at=opened,
        )  # fmt: skip
        self.next_case_id += 1
        end = self.last_activity(opened, status)
        team = self.plan_team(plan, case, end)
        self.plan_linked_adults(plan, case, child, end)
        self.plan_notes(plan, case, team, end)
        self.plan_status_changes(plan, case, end)
        self.plan_closure_or_review(plan, case, end)
        return case

    def last_activity(self, opened: datetime, status: str) -> datetime:
        if status == S.DRAFT:
            days = self.rng.uniform(0, 2)
        elif status in Case.CLOSED_STATUSES:
            days = self.rng.uniform(14, 300)
        else:
            days = self.rng.uniform(1, 200)
        return min(opened + timedelta(days=days), REFERENCE_NOW)

    def event(
        self,
        plan: Plan,
        case: CaseDraft,
        kind: str,
        actor: Staff,
        at: datetime,
        **params: Any,
    ) -> None:
        plan.events.append((case.id, at, actor.pk, kind, params))
        case.updated_at = max(case.updated_at, at)

    def plan_team(self, plan: Plan, case: CaseDraft, end: datetime) -> list[Staff]:
        owner, opened = case.owner, case.opened_at
        plan.members.append((case.id, owner.pk, M.LEAD, owner.pk, opened))
        team = [owner]
        for _ in range(EXTRA_MEMBERS.pick(self.rng)):
            role = TEAM_ROLES.pick(self.rng)
            member = self.pick_member(role, case.region_id, team)
            if member is None:
                continue
            at = self.moment(opened, min(end, opened + timedelta(days=3)))
            team.append(member)
            plan.members.append((case.id, member.pk, role, owner.pk, at))
            params = {"user": member.username, "role": role}
            self.event(plan, case, E.Kind.MEMBER_ADDED, owner, at, **params)
        return team

    def pick_member(self, role: str, region_id: int, team: list[Staff]) -> Staff | None:
        pool = self.pools[role]
        local = pool.get(region_id, [])
        nearby = local if local and self.rng.random() < 0.8 else pool[0]
        candidates = [s for s in nearby if s not in team]
        return self.rng.choice(candidates) if candidates else None

    def plan_linked_adults(
        self, plan: Plan, case: CaseDraft, child: Child, end: datetime
    ) -> None:
        for _ in range(LINKED_ADULTS.pick(self.rng)):
            relation = RELATIONS.pick(self.rng)
            at = self.moment(case.opened_at, end)
            adult = self.new_adult(child, relation, case.owner.organisation_id, at)
            responsible = relation == R.GUARDIAN or (
                relation == R.PARENT and self.rng.random() < 0.9
            )
            plan.persons.append(adult)
            plan.participants.append((case.id, adult["id"], relation, responsible, at))
            self.event(
                plan, case, E.Kind.PERSON_LINKED, case.owner, at, relation=relation
            )

    def plan_notes(
        self, plan: Plan, case: CaseDraft, team: list[Staff], end: datetime
    ) -> None:
        for _ in range(NOTE_COUNTS.pick(self.rng)):
            wanted: int = NOTE_TIERS.pick(self.rng)
            authors = [s for s in team if s.max_tier >= wanted] or [case.owner]
            author = self.rng.choice(authors)
            tier = min(wanted, author.max_tier)  # nobody writes above their own access
            texts = data.NOTES[tier]
            language = "kk" if author.language == "kk" and "kk" in texts else "ru"
            at = self.moment(case.opened_at, end)
            plan.notes.append(dict(
                id=self.new_uuid(), case_id=case.id, author_id=author.pk, tier=tier,
                text=self.rng.choice(texts[language]), created_at=at,
            ))  # fmt: skip
            self.event(plan, case, E.Kind.NOTE_ADDED, author, at, tier=tier)

    def plan_status_changes(self, plan: Plan, case: CaseDraft, end: datetime) -> None:
        path = self.status_path(case.status)
        moments = sorted(self.moment(case.opened_at, end) for _ in path)
        if moments:
            moments[-1] = end  # the last change of status is the case's last activity
        if case.status in Case.CLOSED_STATUSES:
            case.closed_at = end
            reasons = data.CLOSURE_REASONS[case.status]
            case.closure_reason, case.closure_detail = self.rng.choice(reasons)
        old: str = S.DRAFT
        for new, at in zip(path, moments, strict=True):
            params = {"old": old, "new": new}
            if new in Case.CLOSED_STATUSES:
                params["reason"] = case.closure_reason
            self.event(plan, case, E.Kind.STATUS_CHANGED, case.owner, at, **params)
            old = new
        case.version = 1 + len(path)  # change_case_status adds one per change

    def plan_closure_or_review(
        self, plan: Plan, case: CaseDraft, end: datetime
    ) -> None:
        """What reviews.services keeps for every case: a closure row, or the next review.

        The next review falls due on one of the days of its interval from today on, so that
        loading cases does not make them all due on one day (nor overdue at once).
        """
        row_id = uuid.UUID(
            int=case.id, version=4
        )  # no draw: the rest of the plan stays
        if case.closed_at is not None:
            plan.closures.append(dict(
                id=row_id, case_id=case.id, status=case.status,
                reason=case.closure_reason, detail=case.closure_detail,
                closed_by_id=case.owner.pk, closed_at=case.closed_at,
            ))  # fmt: skip
            return
        interval = interval_days(case.priority)
        due = self.today + timedelta(days=1 + case.id % interval)
        plan.reviews.append(dict(
            id=row_id, case_id=case.id, status=CaseReview.Status.SCHEDULED,
            due_on=due, responsible_id=case.owner.pk, created_at=end,
        ))  # fmt: skip
        self.reviews_scheduled += 1

    def status_path(self, status: str) -> list[str]:
        """The statuses after draft: a few steps of the NRM path, then the case's own."""
        if status == S.DRAFT:
            return []
        last = OPEN_PATH.index(S(status)) if status in OPEN_PATH else len(OPEN_PATH)
        between = OPEN_PATH[1:last]
        count = self.rng.randint(0, min(2, len(between)))
        steps = sorted(self.rng.sample(range(len(between)), count))
        return [between[i] for i in steps] + [status]

    def number_cases(self, plan: Plan, drafts: list[CaseDraft]) -> None:
        """Numbers as services._next_case_number gives them: per region and year, by date."""
        for case in sorted(drafts, key=lambda c: c.opened_at):
            region = self.regions[case.region_id]
            year = timezone.localtime(case.opened_at).year
            last = self.last_numbers.get((region.pk, year), 0) + 1
            self.last_numbers[region.pk, year] = last
            case.number = f"KZ{region.short_code}-{year}-{last:05d}"
            self.event(
                plan,
                case,
                E.Kind.OPENED,
                case.owner,
                case.opened_at,
                number=case.number,
            )
        plan.cases = [case.row() for case in drafts]

    def counters(self) -> list[CaseNumberCounter]:
        return [
            CaseNumberCounter(region_id=region_id, year=year, last=last)
            for (region_id, year), last in sorted(self.last_numbers.items())
        ]
