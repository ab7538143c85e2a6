"""Builds a synthetic demo country: organisations, users and invented children's cases.

A seed always gives the same country: every random choice comes from one
`random.Random(seed)` and the clock is a fixed date, so runs differ only in encryption
keys and nonces. Rows are written in batches, not through the services, which would take
hours for a million children; they are the rows the services write, with timelines,
case-number counters, blind indexes and per-row encryption. The parts:
`_demo_country` (organisations, staff), `_demo_caseload` (children and cases, planned as
rows), `_demo_writer` (encryption and fast inserts), `_demo_people`, `_demo_data`.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from qorgau.agencies.models import Organisation
from qorgau.agencies.roles import CAPABILITIES, Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.management.commands._demo_best_interests import add_best_interests
from qorgau.cases.management.commands._demo_caseload import Caseload, Plan
from qorgau.cases.management.commands._demo_concerns import add_concern_reports
from qorgau.cases.management.commands._demo_country import (
    REFERENCE_NOW,
    Country,
    Staff,
    build_country,
)
from qorgau.cases.management.commands._demo_decisions import add_decisions
from qorgau.cases.management.commands._demo_guardianship import add_guardianship
from qorgau.cases.management.commands._demo_plans import add_plans
from qorgau.cases.management.commands._demo_referrals import add_referrals
from qorgau.cases.management.commands._demo_reviews import add_reviews
from qorgau.cases.management.commands._demo_screenings import add_screenings
from qorgau.cases.management.commands._demo_writer import (
    indexes_built_after,
    seal_and_write,
)
from qorgau.cases.models import (
    Case,
    CaseAccessGrant,
    CaseEvent,
    CaseMember,
    CaseNumberCounter,
)
from qorgau.guardianship.services import report_overdue_requests
from qorgau.lib import crypto
from qorgau.referrals.services import escalate_overdue

# Oversight grants (domain.md §1.1): kind of organisation, tier opened, cases.
OVERSIGHT = (("prosecutor_general", Tier.CRIMINAL, 4), ("prosecutor", Tier.CRIMINAL, 3),
             ("ombudsman", Tier.HEALTH, 5))  # fmt: skip
BREAK_GLASS_GRANTS = 8  # every other one reviewed, the others waiting for review
REFERRALS_MAX = 400  # written through the services, one by one
DECISIONS_MAX = 90
GUARDIANSHIP_MAX = 66  # age assessments and guardian appointments, through the services
BEST_INTERESTS_MAX = 44  # four of each story
PLANS_MAX = 60
REVIEWS_MAX = 120  # cases with reviews held through the services
SCREENINGS_MAX = 150


class Command(BaseCommand):
    help = "Builds a synthetic demo country, the same for the same seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=2000, help="Default 2000.")
        parser.add_argument("--seed", type=int, default=2026, help="Default 2026.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Skip if organisations exist."
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Children per transaction."
        )
        parser.add_argument(
            "--workers", type=int, help="Processes that encrypt and write batches."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Organisations exist already: no demo data added.")
                return
            raise CommandError("Organisations exist already: use an empty database.")
        require_keyring()
        children, seed = max(0, options["children"]), options["seed"]
        self.started, self.done = time.monotonic(), 0
        rng = random.Random(seed)
        with transaction.atomic():
            country = build_country(rng)
        orgs, users = len(country.organisations), len(country.staff)
        self.stdout.write(f"{orgs} organisations, {users} users.")
        call_command("import_instruments", "--publish", stdout=self.stdout)
        caseload = Caseload(rng, country, children, first_case_id=next_case_id())
        self.write_caseload(caseload, max(1, options["batch"]), options["workers"])
        self.stdout.write(f"{caseload.reviews_scheduled:,} reviews scheduled.")
        with transaction.atomic():
            finish(rng, country, caseload)
            details = {"children": children, "seed": seed}
            record_event("demo.seed", by=None, object_type="demo", details=details)
        referrals = add_referrals(rng, min(REFERRALS_MAX, max(40, children // 10)))
        escalated = escalate_overdue()
        decisions = add_decisions(rng, min(DECISIONS_MAX, max(18, children // 40)))
        self.stdout.write(
            f"{referrals} referrals, {escalated} escalated as overdue; "
            f"decisions on {decisions} cases."
        )
        self.add_guardianship(rng, children)
        stories = add_best_interests(
            rng, min(BEST_INTERESTS_MAX, max(11, children // 50))
        )
        self.stdout.write(f"Best-interests assessments on {stories} cases.")
        plans = add_plans(rng, min(PLANS_MAX, max(12, children // 50)))
        self.stdout.write(f"Risk, safety and support plans on {plans} cases.")
        reviews = add_reviews(rng, min(REVIEWS_MAX, max(12, children // 40)))
        self.stdout.write(
            "{held} reviews held; {closed} cases closed with follow-ups; "
            "{told} reminders.".format(**reviews)
        )
        bands = add_screenings(rng, min(SCREENINGS_MAX, max(12, children // 20)))
        self.stdout.write(
            "Screenings: "
            + ", ".join(f"{n} {band}" for band, n in sorted(bands.items()))
        )
        reports = add_concern_reports(rng)
        self.stdout.write(f"Concern reports from the public form: {reports}.")
        update_planner_statistics()
        self.stdout.write(f"Done in {time.monotonic() - self.started:,.1f} s.\n\n")
        call_command("demo_logins", stdout=self.stdout)

    def add_guardianship(self, rng: random.Random, children: int) -> None:
        made = add_guardianship(rng, min(GUARDIANSHIP_MAX, children // 40))
        late = report_overdue_requests()
        self.stdout.write(
            f"Age assessments or guardians on {made} cases; {late} guardians late."
        )

    def write_caseload(
        self, caseload: Caseload, batch: int, workers: int | None
    ) -> None:
        # Batches make millions of short-lived objects without cycles to collect.
        gc.disable()
        try:
            workers = default_workers() if workers is None else workers
            with indexes_built_after():
                seal_and_write(
                    plans(caseload, batch), workers=workers, written=self.progress
                )
        finally:
            gc.enable()

    def progress(self, written: int) -> None:
        self.done += written
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.stdout.write(f"  {self.done:>10,} children · {rate:,.0f} children/s")


def default_workers() -> int:
    """One more than the cores: a worker waiting for its turn to write leaves its core."""
    cores = os.cpu_count() or 1
    return 0 if cores == 1 else min(cores + 1, 4)


def require_keyring() -> None:
    try:
        crypto.keyring()
    except crypto.KeyringError as exc:
        raise CommandError(str(exc)) from exc


def next_case_id() -> int:
    return (Case.objects.aggregate(last=Max("id"))["last"] or 0) + 1


def plans(caseload: Caseload, batch: int) -> Iterator[Plan]:
    for first in range(0, caseload.total, batch):
        yield caseload.plan(first, min(batch, caseload.total - first))


def finish(rng: random.Random, country: Country, caseload: Caseload) -> None:
    reset_case_sequence()
    CaseNumberCounter.objects.bulk_create(caseload.counters())
    add_access_grants(rng, country)


def update_planner_statistics() -> None:
    """What a bulk load on PostgreSQL must end with: without statistics it plans queries blind,
    and without a vacuum its index-only scans still visit the table (autovacuum would catch up
    in its own time, after the first benchmarks).

    Not on SQLite: with statistics its planner drove the case list from the 20 regions and
    sorted a million cases (1.8 s instead of 50 ms), where without them it reads the
    newest-first index.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # (VACUUM cannot run in a transaction, as in a test)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def reset_case_sequence() -> None:
    """Cases have explicit ids, as loaddata writes them: move PostgreSQL's sequence on."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case]):
            cursor.execute(sql)


# Access beyond the case team: oversight bodies and emergency (break-glass) access.


def add_access_grants(rng: random.Random, country: Country) -> None:
    # Recent open cases of possible victims: ids follow the order of opening.
    serious = (Case.Type.POTENTIAL_VICTIM, Case.Type.CONFIRMED_VICTIM)
    cases = list(Case.objects.open().filter(type__in=serious).order_by("-id")[:500])
    grants = oversight_grants(rng, country, cases)
    grants += break_glass_grants(rng, country, cases)
    CaseAccessGrant.objects.bulk_create([grant for grant, _event in grants])
    CaseEvent.objects.bulk_create([event for _grant, event in grants])


def oversight_grants(
    rng: random.Random, country: Country, cases: list[Case]
) -> list[tuple[CaseAccessGrant, CaseEvent]]:
    grants = []
    for kind, tier, count in OVERSIGHT:
        for org in country.organisations_of(kind):
            # A city's prosecutors oversee its cases; national bodies oversee any.
            local = kind == "prosecutor"
            eligible = [c for c in cases if c.region_id == org.region_id or not local]
            for case in rng.sample(eligible, min(count, len(eligible))):
                grant = oversight_grant(rng, case, org, tier)
                grants.append(
                    (grant, grant_event(grant, organisation=org.pk, tier=tier))
                )
    return grants


def break_glass_grants(
    rng: random.Random, country: Country, cases: list[Case]
) -> list[tuple[CaseAccessGrant, CaseEvent]]:
    chosen = rng.sample(cases, min(BREAK_GLASS_GRANTS, len(cases)))
    teams = CaseMember.objects.filter(case__in=chosen).values_list("case_id", "user_id")
    members = set(teams)
    grants = []
    hours = settings.QORGAU_BREAK_GLASS_HOURS
    for n, case in enumerate(chosen):
        user = outsider(rng, country, case, members)
        grant = break_glass_grant(rng, country, case, user, reviewed=n % 2 == 0)
        params = {"user": user.username, "reason": grant.reason_code, "hours": hours}
        grants.append((grant, grant_event(grant, **params)))
    return grants


def oversight_grant(
    rng: random.Random, case: Case, org: Organisation, tier: int
) -> CaseAccessGrant:
    """As services.open_to_oversight records it: opened by the case owner."""
    return CaseAccessGrant(
        case=case, organisation=org, purpose=CaseAccessGrant.Purpose.OVERSIGHT,
        max_tier=tier, reason=rng.choice(data.OVERSIGHT_REASONS),
        granted_by_id=case.owner_id, valid_from=during(rng, case),
    )  # fmt: skip


def outsider(
    rng: random.Random, country: Country, case: Case, members: set[tuple[int, int]]
) -> Staff:
    """Someone off the case team who may use emergency access, preferably nearby."""
    allowed = [
        s for s in country.staff
        if CAPABILITIES[s.role].break_glass and s.role != Role.SUPERVISOR
        and (case.pk, s.pk) not in members
    ]  # fmt: skip
    nearby = [s for s in allowed if s.region_id == case.region_id]
    return rng.choice(nearby or allowed)


def break_glass_grant(
    rng: random.Random, country: Country, case: Case, user: Staff, *, reviewed: bool
) -> CaseAccessGrant:
    """As services.invoke_break_glass and review_break_glass record it."""
    at = during(rng, case)
    if not reviewed:  # recent, so that it waits in the review queue
        at = REFERENCE_NOW - timedelta(hours=rng.uniform(3, 72))
    code = rng.choice(list(data.BREAK_GLASS_STORIES))
    grant = CaseAccessGrant(
        case=case, user_id=user.pk, purpose=CaseAccessGrant.Purpose.BREAK_GLASS,
        max_tier=min(CAPABILITIES[user.role].max_tier, Tier.HEALTH), reason_code=code,
        reason=data.BREAK_GLASS_STORIES[code], granted_by_id=user.pk, valid_from=at,
        expires_at=at + timedelta(hours=settings.QORGAU_BREAK_GLASS_HOURS),
    )  # fmt: skip
    if reviewed:
        lead = case.lead_organisation_id
        supervisors = [
            s for s in country.with_role(Role.SUPERVISOR) if s.organisation_id == lead
        ]
        reviewer = (supervisors or country.with_role(Role.PROSECUTOR))[0]
        later = at + timedelta(hours=rng.uniform(4, 48))
        grant.reviewed_by_id, grant.reviewed_at = reviewer.pk, min(later, REFERENCE_NOW)
        grant.review_outcome = rng.choice(CaseAccessGrant.ReviewOutcome.values)
        grant.review_note = "Обоснованность проверена по журналу доступа."
    return grant


def during(rng: random.Random, case: Case) -> datetime:
    return case.opened_at + (case.updated_at - case.opened_at) * rng.random()


def grant_event(grant: CaseAccessGrant, **params: Any) -> CaseEvent:
    is_oversight = grant.purpose == CaseAccessGrant.Purpose.OVERSIGHT
    kind = CaseEvent.Kind.ACCESS_GRANTED if is_oversight else CaseEvent.Kind.BREAK_GLASS
    actor = grant.granted_by_id
    return CaseEvent(
        case=grant.case, kind=kind, actor_id=actor, at=grant.valid_from, params=params
    )
