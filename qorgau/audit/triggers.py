"""Database triggers that refuse UPDATE and DELETE on the audit trail (and TRUNCATE on PostgreSQL)."""

from typing import Any

from qorgau.lib.triggers import run

TABLE = "audit_auditevent"

INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
        f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$;",
        f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
        f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
    ],
}
UNINSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
        f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
        "DROP FUNCTION IF EXISTS audit_append_only();",
    ],
}


def install(connection: Any) -> None:
    run(connection, INSTALL)


def uninstall(connection: Any) -> None:
    run(connection, UNINSTALL)
