/* desks.js: "open now" and in-place filtering for the desk pages, and the
 * embed page's filters and height messages. Classic script, no
 * dependencies, loaded with defer; data comes from data-* attributes (the
 * pages have no inline script). Without it the pages still show the weekly
 * hours and static filter links.
 *
 * data-hours on a desk: {"w":[["mon","09:00","12:30"],...],
 * "c":[["2026-12-24","2026-12-26"],...], "s":[["2026-12-31","09:00","11:00"],...]}
 * w = weekly ranges, c = closed date ranges (inclusive), s = special ranges
 * that replace the weekly ones on their date. Times are Europe/Rome wall
 * clock; "24:00" closes at midnight.
 */
(function () {
  'use strict';

  var DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  var HEIGHT_MESSAGE = 'portal-desks:height';
  var romeFormat = null;

  function minutes(hhmm) {
    return parseInt(hhmm.slice(0, 2), 10) * 60 + parseInt(hhmm.slice(3, 5), 10);
  }

  function clock(m) {
    var h = Math.floor(m / 60), mm = m % 60;
    return (h < 10 ? '0' : '') + h + ':' + (mm < 10 ? '0' : '') + mm;
  }

  // romeNow returns the Europe/Rome calendar date (YYYY-MM-DD), day code
  // and minutes after midnight of the instant d.
  function romeNow(d) {
    if (!romeFormat) {
      romeFormat = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
      });
    }
    var p = {};
    romeFormat.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    var date = p.year + '-' + p.month + '-' + p.day;
    return { date: date, day: dayOf(date), minutes: (parseInt(p.hour, 10) % 24) * 60 + parseInt(p.minute, 10) };
  }

  // dayOf gives the day code of a calendar date.
  function dayOf(date) {
    var t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
    return DAYS[(new Date(t).getUTCDay() + 6) % 7];
  }

  function addDays(date, k) {
    var t = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + k));
    return t.toISOString().slice(0, 10);
  }

  // rangesOn lists the [opens, closes] minute ranges of a calendar date,
  // sorted: none on a closed date, the special ranges when the date has
  // any, else the weekly ranges of its day.
  function rangesOn(hours, date) {
    var i, out = [];
    var c = hours.c || [], s = hours.s || [], w = hours.w || [];
    for (i = 0; i < c.length; i++) {
      if (date >= c[i][0] && date <= c[i][1]) return [];
    }
    for (i = 0; i < s.length; i++) {
      if (s[i][0] === date) out.push([minutes(s[i][1]), minutes(s[i][2])]);
    }
    if (!out.length) {
      var day = dayOf(date);
      for (i = 0; i < w.length; i++) {
        if (w[i][0] === day) out.push([minutes(w[i][1]), minutes(w[i][2])]);
      }
    }
    return out.sort(function (a, b) { return a[0] - b[0]; });
  }

  function hasHours(hours) {
    return !!hours && ((hours.w && hours.w.length) || (hours.s && hours.s.length));
  }

  // status says whether a desk is open at the instant now:
  // {open: true, closes: "HH:MM"} or {open: false, next: {date, offset,
  // time}} or {open: false} when it does not open in the next 14 days.
  function status(hours, now) {
    var r = romeNow(now);
    var today = rangesOn(hours, r.date), i, k;
    for (i = 0; i < today.length; i++) {
      if (today[i][0] <= r.minutes && r.minutes < today[i][1]) {
        // A range to midnight continues into a range from 00:00.
        var end = today[i][1], date = r.date;
        for (k = 0; end === 1440 && k < 7; k++) {
          date = addDays(date, 1);
          var next = rangesOn(hours, date);
          if (!next.length || next[0][0] !== 0) break;
          end = next[0][1];
        }
        return { open: true, closes: clock(end === 1440 ? 0 : end) };
      }
    }
    for (i = 0; i < today.length; i++) {
      if (today[i][0] > r.minutes) return { open: false, next: { date: r.date, offset: 0, time: clock(today[i][0]) } };
    }
    for (k = 1; k <= 14; k++) {
      var d = addDays(r.date, k), rs = rangesOn(hours, d);
      if (rs.length) return { open: false, next: { date: d, offset: k, time: clock(rs[0][0]) } };
    }
    return { open: false };
  }

  // message turns a status into text with the page's templates (msgs has
  // open, closed, today, tomorrow, day, date; {time}, {day}, {date} are
  // replaced).
  function message(st, msgs, lang) {
    function fill(t, o) {
      return t.replace('{time}', o.time || '').replace('{day}', o.day || '').replace('{date}', o.date || '');
    }
    if (st.open) return fill(msgs.open, { time: st.closes });
    if (!st.next) return msgs.closed;
    var n = st.next, noon = new Date(n.date + 'T12:00:00Z');
    if (n.offset === 0) return fill(msgs.today, n);
    if (n.offset === 1) return fill(msgs.tomorrow, n);
    if (n.offset < 7) {
      return fill(msgs.day, { time: n.time, day: new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(noon) });
    }
    return fill(msgs.date, { time: n.time, date: new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(noon) });
  }

  // fold lower-cases and strips accents, so "forli" finds "Forlì".
  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  }

  // matches says whether a desk's data attributes pass the filters
  // {service, language, municipality, open}; isOpen is called only when
  // the open filter is on.
  function matches(desk, f, isOpen) {
    if (f.service && (' ' + desk.services + ' ').indexOf(' ' + f.service + ' ') < 0) return false;
    if (f.language && (' ' + desk.languages + ' ').indexOf(' ' + f.language + ' ') < 0) return false;
    if (f.municipality && fold(desk.municipality) !== fold(f.municipality)) return false;
    if (f.open && !isOpen()) return false;
    return true;
  }

  var api = {
    romeNow: romeNow, dayOf: dayOf, addDays: addDays, rangesOn: rangesOn, status: status,
    message: message, matches: matches, fold: fold, HEIGHT_MESSAGE: HEIGHT_MESSAGE
  };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  }
  if (typeof document === 'undefined') return;

  // ---- Browser part ----

  function readHours(el) {
    try {
      return JSON.parse(el.getAttribute('data-hours') || 'null');
    } catch (e) {
      return null;
    }
  }

  function messages(root) {
    var m = root.querySelector('[data-desk-msgs]') || document.querySelector('[data-desk-msgs]');
    if (!m) return null;
    return {
      open: m.getAttribute('data-open'), closed: m.getAttribute('data-closed'),
      today: m.getAttribute('data-today'), tomorrow: m.getAttribute('data-tomorrow'),
      day: m.getAttribute('data-day'), date: m.getAttribute('data-date')
    };
  }

  var lang = document.documentElement.lang || 'it';

  function updateStatus() {
    var msgs = messages(document), now = new Date();
    if (!msgs) return;
    var desks = document.querySelectorAll('[data-desk][data-hours]');
    for (var i = 0; i < desks.length; i++) {
      var el = desks[i], out = el.querySelector('[data-desk-status]'), h = readHours(el);
      if (!out || !hasHours(h)) continue;
      var st = status(h, now);
      out.textContent = message(st, msgs, lang);
      out.classList.toggle('desk-status-open', st.open);
      out.classList.toggle('desk-status-closed', !st.open);
      out.hidden = false;
    }
  }

  function isOpenNow(el) {
    var h = readHours(el);
    return hasHours(h) && status(h, new Date()).open;
  }

  function applyFilter(root, f) {
    var entries = root.querySelectorAll('li[data-desk]'), shown = 0, i;
    for (i = 0; i < entries.length; i++) {
      var el = entries[i];
      var ok = matches({
        services: el.getAttribute('data-services') || '',
        languages: el.getAttribute('data-languages') || '',
        municipality: el.getAttribute('data-municipality') || ''
      }, f, function () { return isOpenNow(el); });
      el.hidden = !ok;
      if (ok) shown++;
    }
    var groups = root.querySelectorAll('[data-desk-group]');
    for (i = 0; i < groups.length; i++) {
      groups[i].hidden = !groups[i].querySelector('li[data-desk]:not([hidden])');
    }
    var none = root.querySelector('[data-desk-none]');
    if (none) none.hidden = shown > 0;
    notifyHeight();
  }

  function params() {
    var p = new URLSearchParams(window.location.search);
    return {
      service: p.get('service') || '', language: p.get('language') || '',
      municipality: p.get('municipality') || '', open: p.get('open') === '1', lang: p.get('lang') || ''
    };
  }

  function setupListFilter() {
    var form = document.querySelector('form[data-desk-filter]');
    var root = document.querySelector('[data-desks]');
    if (!form || !root) return;
    var p = params();
    var service = form.elements.namedItem('service');
    var language = form.elements.namedItem('language');
    var open = form.elements.namedItem('open');
    if (service && p.service) service.value = p.service;
    if (language && p.language) language.value = p.language;
    if (open) open.checked = p.open;
    form.hidden = false;
    function run() {
      var f = {
        service: service ? service.value : '', language: language ? language.value : '',
        open: open ? open.checked : false
      };
      applyFilter(root, f);
      var q = new URLSearchParams();
      if (f.service) q.set('service', f.service);
      if (f.language) q.set('language', f.language);
      if (f.open) q.set('open', '1');
      var s = q.toString();
      history.replaceState(null, '', window.location.pathname + (s ? '?' + s : ''));
    }
    form.addEventListener('change', run);
    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    if (p.service || p.language || p.open) run();
  }

  // ---- Embed page ----

  var embedded = document.documentElement.hasAttribute('data-desk-embed');
  var lastHeight = 0;

  function notifyHeight() {
    if (!embedded || window.parent === window) return;
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === lastHeight) return;
    lastHeight = h;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height: h }, '*');
  }

  function setupEmbed() {
    var p = params();
    var langs = (document.documentElement.getAttribute('data-langs') || '').split(' ');
    var base = document.documentElement.getAttribute('data-embed-base') || '/embed/desks/';
    if (p.lang && p.lang !== lang && langs.indexOf(p.lang) >= 0) {
      window.location.replace(base + (p.lang === langs[0] ? '' : p.lang + '/') + window.location.search);
      return false;
    }
    var root = document.querySelector('[data-desks]');
    if (root && (p.service || p.municipality || p.language)) applyFilter(root, p);
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(notifyHeight).observe(document.documentElement);
    }
    window.addEventListener('load', notifyHeight);
    window.addEventListener('resize', notifyHeight);
    notifyHeight();
    return true;
  }

  if (embedded && !setupEmbed()) return;
  updateStatus();
  setupListFilter();
  notifyHeight();
  setInterval(updateStatus, 60000);
})();
