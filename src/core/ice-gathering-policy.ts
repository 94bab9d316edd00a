/**
 * When to stop gathering ICE candidates and send the offer. Browsers report gathering
 * "complete" only after every interface and server has answered or timed out (about 120 ms on
 * loopback with no STUN server at all, and SIP.js then waits up to 5 s for a dead one), while
 * the candidates a call needs usually arrive in the first milliseconds.
 *
 * - a relay or server-reflexive candidate: `now` (the best a STUN/TURN server gives);
 * - host candidates only, and no STUN/TURN configured: `soon` (nothing better can come; a short
 *   grace lets the host candidates of every interface arrive);
 * - otherwise: `wait`, for a better candidate or the configured timeout.
 */
export type GatheringVerdict = 'now' | 'soon' | 'wait';

/** Milliseconds of grace after the first host candidate when no server can add better ones. */
export const HOST_GRACE_MS = 30;

export function gatheringVerdict(candidateTypes: readonly string[], hasIceServers: boolean): GatheringVerdict {
  if (candidateTypes.some((t) => t === 'relay' || t === 'srflx')) return 'now';
  if (!hasIceServers && candidateTypes.includes('host')) return 'soon';
  return 'wait';
}

/** The candidate type of an SDP candidate line (`... typ host ...`), if any. */
export function candidateType(candidate: string): string | undefined {
  return / typ (\w+)/.exec(candidate)?.[1];
}
