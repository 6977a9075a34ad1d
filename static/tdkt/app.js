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
