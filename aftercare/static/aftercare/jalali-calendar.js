/*
 * The Jalali (Solar Hijri) calendar and its Persian texts, for the date picker
 * (jalali-picker.js, which needs this file loaded first).
 *
 *   window.JalaliCalendar.toJalali(gy, gm, gd)    -> [jy, jm, jd]
 *   window.JalaliCalendar.toGregorian(jy, jm, jd) -> [gy, gm, gd]
 *   window.JalaliCalendar.isLeapJalali(jy)        -> boolean
 *   and the month lengths, week columns, date parsing and formatting the picker draws with.
 *
 * The conversion is the arithmetic algorithm of jalaali-js (Borkowski's breaks table), valid for
 * Jalali years -61 to 3177.
 */
(function () {
  "use strict";

  if (window.JalaliCalendar) {
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

  window.JalaliCalendar = {
    MIN_YEAR: MIN_YEAR,
    MAX_YEAR: MAX_YEAR,
    MONTHS: MONTHS,
    WEEKDAYS: WEEKDAYS,
    WEEKDAYS_SHORT: WEEKDAYS_SHORT,
    LABEL_OPEN: LABEL_OPEN,
    LABEL_PREV: LABEL_PREV,
    LABEL_NEXT: LABEL_NEXT,
    LABEL_TODAY: LABEL_TODAY,
    toJalali: toJalali,
    toGregorian: toGregorian,
    isLeapJalali: isLeapJalali,
    isValidJalali: isValidJalali,
    monthLength: monthLength,
    weekColumn: weekColumn,
    j2d: j2d,
    d2j: d2j,
    todayJalali: todayJalali,
    persianDigits: persianDigits,
    latinDigits: latinDigits,
    formatDate: formatDate,
    parseDate: parseDate,
    sameDate: sameDate,
    addDays: addDays,
    addMonths: addMonths,
  };
})();
