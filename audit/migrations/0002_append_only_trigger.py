"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the security log.

The trigger fires for every role, the application's own included (which owns the table, as it
ran the migrations), so neither a bug nor a compromised application can rewrite the log through
SQL. Keeping the log is the deployment's job (docs/security.md): old rows leave only by a
partition or table swap done by a database administrator, after the 180 days 等保 asks for.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit_securityevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_securityevent_append_only
    BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_securityevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_securityevent_append_only ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_securityevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_security_log")]

    operations = [migrations.RunPython(forward, backward)]
