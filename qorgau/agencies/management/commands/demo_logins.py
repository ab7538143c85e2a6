import functools
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandParser

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role

# Published with the demo (`make demo` prints it); it guards invented data only.
DEMO_PASSWORD = "qorgau-demo-2026"  # noqa: S105

MAIN_ROLES = (
    Role.CASEWORKER, Role.SUPERVISOR, Role.SCREENER, Role.POLICE_INVESTIGATOR,
    Role.REGIONAL_COORDINATOR, Role.NATIONAL_COORDINATOR, Role.PROSECUTOR,
    Role.OMBUDSMAN, Role.ANALYST, Role.ADMINISTRATOR,
)  # fmt: skip


class Command(BaseCommand):
    help = "Prints where to sign in to the demo, with one account per main role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = [(role, user) for role in MAIN_ROLES if (user := first_with(role))]
        if not logins:
            self.stdout.write("No demo accounts yet: run `manage.py seed_demo` first.")
            return
        self.stdout.write(f"Sign in at {options['url']} as one of:\n")
        rows = [
            (str(role.label), user.username, str(user.organisation or ""))
            for role, user in logins
        ]
        role_width = max(len(role) for role, _name, _org in rows)
        name_width = max(len(name) for _role, name, _org in rows)
        for role, name, organisation in rows:
            self.stdout.write(
                f"  {role:<{role_width}}  {name:<{name_width}}  {organisation}"
            )
        if all(has_demo_password(user.password) for _role, user in logins):
            self.stdout.write(f"\nPassword for all of them: {DEMO_PASSWORD}")
        else:
            self.stdout.write(
                "\nThese accounts have their own passwords, not the demo one."
            )


def first_with(role: str) -> User | None:
    users = User.objects.filter(is_active=True, role_assignments__role=role)
    return users.select_related("organisation").order_by("pk").first()


@functools.cache
def has_demo_password(encoded: str) -> bool:
    # Seeded accounts share one hash, so Argon2 runs once rather than once per account;
    # hashers.check_password, unlike User.check_password, never saves a rehashed password.
    return check_password(DEMO_PASSWORD, encoded)
