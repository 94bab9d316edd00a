import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOST_GRACE_MS } from '../../../src/core/ice-gathering-policy.js';
import { withGatheringPolicy, type SdhFactory } from '../../../src/phone/with-gathering-policy.js';

/** The few members of SIP.js's session description handler the wrapper touches. */
function fakeSdh() {
  return {
    peerConnection: { iceGatheringState: 'new' as RTCIceGatheringState, connectionState: 'new' as RTCPeerConnectionState },
    peerConnectionDelegate: undefined as undefined | {
      onicegatheringstatechange(e?: Event): void;
      onicecandidate(e: { candidate: { candidate: string } | null }): void;
      onconnectionstatechange(e?: Event): void;
    },
    iceGatheringComplete: vi.fn(),
  };
}

const candidate = (type: string) => ({ candidate: { candidate: `candidate:1 1 udp 2122260223 192.0.2.7 50000 typ ${type}` } });

function wrap(servers: { stun: boolean; turn: boolean }) {
  const sdh = fakeSdh();
  const onMediaState = vi.fn();
  const factory = withGatheringPolicy((() => sdh) as unknown as SdhFactory, servers, onMediaState);
  factory({} as never, {});
  const pc = sdh.peerConnection;
  const delegate = sdh.peerConnectionDelegate!;
  const gathering = () => { pc.iceGatheringState = 'gathering'; delegate.onicegatheringstatechange(); };
  return { sdh, pc, delegate, gathering, onMediaState };
}

describe('withGatheringPolicy', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('a relay candidate sends the offer at once', () => {
    const { sdh, delegate, gathering } = wrap({ stun: true, turn: true });
    gathering();
    delegate.onicecandidate(candidate('host'));
    delegate.onicecandidate(candidate('srflx'));
    expect(sdh.iceGatheringComplete).not.toHaveBeenCalled(); // TURN configured: wait for the relay
    delegate.onicecandidate(candidate('relay'));
    expect(sdh.iceGatheringComplete).toHaveBeenCalledTimes(1);
  });

  it('host candidates with no server to add better ones: after a short grace, not before', () => {
    const { sdh, delegate, gathering } = wrap({ stun: false, turn: false });
    gathering();
    delegate.onicecandidate(candidate('host'));
    delegate.onicecandidate(candidate('host'));
    vi.advanceTimersByTime(HOST_GRACE_MS - 1);
    expect(sdh.iceGatheringComplete).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sdh.iceGatheringComplete).toHaveBeenCalledTimes(1);
  });

  it('the end-of-candidates event and candidates without a type are ignored', () => {
    const { sdh, delegate, gathering } = wrap({ stun: false, turn: false });
    gathering();
    delegate.onicecandidate({ candidate: null });
    delegate.onicecandidate({ candidate: { candidate: '' } });
    vi.advanceTimersByTime(1000);
    expect(sdh.iceGatheringComplete).not.toHaveBeenCalled();
  });

  it('an ICE restart judges its own candidates: the first gathering\'s relay does not count', () => {
    const { sdh, delegate, gathering } = wrap({ stun: false, turn: true });
    gathering();
    delegate.onicecandidate(candidate('relay'));
    expect(sdh.iceGatheringComplete).toHaveBeenCalledTimes(1);
    gathering(); // the restart
    delegate.onicecandidate(candidate('host'));
    vi.advanceTimersByTime(1000);
    expect(sdh.iceGatheringComplete).toHaveBeenCalledTimes(1);
    delegate.onicecandidate(candidate('relay'));
    expect(sdh.iceGatheringComplete).toHaveBeenCalledTimes(2);
  });

  it('an ICE restart drops the grace timer of the gathering before it', () => {
    const { sdh, delegate, gathering } = wrap({ stun: false, turn: false });
    gathering();
    delegate.onicecandidate(candidate('host'));
    gathering();
    vi.advanceTimersByTime(HOST_GRACE_MS * 10);
    expect(sdh.iceGatheringComplete).not.toHaveBeenCalled();
  });

  it('reports each connection state change', () => {
    const { pc, delegate, onMediaState } = wrap({ stun: false, turn: false });
    pc.connectionState = 'connected';
    delegate.onconnectionstatechange();
    pc.connectionState = 'failed';
    delegate.onconnectionstatechange();
    expect(onMediaState.mock.calls).toEqual([['connected'], ['failed']]);
  });
});
