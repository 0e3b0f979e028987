// Progress of a bulk rate check: polls the JSON status and reloads the page when it is over.
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box) { return; }
  var bar = document.getElementById("batch-progress-bar");
  var text = document.getElementById("batch-progress-text");
  var format = new Intl.NumberFormat("it-IT");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.value = status.percent;
        bar.textContent = status.percent + " %";
        if (status.status === "done" || status.status === "failed") {
          window.location.reload();
          return;
        }
        text.textContent = box.dataset.progressText.replace("{n}", format.format(status.processed));
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
