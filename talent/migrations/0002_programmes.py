"""Reference data every installation starts with: the talent programme kinds of the seed
(高层次人才申报, 人才安家补贴) and a few the bureau commonly runs; staff add more in the admin."""

from django.db import migrations

PROGRAMMES = [
    ("high_level_talent", "高层次人才申报", True, "高层次人才认定及配套奖补"),
    ("housing_subsidy", "人才安家补贴", True, "引进人才购房或租房安家补贴"),
    ("skilled_talent", "高技能人才奖补", True, "技能等级提升、技能大师工作室等奖补"),
    ("flexible_recruitment", "柔性引才补贴", True, "企业柔性引进专家、顾问的费用补贴"),
    ("talent_title", "人才称号推荐", False, "省、市人才称号与人才工程推荐"),
]


def forwards(apps, schema_editor):
    Programme = apps.get_model("talent", "TalentProgramme")
    for order, (code, name, is_subsidy, description) in enumerate(PROGRAMMES):
        Programme.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_subsidy": is_subsidy,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
