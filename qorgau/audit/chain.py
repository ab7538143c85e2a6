"""The hash chain of the audit trail: how an event is sealed and how the chain is verified."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qorgau.audit.models import AuditEvent
from qorgau.lib.crypto import audit_mac

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "tier",
    "purpose",
    "break_glass_id",
    "request_id",
    "channel",
    "ip",
    "details",
)


def canonical(event: AuditEvent) -> bytes:
    body: dict[str, Any] = {name: getattr(event, name) for name in CHAINED_FIELDS}
    body["at"] = event.at.isoformat(timespec="microseconds")
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def seal(event: AuditEvent, prev_hash: str) -> str:
    return audit_mac(prev_hash.encode() + b"|" + canonical(event))


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify(events: Iterator[AuditEvent]) -> tuple[int, Break | None]:
    """Recomputes the chain in id order; returns how many events were checked and the first break."""
    prev = GENESIS
    checked = 0
    for event in events:
        if event.prev_hash != prev:
            return checked, Break(
                event.pk,
                "previous hash does not match: an earlier event was changed or removed",
            )
        if seal(event, prev) != event.hash:
            return checked, Break(
                event.pk,
                "hash does not match the event's content: the event was changed",
            )
        prev = event.hash
        checked += 1
    return checked, None
