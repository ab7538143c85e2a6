"""Search before create: children already known who may be the one about to be registered."""

from dataclasses import dataclass, field

from qorgau.agencies.models import User
from qorgau.audit.services import record_event
from qorgau.cases.access import effective_access
from qorgau.cases.models import Case, Person
from qorgau.cases.search import (
    name_really_matches,
    persons_matching_name,
    persons_with_iin,
)
from qorgau.cases.services import PersonDetails

MAX_CANDIDATES = 20


@dataclass
class Match:
    person: Person
    basis: str  # "iin" or "name"
    visible_cases: list[Case] = field(default_factory=list)
    other_holders: list[str] = field(
        default_factory=list
    )  # organisation names only, never the child's data

    @property
    def is_visible(self) -> bool:
        return bool(self.visible_cases)


def _name_candidates(details: PersonDetails) -> list[Person]:
    query = f"{details.given_name} {details.family_name}".strip()
    if not query:
        return []
    year = details.birth_date.year if details.birth_date else details.birth_year
    rows = persons_matching_name(query).filter(kind=Person.Kind.CHILD)
    if year:
        rows = rows.filter(birth_year__gte=year - 1, birth_year__lte=year + 1)
    return [p for p in rows[:MAX_CANDIDATES] if name_really_matches(p, query)]


def possible_matches(user: User, details: PersonDetails) -> list[Match]:
    """Known children with the same IIN, or the same names (any spelling) born within a year."""
    found: dict[object, Match] = {}
    if details.iin:
        for person in persons_with_iin(details.iin)[:MAX_CANDIDATES]:
            if person.iin == details.iin:
                found[person.pk] = Match(person, "iin")
    for person in _name_candidates(details):
        found.setdefault(person.pk, Match(person, "name"))
    for match in found.values():
        for case in Case.objects.filter(child=match.person).select_related(
            "lead_organisation"
        ):
            if effective_access(user, case) is not None:
                match.visible_cases.append(case)
            else:
                match.other_holders.append(case.lead_organisation.name)
    record_event(
        "person.match_search",
        by=user,
        object_type="person",
        details={
            "candidates": [str(pk) for pk in found],
            "iin_given": bool(details.iin),
        },
    )
    return sorted(found.values(), key=lambda m: (m.basis != "iin", not m.is_visible))
