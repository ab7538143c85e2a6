"""Who is acting, from where, in which request: set once per request or command, read by the audit."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str = ""
    channel: str = "system"  # web, api, command, task


current: ContextVar[RequestContext] = ContextVar("qorgau_request_context", default=RequestContext())
