/**
 * When to stop gathering ICE candidates and send the offer. Browsers report gathering
 * "complete" only after every interface and server has answered or timed out (about 120 ms on
 * loopback with no STUN server at all, and SIP.js then waits up to 5 s for a dead one), while
 * the candidates a call needs usually arrive in the first milliseconds.
 *
 * - a relay candidate: `now` (the path that works through any NAT);
 * - a server-reflexive candidate and no TURN server configured: `now` (the best STUN gives; with
 *   TURN configured, wait for the relay, since without trickle ICE a later candidate is never sent);
 * - host candidates only, and no STUN/TURN configured: `soon` (nothing better can come; a short
 *   grace lets the host candidates of every interface arrive);
 * - otherwise: `wait`, for a better candidate or the configured timeout.
 */
export type GatheringVerdict = 'now' | 'soon' | 'wait';

export interface IceServerKinds {
  stun: boolean;
  turn: boolean;
}

/** Which kinds of ICE server a configuration names (`stun:`/`stuns:`, `turn:`/`turns:`). */
export function iceServerKinds(servers: readonly RTCIceServer[]): IceServerKinds {
  const urls = servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  return { stun: urls.some((u) => /^stuns?:/.test(u)), turn: urls.some((u) => /^turns?:/.test(u)) };
}

/** Milliseconds of grace after the first host candidate when no server can add better ones. */
export const HOST_GRACE_MS = 30;

export function gatheringVerdict(candidateTypes: readonly string[], servers: IceServerKinds): GatheringVerdict {
  if (candidateTypes.includes('relay')) return 'now';
  if (candidateTypes.includes('srflx') && !servers.turn) return 'now';
  if (!servers.stun && !servers.turn && candidateTypes.includes('host')) return 'soon';
  return 'wait';
}

/** The candidate type of an SDP candidate line (`... typ host ...`), if any. */
export function candidateType(candidate: string): string | undefined {
  return / typ (\w+)/.exec(candidate)?.[1];
}
