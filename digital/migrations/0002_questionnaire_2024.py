"""Load the 2024 edition of 中小企业数字化水平评测指标 (工信厅企业〔2024〕56号) as data."""

from django.db import migrations


def load_2024(apps, schema_editor):
    from digital.editions import EDITIONS_DIR, load_edition, read_edition

    load_edition(read_edition(EDITIONS_DIR / "2024.json"), apps=apps)


def unload_2024(apps, schema_editor):
    apps.get_model("digital", "QuestionnaireVersion").objects.filter(code="2024").delete()


class Migration(migrations.Migration):
    dependencies = [("digital", "0001_initial")]

    operations = [migrations.RunPython(load_2024, unload_2024)]
