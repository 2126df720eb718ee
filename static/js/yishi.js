// Site-wide behaviour. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // Buttons and forms that ask before doing something that cannot be undone easily.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Auto-submit filter forms when a select changes (the button stays for keyboard users).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });

  // Print buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // htmx sends the CSRF token from the <meta> tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });
})();
