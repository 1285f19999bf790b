/*
 * The date picker of the console and portal: Jalali (Solar Hijri) for Persian users, Gregorian
 * for everyone else, one look and one keyboard in both.
 *
 * No dependencies, no build step. Load it with `defer`, after jalali-calendar.js (its calendars).
 * Every `input[data-jalali-picker]` (Jalali) and `input[data-date-picker]` (its value names the
 * calendar: "gregorian" or "jalali") gets a calendar button next to it, on DOMContentLoaded and
 * again after htmx swaps. The input keeps a plain text value in Latin digits, what the server
 * parses: `YYYY/MM/DD` in the Jalali calendar, `YYYY-MM-DD` in the Gregorian one; it also reads
 * Persian or Arabic-Indic digits and either separator.
 *
 * A Gregorian input may say its week's first day (`data-first-day`, 0 = Sunday ... 6 =
 * Saturday) and its texts in the page's language: its buttons' (`data-label-open`,
 * `data-label-previous`, `data-label-next`, `data-label-today`), the months' and weekdays'
 * (`data-months`, `data-weekdays`, `data-weekdays-long`: names separated by "|", weekdays from
 * Monday). Names it does not give come from the browser (Intl) in the language of the input's
 * `lang`. The Jalali calendar shows Persian texts and digits, right to left, its weeks from
 * Saturday.
 *
 *   window.JalaliPicker.attach(input)        -> the picker of this input (one per input), or
 *                                               null while the input has no parent
 *   window.JalaliPicker.attachAll(root)      -> attach to root and every match inside it
 *   window.JalaliPicker.toJalali(gy, gm, gd) -> [jy, jm, jd]
 *   window.JalaliPicker.toGregorian(jy, jm, jd) -> [gy, gm, gd]
 *   window.JalaliPicker.isLeapJalali(jy)     -> boolean
 */
(function () {
  "use strict";

  if (window.JalaliPicker) {
    return;
  }

  var jalali = window.JalaliCalendar;
  var calendars = window.PickerCalendars;
  var SELECTOR = "input[data-jalali-picker], input[data-date-picker]";

  /* Names listed in an attribute, separated by "|". */
  function nameList(input, name) {
    var value = input.getAttribute(name);
    return value ? value.split("|") : null;
  }

  /* The calendar an input asks for. */
  function calendarFor(input) {
    if (input.getAttribute("data-date-picker") === "gregorian") {
      var host = input.closest("[lang]");
      return calendars.gregorian({
        lang: host ? host.getAttribute("lang") : "",
        firstDay: input.getAttribute("data-first-day"),
        labels: {
          open: input.getAttribute("data-label-open"),
          previous: input.getAttribute("data-label-previous"),
          next: input.getAttribute("data-label-next"),
          today: input.getAttribute("data-label-today"),
        },
        months: nameList(input, "data-months"),
        weekdays: nameList(input, "data-weekdays"),
        weekdaysLong: nameList(input, "data-weekdays-long"),
      });
    }
    return calendars.jalali();
  }

  function sameDate(a, b) {
    return !!a && !!b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
  }

  function addDays(cal, date, days) {
    return cal.fromDays(cal.toDays(date) + days);
  }

  /* The same day `months` later (or earlier), cut to the month's length; the date itself when
   * that leaves the calendar's years. */
  function addMonths(cal, date, months) {
    var index = date[0] * 12 + (date[1] - 1) + months;
    var year = Math.floor(index / 12);
    var month = index - year * 12 + 1;
    if (year < cal.minYear || year > cal.maxYear) {
      return date;
    }
    return [year, month, Math.min(date[2], cal.monthLength(year, month))];
  }

  /* The column of a day in the calendar's week (0 = its first day). */
  function weekColumn(cal, days) {
    return (calendars.weekday(days) - cal.firstDay + 7) % 7;
  }

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
    this.cal = calendarFor(input);
    this.id = "jalali-picker-" + nextId;
    this.popup = null;
    this.view = null; // [year, month] shown
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
    button.setAttribute("aria-label", this.cal.labels.open);
    button.setAttribute("title", this.cal.labels.open);
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
    // The popup is announced by its button: a text input takes no aria-haspopup or
    // aria-expanded (ARIA allows them on a combobox, which this input is not).
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
        var date = self.cal.parse(input.value);
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
    this.today = this.cal.today();
    this.selected = this.cal.parse(input.value);
    this.focusDate = this.selected || this.today;
    this.popup = this.buildPopup();
    var host = input.closest("dialog, .modal, [popover]") || document.body;
    host.appendChild(this.popup);
    openPicker = this;
    this.button.setAttribute("aria-expanded", "true");
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
    var cal = this.cal;
    var rtl = cal.dir === "rtl";
    var titleId = this.id + "-title";
    var popup = el("div", "jalali-picker jalali-picker-" + cal.name, {
      id: this.id,
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": titleId,
      dir: cal.dir,
      lang: cal.lang,
    });

    var header = el("div", "jalali-picker-header");
    var prev = el("button", "jalali-picker-nav jalali-picker-prev", {
      type: "button",
      "aria-label": cal.labels.previous,
      title: cal.labels.previous,
    });
    prev.textContent = rtl ? "›" : "‹"; // in RTL the previous month lies to the right
    var title = el("div", "jalali-picker-title", { id: titleId, "aria-live": "polite" });
    var next = el("button", "jalali-picker-nav jalali-picker-next", {
      type: "button",
      "aria-label": cal.labels.next,
      title: cal.labels.next,
    });
    next.textContent = rtl ? "‹" : "›";
    header.appendChild(prev);
    header.appendChild(title);
    header.appendChild(next);

    var table = el("table", "jalali-picker-grid", { role: "grid", "aria-labelledby": titleId });
    var thead = el("thead");
    var headRow = el("tr", null, { role: "row" });
    for (var i = 0; i < 7; i += 1) {
      var day = (cal.firstDay + i) % 7;
      var th = el("th", cal.weekend.indexOf(day) >= 0 ? "jalali-picker-holiday" : null, {
        role: "columnheader",
        scope: "col",
        abbr: cal.weekdayLong(day),
        title: cal.weekdayLong(day),
      });
      th.textContent = cal.weekdayShort(day);
      headRow.appendChild(th);
    }
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(el("tbody"));

    var footer = el("div", "jalali-picker-footer");
    var todayButton = el("button", "jalali-picker-today", { type: "button" });
    todayButton.textContent = cal.labels.today;
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
      self.pick(cal.today());
    });
    table.addEventListener("click", function (event) {
      var cell = event.target.closest("td[data-date]");
      if (cell) {
        self.pick(cal.parse(cell.getAttribute("data-date")));
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
    var target = addMonths(this.cal, this.focusDate, months);
    if (target === this.focusDate) {
      return;
    }
    var hadGridFocus = this.tbody.contains(document.activeElement);
    this.focusDate = target;
    this.render(hadGridFocus);
  };

  Picker.prototype.onGridKey = function (event) {
    var cal = this.cal;
    var date = this.focusDate;
    var target = null;
    var column = weekColumn(cal, cal.toDays(date));
    // The grid runs the way the calendar reads: in RTL the next day lies to the left.
    var forward = cal.dir === "rtl" ? -1 : 1;
    switch (event.key) {
      case "ArrowLeft":
        target = addDays(cal, date, -forward);
        break;
      case "ArrowRight":
        target = addDays(cal, date, forward);
        break;
      case "ArrowDown":
        target = addDays(cal, date, 7);
        break;
      case "ArrowUp":
        target = addDays(cal, date, -7);
        break;
      case "Home":
        target = addDays(cal, date, -column);
        break;
      case "End":
        target = addDays(cal, date, 6 - column);
        break;
      case "PageUp":
        target = addMonths(cal, date, event.shiftKey ? -12 : -1);
        break;
      case "PageDown":
        target = addMonths(cal, date, event.shiftKey ? 12 : 1);
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
    if (target[0] >= cal.minYear && target[0] <= cal.maxYear) {
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
    var value = this.cal.format(date);
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
    var cal = this.cal;
    var focus = this.focusDate;
    var year = focus[0];
    var month = focus[1];
    this.view = [year, month];
    this.titleNode.textContent = cal.monthTitle(year, month);
    this.prevButton.disabled = year === cal.minYear && month === 1;
    this.nextButton.disabled = year === cal.maxYear && month === 12;

    var tbody = this.tbody;
    while (tbody.firstChild) {
      tbody.removeChild(tbody.firstChild);
    }
    var days = cal.monthLength(year, month);
    var first = cal.toDays([year, month, 1]);
    var offset = weekColumn(cal, first);
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
      var date = [year, month, day];
      var isSelected = sameDate(date, this.selected);
      var cell = el("td", "jalali-picker-day", {
        role: "gridcell",
        "data-date": cal.format(date),
        "aria-selected": isSelected ? "true" : "false",
        "aria-label": cal.dayName(date),
        tabindex: "-1",
      });
      cell.textContent = cal.dayText(day);
      if (cal.weekend.indexOf(calendars.weekday(first + day - 1)) >= 0) {
        cell.classList.add("jalali-picker-holiday");
      }
      if (isSelected) {
        cell.classList.add("jalali-picker-selected");
      }
      if (sameDate(date, this.today)) {
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
    if (root.nodeType === 1 && root.matches(SELECTOR)) {
      inputs.push(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.push.apply(inputs, root.querySelectorAll(SELECTOR));
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
    toJalali: jalali.toJalali,
    toGregorian: jalali.toGregorian,
    isLeapJalali: jalali.isLeapJalali,
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
