import { describe, expect, it } from 'vitest';
import { formatOpening, isOpen, nextOpening, parseOfficeHours, type OfficeHours } from '../../../src/core/office-hours.js';

function hours(raw: Record<string, unknown>): OfficeHours {
  const r = parseOfficeHours(raw);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.hours;
}
const at = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

const WEEK = { mon: ['09:00-12:30', '13:30-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-15:00'], sat: [], sun: [] };
const berlin = hours({ timeZone: 'Europe/Berlin', days: WEEK, closed: ['2026-12-24', '2026-12-31'] });

describe('parseOfficeHours', () => {
  it('accepts the documented shape; a missing day is closed, intervals come sorted', () => {
    const h = hours({ timeZone: 'America/New_York', days: { mon: ['13:00-24:00', '00:00-08:00'] } });
    expect(h).toEqual({ timeZone: 'America/New_York', days: { mon: [[0, 480], [780, 1440]] }, closed: [] });
  });

  it.each([
    [null, /must be an object/],
    [[], /must be an object/],
    [{ days: {} }, /timeZone" must be an IANA/],
    [{ timeZone: 'Mars/Olympus', days: {} }, /timeZone" must be an IANA/],
    [{ timeZone: 'Europe/Berlin' }, /"officeHours.days" must be an object/],
    [{ timeZone: 'Europe/Berlin', days: { monday: ['09:00-17:00'] } }, /has "monday"/],
    [{ timeZone: 'Europe/Berlin', days: { mon: '09:00-17:00' } }, /days.mon" must be a list/],
    [{ timeZone: 'Europe/Berlin', days: { mon: ['9:00-17:00'] } }, /not "HH:MM-HH:MM"/],
    [{ timeZone: 'Europe/Berlin', days: { mon: ['09:00-24:30'] } }, /not "HH:MM-HH:MM"/],
    [{ timeZone: 'Europe/Berlin', days: { mon: ['09:00-25:00'] } }, /not "HH:MM-HH:MM"/],
    [{ timeZone: 'Europe/Berlin', days: { mon: ['22:00-02:00'] } }, /end later than it starts/],
    [{ timeZone: 'Europe/Berlin', days: { mon: ['09:00-09:00'] } }, /end later than it starts/],
    [{ timeZone: 'Europe/Berlin', days: { mon: [900] } }, /900 is not/],
    [{ timeZone: 'Europe/Berlin', days: {}, closed: '2026-12-24' }, /closed" must list dates/],
    [{ timeZone: 'Europe/Berlin', days: {}, closed: ['2026-02-30'] }, /"2026-02-30" is not one/],
    [{ timeZone: 'Europe/Berlin', days: {}, closed: ['24.12.2026'] }, /"24.12.2026" is not one/],
  ])('refuses %j', (raw, message) => {
    const r = parseOfficeHours(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('lists every problem, not just the first', () => {
    const r = parseOfficeHours({ timeZone: 'Nowhere', days: { mon: ['x'], tue: ['18:00-08:00'], xyz: [] }, closed: ['soon'] });
    expect(r.ok ? [] : r.problems).toHaveLength(5);
  });
});

describe('isOpen in the office\'s zone', () => {
  it.each([
    ['2026-11-30T07:59:59Z', false], // Monday 08:59 in Berlin (CET, UTC+1)
    ['2026-11-30T08:00:00Z', true], // 09:00
    ['2026-11-30T11:29:00Z', true], // 12:29
    ['2026-11-30T11:30:00Z', false], // 12:30: lunch, the end is not included
    ['2026-11-30T12:30:00Z', true], // 13:30
    ['2026-11-30T16:00:00Z', false], // 17:00
    ['2026-12-04T13:59:00Z', true], // Friday 14:59
    ['2026-12-04T14:00:00Z', false], // Friday 15:00
    ['2026-12-05T10:00:00Z', false], // Saturday: an empty day
    ['2026-12-24T10:00:00Z', false], // Thursday, but a closed date
    ['2026-12-25T08:00:00Z', true], // Friday the 25th: not in the closed list
  ])('Berlin at %s: %s', (instant, open) => {
    expect(isOpen(berlin, at(instant))).toBe(open);
  });

  it('summer time: 09:00 in Berlin is 07:00 UTC in July', () => {
    expect(isOpen(berlin, at('2026-07-06T06:59:00Z'))).toBe(false);
    expect(isOpen(berlin, at('2026-07-06T07:00:00Z'))).toBe(true);
  });

  it('an interval ending at 24:00 is open in the last minute of the day and closed at midnight', () => {
    const h = hours({ timeZone: 'Europe/Berlin', days: { mon: ['20:00-24:00'] } });
    expect(isOpen(h, at('2026-11-30T22:59:00Z'))).toBe(true); // Monday 23:59
    expect(isOpen(h, at('2026-11-30T23:00:00Z'))).toBe(false); // Tuesday 00:00
  });

  it('spring forward (Berlin 2026-03-29): 02:00-03:00 never exists, so it is never open', () => {
    const h = hours({ timeZone: 'Europe/Berlin', days: { sun: ['02:00-03:00'] } });
    for (let t = at('2026-03-28T23:00:00Z'); t < at('2026-03-29T23:00:00Z'); t += 60_000) {
      if (isOpen(h, t)) throw new Error(`open at ${iso(t)}`);
    }
    // The next such interval is a week later, at 02:00 CEST.
    expect(iso(nextOpening(h, at('2026-03-29T00:00:00Z')))).toBe('2026-04-05T00:00:00.000Z');
  });

  it('autumn (Berlin 2026-10-25): the repeated hour 02:00-03:00 is open in both readings, two hours in all', () => {
    const h = hours({ timeZone: 'Europe/Berlin', days: { sun: ['02:00-03:00'] } });
    expect(isOpen(h, at('2026-10-24T23:59:00Z'))).toBe(false); // 01:59 CEST
    expect(isOpen(h, at('2026-10-25T00:00:00Z'))).toBe(true); // 02:00 CEST
    expect(isOpen(h, at('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET, the second reading
    expect(isOpen(h, at('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
    expect(iso(nextOpening(h, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:00:00.000Z'); // the first 02:00
  });

  it('New York across its changes (2026-03-08, 2026-11-01): 09:00 local moves in UTC', () => {
    const ny = hours({ timeZone: 'America/New_York', days: { sat: ['09:00-17:00'], sun: ['09:00-17:00'], mon: ['09:00-17:00'] } });
    expect(iso(nextOpening(ny, at('2026-03-07T23:00:00Z')))).toBe('2026-03-08T13:00:00.000Z'); // EDT from 02:00 that day
    expect(iso(nextOpening(ny, at('2026-03-07T03:00:00Z')))).toBe('2026-03-07T14:00:00.000Z'); // EST the day before
    expect(iso(nextOpening(ny, at('2026-10-31T22:00:00Z')))).toBe('2026-11-01T14:00:00.000Z'); // EST again
    expect(isOpen(ny, at('2026-11-01T13:30:00Z'))).toBe(false); // 08:30 EST
    expect(isOpen(ny, at('2026-11-01T14:00:00Z'))).toBe(true);
  });

  it('New York spring forward: 02:30-03:30 opens when the clock jumps to 03:00', () => {
    const ny = hours({ timeZone: 'America/New_York', days: { sun: ['02:30-03:30'] } });
    // 02:30 does not exist on 2026-03-08: the office opens when the clock jumps to 03:00 EDT (07:00 UTC).
    expect(iso(nextOpening(ny, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(isOpen(ny, at('2026-03-08T06:59:00Z'))).toBe(false); // 01:59 EST
    expect(isOpen(ny, at('2026-03-08T07:00:00Z'))).toBe(true); // 03:00 EDT
    expect(isOpen(ny, at('2026-03-08T07:30:00Z'))).toBe(false); // 03:30 EDT
  });
});

describe('nextOpening', () => {
  it.each([
    ['Monday before 09:00', '2026-11-30T06:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['Monday at lunch', '2026-11-30T11:45:00Z', '2026-11-30T12:30:00.000Z'],
    ['Friday after hours, over the empty weekend', '2026-12-04T15:00:00Z', '2026-12-07T08:00:00.000Z'],
    ['Wednesday 23 Dec after hours, skipping the closed 24th', '2026-12-23T18:00:00Z', '2026-12-25T08:00:00.000Z'],
    ['while open: the next interval', '2026-11-30T09:00:00Z', '2026-11-30T12:30:00.000Z'],
  ])('%s', (_c, from, expected) => {
    expect(iso(nextOpening(berlin, at(from)))).toBe(expected);
  });

  it('finds an opening days away, and none past the 14-day horizon', () => {
    const closedMonth = Array.from({ length: 20 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);
    const h = hours({ timeZone: 'Europe/Berlin', days: WEEK, closed: closedMonth.slice(0, 10) });
    expect(iso(nextOpening(h, at('2026-11-30T18:00:00Z')))).toBe('2026-12-11T08:00:00.000Z'); // Friday the 11th
    const shut = hours({ timeZone: 'Europe/Berlin', days: WEEK, closed: closedMonth });
    expect(nextOpening(shut, at('2026-11-30T18:00:00Z'))).toBeUndefined();
    expect(nextOpening(hours({ timeZone: 'Europe/Berlin', days: {} }), at('2026-11-30T18:00:00Z'))).toBeUndefined();
  });

  it('an opening at 00:00 after a day closing at 24:00 counts only when the office was closed', () => {
    const h = hours({ timeZone: 'Europe/Berlin', days: { mon: ['18:00-24:00'], tue: ['00:00-06:00'] } });
    expect(iso(nextOpening(h, at('2026-11-30T12:00:00Z')))).toBe('2026-11-30T17:00:00.000Z');
    expect(iso(nextOpening(h, at('2026-12-01T06:00:00Z')))).toBe('2026-12-07T17:00:00.000Z');
  });
});

describe('formatOpening: the visitor\'s language and zone', () => {
  const opening = at('2026-12-07T08:00:00Z'); // Monday 09:00 in Berlin
  it.each([
    ['en', 'Asia/Tokyo', 'Monday, December 7', '5:00 PM'],
    ['en', 'America/Los_Angeles', 'Monday, December 7', '12:00 AM'],
    ['de', 'Europe/Berlin', 'Montag, 7. Dezember', '09:00'],
    ['fr', 'Europe/Paris', 'lundi 7 décembre', '09:00'],
    ['en', 'America/New_York', 'Monday, December 7', '3:00 AM'],
  ])('%s in %s', (lang, zone, day, time) => {
    expect(formatOpening(opening, lang, zone)).toEqual({ day, time });
  });

  it('a visitor\'s date can differ from the office\'s: Sunday evening in Los Angeles', () => {
    expect(formatOpening(at('2026-12-07T07:00:00Z'), 'en', 'America/Los_Angeles')).toEqual({ day: 'Sunday, December 6', time: '11:00 PM' });
  });

  it('an unknown visitor zone falls back to the browser\'s own instead of throwing', () => {
    expect(() => formatOpening(opening, 'en', 'Not/AZone')).not.toThrow();
  });
});
