// Deep imports: the package index would bring SimpleUser, Registerer and more (about 20 KB gzip).
import { Inviter } from 'sip.js/lib/api/inviter.js';
import type { Session } from 'sip.js/lib/api/session.js';
import { SessionState } from 'sip.js/lib/api/session-state.js';
import { UserAgent } from 'sip.js/lib/api/user-agent.js';
import type { UserAgentOptions } from 'sip.js/lib/api/user-agent-options.js';
import type { IncomingResponse } from 'sip.js/lib/core/messages/incoming-response.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler.js';
import { defaultSessionDescriptionHandlerFactory } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler-factory-default.js';
import { errorForMicrophone, errorForSipStatus, type ErrorCode } from '../core/error-codes.js';
import type { PopupConfig } from '../core/popup-config.js';
import { insertDtmfDuration } from '../core/dtmf-duration.js';
import { iceServerKinds } from '../core/ice-gathering-policy.js';
import { sipUserForNumber } from '../core/sip-uri.js';
import { accountUser } from '../core/sip-digest.js';
import { AuthorizeError, type CallRequest, type Phone, type PhoneDelegate } from './phone.js';
import { assertPhaseTransition, type PhonePhase } from './phone-phase.js';
import { withGatheringPolicy } from './with-gathering-policy.js';

export interface SipPhoneOptions {
  config: PopupConfig;
  /** Swappable for tests; defaults to the browser's. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Swappable for tests (a fake that records the SIP messages); defaults to SIP.js's WebSocket transport. */
  transportConstructor?: UserAgentOptions['transportConstructor'];
}

/** Seconds SIP.js waits for the WebSocket: under the 5 s the popup promises for `pbx-unreachable`. */
const CONNECT_TIMEOUT_S = 4;
/**
 * After the answer, how long the media path (ICE and DTLS) may take before the call is called
 * `media-blocked`. Chromium itself gives up only after about 15 s, all of it silence under
 * "Connected"; a working path, TURN relays included, is up within a second.
 */
export const MEDIA_TIMEOUT_MS = 4000;
/** How long a dropped WebSocket may take to come back mid-call before the call ends with `network`. */
export const RECONNECT_WINDOW_MS = 15000;
/** Pauses between reconnection attempts; the last one repeats. */
export const RECONNECT_DELAYS_MS = [0, 250, 500, 1000, 2000];

/**
 * The one module that owns SIP.js: one outgoing call per instance, no REGISTER.
 * The microphone and the WebSocket are asked for together; the INVITE waits for both, so a
 * denied microphone places no INVITE at all. Where the call stands is one phase (phone-phase.ts),
 * changed only through `enter`, which checks the change against the phase table.
 */
export class SipPhone implements Phone {
  private phase: PhonePhase = 'idle';
  private ua?: UserAgent;
  private session?: Inviter;
  private mic?: MediaStream;
  private audio?: HTMLAudioElement;
  private delegate: PhoneDelegate = {};
  /** The media path was up once: a failure after that is a lost network, not a blocked one. */
  private mediaUp = false;
  private mediaTimer?: ReturnType<typeof setTimeout>;
  /**
   * Exists exactly while `reconnecting`: the timer of the next attempt and the window's deadline. One
   * object per drop, so a late callback of an earlier drop can tell it is no longer the current one.
   */
  private retry?: { timer?: ReturnType<typeof setTimeout>; deadline: ReturnType<typeof setTimeout> };
  private ringTimer?: ReturnType<typeof setTimeout>;
  /** Whether the PBX challenged and SIP.js answered with the password or HA1. */
  private challenged = false;
  private infoQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SipPhoneOptions) {}

  call(request: CallRequest, delegate: PhoneDelegate): void {
    this.delegate = delegate;
    this.enter('starting');
    this.run(request).catch((e) => {
      // Anything unforeseen still ends in a message, never a blank popup.
      console.warn('vodia-call: call failed', e);
      this.fail('network');
    });
  }

  hangup(): void {
    this.finish(() => this.delegate.onEnded?.('local'));
  }

  sendDtmf(tone: string): boolean {
    const s = this.session;
    if (!s || s.state !== SessionState.Established || !/^[0-9*#]$/.test(tone)) return false;
    const { dtmf, dtmfDuration } = this.options.config;
    if (dtmf === 'info') {
      // SIP INFO needs the WebSocket; RTP events below need only the media path.
      if (this.phase === 'reconnecting') return false;
      // One INFO after the other, so fast key presses arrive in order.
      this.infoQueue = this.infoQueue.then(() => s.info({
        requestOptions: {
          body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone}\r\nDuration=${dtmfDuration}` },
        },
      })).catch(() => undefined);
      return true;
    }
    const dtmfSender = peerConnection(s)?.getSenders().find((x) => x.dtmf)?.dtmf;
    // Before DTLS is up there is no media path to carry the tone (and insertDTMF would throw).
    if (!dtmfSender?.canInsertDTMF) return false;
    // insertDTMF replaces the queued tones; append instead, so fast key presses are all sent.
    const answer = peerConnection(s)?.remoteDescription?.sdp;
    dtmfSender.insertDTMF(dtmfSender.toneBuffer + tone, insertDtmfDuration(answer, dtmfDuration), 70);
    return true;
  }

  setMuted(muted: boolean): void {
    const pc = this.session && peerConnection(this.session);
    pc?.getSenders().forEach((x) => { if (x.track) x.track.enabled = !muted; });
  }

  private enter(next: PhonePhase): void {
    assertPhaseTransition(this.phase, next);
    this.phase = next;
  }

  /** Ended or failed, and reported: nothing may change any more. */
  private get over(): boolean {
    return this.phase === 'over';
  }

  private async run(request: CallRequest): Promise<void> {
    const { config } = this.options;
    const getUserMedia = this.options.getUserMedia ??
      (navigator.mediaDevices ? (c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c) : undefined);
    if (!getUserMedia) return this.fail('no-mic'); // insecure page or no media support at all
    const user = accountUser(request.account);
    const uri = UserAgent.makeURI(`sip:${user}@${config.domain}`);
    const target = UserAgent.makeURI(`sip:${sipUserForNumber(request.destnumber)}@${config.domain}`);
    if (!uri || !target) return this.fail('link-invalid');

    // The microphone prompt and the WebSocket handshake overlap; the INVITE waits for both,
    // so a denied microphone still puts no INVITE on the wire.
    const micAsked = getUserMedia({ audio: true, video: false }).then(
      (stream) => { mark('vc:mic'); return stream; },
      (e: unknown) => { throw new MicError(errorForMicrophone((e as { name?: string })?.name)); },
    );
    const ua = new UserAgent({
      uri,
      transportConstructor: this.options.transportConstructor,
      transportOptions: { server: config.server, connectionTimeout: CONNECT_TIMEOUT_S, keepAliveInterval: config.keepAliveInterval },
      authorizationUsername: user,
      authorizationPassword: request.password,
      authorizationHa1: request.ha1,
      logBuiltinEnabled: false,
      logLevel: 'error',
      userAgentString: 'Vodia Click-to-Call',
      // Each offer gets its own copy: SIP.js stops a session's tracks when the session ends,
      // and a challenged INVITE's session ends before the authorized one starts.
      sessionDescriptionHandlerFactory: withGatheringPolicy(
        defaultSessionDescriptionHandlerFactory(() => micAsked.then((m) => m.clone())), iceServerKinds(config.iceServers),
        (state) => this.onMediaState(state)),
      sessionDescriptionHandlerFactoryOptions: {
        iceGatheringTimeout: config.iceGatheringTimeout,
        peerConnectionConfiguration: { iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy },
      },
      delegate: {
        onDisconnect: (error?: Error) => {
          if (!error) return;
          // Mid-call the media does not need the WebSocket: keep the call and reconnect.
          if (this.phase === 'established' || this.phase === 'reconnecting') this.reconnect();
          else this.fail('pbx-unreachable');
        },
      },
    });
    this.ua = ua;
    const core = ua.userAgentCore.configuration;
    if (request.authorizer) {
      // No local credentials: let the challenge come back to us, and ask the authorizer.
      core.authenticationFactory = () => undefined;
    } else {
      // SIP.js asks for credentials only when challenged: then a final 401/403/407 means a wrong
      // password, while a 403 without a challenge is the PBX refusing the number.
      const credentials = core.authenticationFactory;
      core.authenticationFactory = () => {
        this.challenged = true;
        return credentials();
      };
    }
    // Resolves false when the PBX cannot be reached; never rejects, since it may settle while
    // the microphone prompt is still open and nobody awaits it yet.
    const connected = ua.start().then(() => { mark('vc:ws'); return true; }, () => false);
    try {
      this.mic = await micAsked;
    } catch (e) {
      return this.fail(e instanceof MicError ? e.code : 'mic-denied');
    }
    // Hung up while we waited: what arrived since (the microphone) must be let go too.
    if (this.over) return this.release();
    if (!(await connected)) return this.fail('pbx-unreachable');
    if (this.over) return this.release();
    this.ringTimer = setTimeout(() => this.fail('no-answer'), config.ringTimeout * 1000); // finish() sends the CANCEL
    this.invite(target, request, request.headers ?? [], false);
  }

  /** `answered`: this INVITE carries the authorizer's answer to a challenge. */
  private invite(target: NonNullable<ReturnType<typeof UserAgent.makeURI>>, request: CallRequest,
    extraHeaders: string[], answered: boolean): void {
    const ua = this.ua;
    if (!ua || this.over) return;
    this.enter('inviting');
    const inviter = new Inviter(ua, target, {
      extraHeaders,
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    });
    this.session = inviter;
    mark('vc:invite');
    // No onBye delegate: with one, SIP.js leaves the far end's BYE unanswered until the delegate accepts it.
    // Without, it answers 200 itself, and the state listener below reports the end.
    inviter.stateChange.addListener((state) => {
      if (this.session !== inviter) return;
      if (state === SessionState.Established && this.phase === 'inviting') {
        this.enter('established');
        clearTimeout(this.ringTimer);
        this.playRemoteAudio(inviter);
        mark('vc:established');
        // No silent "Connected": the media path must be up soon after the answer.
        if (!this.mediaUp) this.expectMedia(inviter);
        this.delegate.onProgress?.('established');
      } else if (state === SessionState.Terminated && (this.phase === 'established' || this.phase === 'reconnecting')) {
        this.finish(() => this.delegate.onEnded?.('remote'));
      }
      // Terminated before the answer: SIP.js turns Terminated before it calls the request delegate
      // below, and that one says why.
    });
    const refused = (r: IncomingResponse) => {
      const status = r.message.statusCode ?? 500;
      const authorizer = request.authorizer;
      if ((status === 401 || status === 407) && authorizer && !answered && this.phase === 'inviting') {
        this.enter('authorizing');
        mark('vc:challenge');
        const challenge = r.message.getHeader(status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '';
        authorizer.authorize({ method: 'INVITE', uri: inviter.request.ruri.toString(), status, challenge })
          .then((answer) => this.invite(target, request, [...request.headers ?? [], `${answer.header}: ${answer.value}`], true))
          .catch((e) => this.fail(e instanceof AuthorizeError ? e.code : 'network'));
        return;
      }
      this.fail(errorForSipStatus(status, answered || this.challenged));
    };
    inviter.invite({
      requestDelegate: {
        onProgress: (r) => {
          const code = r.message.statusCode ?? 0;
          if (code === 180 || code === 183) this.delegate.onProgress?.('ringing');
        },
        // Called after an answer too that the browser could not use (no common codec, say): SIP.js has then
        // ended the session with ACK and BYE instead of setting it up.
        onAccept: () => {
          if (this.session === inviter && this.phase === 'inviting' && inviter.state === SessionState.Terminated) this.fail('rejected');
        },
        onRedirect: refused,
        onReject: refused,
      },
    }).catch(() => this.fail('network'));
  }

  private playRemoteAudio(session: Session): void {
    const sdh = session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
    if (!sdh) return;
    const audio = new Audio();
    audio.autoplay = true;
    audio.srcObject = sdh.remoteMediaStream;
    void audio.play().catch(() => undefined);
    this.audio = audio;
  }

  /**
   * Ends the call unless the media path is connected within MEDIA_TIMEOUT_MS (its 'connected' event
   * clears this): `media-blocked` if it was never up, `network` if it was.
   */
  private expectMedia(session: Session): void {
    clearTimeout(this.mediaTimer);
    this.mediaTimer = setTimeout(() => {
      if (peerConnection(session)?.connectionState !== 'connected') this.fail(this.mediaUp ? 'network' : 'media-blocked');
    }, MEDIA_TIMEOUT_MS);
  }

  private onMediaState(state: RTCPeerConnectionState | undefined): void {
    if (this.over) return;
    if (state === 'connected') {
      this.mediaUp = true;
      clearTimeout(this.mediaTimer);
    } else if (state === 'failed' && this.phase === 'established') {
      // Never up: blocked (UDP dropped, no TURN). Up before: the network went away under the call.
      // (While reconnecting, the ICE restart of the refreshed dialog may still bring it back.)
      this.fail(this.mediaUp ? 'network' : 'media-blocked');
    }
  }

  /**
   * The WebSocket dropped mid-call: say so, reconnect with back-off, then refresh the dialog with
   * a re-INVITE over the new connection (new Contact, so the PBX's in-dialog requests find it;
   * an ICE restart, for the media path may have moved too). Gives up with `network` after RECONNECT_WINDOW_MS.
   * Called again when the new connection drops before the dialog is refreshed: the same window goes on.
   */
  private reconnect(): void {
    if (!this.ua) return;
    if (this.phase === 'established') {
      mark('vc:ws-lost');
      this.enter('reconnecting');
      // The window is a promise to the visitor: kept even while an attempt is still waiting.
      this.retry = { deadline: setTimeout(() => this.fail('network'), RECONNECT_WINDOW_MS) };
      this.delegate.onProgress?.('reconnecting');
    }
    this.attemptReconnect(0);
  }

  private attemptReconnect(n: number): void {
    const r = this.retry;
    if (!r || !this.ua) return;
    clearTimeout(r.timer);
    r.timer = undefined;
    this.ua.reconnect().then(() => this.refreshDialog(), () => {
      const pause = RECONNECT_DELAYS_MS[Math.min(n + 1, RECONNECT_DELAYS_MS.length - 1)];
      if (this.retry === r) r.timer = setTimeout(() => this.attemptReconnect(n + 1), pause);
    });
  }

  private refreshDialog(glareRetried = false): void {
    const session = this.session;
    const r = this.retry;
    if (!r || !session || session.state !== SessionState.Established) return;
    mark('vc:ws-back');
    const again = (ms: number, retried = glareRetried) => {
      clearTimeout(r.timer);
      r.timer = setTimeout(() => this.refreshDialog(retried), ms);
    };
    const settled = (accepted: boolean) => {
      if (this.retry !== r) return;
      // Dropped again while the re-INVITE was out (SIP.js answers such a request with its own 503/408):
      // the dialog still points at a dead connection, so reconnect within the same window.
      if (!this.ua?.isConnected()) return this.attemptReconnect(0);
      // Refused (a PBX that challenges re-INVITEs, say): the ICE restart did not happen; the call goes on
      // only if its old media path still works.
      if (!accepted && peerConnection(session)?.connectionState !== 'connected') return this.fail('network');
      this.stopRetrying();
      this.enter('established');
      mark('vc:reinvited');
      this.delegate.onProgress?.('established');
      // The media must be back soon, as in a new call.
      this.expectMedia(session);
    };
    void session.invite({
      // Always an ICE restart: a dropped WebSocket often means a new network (Wi-Fi to mobile data), and the
      // browser may still call the old path connected for seconds. Browsers keep the old pair until a new
      // one works, so a path that was fine loses nothing.
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false }, offerOptions: { iceRestart: true } } as object,
      requestDelegate: {
        onAccept: () => settled(true),
        onReject: (res) => {
          const status = res.message.statusCode ?? 500;
          // SIP.js 0.21's description handler has no rollbackDescription: the refused offer would leave the browser
          // in have-local-offer, where SIP.js makes no new offer, and neither the 491 retry nor the re-INVITE after
          // the next drop could go out.
          const pc = peerConnection(session);
          if (pc?.signalingState === 'have-local-offer') void pc.setLocalDescription({ type: 'rollback' }).catch(() => undefined);
          // The PBX no longer knows the call: it has ended.
          if (status === 481) return this.fail('network');
          // Glare with a re-INVITE of the far end: once more after 2.1-4 s (RFC 3261 section 14.1).
          if (status === 491 && !glareRetried) return again(2100 + Math.random() * 1900, true);
          // A PBX that challenges or refuses re-INVITEs still has the call and its media.
          settled(false);
        },
      },
    }).catch(() => again(250)); // a re-INVITE of SIP.js's own still under way: try when it is done
  }

  /** Leaving `reconnecting`: no more attempts, and the window's deadline is off. */
  private stopRetrying(): void {
    clearTimeout(this.retry?.timer);
    clearTimeout(this.retry?.deadline);
    this.retry = undefined;
  }

  private fail(code: ErrorCode): void {
    this.finish(() => this.delegate.onFailed?.(code));
  }

  /** Ends the call once: the first outcome wins, later ones (a 487 after our CANCEL) are ignored. */
  private finish(report: () => void): void {
    if (this.over) return;
    const wasReconnecting = this.phase === 'reconnecting';
    this.enter('over');
    clearTimeout(this.ringTimer);
    clearTimeout(this.mediaTimer);
    this.stopRetrying();
    // Whatever ended it on our side, the far end must not be left holding the line.
    const s = this.session;
    let sent: Promise<unknown> | undefined;
    if (s?.state === SessionState.Established) {
      // The BYE needs the WebSocket: while it is down, one more try to get it back first.
      const ua = this.ua;
      sent = wasReconnecting && ua && !ua.isConnected()
        ? ua.reconnect().then(() => s.bye())
        : s.bye();
    } else if (s?.state === SessionState.Establishing || s?.state === SessionState.Initial) {
      sent = s.cancel();
    }
    report();
    this.release(sent?.catch(() => undefined));
  }

  /** `sent`: a BYE or CANCEL on its way; the WebSocket stays open for it a little (at most 5 s). */
  private release(sent?: Promise<unknown>): void {
    this.mic?.getTracks().forEach((t) => t.stop());
    if (this.audio) this.audio.srcObject = null;
    const ua = this.ua;
    if (!ua) return;
    const stop = () => setTimeout(() => void ua.stop().catch(() => undefined), 500);
    if (!sent) return void stop();
    void Promise.race([sent, new Promise((r) => setTimeout(r, 5000))]).then(stop);
  }
}

class MicError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

/** Performance marks of call setup, for the benchmark's breakdown and for anyone profiling. */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

function peerConnection(session: Session): RTCPeerConnection | undefined {
  return (session.sessionDescriptionHandler as SessionDescriptionHandler | undefined)?.peerConnection;
}

