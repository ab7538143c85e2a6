"""Running one database vendor's share of a set of trigger statements."""

from typing import Any


def run(connection: Any, statements: dict[str, list[str]]) -> None:
    """Executes the statements written for this connection's vendor (none for another)."""
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)
