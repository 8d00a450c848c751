/* Polls an export job until it is done, then shows the download link. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var finished = { done: true, failed: true };
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("job-status").textContent = job.status_display;
        document.getElementById("job-progress").style.width = job.progress + "%";
        document.getElementById("job-percent").textContent = job.progress;
        document.getElementById("job-error").textContent = job.error || "";
        if (job.download) { document.getElementById("job-download").hidden = false; }
        if (!finished[job.status]) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (!finished[box.getAttribute("data-status")]) { poll(); }
})();
