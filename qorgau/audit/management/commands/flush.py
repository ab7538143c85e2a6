from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from qorgau.audit import triggers
from qorgau.screening import triggers as instrument_triggers


class Command(flush.Command):
    """Django's flush, which the audit triggers (and those keeping published instruments)
    refuse; only a test run may lift them for it."""

    def handle(self, **options: Any) -> None:
        if not getattr(settings, "QORGAU_ALLOW_AUDIT_FLUSH", False):
            raise CommandError(
                "The audit trail is append-only: flushing the database is refused."
            )
        connection = connections[options["database"]]
        triggers.uninstall(connection)
        instrument_triggers.uninstall(connection)
        try:
            super().handle(**options)
        finally:
            triggers.install(connection)
            instrument_triggers.install(connection)
