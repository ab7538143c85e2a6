"""Invented people for `seed_demo`: names in the spelling systems agencies use, IINs, phones and addresses.

The same child is written Әділ by a school, Адиль by the police, Adil in a passport and Ädil in newer
documents (docs: record_linkage.md); the demo mixes these systems so that search and record linkage
meet the variety they must handle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.management.base import CommandError

from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.models import Person
from qorgau.cases.search import person_name_tokens
from qorgau.lib.iin import iin_check_digit

Pair = tuple[
    str, str
]  # (Kazakh Cyrillic, Russian rendering); the same text for Russian names

MOBILE_CODES = (
    "700",
    "701",
    "702",
    "705",
    "707",
    "708",
    "747",
    "771",
    "775",
    "776",
    "777",
    "778",
)


class Spelling(StrEnum):
    KAZAKH = "kazakh"  # Әділ Қайырбеков, schools and akimats
    RUSSIAN = "russian"  # Адиль Кайырбеков, police and hospitals
    ICAO = "icao"  # ADIL KAIYRBEKOV in a passport, stored as Adil Kaiyrbekov
    LATIN_2021 = "latin_2021"  # Ädil Qaiyrbekov
    INFORMAL = "informal"  # Adil Kayyrbekov, hotline notes and social media

    @classmethod
    def draw(cls, rng: random.Random, family: FamilyNames) -> Spelling:
        if family.origin == "kazakh":
            weights = (35, 30, 15, 10, 10)
        else:
            weights = (0, 75, 15, 0, 10)
        return rng.choices(list(cls), weights=weights)[0]

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


def latin(text: str, table: dict[str, str], *, initial_ye: bool = False) -> str:
    """Transliterates letter by letter and capitalises each part of the name."""
    words = []
    for word in text.split(" "):
        parts = []
        for part in word.split("-"):
            lower = part.lower()
            # Informal writing spells a leading Е as Ye: Yerlan, Yesenov.
            head = "ye" if initial_ye and lower.startswith("е") else ""
            body = "".join(table.get(ch, ch) for ch in (lower[1:] if head else lower))
            out = head + body
            parts.append(out[:1].upper() + out[1:])
        words.append("-".join(parts))
    return " ".join(words)


def feminine(surname: Pair) -> Pair:
    kk, ru = surname
    if ru.endswith(("ов", "ев", "ин")):
        return kk + "а", ru + "а"
    return surname


def russian_patronymic(father: str, sex: str) -> str:
    """Галымжанович, Нурлыбаевич, Ганиевич: the Russian patronymic of a Kazakh or Uzbek father's name."""
    male = sex == Person.Sex.MALE
    if father.endswith("й"):
        return father[:-1] + ("евич" if male else "евна")
    if father.endswith("и"):
        return father + ("евич" if male else "евна")
    return father + ("ович" if male else "овна")


def kazakh_patronymic(father: Pair, sex: str) -> Pair:
    suffix = "ұлы" if sex == Person.Sex.MALE else "қызы"
    return father[0] + suffix, russian_patronymic(father[1], sex)


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
        others = [
            s
            for s in Spelling
            if s != system and (origin == "kazakh" or s not in _KAZAKH_ONLY)
        ]
        chosen = rng.sample(others, rng.choice((1, 1, 2)))
        return [" ".join(p for p in self.spelt(s)[:2] if p) for s in chosen]


_KAZAKH_ONLY = (Spelling.KAZAKH, Spelling.LATIN_2021)


@dataclass(frozen=True)
class FamilyNames:
    """A child's family, so that parents recorded on several cases carry consistent names."""

    origin: str  # kazakh, russian or uzbek
    surname: Pair  # masculine form
    father: Pair
    father_patronymics: tuple[str, str] | None  # Russian fathers: (son's, daughter's)
    mother: Pair
    citizenship: str

    @classmethod
    def draw(cls, rng: random.Random) -> FamilyNames:
        roll = rng.random()
        if roll < 0.80:
            return cls("kazakh", rng.choice(data.KAZAKH_SURNAMES), rng.choice(data.KAZAKH_FATHERS), None,
                       rng.choice(data.KAZAKH_WOMEN), "KZ")  # fmt: skip
        if roll < 0.95:
            father, son, daughter = rng.choice(data.RUSSIAN_FATHERS)
            return cls("russian", same(rng.choice(data.RUSSIAN_SURNAMES)), same(father), (son, daughter),
                       same(rng.choice(data.RUSSIAN_WOMEN)), "KZ")  # fmt: skip
        return cls("uzbek", same(rng.choice(data.UZBEK_SURNAMES)), same(rng.choice(data.UZBEK_BOYS)), None,
                   same(rng.choice(data.UZBEK_GIRLS)), "UZ")  # fmt: skip

    def surname_for(self, sex: str) -> Pair:
        return feminine(self.surname) if sex == Person.Sex.FEMALE else self.surname

    def patronymic_for(self, sex: str) -> Pair:
        if self.father_patronymics:
            text = self.father_patronymics[0 if sex == Person.Sex.MALE else 1]
            return text, text
        if self.origin == "kazakh":
            return kazakh_patronymic(self.father, sex)
        return same(russian_patronymic(self.father[1], sex))

    def child(self, sex: str, rng: random.Random) -> PersonName:
        male = sex == Person.Sex.MALE
        if self.origin == "kazakh":
            given = rng.choice(data.KAZAKH_BOYS if male else data.KAZAKH_GIRLS)
        elif self.origin == "russian":
            given = same(rng.choice(data.RUSSIAN_BOYS if male else data.RUSSIAN_GIRLS))
        else:
            given = same(rng.choice(data.UZBEK_BOYS if male else data.UZBEK_GIRLS))
        return PersonName(given, self.surname_for(sex), self.patronymic_for(sex))

    def parent(self, sex: str, rng: random.Random) -> PersonName:
        if sex == Person.Sex.MALE:
            grandfather = (
                rng.choice(data.KAZAKH_FATHERS) if self.origin == "kazakh" else None
            )
            patronymic = kazakh_patronymic(grandfather, sex) if grandfather else None
            return PersonName(self.father, self.surname, patronymic)
        return PersonName(self.mother, self.surname_for(sex), None)

    def languages(self, rng: random.Random) -> list[str]:
        if self.origin == "kazakh":
            return rng.choice((["kk"], ["kk", "ru"], ["kk", "ru"], ["ru"]))
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
            pick = 0 if rng.random() < 0.5 else 1
            return given[pick], (feminine(surname) if female else surname)[pick]
        first = rng.choice(
            data.RUSSIAN_WOMEN if female else tuple(f[0] for f in data.RUSSIAN_FATHERS)
        )
        last = rng.choice(data.RUSSIAN_SURNAMES)
        return first, feminine(same(last))[0] if female else last


def same(text: str) -> Pair:
    return text, text


def mobile_phone(rng: random.Random) -> str:
    n = rng.randrange(10_000_000)
    return f"+7 {rng.choice(MOBILE_CODES)} {n // 10_000:03d} {n // 100 % 100:02d} {n % 100:02d}"


class IinIssuer:
    """IINs that look issued: birth date, century-and-sex digit, serial, check digit; never the same twice.

    Nothing reads meaning back from them (docs: domain.md §6.5); the shape only makes the demo plausible.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last_serial: dict[str, int] = {}

    def issue(self, born: date, sex: str) -> str:
        century = born.year // 100 - 18  # 1800s → 1/2, 1900s → 3/4, 2000s → 5/6
        head = born.strftime("%y%m%d") + str(
            2 * century + (1 if sex == Person.Sex.MALE else 2)
        )
        serial = self.last_serial.get(head, self.rng.randrange(500))
        while serial < 9_950:
            serial += self.rng.randint(1, 30)
            check = iin_check_digit(f"{head}{serial:04d}")
            if check is not None:
                self.last_serial[head] = serial
                return f"{head}{serial:04d}{check}"
        return ""  # every serial of that day is used: the person goes without an IIN, as many do


class NameTokens:
    """Blind-index tokens of persons' names, computed once per distinct spelling.

    `person_name_tokens` is the union of the tokens of each name part, so caching per part gives the
    same set while normalising and hashing each spelling once instead of once per person.
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
        tokens |= self.part("patronymic", person.patronymic)
        return tokens

    def part(self, field: str, text: str) -> frozenset[str]:
        if not text:
            return frozenset()
        key = (field, text)
        if key not in self.cache:
            self.cache[key] = frozenset(person_name_tokens(Person(**{field: text})))
        return self.cache[key]

    def check(self, person: Person) -> None:
        """Fails loudly if search.person_name_tokens stops being a union over name parts."""
        if self.of(person) != person_name_tokens(person):
            raise CommandError(
                "Name tokens differ from search.person_name_tokens: update NameTokens."
            )
