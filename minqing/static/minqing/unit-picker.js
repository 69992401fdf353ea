/* The unit picker: every unit field (name "unit", "unit_code" or "*-unit_code") suggests the
   units in the user's scope matching what is typed (code, short code or name), each with its
   parents. Without this script the typed text is resolved by the server on submit. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-lookup");
  if (!url || !window.fetch) { return; }
  var SELECTOR = 'input[name="unit"], input[name="unit_code"], input[name$="-unit_code"], input[name="scope_code"]';
  var counter = 0;

  function fill(list, results) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.code;
      option.label = r.label + " (" + r.code + ")";
      option.textContent = r.label + " (" + r.code + ")";
      list.appendChild(option);
    });
  }

  function enhance(input) {
    if (input.type !== "text" && input.type !== "search") { return; }
    if (input.getAttribute("list")) { return; }
    counter += 1;
    var list = document.createElement("datalist");
    list.id = "unit-picker-" + counter;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q === last || q.length < 1) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = q;
        fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (input.value.trim() === q) { fill(list, data.results || []); } })
          .catch(function () { /* the server still resolves the text on submit */ });
      }, 250);
    });
  }

  function start() { Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
