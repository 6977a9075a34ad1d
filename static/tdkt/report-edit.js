// Report editing: autosave, and nothing typed is ever lost.
// Every change is copied to this browser's localStorage at once, with the server sequence number the
// form was based on; a save to the server follows a moment later. On the next visit the copy is put
// back only if the server is still at that sequence (the save never landed, e.g. the session had
// expired). If the server moved on, the copy is never applied silently: the user is offered it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var key = "tdkt-report-" + form.dataset.report + "-v" + form.dataset.version;
  var status = form.querySelector("[data-autosave-status]");
  var seqInput = form.querySelector("input[name=seq]");
  var msg = function (name) { return form.dataset["msg" + name] || ""; };
  var timer = null;
  var saving = false;
  var pendingSubmit = false;
  var serverSeq = Number(seqInput.value);
  var hasErrors = !!document.querySelector("[data-testid=form-errors]");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("a-") === 0;
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; else if (!(el.name in values)) values[el.name] = ""; }
      else values[el.name] = el.value;
    });
    return values;
  }

  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(function (k) { return (a[k] || "") === (b[k] || ""); });
  }

  function keep(submitted) {
    var copy = { at: new Date().toISOString(), base: Number(seqInput.value), submitted: !!submitted, values: snapshot() };
    try { localStorage.setItem(key, JSON.stringify(copy)); }
    catch (e) { /* storage full or disabled: the server save still runs */ }
  }

  function drop() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.className = "autosave-status " + (kind || "muted");
  }

  function ensureRows(name) {
    // a-<code>-<index>-<column>: add table rows until the input exists.
    var match = /^a-(.+)-(\d+)-([a-z]+)$/.exec(name);
    if (!match) return;
    var probe = form.querySelector("[name^='a-" + match[1] + "-0-']");
    if (!probe) return;
    var table = probe.closest("table");
    while (!form.elements[name]) { if (!addRow(table)) break; }
  }

  function apply(stored) {
    Object.keys(stored.values).forEach(function (name) {
      ensureRows(name);
      var el = form.elements[name];
      if (!el) return;
      if (el instanceof RadioNodeList || (el.length && el[0] && el[0].type === "radio")) {
        Array.prototype.forEach.call(el, function (r) { r.checked = r.value === stored.values[name]; });
      } else { el.value = stored.values[name]; }
    });
  }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (!stored || !stored.values) return;
    var landed = serverSeq > stored.base;
    if (same(stored.values, snapshot()) || (stored.submitted && (landed || hasErrors))) {
      // The page already shows it: saved by the Save button, or sent back with the errors to fix.
      drop();
      return;
    }
    if (!landed) {
      apply(stored);
      say(msg("Restored"), "notice-inline");
      keep();
      schedule();
      return;
    }
    // Someone saved after this copy was taken: offer it, never overwrite their work silently.
    say(msg("Stale") + " ", "error");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--small";
    button.textContent = msg("UseCopy");
    button.addEventListener("click", function () { apply(stored); keep(); schedule(); say(msg("Restored"), "notice-inline"); });
    status.appendChild(button);
  }

  function save() {
    if (saving) { schedule(); return; }
    saving = true;
    var sent = snapshot();
    var body = new FormData(form);
    say(msg("Saving"));
    fetch(window.location.pathname, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-Requested-With": "fetch" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        // Logged out (session expired): the login page came back instead of JSON.
        var link = document.createElement("a");
        link.href = "/accounts/login/?next=" + encodeURIComponent(window.location.pathname);
        link.textContent = msg("LoginAgain");
        say(msg("Expired") + " ", "error");
        status.appendChild(link);
        return null;
      }
      return response.json().then(function (data) {
        if (data.seq !== undefined) { seqInput.value = data.seq; serverSeq = data.seq; }
        if (data.conflict || (data.error && !data.ok)) { say(data.error, "error"); return; }
        if (data.errors && Object.keys(data.errors).length) {
          keep();  // the valid answers landed; the copy keeps the rest on the new base
          say(msg("Invalid"), "error");
          return;
        }
        if (same(sent, snapshot())) drop(); else keep();  // typed on meanwhile: the copy moves to the new base
        say(msg("Saved") + " " + (data.saved_at || ""));
      });
    }).catch(function () {
      say(msg("Offline"), "error");
    }).finally(function () {
      saving = false;
      if (pendingSubmit) { pendingSubmit = false; keep(true); form.submit(); }
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  function addRow(table) {
    var body = table.tBodies[0];
    var last = body.rows[body.rows.length - 1];
    if (!last) return false;
    var copy = last.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("input"), function (input) {
      input.name = input.name.replace(/-(\d+)-([a-z]+)$/, function (_, n, column) { return "-" + (Number(n) + 1) + "-" + column; });
      input.value = "";
    });
    body.appendChild(copy);
    return true;
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-add-row]"), function (button) {
    button.addEventListener("click", function () {
      var table = button.previousElementSibling.querySelector("table");
      addRow(table);
    });
  });
  // Numbers: grouped with dots as they are typed (1234567 -> 1.234.567) and checked at once, next to the
  // field, with the server's own wording. Nothing typed is removed: text that is not a number stays as it is.
  var GROUPED = /^[0-9]{1,3}([.,\s\u00a0])[0-9]{3}(\1[0-9]{3})*$/;

  function group(digits) {
    return digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function dots(text) { return (text.match(/\./g) || []).length; }

  function regroup(input) {
    var value = input.value, before = input.dataset.last || "";
    input.dataset.last = value;
    if (!/^[0-9.]+$/.test(value)) return;  // spaces, commas, letters, a minus: left alone (and checked below)
    // A dot the person typed (e.g. "1.5") is theirs: it is left where it is until the number is grouped right
    // ("1.234"); only the dots this script put are moved as digits come and go.
    if (dots(value) && GROUPED.test(value)) { input.dataset.auto = "1"; return; }
    if (dots(value) > dots(before)) input.dataset.auto = "0";
    if (dots(value) && input.dataset.auto === "0") return;
    input.dataset.auto = "1";
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var digitsBefore = value.slice(0, caret).replace(/\./g, "").length;
    var grouped = group(value.replace(/\./g, ""));
    if (grouped === value) return;
    input.value = input.dataset.last = grouped;
    var position = 0, seen = 0;
    while (position < grouped.length && seen < digitsBefore) {
      if (grouped.charAt(position) !== ".") seen += 1;
      position += 1;
    }
    if (document.activeElement === input) input.setSelectionRange(position, position);
  }

  function whole(text) {
    var t = text.trim();
    if (/^[0-9]+$/.test(t)) return Number(t);
    if (GROUPED.test(t)) return Number(t.replace(/[.,\s\u00a0]/g, ""));
    return null;
  }

  // "1.23" on the way to "1.234": not flagged while typing, only once the field is left.
  var TYPING = /^[0-9]{1,3}(\.[0-9]{3})*\.[0-9]{0,2}$/;

  function problem(input, typing) {
    var t = input.value.trim();
    if (t === "" || whole(t) !== null || (typing && input === document.activeElement && TYPING.test(t))) return "";
    if (/^-\s*[0-9]+$/.test(t)) return msg("Negative");
    return msg("NotNumber").replace("{value}", t);
  }

  function liveBox(item) {
    var box = item.querySelector("[data-live-error]");
    if (box) return box;
    box = document.createElement("p");
    box.className = "field__error field__error--live";
    box.id = "live-" + item.id;
    box.setAttribute("data-live-error", "");
    box.setAttribute("aria-live", "polite");
    var holder = item.querySelector(".input-number").closest(".outline__item > *");
    holder.parentNode.insertBefore(box, holder.nextSibling);
    return box;
  }

  function describe(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
    if (on) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  function check(item, typing) {
    var inputs = Array.prototype.slice.call(item.querySelectorAll(".input-number"));
    if (!inputs.length) return;
    var box = liveBox(item);
    var lines = [];
    inputs.forEach(function (input) {
      var text = problem(input, typing);
      describe(input, box.id, !!text);
      if (!text) return;
      var year = input.closest(".years label");
      lines.push((year ? year.firstChild.textContent.trim() + ": " : "") + text);
    });
    if (!lines.length && inputs.length === 2 && item.querySelector("[name$='-x']")) {
      var done = whole(inputs[0].value), total = whole(inputs[1].value);
      if (done !== null && total !== null && done > total) {
        lines.push(msg("Ratio").replace("{done}", inputs[0].value.trim()).replace("{total}", inputs[1].value.trim()));
        describe(inputs[0], box.id, true);
      }
    }
    box.textContent = lines.join(" ");
    box.hidden = !lines.length;
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("input-number")) {
      regroup(event.target);
      check(event.target.closest(".outline__item"), true);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("input-number")) {
      check(event.target.closest(".outline__item"), false);
    }
  });
  Array.prototype.forEach.call(form.querySelectorAll(".input-number"), function (input) { input.dataset.last = input.value; });
  form.addEventListener("input", function () { keep(); schedule(); });
  form.addEventListener("change", function () { keep(); schedule(); });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (saving) {  // let the autosave in flight finish first, so the Save button quotes the new sequence
      event.preventDefault();
      pendingSubmit = true;
      return;
    }
    keep(true);
  });
  restore();
})();
