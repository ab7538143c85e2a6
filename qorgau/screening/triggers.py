"""Database triggers that keep a published instrument version as it was published.

Its definition, file, digest, number and instrument never change, and it is never deleted; only
its status moves on (published → retired). The services refuse the same; these refuse it to
anything else, such as a shell or a hand-written UPDATE.
"""

from typing import Any

from qorgau.lib.triggers import run

TABLE = "screening_instrumentversion"
FROZEN = ("definition", "source", "digest", "version", "instrument_id")

INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER instrument_version_frozen BEFORE UPDATE OF {', '.join(FROZEN)} "
        f"ON {TABLE} WHEN OLD.status <> 'draft' "
        "BEGIN SELECT RAISE(ABORT, 'a published instrument version never changes'); END;",
        f"CREATE TRIGGER instrument_version_kept BEFORE DELETE ON {TABLE} "
        "WHEN OLD.status <> 'draft' "
        "BEGIN SELECT RAISE(ABORT, 'a published instrument version is never deleted'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION instrument_version_frozen() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF OLD.status <> 'draft' THEN "
        "  IF TG_OP = 'DELETE' THEN "
        "    RAISE EXCEPTION 'a published instrument version is never deleted'; END IF; "
        "  IF "
        + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
        + " THEN "
        "    RAISE EXCEPTION 'a published instrument version never changes'; END IF; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$;",
        f"CREATE TRIGGER instrument_version_frozen BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION instrument_version_frozen();",
    ],
}
UNINSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS instrument_version_frozen;",
        "DROP TRIGGER IF EXISTS instrument_version_kept;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS instrument_version_frozen ON {TABLE};",
        "DROP FUNCTION IF EXISTS instrument_version_frozen();",
    ],
}


def install(connection: Any) -> None:
    run(connection, INSTALL)


def uninstall(connection: Any) -> None:
    run(connection, UNINSTALL)
