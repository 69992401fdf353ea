/* The left menu folds behind its button on a phone (app.css: max-width 600px). A static file, as
   the Content-Security-Policy allows no inline script; without it the menu simply stays open. */
(function () {
  "use strict";
  var menu = document.querySelector("nav.menu");
  var button = menu && menu.querySelector(".menu-button");
  var list = menu && menu.querySelector(":scope > ul");
  if (!button || !list) {
    return;
  }
  list.id = list.id || "menu-list";
  button.setAttribute("aria-controls", list.id);
  menu.classList.add("foldable");
  button.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
