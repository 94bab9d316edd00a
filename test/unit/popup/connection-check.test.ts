import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_TIMEOUT_MS, SILENT_AFTER_MS } from '../../../src/core/connection-verdicts.js';
import { checkIce, checkMicrophone, checkPbx } from '../../../src/popup/connection-check.js';
import { fakeApis, FakePeer, FakeSocket } from '../../support/fake-check-apis.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('checkMicrophone', () => {
  it('asks, then meters the level: ok at the first sound; stop releases the microphone and the audio context', async () => {
    const f = fakeApis();
    const results: string[] = [];
    const levels: number[] = [];
    const stop = checkMicrophone(f.apis, (r) => results.push(r), (v) => levels.push(v));
    expect(results).toEqual(['asking']);
    f.grant();
    await tick(250);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.every((v) => v === 0)).toBe(true);
    f.level = 0.2;
    await tick(100);
    expect(levels[levels.length - 1]).toBeCloseTo(0.2);
    expect(results).toEqual(['asking', 'ok']);
    await tick(SILENT_AFTER_MS);
    expect(results).toEqual(['asking', 'ok']); // heard once: never called silent
    stop();
    await tick(0);
    expect(f.tracksStopped).toBe(1);
    expect(f.contextsClosed).toBe(1);
    const n = levels.length;
    await tick(500);
    expect(levels.length).toBe(n);
  });

  it('silent after a few seconds of nothing, and ok when a sound comes later', async () => {
    const f = fakeApis();
    const results: string[] = [];
    checkMicrophone(f.apis, (r) => results.push(r), () => undefined);
    f.grant();
    await tick(SILENT_AFTER_MS - 200);
    expect(results).toEqual(['asking']);
    await tick(300);
    expect(results).toEqual(['asking', 'silent']);
    f.level = 0.05;
    await tick(100);
    expect(results).toEqual(['asking', 'silent', 'ok']);
  });

  it('where audio starts only after a click (Firefox): on, and the meter starts at the first click or key', async () => {
    const f = fakeApis();
    f.audioAllowed = false;
    const results: string[] = [];
    const levels: number[] = [];
    const stop = checkMicrophone(f.apis, (r) => results.push(r), (v) => levels.push(v));
    f.grant();
    f.level = 0.2;
    await tick(SILENT_AFTER_MS + 500);
    expect(results).toEqual(['asking', 'on']); // never "silent": nothing was measured
    expect(levels).toEqual([]);
    f.audioAllowed = true;
    f.apis.gestures!.dispatchEvent(new Event('pointerdown'));
    await tick(100);
    expect(results).toEqual(['asking', 'on', 'ok']);
    expect(levels[0]).toBeCloseTo(0.2);
    stop();
    f.apis.gestures!.dispatchEvent(new Event('keydown')); // the listeners went with stop
    await tick(200);
    expect(f.contextsClosed).toBe(1);
  });

  it.each([
    ['NotAllowedError', 'denied'], ['SecurityError', 'denied'], ['NotFoundError', 'no-mic'], ['NotReadableError', 'no-mic'],
  ])('%s is %s', async (name, verdict) => {
    const f = fakeApis();
    const results: string[] = [];
    checkMicrophone(f.apis, (r) => results.push(r), () => undefined);
    f.refuse(name);
    await tick(0);
    expect(results).toEqual(['asking', verdict]);
  });

  it('a browser without getUserMedia is unsupported, not an exception', () => {
    const results: string[] = [];
    checkMicrophone({ ...fakeApis().apis, getUserMedia: undefined }, (r) => results.push(r), () => undefined);
    expect(results).toEqual(['unsupported']);
  });

  it('a microphone granted after stop is released at once', async () => {
    const f = fakeApis();
    const stop = checkMicrophone(f.apis, () => undefined, () => undefined);
    stop();
    f.grant();
    await tick(0);
    expect(f.tracksStopped).toBe(1);
  });
});

describe('checkPbx', () => {
  it('opens the WebSocket with the subprotocol "sip", and closes it once open', async () => {
    const results: string[] = [];
    checkPbx(fakeApis().apis, 'wss://pbx.example.com/ws', (r) => results.push(r));
    const ws = FakeSocket.last!;
    expect([ws.url, ws.protocols]).toEqual(['wss://pbx.example.com/ws', 'sip']);
    expect(results).toEqual(['opening']);
    ws.open();
    expect(results).toEqual(['opening', 'ok']);
    expect(ws.closed).toBe(true);
    await tick(CHECK_TIMEOUT_MS);
    expect(results).toEqual(['opening', 'ok']);
  });

  it('unreachable when it fails, and when it has not opened within the timeout', async () => {
    const results: string[] = [];
    checkPbx(fakeApis().apis, 'wss://pbx.example.com/ws', (r) => results.push(r));
    FakeSocket.last!.fail();
    expect(results).toEqual(['opening', 'unreachable']);

    const slow: string[] = [];
    checkPbx(fakeApis().apis, 'wss://pbx.example.com/ws', (r) => slow.push(r));
    await tick(CHECK_TIMEOUT_MS - 1);
    expect(slow).toEqual(['opening']);
    await tick(1);
    expect(slow).toEqual(['opening', 'unreachable']);
    expect(FakeSocket.last!.closed).toBe(true);
  });

  it('stop closes the socket and reports nothing more', async () => {
    const results: string[] = [];
    const stop = checkPbx(fakeApis().apis, 'wss://pbx.example.com/ws', (r) => results.push(r));
    stop();
    expect(FakeSocket.last!.closed).toBe(true);
    await tick(CHECK_TIMEOUT_MS);
    expect(results).toEqual(['opening']);
  });
});

describe('checkIce', () => {
  const servers = [{ urls: 'stun:turn.example.com' }, { urls: 'turn:turn.example.com', username: 'u', credential: 'c' }];

  it('gathers with the configured servers for a data channel, sorts the types, and stops at both srflx and relay', async () => {
    const results: unknown[] = [];
    checkIce(fakeApis().apis, servers, (r) => results.push(r));
    const pc = FakePeer.last!;
    expect(pc.config).toEqual({ iceServers: servers });
    expect(pc.channels).toEqual(['check']);
    await tick(0);
    pc.candidate('host');
    pc.candidate('relay', false); // typed by its SDP line
    expect(results).toEqual(['gathering']);
    pc.candidate('srflx');
    expect(results).toEqual(['gathering', { types: ['host', 'srflx', 'relay'], turnRefused: false }]);
    expect(pc.closed).toBe(true);
  });

  it('reports what came when gathering completes, with a 401 from the TURN server', async () => {
    const results: unknown[] = [];
    checkIce(fakeApis().apis, servers, (r) => results.push(r));
    const pc = FakePeer.last!;
    pc.candidate('host');
    pc.onicecandidateerror!({ errorCode: 401 });
    pc.complete();
    expect(results).toEqual(['gathering', { types: ['host'], turnRefused: true }]);
  });

  it('reports what came by the timeout (a TURN server that never answers)', async () => {
    const results: unknown[] = [];
    checkIce(fakeApis().apis, servers, (r) => results.push(r));
    FakePeer.last!.candidate('host');
    FakePeer.last!.candidate('srflx');
    await tick(CHECK_TIMEOUT_MS - 1);
    expect(results).toEqual(['gathering']);
    await tick(1);
    expect(results).toEqual(['gathering', { types: ['host', 'srflx'], turnRefused: false }]);
    expect(FakePeer.last!.closed).toBe(true);
  });

  it('a browser without RTCPeerConnection, or one that throws making it, is unsupported', () => {
    const results: unknown[] = [];
    checkIce({ ...fakeApis().apis, RTCPeerConnection: undefined }, servers, (r) => results.push(r));
    expect(results).toEqual(['unsupported']);
    const throwing: unknown[] = [];
    const Refusing = class { constructor() { throw new Error('WebRTC is disabled'); } } as unknown as new () => RTCPeerConnection;
    checkIce({ ...fakeApis().apis, RTCPeerConnection: Refusing }, servers, (r) => throwing.push(r));
    expect(throwing).toEqual(['gathering', 'unsupported']);
  });

  it('stop closes the peer connection and reports nothing more', async () => {
    const results: unknown[] = [];
    const stop = checkIce(fakeApis().apis, servers, (r) => results.push(r));
    stop();
    expect(FakePeer.last!.closed).toBe(true);
    await tick(CHECK_TIMEOUT_MS);
    expect(results).toEqual(['gathering']);
  });
});
