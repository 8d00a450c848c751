"""The drafting rules as tables: figures in, sentences out (no database, no HTTP)."""

import re
from decimal import Decimal

import pytest

from reports import drafting
from reports.drafting import base, digital, finance, highlights, plan, problems, tiers
from reports.drafting.base import Facts
from reports.summary import STRUCTURE, FigureValue

# A zero printed as a count ("0家", not the "0家" of "30家"), or a figure shown as missing.
FORBIDDEN_RE = re.compile(r"(?<![0-9.])0[个家次人项]|暂无数据")


def clean(text: str) -> bool:
    return FORBIDDEN_RE.search(text) is None


def fv(key, value, unit="家", label=None, notes=()):
    return FigureValue(key, label or key, unit, value, tuple(notes))


def facts(current=None, previous=None, targets=None, next_targets=None, rounding=None, year=2031):
    current = {
        k: fv(k, *v) if isinstance(v, tuple) else fv(k, v) for k, v in (current or {}).items()
    }
    previous = {
        k: fv(k, *v) if isinstance(v, tuple) else fv(k, v) for k, v in (previous or {}).items()
    }
    tgt = {k: fv(k, Decimal(v), u, label) for k, (v, u, label) in (targets or {}).items()}
    for k, t in tgt.items():
        current[f"target:{k}"] = FigureValue(f"target:{k}", t.label, t.unit, t.value)
    nxt = {k: fv(k, Decimal(v), u, label) for k, (v, u, label) in (next_targets or {}).items()}
    return Facts(year, current, previous, tgt, nxt, rounding or {})


def texts(drafts):
    return [d.text for d in drafts]


# --- numbers and comparisons ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (12, "exact", "12"),
        (12, "about", "10余"),
        (10, "about", "10"),
        (63, "about", "60余"),
        (9, "about", "9"),
        (12, "above", "10"),
        (60, "above", "60"),
        (Decimal("12.5"), "about", "12.5"),
    ],
)
def test_rounding_styles(value, style, expected):
    assert base.rounded(value, style) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [("exact", "12次"), ("about", "10余次"), ("above", "10次以上")],
)
def test_count_is_written_in_the_style_staff_chose(style, expected):
    f = facts({"digital.meetings": (12, "次")}, rounding={"digital.meetings": style})
    assert "".join(s.text for s in base.count(f, "digital.meetings", "次")) == expected


@pytest.mark.parametrize(
    ("now", "before", "unit", "expected"),
    [
        (23, 14, "家", {"较上年增加9家", "同比增长64.3%"}),
        (14, 23, "家", {"较上年减少9家", "同比下降39.1%"}),
        (20, 20, "家", {"与上年持平"}),
        (5, 0, "家", {"较上年增加5家"}),  # no percentage of nothing
        (195, 6, "人", {"较上年增加189人"}),  # base too small for a percentage
        (90, 20, "家", {"较上年增加70家"}),  # +350%: the change in units
        (Decimal("200000000"), Decimal("150000000"), "元", {"较上年增加5000万元", "同比增长33.3%"}),
        (Decimal("300000000"), Decimal("150000000"), "元", {"较上年增加1.5亿元", "同比增长100%"}),
    ],
)
def test_year_on_year_words(now, before, unit, expected):
    key = "enterprises.hitech_new"
    # Another of last year's figures has a value: last year was entered.
    f = facts({key: (now, unit)}, {key: (before, unit), "enterprises.registered": 50})
    assert base.change_words(f, key, unit if unit != "元" else "") in expected


@pytest.mark.parametrize("previous", [None, {}])
def test_no_comparison_without_last_years_figure(previous):
    key = "enterprises.hitech_new"
    f = facts({key: 23}, previous)
    assert base.change_words(f, key, "家") == ""


def test_phrasing_is_chosen_by_hash_and_stable():
    options = ("今年以来，", "全年", "本年度")
    assert base.pick("digital.since", options) == base.pick("digital.since", options)
    chosen = {base.pick(f"key{i}", options) for i in range(30)}
    assert len(chosen) > 1  # different keys do not all get the same words


# --- section 一 ----------------------------------------------------------------------------

DIGITAL_FULL = {
    "digital.provincial_demo_approved": 2,
    "digital.meetings": (12, "次"),
    "digital.assessed_enterprises": 96,
    "digital.service_package_enterprises": 89,
    "digital.visited_enterprises": 25,
}


@pytest.mark.parametrize(
    ("current", "present", "absent"),
    [
        (
            DIGITAL_FULL,
            [
                "有2家企业成功申报2031年度省级",
                "会议12次",
                "对园区96家企业",
                "为89家企业",
                "深入25家企业",
            ],
            [],
        ),
        (
            {**DIGITAL_FULL, "digital.service_package_enterprises": 0},
            ["对园区96家企业"],
            ["服务包"],
        ),
        (
            {k: v for k, v in DIGITAL_FULL.items() if k != "digital.meetings"},
            ["深入25家企业"],
            ["会议"],
        ),
    ],
)
def test_digital_work_leaves_out_zero_and_missing_clauses(current, present, absent):
    [paragraph] = texts(digital.work(facts(current)))
    for words in present:
        assert words in paragraph
    for words in absent:
        assert words not in paragraph
    assert clean(paragraph)


def test_digital_work_with_nothing_is_not_drafted():
    assert digital.work(facts({k: 0 for k in DIGITAL_FULL})) == []


def test_digital_project_tells_stage_and_next_steps():
    f = facts(
        {
            "digital.demo_park_budget": (Decimal("18000000"), "元", "预算", ["光电示范园区项目"]),
            "digital.demo_park_milestones_done": (2, "个", "", ["总包商遴选", "企业调研与遴选"]),
            "digital.demo_park_milestones_open": (1, "个", "", ["项目挂网"]),
            "digital.demo_park_milestones_planned": (
                2,
                "个",
                "",
                ["自评|2032-01-31", "验收|2032-03-31"],
            ),
        }
    )
    [paragraph] = texts(digital.project(f))
    assert "成功申报金额1800万元的光电示范园区项目" in paragraph
    assert "项目项目" not in paragraph
    assert "已经完成了总包商遴选、企业调研与遴选等2项前期工作" in paragraph
    assert "正在进行项目挂网工作" in paragraph
    assert "预计2032年1月份完成自评，3月份完成验收" in paragraph


@pytest.mark.parametrize(
    ("stage", "following", "words"),
    [
        ("司法审查", "县政府审核", "正在进行合同的司法审查，下步将送至县政府审核和签约"),
        ("方案设计", "合同拟定", "正在进行产品方案设计，下步将拟定合作合同"),
        ("上线", "", "产品已正式上线运行。"),
    ],
)
def test_guarantee_scheme_stage_and_next_step(stage, following, words):
    f = facts(
        {
            "finance.scheme_stage": (
                3,
                "/6阶段",
                "",
                ["科技担", stage, following, "某银行", "某担保公司"],
            )
        }
    )
    [paragraph] = texts(finance.scheme(f))
    assert words in paragraph and "与某银行、某担保公司对接" in paragraph


def test_finance_money_in_yi_from_one_hundred_million_and_products_by_name():
    f = facts(
        {
            "finance.signed_on_site": (Decimal("200000000"), "元"),
            "finance.products_launched": (2, "个", "", ["智造贷", "善科贷"]),
            "finance.events.gov_bank_meeting": (0, "次"),
        }
    )
    [paragraph] = texts(finance.services(f))
    assert "今年累计现场签约2亿元" in paragraph
    assert "“智造贷”、“善科贷”" in paragraph
    assert "政银推进会" not in paragraph


@pytest.mark.parametrize(
    ("target", "filed", "expected", "absent"),
    [
        (30, 0, "创小申报工作正在进行，预计申报30家", "已申报"),
        (30, 12, "创小申报工作正在进行，已申报12家，预计申报30家", None),
        (None, 12, "申报创新型中小企业12家", "预计"),
    ],
)
def test_ladder_innovative_sme_target_and_filed(target, filed, expected, absent):
    targets = (
        {"enterprises.innovative_sme_applications": (target, "家", "创新型中小企业申报")}
        if target
        else {}
    )
    f = facts({"enterprises.innovative_sme_applications": filed}, targets=targets)
    [paragraph] = texts(tiers.ladder(f))
    assert expected in paragraph
    if absent:
        assert absent not in paragraph


# --- 二 highlights -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "met"),
    [(35, True), (30, True), (29, False), (0, False)],
)
def test_target_met_is_a_highlight_and_missed_is_a_problem(actual, met):
    key = "enterprises.hitech_new"
    f = facts({key: actual}, targets={key: (30, "家", "新培育高新技术企业")})
    good = texts(highlights.targets_met(f))
    bad = texts(problems.targets_missed(f))
    if met:
        assert good and f"年度目标30家，实际完成{actual}家" in good[0]
        assert not bad
    else:
        assert not good and bad
        if actual:
            assert f"实际完成{actual}家，尚差{30 - actual}家" in bad[0]
        else:
            assert "尚在推进中" in bad[0]
        assert "建议" in bad[0]
        assert clean(bad[0])


def test_largest_gains_are_the_top_two_and_need_a_base():
    f = facts(
        {
            "enterprises.hitech_new": 30,
            "enterprises.tech_sme_registered": 200,
            "digital.assessed_enterprises": 150,
            "talent.executives": (100, "人"),
        },
        {
            "enterprises.hitech_new": 20,  # +50%
            "enterprises.tech_sme_registered": 190,  # +5.3%: below the threshold
            "digital.assessed_enterprises": 50,  # +200%
            "talent.executives": (5, "人"),  # a base too small
        },
    )
    [paragraph] = texts(highlights.gains(f))
    assert "同比增长200%" in paragraph and "同比增长50%" in paragraph
    assert "5.3%" not in paragraph and "talent.executives" not in paragraph


@pytest.mark.parametrize(("before", "claimed"), [(0, True), (1, False), (None, False)])
def test_first_national_carrier(before, claimed):
    key = "incubation.incubators.national"
    previous = {key: before, "enterprises.hitech_new": 3} if before is not None else {}
    f = facts({key: (1, "家", "国家级孵化载体")}, previous)
    drafted = texts(highlights.firsts(f))
    assert bool(drafted) is claimed
    if claimed:
        assert "零的突破" in drafted[0] and "国家级孵化载体1家" in drafted[0]


@pytest.mark.parametrize(
    ("groups", "label"),
    [((3, 3, 6), "“3+3+6”"), ((2, 4, 5), "“2+4+5”"), ((0, 3, 6), "“3+6”")],
)
def test_demonstration_groups_label_is_built_from_the_figures(groups, label):
    f = facts(
        {
            key: (n, "家", name)
            for key, n, name in zip(
                highlights.DEMO_GROUPS,
                groups,
                ("表现突出企业", "示范案例企业", "转型示范企业"),
                strict=True,
            )
        }
    )
    [paragraph] = texts(highlights.digital_demo(f))
    assert label in paragraph
    assert "0个" not in paragraph


# --- 三 problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "before", "found"),
    [(14, 23, True), (23, 23, False), (30, 23, False), (14, None, False)],
)
def test_a_figure_that_fell_is_a_problem_with_a_suggestion(now, before, found):
    key = "enterprises.hitech_new"
    previous = {key: before} if before is not None else {}
    drafted = texts(problems.fell(facts({key: now}, previous)))
    assert bool(drafted) is found
    if found:
        assert "较上年减少9家（下降39.1%）" in drafted[0]
        assert "建议逐项分析回落原因" in drafted[0]


@pytest.mark.parametrize(
    ("levels", "found"),
    [((6, 5, 3, 1, 0), True), ((1, 2, 6, 4, 2), False), ((0, 0, 0, 0, 0), False)],
)
def test_low_digital_levels(levels, found):
    f = facts(
        {
            f"digital.levels.{i}": (n, "家", name)
            for i, (n, name) in enumerate(
                zip(levels, ("未达级", "一级", "二级", "三级", "四级"), strict=True)
            )
        }
    )
    drafted = texts(problems.low_digital(f))
    assert bool(drafted) is found
    if found:
        assert "处于未达级的企业6家、处于一级的企业5家" in drafted[0]
        assert "占测评企业的73.3%" in drafted[0]
        assert "建议" in drafted[0]


def test_stalled_and_expired_name_the_kinds():
    f = facts(
        {
            "enterprises.applications_stalled": (
                3,
                "项",
                "",
                ["高新技术企业|2", "专精特新中小企业|1"],
            ),
            "enterprises.expired_not_renewed": (0, "项"),
        }
    )
    [stalled] = texts(problems.stalled(f))
    assert "有3项申请（高新技术企业2项、专精特新中小企业1项）" in stalled
    assert problems.expired(f) == []


# --- 四 plan -------------------------------------------------------------------------------


PLAN_PIPELINES = {
    "enterprises.hitech_new": 23,
    "enterprises.tech_sme_registered": 181,
    "enterprises.applications_pending.hitech": (
        5,
        "家",
        "正在申报的高新技术企业",
        ["submitted|3", "under_review|2"],
    ),
    "enterprises.applications_pending.specialised_sme": (
        17,
        "家",
        "正在申报的专精特新中小企业",
        ["under_review|17"],
    ),
    "enterprises.applications_pending.little_giant": (0, "家", "正在申报的专精特新“小巨人”企业"),
    "enterprises.applications_stalled": (9, "项", "", ["专精特新中小企业|9"]),
    "incubation.incubators_applying": (1, "家", "", ["甲孵化器|国家级|甲运营公司|孵化器"]),
    "incubation.recognitions_applying.digital_workshop.municipal": (
        3,
        "个",
        "正在申报的市级数字化车间",
    ),
    "incubation.recognitions_applying.smart_factory.municipal": (1, "个", "正在申报的市级智能工厂"),
    "incubation.recognitions_applying.green_factory.municipal": (0, "个", "正在申报的市级绿色工厂"),
    "digital.demo_park_budget": (18000000, "元", "", ["乙产业示范园区"]),
    "digital.demo_park_milestones_planned": (2, "个", "", ["自评|2032-01-31", "验收|2032-03-31"]),
    "finance.scheme_stage": (3, "/6阶段", "", ["科技担", "司法审查", "县政府审核", "甲", "乙"]),
    "finance.needs_open": (3, "项"),
}
PLAN_TARGETS = {
    "enterprises.hitech_new": (25, "家", "新培育高新技术企业"),
    "enterprises.tech_sme_registered": (181, "家", "科技型中小企业入库"),
    "digital.assessed_enterprises": (100, "家", "数字化测评企业"),
    "finance.signed_on_site": (200000000, "元", "现场签约金额"),
}


def test_plan_has_one_item_per_next_year_target_and_per_open_pipeline():
    items = plan.plan(facts(PLAN_PIPELINES, next_targets=PLAN_TARGETS))
    by_slot = {d.slot: d.text for d in items}
    assert list(by_slot) == [
        "plan.target.enterprises.hitech_new",
        "plan.target.enterprises.tech_sme_registered",
        "plan.pipeline.enterprises.applications_pending.hitech",
        "plan.pipeline.enterprises.applications_pending.specialised_sme",
        "plan.pipeline.incubation.incubators_applying",
        "plan.pipeline.incubation.recognitions_applying.digital_workshop",
        "plan.pipeline.incubation.recognitions_applying.smart_factory",
        "plan.target.digital.assessed_enterprises",
        "plan.pipeline.digital.demo_park",
        "plan.target.finance.signed_on_site",
        "plan.pipeline.finance.scheme_stage",
        "plan.pipeline.finance.needs_open",
    ]
    # A target item: the target, its value, the standing it starts from and the distance.
    hitech = by_slot["plan.target.enterprises.hitech_new"]
    assert "新培育高新技术企业" in hitech and "25家" in hitech and "2031年" in hitech
    assert "23家" in hitech and "2家" in hitech
    tech = by_slot["plan.target.enterprises.tech_sme_registered"]
    assert "190" not in tech and "181家" in tech and "2031年" in tech  # equal: kept level
    # No standing figure this year: the target alone, no zero printed.
    digital_target = by_slot["plan.target.digital.assessed_enterprises"]
    assert "100家" in digital_target and "2031年" not in digital_target
    assert "2亿元" in by_slot["plan.target.finance.signed_on_site"]
    # A pipeline item: its count, its stage and its next step.
    pending = by_slot["plan.pipeline.enterprises.applications_pending.hitech"]
    assert "5家" in pending and "已申报3家、审核中2家" in pending and "认定" in pending
    specialised = by_slot["plan.pipeline.enterprises.applications_pending.specialised_sme"]
    assert "17家" in specialised and "审核中" in specialised and "9家停留超过半年" in specialised
    assert "甲孵化器争创国家级孵化器" in by_slot["plan.pipeline.incubation.incubators_applying"]
    assert (
        "3个市级数字化车间"
        in by_slot["plan.pipeline.incubation.recognitions_applying.digital_workshop"]
    )
    demo = by_slot["plan.pipeline.digital.demo_park"]
    assert "乙产业示范园区项目" in demo and "预计2032年1月份完成自评" in demo
    assert "完成县政府审核" in by_slot["plan.pipeline.finance.scheme_stage"]
    assert "3项" in by_slot["plan.pipeline.finance.needs_open"]
    # Grouped under the seed's area headings; the numbers tied to their figures and targets.
    assert {d.heading for d in items} == {
        "持续做好梯次培育",
        "加速创新载体建设",
        "发挥数字赋能作用",
        "着力金融科技融合",
    }
    keys = {s.key for d in items for s in d.segments if s.key}
    assert {"target:enterprises.hitech_new", "enterprises.hitech_new"} <= keys
    assert "enterprises.applications_pending.specialised_sme" in keys
    assert all(clean(d.text) for d in items)


@pytest.mark.parametrize(
    ("now", "target", "words"),
    [
        (23, 25, ("23家", "25家", "2家")),  # to grow: the distance
        (25, 25, ("25家",)),  # the same: keep the level
        (30, 25, ("30家", "25家")),  # already above
        (0, 25, ("25家",)),  # no standing: the target alone
    ],
)
def test_a_target_item_names_its_value_and_standing_in_every_case(now, target, words):
    key = "enterprises.hitech_new"
    f = facts({key: now}, next_targets={key: (target, "家", "新培育高新技术企业")})
    [item] = plan.plan(f)
    assert all(w in item.text for w in words), item.text
    assert clean(item.text) and ("2031年" in item.text) == bool(now)


def test_plan_phrasings_vary_by_figure_and_no_two_items_in_a_row_open_alike():
    keys = [f"enterprises.kind{i}" for i in range(12)]
    f = facts(
        {k: 10 + i for i, k in enumerate(keys)},
        next_targets={k: (20 + i, "家", f"指标{i}") for i, k in enumerate(keys)},
    )
    items = plan.plan(f)
    starts = [d.text[:2] for d in items]
    assert len(set(starts)) >= 3, starts  # several phrasings of the target item
    assert all(a != b for a, b in zip(starts, starts[1:], strict=False)), starts
    drafted = drafting.draft(facts(PLAN_PIPELINES, next_targets=PLAN_TARGETS))["plan"]
    openings = [drafting.opening_of(d.text) for d in drafted]
    assert all(a != b for a, b in zip(openings, openings[1:], strict=False)), openings
    assert all(a[:2] != b[:2] for a, b in zip(openings, openings[1:], strict=False)), openings


def test_without_next_years_targets_the_plan_carries_this_years_over_in_the_seeds_manner():
    f = facts(
        {**PLAN_PIPELINES, "enterprises.innovative_sme_applications": 0},
        targets={
            "enterprises.hitech_new": (30, "家", "新培育高新技术企业"),
            "enterprises.innovative_sme_applications": (20, "家", "创新型中小企业申报"),
            "finance.signed_on_site": (100000000, "元", "现场签约金额"),
        },
    )
    items = plan.plan(f)
    by_slot = {d.slot: d.text for d in items}
    # The seed's lead sentence opens each area, then its items.
    assert items[0].slot == "plan.lead.tiers" and items[0].text.startswith("持续做好政策宣传和解读")
    assert "plan.lead.finance" in by_slot and "plan.lead.talent" not in by_slot
    carried = by_slot["plan.carry.enterprises.hitech_new"]
    assert "30家" in carried and "23家" in carried and "7家" in carried  # the gap to close
    open_target = by_slot["plan.carry.enterprises.innovative_sme_applications"]
    assert "20家" in open_target and clean(open_target)  # no achievement: no zero
    assert "plan.pipeline.enterprises.applications_pending.hitech" in by_slot
    assert not any(s.startswith("plan.target.") for s in by_slot)
    assert all(clean(t) for t in by_slot.values())


def test_a_year_with_no_target_and_no_pipeline_still_drafts_its_plan():
    only_work = plan.plan(facts({"talent.executives": (40, "人"), "enterprises.hitech_new": 0}))
    assert [d.slot for d in only_work] == ["plan.lead.talent"]
    nothing = plan.plan(facts({"enterprises.hitech_new": 0}))
    assert [d.slot for d in nothing] == ["plan.lead.general"]
    assert "2032年" in nothing[0].text and clean(nothing[0].text)


# --- the composer --------------------------------------------------------------------------


def test_an_empty_year_says_so_in_words_never_zero():
    drafted = drafting.draft(facts({"enterprises.hitech_new": 0, "digital.meetings": (0, "次")}))
    for spec in STRUCTURE:
        if spec.level and spec.code not in drafting.OPTIONAL and spec.parent != "highlights":
            if spec.code in ("work", "highlights"):
                continue
            assert drafted[spec.code], spec.code
    text = "".join(d.text for items in drafted.values() for d in items)
    assert "暂未开展" in text
    assert clean(text)


def test_no_two_consecutive_paragraphs_open_alike():
    f = facts(
        {
            **DIGITAL_FULL,
            "enterprises.hitech_new": 23,
            "enterprises.applications_stalled": (3, "项", "", ["高企|3"]),
            "enterprises.expired_not_renewed": (2, "项", "", ["高企|2"]),
            "talent.unsolved_demands": (4, "项"),
        }
    )
    paragraphs = [d.text for items in drafting.draft(f).values() for d in items]
    openings = [drafting.opening_of(p) for p in paragraphs]
    assert all(a != b for a, b in zip(openings, openings[1:], strict=False)), openings


def test_problems_are_numbered_in_order():
    f = facts(
        {
            "enterprises.applications_stalled": (3, "项", "", ["高企|3"]),
            "enterprises.expired_not_renewed": (2, "项", "", ["高企|2"]),
        }
    )
    found = texts(drafting.draft(f)["problems"])
    assert found[0].startswith("一是部分申报事项推进迟缓。")
    assert found[1].startswith("二是资质到期续期工作有待加强。")


def test_drafting_twice_gives_the_same_words():
    f = facts({**DIGITAL_FULL, "enterprises.hitech_new": 23})
    first = {k: texts(v) for k, v in drafting.draft(f).items()}
    assert first == {k: texts(v) for k, v in drafting.draft(f).items()}


def test_a_rounded_count_carries_no_exact_change():
    key = "digital.meetings"
    current, previous = {key: (12, "次")}, {key: (3, "次"), "enterprises.registered": 50}
    assert "较上年增加9次" in texts(digital.work(facts(current, previous)))[0]
    rounded_text = texts(digital.work(facts(current, previous, rounding={key: "about"})))[0]
    assert "10余次" in rounded_text and "较上年" not in rounded_text
