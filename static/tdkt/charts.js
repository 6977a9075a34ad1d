// Charts: each <canvas data-chart="id"> is drawn from the page's JSON (json_script "chart-data", so the
// CSP holds: no inline script), with Chart.js (static/tdkt/vendor/chartjs). The numbers are written the
// page's language's way (vi: 1.234.567). Each chart's table sits under it in a <details>; printing opens
// those tables and redraws the charts at the paper's width.
(function () {
  "use strict";
  var PALETTE = ["#1f5fa8", "#e08a00", "#b3261e", "#7a7a7a", "#2e7d32", "#6a3d9a"];
  var charts = [];

  function locale() {
    return document.documentElement.lang || "vi";
  }

  function draw(canvas, spec) {
    var horizontal = !!spec.horizontal;
    var box = canvas.parentNode;
    if (horizontal) {
      // A row per label: the chart grows with its rows rather than squeezing them (CSSOM, allowed by the CSP).
      box.style.height = Math.max(140, 44 + spec.labels.length * (spec.stacked ? 30 : 26 * spec.series.length)) + "px";
    }
    var datasets = spec.series.map(function (serie, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: serie.name, data: serie.values, backgroundColor: colour, borderColor: colour,
        borderWidth: spec.kind === "line" ? 2 : 0, maxBarThickness: 36,
      };
    });
    var valueAxis = {
      beginAtZero: true, stacked: !!spec.stacked,
      ticks: { precision: 0 },
      title: { display: !!spec.unit, text: spec.unit },
    };
    var labelAxis = {
      stacked: !!spec.stacked,
      ticks: { autoSkip: !horizontal, callback: function (value) {
        var label = this.getLabelForValue(value);
        return horizontal && label.length > 28 ? label.slice(0, 27) + "…" : label;
      } },
    };
    var chart = new window.Chart(canvas, {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: locale(),
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: spec.series.length > 1, position: "bottom" },
          tooltip: { enabled: true },
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
    canvas.setAttribute("data-drawn", "1");
    charts.push(chart);
  }

  function start() {
    var source = document.getElementById("chart-data");
    if (!source || !window.Chart) return;
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.getAttribute("data-chart")];
      if (spec) draw(canvas, spec);
    });
  }

  // Printing: the tables open (paper cannot click), the charts redraw at the paper's width; put back after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    document.querySelectorAll("details[data-chart-table]:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
    charts.forEach(function (chart) { chart.resize(); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    charts.forEach(function (chart) { chart.resize(); });
  });

  window.tdktCharts = charts;  // for the browser tests
  document.addEventListener("DOMContentLoaded", start);
})();
