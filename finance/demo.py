"""Demo data of technology finance: the seed's section (五) for 2024, and some of 2025–2026.

2024: quarterly 政银推进会 with the county finance centre, four 银企对接会 whose on-site signings
add up to exactly 2亿元, the products 智造贷 and 善科贷 launched that year, and the 科技担 scheme
with 中国银行 and the provincial technology guarantee company at its judicial-review stage
(合同已拟定, 正在进行司法审查). Which banks offer 智造贷 and 善科贷 the seed does not say; the
demo assigns them to two local banks.
"""

import datetime
from decimal import Decimal

from bureau.models import ActivityKind

from .models import (
    FINANCE_ACTIVITY_KINDS,
    GOV_BANK_MEETING,
    MATCHMAKING,
    Branch,
    Contact,
    FinanceEvent,
    FinancialProduct,
    GuaranteeScheme,
    Institution,
    InstitutionKind,
    NeedSource,
    NeedStatus,
    ProductKind,
    ProductStatus,
)
from .services import (
    advance_scheme,
    create_event,
    post_need,
    record_disbursement,
    record_signing,
    start_scheme,
)

WAN = Decimal(10000)
BOC = "中国银行股份有限公司舒城支行"
GUARANTOR = "安徽省科技融资担保有限公司"
HUISHANG = "徽商银行股份有限公司舒城支行"
RCB = "安徽舒城农村商业银行股份有限公司"
ABC = "中国农业银行股份有限公司舒城县支行"
CCB = "中国建设银行股份有限公司舒城支行"
CO_ORGANIZER = "舒城县金融服务中心"

# (name, short name, kind, branch, contact name, contact title)
INSTITUTIONS = [
    (BOC, "中国银行", InstitutionKind.BANK, "开发区营业部", "周经理", "公司业务部经理"),
    (HUISHANG, "徽商银行", InstitutionKind.BANK, "经开区支行", "李经理", "客户经理"),
    (RCB, "舒城农商银行", InstitutionKind.BANK, "开发区支行", "王经理", "小微金融部经理"),
    (ABC, "农业银行", InstitutionKind.BANK, "城关支行", "陈经理", "客户经理"),
    (CCB, "建设银行", InstitutionKind.BANK, "舒城支行营业部", "刘经理", "普惠金融部经理"),
    (GUARANTOR, "省科技担保", InstitutionKind.GUARANTOR, "", "张经理", "业务一部负责人"),
]

# (name, provider, kind, min/max 万元, min/max rate %, min/max term months, collateral,
#  tiers, launched_on)
PRODUCTS = [
    (
        "智造贷",
        HUISHANG,
        ProductKind.CREDIT_LOAN,
        (50, 1000),
        ("3.45", "4.35"),
        (6, 36),
        False,
        ["tech_sme", "specialised_sme", "hitech", "little_giant"],
        datetime.date(2024, 4, 8),
    ),
    (
        "善科贷",
        RCB,
        ProductKind.CREDIT_LOAN,
        (30, 500),
        ("3.65", "4.80"),
        (6, 24),
        False,
        ["tech_sme", "innovative_sme", "hitech"],
        datetime.date(2024, 6, 3),
    ),
    (
        "知识产权质押贷",
        ABC,
        ProductKind.IP_PLEDGE,
        (100, 2000),
        ("3.50", "4.50"),
        (12, 36),
        True,
        ["hitech", "specialised_sme"],
        datetime.date(2022, 5, 16),
    ),
    (
        "科技信用贷",
        CCB,
        ProductKind.CREDIT_LOAN,
        (50, 3000),
        ("3.20", "4.20"),
        (6, 36),
        False,
        ["hitech", "little_giant", "specialised_sme"],
        datetime.date(2023, 3, 1),
    ),
    (
        "中银科技担保贷",
        BOC,
        ProductKind.GUARANTEE_LOAN,
        (100, 1000),
        ("3.30", "3.90"),
        (12, 36),
        False,
        ["tech_sme", "innovative_sme", "hitech", "specialised_sme"],
        None,
    ),
    (
        "供应链订单贷",
        BOC,
        ProductKind.SUPPLY_CHAIN,
        (100, 3000),
        ("3.40", "4.60"),
        (3, 12),
        True,
        [],
        datetime.date(2021, 9, 1),
    ),
]

# Matchmaking events of 2024 with the on-site signings (万元, bank): 4 × 5000万 = 2亿元.
MATCHMAKING_2024 = [
    (
        datetime.date(2024, 4, 18),
        "2024年第一期银企对接会",
        [(1500, HUISHANG), (800, RCB), (1200, CCB), (500, RCB), (1000, ABC)],
    ),
    (
        datetime.date(2024, 6, 27),
        "2024年第二期银企对接会（科技型中小企业专场）",
        [(2000, CCB), (600, RCB), (900, HUISHANG), (1500, BOC)],
    ),
    (
        datetime.date(2024, 9, 19),
        "2024年第三期银企对接会",
        [(1000, HUISHANG), (1000, ABC), (800, RCB), (700, HUISHANG), (1500, CCB)],
    ),
    (
        datetime.date(2024, 11, 21),
        "2024年第四期银企对接会（光电信息产业专场）",
        [(3000, BOC), (500, RCB), (1000, HUISHANG), (500, RCB)],
    ),
]
GOV_BANK_2024 = [
    datetime.date(2024, 3, 14),
    datetime.date(2024, 6, 13),
    datetime.date(2024, 9, 5),
    datetime.date(2024, 12, 12),
]
LATER_MATCHMAKING = [
    (
        datetime.date(2025, 3, 20),
        "2025年第一期银企对接会",
        [(800, HUISHANG), (1200, BOC), (500, RCB)],
    ),
    (
        datetime.date(2025, 9, 25),
        "2025年第二期银企对接会",
        [(1500, CCB), (600, RCB)],
    ),
    (datetime.date(2026, 12, 17), "2026年第二期银企对接会", []),
]
PURPOSES = [
    "采购原材料，补充流动资金",
    "购置生产设备，扩大产能",
    "研发投入及中试线建设",
    "新产品量产备货",
    "偿还到期贷款，周转资金",
]


def _demo_enterprises():
    from enterprises.models import Enterprise

    return list(Enterprise.objects.order_by("pk")[:240])


def seed_institutions(scale: int = 0) -> str:
    created = 0
    for name, short, kind, branch, person, title in INSTITUTIONS:
        inst, new = Institution.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "address": "安徽省舒城县"}
        )
        created += new
        if not new:
            continue
        b = (
            Branch.objects.create(institution=inst, name=branch, phone="0564-8600000")
            if branch
            else None
        )
        Contact.objects.create(
            institution=inst, branch=b, name=person, title=title, phone="0564-8600000"
        )
    return f"{created} 家金融机构" if created else ""


def seed_products(scale: int = 0) -> str:
    by_name = {i.name: i for i in Institution.objects.all()}
    created = 0
    for name, provider, kind, amounts, rates, terms, collateral, tiers, launched in PRODUCTS:
        _p, new = FinancialProduct.objects.get_or_create(
            provider=by_name[provider],
            name=name,
            defaults={
                "kind": kind,
                "min_amount": amounts[0] * WAN,
                "max_amount": amounts[1] * WAN,
                "min_rate": Decimal(rates[0]),
                "max_rate": Decimal(rates[1]),
                "min_term_months": terms[0],
                "max_term_months": terms[1],
                "requires_collateral": collateral,
                "collateral_note": "知识产权、应收账款或设备抵押" if collateral else "",
                "eligible_tiers": tiers,
                "eligible_sizes": ["medium", "small", "micro"],
                "status": ProductStatus.ACTIVE,
                "launched_on": launched,
                "description": "面向开发区科技型企业的金融产品。",
            },
        )
        created += new
    return f"{created} 个金融产品" if created else ""


def seed_scheme(scale: int = 0) -> str:
    """科技担 with 中国银行 and the provincial technology guarantee company, at 司法审查."""
    if GuaranteeScheme.objects.filter(name="科技担").exists():
        return ""
    bank = Institution.objects.get(name=BOC)
    scheme = start_scheme(
        started_on=datetime.date(2024, 3, 20),
        remark="与中国银行、省科技担保公司对接，研究设立“科技担”产品",
        name="科技担",
        bank=bank,
        guarantor=Institution.objects.get(name=GUARANTOR),
        compensation_fund=1000 * WAN,
        amplification_multiple=Decimal("10"),
        total_line=10000 * WAN,
        bank_share=Decimal("20"),
        guarantor_share=Decimal("50"),
        government_share=Decimal("30"),
        max_loan_per_enterprise=1000 * WAN,
        product=FinancialProduct.objects.filter(provider=bank, name="中银科技担保贷").first(),
        batch_year=2024,
        level="county",
    )
    advance_scheme(scheme, on=datetime.date(2024, 7, 15), remark="三方合作协议及担保合同文本起草")
    advance_scheme(
        scheme,
        on=datetime.date(2024, 11, 6),
        remark="合同已拟定好，正在进行合同的司法审查；下步将送至县政府审核和签约",
    )
    return "科技担（司法审查阶段）"


def _kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def seed_events(scale: int = 0) -> str:
    """Events, needs, signings and disbursements; only when no finance event exists yet."""
    if FinanceEvent.objects.exists():
        return ""
    kinds = {code: _kind(code) for code in FINANCE_ACTIVITY_KINDS}
    banks = {i.name: i for i in Institution.objects.filter(kind=InstitutionKind.BANK)}
    products = {}
    for p in FinancialProduct.objects.filter(launched_on__isnull=False).order_by("launched_on"):
        products.setdefault(p.provider.name, p)
    firms = _demo_enterprises()
    n_events = 0
    for day in GOV_BANK_2024:
        create_event(
            kind=kinds[GOV_BANK_MEETING],
            date=day,
            topic=f"{day.year}年第{(day.month - 1) // 3 + 1}季度政银推进会",
            place="开发区管委会三楼会议室",
            co_organizer=CO_ORGANIZER,
            institutions=banks.values(),
            attendance=25,
            notes="了解园区企业金融需求及难点，推动银行推出适配园区企业的金融产品。",
        )
        n_events += 1
    firm_index = 0
    n_signings = 0
    for day, topic, deals in MATCHMAKING_2024 + LATER_MATCHMAKING:
        event = create_event(
            kind=kinds[MATCHMAKING],
            date=day,
            topic=topic,
            place="开发区企业服务中心",
            co_organizer=CO_ORGANIZER,
            institutions=[banks[b] for _a, b in deals] or banks.values(),
            attendance=60,
        )
        n_events += 1
        for wan, bank_name in deals:
            firm = firms[firm_index % len(firms)]
            firm_index += 1
            need = post_need(
                enterprise=firm,
                amount=wan * WAN,
                purpose=PURPOSES[firm_index % len(PURPOSES)],
                term_months=12 if wan <= 1000 else 24,
                collateral_available=firm_index % 3 == 0,
                wanted_by=day + datetime.timedelta(days=60),
                posted_on=day - datetime.timedelta(days=20 + firm_index % 15),
                source=NeedSource.PORTAL if firm_index % 2 else NeedSource.STAFF,
            )
            event.needs_presented.add(need)
            signing = record_signing(
                enterprise=firm,
                bank=banks[bank_name],
                amount=wan * WAN,
                signed_on=day,
                event=event,
                product=products.get(bank_name),
                need=need,
            )
            n_signings += 1
            # Most are paid out in full a month later; every third in two instalments.
            first = day + datetime.timedelta(days=30)
            if firm_index % 3:
                record_disbursement(signing=signing, amount=signing.amount, disbursed_on=first)
            else:
                half = (signing.amount / 2).quantize(Decimal("0.01"))
                record_disbursement(signing=signing, amount=half, disbursed_on=first)
                record_disbursement(
                    signing=signing,
                    amount=signing.amount - half,
                    disbursed_on=day + datetime.timedelta(days=75),
                )
    # Needs still waiting for a bank, some of the demo enterprise user's own (index 0).
    open_firms = [firms[0], *firms[40:52]]
    for i, firm in enumerate(open_firms):
        post_need(
            enterprise=firm,
            amount=Decimal(100 + 50 * i) * WAN,
            purpose=PURPOSES[i % len(PURPOSES)],
            term_months=12 + 6 * (i % 3),
            collateral_available=i % 2 == 0,
            wanted_by=datetime.date(2026, 12, 31),
            posted_on=datetime.date(2024, 10, 10) + datetime.timedelta(days=60 * i),
            source=NeedSource.PORTAL if i % 2 == 0 else NeedSource.STAFF,
        )
    withdrawn = post_need(
        enterprise=firms[60],
        amount=300 * WAN,
        purpose="厂房扩建",
        term_months=36,
        posted_on=datetime.date(2024, 5, 6),
    )
    withdrawn.status = NeedStatus.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    return f"{n_events} 场金融对接活动、{n_signings} 笔签约"


def seed_scale_signings(scale: int = 0) -> str:
    """With --scale: the synthetic enterprises get records in the demo's proportions."""
    from enterprises.demo import clone_for_synthetic

    from .models import Signing

    return clone_for_synthetic(
        Signing, scale=scale, label="融资签约", reset=("need_id", "created_by_id")
    )


STEPS = [
    (500, seed_institutions),
    (510, seed_products),
    (520, seed_scheme),
    (530, seed_events),
    (784, seed_scale_signings),
]
