"""A whole year the demo never saw, entered into a fresh database from .xlsx files alone.

Every file is written with openpyxl under the headers of its dataset's own template and goes in
through `manage.py import_data`; then every figure the annual summary needs (reports.summary)
for that year equals what the files hold. The year is made up (2021, with made-up enterprises),
and some records of the year are entered "late" (dated in the row, imported today) or belong to
the neighbouring years, so that a figure counting the import day, or the wrong year, shows.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from bureau import figures
from digital.models import Assessment, AssessmentStatus
from reports.selectors import summary_values
from reports.summary import figure_keys
from tests.factories import credit_code_for

pytestmark = pytest.mark.django_db

YEAR = 2021
D = datetime.date


def code(n: int) -> str:
    return credit_code_for(21000 + n)


def _headers(name: str, tmp_path) -> list[str]:
    path = tmp_path / f"{name}-template.xlsx"
    call_command("import_data", name, "--template", str(path), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [c.value for c in sheet[1]]


def load(tmp_path, name: str, rows: list[dict], *extra: str) -> None:
    """Write `rows` (by column name) under the template's headers and import the file."""
    headers = _headers(name, tmp_path)
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, f"{name}: no column {unknown}"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    err = io.StringIO()
    try:
        call_command("import_data", name, str(path), *extra, stdout=io.StringIO(), stderr=err)
    except CommandError:
        pytest.fail(f"{name} refused:\n{err.getvalue()}")


ENTERPRISES = 9
INSTITUTIONS = "参加金融机构（金融对接活动，机构名称，用；分隔）"


def enter_the_year(tmp_path) -> None:
    load(
        tmp_path,
        "enterprises",
        [
            {
                "统一社会信用代码": code(n),
                "企业名称": f"虚构{n}号科技有限公司",
                "所属行业（大类代码）": "39",
                "企业规模": "小型",
                "成立日期": D(2015, 1, n + 1),
            }
            for n in range(ENTERPRISES)
        ],
    )
    load(
        tmp_path,
        "periods",
        [{"年度": YEAR, "季度": q, "状态": "开放填报"} for q in (1, 2, 3, 4)],
    )
    load(
        tmp_path,
        "quarterly_figures",
        [
            {"统一社会信用代码": code(n), "年度": YEAR, "季度": 4, "营业收入（本年累计，元）": 1000}
            for n in range(3)
        ],
    )
    call_command("periods", "lock", "--year", str(YEAR), stdout=io.StringIO())

    # The financial institutions first: the activities name those attending the finance events.
    load(
        tmp_path,
        "finance_institutions",
        [
            {"机构名称": "虚构银行舒城支行", "机构类型": "银行"},
            {"机构名称": "虚构农村商业银行", "简称": "虚构农商行", "机构类型": "银行"},
            {"机构名称": "虚构融资担保有限公司", "机构类型": "担保公司"},
        ],
    )

    # Activities: 3 seminars (and one of the year before), 7 door-to-door visits, 2 meetings on
    # digital transformation and 1 other meeting, 1 bank-enterprise matchmaking event that two
    # institutions attended (one named by its short name); a government-bank meeting and last
    # year's matchmaking event with the guarantor, which the year's matchmaking count leaves out.
    activities = [
        {"类型": "政策宣讲会", "日期": D(YEAR, m, 10), "主题": f"政策宣讲会第{m}场"}
        for m in (3, 6, 9)
    ]
    activities.append({"类型": "政策宣讲会", "日期": D(YEAR - 1, 12, 30), "主题": "去年的宣讲会"})
    activities += [
        {
            "类型": "上门宣讲",
            "日期": D(YEAR, 4, n + 1),
            "主题": "上门解读高企政策",
            "参与企业（统一社会信用代码，用；分隔）": code(n),
        }
        for n in range(7)
    ]
    activities += [
        {"类型": "会议", "日期": D(YEAR, 5, 8), "主题": "数字化转型推进会"},
        {"类型": "会议", "日期": D(YEAR, 8, 8), "主题": "数字化车间建设座谈"},
        {"类型": "会议", "日期": D(YEAR, 9, 8), "主题": "安全生产会议"},
        {
            "类型": "银企对接会",
            "日期": D(YEAR, 6, 20),
            "主题": "虚构年银企对接会",
            "参与企业（统一社会信用代码，用；分隔）": f"{code(0)}；{code(1)}、{code(2)}",
            "协办单位（金融对接活动）": "虚构银行",
            INSTITUTIONS: "虚构银行舒城支行；虚构农商行",
        },
        {
            "类型": "政银推进会",
            "日期": D(YEAR, 3, 20),
            "主题": "虚构年政银推进会",
            INSTITUTIONS: "虚构融资担保有限公司、虚构银行舒城支行",
        },
        {
            "类型": "银企对接会",
            "日期": D(YEAR - 1, 11, 20),
            "主题": "上年银企对接会",
            INSTITUTIONS: "虚构融资担保有限公司",
        },
    ]
    load(tmp_path, "activities", activities)
    load(
        tmp_path,
        "targets",
        [
            {
                "年度": YEAR,
                "指标（代码或名称）": "enterprises.innovative_sme_applications",
                "目标值": 30,
            },
            {"年度": YEAR, "指标（代码或名称）": "bureau.activities.policy_seminar", "目标值": 10},
        ],
    )

    # The tier ladder: 2 high-tech recognised in the year (1 more the year after), 4 tech SMEs
    # of the year's batch, 1 strategic-emerging addition, 1 provincial little giant, 3
    # provincial specialised SMEs under review (in the year's batch).
    q = []
    for n in range(2):
        q.append(
            {
                "统一社会信用代码": code(n),
                "资质类型": "高新技术企业",
                "状态": "已认定",
                "批次年度": YEAR,
                "证书编号": f"GR{YEAR}0000{n}",
                "认定日期": D(YEAR, 11, 20),
                "级别": "国家级",
            }
        )
    q.append(
        {
            "统一社会信用代码": code(2),
            "资质类型": "高新技术企业",
            "状态": "已认定",
            "批次年度": YEAR + 1,
            "证书编号": "GR-next",
            "认定日期": D(YEAR + 1, 11, 20),
            "级别": "国家级",
        }
    )
    for n in range(4):
        q.append(
            {
                "统一社会信用代码": code(n),
                "资质类型": "科技型中小企业",
                "状态": "已认定",
                "批次年度": YEAR,
                "证书编号": f"{YEAR}34150{n}",
                "认定日期": D(YEAR, 5, 1),
            }
        )
    q.append(
        {
            "统一社会信用代码": code(5),
            "资质类型": "战新入库",
            "状态": "已认定",
            "批次年度": YEAR,
            "证书编号": "SE-1",
            "认定日期": D(YEAR, 7, 1),
        }
    )
    q.append(
        {
            "统一社会信用代码": code(6),
            "资质类型": "专精特新“小巨人”企业",
            "状态": "已认定",
            "级别": "省级",
            "批次年度": YEAR,
            "证书编号": "XJR-1",
            "认定日期": D(YEAR, 8, 1),
        }
    )
    for n in range(3):
        q.append(
            {
                "统一社会信用代码": code(n + 4),
                "资质类型": "专精特新中小企业",
                "状态": "审核中",
                "级别": "省级",
                "批次年度": YEAR,
                "状态日期": D(YEAR, 10, 1),
            }
        )
    load(tmp_path, "qualifications", q)

    # Section (一): 2 new provincial R&D centres; 1 provincial big-data enterprise and 1
    # provincial digital workshop recognised; 2 municipal digital workshops and 1 municipal
    # smart factory under application at the year's end (their batch year's end: no status date).
    platform_kind = "企业技术中心"
    load(
        tmp_path,
        "rd_platforms",
        [
            {
                "统一社会信用代码": code(n),
                "平台类型": platform_kind,
                "平台名称": f"虚构{n}号技术中心",
                "级别": "省级",
                "状态": "已认定",
                "批次年度": YEAR,
                "认定日期": D(YEAR, 12, 1),
            }
            for n in range(2)
        ],
    )
    recognition = {"状态": "已认定", "级别": "省级", "批次年度": YEAR, "认定日期": D(YEAR, 10, 1)}
    applying = {"状态": "已申报", "级别": "市级", "批次年度": YEAR}
    load(
        tmp_path,
        "platform_recognitions",
        [
            {**recognition, "统一社会信用代码": code(0), "认定类别": "大数据企业"},
            {**recognition, "统一社会信用代码": code(1), "认定类别": "数字化车间"},
            {**applying, "统一社会信用代码": code(2), "认定类别": "数字化车间"},
            {**applying, "统一社会信用代码": code(3), "认定类别": "数字化车间"},
            {**applying, "统一社会信用代码": code(4), "认定类别": "智能工厂"},
        ],
    )

    # Section (二).
    load(
        tmp_path,
        "digital_assessments",
        [
            {
                "统一社会信用代码": code(n),
                "评测日期": D(YEAR, 6, n + 1),
                "数字化基础得分": 20,
                "数字化管理得分": 15,
                "数字化成效得分": 10,
            }
            for n in range(5)
        ],
    )
    load(
        tmp_path,
        "service_packages",
        [
            {
                "名称": "虚构免费软件包",
                "类别": "免费数字化软件服务包",
                "服务商": "虚构平台",
            }
        ],
    )
    load(
        tmp_path,
        "digital_deliveries",
        [
            {"服务包": "虚构免费软件包", "统一社会信用代码": code(n), "交付日期": D(YEAR, 7, 1)}
            for n in range(4)
        ],
    )
    load(
        tmp_path,
        "digital_visits",
        [
            {
                "统一社会信用代码": code(n),
                "日期": D(YEAR, 9, 1),
                "类型": "诊断",
                "现状与问题": "设备未联网",
            }
            for n in range(3)
        ],
    )
    load(
        tmp_path,
        "demo_projects",
        [{"项目名称": "虚构示范园区项目", "立项年度": YEAR, "项目金额（元）": 12000000}],
    )
    load(
        tmp_path,
        "demo_milestones",
        [
            {
                "项目名称": "虚构示范园区项目",
                "节点": "总包商遴选",
                "状态": "已完成",
                "实际完成日期": D(YEAR, 5, 1),
            }
        ],
    )
    groups = ["数字化应用表现突出企业"] * 1 + ["数字化应用示范案例企业"] * 2
    groups += ["数字化转型示范企业"] * 4
    load(
        tmp_path,
        "demo_enterprises",
        [{"统一社会信用代码": code(n), "示范类别": g, "年度": YEAR} for n, g in enumerate(groups)],
    )
    load(
        tmp_path,
        "provincial_demo_applications",
        [
            {
                "统一社会信用代码": code(n),
                "项目名称": f"虚构{n}号示范项目",
                "状态": "已认定",
                "级别": "省级",
                "批次年度": YEAR,
                "认定日期": D(YEAR, 11, 1),
            }
            for n in range(3)
        ],
    )

    # Section (三): 4 executives (2 of them deputy-senior or above), 3 with a master's degree.
    talents = [
        ("高管甲", "企业高管", "副高级", "硕士研究生"),
        ("高管乙", "企业高管", "正高级", "大学本科"),
        ("高管丙", "企业高管", "", "博士研究生"),
        ("高管丁", "企业高管", "", "大学本科"),
        ("骨干戊", "技术骨干", "中级", "硕士研究生"),
    ]
    load(
        tmp_path,
        "talents",
        [
            {
                "统一社会信用代码": code(n),
                "姓名": name,
                "人才类别": category,
                "职称级别": level,
                "最高学历": education,
                "联系电话": f"1380000000{n}",
                "登记日期": D(YEAR, 2, 1),
            }
            for n, (name, category, level, education) in enumerate(talents)
        ],
    )
    load(
        tmp_path,
        "institutions",
        [{"名称": "虚构理工大学", "类型": "高等院校", "研究领域": "光电"}],
    )
    load(
        tmp_path,
        "cooperation_agreements",
        [
            {
                "统一社会信用代码": code(n),
                "合作院校": "虚构理工大学",
                "合作方式": "委托研发",
                "合作项目": f"虚构合作{n}",
                "签订日期": D(YEAR, 3, 1),
            }
            for n in range(2)
        ],
    )
    load(
        tmp_path,
        "technology_demands",
        [
            {
                "统一社会信用代码": code(n),
                "所需技术": "高速光模块",
                "技术领域": "电子信息",
                "提出日期": D(YEAR, 4, 1),
            }
            for n in range(3)
        ],
    )

    # Section (五): signings at the matchmaking event (named by its topic) and one outside it.
    load(
        tmp_path,
        "finance_signings",
        [
            {
                "统一社会信用代码": code(0),
                "金融机构": "虚构银行舒城支行",
                "签约活动": "虚构年银企对接会",
                "签约金额（元）": 60000000,
                "签约日期": D(YEAR, 6, 20),
            },
            {
                "统一社会信用代码": code(1),
                "金融机构": "虚构银行舒城支行",
                "签约活动": "虚构年银企对接会",
                "签约金额（元）": 40000000,
                "签约日期": D(YEAR, 6, 20),
            },
            {
                "统一社会信用代码": code(2),
                "金融机构": "虚构银行舒城支行",
                "签约金额（元）": 5000000,
                "签约日期": D(YEAR, 8, 1),
            },
        ],
    )


# What the files above hold, figure by figure (every key the summary needs).
EXPECTED = {
    "incubation.rd_platforms_new.provincial": 2,
    "incubation.recognitions_new.big_data_enterprise.provincial": 1,
    "incubation.recognitions_new.digital_workshop.provincial": 1,
    "incubation.recognitions_applying.digital_workshop.municipal": 2,
    "incubation.recognitions_applying.smart_factory.municipal": 1,
    "digital.demo_park_budget": Decimal("12000000"),
    "digital.provincial_demo_approved": 3,
    "digital.meetings": 2,
    "digital.assessed_enterprises": 5,
    "digital.service_package_enterprises": 4,
    "digital.visited_enterprises": 3,
    "talent.executives": 4,
    "talent.deputy_senior_and_above": 2,
    "talent.master_and_above": 3,
    "talent.enterprises_cooperating": 2,
    "talent.enterprises_with_demands": 3,
    "bureau.activities.policy_seminar": 3,
    "bureau.activities.door_to_door": 7,
    "enterprises.hitech_new": 2,
    "enterprises.tech_sme_registered": 4,
    "enterprises.strategic_new": 1,
    "enterprises.little_giant_new_provincial": 1,
    "enterprises.specialised_under_review": 3,
    "target:enterprises.innovative_sme_applications": Decimal("30"),
    "finance.events.matchmaking_institutions": 2,
    "finance.signed_on_site": Decimal("100000000"),
    "digital.demo_enterprises.outstanding": 1,
    "digital.demo_enterprises.case": 2,
    "digital.demo_enterprises.transformation": 4,
}


def test_a_made_up_year_from_excel_files_alone_gives_the_summary_its_figures(tmp_path):
    enter_the_year(tmp_path)
    assert set(EXPECTED) == set(figure_keys()), "a summary figure this test does not cover"
    values = summary_values(YEAR)
    got = {key: values[key].value for key in EXPECTED}
    assert got == EXPECTED
    # The imports dated what they wrote by the rows: nothing of the year moved to the import's.
    today = datetime.date.today()
    assert figures.collect(today.year)["enterprises.hitech_new"].value == 0
    assert Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).count() == 5
    assert {a.submitted_at.year for a in Assessment.objects.all()} == {YEAR}


def test_the_matchmaking_institutions_of_the_file_are_the_summarys_figure_and_sentence(tmp_path):
    """「N家金融机构参加」: the institutions the activities file names, in the drafted text."""
    from finance.models import FinanceEvent
    from reports import services
    from reports.models import NarrativeParagraph

    enter_the_year(tmp_path)
    event = FinanceEvent.objects.get(activity__topic="虚构年银企对接会")
    assert sorted(i.name for i in event.institutions.all()) == [
        "虚构农村商业银行",
        "虚构银行舒城支行",
    ]
    figure = summary_values(YEAR)["finance.events.matchmaking_institutions"]
    assert figure.value == event.institutions.count() == 2
    summary = services.ensure_summary(YEAR)
    services.regenerate(summary)
    texts = " ".join(
        NarrativeParagraph.objects.filter(section__summary=summary).values_list("text", flat=True)
    )
    assert "2家金融机构参加" in texts
