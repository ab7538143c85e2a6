"""Stored screening results written in bulk, for `seed_screenings` and the benchmarks.

Each row is the one `complete_screening` leaves behind: answers given section by section on a
path the skip logic allows, scored by `scoring.score`, encrypted with the row's own data key
through the model's own fields (`Table.seal`, as bulk_create would), with a negative result's
retention end. Scoring is the slow part, so answer sets are drawn and scored once into pools per
instrument version and result, and each row takes one; its encryption is its own. Worker
processes plan and seal batches; the main process writes each batch (COPY on PostgreSQL,
executemany on SQLite) in one transaction with the counts it adds to the tallies, so that the
tallies match the rows whenever the load stops.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import random
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from multiprocessing.pool import AsyncResult
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.cases.management.commands._demo_screenings import (
    ACCOMMODATIONS,
    PARTICIPATION,
    answer_for,
)
from qorgau.cases.management.commands._demo_writer import (
    Table,
    indexes_built_after,
    tune_for_bulk_writes,
)
from qorgau.lib.references import new_reference
from qorgau.screening import scoring
from qorgau.screening.definition import Definition
from qorgau.screening.models import (
    AnswerTally,
    Band,
    InstrumentVersion,
    ResultTally,
    Screening,
)

# Results stored, out of 100: most children screened show no sign.
MIX = ((Band.NEGATIVE, 87), (Band.POSITIVE, 10), (Band.IMMEDIATE_DANGER, 3))
POOL = 200  # answer sets per version and result
# How often a sign is endorsed, by candidate answer set: from a quiet screen to a worrying one.
RATES = (0.02, 0.06, 0.15, 0.3, 0.5)
# Positive results are kept; negative ones only for the retention period.
HISTORY_DAYS = 3 * 365
# Where each kind of organisation screens; elsewhere, in a setting its instrument allows.
SETTING_OF_TYPE = {
    "SchoolOrCollege": "school", "SchoolSpecial": "school",
    "HealthServiceOrganisation": "clinic", "PMPK": "clinic",
    "LawEnforcement": "police", "ImmigrationService": "police", "BorderService": "police",
    "Hotline": "hotline", "Shelter": "shelter", "NGO": "ngo",
}  # fmt: skip
# Screenings a week, by role: screening is a screener's daily work, a caseworker's now and then.
ROLE_WEIGHT = {"screener": 12, "caseworker": 3, "police_investigator": 2}
NOTES = (
    "Перерыв по просьбе ребёнка.",
    "Вопросы прочитаны вслух.",
    "Бала үзіліс сұрады.",
)
NOTE_SHARE = 0.02  # screenings with a note on other accommodations

ResultKey = tuple[int, str, int, date, str]  # version, setting, region, month, band
AnswerKey = tuple[int, str, date, str]  # version, setting, month, answer


@dataclass(frozen=True)
class Answered:
    """One answer set: as sent, a section at a time, and as stored with its result."""

    sections: tuple[tuple[str, dict[str, Any]], ...]
    answers: dict[str, Any]
    result: scoring.Result


@dataclass(frozen=True)
class Slot:
    """A screener with an instrument they administer, and where they use it."""

    screener: int
    organisation: int
    region: int
    language: str
    version: int
    setting: str
    about_the_child: bool


@dataclass(frozen=True)
class Context:
    """Everything a worker needs to plan rows, read once from the database."""

    slots: tuple[Slot, ...]
    weights: tuple[int, ...]
    pools: dict[tuple[int, str], tuple[Answered, ...]]
    now: datetime
    retention_days: int
    seed: str


@dataclass
class Batch:
    rows: list[tuple[Any, ...]]
    results: Counter[ResultKey] = field(default_factory=Counter)
    answers: Counter[AnswerKey] = field(default_factory=Counter)


# --- Answer sets -------------------------------------------------------------------------------


def draw_answers(
    rng: random.Random, definition: Definition, rate: float
) -> Answered | None:
    """Answers to every item shown, section by section, as a screener gives them; None when
    they would not complete."""
    answers: dict[str, Any] = {}
    sections = []
    for section in definition.sections:
        given = {}
        for item in section.items:
            if item in scoring.visible_items(definition, answers):
                answer = answer_for(rng, item, rate)
                if answer is not None:
                    answers[item.code] = given[item.code] = answer
        if given:
            sections.append((section.code, given))
    stored, errors = scoring.clean(definition, answers, complete=True)
    if errors:
        return None
    return Answered(tuple(sections), stored, scoring.score(definition, stored))


def answer_pools(
    rng: random.Random, versions: list[InstrumentVersion], size: int = POOL
) -> dict[tuple[int, str], tuple[Answered, ...]]:
    """`size` answer sets per version and result, for each result the version can give."""
    pools: dict[tuple[int, str], list[Answered]] = {}
    for version in versions:
        for attempt in range(size * 200):
            drawn = draw_answers(rng, version.parsed, RATES[attempt % len(RATES)])
            if drawn is None:
                continue
            pool = pools.setdefault((version.pk, drawn.result.band), [])
            if len(pool) < size:
                pool.append(drawn)
            if all(len(pools.get((version.pk, b), ())) >= size for b in Band.values):
                break
    return {key: tuple(pool) for key, pool in pools.items()}


# --- Who screens where -------------------------------------------------------------------------


def screening_slots() -> list[tuple[Slot, int]]:
    """Each active user who screens, with the instruments their roles administer, weighted by
    how much screening their role does. An instrument goes with the setting of the user's
    organisation; one that is not meant for it only if the user has no instrument that is."""
    versions = list(
        InstrumentVersion.objects.filter(status=InstrumentVersion.Status.PUBLISHED)
    )
    users = (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation__type")
        .order_by("pk")
    )
    slots = []
    for user in users:
        if not user.capability.screens or user.organisation is None:
            continue
        org = user.organisation
        home = SETTING_OF_TYPE.get(org.type.code, "social_services")
        mine = [v for v in versions if user.roles & set(v.parsed.administered_by)]
        here = [v for v in mine if home in v.parsed.settings]
        weight = max((ROLE_WEIGHT.get(r, 1) for r in user.roles), default=1)
        for version in here or mine:
            definition = version.parsed
            setting = home if home in definition.settings else definition.settings[0]
            slot = Slot(user.pk, org.pk, org.region_id, user.preferred_language,
                        version.pk, setting, definition.about_the_child)  # fmt: skip
            slots.append((slot, weight))
    return slots


def build_context(seed: str, now: datetime, retention_days: int) -> Context:
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    weighted = screening_slots()
    versions = InstrumentVersion.objects.filter(
        pk__in={slot.version for slot, _weight in weighted}
    )
    return Context(
        slots=tuple(slot for slot, _weight in weighted),
        weights=tuple(itertools.accumulate(weight for _slot, weight in weighted)),
        pools=answer_pools(rng, list(versions)),
        now=now,
        retention_days=retention_days,
        seed=seed,
    )


# --- Rows --------------------------------------------------------------------------------------


def reference(rng: random.Random) -> str:
    """As start_screening draws one: SK-XXXX-XXXX."""
    return new_reference("SK", rng)


def plan_row(rng: random.Random, ctx: Context) -> tuple[dict[str, Any], Answered]:
    """One completed screening's field values, as complete_screening leaves them."""
    slot = rng.choices(ctx.slots, cum_weights=ctx.weights)[0]
    bands = [(b, w) for b, w in MIX if (slot.version, b) in ctx.pools]
    band = rng.choices([b for b, _w in bands], [w for _b, w in bands])[0]
    answered = rng.choice(ctx.pools[(slot.version, band)])
    result = answered.result
    negative = result.band == Band.NEGATIVE
    days = ctx.retention_days if negative else HISTORY_DAYS
    completed = ctx.now - timedelta(days=rng.uniform(0, days))
    child = slot.about_the_child
    values = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "reference": reference(rng),
        "version_id": slot.version,
        "organisation_id": slot.organisation,
        "region_id": slot.region,
        "screener_id": slot.screener,
        "setting": slot.setting,
        "mode": rng.choice(
            (Screening.Mode.STANDARD,) * 3 + (Screening.Mode.EASY_READ,)
        ),
        "language": slot.language if slot.language == "kk" else "ru",
        "participation": sorted(rng.choice(PARTICIPATION)) if child else [],
        "accommodations": sorted(rng.choice(ACCOMMODATIONS)) if child else [],
        "accommodations_note": (
            rng.choice(NOTES) if child and rng.random() < NOTE_SHARE else ""
        ),
        "answers": answered.answers,
        "status": Screening.Status.COMPLETED,
        "band": result.band,
        "score": result.score,
        "dimensions_met": list(result.dimensions_met),
        "danger": list(result.danger),
        "started_at": completed - timedelta(minutes=rng.uniform(4, 30)),
        "completed_at": completed,
        "updated_at": completed,
        "delete_after": (
            timezone.localdate(completed) + timedelta(days=ctx.retention_days)
            if negative
            else None
        ),
        # Started (1), saved once per section, completed.
        "row_version": 2 + len(answered.sections),
    }
    return values, answered


# --- Sealing and writing -----------------------------------------------------------------------

_context: Context | None = None  # in a worker: set once, when the pool starts it


def set_context(ctx: Context) -> None:
    global _context
    _context = ctx


@functools.cache
def table() -> Table[Screening]:
    return Table(Screening)


def seal_batch(number: int, size: int) -> Batch:
    """Plans and encrypts one batch, and counts what it adds to the tallies."""
    ctx = _context
    if ctx is None:
        raise RuntimeError("set_context() first")
    rng = random.Random(f"{ctx.seed}:{number}")  # noqa: S311 (synthetic data)
    t = table()
    batch = Batch(rows=[])
    for _ in range(size):
        values, answered = plan_row(rng, ctx)
        batch.rows.append(t.seal(t.build(values)))
        version, setting = values["version_id"], values["setting"]
        month = timezone.localdate(values["completed_at"]).replace(day=1)
        region, band = values["region_id"], values["band"]
        batch.results[(version, setting, region, month, band)] += 1
        for answer in answered.result.endorsed:
            batch.answers[(version, setting, month, answer)] += 1
    return batch


class Writer:
    """Writes sealed batches with their tallies. The tallies' totals are kept here and written
    as they stand after each batch, which assumes nothing else completes screenings meanwhile."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.reference_at = [f.name for f in table().fields].index("reference")
        self.results: dict[ResultKey, int] = {
            (v, s, r, m, b): n
            for v, s, r, m, b, n in ResultTally.objects.values_list(
                "version_id", "setting", "region_id", "month", "band", "count"
            )
        }
        self.answers: dict[AnswerKey, int] = {
            (v, s, m, a): n
            for v, s, m, a, n in AnswerTally.objects.values_list(
                "version_id", "setting", "month", "answer", "count"
            )
        }

    def write(self, batch: Batch) -> None:
        rows = self.unique_references(batch.rows)
        with transaction.atomic():
            table().insert(rows)
            self.add_tallies(batch)

    def unique_references(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """References are drawn at random, as the services draw them; one drawn twice (here or
        before) is drawn again, as start_screening does."""
        at = self.reference_at
        drawn = [row[at] for row in rows]
        taken: set[str] = set()
        for first in range(0, len(drawn), 500):
            chunk = drawn[first : first + 500]
            taken.update(
                Screening.objects.filter(reference__in=chunk).values_list(
                    "reference", flat=True
                )
            )
        seen: set[str] = set()
        unique = []
        for row in rows:
            ref = row[at]
            while ref in seen or ref in taken:
                ref = reference(self.rng)
                if Screening.objects.filter(reference=ref).exists():
                    taken.add(ref)
            seen.add(ref)
            unique.append(row if ref == row[at] else (*row[:at], ref, *row[at + 1 :]))
        return unique

    def add_tallies(self, batch: Batch) -> None:
        for rkey, n in batch.results.items():
            self.results[rkey] = self.results.get(rkey, 0) + n
        for akey, n in batch.answers.items():
            self.answers[akey] = self.answers.get(akey, 0) + n
        ResultTally.objects.bulk_create(
            [
                ResultTally(
                    version_id=v,
                    setting=s,
                    region_id=r,
                    month=m,
                    band=b,
                    count=self.results[(v, s, r, m, b)],
                )
                for v, s, r, m, b in batch.results
            ],  # fmt: skip
            update_conflicts=True,
            unique_fields=["version", "setting", "region", "month", "band"],
            update_fields=["count"],
        )
        AnswerTally.objects.bulk_create(
            [
                AnswerTally(
                    version_id=v,
                    setting=s,
                    month=m,
                    answer=a,
                    count=self.answers[(v, s, m, a)],
                )
                for v, s, m, a in batch.answers
            ],  # fmt: skip
            update_conflicts=True,
            unique_fields=["version", "setting", "month", "answer"],
            update_fields=["count"],
        )


def write_screenings(
    ctx: Context,
    count: int,
    *,
    batch: int,
    workers: int,
    written: Callable[[int], None],
) -> None:
    """Writes `count` completed screenings in batches, sealed in worker processes if any.

    When the load at least doubles the table, its secondary indexes are built once afterwards
    (`indexes_built_after`): SQLite otherwise inserts 7,700 rows a second into a million, and
    the load waits for it."""
    writer = Writer(random.Random(ctx.seed + ":references"))  # noqa: S311 (synthetic data)
    jobs = list(enumerate(sizes(count, batch)))
    rebuild = count >= Screening.objects.count()
    with indexes_built_after([Screening._meta.db_table]) if rebuild else nullcontext():
        if workers < 1:
            set_context(ctx)
            tune_for_bulk_writes()
            for number, size in jobs:
                writer.write(seal_batch(number, size))
                written(size)
        else:
            write_in_workers(writer, ctx, jobs, workers=workers, written=written)


def write_in_workers(
    writer: Writer,
    ctx: Context,
    jobs: list[tuple[int, int]],
    *,
    workers: int,
    written: Callable[[int], None],
) -> None:
    table()  # built once, before forking
    # A connection open before a fork must not be shared: the workers use none.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=set_context, initargs=(ctx,)) as pool:
        tune_for_bulk_writes()  # (opens this process's connection: after the fork)
        in_flight: deque[tuple[int, AsyncResult[Batch]]] = deque()
        for number, size in jobs:
            in_flight.append((size, pool.apply_async(seal_batch, (number, size))))
            # One batch waits at most: memory stays bounded.
            if len(in_flight) > workers:
                done, result = in_flight.popleft()
                writer.write(result.get())
                written(done)
        while in_flight:
            done, result = in_flight.popleft()
            writer.write(result.get())
            written(done)
        pool.close()
        pool.join()


def sizes(count: int, batch: int) -> Iterator[int]:
    for first in range(0, count, batch):
        yield min(batch, count - first)
