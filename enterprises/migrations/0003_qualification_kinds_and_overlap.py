"""The ladder's qualification kinds as reference data, and, on PostgreSQL, the database rule
that one enterprise cannot hold two approved titles of the same kind and level whose validity
overlaps.

The exclusion constraint uses only GiST operator classes built into PostgreSQL (ranges), so it
needs no btree_gist extension: each equality column is written as a one-point range, and two
one-point ranges overlap exactly when the values are equal. SQLite has no such constraint;
there Qualification.clean() and enterprises.services enforce the rule.
"""

from django.db import migrations

KINDS = [
    # code, name, short name, rule family, default level, validity rule, years, certificate, rank
    ("tech_sme", "科技型中小企业", "科小入库", "tech_sme", "provincial", "year_of_issue", None, True, 1),
    (
        "tech_innovative_sme",
        "科技和创新型中小企业",
        "科技和创新型",
        "tech_innovative_sme",
        "provincial",
        "years",
        3,
        True,
        1,
    ),
    ("innovative_sme", "创新型中小企业", "创新型", "innovative_sme", "provincial", "years", 3, True, 2),
    ("specialised_sme", "专精特新中小企业", "专精特新", "specialised_sme", "provincial", "years", 3, True, 3),
    ("little_giant", "专精特新“小巨人”企业", "小巨人", "little_giant", "national", "years", 3, True, 4),
    ("hitech", "高新技术企业", "高企", "hitech", "national", "years", 3, True, 0),
    (
        "strategic_emerging",
        "战略性新兴产业企业入库",
        "战新入库",
        "strategic_emerging",
        "provincial",
        "open",
        None,
        False,
        0,
    ),
]

LEVEL_INDEX = (
    "CASE level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 "
    "WHEN 'municipal' THEN 3 WHEN 'county' THEN 4 ELSE 0 END"
)
ADD_EXCLUSION = f"""
ALTER TABLE enterprises_qualification ADD CONSTRAINT qualification_no_overlapping_approved
EXCLUDE USING gist (
    int8range(enterprise_id, enterprise_id, '[]') WITH &&,
    int8range(kind_id, kind_id, '[]') WITH &&,
    int4range({LEVEL_INDEX}, {LEVEL_INDEX}, '[]') WITH &&,
    daterange(valid_from, valid_to, '[]') WITH &&
) WHERE (status = 'approved')
"""
DROP_EXCLUSION = (
    "ALTER TABLE enterprises_qualification DROP CONSTRAINT IF EXISTS "
    "qualification_no_overlapping_approved"
)


def add_kinds(apps, schema_editor):
    Kind = apps.get_model("enterprises", "QualificationKind")
    for order, (code, name, short, family, level, rule, years, cert, rank) in enumerate(KINDS):
        Kind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "rule_family": family,
                "default_level": level,
                "validity_rule": rule,
                "validity_years": years,
                "requires_certificate": cert,
                "ladder_rank": rank,
                "order": (order + 1) * 10,
            },
        )


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EXCLUSION)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_tier_ladder")]

    operations = [
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
