"""Search over encrypted identities: blind indexes of name skeletons and of the IIN.

Names are searched in any spelling the system knows (Жанар = ZHANAR = Janar) by exact match of
skeleton tokens, never by prefix: the index holds truncated keyed hashes, so candidates are checked
again after decryption to drop the few false positives.
"""

import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet

from qorgau.audit.services import record_event
from qorgau.cases.access import count_visible_cases
from qorgau.cases.models import Case, Person, PersonNameToken
from qorgau.lib.crypto import blind_index
from qorgau.lib.iin import normalise_iin
from qorgau.lib.names import name_tokens, patronymic_root
from qorgau.lib.pagination import CappedPaginator

NAME_COLUMN = "person.name"
IIN_COLUMN = "person.iin"
CASE_NUMBER = re.compile(
    r"^(KZ)?\d{2}-\d{4}-\d{1,5}$|^KZ\d{0,2}(-\d{0,4}(-\d{0,5})?)?$", re.IGNORECASE
)


def iin_blind_index(iin: str) -> str:
    return blind_index(normalise_iin(iin), IIN_COLUMN)


def person_skeletons(person: Person) -> set[str]:
    keys: set[str] = set()
    for text in (
        person.given_name,
        person.family_name,
        *(person.other_spellings or []),
    ):
        keys.update(name_tokens(text or ""))
    if person.patronymic:
        keys.update(name_tokens(person.patronymic))
        keys.add(patronymic_root(person.patronymic))
    return keys


def person_name_tokens(person: Person) -> set[str]:
    return {blind_index(key, NAME_COLUMN) for key in person_skeletons(person)}


def query_kind(query: str) -> str:
    compact = normalise_iin(query)
    if compact.isdigit() and len(compact) == 12:
        return "iin"
    if CASE_NUMBER.match(query.strip()):
        return "number"
    return "name"


def ids_matching_name(query: str) -> QuerySet[Any] | None:
    """Ids of persons whose stored names hold every word of the query, in any spelling.

    None when the query holds no name at all. (Before false-positive checks.) The two databases
    want the intersection of the words written differently (bench/, a million children):
    PostgreSQL takes one word's rows and tests each for the others through the (person, token)
    index, a semi-join, where grouping all rows costs it 50 ms; SQLite groups the rows of all the
    words (30 ms) and runs the semi-join several times slower.
    """
    keys = set(name_tokens(query))
    if not keys:
        return None
    tokens = sorted(blind_index(k, NAME_COLUMN) for k in keys)
    if connection.vendor == "sqlite":
        return (
            PersonNameToken.objects.filter(token__in=tokens)
            .values("person_id")
            .annotate(hits=Count("token", distinct=True))
            .filter(hits=len(tokens))
            .values("person_id")
        )
    first, *others = tokens
    rows = PersonNameToken.objects.filter(token=first)
    for token in others:
        rows = rows.filter(
            Exists(
                PersonNameToken.objects.filter(
                    person_id=OuterRef("person_id"), token=token
                )
            )
        )
    return rows.values("person_id")


def persons_matching_name(query: str) -> QuerySet[Person]:
    ids = ids_matching_name(query)
    return Person.objects.none() if ids is None else Person.objects.filter(pk__in=ids)


def name_really_matches(person: Person, query: str) -> bool:
    return set(name_tokens(query)) <= person_skeletons(person)


def persons_with_iin(iin: str) -> QuerySet[Person]:
    return Person.objects.filter(iin_index=iin_blind_index(iin))


def filter_cases(cases: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Narrows a case queryset that is already scoped to the user by number, IIN or child's name."""
    query = query.strip()
    kind = query_kind(query)
    if kind == "number":
        return cases.filter(number__istartswith=query.upper())
    if kind == "iin":
        return cases.filter(child__in=persons_with_iin(normalise_iin(query)))
    ids = ids_matching_name(query)
    return cases.none() if ids is None else cases.filter(child_id__in=ids)


def drop_false_positives(cases: list[Any], query: str) -> list[Any]:
    """Removes the rows a truncated blind index let through, after decryption."""
    query = query.strip()
    kind = query_kind(query)
    if kind == "name":
        return [c for c in cases if name_really_matches(c.child, query)]
    if kind == "iin":
        return [
            c for c in cases if normalise_iin(c.child.iin or "") == normalise_iin(query)
        ]
    return cases


LIST_RELATED = ("child", "region", "lead_organisation", "owner")
FILTERS = ("q", "status", "priority", "region", "organisation")


def narrow(cases: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    """The cases matching a search and the list's filters."""
    query = filters.get("q") or ""
    if query:
        cases = filter_cases(cases, query)
    for name in ("status", "priority", "region"):
        if filters.get(name):
            cases = cases.filter(**{name: filters[name]})
    if filters.get("organisation"):
        cases = cases.filter(lead_organisation=filters["organisation"])
    return cases


@dataclass
class CaseListPage:
    page: Page  # type: ignore[type-arg]
    rows: list[Any]
    paginator: CappedPaginator


def case_list_page(
    user: Any, filters: dict[str, Any], page_number: int | str | None
) -> CaseListPage:
    """One page of the cases a user may see, searched and filtered, with its read recorded once.

    Shared by the list page and the API so that both scope, search and audit alike.
    """
    query = filters.get("q") or ""
    cases = narrow(Case.objects.visible_to(user), filters)
    cases = cases.select_related(*LIST_RELATED).order_by("-updated_at", "-id")
    # Counting: a search finds few cases, each then tested for visibility; filters alone are
    # counted within the user's own case ids; the whole list, reason by reason.
    counted: Any = narrow(Case.objects.visible_to(user, ordered=bool(query)), filters)
    if not any(filters.get(name) for name in FILTERS):
        counted = partial(count_visible_cases, user)
    paginator = CappedPaginator(cases, settings.QORGAU_PAGE_SIZE, count_from=counted)
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    rows = drop_false_positives(rows, query) if query else rows
    record_event(
        "case.list",
        by=user,
        object_type="case",
        details={"cases": [c.number for c in rows]},
    )
    return CaseListPage(page, rows, paginator)
