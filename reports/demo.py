"""Demo data of the reports app: the 2024 summary with the seed's narrative and 2025 plan.

The figure sentences are not stored here: they are drafted from the records the other apps
seed. Only what staff would write lives here: the narrative paragraphs of the seed document
(seed/000_46aec37c72082878.txt) and the 2025 plan items with their targets.
"""

from decimal import Decimal

from bureau.models import Target

from .models import AnnualSummary, NarrativeParagraph, PlanItem

DEMO_YEAR = 2024

NARRATIVE: dict[str, list[str]] = {
    "intro": [
        "今年，在开发区领导的高度重视和分管领导的积极引领下，科技金融局紧密围绕科技与金融这两大核心领域，针对开发区企业的实际发展状况，探索并实施了一系列创新策略。"
    ],
    "work.platforms": [
        "全力打造科技企业孵化器。与省级企业孵化器中新联科紧密协作，研究制定申报方案争创国家级孵化器，同时摸排培育园区内有潜力的企业，支持其申报省级孵化器项目，提升开发区的创新驱动能力。",
        "加快建设企业创新平台。鼓励引导区内企业加快产品研发和技术创新，提升企业核心竞争力；积极引导和支持企业建立技术中心、研究中心等创新平台，加强“三首”产品、绿色工厂、智能工厂、数字化车间以及大数据企业等政策宣传，加快形成多元化的创新平台体系。",
    ],
    "work.digital": [
        "推动数字化转型项目落地。光电信息产业数字化转型示范园区（一区一业一样板）项目已经完成了总包商遴选、企业调研与遴选、平台建设方案及资金分配方案制定等一系列前期工作，正在进行项目挂网并同步开展企业端数字化转型方案制定工作。",
        "引导企业数字化转型升级。每季度对园区内企业进行数字化诊断，根据企业数字化基础和场景需求，促进企业数字化、网络化、智能化、绿色化转型，鼓励并指导企业申报省级数字化转型政策支持。",
    ],
    "work.talent": [
        "优化人才与管理服务。建立健全人才服务体系，为人才提供全方位、多层次的服务，落实好高层次人才申报、人才安家补贴等工作，开展人才交流活动，提升人才对舒城的归属感。针对不同层次、不同领域的人才，制定个性化的人才培训活动，如邀请专家学者授课、组织实地考察学习、交流座谈等，提升开发区企业人才的专业素质，发挥人才的集聚效应。",
        "搭建产学研合作平台。摸排园区企业现有的产学研合作及技术服务需求，以现有合作搭桥延伸或政府直接与科研院校对接，推动园区的产学研合作更加深入。拟于近期邀请南京理工大、中国电子科技集团55所来交流座谈，围绕电子信息和集成电路产业加强双边合作交流。",
    ],
    "work.tiers": [
        "持续做好政策宣传和解读。围绕新增科技创新奖励、高企申报条件及优惠政策、研发经费投入政策、科小入库等内容，指导企业用好用活政策，助力企业创新发展，保障营商环境持续优化。",
        "加强企业梯次培育。梯度培育创新型中小企业、科技型中小企业、高新技术企业、专精特新中小企业，扩大战略新兴产业入库。",
    ],
    "work.finance": [
        "提升金融服务效能。与县金融中心协作，定期开展政银推进会，了解园区企业的金融需求及难点，支持银行推出“智造贷”、“善科贷”等更适配园区企业发展的金融产品及政策，重点解决中小企业的资金难题。",
        "谋划“科技担”金融产品。与中国银行、省科技担保公司对接，计划设立“科技担”产品，通过放大授信额度，支持科技型中小企业融资需求，目前合同已拟定好，正在进行合同的司法审查，下步将送至县政府审核和签约。",
    ],
    "highlights.services": [
        "园区内中小企业占据主导地位，科技金融局致力于为这些企业提供精准的扶持措施。组织企业申报科技型、创新型中小企业，推动园区内的中小企业向科技创新型企业转型；探索推出“科技担”金融产品，缓解科技型中小企业的资金周转压力；培育企业孵化器平台以及研发和创新中心，促进园区创新资源的共享，为中小企业构建创新服务平台。"
    ],
    "highlights.cooperation": [
        "逐步建立一个由政府、金融机构、科技企业、高校和科研机构共同参与的科技金融生态系统。政府搭建平台促进科技企业与高校、科研机构的紧密合作，金融机构则积极创新金融产品和服务，从而推动科技成果的产生、转化和产业化，形成了一个良性循环的科技金融生态链。"
    ],
    "highlights.digital_demo": [
        "成功申请成为安徽省第二批数字化转型示范园区项目，利用该项目对园区电子信息产业进行数字化改造，为园区内其他产业的数字化转型提供引领和示范。"
    ],
    "problems": [
        "一是数字化转型普及速度较慢。尽管在推动企业数字化转型方面做了大量工作，但整体来看，园区内企业数字化转型的普及速度仍然较慢。部分中小企业由于自身技术基础薄弱、资金有限、对数字化转型的认识不足等原因，对数字化转型的积极性不高，在一定程度上影响了园区整体数字化转型的进程。建议针对中小企业数字化转型的困难，进一步加强引导和支持力度。一方面，加大对数字化转型相关知识和成功案例的宣传推广，提高企业对数字化转型的认识和积极性；另一方面，为中小企业提供更多的数字化转型补贴或优惠政策，如数字化设备购置补贴、数字化转型咨询服务补贴等，降低企业数字化转型成本，加快园区整体数字化转型速度。",
        "二是创新资源整合有待深化。虽然产学研合作逐步加强，但高校和科研机构的科研成果与企业实际需求之间的对接还不够精准，存在一定程度的脱节现象。同时，在创新资源的共享机制方面还不够完善，导致部分资源未能得到充分利用。建议建立更加精准的产学研合作对接平台，通过大数据分析等技术手段，深入挖掘企业的技术需求和高校、科研机构的科研成果，实现供需双方的精准匹配。同时，完善创新资源共享机制，制定明确的资源共享规则和激励措施，鼓励各方积极参与资源共享，提高创新资源的利用效率。",
    ],
}

# Section 四 of the seed: (title, text, [(figure key, label, target value, unit)]) for 2025.
PLAN_2025 = [
    (
        "持续做好梯次培育",
        "持续做好政策宣传和解读，指导企业用好用活政策，助力企业创新发展，保障营商环境持续优化。梯度培育创新型中小企业、科技型中小企业、高新技术企业、专精特新中小企业，扩大战略新兴产业入库。",
        [
            ("enterprises.hitech_new", "新培育高新技术企业", "25", "家"),
            ("enterprises.tech_sme_registered", "科技型中小企业入库", "190", "家"),
            ("bureau.activities.policy_seminar", "政策宣讲会", "12", "次"),
        ],
    ),
    (
        "加速创新载体建设",
        "争创国家级孵化器，支持培育园区企业申报省级孵化器项目，鼓励区内企业加快产品研发和技术创新，积极引导和支持建立技术中心、研究中心等创新平台，加强“三首”产品、绿色工厂、智能工厂、数字化车间以及大数据企业等政策宣传，加快形成多元化的创新平台体系。",
        [("incubation.rd_platforms_new.provincial", "新增省级研发中心", "4", "个")],
    ),
    (
        "发挥数字赋能作用",
        "推动数字化转型项目落地，发挥光电信息产业数字化转型的带头作用，引导园区企业数字化、网络化、智能化、绿色化转型。主动对园区内企业进行数字化诊断，摸排企业数字化现状并给予技术指导，鼓励并指导企业申报省级数字化转型政策支持。",
        [("digital.assessed_enterprises", "数字化测评企业", "100", "家")],
    ),
    (
        "着力金融科技融合",
        "提升金融服务效能，定期开展政银企推进会，分析园区企业的金融需求及难点，鼓励支持银行推出适配园区企业发展的科技相关金融产品及政策，以金融支持引导中小企业向科技创新转型。推动“科技担”金融产品落地，通过放大授信额度，满足科技企业融资需求缺口。",
        [("finance.signed_on_site", "银企对接现场签约金额", "200000000", "元")],
    ),
]

# The seed's "创小申报工作正在进行，预计申报30家": a 2024 target the sentence reads.
TARGETS_2024 = [("enterprises.innovative_sme_applications", "创新型中小企业申报", "30", "家")]


def _target(year: int, key: str, label: str, value: str, unit: str) -> tuple[Target, bool]:
    return Target.objects.get_or_create(
        year=year,
        figure_key=key,
        defaults={"label": label, "target_value": Decimal(value), "unit": unit},
    )


def seed_summary(scale: int = 0) -> str:
    """The 2024 summary with the seed's narrative and 2025 plan; drafted from the records."""
    from .services import ensure_summary, is_stale, regenerate

    created_targets = sum(_target(DEMO_YEAR, *t)[1] for t in TARGETS_2024)
    new_summary = not AnnualSummary.objects.filter(year=DEMO_YEAR).exists()
    summary = ensure_summary(DEMO_YEAR)
    sections = {s.code: s for s in summary.sections.all()}
    paragraphs = 0
    for code, texts in NARRATIVE.items():
        section = sections[code]
        if section.paragraphs.exists():
            continue
        NarrativeParagraph.objects.bulk_create(
            [NarrativeParagraph(section=section, order=i, text=t) for i, t in enumerate(texts)]
        )
        paragraphs += len(texts)
    items = 0
    if not summary.plan_items.exists():
        for order, (title, text, targets) in enumerate(PLAN_2025):
            item = PlanItem.objects.create(summary=summary, order=order, title=title, text=text)
            for key, label, value, unit in targets:
                target, new = _target(DEMO_YEAR + 1, key, label, value, unit)
                created_targets += new
                item.targets.add(target)
            items += 1
    redrafted = is_stale(summary)
    if redrafted:
        regenerate(summary)
    if not (new_summary or paragraphs or items or created_targets or redrafted):
        return ""
    return f"{DEMO_YEAR}年度工作总结：{paragraphs} 段叙述，{items} 项工作安排，{created_targets} 项目标"


STEPS = [(850, seed_summary)]
