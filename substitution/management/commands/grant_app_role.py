"""Give the application's PostgreSQL role exactly what it needs, and no more on the audit log.

Run by the role that owns the tables (the one ``manage.py migrate`` runs as), after every
migrate::

    python manage.py grant_app_role substitution_app --password-env APP_DB_PASSWORD

The application role gets SELECT, INSERT, UPDATE and DELETE on every table of the schema,
but only SELECT and INSERT on ``substitution_auditevent`` (and SELECT on
``django_migrations``), plus USAGE on the sequences and EXECUTE on the audit retention's
``substitution_audit_purge`` (the only way rows leave the audit log). It never gets TRUNCATE,
TRIGGER or REFERENCES, and it must not own a table, own the schema or be able to act as their owner
(membership, superuser, CREATEROLE): an owner may disable the audit log's triggers or drop
the table, so the command refuses such a role instead of granting to it. See
docs/security.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from substitution.models import AuditEvent

AUDIT_TABLE = AuditEvent._meta.db_table
READ_ONLY_TABLES = ("django_migrations",)
PURGE_FUNCTION = "substitution_audit_purge(timestamptz, timestamptz)"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SCRAM_ITERATIONS = 4096


def scram_sha_256(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5803 format).

    The role's password is sent already hashed, so the plain text never reaches the server
    (nor a server log of DDL statements).
    """
    salt = salt if salt is not None else secrets.token_bytes(16)
    normalized = unicodedata.normalize("NFKC", password).encode()
    salted = hashlib.pbkdf2_hmac("sha256", normalized, salt, SCRAM_ITERATIONS)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")

    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode()

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


class Command(BaseCommand):
    help = (
        "Giver applikationens databaserolle adgang til tabellerne, men kun SELECT og INSERT på "
        "revisionsloggen. Køres som den rolle der ejer tabellerne, efter migrate "
        "(kun PostgreSQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="Applikationens databaserolle, fx substitution_app")
        parser.add_argument(
            "--password-env",
            metavar="VARIABEL",
            help="Opret rollen (LOGIN) hvis den mangler, og sæt dens adgangskode fra denne "
            "miljøvariabel",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Databaseroller findes kun på PostgreSQL.")
        role: str = options["role"]
        if not ROLE_NAME.fullmatch(role):
            raise CommandError(
                f"Ugyldigt rollenavn: {role!r} (små bogstaver, cifre og _, højst 63 tegn)."
            )
        password = self._password(options["password_env"])
        with transaction.atomic(), connection.cursor() as cursor:
            schema, owner = self._schema_and_owner(cursor)
            self._ensure_role(cursor, role, password)
            self._refuse_privileged(cursor, role, schema, owner)
            self._grant(cursor, role, schema)
            self._verify(cursor, role, schema)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rollen {role} må læse og skrive alle tabeller i {schema}, men kun læse og "
                f"tilføje i {AUDIT_TABLE}. Tabellerne ejes af {owner}."
            )
        )

    def _password(self, variable: str | None) -> str | None:
        if variable is None:
            return None
        value = os.environ.get(variable, "")
        if not value:
            raise CommandError(f"Miljøvariablen {variable} er ikke sat.")
        return value

    def _schema_and_owner(self, cursor: CursorWrapper) -> tuple[str, str]:
        cursor.execute(
            "SELECT current_schema(), tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [AUDIT_TABLE],
        )
        row = cursor.fetchone()
        if row is None:
            raise CommandError(f"Tabellen {AUDIT_TABLE} findes ikke: kør migrate først.")
        schema, owner = row
        cursor.execute(
            "SELECT current_user = %s OR rolsuper FROM pg_roles WHERE rolname = current_user",
            [owner],
        )
        if not cursor.fetchone()[0]:
            raise CommandError(
                f"Kør kommandoen som rollen der ejer tabellerne ({owner}), ikke som applikationen."
            )
        return str(schema), str(owner)

    def _ensure_role(self, cursor: CursorWrapper, role: str, password: str | None) -> None:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        quoted = connection.ops.quote_name(role)
        if not exists and password is None:
            raise CommandError(
                f"Rollen {role} findes ikke. Opret den, eller angiv --password-env så "
                "kommandoen opretter den."
            )
        if not exists:
            cursor.execute(
                f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                "NOREPLICATION NOBYPASSRLS PASSWORD %s",
                [scram_sha_256(str(password))],
            )
        elif password is not None:
            cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [scram_sha_256(password)])

    def _refuse_privileged(self, cursor: CursorWrapper, role: str, schema: str, owner: str) -> None:
        """A role that owns, or can act as the owner of, the tables or the schema can switch
        the audit log's protection off; granting to it would be a false sense of safety."""
        cursor.execute(
            """
            SELECT r.rolsuper,
                   r.rolcreaterole,
                   pg_has_role(r.oid, %s, 'MEMBER'),
                   pg_has_role(r.oid, n.nspowner, 'MEMBER'),
                   (SELECT count(*) FROM pg_tables t
                     WHERE t.schemaname = n.nspname AND t.tableowner = r.rolname)
              FROM pg_roles r, pg_namespace n
             WHERE r.rolname = %s AND n.nspname = %s
            """,
            [owner, role, schema],
        )
        superuser, createrole, owner_member, schema_member, owned = cursor.fetchone()
        reasons = []
        if superuser:
            reasons.append("er superbruger")
        if createrole:
            reasons.append("har CREATEROLE")
        if owner_member:
            reasons.append(f"er (medlem af) tabellernes ejer {owner}")
        if schema_member:
            reasons.append(f"ejer skemaet {schema} (eller er medlem af ejeren)")
        if owned:
            reasons.append(f"ejer {owned} tabel(ler) i {schema}")
        if reasons:
            raise CommandError(
                f"Rollen {role} kan slå revisionsloggens beskyttelse fra: den "
                + ", ".join(reasons)
                + ". Brug en rolle uden disse rettigheder."
            )

    def _grant(self, cursor: CursorWrapper, role: str, schema: str) -> None:
        name = connection.ops.quote_name
        r, s = name(role), name(schema)
        cursor.execute("SELECT current_database()")
        database = name(cursor.fetchone()[0])
        for statement in (
            f"GRANT CONNECT ON DATABASE {database} TO {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
            f"REVOKE UPDATE, DELETE ON {s}.{name(AUDIT_TABLE)} FROM {r}",
            *(
                f"REVOKE INSERT, UPDATE, DELETE ON {s}.{name(table)} FROM {r}"
                for table in READ_ONLY_TABLES
            ),
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
            # The audit retention's one way to delete (migration 0004_wt15_audit_retention).
            f"GRANT EXECUTE ON FUNCTION {s}.{PURGE_FUNCTION} TO {r}",
        ):
            cursor.execute(statement)

    def _verify(self, cursor: CursorWrapper, role: str, schema: str) -> None:
        """Privileges may also come from PUBLIC or another role the app role is a member
        of; check the effective ones on the audit table."""
        table = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(AUDIT_TABLE)}"
        allowed = {"SELECT", "INSERT"}
        extra = []
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
            held = bool(cursor.fetchone()[0])
            if privilege in allowed and not held:
                raise CommandError(f"Rollen {role} fik ikke {privilege} på {AUDIT_TABLE}.")
            if privilege not in allowed and held:
                extra.append(privilege)
        if extra:
            raise CommandError(
                f"Rollen {role} har stadig {', '.join(extra)} på {AUDIT_TABLE} (via PUBLIC eller "
                "en anden rolle). Fjern den tildeling."
            )
