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

  // "Tick every row of this page": <input type="checkbox" data-check-all="NAME"> ticks or
  // clears the checkboxes named NAME of its form.
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches("[data-check-all]") || !all.form) {
      return;
    }
    var name = all.getAttribute("data-check-all");
    all.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Print buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // "Add another row" of a formset: <button data-formset-add="PREFIX"> copies
  // <template data-formset-template="PREFIX"> (the formset's empty form, __prefix__ in its
  // names) before itself and counts it in PREFIX-TOTAL_FORMS. Without script the button
  // submits and the server answers with one more row.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    var prefix = button.getAttribute("data-formset-add");
    var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!template || !total) {
      return;
    }
    event.preventDefault();
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    button.closest("[data-formset-rows]").insertBefore(row, button.closest("[data-formset-actions]"));
    total.value = String(index + 1);
    // A lookup field of the new row (a household typed by name) searches as the others do.
    if (window.htmx) {
      window.htmx.process(row);
    }
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
  });

  // Copy buttons: <button data-copy="#id" data-copied="Copied"> copies the element's text
  // (the share text of an opinion poster, for the building's WeChat group).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) {
      return;
    }
    event.preventDefault();
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) {
        button.setAttribute("aria-live", "polite");
        button.lastChild.textContent = " " + done;
      }
    });
  });

  // htmx sends the CSRF token from the <meta> tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });
})();
