// Tests for the pure functions of desks.js: node --test static/js/
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const d = require('./desks.js');

// at builds the instant of a Europe/Rome wall-clock time from its UTC
// offset, so each test states the offset it expects (CET +01, CEST +02).
const at = (iso) => new Date(iso);

const weekly = {
  w: [['mon', '09:00', '12:30'], ['mon', '14:00', '16:00'], ['wed', '09:00', '12:30'],
    ['fri', '20:00', '24:00'], ['sat', '00:00', '01:00']],
  c: [['2026-12-24', '2026-12-26']],
  s: [['2026-12-31', '09:00', '11:00']],
};

test('romeNow follows Europe/Rome across DST changes', () => {
  // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
  assert.deepEqual(d.romeNow(at('2026-03-29T00:59:00Z')), { date: '2026-03-29', day: 'sun', minutes: 119 });
  assert.deepEqual(d.romeNow(at('2026-03-29T01:00:00Z')), { date: '2026-03-29', day: 'sun', minutes: 180 });
  // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 02:30 happens twice.
  assert.equal(d.romeNow(at('2026-10-25T00:30:00Z')).minutes, 150);
  assert.equal(d.romeNow(at('2026-10-25T01:30:00Z')).minutes, 150);
  // Midnight in Rome is still the previous day in UTC.
  assert.deepEqual(d.romeNow(at('2026-11-22T23:30:00Z')), { date: '2026-11-23', day: 'mon', minutes: 30 });
});

test('9:30 summer time is 7:30 UTC, winter time 8:30 UTC', () => {
  const h = { w: [['mon', '09:00', '10:00']] };
  assert.equal(d.status(h, at('2026-06-15T07:30:00Z')).open, true); // Monday, CEST
  assert.equal(d.status(h, at('2026-06-15T08:30:00Z')).open, false);
  assert.equal(d.status(h, at('2026-11-23T08:30:00Z')).open, true); // Monday, CET
  assert.equal(d.status(h, at('2026-11-23T07:30:00Z')).open, false);
});

test('several ranges a day', () => {
  // Monday 2026-11-23, CET.
  assert.deepEqual(d.status(weekly, at('2026-11-23T08:00:00Z')), { open: true, closes: '12:30' });
  assert.deepEqual(d.status(weekly, at('2026-11-23T11:45:00Z')), { open: false, next: { date: '2026-11-23', offset: 0, time: '14:00' } });
  assert.deepEqual(d.status(weekly, at('2026-11-23T13:59:00Z')), { open: true, closes: '16:00' });
  // Closing minute is closed; next opening is Wednesday.
  assert.deepEqual(d.status(weekly, at('2026-11-23T15:00:00Z')), { open: false, next: { date: '2026-11-25', offset: 2, time: '09:00' } });
  // Before opening on the same day.
  assert.deepEqual(d.status(weekly, at('2026-11-23T06:00:00Z')), { open: false, next: { date: '2026-11-23', offset: 0, time: '09:00' } });
});

test('a range to midnight runs into a range from midnight', () => {
  // Friday 2026-11-27 23:30 CET: open until Saturday 01:00.
  assert.deepEqual(d.status(weekly, at('2026-11-27T22:30:00Z')), { open: true, closes: '01:00' });
  // Saturday 00:30.
  assert.deepEqual(d.status(weekly, at('2026-11-27T23:30:00Z')), { open: true, closes: '01:00' });
  // Saturday 01:00: closed, next Monday.
  assert.deepEqual(d.status(weekly, at('2026-11-28T00:00:00Z')), { open: false, next: { date: '2026-11-30', offset: 2, time: '09:00' } });
  // A range to midnight without a follow-up closes at 00:00.
  assert.deepEqual(d.status({ w: [['tue', '22:00', '24:00']] }, at('2026-11-24T22:30:00Z')), { open: true, closes: '00:00' });
});

test('closures and special hours replace the weekly hours', () => {
  // Thursday 24 December to Saturday 26: Friday evening is closed.
  assert.deepEqual(d.rangesOn(weekly, '2026-12-25'), []);
  assert.deepEqual(d.rangesOn(weekly, '2026-12-18'), [[1200, 1440]]);
  assert.deepEqual(d.status(weekly, at('2026-12-25T20:00:00Z')), { open: false, next: { date: '2026-12-28', offset: 3, time: '09:00' } });
  // 31 December is a Thursday (no weekly hours) with special hours.
  assert.deepEqual(d.rangesOn(weekly, '2026-12-31'), [[540, 660]]);
  assert.deepEqual(d.status(weekly, at('2026-12-31T09:30:00Z')), { open: true, closes: '11:00' });
  // A special date replaces that day's weekly ranges.
  const h = { w: [['mon', '09:00', '17:00']], s: [['2026-11-23', '10:00', '11:00']] };
  assert.deepEqual(d.rangesOn(h, '2026-11-23'), [[600, 660]]);
  assert.equal(d.status(h, at('2026-11-23T08:30:00Z')).open, false); // 09:30
  // A long closure pushes the next opening past a week.
  const long = { w: [['mon', '09:00', '12:00']], c: [['2026-08-01', '2026-08-20']] };
  // From Saturday 1 August the next opening (Monday 24) is 23 days away,
  // beyond the 14 days looked ahead: plain "closed".
  assert.deepEqual(d.status(long, at('2026-08-01T10:00:00Z')), { open: false });
  assert.deepEqual(d.status(long, at('2026-08-12T10:00:00Z')), { open: false, next: { date: '2026-08-24', offset: 12, time: '09:00' } });
});

test('no hours at all', () => {
  assert.deepEqual(d.status({ w: [], c: [], s: [] }, at('2026-11-23T10:00:00Z')), { open: false });
});

test('message fills the page templates', () => {
  const msgs = {
    open: 'Open now: closes at {time}', closed: 'Closed now', today: 'Opens today at {time}',
    tomorrow: 'Opens tomorrow at {time}', day: 'Opens {day} at {time}', date: 'Opens on {date} at {time}',
  };
  assert.equal(d.message({ open: true, closes: '12:30' }, msgs, 'en'), 'Open now: closes at 12:30');
  assert.equal(d.message({ open: false }, msgs, 'en'), 'Closed now');
  assert.equal(d.message({ open: false, next: { date: '2026-11-23', offset: 0, time: '14:00' } }, msgs, 'en'), 'Opens today at 14:00');
  assert.equal(d.message({ open: false, next: { date: '2026-11-24', offset: 1, time: '09:00' } }, msgs, 'en'), 'Opens tomorrow at 09:00');
  assert.equal(d.message({ open: false, next: { date: '2026-11-25', offset: 2, time: '09:00' } }, msgs, 'en'), 'Opens Wednesday at 09:00');
  assert.equal(d.message({ open: false, next: { date: '2026-11-25', offset: 2, time: '09:00' } }, { ...msgs, day: 'Apre {day} alle {time}' }, 'it'), 'Apre mercoledì alle 09:00');
  assert.equal(d.message({ open: false, next: { date: '2026-08-24', offset: 12, time: '09:00' } }, { ...msgs, date: 'Apre il {date} alle {time}' }, 'it'), 'Apre il 24 agosto alle 09:00');
});

test('filters match services, languages, municipality and open', () => {
  const desk = { services: 'permit-renewal work', languages: 'it en', municipality: 'Forlì' };
  const yes = () => true, no = () => false;
  assert.equal(d.matches(desk, {}, no), true);
  assert.equal(d.matches(desk, { service: 'work' }, no), true);
  assert.equal(d.matches(desk, { service: 'permit' }, no), false); // whole codes only
  assert.equal(d.matches(desk, { language: 'en' }, no), true);
  assert.equal(d.matches(desk, { language: 'ar' }, no), false);
  assert.equal(d.matches(desk, { municipality: ' forli ' }, no), true);
  assert.equal(d.matches(desk, { municipality: 'Forlimpopoli' }, no), false);
  assert.equal(d.matches(desk, { open: true }, no), false);
  assert.equal(d.matches(desk, { open: true, service: 'work' }, yes), true);
});
