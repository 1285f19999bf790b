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
 * The conversion is the arithmetic algorithm of jalaali-js (Borkowski's breaks table), valid for
 * Jalali years -61 to 3177.
 */
(function () {
  "use strict";

  if (window.JalaliPicker) {
    return;
  }

  // --- Calendar arithmetic -------------------------------------------------------------------

  var BREAKS = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
  ];
  var MIN_YEAR = BREAKS[0];
  var MAX_YEAR = BREAKS[BREAKS.length - 1] - 1;

  function div(a, b) {
    return ~~(a / b);
  }

  function mod(a, b) {
    return a - ~~(a / b) * b;
  }

  function checkYear(jy) {
    if (!(jy >= MIN_YEAR && jy <= MAX_YEAR) || jy !== Math.floor(jy)) {
      throw new RangeError("Jalali year out of range: " + jy);
    }
  }

  /* For Jalali year jy: its leap state (0 = leap; years since the last leap otherwise), the
   * Gregorian year it begins in, and the day of March that Farvardin 1 falls on. */
  function jalCal(jy) {
    checkYear(jy);
    var gy = jy + 621;
    var leapJ = -14;
    var jp = BREAKS[0];
    var jump = 0;
    for (var i = 1; i < BREAKS.length; i += 1) {
      var jm = BREAKS[i];
      jump = jm - jp;
      if (jy < jm) {
        break;
      }
      leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    var n = jy - jp;
    leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) {
      leapJ += 1;
    }
    var leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    var march = 20 + leapJ - leapG;
    if (jump - n < 6) {
      n = n - jump + div(jump + 4, 33) * 33;
    }
    var leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) {
      leap = 4;
    }
    return { leap: leap, gy: gy, march: march };
  }

  /* Julian Day Number of a Gregorian date. */
  function g2d(gy, gm, gd) {
    var d =
      div((gy + div(gm - 8, 6) + 100100) * 1461, 4) +
      div(153 * mod(gm + 9, 12) + 2, 5) +
      gd -
      34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }

  /* Gregorian date of a Julian Day Number. */
  function d2g(jdn) {
    var j = 4 * jdn + 139361631;
    j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    var i = div(mod(j, 1461), 4) * 5 + 308;
    var gd = div(mod(i, 153), 5) + 1;
    var gm = mod(div(i, 153), 12) + 1;
    var gy = div(j, 1461) - 100100 + div(8 - gm, 6);
    return [gy, gm, gd];
  }

  function j2d(jy, jm, jd) {
    var r = jalCal(jy);
    return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }

  function d2j(jdn) {
    var gy = d2g(jdn)[0];
    var jy = gy - 621;
    var r = jalCal(jy);
    var k = jdn - g2d(gy, 3, r.march);
    if (k >= 0) {
      if (k <= 185) {
        return [jy, 1 + div(k, 31), mod(k, 31) + 1];
      }
      k -= 186;
    } else {
      jy -= 1;
      k += 179;
      if (r.leap === 1) {
        k += 1;
      }
    }
    return [jy, 7 + div(k, 30), mod(k, 30) + 1];
  }

  function toInt(value, name) {
    var n = Number(value);
    if (!isFinite(n) || n !== Math.floor(n)) {
      throw new TypeError(name + " must be an integer: " + value);
    }
    return n;
  }

  function toJalali(gy, gm, gd) {
    gy = toInt(gy, "year");
    gm = toInt(gm, "month");
    gd = toInt(gd, "day");
    return d2j(g2d(gy, gm, gd));
  }

  function toGregorian(jy, jm, jd) {
    jy = toInt(jy, "year");
    jm = toInt(jm, "month");
    jd = toInt(jd, "day");
    return d2g(j2d(jy, jm, jd));
  }

  function isLeapJalali(jy) {
    return jalCal(toInt(jy, "year")).leap === 0;
  }

  function monthLength(jy, jm) {
    if (jm <= 6) {
      return 31;
    }
    if (jm <= 11) {
      return 30;
    }
    return isLeapJalali(jy) ? 30 : 29;
  }

  /* Column of a day in a week that starts on Saturday (0 = Saturday ... 6 = Friday). */
  function weekColumn(jdn) {
    return mod(jdn + 2, 7);
  }

  function isValidJalali(jy, jm, jd) {
    return (
      jy >= MIN_YEAR &&
      jy <= MAX_YEAR &&
      jm >= 1 &&
      jm <= 12 &&
      jd >= 1 &&
      jd <= monthLength(jy, jm)
    );
  }

  function todayJalali() {
    var now = new Date();
    return toJalali(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  // --- Text ----------------------------------------------------------------------------------

  var MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
  ];
  var WEEKDAYS_SHORT = ["ش", "ی", "د", "س", "چ", "پ", "ج"];
  var WEEKDAYS = ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"];
  var LABEL_OPEN = "انتخاب تاریخ";
  var LABEL_PREV = "ماه قبل";
  var LABEL_NEXT = "ماه بعد";
  var LABEL_TODAY = "امروز";
  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

  function persianDigits(value) {
    return String(value).replace(/[0-9]/g, function (d) {
      return PERSIAN_DIGITS.charAt(Number(d));
    });
  }

  function latinDigits(value) {
    return String(value).replace(/[\u06F0-\u06F9\u0660-\u0669]/g, function (d) {
      var code = d.charCodeAt(0);
      return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
    });
  }

  function pad2(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function formatDate(date) {
    return date[0] + "/" + pad2(date[1]) + "/" + pad2(date[2]);
  }

  /* [jy, jm, jd] from the text of an input, or null when it is empty or not a valid date. */
  function parseDate(text) {
    var match = /^(\d{4})\s*[\/\-]\s*(\d{1,2})\s*[\/\-]\s*(\d{1,2})$/.exec(
      latinDigits(text || "").trim()
    );
    if (!match) {
      return null;
    }
    var date = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isValidJalali(date[0], date[1], date[2]) ? date : null;
  }

  function sameDate(a, b) {
    return !!a && !!b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
  }

  function addDays(date, days) {
    return d2j(j2d(date[0], date[1], date[2]) + days);
  }

  function addMonths(date, months) {
    var index = date[0] * 12 + (date[1] - 1) + months;
    var jy = Math.floor(index / 12);
    var jm = index - jy * 12 + 1;
    if (jy < MIN_YEAR || jy > MAX_YEAR) {
      return date;
    }
    return [jy, jm, Math.min(date[2], monthLength(jy, jm))];
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
    button.setAttribute("aria-label", LABEL_OPEN);
    button.setAttribute("title", LABEL_OPEN);
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
        var date = parseDate(input.value);
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
    this.today = todayJalali();
    this.selected = parseDate(input.value);
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
      "aria-label": LABEL_PREV,
      title: LABEL_PREV,
    });
    prev.textContent = "›"; // in RTL the previous month lies to the right
    var title = el("div", "jalali-picker-title", { id: titleId, "aria-live": "polite" });
    var next = el("button", "jalali-picker-nav jalali-picker-next", {
      type: "button",
      "aria-label": LABEL_NEXT,
      title: LABEL_NEXT,
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
        abbr: WEEKDAYS[i],
        title: WEEKDAYS[i],
      });
      th.textContent = WEEKDAYS_SHORT[i];
      headRow.appendChild(th);
    }
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(el("tbody"));

    var footer = el("div", "jalali-picker-footer");
    var todayButton = el("button", "jalali-picker-today", { type: "button" });
    todayButton.textContent = LABEL_TODAY;
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
      self.pick(todayJalali());
    });
    table.addEventListener("click", function (event) {
      var cell = event.target.closest("td[data-date]");
      if (cell) {
        self.pick(parseDate(cell.getAttribute("data-date")));
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
    var target = addMonths(this.focusDate, months);
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
    var column = weekColumn(j2d(date[0], date[1], date[2]));
    switch (event.key) {
      case "ArrowLeft": // the grid runs right to left: left is the next day
        target = addDays(date, 1);
        break;
      case "ArrowRight":
        target = addDays(date, -1);
        break;
      case "ArrowDown":
        target = addDays(date, 7);
        break;
      case "ArrowUp":
        target = addDays(date, -7);
        break;
      case "Home":
        target = addDays(date, -column);
        break;
      case "End":
        target = addDays(date, 6 - column);
        break;
      case "PageUp":
        target = addMonths(date, event.shiftKey ? -12 : -1);
        break;
      case "PageDown":
        target = addMonths(date, event.shiftKey ? 12 : 1);
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
    if (target[0] >= MIN_YEAR && target[0] <= MAX_YEAR) {
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
    var value = formatDate(date);
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
    this.titleNode.textContent = MONTHS[jm - 1] + " " + persianDigits(jy);
    this.prevButton.disabled = jy === MIN_YEAR && jm === 1;
    this.nextButton.disabled = jy === MAX_YEAR && jm === 12;

    var tbody = this.tbody;
    while (tbody.firstChild) {
      tbody.removeChild(tbody.firstChild);
    }
    var days = monthLength(jy, jm);
    var offset = weekColumn(j2d(jy, jm, 1));
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
      var isSelected = sameDate(date, this.selected);
      var cell = el("td", "jalali-picker-day", {
        role: "gridcell",
        "data-date": formatDate(date),
        "aria-selected": isSelected ? "true" : "false",
        "aria-label": persianDigits(day) + " " + MONTHS[jm - 1] + " " + persianDigits(jy),
        tabindex: "-1",
      });
      cell.textContent = persianDigits(day);
      if (slot % 7 === 6) {
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
    toJalali: toJalali,
    toGregorian: toGregorian,
    isLeapJalali: isLeapJalali,
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
