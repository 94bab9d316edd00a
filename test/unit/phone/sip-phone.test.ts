/**
 * SipPhone with SIP.js running for real, in plain Node: the WebSocket is a fake transport the test
 * plays the PBX through (raw SIP text both ways, fake-sip.ts), and the browser's WebRTC is faked
 * under SIP.js's own session description handler (fake-webrtc.ts). Time is faked too, so the
 * watchdogs and the reconnection window run in milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parsePopupConfig, type PopupConfig } from '../../../src/core/popup-config.js';
import { AuthorizeError, type CallRequest, type DigestAuthorizer } from '../../../src/phone/phone.js';
import { MEDIA_TIMEOUT_MS, RECONNECT_WINDOW_MS, SipPhone } from '../../../src/phone/sip-phone.js';
import { cseq, FakeTransport, farRequest, header, headers, reply, type ReplyOptions, type SipMessage } from './fake-sip.js';
import { answerSdp, FakeMediaStream, FakePeerConnection, FakeTrack, G729_ONLY_SDP, stubWebRtc } from './fake-webrtc.js';

const parsed = parsePopupConfig({
  server: 'wss://pbx.test/ws', domain: 'pbx.test',
  // Long, so an offer sent in time proves the ICE policy sent it (one host candidate, 30 ms grace).
  iceGatheringTimeout: 5000,
});
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const CONFIG = parsed.config;

/** Fake milliseconds a test waits for a message before it calls it missing. */
const PATIENCE_MS = 1000;

/** A phone calling 100 as 40, its delegate's reports in `events`, and the test's hands on the PBX side. */
function setup(request: Partial<CallRequest> = { password: 'secret' }, config: Partial<PopupConfig> = {},
  /** When the microphone prompt is answered: at once by default; an Error is a refusal. */
  micAnswer: Promise<unknown> = Promise.resolve()) {
  const events: string[] = [];
  const mic = new FakeMediaStream([new FakeTrack()]);
  const getUserMedia = vi.fn(async (_c: MediaStreamConstraints) => {
    const answer = await micAnswer;
    if (answer instanceof Error) throw answer;
    return mic as unknown as MediaStream;
  });
  const phone = new SipPhone({
    config: { ...CONFIG, ...config },
    getUserMedia,
    transportConstructor: FakeTransport,
  });

  const transport = () => {
    const t = FakeTransport.made[FakeTransport.made.length - 1];
    if (!t) throw new Error('no transport yet');
    return t;
  };
  /** The requests SIP.js sent with this method, in order. */
  const sent = (method: string) => FakeTransport.made.flatMap((t) => t.sent).filter((m) => m.method === method);
  const summary = () => FakeTransport.made.flatMap((t) => t.sent)
    .map((m) => m.method ? `${m.method} (CSeq ${header(m, 'CSeq')})` : `${m.status}`).join(', ') || 'nothing';

  /** Lets fake time pass in small steps until the `n`th request with this method is out. */
  const next = async (method: string, n = 1): Promise<SipMessage> => {
    for (let waited = 0; waited <= PATIENCE_MS; waited += 5) {
      const found = sent(method)[n - 1];
      if (found) return found;
      await vi.advanceTimersByTimeAsync(5);
    }
    throw new Error(`no ${method} #${n} within ${PATIENCE_MS} ms; sent: ${summary()}`);
  };
  /** The PBX answers a request of ours. */
  const answer = async (request: SipMessage, status: number, options: ReplyOptions = {}) => {
    transport().receive(reply(request, status, options));
    await vi.advanceTimersByTimeAsync(1);
  };
  /** The PBX sends a request inside the call's dialog. */
  const farEnd = async (invite: SipMessage, method: string, cseqNumber: number, options?: { sdp?: string }) => {
    transport().receive(farRequest(invite, method, cseqNumber, options));
    await vi.advanceTimersByTimeAsync(1);
  };
  /** The browser's peer connection of the newest offer. */
  const pc = () => {
    const p = FakePeerConnection.made[FakePeerConnection.made.length - 1];
    if (!p) throw new Error('no peer connection yet');
    return p;
  };
  /** INVITE, 180, 200 with an answer, ACK: the call is up (its media path not yet). */
  const establish = async () => {
    const invite = await next('INVITE');
    await answer(invite, 180);
    await answer(invite, 200, { sdp: answerSdp() });
    await next('ACK');
    return invite;
  };

  phone.call({ destnumber: '100', account: '40', ...request }, {
    onProgress: (state) => events.push(state),
    onEnded: (by) => events.push(`ended:${by}`),
    onFailed: (code) => events.push(`failed:${code}`),
  });
  return { phone, events, mic, getUserMedia, transport, sent, next, answer, farEnd, pc, establish };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeTransport.made = [];
  stubWebRtc();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('SipPhone: setting up a call', () => {
  it('INVITE, 407, the authorizer answers the challenge, INVITE with its Proxy-Authorization, 180, 200, ACK: established', async () => {
    const challenge = 'Digest realm="pbx.test", nonce="n0nce", qop="auth", algorithm=MD5';
    const authorize = vi.fn(async () => ({ header: 'Proxy-Authorization', value: 'Digest username="40", realm="pbx.test", response="signed"' }));
    const authorizer: DigestAuthorizer = { authorize };
    const call = setup({ authorizer });

    const first = await call.next('INVITE');
    expect(first.uri).toBe('sip:100@pbx.test');
    expect(header(first, 'Proxy-Authorization')).toBeUndefined();
    expect(first.body).toContain('m=audio'); // the offer, held back only until the ICE policy let it go
    await call.answer(first, 407, { headers: [`Proxy-Authenticate: ${challenge}`] });
    expect((await call.next('ACK')).headers).toContainEqual(['Call-ID', header(first, 'Call-ID')]);
    expect(authorize).toHaveBeenCalledWith({ method: 'INVITE', uri: 'sip:100@pbx.test', status: 407, challenge });

    const second = await call.next('INVITE', 2);
    expect(header(second, 'Proxy-Authorization')).toBe('Digest username="40", realm="pbx.test", response="signed"');
    expect(call.events).toEqual([]);
    await call.answer(second, 180);
    expect(call.events).toEqual(['ringing']);
    await call.answer(second, 200, { sdp: answerSdp() });
    const ack = await call.next('ACK', 2);
    expect(header(ack, 'Call-ID')).toBe(header(second, 'Call-ID'));
    expect(call.events).toEqual(['ringing', 'established']);
    expect(call.sent('BYE')).toEqual([]);
    expect(call.sent('CANCEL')).toEqual([]);
  });

  it('the authorizer refuses (an expired link): its code, and no second INVITE', async () => {
    const call = setup({ authorizer: { authorize: async () => { throw new AuthorizeError('link-expired'); } } });
    const invite = await call.next('INVITE');
    await call.answer(invite, 401, { headers: ['WWW-Authenticate: Digest realm="pbx.test", nonce="x"'] });
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['failed:link-expired']);
    expect(call.sent('INVITE')).toHaveLength(1);
  });

  it('a challenge to the authorizer\'s own answer is a failed login', async () => {
    const call = setup({ authorizer: { authorize: async () => ({ header: 'Proxy-Authorization', value: 'Digest stale' }) } });
    await call.answer(await call.next('INVITE'), 407, { headers: ['Proxy-Authenticate: Digest realm="pbx.test", nonce="1"'] });
    await call.answer(await call.next('INVITE', 2), 407, { headers: ['Proxy-Authenticate: Digest realm="pbx.test", nonce="2"'] });
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['failed:auth-failed']);
    expect(call.sent('INVITE')).toHaveLength(2);
  });

  it('with a password, SIP.js answers the challenge itself; a 403 after that is a wrong password', async () => {
    const call = setup({ password: 'secret' });
    const first = await call.next('INVITE');
    await call.answer(first, 407, { headers: ['Proxy-Authenticate: Digest realm="pbx.test", nonce="n0nce"'] });
    const second = await call.next('INVITE', 2);
    expect(header(second, 'Proxy-Authorization')).toMatch(/^Digest .*username="40".*realm="pbx.test".*nonce="n0nce"/);
    expect(cseq(second)).toBe(cseq(first) + 1); // the same INVITE again, as RFC 3261 section 22.2 has it
    await call.answer(second, 403);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['failed:auth-failed']);
  });

  it('a 403 without a challenge is the PBX refusing the number', async () => {
    const call = setup({ password: 'secret' });
    await call.answer(await call.next('INVITE'), 403);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['failed:rejected']);
  });

  it.each([
    [486, 'busy'], [404, 'not-found'], [480, 'no-answer'], [503, 'pbx-unreachable'], [302, 'rejected'],
  ])('%i -> failed %s, the final response ACKed, nothing else sent', async (status, code) => {
    const call = setup();
    const invite = await call.next('INVITE');
    await call.answer(invite, 180);
    await call.answer(invite, status, status === 302 ? { headers: ['Contact: <sip:200@pbx.test>'] } : {});
    const ack = await call.next('ACK');
    expect(cseq(ack)).toBe(cseq(invite));
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['ringing', `failed:${code}`]);
    expect(call.sent('CANCEL')).toEqual([]);
    expect(call.sent('BYE')).toEqual([]);
  });

  it('an answer the browser cannot use (setRemoteDescription refuses it): ACK and BYE, and the call fails as rejected', async () => {
    const call = setup();
    const invite = await call.next('INVITE');
    await call.answer(invite, 180);
    await call.answer(invite, 200, { sdp: G729_ONLY_SDP });
    await call.next('ACK');
    const bye = await call.next('BYE');
    expect(header(bye, 'Call-ID')).toBe(header(invite, 'Call-ID'));
    expect(header(bye, 'Reason')).toMatch(/cause=488/);
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['ringing', 'failed:rejected']);
    expect(call.pc().remoteDescription).toBeNull();
  });

  it('the visitor hangs up while it rings: CANCEL, ended by us; the late 487 changes nothing', async () => {
    const call = setup();
    const invite = await call.next('INVITE');
    await call.answer(invite, 180);
    call.phone.hangup();
    expect(call.events).toEqual(['ringing', 'ended:local']);
    const cancel = await call.next('CANCEL');
    expect(cseq(cancel)).toBe(cseq(invite));
    expect(header(cancel, 'Via')).toBe(header(invite, 'Via')); // the same transaction
    await call.answer(cancel, 200);
    await call.answer(invite, 487);
    await call.next('ACK');
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.events).toEqual(['ringing', 'ended:local']);
    expect(call.sent('BYE')).toEqual([]);
    expect(call.mic.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('ringing past the ring timeout: CANCEL, and no-answer, once', async () => {
    const call = setup({ password: 'secret' }, { ringTimeout: 5 });
    const invite = await call.next('INVITE');
    await call.answer(invite, 180);
    await vi.advanceTimersByTimeAsync(5000);
    const cancel = await call.next('CANCEL');
    await call.answer(cancel, 200);
    await call.answer(invite, 487);
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['ringing', 'failed:no-answer']);
  });

  it('a denied microphone: mic-denied, and no INVITE on the wire', async () => {
    const call = setup({ password: 'secret' }, {}, Promise.resolve(Object.assign(new Error('denied'), { name: 'NotAllowedError' })));
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.events).toEqual(['failed:mic-denied']);
    expect(call.getUserMedia).toHaveBeenCalledWith({ audio: true, video: false });
    expect(call.transport().sent).toEqual([]);
  });

  it('hung up while the microphone prompt is open: no INVITE, and the microphone let go once it comes', async () => {
    let allow = (_: unknown) => undefined as void;
    const call = setup({ password: 'secret' }, {}, new Promise((resolve) => { allow = resolve; }));
    await vi.advanceTimersByTimeAsync(100);
    call.phone.hangup();
    expect(call.events).toEqual(['ended:local']);
    allow(undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.transport().sent).toEqual([]);
    expect(call.mic.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    expect(call.transport().disposed).toBe(true);
  });

  it('the PBX cannot be reached: pbx-unreachable, no INVITE', async () => {
    const call = setup();
    call.transport().refuse = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.events).toEqual(['failed:pbx-unreachable']);
    expect(call.transport().sent).toEqual([]);
  });

  it('the WebSocket drops before the answer: pbx-unreachable', async () => {
    const call = setup();
    const invite = await call.next('INVITE');
    await call.answer(invite, 180);
    call.transport().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['ringing', 'failed:pbx-unreachable']);
  });
});

describe('SipPhone: during the call', () => {
  it('the far end hangs up: its BYE answered with 200, ended by the far end', async () => {
    const call = setup();
    const invite = await call.establish();
    call.pc().setConnectionState('connected');
    await call.farEnd(invite, 'BYE', 2);
    const ok = call.transport().sent.filter((m) => m.status && header(m, 'CSeq') === '2 BYE');
    expect(ok.map((m) => m.status)).toEqual([200]);
    expect(header(ok[0], 'Call-ID')).toBe(header(invite, 'Call-ID'));
    expect(call.events).toEqual(['ringing', 'established', 'ended:remote']);
    await vi.advanceTimersByTimeAsync(MEDIA_TIMEOUT_MS * 2);
    expect(call.events).toEqual(['ringing', 'established', 'ended:remote']);
    expect(call.sent('BYE')).toEqual([]);
  });

  it('the visitor hangs up: BYE, ended by us', async () => {
    const call = setup();
    const invite = await call.establish();
    call.pc().setConnectionState('connected');
    call.phone.hangup();
    const bye = await call.next('BYE');
    expect(header(bye, 'Call-ID')).toBe(header(invite, 'Call-ID'));
    expect(call.events).toEqual(['ringing', 'established', 'ended:local']);
  });

  it('media never up within MEDIA_TIMEOUT_MS of the answer: BYE, media-blocked', async () => {
    const call = setup();
    await call.establish();
    call.pc().setConnectionState('connecting');
    await vi.advanceTimersByTimeAsync(MEDIA_TIMEOUT_MS - 100);
    expect(call.events).toEqual(['ringing', 'established']);
    await vi.advanceTimersByTimeAsync(100);
    expect(call.events).toEqual(['ringing', 'established', 'failed:media-blocked']);
    await call.next('BYE');
  });

  it('the media path fails before it was ever up: media-blocked at once', async () => {
    const call = setup();
    await call.establish();
    call.pc().setConnectionState('failed');
    expect(call.events).toEqual(['ringing', 'established', 'failed:media-blocked']);
    await call.next('BYE');
  });

  it('the media path fails after it was up: BYE, network', async () => {
    const call = setup();
    await call.establish();
    call.pc().setConnectionState('connected');
    await vi.advanceTimersByTimeAsync(MEDIA_TIMEOUT_MS * 2);
    expect(call.events).toEqual(['ringing', 'established']);
    call.pc().setConnectionState('disconnected'); // a blip the browser may still recover from
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.events).toEqual(['ringing', 'established']);
    call.pc().setConnectionState('failed');
    expect(call.events).toEqual(['ringing', 'established', 'failed:network']);
    await call.next('BYE');
  });

  it('keypad digits go as RFC 4733 events, lengthened for the answer\'s clocks; none before the call is up', async () => {
    const call = setup();
    expect(call.phone.sendDtmf('1')).toBe(false);
    await call.establish();
    const dtmf = call.pc().senders[0].dtmf;
    expect(call.phone.sendDtmf('x')).toBe(false);
    expect(call.phone.sendDtmf('5')).toBe(true);
    // Opus (48 kHz) with telephone-event/8000: 160 ms asked as 960 (core/dtmf-duration.ts).
    expect(dtmf.inserted).toEqual([['5', 960, 70]]);
  });

  it('keypad digits as SIP INFO, when configured', async () => {
    const call = setup({ password: 'secret' }, { dtmf: 'info' });
    await call.establish();
    expect(call.phone.sendDtmf('#')).toBe(true);
    const info = await call.next('INFO');
    expect(header(info, 'Content-Type')).toBe('application/dtmf-relay');
    expect(info.body).toBe('Signal=#\r\nDuration=160');
  });

  it('SIP INFO needs the WebSocket: no keypad digits while it reconnects; RFC 4733 ones still go', async () => {
    for (const dtmf of ['info', 'rfc4733'] as const) {
      FakeTransport.made = [];
      const call = setup({ password: 'secret' }, { dtmf });
      await call.establish();
      call.pc().setConnectionState('connected');
      call.transport().refuse = true;
      call.transport().drop();
      expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
      expect(call.phone.sendDtmf('1')).toBe(dtmf === 'rfc4733');
      call.phone.hangup();
    }
  });

  it('mute disables the microphone track the call sends', async () => {
    const call = setup();
    await call.establish();
    const track = call.pc().senders[0].track!;
    call.phone.setMuted(true);
    expect(track.enabled).toBe(false);
    call.phone.setMuted(false);
    expect(track.enabled).toBe(true);
  });
});

describe('SipPhone: the WebSocket drops mid-call', () => {
  /** An established call whose media path is up. */
  async function upAndRunning() {
    const call = setup();
    const invite = await call.establish();
    call.pc().setConnectionState('connected');
    return { call, invite };
  }

  it('reconnecting, then back: a re-INVITE with an ICE restart over the new connection, established again', async () => {
    const { call, invite } = await upAndRunning();
    const transport = call.transport();
    transport.drop();
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
    const reinvite = await call.next('INVITE', 2);
    expect(transport.connects).toBe(2);
    expect(header(reinvite, 'Call-ID')).toBe(header(invite, 'Call-ID'));
    expect(header(reinvite, 'To')).toMatch(/;tag=/); // inside the dialog
    expect(cseq(reinvite)).toBeGreaterThan(cseq(invite));
    expect(call.pc().offers.slice(-1)).toEqual([{ iceRestart: true }]);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
    await call.answer(reinvite, 200, { sdp: answerSdp() });
    await call.next('ACK', 2);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
    // The window's deadline is gone with the reconnection, and the media path is up.
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS * 2);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
    expect(call.sent('BYE')).toEqual([]);
  });

  it('not back within RECONNECT_WINDOW_MS: network, after attempts with back-off', async () => {
    const { call } = await upAndRunning();
    const transport = call.transport();
    transport.refuse = true;
    transport.drop();
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS - 10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
    // At 0, 250, 750, 1750, 3750, then every 2000 ms: 10 attempts in 15 s (the call's first connect not counted).
    expect(transport.connects - 1).toBe(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'failed:network']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.sent('BYE')).toEqual([]); // nowhere to send it
    expect(call.sent('INVITE')).toHaveLength(1);
  });

  it('back after a few refusals, within the window: established again', async () => {
    const { call } = await upAndRunning();
    const transport = call.transport();
    transport.refuse = true;
    transport.drop();
    await vi.advanceTimersByTimeAsync(3000);
    transport.refuse = false;
    const reinvite = await call.next('INVITE', 2);
    await call.answer(reinvite, 200, { sdp: answerSdp() });
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
  });

  it('the visitor hangs up while it reconnects: one more try for the BYE', async () => {
    const { call } = await upAndRunning();
    const transport = call.transport();
    transport.refuse = true;
    transport.drop();
    await vi.advanceTimersByTimeAsync(100);
    transport.refuse = false;
    call.phone.hangup();
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'ended:local']);
    await call.next('BYE');
  });

  it('the PBX no longer knows the call (481 to the re-INVITE): network', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    await call.answer(await call.next('INVITE', 2), 481);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'failed:network']);
  });

  it('a re-INVITE refused (488) while the old media path still works: the call goes on', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    await call.answer(await call.next('INVITE', 2), 488);
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
  });

  it('a re-INVITE refused while the media path is down: network', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    call.pc().setConnectionState('disconnected');
    await call.answer(await call.next('INVITE', 2), 488);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'failed:network']);
  });

  it('glare (491): the re-INVITE once more after 2.1-4 s, the refused offer rolled back first', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    await call.answer(await call.next('INVITE', 2), 491);
    expect(call.pc().signalingState).toBe('stable');
    await vi.advanceTimersByTimeAsync(2000);
    expect(call.sent('INVITE')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    const again = await call.next('INVITE', 3);
    expect(call.pc().offers.slice(-1)).toEqual([{ iceRestart: true }]);
    await call.answer(again, 200, { sdp: answerSdp() });
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
  });

  it('a refused re-INVITE does not block the next one: after another drop the dialog is refreshed again', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    await call.answer(await call.next('INVITE', 2), 488);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
    call.transport().drop();
    const third = await call.next('INVITE', 3);
    await call.answer(third, 200, { sdp: answerSdp() });
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established', 'reconnecting', 'established']);
  });

  it('the media path failing while it reconnects waits for the ICE restart', async () => {
    const { call } = await upAndRunning();
    call.transport().refuse = true;
    call.transport().drop();
    call.pc().setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting']);
  });

  it('the refreshed dialog\'s media must come back: network if it does not within MEDIA_TIMEOUT_MS', async () => {
    const { call } = await upAndRunning();
    call.transport().drop();
    call.pc().setConnectionState('disconnected');
    const reinvite = await call.next('INVITE', 2);
    await call.answer(reinvite, 200, { sdp: answerSdp() });
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established']);
    await vi.advanceTimersByTimeAsync(MEDIA_TIMEOUT_MS);
    expect(call.events).toEqual(['ringing', 'established', 'reconnecting', 'established', 'failed:network']);
    await call.next('BYE');
  });
});

describe('SipPhone: the caller context (X-Call-Page, X-Call-Context)', () => {
  const CONTEXT = ['X-Call-Page: https://shop.example/contact/', 'X-Call-Context: Sales%2C%20DE'];
  const contextOf = (m: SipMessage) => [...headers(m, 'X-Call-Page'), ...headers(m, 'X-Call-Context')];

  it('rides on the INVITE and on the same INVITE SIP.js sends again with the password\'s answer', async () => {
    const call = setup({ password: 'secret', headers: CONTEXT });
    const first = await call.next('INVITE');
    expect(contextOf(first)).toEqual(['https://shop.example/contact/', 'Sales%2C%20DE']);
    await call.answer(first, 407, { headers: ['Proxy-Authenticate: Digest realm="pbx.test", nonce="n0nce"'] });
    const second = await call.next('INVITE', 2);
    expect(header(second, 'Proxy-Authorization')).toMatch(/^Digest /);
    expect(contextOf(second)).toEqual(['https://shop.example/contact/', 'Sales%2C%20DE']);
  });

  it('rides on the INVITE that carries the authorizer\'s answer (a signed link), once each', async () => {
    const authorizer: DigestAuthorizer = { authorize: async () => ({ header: 'Proxy-Authorization', value: 'Digest response="signed"' }) };
    const call = setup({ authorizer, headers: CONTEXT });
    const first = await call.next('INVITE');
    expect(contextOf(first)).toEqual(['https://shop.example/contact/', 'Sales%2C%20DE']);
    await call.answer(first, 407, { headers: ['Proxy-Authenticate: Digest realm="pbx.test", nonce="n0nce"'] });
    const second = await call.next('INVITE', 2);
    expect(header(second, 'Proxy-Authorization')).toBe('Digest response="signed"');
    expect(contextOf(second)).toEqual(['https://shop.example/contact/', 'Sales%2C%20DE']);
  });

  it('without them, the INVITE carries no X-Call header', async () => {
    const call = setup({ password: 'secret' });
    const first = await call.next('INVITE');
    expect(first.headers.filter(([n]) => /^x-call-/i.test(n))).toEqual([]);
  });
});
