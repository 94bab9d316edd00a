/**
 * The popup's states; the root element's `data-state` (docs/design.md §3).
 *
 * ```
 *   login ──> connecting ──> ringing ──> established ──> ended
 *     ^           │             │              │
 *     │           └─────────────┴──────────────┴──────> failed
 *     └──────────────────── (call again / log in again) ──┘
 * ```
 * `connecting` may go straight to `established` (no provisional response), `ended` or
 * `failed` may start over at `connecting` or `login`, and logging out mid-call goes to `login`.
 * `established` <-> `reconnecting`: the WebSocket dropped mid-call and is being re-established
 * while the media keeps flowing; from there the call comes back, ends, or fails with `network`.
 */
export type CallState = 'login' | 'connecting' | 'ringing' | 'established' | 'reconnecting' | 'ended' | 'failed';

const NEXT: Record<CallState, readonly CallState[]> = {
  login: ['connecting', 'failed'],
  connecting: ['ringing', 'established', 'ended', 'failed', 'login'],
  ringing: ['established', 'ended', 'failed', 'login'],
  established: ['reconnecting', 'ended', 'failed', 'login'],
  reconnecting: ['established', 'ended', 'failed', 'login'],
  ended: ['connecting', 'login'],
  failed: ['connecting', 'login'],
};

export function canTransition(from: CallState, to: CallState): boolean {
  return NEXT[from].includes(to);
}

/** Throws on a transition the diagram does not allow: a bug, never user input. */
export function assertTransition(from: CallState, to: CallState): void {
  if (!canTransition(from, to)) throw new Error(`invalid call state transition ${from} -> ${to}`);
}

/** States in which a call is in progress and a new link must not cut it off unasked. */
export function isCallActive(state: CallState): boolean {
  return state === 'connecting' || state === 'ringing' || state === 'established' || state === 'reconnecting';
}
