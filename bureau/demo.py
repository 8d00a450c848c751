"""Demo data of the bureau's shared records: reporting periods, 2024 activities, targets."""

import datetime
import random

from .models import Activity, ActivityKind, PeriodStatus, ReportingPeriod, Target

DEMO_FIRST_YEAR = 2023
DEMO_LAST_YEAR = 2026


def seed_periods(scale: int = 0) -> str:
    """2023–2025 and the first half of 2026 locked; the rest of 2026 open."""
    created = 0
    for year in range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1):
        for quarter in range(1, 5):
            _period, new = ReportingPeriod.objects.get_or_create(
                year=year,
                quarter=quarter,
                defaults={
                    # Figures are seeded while periods are open; lock_demo_periods locks them.
                    "status": PeriodStatus.OPEN,
                    "deadline": datetime.date(year + (quarter == 4), (quarter * 3) % 12 + 1, 15),
                },
            )
            created += new
    return f"{created} 个填报期" if created else ""


def lock_demo_periods(scale: int = 0) -> str:
    to_lock = ReportingPeriod.objects.filter(status=PeriodStatus.OPEN).filter(
        year__lt=2026
    ) | ReportingPeriod.objects.filter(status=PeriodStatus.OPEN, year=2026, quarter__lte=2)
    n = to_lock.update(status=PeriodStatus.LOCKED)
    return f"锁定 {n} 个填报期" if n else ""


# (kind code, count in 2024, topics): the seed's "政策宣讲会10次以上，上门宣讲政策60余次".
ACTIVITIES_2024 = [
    (
        "policy_seminar",
        12,
        [
            "高新技术企业申报条件及优惠政策宣讲",
            "科技型中小企业评价入库政策解读",
            "研发经费投入政策宣讲",
            "新增科技创新奖励政策解读",
        ],
    ),
    ("door_to_door", 63, ["上门宣讲科技政策", "上门解读高企申报条件", "上门指导科小入库"]),
    ("training", 4, ["企业人才专家授课", "企业管理人员培训"]),
    ("exchange", 3, ["人才交流座谈会", "产学研合作交流座谈"]),
    ("site_visit", 2, ["组织企业人才实地考察学习"]),
]


def seed_activities(scale: int = 0) -> str:
    """The 2024 activities, each with participating enterprises; only when none exist yet."""
    from enterprises.models import Enterprise

    if Activity.objects.filter(date__year=2024).exists():
        return ""
    rng = random.Random(2024)
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    enterprise_ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:240])
    created = 0
    for code, count, topics in ACTIVITIES_2024:
        for i in range(count):
            day = datetime.date(2024, 1, 8) + datetime.timedelta(days=int(i * 330 / count))
            activity = Activity.objects.create(
                kind=kinds[code],
                date=day,
                topic=topics[i % len(topics)],
                place="开发区管委会" if code != "door_to_door" else "企业现场",
                attendance=rng.randint(2, 6) if code == "door_to_door" else rng.randint(20, 80),
            )
            size = 1 if code == "door_to_door" else rng.randint(8, 25)
            activity.enterprises.set(rng.sample(enterprise_ids, min(size, len(enterprise_ids))))
            created += 1
    return f"{created} 次活动"


def seed_targets(scale: int = 0) -> str:
    targets = [
        (2024, "bureau.activities.policy_seminar", "政策宣讲会", 10, "次"),
        (2024, "bureau.activities.door_to_door", "上门宣讲政策", 60, "次"),
        (2025, "bureau.activities.policy_seminar", "政策宣讲会", 12, "次"),
        (2025, "bureau.activities.door_to_door", "上门宣讲政策", 60, "次"),
    ]
    created = 0
    for year, key, label, value, unit in targets:
        _t, new = Target.objects.get_or_create(
            year=year,
            figure_key=key,
            defaults={"label": label, "target_value": value, "unit": unit},
        )
        created += new
    return f"{created} 项目标" if created else ""


STEPS = [
    (0, seed_periods),
    (30, seed_activities),
    (40, seed_targets),
    (900, lock_demo_periods),
]
