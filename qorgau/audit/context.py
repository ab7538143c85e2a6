"""Who is acting, from where, in which request: set once per request or command, read by the audit."""

from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str = ""
    channel: str = "system"  # web, api, command, task
    # Refused accesses, written after the request's transaction: a 404 rolls that transaction back.
    deferred_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def in_request(self) -> bool:
        return self.channel in ("web", "api")


current: ContextVar[RequestContext | None] = ContextVar(
    "qorgau_request_context", default=None
)


def get_context() -> RequestContext:
    """The current request's context, or a fresh system context outside requests."""
    return current.get() or RequestContext()


def forget_address() -> None:
    """The rest of this request is audited without the sender's address: for the public pages
    whose users are promised that none is kept (the concern form)."""
    context = current.get()
    if context is not None and context.ip:
        current.set(replace(context, ip=""))
