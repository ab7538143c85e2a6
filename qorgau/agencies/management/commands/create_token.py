from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qorgau.agencies.models import ApiToken, User


class Command(BaseCommand):
    help = "Issues an API token for a user and prints it once; only its hash is stored."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="cli", help="A label to recognise the token by."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        _row, token = ApiToken.issue(user, name=options["name"])
        self.stdout.write(token)
