from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qorgau.lib.crypto import generate_keyring_data, write_keyring_file


class Command(BaseCommand):
    help = "Creates the keyring file (master key, blind-index key, audit key), readable by its owner only."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--path",
            default="",
            help="Where to write it (default: QORGAU_KEYRING_FILE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or settings.QORGAU_KEYRING_FILE)
        if path.exists():
            raise CommandError(
                f"{path} exists already; a new keyring would make existing data unreadable."
            )
        write_keyring_file(path, generate_keyring_data())
        self.stdout.write(
            f"Keyring written to {path}. Keep a copy apart from database backups."
        )
