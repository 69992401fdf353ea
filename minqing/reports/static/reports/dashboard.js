/* The dashboard's charts: drawn with ECharts (our own static copy) from the JSON that the page
 * carries in <script id="dashboard-data" type="application/json">. Every figure is also in a
 * table below its chart; without ECharts each chart says so and the tables remain. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var text = data.text;
  document.documentElement.classList.add("js");

  var PALETTE = ["#1b4f8a", "#a61b1b", "#2f7d32", "#b35c00", "#6b7785", "#7b4fa0", "#0f8a8a", "#c28f00"];
  var FONT = getComputedStyle(document.body).fontFamily;
  var charts = [];

  function containers(kind) {
    return Array.prototype.slice.call(document.querySelectorAll('.chart[data-chart="' + kind + '"]'));
  }

  function message(el, words) {
    el.classList.add("chart-message");
    el.removeAttribute("aria-hidden");
    el.textContent = words;
  }

  if (!data.echarts || typeof window.echarts === "undefined") {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), function (el) {
      message(el, text.noCharts);
    });
    return;
  }
  var echarts = window.echarts;

  function draw(el, option) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
    option.color = option.color || PALETTE;
    option.textStyle = { fontFamily: FONT };
    option.animation = false;
    if (option.tooltip) {
      // drawn on the canvas: an HTML tooltip carries inline style attributes, which the page's
      // Content-Security-Policy (style-src 'self') refuses, and would read names as HTML
      option.tooltip.renderMode = "richText";
    }
    chart.setOption(option, true);
    el.dataset.drawn = "true";
    if (charts.indexOf(chart) < 0) {
      charts.push(chart);
    }
    return chart;
  }

  function grid() {
    return { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };
  }

  function bars(el, labels, values, name, horizontal) {
    var category = { type: "category", data: labels, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    return draw(el, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: grid(),
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", name: name, data: values, barMaxWidth: 36, label: { show: true, position: horizontal ? "right" : "top" } }],
    });
  }

  // problems by state, source and channel
  [["state", data.state], ["source", data.source], ["channel", data.channel]].forEach(function (pair) {
    containers(pair[0]).forEach(function (el) {
      bars(el, pair[1].labels, pair[1].values, "", true); // horizontal: the labels stay readable
    });
  });

  // resolved on the spot against the rest
  containers("on-the-spot").forEach(function (el) {
    var d = data.onTheSpot;
    if (d.onTheSpot + d.other === 0) {
      draw(el, {
        title: { text: text.noResolved, left: "center", top: "middle", textStyle: { fontSize: 13, fontWeight: "normal", color: "#6b7785" } },
        series: [],
      });
      return;
    }
    draw(el, {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["40%", "68%"],
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{c}" },
          data: [
            { name: text.onTheSpot, value: d.onTheSpot },
            { name: text.otherResolved, value: d.other },
          ],
        },
      ],
    });
  });

  // activities by type: sessions, person-times, people
  containers("types").forEach(function (el) {
    var t = data.types;
    draw(el, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: grid(),
      xAxis: { type: "category", data: t.labels, axisLabel: { interval: 0, rotate: t.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "bar", name: text.sessions, data: t.sessions, barMaxWidth: 24 },
        { type: "bar", name: text.personTimes, data: t.personTimes, barMaxWidth: 24 },
        { type: "bar", name: text.people, data: t.people, barMaxWidth: 24 },
      ],
    });
  });

  // person-times (line) and sessions (bars) per month
  containers("series").forEach(function (el) {
    var s = data.series;
    draw(el, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: grid(),
      xAxis: { type: "category", data: s.labels },
      yAxis: [
        { type: "value", name: text.personTimes, minInterval: 1 },
        { type: "value", name: text.sessions, minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { type: "line", name: text.personTimes, data: s.personTimes, smooth: false, symbolSize: 6 },
        { type: "bar", name: text.sessions, data: s.sessions, yAxisIndex: 1, barMaxWidth: 18, itemStyle: { opacity: 0.6 } },
      ],
    });
  });

  // programme progress: share of plan per target
  var programmes = {};
  data.programmes.forEach(function (p) {
    programmes[String(p.id)] = p;
  });
  containers("programme").forEach(function (el) {
    var p = programmes[el.dataset.programme];
    if (!p) {
      return;
    }
    var shares = p.shares.map(function (v) {
      return v === null ? 0 : v;
    });
    draw(el, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      grid: Object.assign(grid(), { bottom: 30 }),
      xAxis: { type: "value", name: text.share, nameLocation: "middle", nameGap: 24, max: Math.max(100, Math.ceil(Math.max.apply(null, shares.concat([0])))) },
      yAxis: { type: "category", data: p.targets, inverse: true },
      series: [
        {
          type: "bar",
          data: shares,
          barMaxWidth: 18,
          label: { show: true, position: "right", formatter: "{c}%" },
          markLine: { silent: true, symbol: "none", data: [{ xAxis: 100 }], lineStyle: { color: "#a61b1b", type: "dashed" } },
        },
      ],
    });
  });

  // child units and the county map, by the chosen metric; a click drills down
  var metricSelect = document.getElementById("f-metric");
  var metricLabel = document.getElementById("map-metric-label");

  function metricName(key) {
    var found = data.metrics.filter(function (m) {
      return m.key === key;
    });
    return found.length ? found[0].label : key;
  }

  function drawChildren(metric) {
    containers("children").forEach(function (el) {
      var c = data.children;
      var values = c.values.map(function (v) {
        return v[metric];
      });
      var chart = draw(el, {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: grid(),
        xAxis: { type: "category", data: c.labels, axisLabel: { interval: 0, rotate: c.labels.length > 8 ? 35 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", name: metricName(metric), data: values, barMaxWidth: 36, cursor: "pointer" }],
      });
      chart.off("click");
      chart.on("click", function (params) {
        var url = c.urls[params.dataIndex];
        if (url) {
          window.location.href = url;
        }
      });
    });
  }

  var MAP_NAME = "minqing-counties";
  var mapReady = false;

  function drawMap(metric) {
    if (!mapReady || !data.map) {
      return;
    }
    containers("map").forEach(function (el) {
      var items = [];
      var top = 0;
      data.map.areas.forEach(function (a) {
        var item = { name: a.name, url: a.url, code: a.code };
        if (a.values) {
          item.value = a.values[metric];
          top = Math.max(top, item.value);
        } else {
          item.itemStyle = { areaColor: "#e5e7ea" };
          item.emphasis = { disabled: true };
        }
        if (a.current) {
          item.itemStyle = { borderColor: "#1f2933", borderWidth: 2.5 };
        }
        items.push(item);
      });
      var chart = draw(el, {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            return p.name + (p.value === p.value && p.value !== undefined ? ": " + p.value : "");
          },
        },
        visualMap: {
          type: "continuous",
          min: 0,
          max: Math.max(1, top),
          left: 8,
          bottom: 8,
          text: [String(Math.max(1, top)), "0"],
          calculable: false,
          inRange: { color: ["#f6e7e7", "#a61b1b"] },
        },
        series: [
          {
            type: "map",
            map: MAP_NAME,
            name: metricName(metric),
            roam: false,
            selectedMode: false,
            label: { show: true, fontSize: 11 },
            itemStyle: { areaColor: "#e5e7ea", borderColor: "#ffffff" },
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#d9a441" } },
            data: items,
          },
        ],
      });
      chart.off("click");
      chart.on("click", function (params) {
        if (params.data && params.data.url) {
          window.location.href = params.data.url;
        }
      });
    });
  }

  drawChildren(data.metric);

  if (data.map) {
    Promise.all(
      data.map.files.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) {
            throw new Error(url + ": " + r.status);
          }
          return r.json();
        });
      })
    ).then(
      function (collections) {
        var features = [];
        collections.forEach(function (c) {
          features = features.concat(c.features);
        });
        echarts.registerMap(MAP_NAME, { type: "FeatureCollection", features: features });
        mapReady = true;
        drawMap(data.metric);
      },
      function () {
        containers("map").forEach(function (el) {
          message(el, text.noMap);
          el.dataset.drawn = "failed";
        });
      }
    );
  }

  if (metricSelect) {
    metricSelect.addEventListener("change", function () {
      var metric = metricSelect.value;
      drawChildren(metric);
      drawMap(metric);
      if (metricLabel) {
        metricLabel.textContent = metricName(metric);
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (c) {
        c.resize();
      });
    }, 150);
  });
})();
