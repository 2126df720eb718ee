// Intake form: show the hotline fields only for the 12345 hotline channel.
(function () {
  "use strict";
  var channel = document.getElementById("id_channel");
  if (!channel) return;
  function toggle() {
    var hotline = channel.value === "hotline";
    document.querySelectorAll(".hotline-only").forEach(function (el) {
      el.hidden = !hotline;
    });
  }
  channel.addEventListener("change", toggle);
  toggle();
})();
