"""Load the 2024 edition of 中小企业数字化水平评测指标 (工信厅企业〔2024〕56号) as data."""

from django.db import migrations


def load_2024(apps, schema_editor):
    from digital.editions import EDITIONS_DIR, load_edition, read_edition

    load_edition(read_edition(EDITIONS_DIR / "2024.json"), apps=apps)


def unload_2024(apps, schema_editor):
    # Leaf tables first, in SQL: the ORM's delete collector mixes model classes of two rendered
    # states during a multi-migration reversal ("Must be 'Dimension' instance"). Assessments of
    # this edition keep their PROTECT foreign key: the database refuses the reversal then.
    version = apps.get_model("digital", "QuestionnaireVersion")
    table = {m: apps.get_model("digital", m)._meta.db_table for m in (
        "Dimension", "Indicator", "Question", "Option", "Scenario",
    )}
    qn = schema_editor.quote_name
    versions = f"SELECT id FROM {qn(version._meta.db_table)} WHERE code = %s"
    questions = f"SELECT id FROM {qn(table['Question'])} WHERE version_id IN ({versions})"
    dimensions = f"SELECT id FROM {qn(table['Dimension'])} WHERE version_id IN ({versions})"
    statements = [
        f"DELETE FROM {qn(table['Option'])} WHERE question_id IN ({questions})",
        f"DELETE FROM {qn(table['Question'])} WHERE version_id IN ({versions})",
        f"DELETE FROM {qn(table['Indicator'])} WHERE dimension_id IN ({dimensions})",
        f"DELETE FROM {qn(table['Dimension'])} WHERE version_id IN ({versions})",
        f"DELETE FROM {qn(table['Scenario'])} WHERE version_id IN ({versions})",
        f"DELETE FROM {qn(version._meta.db_table)} WHERE code = %s",
    ]
    for sql in statements:
        schema_editor.execute(sql, ["2024"])


class Migration(migrations.Migration):
    dependencies = [("digital", "0001_initial")]

    operations = [migrations.RunPython(load_2024, unload_2024)]
