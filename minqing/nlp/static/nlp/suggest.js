// The intake page's 采纳 and 并入此问题 buttons (docs/nlp.md): without JavaScript each is a submit
// button and the server fills the field; with it, a click fills the category select, the unit code
// or the number of the problem to add the message to, at once.
(function () {
  "use strict";
  function fill(button) {
    var form = button.form;
    if (!form) { return false; }
    var value = button.getAttribute("data-value");
    var kind = button.getAttribute("data-nlp-fill");
    if (kind === "category") {
      var select = form.querySelector("[name=category]");
      if (!select || !select.querySelector('option[value="' + value + '"]')) { return false; }
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (kind === "unit") {
      var code = form.querySelector("[name=unit_code]");
      if (!code) { return false; }
      code.value = value;
      var unit = form.querySelector("[name=unit]");
      if (unit) { unit.value = ""; }
      code.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (kind === "merge") {
      var number = form.querySelector("[name=merge_number]");
      if (!number) { return false; }
      number.value = value;
      number.dispatchEvent(new Event("change", { bubbles: true }));
    } else {
      return false;
    }
    var list = button.closest("ul");
    if (list) {
      list.querySelectorAll("button[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    }
    button.setAttribute("aria-pressed", "true");
    var status = form.querySelector(".nlp-status");
    if (status) { status.textContent = button.getAttribute("data-done") || ""; }
    return true;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-nlp-fill]");
    if (button && fill(button)) { event.preventDefault(); }
  });
})();
