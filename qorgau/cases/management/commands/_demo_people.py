"""Invented people for `seed_demo`: names in the spellings agencies use, IINs, phones.

A school writes Әділ, the police Адиль, a passport ADIL and newer documents Ädil
(docs: record_linkage.md). The demo mixes these systems so that search and record
linkage meet the variety they must handle.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import accumulate

from django.core.management.base import CommandError

from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.models import Person
from qorgau.cases.search import person_name_tokens
from qorgau.lib.iin import iin_check_digit

# (Kazakh Cyrillic, Russian rendering); both the same for Russian names.
Pair = tuple[str, str]

MOBILE_CODES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776",
                "777", "778")  # fmt: skip
MALE, FEMALE = Person.Sex.MALE, Person.Sex.FEMALE


class Weighted[K]:
    """A weighted choice with its cumulative weights computed once, not on every draw."""

    def __init__(self, weights: Mapping[K, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> K:
        # What rng.choices(values, cum_weights=…) draws, without its set-up per call.
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


class Spelling(StrEnum):
    KAZAKH = "kazakh"  # Әділ Қайырбеков: schools, akimats
    RUSSIAN = "russian"  # Адиль Кайырбеков: police, hospitals
    ICAO = "icao"  # ADIL KAIYRBEKOV in a passport, stored as Adil Kaiyrbekov
    LATIN_2021 = "latin_2021"  # Ädil Qaiyrbekov
    INFORMAL = "informal"  # Adil Kayyrbekov: hotline notes, social media

    @staticmethod
    def draw(rng: random.Random, family: FamilyNames) -> Spelling:
        systems = KAZAKH_SYSTEMS if family.origin == "kazakh" else OTHER_SYSTEMS
        return systems.pick(rng)

    def write(self, pair: Pair) -> str:
        kk, ru = pair
        if self == Spelling.KAZAKH:
            return kk
        if self == Spelling.RUSSIAN:
            return ru
        if self == Spelling.ICAO:
            return latin(kk, data.ICAO_9303)
        if self == Spelling.LATIN_2021:
            return latin(kk, data.KAZAKH_LATIN_2021)
        return latin(ru, data.INFORMAL, initial_ye=True)


KAZAKH_SYSTEMS = Weighted({Spelling.KAZAKH: 35, Spelling.RUSSIAN: 30, Spelling.ICAO: 15,
                           Spelling.LATIN_2021: 10, Spelling.INFORMAL: 10})  # fmt: skip
# Russian and Uzbek names: written in Russian, or in Latin from a passport or a chat.
OTHER_SYSTEMS = Weighted(
    {Spelling.RUSSIAN: 75, Spelling.ICAO: 15, Spelling.INFORMAL: 10}
)


def latin(text: str, table: dict[str, str], *, initial_ye: bool = False) -> str:
    """Transliterates letter by letter and capitalises each part of the name."""
    return " ".join(
        "-".join(latin_part(part, table, initial_ye) for part in word.split("-"))
        for word in text.split(" ")
    )


def latin_part(part: str, table: dict[str, str], initial_ye: bool) -> str:
    lower = part.lower()
    if initial_ye and lower.startswith("е"):
        out = "ye" + "".join(table.get(ch, ch) for ch in lower[1:])  # Yerlan, Yesenov
    else:
        out = "".join(table.get(ch, ch) for ch in lower)
    return out[:1].upper() + out[1:]


def feminine(surname: Pair) -> Pair:
    kk, ru = surname
    if ru.endswith(("ов", "ев", "ин")):
        return kk + "а", ru + "а"
    return surname  # Шевченко, Ким


def russian_patronymic(father: str, sex: str) -> str:
    """Галымжанович, Нурлыбаевич, Ганиевна: a patronymic in the Russian manner."""
    male = sex == MALE
    if father.endswith("й"):
        return father[:-1] + ("евич" if male else "евна")
    if father.endswith("и"):
        return father + ("евич" if male else "евна")
    return father + ("ович" if male else "овна")


def kazakh_patronymic(father: Pair, sex: str) -> Pair:
    """Ғалымжанұлы in Kazakh, Галымжанович in the Russian rendering."""
    suffix = "ұлы" if sex == MALE else "қызы"
    return father[0] + suffix, russian_patronymic(father[1], sex)


def same(text: str) -> Pair:
    return text, text


@dataclass(frozen=True)
class PersonName:
    given: Pair
    surname: Pair | None
    patronymic: Pair | None

    def spelt(self, system: Spelling) -> tuple[str, str, str]:
        # Passports carry no patronymic, and hotline notes rarely do.
        keeps_patronymic = system not in (Spelling.ICAO, Spelling.INFORMAL)
        return (
            system.write(self.given),
            system.write(self.surname) if self.surname else "",
            system.write(self.patronymic)
            if self.patronymic and keeps_patronymic
            else "",
        )

    def other_spellings(
        self, system: Spelling, rng: random.Random, origin: str
    ) -> list[str]:
        """The same given and family name as other agencies wrote them."""
        usable = list(
            KAZAKH_SYSTEMS.values if origin == "kazakh" else OTHER_SYSTEMS.values
        )
        others = [s for s in usable if s != system]
        chosen = rng.sample(others, rng.choice((1, 1, 2)))
        written = [self.given_and_family(s) for s in chosen]
        return [text for text in written if text != self.given_and_family(system)]

    def given_and_family(self, system: Spelling) -> str:
        return " ".join(part for part in self.spelt(system)[:2] if part)


@dataclass(frozen=True)
class FamilyNames:
    """A child's family, so that parents linked on several cases keep their names."""

    origin: str  # kazakh, russian or uzbek
    surname: Pair  # masculine form
    father: Pair
    russian_patronymics: tuple[str, str] | None  # a son's and a daughter's
    mother: Pair
    citizenship: str

    @classmethod
    def draw(cls, rng: random.Random) -> FamilyNames:
        roll = rng.random()
        if roll < 0.80:
            return cls("kazakh", rng.choice(data.KAZAKH_SURNAMES),
                       rng.choice(data.KAZAKH_FATHERS), None,
                       rng.choice(data.KAZAKH_WOMEN), "KZ")  # fmt: skip
        if roll < 0.95:
            father, son, daughter = rng.choice(data.RUSSIAN_FATHERS)
            return cls("russian", same(rng.choice(data.RUSSIAN_SURNAMES)), same(father),
                       (son, daughter), same(rng.choice(data.RUSSIAN_WOMEN)), "KZ")  # fmt: skip
        # Children from a neighbouring country, as Kazakh records write them.
        return cls("uzbek", same(rng.choice(data.UZBEK_SURNAMES)),
                   same(rng.choice(data.UZBEK_BOYS)), None,
                   same(rng.choice(data.UZBEK_GIRLS)), "UZ")  # fmt: skip

    def surname_for(self, sex: str) -> Pair:
        return feminine(self.surname) if sex == FEMALE else self.surname

    def patronymic_for(self, sex: str) -> Pair:
        if self.russian_patronymics:
            return same(self.russian_patronymics[0 if sex == MALE else 1])
        if self.origin == "kazakh":
            return kazakh_patronymic(self.father, sex)
        return same(russian_patronymic(self.father[1], sex))

    def child(self, sex: str, rng: random.Random) -> PersonName:
        male = sex == MALE
        if self.origin == "kazakh":
            given = rng.choice(data.KAZAKH_BOYS if male else data.KAZAKH_GIRLS)
        elif self.origin == "russian":
            given = same(rng.choice(data.RUSSIAN_BOYS if male else data.RUSSIAN_GIRLS))
        else:
            given = same(rng.choice(data.UZBEK_BOYS if male else data.UZBEK_GIRLS))
        return PersonName(given, self.surname_for(sex), self.patronymic_for(sex))

    def parent(self, sex: str, rng: random.Random) -> PersonName:
        if sex == FEMALE:
            return PersonName(self.mother, self.surname_for(sex), None)
        if self.origin == "kazakh":
            grandfather = rng.choice(data.KAZAKH_FATHERS)
            return PersonName(
                self.father, self.surname, kazakh_patronymic(grandfather, sex)
            )
        return PersonName(self.father, self.surname, None)

    def languages(self, rng: random.Random) -> list[str]:
        if self.origin == "kazakh":
            return list(rng.choice((("kk",), ("kk", "ru"), ("kk", "ru"), ("ru",))))
        if self.origin == "russian":
            return ["ru"] if rng.random() < 0.85 else ["ru", "kk"]
        return ["uz", "ru"]

    def address(self, rng: random.Random, system: Spelling) -> str:
        street_kk, street_ru = rng.choice(data.STREETS)
        house, flat = rng.randint(1, 120), rng.randint(1, 180)
        if system == Spelling.KAZAKH:
            return f"{street_kk}, {house}-үй, {flat}-пәтер"
        return f"{street_ru}, д. {house}, кв. {flat}"

    @staticmethod
    def stranger(rng: random.Random) -> PersonName:
        """A suspected trafficker or recruiter: often only a first name is known."""
        given = rng.choice(
            data.KAZAKH_FATHERS + tuple(same(n) for n in data.UZBEK_BOYS)
        )
        surname = rng.choice(data.KAZAKH_SURNAMES) if rng.random() < 0.6 else None
        return PersonName(given, surname, None)

    @staticmethod
    def staff_name(rng: random.Random) -> tuple[str, str]:
        female = rng.random() < 0.65  # most social workers and teachers are women
        if rng.random() < 0.7:
            given = rng.choice(data.KAZAKH_WOMEN if female else data.KAZAKH_FATHERS)
            surname = rng.choice(data.KAZAKH_SURNAMES)
            surname = feminine(surname) if female else surname
            script = rng.choice((0, 1))  # as written in Kazakh or in Russian
            return given[script], surname[script]
        men = tuple(father for father, _son, _daughter in data.RUSSIAN_FATHERS)
        first = rng.choice(data.RUSSIAN_WOMEN if female else men)
        last = same(rng.choice(data.RUSSIAN_SURNAMES))
        return first, (feminine(last) if female else last)[0]


def mobile_phone(rng: random.Random) -> str:
    n = rng.randrange(10_000_000)
    code = rng.choice(MOBILE_CODES)
    return f"+7 {code} {n // 10_000:03d} {n // 100 % 100:02d} {n % 100:02d}"


class IinIssuer:
    """IINs that look issued: birth date, century and sex, serial, check digit; no repeats.

    Nothing reads meaning back from them (docs: domain.md §6.5): the shape only makes the
    demo look real.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last_serial: dict[str, int] = {}

    def issue(self, born: date, sex: str) -> str:
        century = born.year // 100 - 18  # 1800s: 1 or 2, 1900s: 3 or 4, 2000s: 5 or 6
        head = born.strftime("%y%m%d") + str(2 * century + (1 if sex == MALE else 2))
        serial = self.last_serial.get(head, self.rng.randrange(500))
        while serial < 9_950:
            serial += self.rng.randint(1, 30)
            check = iin_check_digit(f"{head}{serial:04d}")
            if check is not None:
                self.last_serial[head] = serial
                return f"{head}{serial:04d}{check}"
        return ""  # that day's serials are used up: no IIN, as for many children


class NameTokens:
    """Blind-index tokens of persons' names, computed once per distinct spelling.

    `person_name_tokens` is the union of the tokens of each name part, so caching per part
    gives the same set while normalising and hashing each spelling once, not per person.
    """

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], frozenset[str]] = {}

    def of(self, person: Person) -> set[str]:
        tokens: set[str] = set()
        for text in (
            person.given_name,
            person.family_name,
            *(person.other_spellings or []),
        ):
            tokens |= self.part("given_name", text)
        return tokens | self.part("patronymic", person.patronymic)

    def part(self, field: str, text: str) -> frozenset[str]:
        if not text:
            return frozenset()
        key = (field, text)
        if key not in self.cache:
            self.cache[key] = frozenset(person_name_tokens(Person(**{field: text})))
        return self.cache[key]

    def check(self, person: Person) -> None:
        """Fails loudly if person_name_tokens stops being a union over name parts."""
        if self.of(person) != person_name_tokens(person):
            raise CommandError(
                "NameTokens no longer matches search.person_name_tokens."
            )
