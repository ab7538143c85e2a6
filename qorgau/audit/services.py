"""Writing audit events: in the caller's transaction, serialised so the chain has one head."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from qorgau.audit.chain import GENESIS, seal
from qorgau.audit.context import RequestContext, get_context
from qorgau.audit.models import AuditEvent

if TYPE_CHECKING:
    from qorgau.agencies.models import User

# Any constant: the advisory lock that serialises appends to the chain on PostgreSQL.
CHAIN_LOCK = 7_212_026


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    # SQLite runs every transaction as BEGIN IMMEDIATE (settings), which already holds the write lock.


@transaction.atomic
def record_event(
    action: str,
    *,
    by: User | None,
    object_type: str = "",
    object_id: object = "",
    case_id: int | None = None,
    tier: int | None = None,
    purpose: str = "",
    break_glass_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    _lock_chain()
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    prev_id, prev_hash = head if head else (0, GENESIS)
    ctx = get_context()
    event = AuditEvent(
        id=prev_id + 1,
        at=timezone.now(),
        actor_id=by.pk if by else None,
        actor_username=by.get_username() if by else "",
        organisation_id=by.organisation_id if by else None,
        role=by.primary_role if by else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        case_id=case_id,
        tier=tier,
        purpose=purpose,
        break_glass_id=break_glass_id,
        request_id=ctx.request_id,
        channel=ctx.channel,
        ip=ctx.ip,
        details=details or {},
        prev_hash=prev_hash,
    )
    event.hash = seal(event, prev_hash)
    event.save(force_insert=True)
    return event


def record_event_after_request(action: str, *, by: User | None, **fields: Any) -> None:
    """Records an event that must survive the request's rollback (a refused access ends in 404 or 403)."""
    ctx = get_context()
    if ctx.in_request:
        ctx.deferred_events.append({"action": action, "by": by, **fields})
    else:
        record_event(action, by=by, **fields)


def write_deferred_events(ctx: RequestContext) -> None:
    for event in ctx.deferred_events:
        record_event(**event)
    ctx.deferred_events.clear()
