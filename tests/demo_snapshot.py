"""The demo year, seeded once per test process and copied back for every later module asking.

`seed_demo` walks every record through the real services (pipelines, history, figures) and takes
tens of seconds; a dozen modules need its result. The first one in a process seeds it; the
snapshot then holds every table's rows, and a later module's set-up replaces the tables' contents
with them inside its own transaction (rolled back at the module's end, as before). On PostgreSQL
the rows travel by COPY, on SQLite by SELECT/INSERT; foreign keys are deferred on both, so the
order of the tables does not matter, and the sequences are moved past the restored ids.

Tests of `seed_demo` itself (idempotency, the backup drill) still run the command.
"""

import io

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

_snapshot: dict | None = None

# The security log refuses DELETE and UPDATE (audit/migrations/0002): left as it stands, and
# what the seed logged is not copied back.
APPEND_ONLY = {"audit_securityevent"}


def _models() -> list:
    seen: dict[str, type] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in APPEND_ONLY:
            continue
        seen.setdefault(meta.db_table, model)
    return list(seen.values())


def _take() -> dict:
    quote = connection.ops.quote_name
    data = {}
    with connection.cursor() as cursor:
        for model in _models():
            table = quote(model._meta.db_table)
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                cursor.copy_expert(f"COPY {table} TO STDOUT", buffer)  # psycopg2
                data[table] = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (model tables)
                columns = [c[0] for c in cursor.description]
                data[table] = (columns, cursor.fetchall())
    return data


def _restore(data: dict) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in data:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (model tables)
        for table, rows in data.items():
            if connection.vendor == "postgresql":
                if rows:
                    cursor.copy_expert(f"COPY {table} FROM STDIN", io.BytesIO(rows))
            else:
                columns, values = rows
                if values:
                    names = ", ".join(quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, values)
        for sql in connection.ops.sequence_reset_sql(no_style(), _models()):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


def seed() -> None:
    """The demo year in the current transaction: seeded the first time, restored afterwards."""
    global _snapshot
    if _snapshot is None:
        call_command("seed_demo", verbosity=0)
        _snapshot = _take()
    else:
        _restore(_snapshot)
    from bureau import figures

    figures.mark_changed()


def clear_caches() -> None:
    """After the module's rollback: ids cached in process may belong to the restored rows."""
    ContentType.objects.clear_cache()
