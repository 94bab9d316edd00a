/**
 * The phases of one SipPhone call: what the phone must know to read SIP.js's events right (the popup's
 * own states are core/call-state.ts). Every change is checked against this table.
 *
 * ```
 *   idle ──> starting ──> inviting <──> authorizing
 *                            │
 *                            v
 *                       established <──> reconnecting
 *
 *   and from every phase ──> over
 * ```
 * - `starting`: the microphone and the WebSocket are being asked for; no INVITE yet.
 * - `inviting`: an INVITE is out without a final response (it may be ringing).
 * - `authorizing`: the PBX challenged and the DigestAuthorizer is asked; its answer goes out as a new INVITE.
 * - `established`: answered. Whether the media path is up is the media watchdog's business, not a phase.
 * - `reconnecting`: the WebSocket dropped mid-call; the media goes on while it is re-established and
 *   the dialog refreshed.
 * - `over`: ended or failed, reported once; what SIP.js says after that (a 487 after our CANCEL) is ignored.
 */
export type PhonePhase = 'idle' | 'starting' | 'inviting' | 'authorizing' | 'established' | 'reconnecting' | 'over';

const NEXT: Record<PhonePhase, readonly PhonePhase[]> = {
  idle: ['starting', 'over'],
  starting: ['inviting', 'over'],
  inviting: ['authorizing', 'established', 'over'],
  authorizing: ['inviting', 'over'],
  established: ['reconnecting', 'over'],
  reconnecting: ['established', 'over'],
  over: [],
};

export function canEnterPhase(from: PhonePhase, to: PhonePhase): boolean {
  return NEXT[from].includes(to);
}

/** Throws on a change the table does not allow: a bug in the phone, never something the PBX or the visitor did. */
export function assertPhaseTransition(from: PhonePhase, to: PhonePhase): void {
  if (!canEnterPhase(from, to)) throw new Error(`invalid phone phase transition ${from} -> ${to}`);
}
