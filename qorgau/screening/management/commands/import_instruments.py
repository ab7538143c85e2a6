"""Imports instrument files: the ones shipped in qorgau/screening/instruments, or those named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qorgau.cases.errors import ServiceError
from qorgau.screening import services
from qorgau.screening.models import InstrumentVersion

SHIPPED = Path(__file__).resolve().parents[2] / "instruments"


class Command(BaseCommand):
    help = (
        "Imports instrument files as drafts (all shipped ones by default); with --publish, "
        "publishes each draft imported. A published version that is the same is left alone; "
        "one that differs is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or sorted(SHIPPED.glob("*.yaml"))
        for path in files:
            try:
                with transaction.atomic():
                    version, stored = services.import_instrument(
                        path.read_text(encoding="utf-8"), by=None
                    )
                    if (
                        options["publish"]
                        and version.status == InstrumentVersion.Status.DRAFT
                    ):
                        version = services.publish_version(version, by=None)
            except (OSError, ServiceError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            state = "imported" if stored else "unchanged"
            self.stdout.write(f"{version} ({version.get_status_display()}): {state}")
