/**
 * Office hours in the office's own time zone, with Intl alone (no time-zone library in the popup).
 * Wall times are compared as wall times, so DST needs no special case: an interval in the hour a
 * spring change skips is never open, and the hour an autumn change repeats is open twice.
 */
export const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayKey = (typeof DAY_KEYS)[number];

export interface OfficeHours {
  /** An IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Open intervals per day as [start, end) minutes of the day (end up to 1440); a missing day is closed. */
  days: Partial<Record<DayKey, [number, number][]>>;
  /** Dates (YYYY-MM-DD in the office's zone) closed all day. */
  closed: string[];
}

export type OfficeHoursResult = { ok: true; hours: OfficeHours } | { ok: false; problems: string[] };

/** How far ahead nextOpening looks: past that, the office is closed "for now" without a date. */
export const LOOKAHEAD_DAYS = 14;
const DAY_MS = 86_400_000;
const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)-(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks the configuration's `officeHours`; lists every problem, not just the first. */
export function parseOfficeHours(raw: unknown): OfficeHoursResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: ['"officeHours" must be an object with "timeZone" and "days"'] };
  }
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const timeZone = typeof r.timeZone === 'string' ? r.timeZone : '';
  if (!isTimeZone(timeZone)) problems.push('"officeHours.timeZone" must be an IANA time zone like "Europe/Berlin"');
  const days: OfficeHours['days'] = {};
  if (typeof r.days !== 'object' || r.days === null || Array.isArray(r.days)) {
    problems.push('"officeHours.days" must be an object like { "mon": ["09:00-17:00"] }');
  } else {
    for (const [day, list] of Object.entries(r.days)) {
      if (!(DAY_KEYS as readonly string[]).includes(day)) {
        problems.push(`"officeHours.days" has "${day}": days are mon, tue, wed, thu, fri, sat, sun`);
        continue;
      }
      if (!Array.isArray(list)) {
        problems.push(`"officeHours.days.${day}" must be a list like ["09:00-12:30", "13:30-17:00"]`);
        continue;
      }
      const intervals: [number, number][] = [];
      for (const item of list) {
        const m = typeof item === 'string' ? INTERVAL.exec(item) : null;
        const start = m ? Number(m[1]) * 60 + Number(m[2]) : 0;
        const end = m ? (m[5] ? 1440 : Number(m[3]) * 60 + Number(m[4])) : 0;
        if (!m) problems.push(`"officeHours.days.${day}": ${JSON.stringify(item)} is not "HH:MM-HH:MM" (24-hour, end at most 24:00)`);
        else if (end <= start) problems.push(`"officeHours.days.${day}": "${item}" must end later than it starts (write two intervals across midnight)`);
        else intervals.push([start, end]);
      }
      days[day as DayKey] = intervals.sort((a, b) => a[0] - b[0]);
    }
  }
  const closed: string[] = [];
  if (r.closed !== undefined) {
    const list = Array.isArray(r.closed) ? r.closed : [null];
    for (const d of list) {
      if (typeof d === 'string' && isDate(d)) closed.push(d);
      else problems.push(`"officeHours.closed" must list dates like "2026-12-24"; ${JSON.stringify(d)} is not one`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, hours: { timeZone, days, closed } };
}

/** Whether the office is open at `instant` (milliseconds since 1970). */
export function isOpen(hours: OfficeHours, instant: number): boolean {
  const wall = wallTime(instant, hours.timeZone);
  const date = new Date(Math.floor(wall / DAY_MS) * DAY_MS);
  const minute = Math.floor((wall % DAY_MS) / 60_000);
  return !hours.closed.includes(isoDate(date)) && intervalsOf(hours, date).some(([s, e]) => s <= minute && minute < e);
}

/**
 * The instant the office next opens after `instant`, skipping closed dates and empty days; undefined
 * when it stays closed for LOOKAHEAD_DAYS. An opening in the hour a spring change skips is the
 * moment that hour ends; one in the hour an autumn change repeats is its first occurrence.
 */
export function nextOpening(hours: OfficeHours, instant: number): number | undefined {
  const today = Math.floor(wallTime(instant, hours.timeZone) / DAY_MS) * DAY_MS;
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const date = new Date(today + i * DAY_MS);
    if (hours.closed.includes(isoDate(date))) continue;
    for (const [start, end] of intervalsOf(hours, date)) {
      const at = firstInstantFrom(date.getTime() + start * 60_000, hours.timeZone);
      // The opening is the interval's first open instant: none if a spring change swallowed all of it.
      if (at > instant && wallTime(at, hours.timeZone) < date.getTime() + end * 60_000) return at;
    }
  }
  return undefined;
}

/** An instant as the visitor reads it: a long weekday and date, and a time, in their language and zone. */
export function formatOpening(instant: number, lang: string, timeZone?: string): { day: string; time: string } {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : undefined;
  const at = new Date(instant);
  return {
    day: new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone }).format(at),
    time: new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: zone }).format(at),
  };
}

export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDate(d) === s; // no 2026-02-30
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const intervalsOf = (hours: OfficeHours, date: Date) => hours.days[DAY_KEYS[date.getUTCDay()]] ?? [];

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall clock in `zone` at `instant`, as milliseconds of a UTC date with the same fields (seconds dropped). */
function wallTime(instant: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(instant)) p[type] = Number(value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute);
}

/**
 * The first instant whose wall clock in `zone` reads `wall` or later (within the same change): the
 * earlier of two readings in a repeated hour, the end of the gap for a skipped one.
 */
function firstInstantFrom(wall: number, zone: string): number {
  // Offsets a day either side: a zone changes at most once in between.
  const offsets = [wall - DAY_MS, wall + DAY_MS].map((t) => wallTime(t, zone) - t);
  const candidates = [...new Set(offsets)].map((o) => wall - o).sort((a, b) => a - b);
  for (const c of candidates) if (wallTime(c, zone) === wall) return c;
  // In a gap: search the minute the clock jumps, between the two candidates.
  let lo = candidates[0];
  let hi = candidates[candidates.length - 1];
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallTime(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
