import { candidateType } from '../core/ice-gathering-policy.js';
import { CHECK_TIMEOUT_MS, SILENT_AFTER_MS, SOUND_LEVEL, type IceResult, type MicResult, type PbxResult } from '../core/connection-verdicts.js';

/** The browser APIs the connection test uses; injected, so tests run it with fakes. Missing ones are verdicts. */
export interface CheckApis {
  getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream>;
  AudioContext?: new () => AudioContext;
  WebSocket?: new (url: string, protocols?: string | string[]) => WebSocket;
  RTCPeerConnection?: new (c: RTCConfiguration) => RTCPeerConnection;
  /** Where a click or key press lets a suspended AudioContext start (the document). */
  gestures?: EventTarget;
}

/** The real ones, bound (a bare `getUserMedia` throws "Illegal invocation"). */
export function browserApis(w: Window & typeof globalThis = window): CheckApis {
  const md = w.navigator.mediaDevices;
  return {
    getUserMedia: md?.getUserMedia ? (c) => md.getUserMedia(c) : undefined,
    AudioContext: w.AudioContext ?? (w as unknown as { webkitAudioContext?: new () => AudioContext }).webkitAudioContext,
    WebSocket: w.WebSocket,
    RTCPeerConnection: w.RTCPeerConnection,
    gestures: w.document,
  };
}

/** Each test reports as it goes and returns its stop (idempotent): the page may test again or close. */
type Stop = () => void;

/**
 * The microphone: asks for it, then meters its level (RMS, 0..1) ten times a second. `ok` at the
 * first sound, `silent` after a few seconds of none (and `ok` still when a sound comes later). A
 * browser that starts audio only after a click (Firefox) gets `on` until the visitor clicks or types.
 */
export function checkMicrophone(apis: CheckApis, report: (r: MicResult) => void, level: (v: number) => void): Stop {
  let stopped = false;
  let stream: MediaStream | undefined;
  let ctx: AudioContext | undefined;
  let meter: ReturnType<typeof setInterval> | undefined;
  let silent: ReturnType<typeof setTimeout> | undefined;
  const resume = () => void ctx?.resume().then(run, () => undefined);
  const gestures = ['pointerdown', 'keydown'];
  const stop = () => {
    stopped = true;
    clearInterval(meter);
    clearTimeout(silent);
    gestures.forEach((g) => apis.gestures?.removeEventListener(g, resume));
    stream?.getTracks().forEach((t) => t.stop());
    void ctx?.close().catch(() => undefined);
  };
  let run = () => undefined as void;
  if (!apis.getUserMedia) {
    report('unsupported');
    return stop;
  }
  report('asking');
  apis.getUserMedia({ audio: true }).then((s) => {
    stream = s;
    if (stopped) return stop();
    if (!apis.AudioContext) return report('ok'); // no meter, but the browser gave a microphone
    const c = ctx = new apis.AudioContext();
    const analyser = c.createAnalyser();
    analyser.fftSize = 1024;
    c.createMediaStreamSource(s).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let heard = false;
    run = () => {
      if (stopped || meter !== undefined || c.state !== 'running') return;
      silent = setTimeout(() => heard || report('silent'), SILENT_AFTER_MS);
      meter = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        const rms = Math.sqrt(samples.reduce((a, x) => a + x * x, 0) / samples.length);
        level(Math.min(1, rms));
        if (!heard && rms > SOUND_LEVEL) {
          heard = true;
          report('ok');
        }
      }, 100);
    };
    if (c.state === 'running') return run();
    // Suspended until a click: the microphone works, only the meter waits for one.
    report('on');
    gestures.forEach((g) => apis.gestures?.addEventListener(g, resume));
    resume();
  }, (e: unknown) => {
    if (stopped) return;
    const name = (e as { name?: string } | null)?.name;
    report(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'no-mic');
  });
  return stop;
}

/** The PBX: does its WebSocket (subprotocol "sip", as SIP.js opens it) open within a few seconds? */
export function checkPbx(apis: CheckApis, server: string, report: (r: PbxResult) => void, timeoutMs = CHECK_TIMEOUT_MS): Stop {
  let ws: WebSocket | undefined;
  const stop = () => {
    clearTimeout(timer);
    if (ws) ws.onopen = ws.onerror = ws.onclose = null;
    try { ws?.close(); } catch { /* a socket that never opened */ }
    ws = undefined;
  };
  const done = (r: PbxResult) => {
    stop();
    report(r);
  };
  const timer = setTimeout(done, timeoutMs, 'unreachable');
  report('opening');
  try {
    ws = new apis.WebSocket!(server, 'sip');
    ws.onopen = () => done('ok');
    ws.onerror = ws.onclose = () => done('unreachable');
  } catch {
    done('unreachable');
  }
  return stop;
}

/**
 * The network: gathers ICE candidates for a data channel's offer with the configured servers (all
 * policies: the verdict wants to know whether direct audio could work, too) and sorts them by type,
 * until gathering completes, both a server-reflexive and a relay candidate came, or the timeout.
 */
export function checkIce(apis: CheckApis, iceServers: RTCIceServer[], report: (r: IceResult) => void, timeoutMs = CHECK_TIMEOUT_MS): Stop {
  if (!apis.RTCPeerConnection) {
    report('unsupported');
    return () => undefined;
  }
  let pc: RTCPeerConnection | undefined;
  const types = new Set<string>();
  let turnRefused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(timer);
    if (pc) pc.onicecandidate = pc.onicecandidateerror = pc.onicegatheringstatechange = null;
    pc?.close();
    pc = undefined;
  };
  const done = () => {
    if (!pc) return;
    stop();
    report({ types: ['host', 'srflx', 'relay'].filter((t) => types.has(t)), turnRefused });
  };
  report('gathering');
  try {
    pc = new apis.RTCPeerConnection({ iceServers });
    pc.onicecandidate = (e) => {
      if (!e.candidate) return done();
      const type = e.candidate.type ?? candidateType(e.candidate.candidate);
      if (type) types.add(type === 'prflx' ? 'srflx' : type);
      if (types.has('srflx') && types.has('relay')) done();
    };
    // 401: the TURN server refused the credentials (an expired TURN REST one, say), which is the site's to fix.
    pc.onicecandidateerror = (e) => { if ((e as RTCPeerConnectionIceErrorEvent).errorCode === 401) turnRefused = true; };
    pc.onicegatheringstatechange = () => pc?.iceGatheringState === 'complete' && done();
    pc.createDataChannel('check');
    const p = pc;
    p.createOffer().then((o) => p.setLocalDescription(o)).catch(done);
    timer = setTimeout(done, timeoutMs);
  } catch {
    // A browser with WebRTC turned off (a policy, a privacy setting) can throw here.
    stop();
    report('unsupported');
  }
  return stop;
}
