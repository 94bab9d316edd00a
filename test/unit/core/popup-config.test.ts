import { describe, expect, it } from 'vitest';
import { parsePopupConfig } from '../../../src/core/popup-config.js';

const good = { server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com' };

describe('parsePopupConfig', () => {
  it('completes a minimal configuration with defaults', () => {
    expect(parsePopupConfig(good)).toEqual({
      ok: true,
      config: {
        server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', realm: 'pbx.example.com', iceServers: [],
        dtmf: 'rfc4733', dtmfDuration: 160, ringTimeout: 60, iceGatheringTimeout: 500, authorizeUrl: undefined, lang: undefined,
        trustedOrigins: [], iceTransportPolicy: 'all', keepAliveInterval: 15, rememberDays: 30,
        callerContext: true,
      },
    });
  });

  it('accepts ws:// on loopback only', () => {
    expect(parsePopupConfig({ ...good, server: 'ws://127.0.0.1:5066' }).ok).toBe(true);
    expect(parsePopupConfig({ ...good, server: 'ws://localhost:5066' }).ok).toBe(true);
    expect(parsePopupConfig({ ...good, server: 'ws://pbx.example.com:5066' }).ok).toBe(false);
  });

  it.each([
    ['not an object', 'wss://x', /JSON object/],
    ['no server', { domain: 'x' }, /"server"/],
    ['an http server', { ...good, server: 'https://pbx.example.com' }, /wss:\/\//],
    ['a server that is no URL', { ...good, server: 'pbx' }, /not a URL/],
    ['no domain', { server: good.server }, /"domain"/],
    ['a domain with a path', { ...good, domain: 'pbx.example.com/x' }, /"domain"/],
    ['bad dtmf', { ...good, dtmf: 'inband' }, /"dtmf"/],
    ['bad ice servers', { ...good, iceServers: [{ urls: 'http://x' }] }, /"iceServers"/],
    ['ice servers not a list', { ...good, iceServers: 'stun:x' }, /"iceServers"/],
    ['ring timeout 0', { ...good, ringTimeout: 0 }, /"ringTimeout"/],
    ['dtmf duration as text', { ...good, dtmfDuration: '160' }, /"dtmfDuration"/],
    ['authorizeUrl over http to a remote host', { ...good, authorizeUrl: 'http://site.example/auth' }, /"authorizeUrl"/],
    ['a trusted origin with a path', { ...good, trustedOrigins: ['https://www.example.com/page'] }, /"trustedOrigins"/],
    ['a trusted origin that is no web origin', { ...good, trustedOrigins: ['javascript:alert(1)'] }, /"trustedOrigins"/],
    ['trusted origins not a list', { ...good, trustedOrigins: 'https://www.example.com' }, /"trustedOrigins"/],
    ['a trusted origin on plain http (a page that can be changed on the way)', { ...good, trustedOrigins: ['http://www.example.com'] }, /https:\/\/ origins/],
    ['rememberDays of 0', { ...good, rememberDays: 0 }, /"rememberDays"/],
    ['rememberDays over a year', { ...good, rememberDays: 366 }, /"rememberDays"/],
    ['a realm with a quote', { ...good, realm: 'pbx"x' }, /"realm"/],
    ['a keep-alive over 300 s', { ...good, keepAliveInterval: 301 }, /"keepAliveInterval"/],
    ['a negative keep-alive', { ...good, keepAliveInterval: -1 }, /"keepAliveInterval"/],
    ['an unknown ICE transport policy', { ...good, iceTransportPolicy: 'none' }, /"iceTransportPolicy"/],
    ['relay only without a TURN server', { ...good, iceTransportPolicy: 'relay', iceServers: [{ urls: 'stun:s.example' }] }, /needs a TURN server/],
  ])('refuses %s with a clear problem', (_case, raw, problem) => {
    const r = parsePopupConfig(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(problem);
  });

  it('lists every problem at once', () => {
    const r = parsePopupConfig({ dtmf: 'x' });
    expect(r.ok || r.problems.length).toBe(3);
  });

  it('keeps trusted origins, with or without a trailing slash', () => {
    const r = parsePopupConfig({ ...good, trustedOrigins: ['https://www.example.com', 'http://localhost:8080/'] });
    expect(r.ok && r.config.trustedOrigins).toEqual(['https://www.example.com', 'http://localhost:8080']);
  });

  it('keeps relay-only media with a TURN server, and keep-alives off when asked', () => {
    const r = parsePopupConfig({ ...good, iceTransportPolicy: 'relay', keepAliveInterval: 0, iceServers: [{ urls: 'turns:t.example:443?transport=tcp', username: 'u', credential: 'c' }] });
    expect(r.ok && [r.config.iceTransportPolicy, r.config.keepAliveInterval]).toEqual(['relay', 0]);
  });

  it('keeps ICE servers and an https authorizeUrl', () => {
    const r = parsePopupConfig({ ...good, iceServers: [{ urls: ['stun:s.example:3478'] }, { urls: 'turn:t.example', username: 'u', credential: 'c' }], authorizeUrl: 'https://site.example/wp-json/vodia-call/v1/authorize' });
    expect(r.ok && r.config.iceServers.length).toBe(2);
    expect(r.ok && r.config.authorizeUrl).toBe('https://site.example/wp-json/vodia-call/v1/authorize');
  });
});

describe('parsePopupConfig: officeHours and fallback', () => {
  const officeHours = { timeZone: 'Europe/Berlin', days: { mon: ['09:00-12:30', '13:30-17:00'], sat: [] }, closed: ['2026-12-24'] };

  it('keeps office hours (as minutes) and both fallbacks', () => {
    const r = parsePopupConfig({ ...good, officeHours, fallback: { url: 'https://example.com/contact', tel: '+4930123456' } });
    expect(r.ok && r.config.officeHours).toEqual({ timeZone: 'Europe/Berlin', days: { mon: [[540, 750], [810, 1020]], sat: [] }, closed: ['2026-12-24'] });
    expect(r.ok && r.config.fallback).toEqual({ url: 'https://example.com/contact', tel: '+4930123456' });
  });

  it('leaves both out when absent (always open, no fallback), and takes either fallback alone', () => {
    const r = parsePopupConfig(good);
    expect(r.ok && [r.config.officeHours, r.config.fallback]).toEqual([undefined, undefined]);
    expect(parsePopupConfig({ ...good, fallback: { tel: '110' } })).toMatchObject({ ok: true, config: { fallback: { tel: '110' } } });
    expect(parsePopupConfig({ ...good, fallback: { url: 'http://localhost:8080/contact' } })).toMatchObject({ ok: true, config: { fallback: { url: 'http://localhost:8080/contact' } } });
  });

  it.each([
    ['office hours in an unknown zone', { officeHours: { ...officeHours, timeZone: 'Europe/Atlantis' } }, /"officeHours.timeZone"/],
    ['an interval across midnight', { officeHours: { ...officeHours, days: { fri: ['22:00-02:00'] } } }, /"officeHours.days.fri"/],
    ['a fallback that is a string', { fallback: 'https://example.com' }, /"fallback" must be an object/],
    ['a fallback page on plain http', { fallback: { url: 'http://example.com/contact' } }, /"fallback.url"/],
    ['a javascript: fallback page', { fallback: { url: 'javascript:alert(1)' } }, /"fallback.url"/],
    ['a fallback number with spaces', { fallback: { tel: '+49 30 123456' } }, /"fallback.tel"/],
    ['a fallback number that is too short', { fallback: { tel: '12' } }, /"fallback.tel"/],
    ['a fallback number with letters', { fallback: { tel: '0800CALLNOW' } }, /"fallback.tel"/],
  ])('refuses %s', (_c, extra, problem) => {
    const r = parsePopupConfig({ ...good, ...extra });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(problem);
  });

  it('lists the problems of office hours and fallback along with the others', () => {
    const r = parsePopupConfig({ ...good, dtmf: 'x', officeHours: { timeZone: 'x', days: { mon: ['9-5'] } }, fallback: { url: 'ftp://x', tel: 'x' } });
    expect(r.ok ? [] : r.problems).toHaveLength(5);
  });
});
