/*
 * Jalali (Solar Hijri) date picker for Persian users of the console and portal.
 *
 * No dependencies, no build step. Load it with `defer`; every `input[data-jalali-picker]` gets a
 * calendar button next to it, on DOMContentLoaded and again after htmx swaps. The input keeps a
 * plain text value `YYYY/MM/DD` in Latin digits (what the server parses); it also reads Persian
 * or Arabic-Indic digits and `-` separators.
 *
 *   window.JalaliPicker.attach(input)        -> the picker of this input (one per input), or
 *                                               null while the input has no parent
 *   window.JalaliPicker.attachAll(root)      -> attach to root and every match inside it
 *   window.JalaliPicker.toJalali(gy, gm, gd) -> [jy, jm, jd]
 *   window.JalaliPicker.toGregorian(jy, jm, jd) -> [gy, gm, gd]
 *   window.JalaliPicker.isLeapJalali(jy)     -> boolean
 *
 * The calendar itself (conversions, month lengths, Persian texts) is jalali-calendar.js, which
 * must be loaded before this file.
 */
(function () {
  "use strict";

  if (window.JalaliPicker) {
    return;
  }

  var cal = window.JalaliCalendar;

  // --- DOM helpers ---------------------------------------------------------------------------

  var SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        node.setAttribute(name, attrs[name]);
      });
    }
    return node;
  }

  function calendarIcon() {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "1em");
    svg.setAttribute("height", "1em");
    svg.setAttribute("fill", "currentColor");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute(
      "d",
      "M4 .5a.5.5 0 0 1 1 0V1h6V.5a.5.5 0 0 1 1 0V1h1a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H3a2 2 0 0 " +
        "1-2-2V3a2 2 0 0 1 2-2h1V.5ZM2 5v9a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V5H2Zm2 2h2v2H4V7Zm3 " +
        "0h2v2H7V7Zm3 0h2v2h-2V7Zm-6 3h2v2H4v-2Zm3 0h2v2H7v-2Z"
    );
    svg.appendChild(path);
    return svg;
  }

  function dispatch(input, type) {
    var event;
    if (typeof Event === "function") {
      event = new Event(type, { bubbles: true });
    } else {
      event = document.createEvent("Event");
      event.initEvent(type, true, false);
    }
    input.dispatchEvent(event);
  }

  // --- The picker ----------------------------------------------------------------------------

  var instances = typeof WeakMap === "function" ? new WeakMap() : null;
  var fallbackInstances = [];
  var openPicker = null;
  var nextId = 0;

  function findInstance(input) {
    if (instances) {
      return instances.get(input) || null;
    }
    for (var i = 0; i < fallbackInstances.length; i += 1) {
      if (fallbackInstances[i].input === input) {
        return fallbackInstances[i];
      }
    }
    return null;
  }

  function rememberInstance(input, picker) {
    if (instances) {
      instances.set(input, picker);
    } else {
      fallbackInstances.push(picker);
    }
  }

  function Picker(input) {
    nextId += 1;
    this.input = input;
    this.id = "jalali-picker-" + nextId;
    this.popup = null;
    this.view = null; // [jy, jm] shown
    this.focusDate = null; // the day that has the roving tabindex
    this.selected = null;
    this.today = null;
    this.onDocumentPointer = this.onDocumentPointer.bind(this);
    this.onDocumentFocus = this.onDocumentFocus.bind(this);
    this.onReposition = this.onReposition.bind(this);
    this.button = this.makeButton();
    this.bindInput();
  }

  Picker.prototype.makeButton = function () {
    var input = this.input;
    var next = input.nextElementSibling;
    var button;
    // A copy of the page taken after attaching (htmx history, a cloned row) keeps the button.
    if (next && next.tagName === "BUTTON" && next.classList.contains("jalali-picker-toggle")) {
      button = next;
    } else {
      button = el("button", "jalali-picker-toggle", { type: "button" });
      button.appendChild(calendarIcon());
      var parent = input.parentNode;
      if (parent.classList && parent.classList.contains("input-group")) {
        button.classList.add("btn", "btn-outline-secondary");
        parent.insertBefore(button, input.nextSibling);
      } else {
        var wrapper = el("span", "jalali-picker-field");
        if (input.classList.contains("form-control")) {
          // A Bootstrap field: join input and button as an input group.
          wrapper.classList.add("input-group");
          if (input.classList.contains("form-control-sm")) {
            wrapper.classList.add("input-group-sm");
          } else if (input.classList.contains("form-control-lg")) {
            wrapper.classList.add("input-group-lg");
          }
          // Keep `.is-invalid ~ .invalid-feedback` working once the input is wrapped.
          ["is-invalid", "is-valid"].forEach(function (name) {
            if (input.classList.contains(name)) {
              wrapper.classList.add(name);
            }
          });
          button.classList.add("btn", "btn-outline-secondary");
        }
        parent.insertBefore(wrapper, input);
        wrapper.appendChild(input);
        wrapper.appendChild(button);
      }
    }
    button.setAttribute("aria-label", cal.LABEL_OPEN);
    button.setAttribute("title", cal.LABEL_OPEN);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", this.id);
    var self = this;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (self.isOpen()) {
        self.close(false);
      } else {
        self.open(true);
      }
    });
    return button;
  };

  Picker.prototype.bindInput = function () {
    var self = this;
    var input = this.input;
    if (!input.hasAttribute("autocomplete")) {
      input.setAttribute("autocomplete", "off");
    }
    input.setAttribute("aria-haspopup", "dialog");
    input.addEventListener("click", function () {
      if (!self.isOpen()) {
        self.open(false);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && (event.altKey || self.isOpen())) {
        event.preventDefault();
        if (self.isOpen()) {
          self.focusGrid();
        } else {
          self.open(true);
        }
      } else if (event.key === "Escape" && self.isOpen()) {
        event.preventDefault();
        event.stopPropagation();
        self.close(false);
      }
    });
    input.addEventListener("input", function () {
      // Typing a whole date moves the open calendar to it.
      if (self.isOpen() && !self.writing) {
        var date = cal.parseDate(input.value);
        if (date) {
          self.selected = date;
          self.focusDate = date;
          self.render(false);
        }
      }
    });
  };

  Picker.prototype.isOpen = function () {
    return !!this.popup;
  };

  Picker.prototype.open = function (moveFocus) {
    var input = this.input;
    if (input.disabled || input.readOnly || !input.isConnected) {
      return;
    }
    if (openPicker && openPicker !== this) {
      openPicker.close(false);
    }
    this.today = cal.todayJalali();
    this.selected = cal.parseDate(input.value);
    this.focusDate = this.selected || this.today;
    this.popup = this.buildPopup();
    var host = input.closest("dialog, .modal, [popover]") || document.body;
    host.appendChild(this.popup);
    openPicker = this;
    this.button.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-expanded", "true");
    this.render(moveFocus);
    this.position();
    document.addEventListener("pointerdown", this.onDocumentPointer, true);
    document.addEventListener("focusin", this.onDocumentFocus, true);
    window.addEventListener("resize", this.onReposition);
    window.addEventListener("scroll", this.onReposition, true);
  };

  Picker.prototype.close = function (focusInput) {
    if (!this.popup) {
      return;
    }
    document.removeEventListener("pointerdown", this.onDocumentPointer, true);
    document.removeEventListener("focusin", this.onDocumentFocus, true);
    window.removeEventListener("resize", this.onReposition);
    window.removeEventListener("scroll", this.onReposition, true);
    if (this.popup.parentNode) {
      this.popup.parentNode.removeChild(this.popup);
    }
    this.popup = null;
    if (openPicker === this) {
      openPicker = null;
    }
    this.button.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-expanded", "false");
    if (focusInput && this.input.isConnected) {
      this.input.focus();
    }
  };

  Picker.prototype.isInside = function (node) {
    return (
      !!node &&
      (node === this.input ||
        this.button.contains(node) ||
        (this.popup !== null && this.popup.contains(node)))
    );
  };

  Picker.prototype.onDocumentPointer = function (event) {
    if (!this.isInside(event.target)) {
      this.close(false);
    }
  };

  Picker.prototype.onDocumentFocus = function (event) {
    if (!this.isInside(event.target)) {
      this.close(false);
    }
  };

  Picker.prototype.onReposition = function () {
    if (!this.input.isConnected) {
      this.close(false);
    } else {
      this.position();
    }
  };

  /* Fixed, just below the input, aligned with its start edge, kept inside the viewport. */
  Picker.prototype.position = function () {
    var popup = this.popup;
    if (!popup) {
      return;
    }
    var field = this.input.getBoundingClientRect();
    var anchor = this.button.getBoundingClientRect();
    var left = Math.min(field.left, anchor.left);
    var right = Math.max(field.right, anchor.right);
    var width = popup.offsetWidth;
    var height = popup.offsetHeight;
    var viewWidth = document.documentElement.clientWidth;
    var viewHeight = document.documentElement.clientHeight;
    // The input itself is often dir="ltr" for digits; its surroundings give the page direction.
    var around = this.input.parentNode && this.input.parentNode.nodeType === 1;
    var rtl = window.getComputedStyle(around ? this.input.parentNode : this.input).direction;
    var x = rtl === "rtl" ? right - width : left;
    x = Math.max(4, Math.min(x, viewWidth - width - 4));
    var y = field.bottom + 4;
    if (y + height > viewHeight - 4 && field.top - height - 4 >= 4) {
      y = field.top - height - 4; // no room below: open above
    }
    popup.style.setProperty("left", Math.round(x) + "px");
    popup.style.setProperty("top", Math.round(y) + "px");
  };

  Picker.prototype.buildPopup = function () {
    var self = this;
    var titleId = this.id + "-title";
    var popup = el("div", "jalali-picker", {
      id: this.id,
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": titleId,
      dir: "rtl",
      lang: "fa",
    });

    var header = el("div", "jalali-picker-header");
    var prev = el("button", "jalali-picker-nav jalali-picker-prev", {
      type: "button",
      "aria-label": cal.LABEL_PREV,
      title: cal.LABEL_PREV,
    });
    prev.textContent = "›"; // in RTL the previous month lies to the right
    var title = el("div", "jalali-picker-title", { id: titleId, "aria-live": "polite" });
    var next = el("button", "jalali-picker-nav jalali-picker-next", {
      type: "button",
      "aria-label": cal.LABEL_NEXT,
      title: cal.LABEL_NEXT,
    });
    next.textContent = "‹";
    header.appendChild(prev);
    header.appendChild(title);
    header.appendChild(next);

    var table = el("table", "jalali-picker-grid", { role: "grid", "aria-labelledby": titleId });
    var thead = el("thead");
    var headRow = el("tr", null, { role: "row" });
    for (var i = 0; i < 7; i += 1) {
      var th = el("th", i === 6 ? "jalali-picker-holiday" : null, {
        role: "columnheader",
        scope: "col",
        abbr: cal.WEEKDAYS[i],
        title: cal.WEEKDAYS[i],
      });
      th.textContent = cal.WEEKDAYS_SHORT[i];
      headRow.appendChild(th);
    }
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(el("tbody"));

    var footer = el("div", "jalali-picker-footer");
    var todayButton = el("button", "jalali-picker-today", { type: "button" });
    todayButton.textContent = cal.LABEL_TODAY;
    footer.appendChild(todayButton);

    popup.appendChild(header);
    popup.appendChild(table);
    popup.appendChild(footer);

    prev.addEventListener("click", function () {
      self.moveMonths(-1);
    });
    next.addEventListener("click", function () {
      self.moveMonths(1);
    });
    todayButton.addEventListener("click", function () {
      self.pick(cal.todayJalali());
    });
    table.addEventListener("click", function (event) {
      var cell = event.target.closest("td[data-date]");
      if (cell) {
        self.pick(cal.parseDate(cell.getAttribute("data-date")));
      }
    });
    table.addEventListener("keydown", function (event) {
      self.onGridKey(event);
    });
    popup.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        self.close(true);
      }
    });
    this.titleNode = title;
    this.tbody = table.tBodies[0];
    this.prevButton = prev;
    this.nextButton = next;
    return popup;
  };

  Picker.prototype.moveMonths = function (months) {
    var target = cal.addMonths(this.focusDate, months);
    if (target === this.focusDate) {
      return;
    }
    var hadGridFocus = this.tbody.contains(document.activeElement);
    this.focusDate = target;
    this.render(hadGridFocus);
  };

  Picker.prototype.onGridKey = function (event) {
    var date = this.focusDate;
    var target = null;
    var column = cal.weekColumn(cal.j2d(date[0], date[1], date[2]));
    switch (event.key) {
      case "ArrowLeft": // the grid runs right to left: left is the next day
        target = cal.addDays(date, 1);
        break;
      case "ArrowRight":
        target = cal.addDays(date, -1);
        break;
      case "ArrowDown":
        target = cal.addDays(date, 7);
        break;
      case "ArrowUp":
        target = cal.addDays(date, -7);
        break;
      case "Home":
        target = cal.addDays(date, -column);
        break;
      case "End":
        target = cal.addDays(date, 6 - column);
        break;
      case "PageUp":
        target = cal.addMonths(date, event.shiftKey ? -12 : -1);
        break;
      case "PageDown":
        target = cal.addMonths(date, event.shiftKey ? 12 : 1);
        break;
      case "Enter":
      case " ":
        event.preventDefault();
        this.pick(date);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (target[0] >= cal.MIN_YEAR && target[0] <= cal.MAX_YEAR) {
      this.focusDate = target;
      this.render(true);
    }
  };

  Picker.prototype.focusGrid = function () {
    var cell = this.tbody && this.tbody.querySelector('td[tabindex="0"]');
    if (cell) {
      cell.focus();
    }
  };

  Picker.prototype.pick = function (date) {
    if (!date) {
      return;
    }
    var value = cal.formatDate(date);
    var input = this.input;
    this.close(true);
    if (input.value !== value) {
      input.value = value;
      this.writing = true;
      try {
        dispatch(input, "input");
        dispatch(input, "change");
      } finally {
        this.writing = false;
      }
    }
  };

  Picker.prototype.render = function (moveFocus) {
    var focus = this.focusDate;
    var jy = focus[0];
    var jm = focus[1];
    this.view = [jy, jm];
    this.titleNode.textContent = cal.MONTHS[jm - 1] + " " + cal.persianDigits(jy);
    this.prevButton.disabled = jy === cal.MIN_YEAR && jm === 1;
    this.nextButton.disabled = jy === cal.MAX_YEAR && jm === 12;

    var tbody = this.tbody;
    while (tbody.firstChild) {
      tbody.removeChild(tbody.firstChild);
    }
    var days = cal.monthLength(jy, jm);
    var offset = cal.weekColumn(cal.j2d(jy, jm, 1));
    var row = null;
    var focusCell = null;
    for (var slot = 0; slot < offset + days || slot % 7 !== 0; slot += 1) {
      if (slot % 7 === 0) {
        row = el("tr", null, { role: "row" });
        tbody.appendChild(row);
      }
      var day = slot - offset + 1;
      if (day < 1 || day > days) {
        row.appendChild(el("td", "jalali-picker-empty", { role: "presentation" }));
        continue;
      }
      var date = [jy, jm, day];
      var isSelected = cal.sameDate(date, this.selected);
      var cell = el("td", "jalali-picker-day", {
        role: "gridcell",
        "data-date": cal.formatDate(date),
        "aria-selected": isSelected ? "true" : "false",
        "aria-label":
          cal.persianDigits(day) + " " + cal.MONTHS[jm - 1] + " " + cal.persianDigits(jy),
        tabindex: "-1",
      });
      cell.textContent = cal.persianDigits(day);
      if (slot % 7 === 6) {
        cell.classList.add("jalali-picker-holiday");
      }
      if (isSelected) {
        cell.classList.add("jalali-picker-selected");
      }
      if (cal.sameDate(date, this.today)) {
        cell.classList.add("jalali-picker-current");
        cell.setAttribute("aria-current", "date");
      }
      if (day === focus[2]) {
        cell.setAttribute("tabindex", "0");
        focusCell = cell;
      }
      row.appendChild(cell);
    }
    if (moveFocus && focusCell) {
      focusCell.focus();
    }
    this.position();
  };

  // --- Attaching -----------------------------------------------------------------------------

  function attach(input) {
    if (!input || input.tagName !== "INPUT") {
      throw new TypeError("JalaliPicker.attach needs an <input> element");
    }
    var picker = findInstance(input);
    if (!picker && !input.parentNode) {
      return null; // nowhere to put the button yet; attach it once it is in the page
    }
    if (!picker) {
      picker = new Picker(input);
      rememberInstance(input, picker);
    }
    return picker;
  }

  function attachAll(root) {
    root = root || document;
    var inputs = [];
    if (root.nodeType === 1 && root.matches("input[data-jalali-picker]")) {
      inputs.push(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.push.apply(inputs, root.querySelectorAll("input[data-jalali-picker]"));
    }
    return inputs.map(attach);
  }

  function onSwap(event) {
    var detail = event.detail || {};
    var root = detail.elt || detail.target || event.target;
    attachAll(root && root.nodeType && root.isConnected ? root : document);
  }

  window.JalaliPicker = {
    attach: attach,
    attachAll: attachAll,
    toJalali: cal.toJalali,
    toGregorian: cal.toGregorian,
    isLeapJalali: cal.isLeapJalali,
  };

  document.addEventListener("htmx:load", onSwap);
  document.addEventListener("htmx:afterSwap", onSwap);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      attachAll(document);
    });
  } else {
    attachAll(document);
  }
})();
