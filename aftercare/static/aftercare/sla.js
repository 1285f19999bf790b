// SLA countdowns stay current without reloading; the holiday form shows the fields its kind uses.
(function () {
  "use strict";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var strings = null;

  function patterns() {
    if (strings === null) {
      var node = document.getElementById("console-strings");
      strings = node ? JSON.parse(node.textContent) : false;
    }
    return strings;
  }

  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_match, key) { return String(values[key]); });
  }

  function span(seconds, text) {
    var minutes = Math.max(0, Math.floor(seconds / 60));
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    var out;
    if (days) {
      out = fill(text.days, { days: days, hours: hours });
    } else if (hours) {
      out = fill(text.hours, { hours: hours, minutes: rest });
    } else {
      out = fill(text.minutes, { minutes: rest });
    }
    return text.persianDigits ? out.replace(/[0-9]/g, function (d) { return PERSIAN[d]; }) : out;
  }

  function refreshCountdowns(root) {
    var text = patterns();
    if (!text) { return; }
    var now = Date.now();
    (root || document).querySelectorAll("[data-countdown]").forEach(function (node) {
      var due = Date.parse(node.getAttribute("data-countdown"));
      if (isNaN(due)) { return; }
      var seconds = (due - now) / 1000;
      var label = seconds >= 0 ? text.left : text.overdue;
      node.textContent = fill(label, { time: span(Math.abs(seconds), text) });
      node.classList.toggle("is-overdue", seconds < 0);
    });
  }

  function followHolidayKind(root) {
    (root || document).querySelectorAll(".holiday-kind-fields").forEach(function (box) {
      var select = box.querySelector("select[name='kind']");
      if (!select || select.dataset.followed) { return; }
      select.dataset.followed = "1";
      var update = function () { box.setAttribute("data-kind", select.value); };
      select.addEventListener("change", update);
      update();
    });
  }

  function ready() {
    refreshCountdowns();
    followHolidayKind();
  }

  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSwap", function (event) {
    refreshCountdowns(event.target);
    followHolidayKind(event.target);
  });
  window.setInterval(refreshCountdowns, 30000);
  window.AftercareSla = { refreshCountdowns: refreshCountdowns };
})();
