// Progress of tracked jobs (templates/macros/job_progress.html): polls each job's JSON state
// (portal.jobs.Job.state) and reloads the page when the job is done or failed.
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || "it");

  function follow(box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector(".job-progress-text");

    function show(state) {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
      if (state.status === "queued") {
        text.textContent = box.dataset.waiting;
      } else if (state.note) {
        text.textContent = state.note;
      } else if (state.total) {
        text.textContent = box.dataset.running.replace("{done}", format.format(state.done)).replace("{total}", format.format(state.total));
      }
    }

    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.status === "done" || state.status === "failed") {
            window.location.reload();
            return;
          }
          show(state);
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  }

  document.querySelectorAll(".job-progress[data-status-url]").forEach(follow);
})();
