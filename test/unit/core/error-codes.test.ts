import { describe, expect, it } from 'vitest';
import { errorForLinkRejection, errorForMicrophone, errorForSipStatus } from '../../../src/core/error-codes.js';

describe('errorForSipStatus', () => {
  it.each([
    [401, true, 'auth-failed'], [407, true, 'auth-failed'], [403, true, 'auth-failed'], [403, false, 'rejected'],
    [486, false, 'busy'], [600, false, 'busy'], [404, false, 'not-found'], [484, false, 'not-found'], [604, false, 'not-found'],
    [408, false, 'no-answer'], [480, false, 'no-answer'], [487, false, 'no-answer'], [603, false, 'rejected'],
    [488, false, 'rejected'], [503, false, 'pbx-unreachable'], [500, false, 'rejected'],
  ] as const)('%i (credentials sent: %s) -> %s', (status, sent, code) => {
    expect(errorForSipStatus(status, sent)).toBe(code);
  });
});

describe('errorForMicrophone', () => {
  it.each([
    ['NotAllowedError', 'mic-denied'], ['SecurityError', 'mic-denied'], ['NotReadableError', 'mic-denied'],
    ['NotFoundError', 'no-mic'], ['OverconstrainedError', 'no-mic'], [undefined, 'mic-denied'],
  ] as const)('%s -> %s', (name, code) => expect(errorForMicrophone(name)).toBe(code));
});

describe('errorForLinkRejection', () => {
  it('tells an expired link from every other refusal', () => {
    expect(errorForLinkRejection('expired')).toBe('link-expired');
    for (const c of ['bad-signature', 'future', 'too-long', 'wrong-destination', 'malformed', undefined]) {
      expect(errorForLinkRejection(c)).toBe('link-invalid');
    }
  });
});
