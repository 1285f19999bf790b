// The console's live channel. Reconnects with a growing delay.
// - Notices for this member (a request given to them, their customer's answer, a mention, an SLA
//   at risk or missed, an escalation, stock low) show as toasts in the flow of the page, under
//   the top bar (never over the work), each dismissible, and land in the bell, whose unread
//   count the channel keeps (also in the window's title), and whose list opens under the bar.
// - An open queue counts the requests created or changed since it was drawn that it shows or
//   would show, and offers to refresh; SLA badges of the rows it shows change in place.
(function () {
  "use strict";
  var socket = null;
  var delay = 1000;
  var texts = null;
  var TOASTS_SHOWN = 3;
  var TOAST_MILLISECONDS = 20000;
  var UNREAD_SHOWN_MAX = 99;
  var unread = 0;
  var baseTitle = document.title;
  var bellLoaded = false;
  var changed = {};
  var changedCount = 0;

  function strings() {
    if (texts === null) {
      var node = document.getElementById("console-strings");
      texts = node ? JSON.parse(node.textContent) : {};
    }
    return texts;
  }

  function fill(pattern, values) {
    return String(pattern || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  function digits(value) {
    var text = String(value);
    if (!strings().persianDigits) { return text; }
    return text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".charAt(+d); });
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers:inherited") || "{}");
      return headers["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // --- Notices: the bell and the toasts ---

  function bell() { return document.querySelector("[data-notice-bell]"); }

  function readUrl(id) {
    var node = bell();
    if (!node || !id) { return ""; }
    return node.getAttribute("data-read-url").replace("2147483647", String(id));
  }

  function markRead(url) {
    if (!url || !window.fetch) { return; }
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).catch(function () { /* the bell shows the truth when it opens again */ });
  }

  function setUnread(count) {
    unread = Math.max(0, parseInt(count, 10) || 0);
    var shown = unread > UNREAD_SHOWN_MAX ? digits(UNREAD_SHOWN_MAX) + "+" : digits(unread);
    var node = bell();
    if (node) {
      var badge = node.querySelector("[data-notice-count]");
      if (badge) {
        badge.textContent = shown;
        badge.hidden = unread === 0;
      }
      node.setAttribute(
        "aria-label",
        unread ? fill(strings().noticesUnread, { count: shown }) : (strings().noticesNone || "")
      );
    }
    document.title = unread ? "(" + shown + ") " + baseTitle : baseTitle;
  }

  function toast(text, href, read) {
    var box = document.getElementById("live-notices");
    if (!box) { return; }
    var item = document.createElement("div");
    item.className = "alert alert-info live-notice py-2 mb-2 d-flex align-items-center gap-2";
    item.setAttribute("data-testid", "live-notice");
    var span = document.createElement("span");
    span.setAttribute("dir", "auto");
    span.textContent = text;
    item.appendChild(span);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.className = "ms-auto alert-link text-nowrap";
      link.textContent = strings().open || "Open";
      if (read) { link.setAttribute("data-notice-read-url", read); }
      item.appendChild(link);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close flex-shrink-0" + (href ? "" : " ms-auto");
    close.setAttribute("aria-label", strings().dismiss || "Dismiss");
    close.setAttribute("data-testid", "live-notice-dismiss");
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    box.appendChild(item);
    while (box.children.length > TOASTS_SHOWN) { box.removeChild(box.firstElementChild); }
    // It goes after a while, but not from under the pointer or the keyboard.
    function later() {
      window.setTimeout(function () {
        if (item.matches(":hover") || item.contains(document.activeElement)) {
          later();
        } else {
          item.remove();
        }
      }, TOAST_MILLISECONDS);
    }
    later();
  }

  function noticesArrived(event) {
    var patterns = strings().notices || {};
    (event.items || []).forEach(function (item) {
      toast(fill(patterns[item.event] || "", item), item.url, readUrl(item.id));
    });
    bellLoaded = false;
    setUnread(unread + (event.items || []).length + (event.more || 0));
  }

  function loadBell() {
    var node = bell();
    var menu = document.querySelector("[data-notice-menu]");
    if (!node || !menu || bellLoaded || !window.fetch) { return; }
    window.fetch(node.getAttribute("data-bell-url"), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null) { return; }
      menu.innerHTML = html;
      bellLoaded = true;
      if (window.htmx) { window.htmx.process(menu); }
      var body = menu.querySelector("[data-notice-menu-body]");
      if (body) { setUnread(body.getAttribute("data-unread")); }
    }).catch(function () { /* the menu keeps its link to every notice */ });
  }

  // The bell's list opens under the top bar (a collapsing panel): loaded as it opens, closed
  // again by the bell or Escape.
  document.addEventListener("show.bs.collapse", function (event) {
    if (event.target.id === "notice-panel") { loadBell(); }
  });
  document.addEventListener("keydown", function (event) {
    var panel = document.getElementById("notice-panel");
    if (event.key !== "Escape" || !panel || !panel.classList.contains("show") || !window.bootstrap) {
      return;
    }
    window.bootstrap.Collapse.getOrCreateInstance(panel, { toggle: false }).hide();
    var node = bell();
    if (node && panel.contains(document.activeElement)) { node.focus(); }
  });
  // The menu after "mark all as read" (htmx swaps it in): its count is the truth.
  document.addEventListener("htmx:afterSwap", function (event) {
    var body = event.target.querySelector && event.target.querySelector("[data-notice-menu-body]");
    if (body) { setUnread(body.getAttribute("data-unread")); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-notice-read-url]");
    if (link) { markRead(link.getAttribute("data-notice-read-url")); }
  });

  // --- The queue: new or changed requests ---

  function queueBanner() { return document.querySelector("[data-queue-live]"); }

  function rowOf(id) {
    return document.querySelector("[data-ticket-id='" + Number(id) + "']");
  }

  // Whether the queue as drawn would show the request as it is now (a search cannot be
  // checked here: a queue narrowed by one counts every change).
  function shows(banner, ticket) {
    var filters = banner.dataset;
    var queue = filters.queue || "open";
    var atRisk = ticket.sla === "warning" || ticket.sla === "breached";
    if (queue === "mine" && !(ticket.open && String(ticket.assignee) === filters.userId)) {
      return false;
    }
    if (queue === "unassigned" && !(ticket.open && ticket.assignee === null)) { return false; }
    if ((queue === "open" || queue === "team") && !ticket.open) { return false; }
    if (queue === "at_risk" && !(ticket.open && atRisk)) { return false; }
    if (filters.filterStatus && ticket.status !== filters.filterStatus) { return false; }
    if (filters.filterKind && ticket.kind !== filters.filterKind) { return false; }
    if (filters.filterPriority && String(ticket.priority) !== filters.filterPriority) {
      return false;
    }
    if (filters.filterTeam && String(ticket.team) !== filters.filterTeam) { return false; }
    if (filters.filterAssignee === "none" && ticket.assignee !== null) { return false; }
    if (filters.filterAssignee && filters.filterAssignee !== "none" &&
        String(ticket.assignee) !== filters.filterAssignee) { return false; }
    if (filters.filterSla === "at_risk" && !atRisk) { return false; }
    if (filters.filterSla && filters.filterSla !== "at_risk" && ticket.sla !== filters.filterSla) {
      return false;
    }
    return true;
  }

  function queueNote(id, row) {
    if (changed[id]) { return; }
    changed[id] = true;
    changedCount += 1;
    if (row) { row.classList.add("is-stale"); }
  }

  function queueShow(banner) {
    if (!changedCount) { return; }
    var pattern = changedCount === 1 ? strings().queueChangedOne : strings().queueChangedMany;
    banner.querySelector("[data-queue-live-text]").textContent =
      fill(pattern, { count: digits(changedCount) });
    banner.setAttribute("data-count", String(changedCount));
    banner.hidden = false;
  }

  function queueChanged(event) {
    var banner = queueBanner();
    if (!banner) { return; }
    (event.items || []).forEach(function (ticket) {
      var row = rowOf(ticket.id);
      if (row || shows(banner, ticket)) { queueNote(ticket.id, row); }
    });
    if (event.more) { changedCount += event.more; }
    queueShow(banner);
  }

  function slaCrossed(tickets) {
    var banner = queueBanner();
    tickets.forEach(function (ticket) {
      updateBadges(ticket);
      // A row on the page changed in place; a queue of requests at risk may gain one.
      var filters = banner ? banner.dataset : {};
      if (banner && !rowOf(ticket.id) && (filters.queue === "at_risk" || filters.filterSla)) {
        queueNote(ticket.id, null);
      }
    });
    if (banner) { queueShow(banner); }
  }

  function updateBadges(ticket) {
    var label = (strings().states || {})[ticket.state] || ticket.state;
    document.querySelectorAll("[data-ticket-id='" + Number(ticket.id) + "'] [data-testid=sla-badge]")
      .forEach(function (badge) {
        badge.setAttribute("data-sla-state", ticket.state);
        var inner = badge.querySelector(".sla-badge");
        if (inner) {
          inner.className = "badge sla-badge sla-" + ticket.state;
          inner.textContent = label;
        }
      });
  }

  // --- The channel ---

  function handle(event) {
    if (event.type === "hello") {
      if (event.notices_unread !== undefined) { setUnread(event.notices_unread); }
    } else if (event.type === "notices") {
      noticesArrived(event);
    } else if (event.type === "notices_read") {
      bellLoaded = false;
      setUnread(event.unread);
    } else if (event.type === "queue") {
      queueChanged(event);
    } else if (event.type === "sla") {
      slaCrossed(event.tickets || []);
    }
    // "assigned" needs nothing more: the assignee's notice tells them.
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
