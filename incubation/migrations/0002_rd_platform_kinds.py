from django.db import migrations

# Reference data: the R&D platform kinds every bureau tracks (a bureau may add more).
KINDS = [
    ("enterprise_tech_center", "企业技术中心"),
    ("engineering_tech_research_center", "工程技术研究中心"),
    ("engineering_research_center", "工程研究中心"),
    ("key_laboratory", "重点实验室"),
    ("enterprise_rd_center", "企业研发中心"),
    ("industrial_design_center", "工业设计中心"),
    ("postdoctoral_station", "博士后科研工作站"),
    ("academician_station", "院士工作站"),
]


def add_kinds(apps, schema_editor):
    Kind = apps.get_model("incubation", "RDPlatformKind")
    for order, (code, name) in enumerate(KINDS):
        Kind.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def remove_kinds(apps, schema_editor):
    Kind = apps.get_model("incubation", "RDPlatformKind")
    Kind.objects.filter(code__in=[c for c, _n in KINDS], rdplatform__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("incubation", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
