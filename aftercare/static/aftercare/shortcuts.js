// The console's keyboard shortcuts, canned answers and bulk selection. No page carries inline
// script (the Content-Security-Policy runs only our own files): pages ask by data attributes.
//   ?            the list of shortcuts (the dialog #shortcuts-help, rendered by the page)
//   j / k        next / previous request: a row of the queue, or on a request page the next or
//                previous request of the queue last seen
//   o, Enter     open the current row of the queue;  x  tick it;  u  back to the queue
//   /            the queue's search box
//   r / n / c    the reply, internal note or call log tab, its text ready to type in
//   i            the canned answers' filter (Enter inserts the first that matches)
//   a            assign the request to me;  m  the macros
//   Ctrl+Enter   in a text of a form marked data-submit-shortcut: send it;  Esc  leave a field
// No shortcut fires while typing in a field, nor with Ctrl, Alt or Meta held.
(function () {
  "use strict";
  var QUEUE_KEY = "aftercare.queue";

  function typing(target) {
    if (!target || !target.closest) { return false; }
    if (target.isContentEditable) { return true; }
    return !!target.closest("input, textarea, select, [contenteditable='true']");
  }

  // --- The queue: current row, the list remembered for the request page ---

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-testid=queue-row]"));
  }

  function rowLink(row) {
    return row.querySelector("td a[href]");
  }

  function currentRow() {
    return document.querySelector("[data-testid=queue-row].is-current");
  }

  function moveRow(step) {
    var all = rows();
    if (!all.length) { return false; }
    var index = all.indexOf(currentRow());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
    next = Math.max(0, Math.min(all.length - 1, next));
    all.forEach(function (row) { row.classList.remove("is-current"); });
    all[next].classList.add("is-current");
    var link = rowLink(all[next]);
    if (link) { link.focus(); }
    return true;
  }

  function rememberQueue() {
    var all = rows();
    if (!all.length) { return; }
    var list = all.map(function (row) {
      var link = rowLink(row);
      return { id: row.getAttribute("data-ticket-id"), url: link ? link.getAttribute("href") : "" };
    });
    try {
      window.sessionStorage.setItem(
        QUEUE_KEY, JSON.stringify({ queue: window.location.pathname + window.location.search, items: list })
      );
    } catch (error) { /* private mode: the request page offers no next/previous */ }
  }

  function rememberedQueue() {
    try {
      return JSON.parse(window.sessionStorage.getItem(QUEUE_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function goSibling(step) {
    var body = document.querySelector("[data-ticket-id]#ticket-body");
    var saved = rememberedQueue();
    if (!body || !saved || !saved.items) { return false; }
    var id = body.getAttribute("data-ticket-id");
    var index = -1;
    saved.items.forEach(function (item, position) { if (item.id === id) { index = position; } });
    var target = saved.items[index + step];
    if (index < 0 || !target || !target.url) { return false; }
    window.location.assign(target.url);
    return true;
  }

  // --- The request page: tabs, canned answers ---

  function showTab(kind) {
    var button = document.querySelector("[data-shortcut-tab='" + kind + "']");
    if (!button) { return false; }
    if (window.bootstrap && window.bootstrap.Tab) {
      window.bootstrap.Tab.getOrCreateInstance(button).show();
    } else {
      button.click();
    }
    var pane = document.getElementById(button.getAttribute("aria-controls"));
    var text = pane && pane.querySelector("textarea");
    if (text) { text.focus(); }
    return true;
  }

  function insertInto(field, text) {
    if (!field) { return; }
    var start = field.selectionStart, end = field.selectionEnd, value = field.value;
    if (typeof start === "number" && value) {
      field.value = value.slice(0, start) + text + value.slice(end);
      field.selectionStart = field.selectionEnd = start + text.length;
    } else {
      field.value = text;
      field.selectionStart = field.selectionEnd = text.length;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  }

  function insertCanned(button) {
    showTab("reply");
    insertInto(document.getElementById(button.getAttribute("data-insert-target")),
      button.getAttribute("data-insert-text"));
  }

  function filterCanned(input) {
    var words = input.value.trim().toLowerCase();
    var box = input.closest("[data-canned-answers]");
    box.querySelectorAll("[data-canned-item]").forEach(function (item) {
      var name = item.getAttribute("data-name") || "";
      item.hidden = words !== "" && name.indexOf(words) < 0;
    });
  }

  function firstCanned(input) {
    var box = input.closest("[data-canned-answers]");
    var items = box.querySelectorAll("[data-canned-item]");
    for (var i = 0; i < items.length; i += 1) {
      if (!items[i].hidden) { return items[i].querySelector("[data-insert-text]"); }
    }
    return null;
  }

  function focusAndShow(selector) {
    var field = document.querySelector(selector);
    if (!field) { return false; }
    field.focus();
    if (field.select) { field.select(); }
    return true;
  }

  function openHelp() {
    var dialog = document.getElementById("shortcuts-help");
    if (!dialog || dialog.open) { return false; }
    if (dialog.parentNode !== document.body) { document.body.appendChild(dialog); }
    dialog.showModal();
    return true;
  }

  // --- Keys ---

  var KEYS = {
    "?": openHelp,
    j: function () { return moveRow(1) || goSibling(1); },
    k: function () { return moveRow(-1) || goSibling(-1); },
    o: function () {
      var row = currentRow(), link = row && rowLink(row);
      if (link) { link.click(); return true; }
      return false;
    },
    x: function () {
      var row = currentRow(), box = row && row.querySelector("input[type=checkbox]");
      if (box) { box.click(); return true; }
      return false;
    },
    u: function () {
      var saved = rememberedQueue();
      if (!document.getElementById("ticket-body")) { return false; }
      window.location.assign(saved && saved.queue ? saved.queue : "/");
      return true;
    },
    "/": function () { return focusAndShow("input[name=q]"); },
    r: function () { return showTab("reply"); },
    n: function () { return showTab("note"); },
    c: function () { return showTab("call"); },
    i: function () { return showTab("reply") && focusAndShow("[data-canned-filter]"); },
    a: function () {
      var button = document.querySelector("[data-shortcut-click='a']");
      if (button) { button.click(); return true; }
      return false;
    },
    m: function () { return focusAndShow("#macro-select"); }
  };

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.tagName === "TEXTAREA") {
      var form = target.closest("form[data-submit-shortcut]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (target.matches && target.matches("[data-canned-filter]")) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = firstCanned(target);
        if (first) { insertCanned(first); }
      } else if (event.key === "Escape") {
        target.value = "";
        filterCanned(target);
      }
      return;
    }
    if (event.key === "Escape" && typing(target) && !target.closest("dialog")) {
      target.blur(); // out of the field: the shortcuts work again
      return;
    }
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || typing(target)) {
      return;
    }
    if (event.key === "Enter" && target.closest && target.closest("[data-testid=queue-row]")) {
      return; // the focused link opens itself
    }
    var action = KEYS[event.key];
    if (action && action()) {
      event.preventDefault();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-canned-filter]")) {
      filterCanned(event.target);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-insert-text]");
    if (button) {
      event.preventDefault();
      insertCanned(button);
      return;
    }
    if (event.target.closest && event.target.closest("[data-shortcuts-open]")) {
      openHelp();
      return;
    }
    var close = event.target.closest && event.target.closest("[data-dialog-close]");
    if (close) {
      var dialog = close.closest("dialog");
      if (dialog) { dialog.close(); }
    }
  });

  document.addEventListener("change", function (event) {
    var all = event.target;
    if (all.matches && all.matches("[data-select-all]")) {
      var name = all.getAttribute("data-select-all");
      document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  document.addEventListener("DOMContentLoaded", rememberQueue);
  document.addEventListener("htmx:afterSwap", rememberQueue);
})();
