// The tab's charts: every <canvas data-chart> the server sends is drawn with Chart.js. The
// server has formatted every label in the viewer's language; here only the numbers on the
// axes and in tooltips are formatted, with Intl in the locale the chart names ("44,4 %").
"use strict";

(function () {
  // The theme's tokens (tab.css), read when a chart is drawn; the light theme's as fallback.
  function token(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }
  let BLUE = "#0b4f9c";
  let PAPER = "#ffffff";
  let TARGET = "#0e700e";

  function number(locale, value, digits) {
    return new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits[0],
      maximumFractionDigits: digits[1],
    }).format(value);
  }

  function percent(spec, value, digits) {
    return spec.percent.replace("{value}", number(spec.locale, value, digits || [1, 1]));
  }

  // The måltal is written on its line, not only in the legend.
  const targetLabel = {
    id: "naervaerTargetLabel",
    afterDatasetsDraw(chart) {
      chart.data.datasets.forEach((dataset, index) => {
        if (!dataset.naervaerTarget || !chart.isDatasetVisible(index)) return;
        // At the start of the line: the latest months, at the end, are where the data is.
        const first = chart.getDatasetMeta(index).data[0];
        if (!first) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.font = "600 12px " + Chart.defaults.font.family;
        ctx.fillStyle = dataset.borderColor;
        ctx.textAlign = "left";
        ctx.textBaseline = "bottom";
        ctx.fillText(dataset.label, first.x + 4, first.y - 4);
        ctx.restore();
      });
    },
  };

  function trend(spec) {
    const incomplete = spec.incomplete;
    const datasets = [
      {
        label: spec.series,
        data: spec.values,
        borderColor: BLUE,
        backgroundColor: BLUE,
        borderWidth: 2,
        pointRadius: (ctx) => (ctx.dataIndex === incomplete ? 5 : 3),
        pointBorderWidth: 2,
        // The month under way: a hollow point on a dashed line.
        pointBackgroundColor: (ctx) => (ctx.dataIndex === incomplete ? PAPER : BLUE),
        segment: { borderDash: (ctx) => (ctx.p1DataIndex === incomplete ? [5, 4] : undefined) },
      },
    ];
    if (incomplete !== null) {
      // Only to explain the hollow point in the legend: it draws that one point again.
      datasets.push({
        label: spec.soFar,
        data: spec.values.map((v, i) => (i === incomplete ? v : null)),
        borderColor: BLUE,
        backgroundColor: PAPER,
        borderWidth: 2,
        pointRadius: 5,
        showLine: false,
        naervaerSoFar: true,
      });
    }
    if (spec.target) {
      datasets.push({
        label: spec.target.label,
        data: spec.labels.map(() => spec.target.value),
        borderColor: TARGET,
        backgroundColor: TARGET,
        borderDash: [8, 4],
        borderWidth: 2,
        pointRadius: 0,
        pointHitRadius: 0,
        pointStyle: "line",
        naervaerTarget: true,
      });
    }
    return {
      type: "line",
      data: { labels: spec.labels, datasets },
      options: {
        scales: {
          x: axis(spec.xTitle, { maxRotation: 0, autoSkipPadding: 12 }),
          y: axis(spec.yTitle, { callback: (v) => percent(spec, v, [0, 1]) }, { beginAtZero: true, grace: "10%" }),
        },
        plugins: {
          tooltip: {
            filter: (item) => !item.dataset.naervaerSoFar,
            callbacks: { label: (ctx) => ctx.dataset.label + ": " + percent(spec, ctx.parsed.y) },
          },
        },
      },
      plugins: [targetLabel],
    };
  }

  // Each colour also has its own pattern, so the bars are told apart without colour too.
  function pattern(colour, kind) {
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.7)";
    ctx.lineWidth = 1.5;
    if (kind === "yellow") {
      ctx.beginPath();
      ctx.moveTo(0, 8);
      ctx.lineTo(8, 0);
      ctx.stroke();
    } else if (kind === "red") {
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.lineTo(8, 8);
      ctx.moveTo(0, 8);
      ctx.lineTo(8, 0);
      ctx.stroke();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function stacked(spec) {
    const datasets = spec.datasets.map((d) => ({
      label: d.label,
      data: d.values,
      backgroundColor: pattern(d.colour, d.key),
      borderColor: d.colour,
      borderWidth: 1,
    }));
    return {
      type: "bar",
      data: { labels: spec.labels, datasets },
      options: {
        scales: {
          x: axis(spec.xTitle, { maxRotation: 0, autoSkipPadding: 8 }, { stacked: true }),
          y: axis(spec.yTitle, { precision: 0 }, { stacked: true, beginAtZero: true }),
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (ctx) => ctx.dataset.label + ": " + number(spec.locale, ctx.parsed.y, [0, 0]),
            },
          },
        },
      },
    };
  }

  function axis(title, ticks, extra) {
    return Object.assign({ title: { display: true, text: title }, ticks }, extra || {});
  }

  function draw(canvas) {
    if (Chart.getChart(canvas)) return;
    const spec = JSON.parse(canvas.dataset.chart);
    BLUE = token("--colorBrandForeground1", BLUE);
    PAPER = token("--colorNeutralBackground1", PAPER);
    TARGET = token("--chartTarget", TARGET);
    Chart.defaults.borderColor = token("--colorNeutralStroke2", "rgba(0, 0, 0, 0.1)");
    const config = spec.kind === "trend" ? trend(spec) : stacked(spec);
    // Follows the page's text colour, so a dark or high-contrast theme keeps its contrast.
    const colour = getComputedStyle(canvas).color;
    Chart.defaults.color = colour;
    Object.assign(config.options, {
      locale: spec.locale,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { right: 8, top: 4 } }, // room for the last point's ring
    });
    config.options.plugins.legend = {
      position: "bottom",
      labels: { color: colour, usePointStyle: spec.kind === "trend" },
    };
    new Chart(canvas, config);
  }

  function drawAll() {
    if (!window.Chart) return; // chart.umd.js missing: the captions and tables still tell
    // Charts of a page left behind go with it.
    for (const chart of Object.values(Chart.instances)) {
      if (!chart.canvas.isConnected) chart.destroy();
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  // Teams may change its theme while the page is open: draw again in the new colours.
  function redraw() {
    if (!window.Chart) return;
    for (const chart of Object.values(Chart.instances)) chart.destroy();
    drawAll();
  }

  document.addEventListener("naervaer:content", drawAll);
  new MutationObserver(redraw).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });
})();
