"""On PostgreSQL, the database rule that one enterprise's stays in incubators do not overlap.

The partial unique constraint of 0001 already allows one *current* stay per enterprise; this
exclusion constraint also refuses overlapping closed stays. It uses only GiST operator classes
built into PostgreSQL (ranges), so it needs no btree_gist extension (as enterprises' 0003):
the enterprise is written as a one-point range, and two one-point ranges overlap exactly when
the values are equal. A stay is the half-open range [entered_on, exited_on): a stay ending on
the day another begins does not overlap it (as Tenancy.clean() has it), and a current stay's
NULL exit is an unbounded end. SQLite has no such constraint; there Tenancy.clean() and
incubation.services.admit_tenant (and the Excel import, both locking the enterprise rows)
enforce the rule.
"""

from django.db import migrations

ADD_EXCLUSION = """
ALTER TABLE incubation_tenancy ADD CONSTRAINT tenancy_no_overlapping_stays
EXCLUDE USING gist (
    int8range(enterprise_id, enterprise_id, '[]') WITH &&,
    daterange(entered_on, exited_on, '[)') WITH &&
)
"""
DROP_EXCLUSION = (
    "ALTER TABLE incubation_tenancy DROP CONSTRAINT IF EXISTS tenancy_no_overlapping_stays"
)


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EXCLUSION)


class Migration(migrations.Migration):
    dependencies = [("incubation", "0003_level_application_previous_level")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
