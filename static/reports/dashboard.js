/* Draws the leadership dashboard's charts with the vendored Apache ECharts (no CDN). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var labels = data.labels || { count: "数量", money: "万元", missing: "暂无数据" };
  var palette = ["#b3261e", "#1d4f91", "#1e7b34", "#a05a00", "#6b3fa0", "#00838f", "#5d6d7e"];
  var charts = [];

  function draw(el, option) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-rendered", "true");
    charts.push(chart);
  }

  var trendEl = document.getElementById("chart-trends");
  if (trendEl) {
    var series = data.trends.series.filter(function (s) { return !s.missing; });
    if (series.length === 0) {
      var none = document.createElement("p");
      none.className = "missing";
      none.textContent = labels.missing;
      trendEl.replaceWith(none);
    } else {
      draw(trendEl, {
        color: palette,
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 48, right: 56, top: 24, bottom: 48 },
        xAxis: { type: "category", data: data.trends.quarters },
        yAxis: [
          { type: "value", name: labels.count },
          { type: "value", name: labels.money, position: "right" }
        ],
        series: series.map(function (s) {
          return {
            name: s.name + "（" + (s.money ? labels.money : s.unit) + "）",
            type: s.money ? "bar" : "line",
            yAxisIndex: s.money ? 1 : 0, data: s.data, smooth: false, connectNulls: false,
            itemStyle: s.money ? { opacity: 0.35 } : undefined, barMaxWidth: 36
          };
        })
      });
    }
  }

  document.querySelectorAll("[data-chart=distribution]").forEach(function (el) {
    var dist = data.distributions[Number(el.getAttribute("data-index"))];
    var items = dist.items.map(function (i) { return { name: i.name, value: i.value }; });
    // Nothing to divide: a pie of zeros would draw equal slices.
    if (dist.empty || !items.some(function (i) { return i.value; })) {
      var none = document.createElement("p");
      none.className = "missing";
      none.textContent = labels.missing;
      el.replaceWith(none);
      return;
    }
    var option = items.length <= 6 ? {
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      // A phone-width chart has no room for outer labels (ECharts cuts them to "高..."): the
      // values go inside the slices and the names stay in the legend.
      series: [{
        type: "pie", radius: ["35%", "65%"], data: items,
        label: el.clientWidth < 480
          ? { position: "inside", formatter: "{c}", color: "#fff" }
          : { position: "outside", formatter: "{b}\n{c}" }
      }]
    } : {
      color: palette,
      tooltip: { trigger: "axis" },
      grid: { left: 140, right: 40, top: 10, bottom: 24 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: items.map(function (i) { return i.name; }) },
      series: [{ type: "bar", data: items.map(function (i) { return i.value; }), label: { show: true, position: "right" } }]
    };
    draw(el, option);
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
