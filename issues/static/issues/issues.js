// Intake form: choosing the 12345 hotline channel unfolds the work order's fields.
(function () {
  "use strict";
  var channel = document.getElementById("id_channel");
  var details = document.querySelector(".hotline-details");
  if (!channel || !details) return;
  channel.addEventListener("change", function () {
    if (channel.value === "hotline") details.open = true;
  });
})();

// Intake form: offer only the compounds of the chosen community, the buildings of the chosen
// compound and the units of the chosen building (each option names its parent in
// data-parent). Options are removed rather than hidden: some mobile browsers show hidden
// options anyway.
(function () {
  "use strict";
  function narrow(parentId, childId) {
    var parent = document.getElementById(parentId);
    var child = document.getElementById(childId);
    if (!parent || !child) return;
    var all = Array.prototype.slice.call(child.options).map(function (o) {
      return o.cloneNode(true);
    });
    function apply() {
      var chosen = child.value;
      child.replaceChildren.apply(
        child,
        all
          .filter(function (o) {
            return !o.value || !parent.value || o.dataset.parent === parent.value;
          })
          .map(function (o) {
            return o.cloneNode(true);
          })
      );
      child.value = chosen;
      if (child.value !== chosen) {
        child.value = "";
        child.dispatchEvent(new Event("change"));
      }
    }
    parent.addEventListener("change", apply);
    apply();
  }
  narrow("id_community", "id_compound");
  narrow("id_compound", "id_building");
  narrow("id_building", "id_unit");
})();
