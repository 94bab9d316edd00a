import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, isCallActive, type CallState } from '../../../src/core/call-state.js';

const ALL: CallState[] = ['login', 'connecting', 'ringing', 'established', 'reconnecting', 'ended', 'failed'];

describe('call states', () => {
  it.each([
    ['login', 'connecting'], ['connecting', 'ringing'], ['connecting', 'established'], ['ringing', 'established'],
    ['established', 'ended'], ['ringing', 'failed'], ['failed', 'connecting'], ['ended', 'connecting'], ['failed', 'login'],
    ['established', 'reconnecting'], ['reconnecting', 'established'], ['reconnecting', 'ended'], ['reconnecting', 'failed'],
  ] as [CallState, CallState][])('allows %s -> %s', (a, b) => {
    expect(canTransition(a, b)).toBe(true);
    expect(() => assertTransition(a, b)).not.toThrow();
  });

  it.each([
    ['login', 'established'], ['login', 'ended'], ['ended', 'established'], ['failed', 'ringing'], ['established', 'ringing'],
    ['ended', 'failed'], ['connecting', 'reconnecting'], ['ringing', 'reconnecting'], ['reconnecting', 'ringing'],
    ['ended', 'reconnecting'], ['failed', 'reconnecting'],
  ] as [CallState, CallState][])('refuses %s -> %s', (a, b) => {
    expect(canTransition(a, b)).toBe(false);
    expect(() => assertTransition(a, b)).toThrow(/invalid call state transition/);
  });

  it('never allows a state to repeat itself', () => {
    for (const s of ALL) expect(canTransition(s, s)).toBe(false);
  });

  it('calls only connecting, ringing, established and reconnecting active', () => {
    expect(ALL.filter(isCallActive)).toEqual(['connecting', 'ringing', 'established', 'reconnecting']);
  });
});
