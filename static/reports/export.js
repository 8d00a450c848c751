/* Polls an export job until it is done or failed: then shows the download link, or the
   failure with its retry button. A failed poll (server away) is tried again, more slowly. */
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
        var download = document.getElementById("job-download");
        if (job.download && download) { download.hidden = false; }
        document.getElementById("job-running").hidden = !!finished[job.status];
        document.getElementById("job-failed").hidden = job.status !== "failed";
        if (!finished[job.status]) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (!finished[box.getAttribute("data-status")]) { poll(); }
})();
