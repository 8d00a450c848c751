"""Reference data of the incubation app: the R&D platform kinds every bureau tracks."""

# (code, name) in display order; a bureau may add more in the admin.
RD_PLATFORM_KINDS = [
    ("enterprise_tech_center", "企业技术中心"),
    ("engineering_tech_research_center", "工程技术研究中心"),
    ("engineering_research_center", "工程研究中心"),
    ("key_laboratory", "重点实验室"),
    ("enterprise_rd_center", "企业研发中心"),
    ("industrial_design_center", "工业设计中心"),
    ("postdoctoral_station", "博士后科研工作站"),
    ("academician_station", "院士工作站"),
]


def ensure_rd_platform_kinds(**kwargs) -> int:
    """Create the kinds that are missing (after migrate, and after a test flush); idempotent."""
    from django.apps import apps

    from bureau.migrating import app_is_migrated

    from .models import RDPlatformKind

    if not app_is_migrated(apps.get_app_config("incubation"), **kwargs):
        return 0

    existing = set(RDPlatformKind.objects.values_list("code", flat=True))
    missing = [
        RDPlatformKind(code=code, name=name, order=order * 10)
        for order, (code, name) in enumerate(RD_PLATFORM_KINDS)
        if code not in existing
    ]
    RDPlatformKind.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
