// Renders every [data-chart] element with Apache ECharts (vendored). Attributes:
// data-chart = pie | bar | line; data-series = JSON [{name, value}] (pie/bar) or
// {x: [...], series: [{name, data: [...]}]} (line/bar with several series).
(function () {
  function render(el) {
    if (!window.echarts) return;
    var kind = el.dataset.chart;
    var data;
    try { data = JSON.parse(el.dataset.series || "[]"); } catch (e) { return; }
    var chart = echarts.init(el);
    var palette = ["#b3261e", "#1f5fbf", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"];
    var opt;
    if (kind === "pie") {
      opt = { color: palette, tooltip: { trigger: "item" }, legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], data: data, label: { formatter: "{b}: {c}" } }] };
    } else if (Array.isArray(data)) {
      opt = { color: palette, tooltip: { trigger: "axis" }, grid: { left: 60, right: 20, bottom: 60 },
        xAxis: { type: "category", data: data.map(function (d) { return d.name; }), axisLabel: { rotate: 30 } },
        yAxis: { type: "value" }, series: [{ type: kind === "line" ? "line" : "bar", data: data.map(function (d) { return d.value; }) }] };
    } else {
      opt = { color: palette, tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 60, right: 20, bottom: 60 },
        xAxis: { type: "category", data: data.x }, yAxis: { type: "value" },
        series: (data.series || []).map(function (s) { return { name: s.name, type: kind === "line" ? "line" : "bar", data: s.data }; }) };
    }
    chart.setOption(opt);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all(root) { (root || document).querySelectorAll("[data-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", function () { all(); });
  document.addEventListener("htmx:afterSwap", function (e) { all(e.target); });
})();
