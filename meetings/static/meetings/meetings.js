/* Meetings: the speaking timer of the live record, and the print button. No inline code (CSP). */
(function () {
  "use strict";
  var timers = new WeakMap();

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function toggle(form) {
    var state = timers.get(form) || { running: false, started: 0, base: 0, handle: null };
    var input = form.querySelector("[name=spoken_seconds]");
    var display = form.querySelector("[data-timer-display]");
    var button = form.querySelector("[data-timer-toggle]");
    var label = form.querySelector("[data-timer-label]");
    if (!state.running) {
      state.base = parseInt(input && input.value, 10) || 0;
      state.started = Date.now();
      state.handle = window.setInterval(function () {
        var total = state.base + Math.floor((Date.now() - state.started) / 1000);
        if (input) { input.value = total; }
        if (display) { display.textContent = format(total); }
      }, 250);
      state.running = true;
      button.setAttribute("aria-pressed", "true");
      button.classList.replace("btn-outline-success", "btn-danger");
      if (label) { label.textContent = button.dataset.stopLabel || "■"; }
    } else {
      window.clearInterval(state.handle);
      state.running = false;
      button.setAttribute("aria-pressed", "false");
      button.classList.replace("btn-danger", "btn-outline-success");
      if (label) { label.textContent = button.dataset.startLabel || "▶"; }
    }
    timers.set(form, state);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-timer-toggle]");
    if (button) {
      if (!button.dataset.startLabel) {
        button.dataset.startLabel = button.querySelector("[data-timer-label]").textContent;
        button.dataset.stopLabel = "■ " + button.dataset.startLabel.replace(/^\S+\s*/, "");
      }
      toggle(button.closest("form"));
      return;
    }
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Alt+T starts or stops the timer of the opinion form that has the focus (or the first).
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "t" && event.key !== "T")) { return; }
    var form = (document.activeElement && document.activeElement.closest("[data-speaking-timer]")) ||
      document.querySelector("[data-speaking-timer]");
    if (form) {
      event.preventDefault();
      form.querySelector("[data-timer-toggle]").click();
    }
  });

  // A submitted opinion stops its timer; the swapped-in form starts from zero.
  document.addEventListener("submit", function (event) {
    var state = timers.get(event.target);
    if (state && state.running) { window.clearInterval(state.handle); }
  });

  // After an opinion is recorded, the cursor goes back to the text box for the next speaker.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var section = event.detail.target;
    if (section && section.classList && section.classList.contains("agenda-item")) {
      var fresh = document.getElementById(section.id);
      var field = fresh && (fresh.querySelector(".is-invalid") || fresh.querySelector("textarea[name=text]"));
      if (field) { field.focus(); }
    }
  });
})();
