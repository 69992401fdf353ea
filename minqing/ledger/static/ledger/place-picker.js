/* The online form's place picker (public/submit.html, issue 14 part 1), under the strict CSP.
   Without this script every picker button is a submit button of the same form: the server shows
   the page again with everything typed kept. With it, the same buttons work in place: the search
   lists matches inline, each select fills the next from /public/places/?code=, "使用我的位置"
   asks the phone and preselects the county, and "显示地图" loads ECharts (only then) and draws
   the chosen county with its neighbours from the local GeoJSON. Nothing typed is ever replaced. */
(function () {
  "use strict";
  var box = document.getElementById("place");
  var form = document.getElementById("submit-form");
  if (!box || !form || !window.fetch || !window.JSON) { return; }
  var d = box.dataset;
  var search = form.querySelector("[name=unit_code]");
  var hidden = form.querySelector("input[name=unit]");
  var results = document.getElementById("place-results");
  var chosenOut = document.getElementById("place-chosen");
  var note = document.getElementById("place-locate-note");
  var mapBox = document.getElementById("place-map");
  var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
  var state = null; // the last cascade the server gave
  var mapShown = false;

  Array.prototype.forEach.call(box.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(box.querySelectorAll(".no-js-only"), function (el) { el.hidden = true; });

  function getJSON(url, options) {
    return fetch(url, options || { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body && body.error ? body.error : String(r.status)); }
          return body;
        }, function () { throw new Error(d.msgFailed); });
      });
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  function say(el, text, cls) {
    clear(el);
    var p = document.createElement("p");
    if (cls) { p.className = cls; }
    p.textContent = text;
    el.appendChild(p);
  }

  function showChosen(chosen) {
    clear(chosenOut);
    if (!chosen) { chosenOut.textContent = d.msgNone; return; }
    chosenOut.appendChild(document.createTextNode(d.msgChosen));
    var strong = document.createElement("strong");
    strong.textContent = chosen.label;
    chosenOut.appendChild(strong);
  }

  function apply(cascade) {
    state = cascade;
    cascade.levels.forEach(function (level) {
      var select = form.querySelector("select[name=" + level.field + "]");
      if (!select) { return; }
      clear(select);
      var first = document.createElement("option");
      first.value = "";
      first.textContent = level.options.length ? d.msgChoose : d.msgAbove;
      select.appendChild(first);
      level.options.forEach(function (p) {
        var option = document.createElement("option");
        option.value = p.code;
        option.textContent = p.label;
        option.selected = p.code === level.selected;
        select.appendChild(option);
      });
      select.disabled = !level.options.length;
    });
    if (hidden) { hidden.value = cascade.chosen ? cascade.chosen.code : ""; }
    showChosen(cascade.chosen);
    if (mapShown) { drawMap(); }
  }

  function load(code) {
    var url = d.places + (code ? "?code=" + encodeURIComponent(code) : "");
    return getJSON(url).then(apply, function (err) { say(note, err.message, "alert"); note.hidden = false; });
  }

  selects.forEach(function (select, i) {
    select.addEventListener("change", function () {
      // an emptied select goes back to the choice above it
      var code = select.value || (i > 0 ? selects[i - 1].value : "");
      load(code);
    });
  });

  // the search: matches inline, each a button that picks the place
  var timer = null;
  var asked = "";
  function runSearch() {
    var q = search.value.trim();
    if (!q) { clear(results); asked = ""; return; }
    if (q === asked) { return; }
    asked = q;
    getJSON(d.places + "?q=" + encodeURIComponent(q)).then(function (data) {
      if (search.value.trim() !== q) { return; }
      clear(results);
      if (!data.results.length) { say(results, d.msgNoresult, "alert"); return; }
      var head = document.createElement("p");
      head.className = "muted small";
      head.textContent = d.msgFound.replace("{n}", String(data.results.length));
      results.appendChild(head);
      var list = document.createElement("ul");
      list.className = "place-list";
      data.results.forEach(function (p) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "place-option";
        b.dataset.code = p.code;
        b.textContent = p.label + " ";
        var code = document.createElement("span");
        code.className = "muted small";
        code.textContent = p.code;
        b.appendChild(code);
        li.appendChild(b);
        list.appendChild(li);
      });
      results.appendChild(list);
    }, function (err) { asked = ""; say(results, err.message, "alert"); });
  }
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(runSearch, 350);
  });
  results.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.place-option") : null;
    if (!b) { return; }
    e.preventDefault();
    load(b.value || b.dataset.code);
  });

  // the picker's submit buttons (and Enter in a field, which presses the first of them) stay on the page
  form.addEventListener("submit", function (e) {
    var s = e.submitter;
    if (!s || !s.name || ["search", "next", "pick"].indexOf(s.name) < 0) { return; }
    e.preventDefault();
    if (s.name === "pick") { load(s.value); return; }
    if (s.name === "search") { asked = ""; window.clearTimeout(timer); runSearch(); }
  });

  // the phone's location: the county holding it, by the shipped boundaries (not stored)
  var locate = document.getElementById("place-locate");
  if (locate && !navigator.geolocation) { locate.hidden = true; }
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      var label = locate.textContent;
      locate.disabled = true;
      locate.textContent = locate.dataset.busy;
      function done() { locate.disabled = false; locate.textContent = label; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var body = new URLSearchParams();
        body.set("lat", String(pos.coords.latitude));
        body.set("lon", String(pos.coords.longitude));
        var token = form.querySelector("[name=csrfmiddlewaretoken]");
        getJSON(d.locate, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
          body: body,
        }).then(function (cascade) {
          apply(cascade);
          say(note, d.msgLocated, "notice");
          done();
        }, function (err) { say(note, err.message, "alert"); done(); });
      }, function () { say(note, d.msgNogeo, "alert"); done(); }, { timeout: 15000, maximumAge: 600000 });
    });
  }

  // the map, on demand: ECharts (1 MB) is fetched only when asked for
  var showMap = document.getElementById("place-map-show");
  var geo = null;
  var chart = null;
  function countyCode() {
    var county = state && state.levels.length ? state.levels[0].selected : (selects[0] && selects[0].value);
    return county ? county.slice(0, 6) : "";
  }
  function drawMap() {
    if (!geo || !window.echarts) { return; }
    var code = countyCode();
    var features = geo.filter(function (f) {
      return !code || f.properties.gb.slice(3, 7) === code.slice(0, 4);
    });
    if (code && !features.length) { features = geo; }
    var chosen = features.filter(function (f) { return f.properties.gb.slice(3) === code; })[0];
    window.echarts.registerMap("minqing-place", { type: "FeatureCollection", features: features });
    mapBox.hidden = false;
    mapBox.setAttribute("role", "img");
    mapBox.setAttribute("aria-label", chosen ? chosen.properties.name : d.msgNomap);
    if (!chart) { chart = window.echarts.init(mapBox); }
    chart.setOption({
      series: [{
        type: "map",
        map: "minqing-place",
        roam: false,
        selectedMode: false,
        label: { show: false, fontSize: 11 },
        itemStyle: { areaColor: "#e5e7ea", borderColor: "#ffffff" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#d9a441" } },
        data: features.map(function (f) {
          var item = { name: f.properties.name, code: f.properties.gb.slice(3) + "000000" };
          if (chosen && f === chosen) { item.itemStyle = { areaColor: "#a61b1b" }; item.label = { show: true, color: "#fff", fontWeight: "bold" }; }
          return item;
        }),
      }],
    }, true);
    chart.off("click");
    chart.on("click", function (p) { if (p.data && p.data.code) { load(p.data.code); } });
  }
  if (showMap && d.echarts && d.geo) {
    showMap.addEventListener("click", function () {
      showMap.disabled = true;
      mapShown = true;
      var script = document.createElement("script");
      script.src = d.echarts;
      var ready = new Promise(function (resolve, reject) { script.onload = resolve; script.onerror = reject; });
      document.head.appendChild(script);
      Promise.all([ready].concat(d.geo.split(" ").map(function (url) { return getJSON(url); })))
        .then(function (loaded) {
          geo = [];
          loaded.slice(1).forEach(function (c) { geo = geo.concat(c.features); });
          drawMap();
          showMap.hidden = true;
        }, function () { showMap.disabled = false; mapShown = false; say(note, d.msgFailed, "alert"); });
    });
  } else if (showMap) {
    showMap.hidden = true;
  }
})();
