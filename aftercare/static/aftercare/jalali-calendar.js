/*
 * The calendars of the date picker (jalali-picker.js, which needs this file loaded first):
 * Jalali (Solar Hijri) with its Persian texts, for Persian users, and Gregorian, for everyone
 * else, with its texts in the page's language.
 *
 *   window.JalaliCalendar.toJalali(gy, gm, gd)    -> [jy, jm, jd]
 *   window.JalaliCalendar.toGregorian(jy, jm, jd) -> [gy, gm, gd]
 *   window.JalaliCalendar.isLeapJalali(jy)        -> boolean
 *   window.PickerCalendars.jalali()               -> the Jalali calendar the picker draws
 *   window.PickerCalendars.gregorian(options)     -> the Gregorian one: options.firstDay (0 =
 *       Sunday ... 6 = Saturday), options.labels ({open, previous, next, today}), options.months
 *       (12 names), options.weekdays and options.weekdaysLong (7 names, Monday first): the
 *       server's translations; names it is not given come from the browser (Intl) in
 *       options.lang
 *
 * A picker calendar writes and reads one text shape: YYYY/MM/DD (Jalali) or YYYY-MM-DD
 * (Gregorian), in Latin digits; it reads Persian and Arabic-Indic digits too, either separator,
 * and the direction marks text copied from a right-to-left page carries. Days are counted as
 * Julian Day Numbers, so moving by days, weeks and months works alike in both.
 *
 * The Jalali conversion is the arithmetic algorithm of jalaali-js (Borkowski's breaks table),
 * valid for Jalali years -61 to 3177.
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

  // --- Digits and the text of a date --------------------------------------------------------

  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var DIRECTION_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

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

  /* [year, month, day] as numbers from "YYYY/MM/DD" or "YYYY-MM-DD" in any digits, or null. */
  function dateParts(text) {
    var clean = latinDigits(String(text || "").replace(DIRECTION_MARKS, "")).trim();
    var match = /^(\d{4})\s*[\/\-]\s*(\d{1,2})\s*[\/\-]\s*(\d{1,2})$/.exec(clean);
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
  }

  /* The day of the week of a day number: 0 = Sunday ... 6 = Saturday. */
  function weekday(jdn) {
    return mod(mod(jdn + 1, 7) + 7, 7);
  }

  // --- The Jalali calendar of the picker ----------------------------------------------------

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
  // By day of the week, Sunday first (as Date.getDay counts).
  var WEEKDAYS_SHORT = ["ی", "د", "س", "چ", "پ", "ج", "ش"];
  var WEEKDAYS = ["یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه"];
  var JALALI_LABELS = {
    open: "انتخاب تاریخ",
    previous: "ماه قبل",
    next: "ماه بعد",
    today: "امروز",
  };

  function jalaliCalendar() {
    return {
      name: "jalali",
      lang: "fa",
      dir: "rtl",
      minYear: MIN_YEAR,
      maxYear: MAX_YEAR,
      firstDay: 6, // Saturday
      weekend: [5], // Friday
      labels: JALALI_LABELS,
      monthLength: monthLength,
      toDays: function (date) {
        return j2d(date[0], date[1], date[2]);
      },
      fromDays: d2j,
      today: function () {
        var now = new Date();
        return toJalali(now.getFullYear(), now.getMonth() + 1, now.getDate());
      },
      /* A Jalali date typed or picked; a Gregorian year (1700 on) is read as the server reads
       * it, and shown as the Jalali day it is. */
      parse: function (text) {
        var parts = dateParts(text);
        if (!parts) {
          return null;
        }
        if (parts[0] >= 1700) {
          var g = parts;
          if (!isValidGregorian(g[0], g[1], g[2])) {
            return null;
          }
          parts = d2j(g2d(g[0], g[1], g[2]));
        }
        return isValidJalali(parts[0], parts[1], parts[2]) ? parts : null;
      },
      format: function (date) {
        return date[0] + "/" + pad2(date[1]) + "/" + pad2(date[2]);
      },
      monthTitle: function (year, month) {
        return MONTHS[month - 1] + " " + persianDigits(year);
      },
      dayName: function (date) {
        return (
          persianDigits(date[2]) + " " + MONTHS[date[1] - 1] + " " + persianDigits(date[0])
        );
      },
      dayText: persianDigits,
      weekdayShort: function (day) {
        return WEEKDAYS_SHORT[day];
      },
      weekdayLong: function (day) {
        return WEEKDAYS[day];
      },
    };
  }

  // --- The Gregorian calendar of the picker -------------------------------------------------

  var GREGORIAN_MIN_YEAR = 1900; // as the server reads a typed date
  var GREGORIAN_MAX_YEAR = 9999;
  var ENGLISH_LABELS = {
    open: "Choose a date",
    previous: "Previous month",
    next: "Next month",
    today: "Today",
  };

  function isLeapGregorian(gy) {
    return (gy % 4 === 0 && gy % 100 !== 0) || gy % 400 === 0;
  }

  function gregorianMonthLength(gy, gm) {
    if (gm === 2) {
      return isLeapGregorian(gy) ? 29 : 28;
    }
    return gm === 4 || gm === 6 || gm === 9 || gm === 11 ? 30 : 31;
  }

  function isValidGregorian(gy, gm, gd) {
    return gm >= 1 && gm <= 12 && gd >= 1 && gd <= gregorianMonthLength(gy, gm);
  }

  /* Intl's texts for the language, or English ones where the browser has none. */
  function formatter(lang, options) {
    var all = Object.assign({ timeZone: "UTC" }, options);
    try {
      return new Intl.DateTimeFormat(lang || undefined, all);
    } catch (error) {
      return new Intl.DateTimeFormat("en", all);
    }
  }

  function utc(date) {
    return new Date(Date.UTC(date[0], date[1] - 1, date[2]));
  }

  /* A list of `count` names, or null when it is not one. */
  function names(list, count) {
    return list && list.length === count && list.every(Boolean) ? list : null;
  }

  function gregorianCalendar(options) {
    options = options || {};
    var lang = options.lang || document.documentElement.lang || "en";
    var firstDay = Number(options.firstDay);
    var labels = {};
    Object.keys(ENGLISH_LABELS).forEach(function (key) {
      labels[key] = (options.labels && options.labels[key]) || ENGLISH_LABELS[key];
    });
    // The server's names (the browser may know no Kazakh), else the browser's own.
    var months = names(options.months, 12);
    var weekdays = names(options.weekdays, 7); // Monday first, as the server lists them
    var weekdaysLong = names(options.weekdaysLong, 7) || weekdays;
    var titles = formatter(lang, { year: "numeric", month: "long" });
    var dayNames = formatter(lang, { year: "numeric", month: "long", day: "numeric" });
    var shortDays = formatter(lang, { weekday: "short" });
    var longDays = formatter(lang, { weekday: "long" });
    // 2023-01-01 was a Sunday: the weekday names, Sunday first.
    function sample(day) {
      return utc([2023, 1, 1 + day]);
    }
    return {
      name: "gregorian",
      lang: lang,
      dir: "ltr",
      minYear: GREGORIAN_MIN_YEAR,
      maxYear: GREGORIAN_MAX_YEAR,
      firstDay: firstDay >= 0 && firstDay <= 6 ? firstDay : 1,
      weekend: [6, 0], // Saturday and Sunday
      labels: labels,
      monthLength: gregorianMonthLength,
      toDays: function (date) {
        return g2d(date[0], date[1], date[2]);
      },
      fromDays: d2g,
      today: function () {
        var now = new Date();
        return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
      },
      parse: function (text) {
        var parts = dateParts(text);
        return parts &&
          parts[0] >= GREGORIAN_MIN_YEAR &&
          isValidGregorian(parts[0], parts[1], parts[2])
          ? parts
          : null;
      },
      format: function (date) {
        return date[0] + "-" + pad2(date[1]) + "-" + pad2(date[2]);
      },
      monthTitle: function (year, month) {
        return months ? months[month - 1] + " " + year : titles.format(utc([year, month, 1]));
      },
      dayName: function (date) {
        return months
          ? date[2] + " " + months[date[1] - 1] + " " + date[0]
          : dayNames.format(utc(date));
      },
      dayText: String,
      weekdayShort: function (day) {
        return weekdays ? weekdays[(day + 6) % 7] : shortDays.format(sample(day));
      },
      weekdayLong: function (day) {
        return weekdaysLong ? weekdaysLong[(day + 6) % 7] : longDays.format(sample(day));
      },
    };
  }

  window.JalaliCalendar = {
    MIN_YEAR: MIN_YEAR,
    MAX_YEAR: MAX_YEAR,
    toJalali: toJalali,
    toGregorian: toGregorian,
    isLeapJalali: isLeapJalali,
    isValidJalali: isValidJalali,
    monthLength: monthLength,
    persianDigits: persianDigits,
    latinDigits: latinDigits,
  };

  window.PickerCalendars = {
    jalali: jalaliCalendar,
    gregorian: gregorianCalendar,
    weekday: weekday,
  };
})();
