"""Writing the planned demo rows fast: each batch is sealed, then inserted by executemany.

`bulk_create` spends most of its time in Django's generic insert compiler: about 500
demo children/s, over half an hour for a million. Sealing prepares each value as
bulk_create would — the field's `pre_save`, which encrypts with the row's own data key,
then the field's database preparation — and adds the blind indexes of names and IINs.
Worker processes seal and write batches while the main process plans the next ones;
they write in plan order, so a seed gives the same rows and row ids on every run. The
tables' secondary indexes (and on PostgreSQL their foreign keys) are built once after the load.
"""

from __future__ import annotations

import functools
import multiprocessing
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from multiprocessing.pool import AsyncResult
from operator import attrgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from qorgau.cases.management.commands import _demo_caseload as caseload
from qorgau.cases.management.commands._demo_people import NameTokens
from qorgau.cases.models import (
    Case,
    CaseEvent,
    CaseMember,
    CaseNote,
    CaseParticipant,
    Person,
    PersonNameToken,
)
from qorgau.cases.search import iin_blind_index
from qorgau.reviews.models import CaseClosure, CaseReview

Row = tuple[Any, ...]
Sealed = list[tuple[str, list[Row]]]  # rows ready for the driver, in foreign-key order
# Values of these types reach SQLite and PostgreSQL as they are (ciphertexts are bytes).
PLAIN_TYPES = {"AutoField", "BigAutoField", "BigIntegerField", "BinaryField",
               "BooleanField", "CharField", "IntegerField", "PositiveIntegerField",
               "PositiveSmallIntegerField", "SmallIntegerField", "TextField"}  # fmt: skip
UTC_PLUS_5 = timezone(timedelta(hours=5))
TURN_TIMEOUT = 600  # seconds a sealed batch waits for the one before it to be written


class Table[M: models.Model]:
    """Inserts rows of one model by executemany, each value prepared as for bulk_create."""

    def __init__(self, model: type[M], columns: Sequence[str] = ()) -> None:
        # The wrapper itself: each `django.db.connection` attribute is a context lookup.
        self.db = connections[DEFAULT_DB_ALIAS]
        self.model = model
        opts = model._meta
        names = columns or [f.name for f in opts.concrete_fields]
        self.fields = [concrete_field(model, name) for name in names]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.converters = [self.converter(f) for f in self.fields]
        quote = self.db.ops.quote_name
        column_list = ", ".join(quote(f.column or f.attname) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Only names from the models go into the SQL; the values are parameters.
        table = quote(opts.db_table)
        self.sql = f"INSERT INTO {table} ({column_list}) VALUES ({marks})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({column_list}) FROM STDIN"

    def converter(self, field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        kind = target.get_internal_type()
        if kind in PLAIN_TYPES:
            return None
        if kind == "DateTimeField":
            return datetime_adapter(self.db)
        if kind == "UUIDField":
            return uuid_adapter(field, self.db)
        if isinstance(field, models.JSONField):
            # The last step of JSONField.get_db_prep_save, for values that are plain data.
            return functools.partial(
                self.db.ops.adapt_json_value, encoder=field.encoder
            )
        return functools.partial(field.get_db_prep_save, connection=self.db)

    def adapt(self, row: Row) -> Row:
        return tuple(
            value if convert is None or value is None else convert(value)
            for convert, value in zip(self.converters, row, strict=True)
        )

    def build(self, values: dict[str, Any]) -> M:
        """An unsaved instance; positional arguments cost a third of keyword ones."""
        merged = self.defaults | values
        return self.model(*[merged[f.attname] for f in self.fields])

    def seal(self, obj: M) -> Row:
        """An instance's row through each field's pre_save, as bulk_create: it encrypts."""
        return self.adapt(tuple(field.pre_save(obj, True) for field in self.fields))

    def insert(self, rows: list[Row]) -> None:
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                # COPY: executemany costs PostgreSQL a statement per row (300 children/s).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def datetime_adapter(db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """Django's SQLite adapter makes aware datetimes naive UTC text in several layers."""
    return verified(
        lambda value: str(value.astimezone(UTC).replace(tzinfo=None)),
        db.ops.adapt_datetimefield_value,
        probes=(
            datetime(2026, 3, 1, 23, 30, 5, tzinfo=UTC),
            datetime(2025, 7, 9, 4, 5, 6, 789, tzinfo=UTC_PLUS_5),
        ),
        applies=db.vendor == "sqlite",
    )


def uuid_adapter(
    field: models.Field[Any, Any], db: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    """Without a native UUID type, Django stores a UUID as its 32 hex digits."""
    return verified(
        attrgetter("hex"),
        functools.partial(field.get_db_prep_save, connection=db),
        probes=(uuid.UUID(int=2**127 + 12345, version=4),),
        applies=not db.features.has_native_uuid_field,
    )


def verified(
    shortcut: Callable[[Any], Any],
    django: Callable[[Any], Any],
    *,
    probes: tuple[Any, ...],
    applies: bool,
) -> Callable[[Any], Any]:
    """A shortcut for a conversion done millions of times, if it matches Django's."""
    if applies and all(shortcut(p) == django(p) for p in probes):
        return shortcut
    return django


@functools.cache
def tables() -> dict[str, Table[Any]]:
    return {
        "persons": Table(Person),
        "tokens": Table(PersonNameToken, ("person", "token")),
        "cases": Table(Case, caseload.CASE_COLUMNS),
        "members": Table(CaseMember, caseload.MEMBER_COLUMNS),
        "participants": Table(CaseParticipant, caseload.PARTICIPANT_COLUMNS),
        "notes": Table(CaseNote),
        "events": Table(CaseEvent, caseload.EVENT_COLUMNS),
        "reviews": Table(CaseReview),
        "closures": Table(CaseClosure),
    }


_name_tokens = NameTokens()  # one cache per process


def seal(plan: caseload.Plan) -> Sealed:
    """Encrypts, indexes and adapts one planned batch: all but the writing."""
    t = tables()
    person_table: Table[Person] = t["persons"]
    note_table: Table[CaseNote] = t["notes"]
    persons = [person_table.build(values) for values in plan.persons]
    for person in persons:
        person.iin_index = iin_blind_index(person.iin) if person.iin else ""
    if persons:
        _name_tokens.check(persons[0])
    tokens = [(p.pk, token) for p in persons for token in sorted(_name_tokens.of(p))]
    notes = [note_table.build(values) for values in plan.notes]
    reviews, closures = t["reviews"], t["closures"]
    return [
        ("persons", [person_table.seal(p) for p in persons]),
        ("tokens", [t["tokens"].adapt(row) for row in tokens]),
        ("cases", [t["cases"].adapt(row) for row in plan.cases]),
        ("members", [t["members"].adapt(row) for row in plan.members]),
        ("participants", [t["participants"].adapt(row) for row in plan.participants]),
        ("notes", [note_table.seal(n) for n in notes]),
        ("events", [t["events"].adapt(row) for row in plan.events]),
        ("reviews", [reviews.seal(reviews.build(row)) for row in plan.reviews]),
        ("closures", [closures.seal(closures.build(row)) for row in plan.closures]),
    ]


def write(sealed: Sealed) -> None:
    with transaction.atomic():
        for name, rows in sealed:
            tables()[name].insert(rows)


def seal_and_write(
    plans: Iterable[caseload.Plan], *, workers: int, written: Callable[[int], None]
) -> None:
    """Seals and writes the plans in order, in worker processes if there are any."""
    if workers < 1:
        tune_for_bulk_writes()
        for plan in plans:
            write(seal(plan))
            written(plan.children)
        return
    tables()  # built once, before forking
    # A connection open before a fork must not be shared: each process opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    turn = (context.Condition(), context.Value("q", 0))
    with context.Pool(workers, initializer=start_worker, initargs=turn) as pool:
        in_flight: deque[AsyncResult[int]] = deque()
        for number, plan in enumerate(plans):
            in_flight.append(pool.apply_async(seal_and_write_in_turn, (number, plan)))
            if len(in_flight) > workers:  # one plan waits at most: memory stays bounded
                written(in_flight.popleft().get())
        while in_flight:
            written(in_flight.popleft().get())
        pool.close()
        pool.join()


# In a worker: whose turn it is to write, shared by the pool's processes.
_turn: tuple[Any, Any] = (None, None)


def start_worker(condition: Any, counter: Any) -> None:
    global _turn
    _turn = (condition, counter)
    tune_for_bulk_writes()


def seal_and_write_in_turn(number: int, plan: caseload.Plan) -> int:
    sealed = seal(plan)
    condition, counter = _turn
    with condition:
        if not condition.wait_for(lambda: counter.value == number, TURN_TIMEOUT):
            raise RuntimeError(
                f"Batch {number} gave up waiting for batch {number - 1}."
            )
        write(sealed)
        counter.value += 1
        condition.notify_all()
    return plan.children


@contextmanager
def indexes_built_after(names: Sequence[str] = ()) -> Iterator[None]:
    """Drops the secondary indexes (and, on PostgreSQL, the foreign keys) of the tables written
    here (or of the tables named) and builds them again at the end, as PostgreSQL's manual
    advises for a bulk load
    ("Populating a Database"): one sorted build of each index, and one join to check each key,
    cost far less than updating every index and checking every key row by row, and SQLite
    gains the same way. Primary keys and unique constraints stay; the definitions put back are
    those read from the catalogue.
    """
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    names = list(names) or [table.model._meta.db_table for table in tables().values()]
    with db.cursor() as cursor:
        indexes, keys = secondary_indexes(cursor, names), foreign_keys(cursor, names)
        if keys and db.in_atomic_block:
            # Rows written earlier in this transaction (a test's) leave deferred key checks
            # pending, and PostgreSQL alters no table they touch: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(index)}")
        for table, key, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(key)}")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            if db.vendor == "postgresql":
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for _index, definition in indexes:
                cursor.execute(definition)
            for table, key, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(key)} {definition}"
                )
            if db.vendor == "postgresql":
                cursor.execute("RESET maintenance_work_mem")


def secondary_indexes(cursor: Any, tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of the tables that neither are a primary key nor back
    a constraint (SQLite keeps no definition for those)."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(
            """
            SELECT ix.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class ix ON ix.oid = i.indexrelid
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
              AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY ix.relname
            """,
            [tables],
        )
    else:
        marks = ", ".join(["%s"] * len(tables))  # only placeholders go into the SQL
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        sql += f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name"  # noqa: S608
        cursor.execute(sql, tables)
    return [tuple(row) for row in cursor.fetchall()]


def foreign_keys(cursor: Any, tables: list[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the tables' foreign keys on PostgreSQL; SQLite's are part
    of the table's own definition and stay."""
    if cursor.db.vendor != "postgresql":
        return []
    cursor.execute(
        """
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relname = ANY(%s)
          AND t.relnamespace = current_schema()::regnamespace
        ORDER BY t.relname, c.conname
        """,
        [tables],
    )
    return [tuple(row) for row in cursor.fetchall()]


def tune_for_bulk_writes() -> None:
    """Fewer, larger WAL checkpoints and more cached pages, for this connection only.

    Random keys (UUIDs, name tokens) dirty pages all over their indexes: checkpointing
    after each batch would write most of those pages again and again. (The cache helps
    when one process writes; SQLite empties it when another connection has written.)
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "sqlite":
        with db.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint = 262144")  # pages: 1 GiB of WAL
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB
