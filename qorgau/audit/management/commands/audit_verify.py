from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qorgau.audit.chain import verify
from qorgau.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Recomputes the audit hash chain; exits 0 when intact, names the first broken event otherwise."

    def handle(self, *args: Any, **options: Any) -> None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=5000)
        checked, broken = verify(events)
        if broken:
            raise CommandError(
                f"Audit chain broken at event #{broken.event_id}: {broken.reason} ({checked} events before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {checked} events verified.")
