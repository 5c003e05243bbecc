/* ParkDash: draws every chart on a page from the JSON the server wrote with json_script.
   The numbers, completion and 序时进度 are computed in Python; this file only draws them. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var box = canvas.closest(".chart-box");
      if (box) { box.classList.add("chart-empty"); box.textContent = box.getAttribute("data-unavailable") || "Chart.js could not be loaded; the numbers are in the table below."; }
    });
    return;
  }
  var lang = document.documentElement.lang || "zh-hans";
  var locale = lang.indexOf("zh") === 0 ? "zh-CN" : lang;
  var compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 2 });
  var plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var palette = {
    actual: "#12508f", target: "#9db7d5", lastyear: "#a0a9b4", pace: "#1d2733",
    ahead: "#1b7f3b", slightly_behind: "#d08a00", behind: "#b42318", no_target: "#9aa8b6"
  };

  function format(value, unit, compactAxis) {
    if (value === null || value === undefined) { return "—"; }
    var text = compactAxis && Math.abs(value) >= 10000 ? compact.format(value) : plain.format(value);
    if (!unit) { return text; }
    return unit === "%" ? text + "%" : text + " " + unit;
  }

  function datasetFor(spec, ds) {
    var isLine = (ds.type || (spec.kind === "line" ? "line" : "bar")) === "line";
    var color = palette[ds.color] || palette.actual;
    var out = {
      label: ds.label, data: ds.data, type: isLine ? "line" : "bar",
      borderColor: color, backgroundColor: color,
      spanGaps: true, borderWidth: isLine ? 2 : 0, pointRadius: isLine ? 3 : 0
    };
    if (ds.colors) { out.backgroundColor = ds.colors.map(function (c) { return palette[c] || color; }); }
    if (ds.dashed) { out.borderDash = [6, 4]; out.pointStyle = "line"; out.fill = false; }
    // A line with holes that mean "none here" (no 序时进度 for a stock or a rate): do not bridge them.
    if (ds.gaps) { out.spanGaps = false; }
    if (isLine) { out.order = 0; } else { out.order = 1; out.maxBarThickness = 36; }
    return out;
  }

  function draw(canvas) {
    var script = document.getElementById(canvas.getAttribute("data-chart"));
    if (!script) { return; }
    var spec = JSON.parse(script.textContent);
    var horizontal = !!spec.horizontal;
    var valueAxis = horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      ticks: { callback: function (v) { return format(v, spec.unit, true); } }
    };
    if (spec.kind === "completion") { scales[valueAxis].suggestedMax = 100; }
    if (spec.integer) { scales[valueAxis].ticks.precision = 0; }
    var config = {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: spec.datasets.map(function (ds) { return datasetFor(spec, ds); }) },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: function (ctx) {
            var v = horizontal ? ctx.parsed.x : ctx.parsed.y;
            return ctx.dataset.label + ": " + format(v, spec.unit, false);
          } } }
        }
      }
    };
    if (horizontal && spec.labels.length > 8) {
      canvas.parentNode.style.height = Math.max(300, spec.labels.length * 26 + 80) + "px";
    }
    new window.Chart(canvas, config);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // Printing lays the page out at the paper's width, and Chart.js does not follow on its own: each chart is
  // redrawn for the printed page, then again for the screen (the print stylesheet also caps a canvas's width).
  function resizeAll() {
    Object.keys(window.Chart.instances).forEach(function (id) { window.Chart.instances[id].resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
