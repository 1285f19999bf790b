// The console's live channel: SLA warnings and breaches update badges and show a notice; a
// request given to you shows a notice with its link. Reconnects with a growing delay.
(function () {
  "use strict";
  var socket = null;
  var delay = 1000;
  var texts = null;

  function strings() {
    if (texts === null) {
      var node = document.getElementById("console-strings");
      texts = node ? JSON.parse(node.textContent) : {};
    }
    return texts;
  }

  function fill(pattern, values) {
    return String(pattern || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function notice(text, href) {
    var box = document.getElementById("live-notices");
    if (!box) { return; }
    var item = document.createElement("div");
    item.className = "alert alert-info shadow-sm py-2 mb-2 d-flex align-items-center gap-2";
    item.setAttribute("role", "status");
    item.setAttribute("data-testid", "live-notice");
    var span = document.createElement("span");
    span.setAttribute("dir", "auto");
    span.textContent = text;
    item.appendChild(span);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.className = "ms-auto alert-link";
      link.textContent = strings().open || "Open";
      item.appendChild(link);
    }
    box.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 15000);
  }

  function updateBadges(ticket) {
    var label = (strings().states || {})[ticket.state] || ticket.state;
    document.querySelectorAll("[data-ticket-id='" + ticket.id + "'] [data-testid=sla-badge]")
      .forEach(function (badge) {
        badge.setAttribute("data-sla-state", ticket.state);
        var inner = badge.querySelector(".sla-badge");
        if (inner) {
          inner.className = "badge sla-badge sla-" + ticket.state;
          inner.textContent = label;
        }
      });
  }

  function handle(event) {
    var text = strings();
    if (event.type === "sla") {
      (event.tickets || []).forEach(function (ticket) {
        updateBadges(ticket);
        var pattern = ticket.crossing === "breach" ? text.slaBreach : text.slaWarning;
        notice(fill(pattern, ticket), ticket.url);
      });
    } else if (event.type === "assigned") {
      notice(fill(text.assigned, event), event.url);
    }
    document.dispatchEvent(new CustomEvent("aftercare:live", { detail: event }));
  }

  function connect() {
    var anchor = document.getElementById("live-console");
    if (!anchor || !window.WebSocket) { return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + anchor.getAttribute("data-ws-path"));
    socket.addEventListener("open", function () {
      delay = 1000;
      anchor.setAttribute("data-state", "open");
    });
    socket.addEventListener("message", function (message) {
      try { handle(JSON.parse(message.data)); } catch (error) { /* a malformed event is ignored */ }
    });
    socket.addEventListener("close", function (closed) {
      anchor.setAttribute("data-state", "closed");
      if (closed.code === 4403) { return; }  // not staff here: do not retry
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  document.addEventListener("DOMContentLoaded", connect);
})();
