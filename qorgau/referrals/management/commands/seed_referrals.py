"""Adds synthetic referrals in bulk to a seeded database, for benchmarks at millions of rows.

`seed_demo` writes a few hundred referrals through the services, which is right for a demo and
far too slow for three million. Here each referral is the row the services would leave behind
at the end of its path (sent, acknowledged, accepted, declined …, with consistent times and
deadlines) plus its "sent" event on the case timeline, written by COPY on PostgreSQL and
executemany on SQLite. Most referrals are long finished; those still waiting are recent, a
few of them late, and most late ones already escalated, as in a system whose sweep has been
running: what is left for the next sweep is the few hundred that fell due since the last.

Recipients who accepted are not added to the case teams: the case list benchmarks measure the
caseloads seed_demo made, and the inbox and dashboards read referrals, not teams.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Tier, roles_with
from qorgau.cases.management.commands._demo_writer import Table, tune_for_bulk_writes
from qorgau.cases.models import Case, CaseEvent
from qorgau.reference.calendar import WorkingCalendar
from qorgau.referrals.models import Referral
from qorgau.referrals.services import deadlines_for

Status = Referral.Status
# Where a referral is now, out of 1,000: most finished, a few still on a recipient's clock.
MIX: tuple[tuple[str, int], ...] = (
    (Status.COMPLETED, 560),
    (Status.DECLINED, 110),
    (Status.REDIRECTED, 50),
    (Status.WITHDRAWN, 40),
    (Status.IN_SERVICE, 120),
    (Status.ACCEPTED, 60),
    (Status.ACKNOWLEDGED, 30),
    (Status.SENT, 30),
)
WAITING = (Status.SENT, Status.ACKNOWLEDGED)
HISTORY_DAYS = 3 * 365
LATE_SHARE = 0.05  # of the referrals waiting, how many are past their deadline
UNSWEPT_SHARE = 0.01  # of those late, how many the sweep has not reached yet
REASONS = (
    ["Shelter", "PsychologicalSupport"],
    ["MedicalAssistance"],
    ["LegalAid"],
    ["LawEnforcement"],
    ["SpecialSocialServices", "Education"],
    ["PsychologicalSupport"],
)
COLUMNS = (
    "id", "case", "from_organisation", "created_by", "to_organisation", "reasons",
    "urgency", "legal_basis", "shared_tier", "status", "version", "created_at", "sent_at",
    "acknowledged_at", "decided_at", "in_service_at", "closed_at", "acknowledge_by",
    "decide_by", "due_at", "decline_reason", "escalation_level", "escalated_at",
    "kek_id", "override_reason",
)  # fmt: skip
EVENT_COLUMNS = ("case", "at", "actor", "kind", "params")


class Command(BaseCommand):
    help = "Adds N synthetic referrals between the organisations of a seeded database (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=3)
        parser.add_argument("--batch", type=int, default=20_000)

    def handle(self, *args: Any, **options: Any) -> None:
        # Another run on the same database continues with other ids, not the same ones again.
        rng = random.Random(f"{options['seed']}:{Referral.objects.count()}")  # noqa: S311 (synthetic data)
        plan = Planner(rng, timezone.now())
        tune_for_bulk_writes()
        referrals, events = Table(Referral, COLUMNS), Table(CaseEvent, EVENT_COLUMNS)
        started, written, count = time.monotonic(), 0, options["count"]
        while written < count:
            size = min(options["batch"], count - written)
            rows = [plan.referral() for _ in range(size)]
            with transaction.atomic():
                referrals.insert([referrals.adapt(r) for r, _ in rows])
                events.insert([events.adapt(e) for _, e in rows])
            written += size
            rate = written / (time.monotonic() - started)
            self.stdout.write(f"{written:,} referrals ({rate:,.0f}/s)")


class Planner:
    """Plans referral rows: a random open or closed case, sent by its lead organisation."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.calendar = WorkingCalendar.load()
        self.cases = list(Case.objects.values_list("id", "lead_organisation_id"))
        receivers = set(
            User.objects.filter(
                is_active=True,
                role_assignments__role__in=roles_with("receives_referrals"),
            ).values_list("organisation_id", flat=True)
        )
        orgs = list(Organisation.objects.values_list("id", "region_id"))
        self.receivers = [pk for pk, _ in orgs if pk in receivers]
        self.region_of = dict(orgs)
        self.in_region: dict[int, list[int]] = {}
        for pk in self.receivers:
            self.in_region.setdefault(self.region_of[pk], []).append(pk)
        self.senders = {
            org: pk
            for pk, org in User.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "organisation_id")
        }
        if not self.cases or len(self.receivers) < 2:
            raise CommandError("Seed the demo country first (seed_demo).")
        self.statuses = [status for status, weight in MIX for _ in range(weight)]

    def referral(self) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        rng = self.rng
        case_id, from_org = rng.choice(self.cases)
        to_org = self.recipient(from_org)
        status = rng.choice(self.statuses)
        urgency = rng.choices(Referral.Urgency.values, (1, 3, 6))[0]
        sent = self.sent_at(status, urgency)
        acknowledge_by, decide_by = deadlines_for(urgency, sent, self.calendar)
        times = self.times(status, sent)
        due = escalation = escalated = None
        if status in WAITING:
            due = acknowledge_by if status == Status.SENT else decide_by
            escalation = 0
            if due < self.now and rng.random() >= UNSWEPT_SHARE:
                escalation, escalated = 2, due + timedelta(hours=rng.uniform(0, 2))
        row = (
            uuid.UUID(int=rng.getrandbits(128), version=4),
            case_id,
            from_org,
            self.senders.get(from_org),
            to_org,
            rng.choice(REASONS),
            urgency,
            Referral.LegalBasis.CHILD_PROTECTION,
            rng.choice((Tier.IDENTITY, Tier.NARRATIVE)),
            status,
            1 + len([t for t in times.values() if t]),
            sent - timedelta(minutes=rng.uniform(1, 30)),
            sent,
            times["acknowledged"],
            times["decided"],
            times["in_service"],
            times["closed"],
            acknowledge_by,
            decide_by,
            due,
            rng.choice(Referral.DeclineReason.values)
            if status == Status.DECLINED
            else "",
            escalation or 0,
            escalated,
            "",  # no message: nothing encrypted, so no data key either
            "",
        )
        event = (
            case_id,
            sent,
            self.senders.get(from_org),
            CaseEvent.Kind.REFERRAL,
            {"referral": str(row[0]), "step": "sent", "to": to_org, "from": from_org},
        )
        return row, event

    def recipient(self, from_org: int) -> int:
        """Mostly an organisation of the sender's region, sometimes one elsewhere."""
        near = [
            pk
            for pk in self.in_region.get(self.region_of[from_org], [])
            if pk != from_org
        ]
        if near and self.rng.random() < 0.8:
            return self.rng.choice(near)
        return self.rng.choice([pk for pk in self.receivers if pk != from_org])

    def sent_at(self, status: str, urgency: str) -> datetime:
        """Finished referrals spread over three years; waiting ones sent within their deadline,
        a few of them longer ago, so that they are late."""
        if status not in WAITING:
            return self.now - timedelta(days=self.rng.uniform(1, HISTORY_DAYS))
        window = {"immediate_danger": 1, "urgent": 24, "routine": 72}[urgency]
        if self.rng.random() < LATE_SHARE:
            return self.now - timedelta(hours=self.rng.uniform(window * 2, window * 6))
        return self.now - timedelta(hours=self.rng.uniform(0, window * 0.8))

    def times(self, status: str, sent: datetime) -> dict[str, datetime | None]:
        def after(start: datetime, hours: float) -> datetime:
            return min(self.now, start + timedelta(hours=self.rng.uniform(0.1, hours)))

        t: dict[str, datetime | None] = dict.fromkeys(
            ("acknowledged", "decided", "in_service", "closed")
        )
        if status == Status.SENT:
            return t
        if status == Status.WITHDRAWN or status == Status.REDIRECTED:
            t["closed"] = after(sent, 48)
            return t
        t["acknowledged"] = after(sent, 20)
        if status == Status.ACKNOWLEDGED:
            return t
        t["decided"] = after(t["acknowledged"], 48)  # type: ignore[arg-type]
        if status == Status.DECLINED:
            t["closed"] = t["decided"]
            return t
        if status == Status.ACCEPTED:
            return t
        t["in_service"] = after(t["decided"], 72)  # type: ignore[arg-type]
        if status == Status.COMPLETED:
            t["closed"] = after(t["in_service"], 24 * 60)  # type: ignore[arg-type]
        return t
