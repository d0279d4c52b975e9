// Self-service terminal (kiosk mode): warns before the inactivity limit returns the terminal to its
// start and lets the person continue with one tap (WCAG 2.1 SC 2.2.1, Timing Adjustable). The
// server ends a kiosk session after the same limit without a request, so input that has not been
// sent yet keeps the session alive with a request at most every `warn` seconds. Without JavaScript
// the page's <noscript> refresh returns to the start at the limit instead, without a warning.
(function () {
  "use strict";
  var dialog = document.getElementById("kiosk-warning");
  if (!dialog) {
    return;
  }
  var limit = Number(dialog.getAttribute("data-idle-seconds")) * 1000;
  var lead = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var seconds = document.getElementById("kiosk-warning-seconds");
  var warnTimer = 0;
  var endTimer = 0;
  var countdown = 0;
  var lastRequest = Date.now();

  function end() {
    window.location.assign("/kiosk/signed-out");
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(countdown);
    warnTimer = setTimeout(warn, limit - lead);
    endTimer = setTimeout(end, limit);
  }

  function warn() {
    var left = Math.round(lead / 1000);
    seconds.textContent = String(left);
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    countdown = setInterval(function () {
      left = Math.max(0, left - 1);
      seconds.textContent = String(left);
    }, 1000);
  }

  function keepAlive() {
    lastRequest = Date.now();
    fetch("/kiosk/still-here", { credentials: "same-origin", cache: "no-store" }).catch(
      function () {}
    );
  }

  function onInput() {
    if (dialog.open) {
      return;
    }
    if (Date.now() - lastRequest > lead) {
      keepAlive();
    }
    schedule();
  }

  // "Continue", Escape and closing the dialog in any other way all mean: still here.
  dialog.addEventListener("close", function () {
    keepAlive();
    schedule();
  });
  document.getElementById("kiosk-continue").addEventListener("click", function () {
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
      keepAlive();
      schedule();
    }
  });
  ["keydown", "pointerdown", "input"].forEach(function (type) {
    document.addEventListener(type, onInput, { capture: true, passive: true });
  });
  schedule();
})();
