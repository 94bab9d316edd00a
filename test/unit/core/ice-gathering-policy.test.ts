import { describe, expect, it } from 'vitest';
import { candidateType, gatheringVerdict, iceServerKinds } from '../../../src/core/ice-gathering-policy.js';

const none = { stun: false, turn: false };
const stun = { stun: true, turn: false };
const turn = { stun: false, turn: true };
const both = { stun: true, turn: true };

describe('gatheringVerdict', () => {
  it.each([
    [[], none, 'wait'],
    [[], stun, 'wait'],
    [['host'], none, 'soon'],
    [['host', 'host'], stun, 'wait'],
    [['host', 'srflx'], stun, 'now'],
    [['host', 'srflx'], both, 'wait'], // TURN configured: the relay is worth waiting for
    [['host', 'srflx', 'relay'], both, 'now'],
    [['host', 'relay'], turn, 'now'],
    [['host'], turn, 'wait'],
    [['srflx'], none, 'now'],
    [['prflx'], none, 'wait'],
  ] as const)('%j with %j -> %s', (types, servers, verdict) => {
    expect(gatheringVerdict(types, servers)).toBe(verdict);
  });
});

describe('iceServerKinds', () => {
  it('tells STUN from TURN in every spelling', () => {
    expect(iceServerKinds([])).toEqual(none);
    expect(iceServerKinds([{ urls: 'stun:s.example:3478' }])).toEqual(stun);
    expect(iceServerKinds([{ urls: ['turns:t.example:443?transport=tcp'], username: 'u', credential: 'c' }])).toEqual(turn);
    expect(iceServerKinds([{ urls: ['stun:s.example', 'turn:t.example'] }])).toEqual(both);
  });
});

describe('candidateType', () => {
  it('reads the type of a candidate line', () => {
    expect(candidateType('candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0')).toBe('host');
    expect(candidateType('candidate:2 1 udp 1686052607 203.0.113.5 50001 typ srflx raddr 10.0.0.2 rport 50000')).toBe('srflx');
    expect(candidateType('')).toBeUndefined();
  });
});
