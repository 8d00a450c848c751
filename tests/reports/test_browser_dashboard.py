"""Chromium: the dashboard as leadership reads it, at desktop and phone width, in Chinese and
English — the charts follow the quarter filter, an all-zero distribution shows the empty note,
progress above 100% shows its percentage in a colour of its own, and with no year asked for
the page opens on the latest year with data and says which.

What the charts draw is read back from ECharts itself (`echarts.getInstanceByDom(el)
.getOption()`): the data the canvas was painted from, not the JSON the page was given.
"""

import pytest
from django.conf import settings
from django.utils import timezone

from bureau.figures import Figure
from tests.factories import TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year - 2  # the latest year with data; the two after it are empty


def zone_source(year: int, quarter: int | None = None) -> list[Figure]:
    """Data up to YEAR only: new hitech enterprises 21 for the year (5, 10, 15, 21 by quarter,
    against a target of 20: 105%), tiers that grow by quarter, and digital levels all zero."""
    q = quarter or 4
    has_data = year <= YEAR
    hitech = (5 * q if q < 4 else 21) if has_data else 0
    return [
        Figure("enterprises.hitech_new", "新培育高新技术企业", "家", hitech, year, quarter),
        Figure("enterprises.tiers.hitech", "高新技术企业", "家", 3 * q * has_data, year, quarter),
        Figure("enterprises.tiers.tech_sme", "科技型中小企业", "家", q * has_data, year, quarter),
        Figure("digital.levels.1", "一级", "家", 0, year, quarter),
        Figure("digital.levels.2", "二级", "家", 0, year, quarter),
    ]


@pytest.fixture
def zone(figure_sources):
    figure_sources(enterprises=zone_source, digital=zone_source)
    TargetFactory(year=YEAR, figure_key="enterprises.hitech_new", label="高企", target_value=20)


CHART = """(id) => {
  const el = document.getElementById(id);
  const chart = el && window.echarts.getInstanceByDom(el);
  if (!chart) { return null; }
  const option = chart.getOption();
  return {
    x: option.xAxis && option.xAxis[0].data,
    series: option.series.map((s) => ({
      name: s.name,
      data: s.data.map((d) => (d !== null && typeof d === "object" ? d.value : d)),
      names: s.data.map((d) => (d !== null && typeof d === "object" ? d.name : null)),
    })),
    width: el.getBoundingClientRect().width,
    label: option.series[0].label && option.series[0].label.position,
  };
}"""

WORDS = {
    "zh-hans": {
        "showing": f"当前显示：{YEAR}年全年。",
        "fallback": f"{YEAR + 2}年尚无数据，已显示最近有数据的{YEAR}年",
        "quarter": f"当前显示：{YEAR}年，截至第2季度末。",
        "q": ["第1季度", "第2季度", "第3季度", "第4季度"],
        "empty": "暂无数据",
        "exceeded": "105% 超额完成",
        "levels": "数字化水平分布",
    },
    "en": {
        "showing": f"Showing the whole of {YEAR}.",
        "fallback": f"{YEAR + 2} has no data yet, so the latest year with data, {YEAR}",
        "quarter": f"Showing {YEAR}, to the end of quarter 2.",
        "q": ["Q1", "Q2", "Q3", "Q4"],
        "empty": "No data",
        "exceeded": "105% exceeded",
        "levels": "Digital maturity levels",
    },
}


def _no_horizontal_overflow(page) -> None:
    overflow = page.evaluate(
        """() => {
          const limit = document.documentElement.clientWidth;
          const wide = [];
          document.querySelectorAll("body *").forEach((el) => {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > limit + 1 && getComputedStyle(el).position !== "fixed") {
              let p = el.parentElement, clipped = false;
              while (p) {
                const o = getComputedStyle(p).overflowX;
                if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
                p = p.parentElement;
              }
              if (!clipped) { wide.push(el.tagName + "." + el.className + " " + Math.round(r.right)); }
            }
          });
          return {scroll: document.documentElement.scrollWidth, limit, wide: wide.slice(0, 8)};
        }"""
    )
    assert overflow["scroll"] <= overflow["limit"] + 1, overflow
    assert not overflow["wide"], overflow


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_leadership_dashboard_charts_follow_the_filters_at_desktop_and_phone_width(
    browser_page, leader_user, zone, live_server, language, width
):
    page = browser_page
    words = WORDS[language]
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.login(leader_user)

    # No year asked for: the latest year with data, and the page says so.
    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("#chart-trends[data-rendered=true] canvas")
    year_note = page.locator("#dashboard-year")
    assert year_note.is_visible()
    assert words["showing"] in year_note.inner_text()
    assert words["fallback"] in year_note.inner_text()
    assert page.locator("#id_year").input_value() == str(YEAR)

    # The whole year: four quarters drawn, the cumulative values of each.
    trends = page.evaluate(CHART, "chart-trends")
    assert trends["x"] == words["q"]
    hitech = next(s for s in trends["series"] if s["data"] == [5, 10, 15, 21])
    assert hitech["name"].startswith("新培育高新技术企业")
    tiers = page.evaluate(CHART, "chart-tiers")
    assert sorted(tiers["series"][0]["data"]) == [4, 12]

    # All-zero digital levels: the empty note, visible, and no chart drawn for them.
    assert page.locator("#chart-digital_levels").count() == 0
    levels_card = page.locator("section.card", has=page.locator("p.missing")).filter(
        has_text=words["levels"]
    )
    empty_note = levels_card.locator("p.missing").first
    assert empty_note.is_visible() and empty_note.inner_text().strip() == words["empty"]

    # 105%: said as such, in the colour kept for exceeded targets, the bar full.
    tile = page.locator(".kpi[data-key='enterprises.hitech_new']").first
    label = tile.locator(".progress-text")
    assert label.is_visible()
    assert " ".join(label.inner_text().split()) == words["exceeded"]
    assert "over" in label.get_attribute("class").split()
    # "105% 超额完成" reads as one label: it does not break across lines on a phone.
    assert label.evaluate("el => el.getClientRects().length") == 1
    colour = label.evaluate("el => getComputedStyle(el).color")
    plain = page.evaluate(
        """() => { const s = document.createElement("span"); s.className = "small progress-text";
                   document.body.appendChild(s); const c = getComputedStyle(s).color;
                   s.remove(); return c; }"""
    )
    assert colour == "rgb(160, 90, 0)" and colour != plain
    bar = tile.locator(".bar")
    assert bar.get_attribute("aria-valuenow") == "105"
    fill = bar.evaluate(
        "el => [el.getBoundingClientRect().width, el.firstElementChild.getBoundingClientRect().width,"
        " getComputedStyle(el.firstElementChild).backgroundColor]"
    )
    assert fill[0] > 0 and abs(fill[0] - fill[1]) < 1 and fill[2] == "rgb(160, 90, 0)"
    page.screenshot_as(f"reports-dashboard-{language}-{width}")
    _no_horizontal_overflow(page)

    # Second quarter: the trend stops there, the distribution is the state at its end.
    page.goto(f"{page.base_url}/dashboard/?year={YEAR}&quarter=2")
    page.wait_for_selector("#chart-trends[data-rendered=true] canvas")
    assert words["quarter"] in page.locator("#dashboard-year").inner_text()
    trends = page.evaluate(CHART, "chart-trends")
    assert trends["x"] == words["q"][:2]
    assert [5, 10] in [s["data"] for s in trends["series"]]
    tiers = page.evaluate(CHART, "chart-tiers")
    assert sorted(tiers["series"][0]["data"]) == [2, 6]
    assert trends["width"] <= width and tiers["width"] <= width
    # On a phone the slices carry their values inside (names in the legend): outer labels
    # would be cut to "高..." at this width.
    assert tiers["label"] == ("inside" if width < 480 else "outside")
    # 10 of 20 by the end of the second quarter: no longer exceeded.
    label = page.locator(".kpi[data-key='enterprises.hitech_new'] .progress-text").first
    assert label.inner_text().strip() == "50%"
    assert "over" not in label.get_attribute("class").split()
    page.screenshot_as(f"reports-dashboard-{language}-{width}-q2")
    _no_horizontal_overflow(page)
