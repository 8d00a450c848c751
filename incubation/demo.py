"""Demo innovation carriers reproducing the seed's section (一) for 2024.

"培育新增省级研发中心4个，省级大数据企业1个、省级数字化车间1个，3个市级数字化车间和1个市级
智能工厂正在申报中", and the provincial incubator 中新联科 striving for national level. Every
record moves through the pipeline with dated transitions, so the figures come from history.
Idempotent: each record is looked up by its natural key and created only when missing.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from enterprises.demo import demo_code
from enterprises.models import Enterprise, ParkZone

from .models import (
    PRODUCT_KINDS,
    ExitReason,
    GraduationBasis,
    Incubator,
    IncubatorKind,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    RDPlatformKind,
    RecognitionKind,
    Tenancy,
)
from .services import create_application, move_application

TZ = ZoneInfo("Asia/Shanghai")


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10), TZ)


def _enterprise(index: int) -> Enterprise | None:
    return Enterprise.objects.filter(credit_code=demo_code(index)).first()


def _run_flow(app, steps: list[tuple[str, str]], *, approve: dict | None = None) -> None:
    """Create `app` at the first step's date and move it through the remaining steps."""
    (first_status, first_day), *rest = steps
    app.status = first_status
    app.status_changed_at = _at(first_day)
    create_application(app, remark="演示数据")
    for status, day in rest:
        fields = dict(approve or {}) if status == S.APPROVED else {}
        if status == S.APPROVED:
            fields.setdefault("approved_on", datetime.date.fromisoformat(day))
        move_application(app, status, at=_at(day), remark="演示数据", **fields)


# --- Incubators --------------------------------------------------------------------------------

ZXLK = "中新联科科技企业孵化器"

INCUBATORS = [
    {
        "name": ZXLK,
        "kind": IncubatorKind.INCUBATOR,
        "operator": "安徽中新联科孵化器运营管理有限公司",
        "level": Level.PROVINCIAL,
        "zone": "光电信息产业园",
        "address": "舒城县经济开发区光电信息产业园科创大厦",
        "established_on": datetime.date(2019, 5, 18),
        "area_m2": Decimal("12000"),
        "tenant_area_m2": Decimal("8600"),
        "capacity": 60,
        "services": "创业辅导\n投融资对接\n知识产权代理\n政策申报指导\n技术转移与产学研对接\n人才招聘与培训",
        "seed_fund": Decimal("3000000"),
        "financed_tenants": 5,
        "fund_use_cases": 4,
        "staff_total": 15,
        "professional_staff": 12,
        "mentors": 4,
        "tenants_with_patent_filings": 20,
        "tenants_with_valid_ip": 14,
        "statistics_years": 4,
        "prior_graduates": 8,
        "contact_person": "汪经理",
        "contact_phone": "0564-8612345",
    },
    {
        "name": "舒城开发区光电众创空间",
        "kind": IncubatorKind.MAKERSPACE,
        "operator": "舒城县开发区科创服务中心",
        "level": Level.MUNICIPAL,
        "zone": "光电信息产业园",
        "address": "舒城县经济开发区光电信息产业园2号楼",
        "established_on": datetime.date(2021, 9, 1),
        "area_m2": Decimal("3200"),
        "tenant_area_m2": Decimal("2300"),
        "capacity": 20,
        "services": "共享办公\n创业培训\n路演活动",
        "contact_person": "李主任",
        "contact_phone": "0564-8623456",
    },
    {
        "name": "杭埠智能制造加速器",
        "kind": IncubatorKind.ACCELERATOR,
        "operator": "舒城杭埠产业发展有限公司",
        "level": Level.MUNICIPAL,
        "zone": "杭埠片区",
        "address": "舒城县杭埠镇产业园路18号",
        "established_on": datetime.date(2022, 3, 1),
        "area_m2": Decimal("8000"),
        "tenant_area_m2": Decimal("5200"),
        "capacity": 15,
        "services": "中试车间\n检验检测\n供应链对接",
        "contact_person": "周经理",
        "contact_phone": "0564-8634567",
    },
]

# (incubator, demo enterprise indices of current tenants, of graduates, of other leavers)
TENANTS = {
    ZXLK: (range(100, 136), range(160, 166), range(166, 169)),
    "舒城开发区光电众创空间": (range(136, 148), range(169, 171), range(171, 172)),
    "杭埠智能制造加速器": (range(148, 156), (), ()),
}


def seed_incubators(scale: int = 0) -> str:
    zones = {z.name: z for z in ParkZone.objects.all()}
    created = 0
    for spec in INCUBATORS:
        if Incubator.objects.filter(name=spec["name"]).exists():
            continue
        data = dict(spec)
        data["zone"] = zones.get(data["zone"])
        incubator = Incubator(**data)
        incubator.full_clean()
        incubator.save()
        created += 1
        _seed_tenants(incubator)
    _seed_incubator_applications()
    return f"{created} 个孵化载体及其在孵企业" if created else ""


def _seed_tenants(incubator: Incubator) -> None:
    current, graduates, leavers = TENANTS[incubator.name]
    rng = random.Random(incubator.name)
    start = incubator.established_on or datetime.date(2020, 1, 1)
    for i in current:
        enterprise = _enterprise(i)
        if enterprise is None:
            continue
        entered = start + datetime.timedelta(days=rng.randint(30, 1900))
        entered = min(entered, datetime.date(2026, 6, 30))
        _save_tenancy(Tenancy(incubator=incubator, enterprise=enterprise, entered_on=entered))
    bases = [GraduationBasis.HITECH, GraduationBasis.REVENUE, GraduationBasis.FINANCING]
    for n, i in enumerate(graduates):
        enterprise = _enterprise(i)
        if enterprise is None:
            continue
        # Graduations spread over 2022–2024: two of 中新联科's in 2024.
        exit_year = 2022 + n % 3
        _save_tenancy(
            Tenancy(
                incubator=incubator,
                enterprise=enterprise,
                entered_on=datetime.date(exit_year - 3, 3 + n, 1),
                exited_on=datetime.date(exit_year, 6 + n, 15),
                exit_reason=ExitReason.GRADUATED,
                graduation_basis=bases[n % len(bases)],
            )
        )
    for n, i in enumerate(leavers):
        enterprise = _enterprise(i)
        if enterprise is None:
            continue
        _save_tenancy(
            Tenancy(
                incubator=incubator,
                enterprise=enterprise,
                entered_on=datetime.date(2021, 4 + n, 1),
                exited_on=datetime.date(2023, 8 + n, 28),
                exit_reason=ExitReason.MOVED_OUT,
                note="迁至县外",
            )
        )


def _save_tenancy(tenancy: Tenancy) -> None:
    if Tenancy.objects.filter(
        enterprise=tenancy.enterprise, entered_on=tenancy.entered_on
    ).exists():
        return
    tenancy.full_clean()
    tenancy.save()


def _seed_incubator_applications() -> None:
    zxlk = Incubator.objects.filter(name=ZXLK).first()
    if (
        zxlk
        and not IncubatorLevelApplication.objects.filter(
            incubator=zxlk, level=Level.NATIONAL
        ).exists()
    ):
        # "研究制定申报方案争创国家级孵化器": preparing the national application since mid-2024.
        _run_flow(
            IncubatorLevelApplication(
                incubator=zxlk,
                level=Level.NATIONAL,
                batch_year=2025,
                remark="与中新联科紧密协作，研究制定申报方案",
            ),
            [(S.CANDIDATE, "2024-03-15"), (S.PREPARING, "2024-06-20")],
        )
    accelerator = Incubator.objects.filter(name="杭埠智能制造加速器").first()
    if (
        accelerator
        and not IncubatorLevelApplication.objects.filter(
            incubator=accelerator, level=Level.PROVINCIAL
        ).exists()
    ):
        # "支持其申报省级孵化器项目": a candidate being cultivated, not yet applying.
        _run_flow(
            IncubatorLevelApplication(
                incubator=accelerator, level=Level.PROVINCIAL, remark="摸排培育的潜力载体"
            ),
            [(S.CANDIDATE, "2024-09-10")],
        )


# --- R&D platforms -----------------------------------------------------------------------------

# (enterprise index, kind code, name suffix, level, field, flow, approval year or None)
PLATFORMS = [
    # The seed's four new provincial R&D centres of 2024.
    (3, "enterprise_tech_center", "省级企业技术中心", Level.PROVINCIAL, "光电显示", "2024-09-26"),
    (5, "enterprise_tech_center", "省级企业技术中心", Level.PROVINCIAL, "智能装备", "2024-09-26"),
    (
        11,
        "engineering_tech_research_center",
        "省级工程技术研究中心",
        Level.PROVINCIAL,
        "半导体封装",
        "2024-11-08",
    ),
    (
        18,
        "enterprise_rd_center",
        "省级企业研发中心",
        Level.PROVINCIAL,
        "新材料",
        "2024-12-12",
    ),
    # Earlier years, so the dashboard shows a trend.
    (
        21,
        "enterprise_tech_center",
        "省级企业技术中心",
        Level.PROVINCIAL,
        "电子元器件",
        "2023-10-20",
    ),
    (
        26,
        "engineering_tech_research_center",
        "省级工程技术研究中心",
        Level.PROVINCIAL,
        "精密制造",
        "2023-12-01",
    ),
    (30, "enterprise_tech_center", "市级企业技术中心", Level.MUNICIPAL, "电气控制", "2023-06-15"),
    (33, "enterprise_rd_center", "市级企业研发中心", Level.MUNICIPAL, "塑胶材料", "2023-06-15"),
    (40, "enterprise_tech_center", "市级企业技术中心", Level.MUNICIPAL, "软件", "2022-07-08"),
    (44, "key_laboratory", "省级重点实验室", Level.PROVINCIAL, "光电材料", "2022-12-16"),
    (48, "postdoctoral_station", "博士后科研工作站", Level.PROVINCIAL, "半导体", "2025-05-20"),
    (52, "enterprise_tech_center", "省级企业技术中心", Level.PROVINCIAL, "汽车电子", "2025-10-10"),
    # In the pipeline now (2026 batch).
    (57, "enterprise_tech_center", "省级企业技术中心", Level.PROVINCIAL, "显示模组", None),
    (
        63,
        "engineering_research_center",
        "市级工程研究中心",
        Level.MUNICIPAL,
        "环保装备",
        None,
    ),
]


def seed_platforms(scale: int = 0) -> str:
    kinds = {k.code: k for k in RDPlatformKind.objects.all()}
    created = 0
    for index, kind_code, suffix, level, tech_field, approved in PLATFORMS:
        enterprise = _enterprise(index)
        if enterprise is None:
            continue
        name = enterprise.name.removesuffix("有限公司").removeprefix("安徽") + suffix
        if RDPlatform.objects.filter(enterprise=enterprise, name=name).exists():
            continue
        app = RDPlatform(
            enterprise=enterprise,
            kind=kinds[kind_code],
            name=name,
            tech_field=tech_field,
            level=level,
        )
        if approved:
            day = datetime.date.fromisoformat(approved)
            app.batch_year = day.year
            flow = [
                (status, (day - datetime.timedelta(days=days_before)).isoformat())
                for status, days_before in (
                    (S.CANDIDATE, 250),
                    (S.PREPARING, 200),
                    (S.SUBMITTED, 130),
                    (S.UNDER_REVIEW, 70),
                    (S.APPROVED, 0),
                )
            ]
            approve = {
                "certificate_no": f"皖{day.year}-{index:03d}" if level != Level.MUNICIPAL else "",
                "valid_from": day,
            }
        else:
            app.batch_year = 2026
            flow = [
                (S.CANDIDATE, "2026-02-10"),
                (S.PREPARING, "2026-04-01"),
                (S.SUBMITTED, "2026-06-18"),
            ]
            approve = None
        _run_flow(app, flow, approve=approve)
        created += 1
    return f"{created} 个研发平台" if created else ""


# --- Platform recognitions ---------------------------------------------------------------------

# (enterprise index, kind, level, product, title, flow as (status, day) pairs, valid years)
RECOGNITIONS = [
    # 2024: 省级大数据企业1个、省级数字化车间1个 (approved in 2024).
    (
        7,
        RecognitionKind.BIG_DATA_ENTERPRISE,
        Level.PROVINCIAL,
        "",
        "",
        [
            (S.PREPARING, "2024-03-05"),
            (S.SUBMITTED, "2024-04-22"),
            (S.UNDER_REVIEW, "2024-06-10"),
            (S.APPROVED, "2024-10-18"),
        ],
    ),
    (
        9,
        RecognitionKind.DIGITAL_WORKSHOP,
        Level.PROVINCIAL,
        "",
        "光电模组数字化车间",
        [
            (S.PREPARING, "2024-02-20"),
            (S.SUBMITTED, "2024-04-10"),
            (S.UNDER_REVIEW, "2024-06-30"),
            (S.APPROVED, "2024-11-25"),
        ],
    ),
    # 2024: 3个市级数字化车间和1个市级智能工厂正在申报中 (decided in 2025).
    *[
        (
            index,
            RecognitionKind.DIGITAL_WORKSHOP,
            Level.MUNICIPAL,
            "",
            title,
            [
                (S.PREPARING, "2024-08-15"),
                (S.SUBMITTED, "2024-11-05"),
                (S.UNDER_REVIEW, "2025-01-10"),
                (S.APPROVED, "2025-03-28"),
            ],
        )
        for index, title in (
            (12, "注塑数字化车间"),
            (14, "SMT贴片数字化车间"),
            (19, "电机装配数字化车间"),
        )
    ],
    (
        23,
        RecognitionKind.SMART_FACTORY,
        Level.MUNICIPAL,
        "",
        "光电显示智能工厂",
        [
            (S.PREPARING, "2024-07-01"),
            (S.SUBMITTED, "2024-10-20"),
            (S.UNDER_REVIEW, "2024-12-05"),
            (S.APPROVED, "2025-04-15"),
        ],
    ),
    # Earlier recognitions, and "三首" products.
    (
        27,
        RecognitionKind.GREEN_FACTORY,
        Level.PROVINCIAL,
        "",
        "",
        [(S.PREPARING, "2023-03-01"), (S.SUBMITTED, "2023-05-10"), (S.APPROVED, "2023-12-20")],
    ),
    (
        31,
        RecognitionKind.FIRST_SET,
        Level.PROVINCIAL,
        "全自动光学检测设备",
        "",
        [(S.PREPARING, "2023-02-01"), (S.SUBMITTED, "2023-04-15"), (S.APPROVED, "2023-09-30")],
    ),
    (
        36,
        RecognitionKind.FIRST_BATCH,
        Level.PROVINCIAL,
        "高导热封装材料",
        "",
        [(S.PREPARING, "2025-02-01"), (S.SUBMITTED, "2025-04-15"), (S.APPROVED, "2025-10-30")],
    ),
    (
        41,
        RecognitionKind.FIRST_VERSION,
        Level.PROVINCIAL,
        "工业视觉检测软件V2.0",
        "",
        [(S.PREPARING, "2026-03-01"), (S.SUBMITTED, "2026-05-15")],
    ),
]


def seed_recognitions(scale: int = 0) -> str:
    created = 0
    for index, kind, level, product, title, flow in RECOGNITIONS:
        enterprise = _enterprise(index)
        if enterprise is None:
            continue
        if PlatformRecognition.objects.filter(
            enterprise=enterprise, kind=kind, level=level, product_name=product
        ).exists():
            continue
        first_day = datetime.date.fromisoformat(flow[0][1])
        app = PlatformRecognition(
            enterprise=enterprise,
            kind=kind,
            level=level,
            product_name=product,
            title=title,
            batch_year=first_day.year,
        )
        approved = next((d for s, d in flow if s == S.APPROVED), None)
        approve = None
        if approved:
            day = datetime.date.fromisoformat(approved)
            approve = {
                "certificate_no": f"{day.year}-{kind[:2].upper()}-{index:03d}",
                "valid_from": day,
                "valid_to": day.replace(year=day.year + 3) - datetime.timedelta(days=1),
            }
        candidate_day = (first_day - datetime.timedelta(days=30)).isoformat()
        _run_flow(app, [(S.CANDIDATE, candidate_day), *flow], approve=approve)
        created += 1
    return f"{created} 个平台认定" if created else ""


def seed_scale(scale: int = 0) -> str:
    """With --scale: one R&D platform and one recognition for every synthetic enterprise
    (every third approved, the rest at a stage of the pipeline), with their first history
    row, for benchmarks. Only what is missing is created."""
    if not scale:
        return ""
    from django.contrib.contenttypes.models import ContentType

    from bureau.models import ApplicationTransition

    synthetic = Enterprise.objects.filter(name__contains="号有限公司")
    todo = list(synthetic.exclude(rd_platforms__isnull=False).order_by("pk"))
    if not todo:
        return ""
    kinds = list(RDPlatformKind.objects.all())
    stages = [S.APPROVED, S.PREPARING, S.SUBMITTED, S.UNDER_REVIEW, S.CANDIDATE, S.REJECTED]
    platforms, recognitions = [], []
    for n, enterprise in enumerate(todo):
        status = stages[n % len(stages)]
        day = datetime.date(2023 + n % 3, 1 + n % 12, 1 + n % 28)
        common = {
            "status": status,
            "level": [Level.PROVINCIAL, Level.MUNICIPAL, Level.NATIONAL][n % 3],
            "batch_year": day.year,
            "status_changed_at": _at(day.isoformat()),
            "approved_on": day if status == S.APPROVED else None,
        }
        platforms.append(
            RDPlatform(
                enterprise=enterprise,
                kind=kinds[n % len(kinds)],
                name=f"{enterprise.name.removesuffix('有限公司')}研发中心",
                **common,
            )
        )
        kind = list(RecognitionKind)[n % len(RecognitionKind)]
        recognitions.append(
            PlatformRecognition(
                enterprise=enterprise,
                kind=kind,
                product_name=f"产品{n}" if kind in PRODUCT_KINDS else "",
                **common,
            )
        )
    RDPlatform.objects.bulk_create(platforms, batch_size=2000)
    PlatformRecognition.objects.bulk_create(recognitions, batch_size=2000)
    transitions = [
        ApplicationTransition(
            content_type=ContentType.objects.get_for_model(type(app)),
            object_id=app.pk,
            from_status="",
            to_status=app.status,
            at=app.status_changed_at,
            remark="合成数据",
        )
        for app in [*platforms, *recognitions]
    ]
    ApplicationTransition.objects.bulk_create(transitions, batch_size=2000)
    return f"合成研发平台 {len(platforms)} 个、平台认定 {len(recognitions)} 个"


STEPS = [
    (120, seed_incubators),
    (130, seed_platforms),
    (140, seed_recognitions),
    (150, seed_scale),
]
