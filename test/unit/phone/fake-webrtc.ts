/**
 * Just enough WebRTC for SIP.js's own session description handler to run in plain Node:
 * a peer connection that makes offers, gathers one host candidate, takes an answer only if it
 * shares a codec with the offer (as browsers refuse one that does not), keeps the signalling states
 * (an offer without an answer stays have-local-offer until rolled back), and whose media path the
 * test moves by hand; media streams and tracks; an Audio element that plays nothing.
 */
import { vi } from 'vitest';

let ids = 0;

export class FakeTrack {
  readonly id = `track-${++ids}`;
  readonly kind = 'audio';
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  stop(): void {
    this.readyState = 'ended';
  }
  clone(): FakeTrack {
    return new FakeTrack();
  }
}

export class FakeMediaStream extends EventTarget {
  readonly id = `stream-${++ids}`;
  private readonly tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    super();
    this.tracks = [...tracks];
  }
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return [];
  }
  getTrackById(id: string): FakeTrack | null {
    return this.tracks.find((t) => t.id === id) ?? null;
  }
  addTrack(track: FakeTrack): void {
    this.tracks.push(track);
  }
  removeTrack(track: FakeTrack): void {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
  clone(): FakeMediaStream {
    return new FakeMediaStream(this.tracks.map((t) => t.clone()));
  }
}

class FakeMediaStreamTrackEvent extends Event {
  readonly track: FakeTrack;
  constructor(type: string, init: { track: FakeTrack }) {
    super(type);
    this.track = init.track;
  }
}

export class FakeDtmfSender {
  canInsertDTMF = true;
  toneBuffer = '';
  readonly inserted: Array<[tones: string, duration: number, gap: number]> = [];
  insertDTMF(tones: string, duration: number, gap: number): void {
    this.inserted.push([tones, duration, gap]);
  }
}

interface FakeSender {
  track: FakeTrack | null;
  dtmf: FakeDtmfSender;
  replaceTrack(track: FakeTrack | null): Promise<void>;
}

/** What our fake browser offers: Opus and PCMU, and RFC 4733 events. */
export const OFFER_SDP = [
  'v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 101', 'c=IN IP4 0.0.0.0',
  'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', '',
].join('\r\n');

/** A PBX's answer with the given audio format (payload type and rtpmap), e.g. `0 PCMU/8000`. */
export function answerSdp(format = '111 opus/48000/2'): string {
  const [pt] = format.split(' ');
  return [
    'v=0', 'o=- 2 2 IN IP4 192.0.2.20', 's=-', 't=0 0', `m=audio 40000 UDP/TLS/RTP/SAVPF ${pt} 101`, 'c=IN IP4 192.0.2.20',
    `a=rtpmap:${format}`, 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', '',
  ].join('\r\n');
}

/** An answer no browser can use: only G.729, which it never offered. */
export const G729_ONLY_SDP = answerSdp('18 G729/8000').replace(' 18 101', ' 18');

function audioFormats(sdp: string): string[] {
  const m = /^m=audio \d+ \S+ (.*)$/m.exec(sdp);
  const pts = m ? m[1].trim().split(/\s+/) : [];
  return pts.filter((pt) => !new RegExp(`^a=rtpmap:${pt} telephone-event/`, 'm').test(sdp));
}

type Handler = ((event: unknown) => void) | null;

export class FakePeerConnection {
  /** Every peer connection made, newest last. */
  static made: FakePeerConnection[] = [];

  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  /** The options of every createOffer() (an ICE restart says so here). */
  readonly offers: RTCOfferOptions[] = [];
  readonly senders: FakeSender[] = [];
  /** How often an offer was rolled back. */
  rollbacks = 0;
  private stableLocal: RTCSessionDescriptionInit | null = null;
  onconnectionstatechange: Handler = null;
  onicecandidate: Handler = null;
  onicegatheringstatechange: Handler = null;
  ondatachannel: Handler = null;
  onicecandidateerror: Handler = null;
  oniceconnectionstatechange: Handler = null;
  onnegotiationneeded: Handler = null;
  onsignalingstatechange: Handler = null;
  ontrack: Handler = null;

  constructor(readonly configuration: RTCConfiguration = {}) {
    FakePeerConnection.made.push(this);
  }

  getSenders(): FakeSender[] {
    return [...this.senders];
  }
  getReceivers(): unknown[] {
    return [];
  }
  getTransceivers(): unknown[] {
    return [];
  }
  addTrack(track: FakeTrack): FakeSender {
    const sender: FakeSender = {
      track, dtmf: new FakeDtmfSender(),
      replaceTrack: async (t) => { sender.track = t; },
    };
    this.senders.push(sender);
    return sender;
  }

  async createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    this.offers.push(options ?? {});
    return { type: 'offer', sdp: OFFER_SDP };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: OFFER_SDP };
  }

  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (description.type === 'rollback') {
      // Back to the last stable offer/answer; browsers refuse it when there is nothing to roll back.
      if (this.signalingState !== 'have-local-offer' && this.signalingState !== 'have-remote-offer') {
        throw new Error(`InvalidStateError: rollback in ${this.signalingState}`);
      }
      this.signalingState = 'stable';
      this.localDescription = this.stableLocal;
      this.rollbacks++;
      return;
    }
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    if (this.signalingState === 'stable') this.stableLocal = description;
    // Candidates come after the description is set, as in a browser.
    if (description.type === 'offer') setTimeout(() => this.gather(), 0);
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const offered = audioFormats(this.localDescription?.sdp ?? '');
    if (!audioFormats(description.sdp ?? '').some((pt) => offered.includes(pt))) {
      throw new Error('Failed to execute setRemoteDescription: no codec in common with the offer');
    }
    this.remoteDescription = description;
    this.signalingState = description.type === 'answer' ? 'stable' : 'have-remote-offer';
    if (this.signalingState === 'stable') this.stableLocal = this.localDescription;
  }

  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  /** The media path (ICE and DTLS) changes state, as the browser reports it. */
  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.({});
  }

  /** One host candidate and no more: with no STUN or TURN server, the ICE policy waits its grace, then sends. */
  private gather(): void {
    if (this.signalingState === 'closed') return;
    this.iceGatheringState = 'gathering';
    this.onicegatheringstatechange?.({});
    this.onicecandidate?.({ candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host' } });
  }
}

export class FakeAudio {
  autoplay = false;
  srcObject: unknown = null;
  play(): Promise<void> {
    return Promise.resolve();
  }
}

/** Puts the fakes where SIP.js looks for the browser's classes; undone by vi.unstubAllGlobals(). */
export function stubWebRtc(): void {
  FakePeerConnection.made = [];
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  vi.stubGlobal('MediaStream', FakeMediaStream);
  vi.stubGlobal('MediaStreamTrackEvent', FakeMediaStreamTrackEvent);
  vi.stubGlobal('Audio', FakeAudio);
}
