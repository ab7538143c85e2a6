from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandParser

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role

# Published with the demo (README, `make demo`); it protects only invented data.
DEMO_PASSWORD = "qorgau-demo-2026"  # noqa: S105

MAIN_ROLES = (
    Role.CASEWORKER, Role.SUPERVISOR, Role.SCREENER, Role.POLICE_INVESTIGATOR, Role.REGIONAL_COORDINATOR,
    Role.NATIONAL_COORDINATOR, Role.PROSECUTOR, Role.OMBUDSMAN, Role.ANALYST, Role.ADMINISTRATOR,
)  # fmt: skip


class Command(BaseCommand):
    help = "Prints where to sign in to the demo and one account per main role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the demo is served."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = [
            (role, user)
            for role in MAIN_ROLES
            if (user := first_user_with(role)) is not None
        ]
        if not logins:
            self.stdout.write("No demo accounts yet: run `manage.py seed_demo` first.")
            return
        self.stdout.write(f"Sign in at {options['url']} with one of these accounts:\n")
        width = max(len(user.username) for _role, user in logins)
        for role, user in logins:
            organisation = str(user.organisation) if user.organisation else ""
            self.stdout.write(
                f"  {str(role.label):<28} {user.username:<{width}}  {organisation}"
            )
        # The seed gives every account one shared hash: check each distinct hash once, as Argon2 is slow.
        # hashers.check_password, unlike User.check_password, never re-saves a hash with new parameters.
        if all(
            check_password(DEMO_PASSWORD, encoded)
            for encoded in {user.password for _role, user in logins}
        ):
            self.stdout.write(f"\nPassword for every account: {DEMO_PASSWORD}")
        else:
            self.stdout.write(
                "\nThese accounts have their own passwords, not the demo one."
            )


def first_user_with(role: str) -> User | None:
    users = User.objects.filter(
        is_active=True, role_assignments__role=role
    ).select_related("organisation")
    return users.order_by("pk").first()
