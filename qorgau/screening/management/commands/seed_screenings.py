"""Adds completed screenings in bulk to a seeded database, for benchmarks at a million results.

`seed_demo` takes a hundred or so screenings through the services, which is right for a demo
and far too slow for a million. Here each screening is the row `complete_screening` would leave:
done by a user who screens, with an instrument their role administers, in their organisation's
setting; 87 % negative (kept until their retention end), 10 % positive and 3 % immediate danger
(kept), spread over the months; answers encrypted with each row's own data key; and the result
and answer tallies counted as the services count them. None is referred to a case. See
`_screening_writer` for how the rows are made and written.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from qorgau.cases.management.commands.seed_demo import default_workers, require_keyring
from qorgau.screening.management.commands._screening_writer import (
    build_context,
    write_screenings,
)
from qorgau.screening.models import Screening

TABLES = ("screening_screening", "screening_resulttally", "screening_answertally")


class Command(BaseCommand):
    help = "Adds N completed screenings to a seeded database (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=5, help="Default 5.")
        parser.add_argument(
            "--batch", type=int, default=20_000, help="Screenings per transaction."
        )
        parser.add_argument(
            "--workers", type=int, help="Processes that plan and encrypt batches."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_keyring()
        count = max(0, options["count"])
        # Another run on the same database draws other rows, not the same ones again.
        seed = f"{options['seed']}:{Screening.objects.count()}"
        started = time.monotonic()
        ctx = build_context(
            seed, timezone.now(), settings.QORGAU_SCREENING_RETENTION_DAYS
        )
        if not ctx.slots:
            raise CommandError(
                "No active user administers a published instrument: seed the demo "
                "country first (seed_demo)."
            )
        users = len({slot.screener for slot in ctx.slots})
        self.stdout.write(
            f"{users} users screen, with {len(ctx.slots)} instruments between them; "
            f"{len(ctx.pools)} answer pools ({time.monotonic() - started:.1f} s)."
        )
        workers = options["workers"]
        if workers is None:
            # Forking needs the connection closed, which a caller's transaction forbids.
            workers = 0 if connection.in_atomic_block else default_workers()
        done = 0

        def progress(written: int) -> None:
            nonlocal done
            done += written
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stdout.write(f"  {done:>10,} screenings · {rate:,.0f}/s")

        write_screenings(
            ctx,
            count,
            batch=max(1, options["batch"]),
            workers=workers,
            written=progress,
        )
        analyse()
        self.stdout.write(f"Done in {time.monotonic() - started:,.1f} s.")


def analyse() -> None:
    """Statistics for PostgreSQL's planner after a bulk load (VACUUM cannot run in a
    transaction, as in a test)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
