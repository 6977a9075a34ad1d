// A decision's files are generated in the background: poll their progress, reload once all are done.
document.addEventListener("DOMContentLoaded", function () {
  var list = document.querySelector("[data-progress-url]");
  if (!list) return;
  var url = list.getAttribute("data-progress-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var waiting = false;
        data.documents.forEach(function (doc) {
          var bar = list.querySelector('progress[data-kind="' + doc.kind + '"]');
          if (bar) bar.value = doc.progress;
          if (doc.status === "queued" || doc.status === "running") waiting = true;
        });
        if (waiting) window.setTimeout(poll, 1500);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
});
