// The visitor's ticket page: ask the server every few seconds how the ticket stands and
// say it in place; when it moves on (called, served, ended) load the page again, so the
// right buttons show. No third-party code; nothing leaves this server.
(function () {
  "use strict";
  var main = document.querySelector("main[data-status]");
  if (!main) return;
  var url = main.getAttribute("data-status");
  var phase = main.getAttribute("data-phase");
  var every = Math.max(2, parseInt(main.getAttribute("data-poll"), 10) || 5) * 1000;
  var headline = document.getElementById("headline");
  var detail = document.getElementById("detail");
  var failures = 0;

  function next(delay) {
    window.setTimeout(ask, delay);
  }

  function ask() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        if (status === null) return; // the ticket is gone: stop asking
        if (status.phase !== phase) {
          if (status.phase === "called" && navigator.vibrate) navigator.vibrate([300, 200, 300]);
          window.location.reload();
          return;
        }
        headline.textContent = status.headline;
        detail.textContent = status.detail;
        next(every);
      })
      .catch(function () {
        // The phone lost its signal or the server is busy: ask again, less often.
        failures = Math.min(failures + 1, 6);
        next(every * (1 + failures));
      });
  }

  next(every);
})();
