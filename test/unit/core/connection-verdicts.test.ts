import { describe, expect, it } from 'vitest';
import {
  callUrl, checkUrl, iceVerdict, micVerdict, pbxVerdict, summaryVerdict, verdictKey, type IceResult,
} from '../../../src/core/connection-verdicts.js';
import { CATALOGUES } from '../../../src/core/catalogues.js';

const STUN = { urls: 'stun:turn.example.com:3478' };
const TURN_UDP = { urls: 'turn:turn.example.com:3478', username: 'u', credential: 'c' };
const TURN_TCP = { urls: ['turn:turn.example.com:443?transport=tcp', 'turns:turn.example.com:443'], username: 'u', credential: 'c' };
const ice = (types: string[], servers: RTCIceServer[], policy?: RTCIceTransportPolicy, turnRefused = false) =>
  iceVerdict({ types, turnRefused }, servers, policy);

describe('iceVerdict', () => {
  it.each([
    // [what the network gave, what is configured, verdict code, level]
    ['host srflx relay', [STUN, TURN_UDP], 'ice.ok', 'ok'],
    ['host srflx', [STUN], 'ice.ok', 'ok'],
    // UDP blocked, TURN over TCP/TLS got through: calls work through the relay.
    ['host relay', [STUN, TURN_TCP], 'ice.relay', 'ok'],
    ['host relay', [TURN_UDP, TURN_TCP], 'ice.relay', 'ok'],
    // TURN over TCP only and no STUN: nothing could have given a public address, so a relay is all there is to see.
    ['host relay', [TURN_TCP], 'ice.ok', 'ok'],
    // UDP blocked and no TURN server configured: the audio cannot pass.
    ['host', [STUN], 'ice.blocked', 'bad'],
    // UDP blocked and the TURN server cannot be reached.
    ['host', [STUN, TURN_UDP], 'ice.blocked-turn', 'bad'],
    ['host', [TURN_UDP, TURN_TCP], 'ice.blocked-turn', 'bad'],
    // STUN works, TURN does not: calls work where direct audio does; the site owner should know.
    ['host srflx', [STUN, TURN_UDP], 'ice.turn-down', 'warn'],
    ['host', [TURN_TCP], 'ice.turn-down', 'warn'],
    // Nothing configured: not the visitor's fault, and nothing to test against.
    ['host', [], 'ice.unknown', 'warn'],
    ['', [STUN, TURN_UDP], 'ice.offline', 'bad'],
  ] as const)('%s with %j: %s', (types, servers, code, level) => {
    expect(ice(types ? types.split(' ') : [], [...servers])).toEqual({ code, level });
  });

  it('with iceTransportPolicy relay, calls need the relay: without one they fail even where STUN works', () => {
    expect(ice(['host', 'srflx'], [STUN, TURN_UDP], 'relay')).toEqual({ code: 'ice.turn-needed', level: 'bad' });
    expect(ice(['host', 'relay'], [STUN, TURN_UDP], 'relay')).toEqual({ code: 'ice.ok', level: 'ok' });
  });

  it('a TURN server that refused its credentials is named; bad where calls need it, a warning where direct audio works', () => {
    expect(ice(['host'], [STUN, TURN_UDP], 'all', true)).toEqual({ code: 'ice.turn-refused', level: 'bad' });
    expect(ice(['host', 'srflx'], [STUN, TURN_UDP], 'all', true)).toEqual({ code: 'ice.turn-refused', level: 'warn' });
    expect(ice(['host', 'srflx'], [STUN, TURN_UDP], 'relay', true)).toEqual({ code: 'ice.turn-refused', level: 'bad' });
    // A 401 seen while a relay came anyway (one of several servers) changes nothing.
    expect(ice(['host', 'srflx', 'relay'], [STUN, TURN_UDP], 'all', true).code).toBe('ice.ok');
  });

  it.each([['gathering', 'running'], ['unsupported', 'bad'], ['config', 'bad']] as const)('%s is %s', (r, level) => {
    expect(iceVerdict(r as IceResult, [STUN])).toEqual({ code: `ice.${r}`, level });
  });
});

describe('micVerdict and pbxVerdict', () => {
  it.each([
    ['asking', 'running'], ['ok', 'ok'], ['on', 'ok'], ['silent', 'warn'], ['denied', 'bad'], ['no-mic', 'bad'], ['unsupported', 'bad'],
  ] as const)('microphone %s is %s', (r, level) => {
    expect(micVerdict(r)).toEqual({ code: `mic.${r}`, level });
  });
  it.each([['opening', 'running'], ['ok', 'ok'], ['unreachable', 'bad'], ['config', 'bad']] as const)('PBX %s is %s', (r, level) => {
    expect(pbxVerdict(r)).toEqual({ code: `pbx.${r}`, level });
  });
});

describe('summaryVerdict', () => {
  it('is the worst row, and "testing" while any row still runs', () => {
    expect(summaryVerdict([micVerdict('ok'), pbxVerdict('ok'), ice(['host', 'srflx'], [STUN])]).code).toBe('sum.ok');
    expect(summaryVerdict([micVerdict('silent'), pbxVerdict('ok'), ice(['host', 'srflx'], [STUN])]).code).toBe('sum.warn');
    expect(summaryVerdict([micVerdict('silent'), pbxVerdict('unreachable'), ice(['host', 'srflx'], [STUN])]).code).toBe('sum.bad');
    expect(summaryVerdict([micVerdict('denied'), pbxVerdict('opening'), ice(['host'], [STUN])]).code).toBe('sum.running');
  });
});

describe('every verdict has its message in every language', () => {
  const verdicts = [
    ...(['asking', 'ok', 'on', 'silent', 'denied', 'no-mic', 'unsupported'] as const).map(micVerdict),
    ...(['opening', 'ok', 'unreachable', 'config'] as const).map(pbxVerdict),
    ...(['gathering', 'unsupported', 'config'] as const).map((r) => iceVerdict(r, [])),
    ...['ok', 'relay', 'blocked', 'blocked-turn', 'turn-down', 'turn-needed', 'turn-refused', 'unknown', 'offline'].map((code) => ({ code: `ice.${code}`, level: 'ok' as const })),
    ...['running', 'ok', 'warn', 'bad'].map((l) => ({ code: `sum.${l}`, level: 'ok' as const })),
  ];
  it.each(Object.keys(CATALOGUES))('%s', (lang) => {
    for (const v of verdicts) expect(CATALOGUES[lang][verdictKey(v)], `${lang} ${v.code}`).toMatch(/\S/);
  });
});

describe('checkUrl and callUrl', () => {
  it('adds check to the popup URL, keeping the link; and back again only when there is a number to call', () => {
    const link = 'https://www.example.com/makecall.html?destnumber=100&lang=de#x';
    const check = checkUrl(link);
    expect(check).toBe('https://www.example.com/makecall.html?destnumber=100&lang=de&check');
    expect(checkUrl(check)).toBe(check);
    expect(callUrl(check)).toBe('https://www.example.com/makecall.html?destnumber=100&lang=de');
    expect(checkUrl('https://www.example.com/makecall.html')).toBe('https://www.example.com/makecall.html?check');
    expect(callUrl('https://www.example.com/makecall.html?check')).toBeUndefined();
    expect(callUrl('https://www.example.com/makecall.html?check=1&destnumber=')).toBeUndefined();
  });
});
