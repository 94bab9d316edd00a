import { describe, expect, it } from 'vitest';
import { assertPhaseTransition, canEnterPhase, type PhonePhase } from '../../../src/phone/phone-phase.js';

const ALL: PhonePhase[] = ['idle', 'starting', 'inviting', 'authorizing', 'established', 'reconnecting', 'over'];

/** The whole table, written out once more: a change to it must be made twice, on purpose. */
const ALLOWED = [
  'idle -> starting', 'idle -> over',
  'starting -> inviting', 'starting -> over',
  'inviting -> authorizing', 'inviting -> established', 'inviting -> over',
  'authorizing -> inviting', 'authorizing -> over',
  'established -> reconnecting', 'established -> over',
  'reconnecting -> established', 'reconnecting -> over',
];

describe('phone phases', () => {
  it('allows exactly the moves of the diagram', () => {
    const allowed = ALL.flatMap((a) => ALL.filter((b) => canEnterPhase(a, b)).map((b) => `${a} -> ${b}`));
    expect(allowed).toEqual(ALLOWED);
  });

  it('every phase can end the call, and an ended call stays over', () => {
    for (const p of ALL.filter((x) => x !== 'over')) expect(canEnterPhase(p, 'over')).toBe(true);
    for (const p of ALL) expect(canEnterPhase('over', p)).toBe(false);
  });

  it.each([
    ['idle', 'inviting'], ['starting', 'established'], ['authorizing', 'established'], ['inviting', 'reconnecting'],
    ['established', 'inviting'], ['over', 'starting'], ['over', 'over'], ['reconnecting', 'reconnecting'],
  ] as [PhonePhase, PhonePhase][])('refuses %s -> %s with an error', (a, b) => {
    expect(() => assertPhaseTransition(a, b)).toThrow(`invalid phone phase transition ${a} -> ${b}`);
  });
});
