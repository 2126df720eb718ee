// "Use my position" on a form ([data-geo-capture]): the browser's geolocation, with its
// accuracy, into the form's hidden latitude, longitude and position_accuracy fields. Asked
// only when the person presses the button; without it the record takes the position of
// the building or compound chosen.
(function () {
  "use strict";

  function fill(box, text) {
    box.querySelector("[data-geo-status]").textContent = text;
  }

  function say(box, key, values) {
    var text = box.getAttribute("data-text-" + key) || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    fill(box, text);
  }

  function set(box, lat, lng, accuracy) {
    var fields = ["latitude", "longitude", "position_accuracy"];
    [lat, lng, accuracy].forEach(function (value, index) {
      var input = box.closest("form").querySelector('input[name="' + fields[index] + '"]');
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.querySelector("[data-geo-clear]").hidden = lat === "";
  }

  document.querySelectorAll("[data-geo-capture]").forEach(function (box) {
    var locate = box.querySelector("[data-geo-locate]");
    var clear = box.querySelector("[data-geo-clear]");
    if (!navigator.geolocation) {
      locate.hidden = true;
      say(box, "unsupported");
      return;
    }
    locate.addEventListener("click", function () {
      say(box, "locating");
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          locate.disabled = false;
          var accuracy = Math.round(position.coords.accuracy);
          set(box, position.coords.latitude.toFixed(7), position.coords.longitude.toFixed(7), accuracy);
          say(box, "located", { m: accuracy });
        },
        function (error) {
          locate.disabled = false;
          set(box, "", "", "");
          say(box, error.code === 1 ? "denied" : "unavailable");
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 }
      );
    });
    clear.addEventListener("click", function () {
      set(box, "", "", "");
      say(box, "none");
      locate.focus();
    });
  });
})();
