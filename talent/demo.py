"""Demo data of section (三): the 2024 roster (195 executives, 24 deputy-senior titles and above,
33 master's degrees and above), 18 enterprises cooperating with universities and institutes,
13 enterprises with technology demands, talent applications, trainings and exchanges, and the
planned exchanges with 南京理工大学 and 中国电子科技集团第五十五研究所.

Every step only creates what is missing, so `seed_demo` run twice changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bureau.models import Activity, ActivityKind, ApplicationStatus, Level
from bureau.services import record_initial_status, transition_application
from enterprises.demo import demo_code
from enterprises.models import Enterprise

from .models import (
    AgreementKind,
    CooperationAgreement,
    DemandMatch,
    DemandStatus,
    Education,
    Gender,
    Institution,
    InstitutionKind,
    MatchStatus,
    Talent,
    TalentActivity,
    TalentActivityStatus,
    TalentApplication,
    TalentCategory,
    TalentProgramme,
    TechField,
    TechnologyDemand,
    TitleLevel,
)
from .services import demand_profile, institution_profiles

# The seed's 2024 figures (DESIGN.md, section 三).
EXECUTIVES_2024 = 195
DEPUTY_SENIOR_2024 = 24
MASTER_2024 = 33
COOPERATING_ENTERPRISES_2024 = 18
DEMAND_ENTERPRISES_2024 = 13

OTHER_TALENTS_2024 = 72  # technical backbones, researchers, skilled staff on the same roster
LEFT_IN_2024 = 6  # executives registered in 2023 who left during 2024

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁")
GIVEN = list("伟强军磊勇杰涛明峰斌超鹏浩宇晨刚华建国志平丽娟敏静芳燕霞玲婷雪琳颖洁")
FIELDS = [
    "光电显示",
    "集成电路",
    "电子信息",
    "机械设计制造",
    "材料科学",
    "电气工程",
    "软件工程",
    "化学工程",
    "工商管理",
    "财务管理",
]
TITLES = {
    TitleLevel.SENIOR: ["正高级工程师", "研究员级高级工程师"],
    TitleLevel.DEPUTY_SENIOR: ["高级工程师", "高级经济师", "高级会计师"],
    TitleLevel.INTERMEDIATE: ["工程师", "经济师", "会计师"],
    TitleLevel.JUNIOR: ["助理工程师", "技术员"],
    TitleLevel.NONE: [""],
}
EXECUTIVE_POSITIONS = ["董事长", "总经理", "副总经理", "技术总监", "财务总监", "生产总监"]

INSTITUTIONS = [
    (
        "南京理工大学",
        "南理工",
        InstitutionKind.UNIVERSITY,
        "南京",
        "光电显示、电子信息、智能制造、新材料",
        "光学工程、光电成像与探测、红外热成像与微光夜视、激光技术与激光加工、精密测控仪器、"
        "先进制造与智能机器人、电子信息与信号处理",
        "科技处 周老师",
    ),
    (
        "中国电子科技集团第五十五研究所",
        "中电科55所",
        InstitutionKind.RESEARCH_INSTITUTE,
        "南京",
        "集成电路、电子信息、光电显示",
        "化合物半导体（砷化镓、氮化镓、碳化硅）外延与器件、功率半导体器件、微波毫米波单片集成电路、"
        "射频模块与多芯片封装测试、平板显示与硅基OLED微显示",
        "科技发展部 陈工",
    ),
    (
        "合肥工业大学",
        "合工大",
        InstitutionKind.UNIVERSITY,
        "合肥",
        "智能制造、汽车及零部件、新材料、电子信息",
        "汽车工程与车身轻量化、机械设计制造及自动化、数控装备、工业机器人、材料成型与模具设计、"
        "电机与电力电子控制",
        "科研院 李老师",
    ),
    (
        "中国科学技术大学",
        "中国科大",
        InstitutionKind.UNIVERSITY,
        "合肥",
        "电子信息、软件与信息服务、新材料、集成电路",
        "人工智能与机器学习、计算机视觉与图像识别、语音识别、大数据分析、微纳电子、芯片设计、高分子材料",
        "技术转移中心 王老师",
    ),
    (
        "安徽大学",
        "安大",
        InstitutionKind.UNIVERSITY,
        "合肥",
        "电子信息、集成电路、软件与信息服务",
        "集成电路设计（模拟芯片、存储器）、物联网、无线通信与射频识别、电子元器件可靠性、智能传感器",
        "科学技术处 张老师",
    ),
    (
        "中国科学院合肥物质科学研究院",
        "合肥物质院",
        InstitutionKind.RESEARCH_INSTITUTE,
        "合肥",
        "新能源、新材料、节能环保、智能制造",
        "太阳能光伏与薄膜、环境监测光谱仪器、大气与水污染在线监测、先进功能材料、特种机器人与智能装备、传感器",
        "成果转化处 刘老师",
    ),
    (
        "安徽农业大学",
        "安农大",
        InstitutionKind.UNIVERSITY,
        "合肥",
        "食品加工、生物医药、节能环保",
        "茶叶与农产品加工、农产品保鲜与贮藏、食品安全检测、发酵工程、农业废弃物资源化利用",
        "科技处 吴老师",
    ),
    (
        "安徽工程大学",
        "安工程",
        InstitutionKind.UNIVERSITY,
        "芜湖",
        "智能制造、新材料、节能环保",
        "纺织服装工程、功能纤维与非织造材料、印染废水处理、机器人装备、电气自动化",
        "科技处 孙老师",
    ),
]

# Agreements in force in 2024 (enterprise slot, institution index, kind, title, signed, end, 万元).
AGREEMENTS = [
    (0, 1, AgreementKind.COMMISSIONED_RD, "氮化镓功率器件工艺优化", "2023-05-12", "2025-05-11", 80),
    (1, 0, AgreementKind.JOINT_LAB, "光电成像联合实验室", "2022-09-01", "2025-08-31", 150),
    (2, 1, AgreementKind.TECH_SERVICE, "射频模块封装测试服务", "2024-03-18", "2024-12-31", 35),
    (3, 4, AgreementKind.COMMISSIONED_RD, "低功耗传感器芯片设计", "2024-04-02", "2025-10-01", 60),
    (4, 2, AgreementKind.TECH_TRANSFER, "数控装备在线检测技术转让", "2023-11-20", None, 45),
    (5, 3, AgreementKind.COMMISSIONED_RD, "产品外观缺陷视觉检测", "2024-06-15", "2025-06-14", 50),
    (6, 5, AgreementKind.TECH_SERVICE, "光伏组件可靠性测试", "2024-02-26", "2025-02-25", 28),
    (
        7,
        0,
        AgreementKind.TALENT_TRAINING,
        "光学工程在职研究生联合培养",
        "2023-09-01",
        "2026-07-01",
        30,
    ),
    (8, 2, AgreementKind.JOINT_LAB, "智能装备工程技术研究中心共建", "2022-12-10", None, 200),
    (9, 7, AgreementKind.COMMISSIONED_RD, "功能非织造材料开发", "2024-07-08", "2025-12-31", 40),
    (10, 3, AgreementKind.TECH_SERVICE, "生产数据采集与分析平台", "2024-05-20", "2025-05-19", 55),
    (11, 6, AgreementKind.TECH_TRANSFER, "食品保鲜工艺技术转让", "2023-04-16", None, 25),
    (12, 5, AgreementKind.COMMISSIONED_RD, "VOCs在线监测模块研制", "2024-08-30", "2026-08-29", 90),
    (
        13,
        4,
        AgreementKind.TALENT_TRAINING,
        "电子信息工程实习实训基地",
        "2024-03-01",
        "2027-02-28",
        12,
    ),
    (
        14,
        2,
        AgreementKind.COMMISSIONED_RD,
        "车身铝合金冲压件轻量化",
        "2024-09-12",
        "2026-03-11",
        70,
    ),
    (15, 1, AgreementKind.TECH_SERVICE, "微波组件可靠性评价", "2024-10-09", "2025-04-08", 22),
    (16, 0, AgreementKind.COMMISSIONED_RD, "激光精密焊接工艺开发", "2024-11-05", "2025-11-04", 48),
    (17, 7, AgreementKind.TECH_SERVICE, "印染废水处理工艺改造", "2024-06-03", "2024-12-15", 18),
    (0, 0, AgreementKind.TALENT_TRAINING, "光电专业人才订单培养", "2024-09-01", "2027-06-30", 15),
    (5, 3, AgreementKind.TALENT_TRAINING, "人工智能应用人才培训", "2024-10-10", "2025-10-09", 10),
]
# Ended before 2024: the enterprise is not counted as cooperating in 2024.
ENDED_AGREEMENTS = [
    (18, 2, AgreementKind.TECH_SERVICE, "注塑模具设计咨询", "2022-03-01", "2023-06-30", 8),
    (19, 6, AgreementKind.TECH_SERVICE, "产品检测技术服务", "2022-08-01", "2023-07-31", 6),
]

# 2024 demands (enterprise slot in DEMAND_SLOTS, title, description, field, budget 万元, status).
DEMANDS = [
    (
        0,
        "氮化镓器件高温可靠性提升",
        "GaN功率器件高温老化后漏电流增大，需要开展失效分析和工艺优化。",
        TechField.INTEGRATED_CIRCUITS,
        60,
        DemandStatus.IN_COOPERATION,
    ),
    (
        1,
        "红外热像仪非均匀性校正",
        "红外热像仪图像存在非均匀性和盲元，需要校正算法与标定设备。",
        TechField.OPTOELECTRONICS,
        40,
        DemandStatus.MATCHED,
    ),
    (
        2,
        "产品外观缺陷机器视觉检测",
        "希望用深度学习和计算机视觉自动检测产品外观缺陷，替代人工目检。",
        TechField.SOFTWARE,
        50,
        DemandStatus.MATCHED,
    ),
    (
        3,
        "毫米波射频前端模块封装",
        "研发毫米波射频前端模块，需要多芯片封装与测试技术支持。",
        TechField.ELECTRONICS,
        80,
        DemandStatus.OPEN,
    ),
    (
        4,
        "低功耗模拟前端芯片",
        "开发用于智能传感器的低功耗模拟前端芯片，缺少芯片设计和流片经验。",
        TechField.INTEGRATED_CIRCUITS,
        120,
        DemandStatus.OPEN,
    ),
    (
        5,
        "光伏组件转换效率提升",
        "优化光伏电池组件减反射镀膜工艺，提高转换效率。",
        TechField.NEW_ENERGY,
        70,
        DemandStatus.IN_COOPERATION,
    ),
    (
        6,
        "车身铝合金冲压成型",
        "冲压件由钢改铝，需要模具设计与成型工艺仿真支持。",
        TechField.AUTOMOTIVE,
        65,
        DemandStatus.IN_COOPERATION,
    ),
    (
        7,
        "工业机器人自动上下料",
        "冲压产线上下料需要工业机器人配合视觉定位实现自动化。",
        TechField.SMART_MANUFACTURING,
        45,
        DemandStatus.OPEN,
    ),
    (
        8,
        "茶饮料保鲜与风味稳定",
        "茶饮料货架期内风味衰减明显，需要保鲜工艺和品质检测。",
        TechField.FOOD,
        20,
        DemandStatus.SOLVED,
    ),
    (
        9,
        "医用防护非织造布",
        "开发医用防护用非织造布，提升过滤效率。",
        TechField.NEW_MATERIALS,
        30,
        DemandStatus.OPEN,
    ),
    (
        10,
        "园区VOCs在线监测",
        "需要挥发性有机物在线监测光谱仪器及数据平台。",
        TechField.ENVIRONMENT,
        55,
        DemandStatus.SOLVED,
    ),
    (
        11,
        "硅基OLED微显示驱动",
        "开发硅基OLED微显示器件，需要显示驱动与器件工艺支持。",
        TechField.OPTOELECTRONICS,
        150,
        DemandStatus.OPEN,
    ),
    (
        12,
        "驱动电机控制器开发",
        "新能源汽车驱动电机控制器的开发与电磁兼容测试。",
        TechField.AUTOMOTIVE,
        90,
        DemandStatus.OPEN,
    ),
    (
        0,
        "碳化硅MOSFET器件工艺",
        "碳化硅MOSFET器件研发，需要外延和器件工艺技术。",
        TechField.INTEGRATED_CIRCUITS,
        200,
        DemandStatus.OPEN,
    ),
    (
        3,
        "射频识别标签天线优化",
        "超高频RFID电子标签读取距离短，需优化天线设计。",
        TechField.ELECTRONICS,
        15,
        DemandStatus.SOLVED,
    ),
    (
        5,
        "生产设备数据采集",
        "设备数据分散，需要建设数据采集与分析平台。",
        TechField.SOFTWARE,
        35,
        DemandStatus.OPEN,
    ),
]

PLANNED_EXCHANGES = [
    (
        "南京理工大学",
        datetime.date(2025, 1, 9),
        "邀请南京理工大学来区交流座谈：电子信息产业产学研合作",
    ),
    (
        "中国电子科技集团第五十五研究所",
        datetime.date(2025, 1, 16),
        "邀请中国电子科技集团第五十五研究所来区交流座谈：集成电路产业双边合作",
    ),
]


def _enterprises() -> list[Enterprise]:
    """The 240 demo enterprises in order (empty when the registry's demo step did not run)."""
    if not Enterprise.objects.filter(credit_code=demo_code(0)).exists():
        return []
    return list(Enterprise.objects.order_by("pk")[:240])


def _electronics(enterprises: list[Enterprise]) -> list[Enterprise]:
    """Electronic-information firms first: the zone's cooperation is centred on them."""
    electronic = [e for e in enterprises if e.industry_division == "39"]
    return electronic + [e for e in enterprises if e.industry_division != "39"]


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    )
    phone = rng.choice(["139", "138", "151", "186", "177"]) + f"{rng.randint(0, 99_999_999):08d}"
    gender = Gender.FEMALE if name[-1] in "丽娟敏静芳燕霞玲婷雪琳颖洁" else Gender.MALE
    return name, phone, gender


def seed_roster(scale: int = 0) -> str:
    """The 2024 roster: 195 executives; 24 deputy-senior titles and above and 33 master's
    degrees and above among all talents; plus executives who left during 2024."""
    enterprises = _enterprises()
    if not enterprises or Talent.objects.filter(enterprise__in=enterprises).exists():
        return ""
    rng = random.Random(3)
    talents: list[Talent] = []
    # 195 executives over 120 enterprises: 75 with two, 45 with one.
    for i in range(120):
        for _k in range(2 if i < 75 else 1):
            name, phone, gender = _person(rng)
            talents.append(
                Talent(
                    enterprise=enterprises[i],
                    name=name,
                    phone=phone,
                    gender=gender,
                    category=TalentCategory.EXECUTIVE,
                    position=rng.choice(EXECUTIVE_POSITIONS),
                    birth_year=rng.randint(1962, 1990),
                    registered_on=datetime.date(2024, 3, 1)
                    + datetime.timedelta(days=rng.randint(0, 240)),
                )
            )
    others = [TalentCategory.TECH_BACKBONE, TalentCategory.RESEARCHER, TalentCategory.SKILLED]
    electronic = _electronics(enterprises)
    for j in range(OTHER_TALENTS_2024):
        name, phone, gender = _person(rng)
        talents.append(
            Talent(
                enterprise=electronic[j % 40],
                name=name,
                phone=phone,
                gender=gender,
                category=others[j % len(others)],
                position=rng.choice(["研发经理", "工艺工程师", "质量主管", "项目负责人"]),
                birth_year=rng.randint(1970, 1998),
                registered_on=datetime.date(2024, 4, 1)
                + datetime.timedelta(days=rng.randint(0, 200)),
            )
        )
    # Titles and degrees: exactly the seed's counts among the 2024 roster.
    indices = list(range(len(talents)))
    senior = set(rng.sample(indices, DEPUTY_SENIOR_2024))
    masters = set(rng.sample(indices, MASTER_2024))
    senior_list = sorted(senior)
    for n, i in enumerate(indices):
        t = talents[i]
        if i in senior:
            t.title_level = (
                TitleLevel.SENIOR if senior_list.index(i) < 5 else TitleLevel.DEPUTY_SENIOR
            )
        else:
            t.title_level = rng.choice(
                [TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR, TitleLevel.NONE]
            )
        t.title = rng.choice(TITLES[TitleLevel(t.title_level)])
        if i in masters:
            t.education = Education.DOCTORATE if n % 5 == 0 else Education.MASTER
        else:
            t.education = rng.choice(
                [Education.BACHELOR, Education.BACHELOR, Education.COLLEGE, Education.SECONDARY]
            )
        t.field = rng.choice(FIELDS)
        if rng.random() < 0.4:
            t.email = f"hr{i:03d}@demo-enterprise.cn"
    # Executives registered in 2023 who left in 2024: on the 2023 roster, not on 2024's.
    for k in range(LEFT_IN_2024):
        name, phone, gender = _person(rng)
        talents.append(
            Talent(
                enterprise=enterprises[200 + k],
                name=name,
                phone=phone,
                gender=gender,
                category=TalentCategory.EXECUTIVE,
                position="副总经理",
                birth_year=1975,
                title_level=TitleLevel.NONE,
                education=Education.BACHELOR,
                registered_on=datetime.date(2023, 6, 1),
                left_on=datetime.date(2024, 8, 31),
            )
        )
    bulk_create_with_history(talents, Talent, batch_size=1000)
    return f"{len(talents)} 名人才"


def seed_institutions(scale: int = 0) -> str:
    created = 0
    for name, short, kind, city, fields, capabilities, contact in INSTITUTIONS:
        _obj, new = Institution.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "city": city,
                "research_fields": fields,
                "capabilities": capabilities,
                "contact_person": contact,
            },
        )
        created += new
    return f"{created} 所高校院所" if created else ""


def _institutions() -> list[Institution]:
    by_name = {i.name: i for i in Institution.objects.all()}
    return [by_name[row[0]] for row in INSTITUTIONS]


def seed_cooperation(scale: int = 0) -> str:
    """20 agreements in force in 2024 (18 enterprises) and 2 that ended in 2023."""
    enterprises = _enterprises()
    if not enterprises or CooperationAgreement.objects.filter(enterprise__in=enterprises).exists():
        return ""
    slots = _electronics(enterprises)
    institutions = _institutions()
    rows = []
    for slot, inst, kind, title, signed, end, wan in AGREEMENTS + ENDED_AGREEMENTS:
        signed_on = _date(signed)
        rows.append(
            CooperationAgreement(
                enterprise=slots[slot],
                institution=institutions[inst],
                kind=kind,
                title=title,
                signed_on=signed_on,
                start_on=signed_on,
                end_on=_date(end),
                value=Decimal(wan) * 10000,
            )
        )
    bulk_create_with_history(rows, CooperationAgreement)
    return f"{len(rows)} 份产学研合作协议"


def _demand_enterprises(enterprises: list[Enterprise]) -> list[Enterprise]:
    """13 enterprises with demands: three already cooperating (slots 0, 5, 14 of the
    cooperation list), ten that are not."""
    slots = _electronics(enterprises)
    cooperating = [slots[0], slots[5], slots[14]]
    others = [e for e in slots[20:] if e.industry_division in ("39", "36", "35", "14", "17", "77")]
    return [cooperating[0], *others[:4], slots[5], slots[14], *others[4:10]]


@transaction.atomic
def seed_demands(scale: int = 0) -> str:
    """16 demands raised in 2024 by 13 enterprises, matched and turned into agreements where
    their status says so."""
    enterprises = _enterprises()
    if not enterprises or TechnologyDemand.objects.filter(enterprise__in=enterprises).exists():
        return ""
    owners = _demand_enterprises(enterprises)
    profiles = institution_profiles(Institution.objects.all())
    by_id = {i.pk: i for i in Institution.objects.all()}
    rng = random.Random(13)
    created = 0
    for slot, title, description, field, wan, status in DEMANDS:
        raised = datetime.date(2024, 2, 1) + datetime.timedelta(days=rng.randint(0, 280))
        demand = TechnologyDemand.objects.create(
            enterprise=owners[slot],
            title=title,
            description=description,
            field=field,
            budget=Decimal(wan) * 10000,
            raised_on=raised,
            deadline=raised + datetime.timedelta(days=365),
            status=status,
        )
        created += 1
        if status == DemandStatus.OPEN:
            continue
        from .matching import rank_institutions

        best = rank_institutions(demand_profile(demand), profiles, limit=1)[0]
        match = DemandMatch(
            demand=demand,
            institution=by_id[best.institution_id],
            score=Decimal(str(best.score)),
            reasons="；".join(best.reasons),
            confirmed_at=_aware(raised + datetime.timedelta(days=20)),
        )
        if status == DemandStatus.IN_COOPERATION:
            # Only cooperating enterprises' demands are in cooperation in the demo (DEMANDS slots
            # 0, 5 and 6), so the 18 cooperating enterprises stay 18. Their agreement with the
            # matched institution, or a new one. Solved demands were settled by consultation.
            agreement = (
                CooperationAgreement.objects.filter(
                    enterprise=demand.enterprise, institution=match.institution, demand__isnull=True
                )
                .order_by("signed_on")
                .first()
            )
            if agreement is None:
                signed = raised + datetime.timedelta(days=45)
                agreement = CooperationAgreement.objects.create(
                    enterprise=demand.enterprise,
                    institution=match.institution,
                    kind=AgreementKind.COMMISSIONED_RD,
                    title=demand.title,
                    signed_on=signed,
                    start_on=signed,
                    end_on=signed + datetime.timedelta(days=365),
                    value=demand.budget,
                )
            agreement.demand = demand
            agreement.save(update_fields=["demand"])
            match.agreement = agreement
            match.status = MatchStatus.AGREEMENT
        match.save()
    return f"{created} 项技术需求"


def seed_applications(scale: int = 0) -> str:
    """2024 talent applications through the pipeline, with amounts granted and paid."""
    enterprises = _enterprises()
    if not enterprises or TalentApplication.objects.filter(enterprise__in=enterprises).exists():
        return ""
    programmes = {p.code: p for p in TalentProgramme.objects.all()}
    senior = list(
        Talent.objects.filter(
            enterprise__in=enterprises,
            title_level__in=(TitleLevel.SENIOR, TitleLevel.DEPUTY_SENIOR),
        ).order_by("pk")
    )
    masters = list(
        Talent.objects.filter(
            enterprise__in=enterprises, education__in=(Education.DOCTORATE, Education.MASTER)
        ).order_by("pk")
    )
    plan = [
        # (programme, talent, final status, granted 元, paid 元)
        *[
            (
                "high_level_talent",
                senior[i],
                ApplicationStatus.APPROVED,
                200000,
                200000 if i < 3 else 100000,
            )
            for i in range(5)
        ],
        *[
            ("high_level_talent", senior[5 + i], ApplicationStatus.UNDER_REVIEW, None, None)
            for i in range(3)
        ],
        ("high_level_talent", senior[8], ApplicationStatus.REJECTED, None, None),
        *[
            (
                "housing_subsidy",
                masters[i],
                ApplicationStatus.APPROVED,
                50000 if masters[i].education == Education.DOCTORATE else 30000,
                30000 if i < 8 else 0,
            )
            for i in range(12)
        ],
        *[
            ("housing_subsidy", masters[12 + i], ApplicationStatus.SUBMITTED, None, None)
            for i in range(4)
        ],
        ("flexible_recruitment", senior[9], ApplicationStatus.APPROVED, 80000, 40000),
    ]
    paths = {
        ApplicationStatus.SUBMITTED: [ApplicationStatus.PREPARING, ApplicationStatus.SUBMITTED],
        ApplicationStatus.UNDER_REVIEW: [
            ApplicationStatus.PREPARING,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.UNDER_REVIEW,
        ],
        ApplicationStatus.APPROVED: [
            ApplicationStatus.PREPARING,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.APPROVED,
        ],
        ApplicationStatus.REJECTED: [
            ApplicationStatus.PREPARING,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.REJECTED,
        ],
    }
    for n, (code, talent, final, granted, paid) in enumerate(plan):
        start = datetime.date(2024, 3, 1) + datetime.timedelta(days=7 * n)
        app = TalentApplication.objects.create(
            programme=programmes[code],
            enterprise=talent.enterprise,
            talent=talent,
            batch_year=2024,
            amount_requested=Decimal(granted or 50000),
            status_changed_at=_aware(start),
        )
        record_initial_status(app, remark="演示数据")
        for step, status in enumerate(paths[final], start=1):
            fields = {}
            if status == ApplicationStatus.APPROVED:
                fields = {
                    "amount_granted": Decimal(granted),
                    "amount_paid": Decimal(paid),
                    "paid_on": start + datetime.timedelta(days=90) if paid else None,
                    "level": Level.COUNTY,
                }
            transition_application(
                app, status, at=_aware(start + datetime.timedelta(days=15 * step)), **fields
            )
    return f"{len(plan)} 项人才项目申报"


def seed_talent_activities(scale: int = 0) -> str:
    """Talent details for the bureau's 2024 trainings and exchanges, and the two planned
    exchanges with 南京理工大学 and 中国电子科技集团第五十五研究所."""
    enterprises = _enterprises()
    if not enterprises:
        return ""
    done = []
    institutions = {i.name: i for i in Institution.objects.all()}
    rng = random.Random(9)
    held = (
        Activity.objects.filter(
            kind__code__in=("training", "exchange", "site_visit"),
            date__year=2024,
            talent_detail__isnull=True,
        )
        .prefetch_related("enterprises")
        .order_by("date", "pk")
    )
    n = 0
    for activity in held:
        detail = TalentActivity.objects.create(activity=activity, status=TalentActivityStatus.HELD)
        pool = list(
            Talent.objects.filter(enterprise__in=activity.enterprises.all(), left_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        detail.talents.set(rng.sample(pool, min(12, len(pool))))
        if activity.kind.code == "exchange":
            detail.institutions.set([institutions[INSTITUTIONS[n % 4][0]]])
        n += 1
    if n:
        done.append(f"{n} 次培训交流的参与人才")
    exchange = ActivityKind.objects.get(code="exchange")
    electronic = [e for e in _electronics(enterprises) if e.industry_division == "39"][:15]
    planned = 0
    for name, day, topic in PLANNED_EXCHANGES:
        if Activity.objects.filter(topic=topic).exists():
            continue
        activity = Activity.objects.create(
            kind=exchange,
            date=day,
            topic=topic,
            place="开发区管委会",
            notes="围绕电子信息和集成电路产业加强双边合作交流",
        )
        activity.enterprises.set(electronic)
        detail = TalentActivity.objects.create(
            activity=activity,
            status=TalentActivityStatus.PLANNED,
            planned_on=datetime.date(2024, 12, 10),
        )
        detail.institutions.set([institutions[name]])
        planned += 1
    if planned:
        done.append(f"{planned} 次拟开展的院所交流")
    return "；".join(done)


def seed_scale_talents(scale: int = 0) -> str:
    """With --scale: the synthetic enterprises get records in the demo's proportions."""
    from enterprises.demo import clone_for_synthetic

    from .models import Talent

    return clone_for_synthetic(Talent, scale=scale, label="人才")


STEPS = [
    (500, seed_roster),
    (510, seed_institutions),
    (520, seed_cooperation),
    (530, seed_demands),
    (540, seed_applications),
    (550, seed_talent_activities),
    (783, seed_scale_talents),
]
