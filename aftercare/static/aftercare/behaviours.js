// What pages ask of a control by a data attribute, so that no page carries inline script: the
// Content-Security-Policy lets only our own script files run.
//   data-submit-on-change  a select that sends its form when changed
//   data-confirm="…"       a form that asks before it is sent
//   data-copy-from="id"    a button that copies that field's value (then shows data-done)
//   data-select-on-focus   a field whose text is selected when it takes focus
//   data-print             a button that prints the page
//   data-fold-narrow       a <details> open on wide screens, folded on a phone's
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control.matches && control.matches("[data-submit-on-change]") && control.form) {
      control.form.submit();
    }
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print], [data-copy-from]");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-print")) {
      window.print();
      return;
    }
    var field = document.getElementById(button.dataset.copyFrom);
    if (field && navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.done || button.textContent;
      });
    }
  });

  function foldOnNarrowScreens() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 767.98px)").matches) {
      return;
    }
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (panel) {
      panel.open = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", foldOnNarrowScreens);
  } else {
    foldOnNarrowScreens();
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
