/* The meeting console and projector: the speaking timer, the console's refusals, and the
   opinion form following the speaker who has the floor. No inline code (CSP). */
(function () {
  "use strict";

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // Each timer counts up from the seconds the server measured when it drew it (so the
  // console and the projector agree, whatever their clocks say).
  function seconds(timer) {
    if (!timer.dataset.shownAt) {
      timer.dataset.shownAt = String(Date.now());
    }
    var base = parseInt(timer.dataset.elapsed, 10) || 0;
    return base + Math.floor((Date.now() - parseInt(timer.dataset.shownAt, 10)) / 1000);
  }

  function tick() {
    var timers = document.querySelectorAll("[data-timer]");
    for (var i = 0; i < timers.length; i++) {
      timers[i].textContent = format(seconds(timers[i]));
    }
    followSpeaker();
  }

  // The opinion form's speaking time follows the timer while its speaker has the floor,
  // until someone types a time of their own.
  function followSpeaker() {
    var form = document.querySelector("[data-console-opinion]");
    var floor = document.querySelector("[data-speaker-id]");
    var timer = document.querySelector(".console-speaker [data-timer]");
    if (!form || !floor || !timer) { return; }
    var select = form.querySelector("[name=participant]");
    var field = form.querySelector("[name=spoken_seconds]");
    if (!select || !field || field.dataset.typed) { return; }
    if (select.value && select.value === floor.dataset.speakerId) {
      field.value = seconds(timer);
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-console-opinion] [name=spoken_seconds]")) {
      event.target.dataset.typed = "1";
    }
  });

  // Giving someone the floor picks them as the speaker of the opinion being written.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".console-give-floor");
    var form = document.querySelector("[data-console-opinion]");
    if (!button || !form) { return; }
    var select = form.querySelector("[name=participant]");
    var field = form.querySelector("[name=spoken_seconds]");
    if (select) { select.value = button.dataset.participant; }
    if (field) { field.value = 0; delete field.dataset.typed; }
  });

  // A refusal of a tap (someone else ended the meeting, a speaker not signed in).
  document.body.addEventListener("console-error", function (event) {
    var alert = document.getElementById("console-alert");
    if (alert) {
      alert.textContent = event.detail.value;
      alert.classList.remove("d-none");
    }
  });
  document.body.addEventListener("console-changed", function () {
    var alert = document.getElementById("console-alert");
    if (alert && !alert.dataset.keep) { alert.classList.add("d-none"); }
  });

  window.setInterval(tick, 500);
  tick();
})();
