import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler.js';
import type { defaultSessionDescriptionHandlerFactory } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler-factory-default.js';
import { candidateType, gatheringVerdict, HOST_GRACE_MS, type IceServerKinds } from '../core/ice-gathering-policy.js';

export type SdhFactory = ReturnType<typeof defaultSessionDescriptionHandlerFactory>;

/**
 * Wraps SIP.js's session description handler factory: each offer is sent as soon as its candidates
 * are good enough (core/ice-gathering-policy.ts), instead of waiting for the browser to call
 * gathering complete; iceGatheringTimeout still caps it. `onMediaState` hears every change of the
 * peer connection's state (the phone's media watchdog).
 */
export function withGatheringPolicy(factory: SdhFactory, servers: IceServerKinds,
  onMediaState: (state: RTCPeerConnectionState | undefined) => void): SdhFactory {
  return (session, options) => {
    const sdh = factory(session, options) as SessionDescriptionHandler;
    const types: string[] = [];
    let grace: ReturnType<typeof setTimeout> | undefined;
    sdh.peerConnectionDelegate = {
      // An ICE restart gathers anew: judge its candidates on their own, not with the first gathering's.
      onicegatheringstatechange: () => {
        if (sdh.peerConnection?.iceGatheringState !== 'gathering') return;
        types.length = 0;
        clearTimeout(grace);
        grace = undefined;
      },
      onicecandidate: (event: RTCPeerConnectionIceEvent) => {
        const type = event.candidate && candidateType(event.candidate.candidate);
        if (!type) return;
        types.push(type);
        const verdict = gatheringVerdict(types, servers);
        if (verdict === 'now') {
          clearTimeout(grace);
          sdh.iceGatheringComplete();
        } else if (verdict === 'soon' && grace === undefined) {
          grace = setTimeout(() => sdh.iceGatheringComplete(), HOST_GRACE_MS);
        }
      },
      onconnectionstatechange: () => onMediaState(sdh.peerConnection?.connectionState),
    };
    return sdh;
  };
}
