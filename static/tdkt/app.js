// The phone-width menu: one button shows and hides the navigation.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.querySelector("[data-menu]");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", function () {
    var open = menu.classList.toggle("is-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// The nomination form: only the chosen kind of nominee's fields (a collective's or a person's) are shown.
document.addEventListener("DOMContentLoaded", function () {
  var radios = document.querySelectorAll('input[name="kind"]');
  var fields = document.querySelectorAll("[data-for-kind]");
  if (!radios.length || !fields.length) return;
  function show() {
    var chosen = document.querySelector('input[name="kind"]:checked');
    fields.forEach(function (field) {
      field.hidden = chosen ? field.getAttribute("data-for-kind") !== chosen.value : false;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
});

// A box that scrolls on its own (a wide table on a phone, the evidence panel) can be reached with the keyboard
// and scrolled with the arrow keys: it takes the focus when, and only while, its content overflows it.
(function () {
  function mark() {
    document.querySelectorAll(".table-wrap, .evidence-panel__body, [data-scroll-region]").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-made-focusable", "");
      } else if (!scrolls && box.hasAttribute("data-made-focusable")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-made-focusable");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
