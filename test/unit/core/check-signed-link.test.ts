import { describe, expect, it } from 'vitest';
import type { CallLinkParams } from '../../../src/core/call-link.js';
import { checkLinkRules, checkSignedLink, constantTimeEqual } from '../../../src/core/check-signed-link.js';
import { signLink } from '../../../src/core/sign-link.js';

const password = 's3cret';
const T = 1764153600;
function signed(over: Partial<CallLinkParams> = {}): CallLinkParams {
  const base = { destnumber: '12345', user: '40@pbx.example.com', time: String(T), duration: '3600', ...over };
  return { ...base, pass: over.pass ?? signLink({ ...base, password } as never) };
}

describe('checkSignedLink: docs/design.md §2 rules', () => {
  it('accepts a fresh, well-formed link', () => {
    expect(checkSignedLink(signed(), { password, now: T })).toEqual({ ok: true });
  });

  it.each([
    ['leading zero', '01764153600'], ['plus sign', '+1764153600'], ['minus sign', '-1'], ['space', ' 1764153600'],
    ['fraction', '1764153600.0'], ['exponent', '1.7e9'], ['empty', ''], ['hex', '0x10'],
  ])('refuses a non-canonical time (%s)', (_case, time) => {
    expect(checkSignedLink(signed({ time }), { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([['leading zero', '03600'], ['plus sign', '+3600'], ['fraction', '3600.5'], ['trailing space', '3600 ']])(
    'refuses a non-canonical duration (%s)', (_case, duration) => {
      expect(checkSignedLink(signed({ duration }), { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
    });

  it('allows 300 s of clock skew and refuses 301', () => {
    expect(checkSignedLink(signed(), { password, now: T - 300 })).toEqual({ ok: true });
    expect(checkSignedLink(signed(), { password, now: T - 301 })).toEqual({ ok: false, reason: 'future' });
  });

  it('is valid up to time + duration and expired one second later', () => {
    expect(checkSignedLink(signed(), { password, now: T + 3600 })).toEqual({ ok: true });
    expect(checkSignedLink(signed(), { password, now: T + 3601 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('caps the duration at the configured maximum (default 86400)', () => {
    expect(checkSignedLink(signed({ duration: '86400' }), { password, now: T })).toEqual({ ok: true });
    expect(checkSignedLink(signed({ duration: '86401' }), { password, now: T })).toEqual({ ok: false, reason: 'too-long' });
    expect(checkSignedLink(signed({ duration: '3600' }), { password, now: T, maxDuration: 600 })).toEqual({ ok: false, reason: 'too-long' });
  });

  it.each([['letters', '12ab'], ['too long', '1'.repeat(33)], ['empty', ''], ['space', '12 34']])(
    'refuses a destnumber with %s', (_case, destnumber) => {
      expect(checkSignedLink(signed({ destnumber }), { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
    });

  it.each(['destnumber', 'user', 'time', 'duration'] as const)('detects a tampered %s', (field) => {
    const link = signed();
    const tampered = { ...link, [field]: field === 'user' ? '41@pbx.example.com' : field === 'destnumber' ? '12346' : String(Number(link[field]) - 1) };
    expect(checkSignedLink(tampered, { password, now: T })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a signature that is not 32 lowercase hex digits', () => {
    const link = signed();
    expect(checkSignedLink({ ...link, pass: link.pass!.toUpperCase() }, { password, now: T }).ok).toBe(false);
    expect(checkSignedLink({ ...link, pass: link.pass!.slice(1) }, { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a link missing a signing field', () => {
    const { time: _t, ...rest } = signed();
    expect(checkSignedLink(rest, { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('the digit-sliding forgery', () => {
  // destnumber=1234, time=51764153600 hashes exactly like destnumber=12345, time=1764153600.
  const genuine = signed({ destnumber: '12345' });
  const forged: CallLinkParams = { ...genuine, destnumber: '1234', time: `5${genuine.time}` };

  it('really has the same hash: the format alone cannot tell them apart', () => {
    expect(signLink({ ...(forged as Required<CallLinkParams>), password })).toBe(genuine.pass);
  });

  it('is refused: its time lies far in the future', () => {
    expect(checkSignedLink(forged, { password, now: T })).toEqual({ ok: false, reason: 'future' });
  });

  it('is refused when digits slide from time into duration (leading zero)', () => {
    // time=176415360, duration=03600 hashes like time=1764153600, duration=3600.
    const slid = { ...genuine, time: '176415360', duration: '03600' };
    expect(signLink({ ...(slid as Required<CallLinkParams>), password })).toBe(genuine.pass);
    expect(checkSignedLink(slid, { password, now: T })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('is refused when digits slide from duration into time (future)', () => {
    // time=17641536003, duration=600 hashes like time=1764153600, duration=3600.
    const slid = { ...genuine, time: `${genuine.time}3`, duration: '600' };
    expect(signLink({ ...(slid as Required<CallLinkParams>), password })).toBe(genuine.pass);
    expect(checkSignedLink(slid, { password, now: T })).toEqual({ ok: false, reason: 'future' });
  });

  it('is refused when a duration grows by sliding digits from time (cap)', () => {
    // time=1764, duration=1536013600 hashes like time=1764153601, duration=3600: a link from 1970
    // that would live for 48 years; the cap stops it before the clock could call it expired.
    const base = signed({ destnumber: '12345', time: String(T + 1) });
    const slid = { ...base, time: '1764', duration: '1536013600' };
    expect(signLink({ ...(slid as Required<CallLinkParams>), password })).toBe(base.pass);
    expect(checkSignedLink(slid, { password, now: T })).toEqual({ ok: false, reason: 'too-long' });
  });

  it('a wrong signature is refused as such, whatever the clock says', () => {
    expect(checkSignedLink({ ...genuine, pass: '0'.repeat(32) }, { password, now: T + 86400 * 365 })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('checkLinkRules and constantTimeEqual', () => {
  it('applies the time rules without a password', () => {
    expect(checkLinkRules(signed(), T)).toEqual({ ok: true });
    expect(checkLinkRules(signed(), T + 4000)).toEqual({ ok: false, reason: 'expired' });
    expect(checkLinkRules({ destnumber: '1' }, T)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('compares equal and unequal strings of any length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
