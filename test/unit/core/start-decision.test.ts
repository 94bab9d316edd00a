import { describe, expect, it } from 'vitest';
import type { CallLinkParams } from '../../../src/core/call-link.js';
import { parsePopupConfig, type PopupConfig } from '../../../src/core/popup-config.js';
import type { RememberedLogin } from '../../../src/core/remembered-login.js';
import { signLink } from '../../../src/core/sign-link.js';
import { decideStart, isTrustedOpener, type StartInput } from '../../../src/core/start-decision.js';

const NOW = 1764153600;
function config(extra: Record<string, unknown> = {}): PopupConfig {
  const r = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', ...extra });
  if (!r.ok) throw new Error(r.problems.join());
  return r.config;
}
const signed: CallLinkParams = {
  destnumber: '100', user: '40', time: String(NOW), duration: '3600',
  pass: signLink({ user: '40', password: 'pw', destnumber: '100', time: NOW, duration: 3600 }),
};
const login: RememberedLogin = { account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW };
const base: StartInput = {
  link: { destnumber: '100' }, config: config(), remembered: undefined,
  location: 'https://call.example.com/makecall.html?destnumber=100', referrer: 'https://call.example.com/',
  framed: false, canAuthorize: true, webrtc: true, now: NOW,
};
const decide = (over: Partial<StartInput>) => decideStart({ ...base, ...over });

describe('decideStart: what the popup does when it opens', () => {
  it('refuses to run in a frame before anything else, even with a remembered login', () => {
    expect(decide({ framed: true, remembered: login })).toEqual({ kind: 'fail', code: 'framed' });
    expect(decide({ framed: true, config: undefined })).toEqual({ kind: 'fail', code: 'framed' });
  });

  it('fails on a missing configuration, then on a missing link', () => {
    expect(decide({ config: undefined })).toEqual({ kind: 'fail', code: 'config' });
    expect(decide({ link: undefined })).toEqual({ kind: 'fail', code: 'link-invalid' });
  });

  it('an unsigned link without a remembered login shows the login form, from anywhere', () => {
    expect(decide({})).toEqual({ kind: 'login' });
    expect(decide({ referrer: 'https://evil.example/' })).toEqual({ kind: 'login' });
  });

  const remoteAuth = config({ authorizeUrl: 'https://site.example/wp-json/vodia-call/v1/authorize', trustedOrigins: ['https://www.site.example'] });
  it.each([
    ['the popup\'s own origin', 'https://call.example.com/contact.html', 'call'],
    ['a trusted origin', 'https://www.site.example/team/', 'call'],
    ['another site', 'https://evil.example/', 'ask'],
    ['a stripped referrer', '', 'ask'],
    ['an http page of a trusted https origin', 'http://www.site.example/', 'ask'],
    ['a look-alike origin', 'https://www.site.example.evil.example/', 'ask'],
  ])('a signed link with a server that vouches, opened from %s: %s', (_c, referrer, kind) => {
    expect(decide({ link: signed, config: remoteAuth, referrer })).toEqual({ kind, proof: 'signed-link' });
  });

  it.each([
    ['the popup\'s own origin', 'https://call.example.com/x', 'call'],
    ['another site', 'https://evil.example/', 'ask'],
    ['no referrer', undefined, 'ask'],
  ])('a remembered login, opened from %s: %s', (_c, referrer, kind) => {
    expect(decide({ remembered: login, referrer })).toEqual({ kind, proof: 'remembered-login' });
  });

  it('a signed link with a server: a malformed one fails, its time is left to the server', () => {
    expect(decide({ link: { ...signed, time: `0${signed.time}` }, config: remoteAuth })).toEqual({ kind: 'fail', code: 'link-invalid' });
    expect(decide({ link: signed, config: remoteAuth, now: NOW + 7200, referrer: 'https://www.site.example/' }).kind).toBe('call');
  });

  it('a signed link without a server: checked by the clock, then the login form (even with a remembered login)', () => {
    expect(decide({ link: signed, remembered: login })).toEqual({ kind: 'login' });
    expect(decide({ link: signed, now: NOW + 7200 })).toEqual({ kind: 'fail', code: 'link-expired' });
    expect(decide({ link: signed, now: NOW - 3600 })).toEqual({ kind: 'fail', code: 'link-invalid' });
    expect(decide({ link: signed, config: remoteAuth, canAuthorize: false })).toEqual({ kind: 'login' });
  });
});

describe('decideStart: browsers without WebRTC and office hours', () => {
  // NOW is Wednesday 2025-11-26, 11:40 in Berlin.
  const hours = (wed: string[]) => config({ officeHours: { timeZone: 'Europe/Berlin', days: { wed } } });

  it('a browser without WebRTC fails with unsupported after framed and config, before any login or call', () => {
    expect(decide({ webrtc: false })).toEqual({ kind: 'fail', code: 'unsupported' });
    expect(decide({ webrtc: false, remembered: login })).toEqual({ kind: 'fail', code: 'unsupported' });
    expect(decide({ webrtc: false, link: signed, config: config({ authorizeUrl: 'https://x.test/a' }) })).toEqual({ kind: 'fail', code: 'unsupported' });
    expect(decide({ webrtc: false, framed: true })).toEqual({ kind: 'fail', code: 'framed' });
    expect(decide({ webrtc: false, config: undefined })).toEqual({ kind: 'fail', code: 'config' });
    expect(decide({ webrtc: false, config: hours([]) })).toEqual({ kind: 'fail', code: 'unsupported' });
  });

  it('outside office hours fails with closed, even with a remembered login from a trusted page', () => {
    expect(decide({ config: hours(['13:00-17:00']), remembered: login })).toEqual({ kind: 'fail', code: 'closed' });
    expect(decide({ config: hours([]) })).toEqual({ kind: 'fail', code: 'closed' });
    expect(decide({ config: hours(['09:00-11:40']) })).toEqual({ kind: 'fail', code: 'closed' });
  });

  it('within office hours decides as always', () => {
    expect(decide({ config: hours(['11:40-12:00']), remembered: login })).toEqual({ kind: 'call', proof: 'remembered-login' });
    expect(decide({ config: hours(['09:00-17:00']) })).toEqual({ kind: 'login' });
  });
});

describe('isTrustedOpener', () => {
  it('trusts only exact origins: own and configured', () => {
    const own = 'https://call.example.com/makecall.html';
    expect(isTrustedOpener('https://call.example.com/a', own, [])).toBe(true);
    expect(isTrustedOpener('https://call.example.com:8443/a', own, [])).toBe(false);
    expect(isTrustedOpener('https://www.example.com/a', own, ['https://www.example.com'])).toBe(true);
    expect(isTrustedOpener('javascript:alert(1)', own, [])).toBe(false);
    expect(isTrustedOpener('not a url', own, [])).toBe(false);
    expect(isTrustedOpener(undefined, own, [])).toBe(false);
  });
});
