import type { CheckApis } from '../../src/popup/connection-check.js';

/**
 * Fakes of the browser APIs the connection test uses (src/popup/connection-check.ts), which the test
 * drives: a microphone with a settable level, a WebSocket that opens or fails when told, a peer
 * connection that yields the candidates it is given.
 */
export class FakeSocket {
  static last: FakeSocket | undefined;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string, readonly protocols?: string | string[]) {
    FakeSocket.last = this;
  }
  close() { this.closed = true; }
  open() { this.onopen?.(); }
  fail() { this.onerror?.(); this.onclose?.(); }
}

export class FakePeer {
  static last: FakePeer | undefined;
  onicecandidate: ((e: { candidate: { type?: string; candidate: string } | null }) => void) | null = null;
  onicecandidateerror: ((e: { errorCode: number }) => void) | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  iceGatheringState = 'new';
  channels: string[] = [];
  closed = false;
  constructor(readonly config: RTCConfiguration) {
    FakePeer.last = this;
  }
  createDataChannel(label: string) { this.channels.push(label); }
  async createOffer() { return { type: 'offer', sdp: 'v=0' }; }
  async setLocalDescription() { this.iceGatheringState = 'gathering'; }
  close() { this.closed = true; }
  /** A candidate of this type, as an SDP line (Firefox before 2023 had no `type` on the object). */
  candidate(type: string, withType = true) {
    this.onicecandidate?.({ candidate: { type: withType ? type : undefined, candidate: `candidate:1 1 udp 100 203.0.113.5 5000 typ ${type}` } });
  }
  complete() {
    this.iceGatheringState = 'complete';
    this.onicegatheringstatechange?.();
    this.onicecandidate?.({ candidate: null });
  }
}

export interface FakeMic {
  apis: CheckApis;
  /** The RMS level the analyser reports. */
  level: number;
  tracksStopped: number;
  /** Whether audio may start (false: as Firefox before a click, the context stays suspended and resume() waits). */
  audioAllowed: boolean;
  contextsClosed: number;
  grant(): void;
  refuse(name: string): void;
}

/** All APIs present; the microphone waits for `grant` or `refuse`. */
export function fakeApis(): FakeMic {
  let answer: { resolve: (s: MediaStream) => void; reject: (e: unknown) => void } | undefined;
  const mic: FakeMic = {
    level: 0,
    tracksStopped: 0,
    audioAllowed: true,
    contextsClosed: 0,
    grant: () => answer!.resolve({ getTracks: () => [{ stop: () => { mic.tracksStopped++; } }] } as unknown as MediaStream),
    refuse: (name) => answer!.reject(Object.assign(new Error(name), { name })),
    apis: {},
  };
  mic.apis = {
    getUserMedia: () => new Promise((resolve, reject) => { answer = { resolve, reject }; }),
    AudioContext: class {
      state = mic.audioAllowed ? 'running' : 'suspended';
      resume() {
        if (!mic.audioAllowed) return new Promise(() => undefined);
        this.state = 'running';
        return Promise.resolve();
      }
      async close() { mic.contextsClosed++; }
      createMediaStreamSource() { return { connect() {} }; }
      createAnalyser() { return { fftSize: 0, getFloatTimeDomainData: (a: Float32Array) => a.fill(mic.level) }; }
    } as unknown as new () => AudioContext,
    WebSocket: FakeSocket as unknown as new (url: string, p?: string | string[]) => WebSocket,
    RTCPeerConnection: FakePeer as unknown as new (c: RTCConfiguration) => RTCPeerConnection,
    gestures: new EventTarget(),
  };
  return mic;
}
