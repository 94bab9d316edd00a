import { describe, expect, it } from 'vitest';
import { candidateType, gatheringVerdict } from '../../../src/core/ice-gathering-policy.js';

describe('gatheringVerdict', () => {
  it.each([
    [[], false, 'wait'],
    [[], true, 'wait'],
    [['host'], false, 'soon'],
    [['host', 'host'], true, 'wait'],
    [['host', 'srflx'], true, 'now'],
    [['host', 'relay'], true, 'now'],
    [['srflx'], false, 'now'],
    [['prflx'], false, 'wait'],
  ] as const)('%j with ICE servers %s -> %s', (types, servers, verdict) => {
    expect(gatheringVerdict(types, servers)).toBe(verdict);
  });
});

describe('candidateType', () => {
  it('reads the type of a candidate line', () => {
    expect(candidateType('candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0')).toBe('host');
    expect(candidateType('candidate:2 1 udp 1686052607 203.0.113.5 50001 typ srflx raddr 10.0.0.2 rport 50000')).toBe('srflx');
    expect(candidateType('')).toBeUndefined();
  });
});
