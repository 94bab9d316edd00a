import { isSigned, parseCallLink, type CallLinkParams } from '../core/call-link.js';
import { assertTransition, isCallActive, type CallState } from '../core/call-state.js';
import { callerContext } from '../core/caller-context.js';
import type { ErrorCode } from '../core/error-codes.js';
import { pickLanguage, type Catalogue } from '../core/i18n.js';
import { formatOpening, nextOpening } from '../core/office-hours.js';
import type { ConfigResult, Fallback } from '../core/popup-config.js';
import { forgetLogin, recallLogin, rememberLogin, type KeyValueStore } from '../core/remembered-login.js';
import { decideStart, type CallerProof } from '../core/start-decision.js';
import type { CallRequest, DigestAuthorizer, Phone } from '../phone/phone.js';
import type { Ringback } from './ringback.js';

export interface PopupDeps {
  config: ConfigResult;
  /** The popup's own URL: the makecall link. */
  location: string;
  /** A new phone for each call. */
  createPhone(config: Extract<ConfigResult, { ok: true }>['config']): Phone;
  /** The server that vouches for signed links, when the configuration names one. */
  createAuthorizer?(url: string, link: Required<Pick<CallLinkParams, 'user' | 'pass' | 'time' | 'duration'>> & CallLinkParams): DigestAuthorizer;
  storage: KeyValueStore;
  languages: readonly string[];
  closeWindow(): void;
  /** Whether closeWindow worked (a window the visitor opened by hand cannot be closed by script). */
  isClosed(): boolean;
  ringback?: Ringback;
  /**
   * Told of every state, for the page that opened the popup (the binder's running-call guard), with
   * the question the binder asks before a second call cuts this one off, in the popup's language,
   * and the failure's code when `state` is `failed`.
   */
  onState?(state: CallState, ask?: string, error?: ErrorCode): void;
  /** The page that opened the popup (document.referrer): whether the popup may dial without asking. */
  referrer?: string;
  /** The popup was loaded inside a frame (window.top !== window): it refuses to run. */
  framed?: boolean;
  /**
   * The browser has RTCPeerConnection and getUserMedia; default true. Without them the popup fails with
   * `unsupported`. On an insecure page every browser hides getUserMedia: that is the site's fault, not the
   * browser's, so the entry leaves it to the phone's `no-mic` there.
   */
  webrtc?: boolean;
  /** The visitor's time zone for the next opening; default the browser's own (tests pin one). */
  timeZone?: string;
  /** Seconds since 1970. */
  now?(): number;
  /** Milliseconds "Call ended" stays on screen before the window closes. */
  closeDelay?: number;
  /**
   * A language's catalogue, at once or loaded (the popup fetches the one it needs); none or a
   * failed load leaves English. Default: English only.
   */
  catalogue?(lang: string): Catalogue | undefined | Promise<Catalogue | undefined>;
}

/**
 * Everything the view shows, and nothing it does: the view draws it, the controller changes it.
 * `screen` is what the body holds; the header (number, status, timer) is always there.
 */
export interface PopupModel {
  state: CallState;
  lang: string;
  number: string;
  screen: 'login' | 'confirm' | 'failed' | 'call' | 'ended';
  /** The account the confirmation names (a remembered login); undefined for a signed link. */
  confirmAccount?: string;
  /** The confirmation's "Call" ignores input for now (just shown, focused or made visible). */
  confirmHeld: boolean;
  /** What the login form starts with. */
  account: string;
  /** A remembered login exists: "Log out" is offered. */
  loggedIn: boolean;
  error?: ErrorCode;
  /** When a `closed` office opens again, in the visitor's language and zone; undefined if not within two weeks. */
  opensAt?: { day: string; time: string };
  /** The configured other ways to reach the site owner, offered on `closed` and `unsupported`. */
  fallback?: Fallback;
  /** The failure's way on besides "Close". */
  retry?: 'again' | 'login-again';
  /** The window could not close itself after the call: offer "Call again". */
  callAgain: boolean;
  muted: boolean;
  digits: string;
  /** mm:ss since the answer, or '' before it. */
  elapsed: string;
  /** Keypad digits can be sent now. */
  keysWork: boolean;
  /** The call has media (mute applies). */
  inCall: boolean;
}

/** Failures the visitor can retry as they are; the others need a new link or a new login. */
const RETRYABLE: readonly ErrorCode[] = [
  'mic-denied', 'no-mic', 'pbx-unreachable', 'busy', 'not-found', 'rejected', 'no-answer', 'network',
  'media-blocked', // the visitor may have moved to another network meanwhile
];
/** States with a call that can carry keypad digits and mute: the media keeps flowing while the WebSocket reconnects. */
const IN_CALL: readonly CallState[] = ['established', 'reconnecting'];
/**
 * How long a confirmation ignores input after it is shown, focused or made visible: a page that
 * has the visitor double-click or hold Enter must not land the repeat on "Call" (clickjacking).
 */
export const CONFIRM_GUARD_MS = 1000;

export interface PopupController {
  model(): PopupModel;
  /** Called after every change of the model. */
  subscribe(listener: () => void): void;
  /** Decides what the popup does first (dial, ask, log in, fail) and does it. */
  start(): void;
  submitLogin(login: { account: string; password: string; remember: boolean }): 'missing' | undefined;
  /** The visitor's "Call" on the confirmation; ignored while it is held. */
  confirm(): void;
  /** The confirmation was just shown, or the window focused or made visible: hold "Call" a moment. */
  holdConfirm(): void;
  hangup(): void;
  toggleMute(): void;
  pressKey(tone: string): void;
  logout(): void;
  loginAgain(): void;
  again(): void;
  close(): void;
  setLanguage(lang: string): void;
  /** Hangs up a running call and stops every timer. */
  dispose(): void;
}

/** The popup's state, phone, timers and remembered login; no DOM. */
export function createPopupController(deps: PopupDeps): PopupController {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const link = parseCallLink(deps.location);
  const config = deps.config.ok ? deps.config.config : undefined;
  // Where the visitor clicked, for the PBX (X-Call-Page, X-Call-Context), unless the site turned it off.
  const context = config?.callerContext ? callerContext(deps.location) : undefined;
  if (context?.problems.length) console.warn('vodia-call: caller context left out:', context.problems);
  // What storage holds now: logout or a refused login may forget what the popup started with.
  const recall = () => config && recallLogin(deps.storage, config.realm, { now: now(), maxAgeDays: config.rememberDays });
  const remembered = recall();
  let lang = pickLanguage([link?.lang, remembered?.lang, config?.lang, ...deps.languages]);
  let state: CallState = 'login';
  let phone: Phone | undefined;
  let lastRequest: CallRequest | undefined;
  let error: ErrorCode | undefined;
  let muted = false;
  let digits = '';
  let startedAt = 0;
  let closeFailed = false;
  /** The next opening (ms since 1970) once the popup found the office closed. */
  let opensAt: number | undefined;
  /** "Remember login information" was ticked: kept once the call connects, never for a wrong password. */
  let toRemember: { account: string; password: string } | undefined;
  /** The call waits for the visitor's "Call" (the opener is not trusted): what would vouch for it. */
  let asking: CallerProof | undefined;
  /** Date.now() before which the confirmation ignores input. */
  let heldUntil = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let tick: ReturnType<typeof setInterval> | undefined;
  const listeners: (() => void)[] = [];
  const changed = () => listeners.forEach((l) => l());

  function setState(next: CallState): void {
    assertTransition(state, next);
    const resumed = state === 'reconnecting' && next === 'established';
    state = next;
    if (next === 'ringing') deps.ringback?.start();
    else deps.ringback?.stop();
    // The call's timer runs on through a reconnect: it is the same call.
    if (!IN_CALL.includes(next)) clearInterval(tick);
    if (next === 'established' && !resumed) {
      if (toRemember && config) rememberLogin(deps.storage, toRemember.account, toRemember.password, config.realm, lang, now());
      toRemember = undefined;
      startedAt = Date.now();
      tick = setInterval(changed, 1000);
    }
    changed();
    deps.onState?.(next);
  }

  function fail(code: ErrorCode): void {
    error = code;
    if (code === 'auth-failed') {
      toRemember = undefined;
      // A remembered login that the PBX refuses is useless; a typed password's failure leaves it alone.
      if (lastRequest?.ha1) forgetLogin(deps.storage);
    }
    if (code === 'config') console.warn('vodia-call: configuration problems:', deps.config.ok ? [] : deps.config.problems);
    setState('failed');
  }

  function placeCall(request: CallRequest): void {
    if (!config) return;
    lastRequest = request;
    error = undefined;
    muted = false;
    digits = '';
    closeFailed = false;
    setState('connecting');
    const current = deps.createPhone(config);
    phone = current;
    current.call(context?.headers.length ? { ...request, headers: context.headers } : request, {
      // A phone from an earlier call that reports late must not move this one.
      onProgress: (p) => { if (phone === current && state !== p && isCallActive(state)) setState(p); },
      onFailed: (code) => { if (phone === current && isCallActive(state)) fail(code); },
      onEnded: () => { if (phone === current && isCallActive(state)) ended(); },
    });
  }

  function ended(): void {
    setState('ended');
    timers.push(setTimeout(() => {
      deps.closeWindow();
      // window.close() is silently ignored for a window the visitor opened: offer to call again.
      timers.push(setTimeout(() => {
        if (!deps.isClosed() && state === 'ended') {
          closeFailed = true;
          changed();
        }
      }, 200));
    }, deps.closeDelay ?? 1000));
  }

  function showLogin(): void {
    error = undefined;
    if (state !== 'login') setState('login');
    else changed();
  }

  /** Places the call that `proof` vouches for; a remembered login forgotten meanwhile leads to the login form. */
  function dial(proof: CallerProof): void {
    if (!config || !link) return;
    if (proof === 'signed-link' && isSigned(link) && config.authorizeUrl && deps.createAuthorizer) {
      return placeCall({ destnumber: link.destnumber, account: link.user, authorizer: deps.createAuthorizer(config.authorizeUrl, link) });
    }
    const login = proof === 'remembered-login' ? recall() : undefined;
    if (login) return placeCall({ destnumber: link.destnumber, account: login.account, ha1: login.ha1 });
    showLogin();
  }

  function holdConfirm(): void {
    if (state !== 'login' || !asking) return;
    heldUntil = Date.now() + CONFIRM_GUARD_MS;
    timers.push(setTimeout(changed, CONFIRM_GUARD_MS));
    changed();
  }

  function elapsed(): string {
    if (!IN_CALL.includes(state)) return '';
    const s = Math.max(0, Math.floor((Date.now() - startedAt) / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  function screen(current: ReturnType<typeof recall>): PopupModel['screen'] {
    if (state === 'login') return asking === 'signed-link' || (asking === 'remembered-login' && current) ? 'confirm' : 'login';
    if (state === 'failed') return 'failed';
    if (state === 'ended') return 'ended';
    return 'call';
  }

  return {
    model() {
      const current = recall();
      const inCall = IN_CALL.includes(state);
      return {
        state, lang, number: link?.destnumber ?? '', screen: screen(current),
        confirmAccount: asking === 'remembered-login' ? current?.account : undefined,
        confirmHeld: Date.now() < heldUntil,
        account: remembered?.account ?? link?.user ?? '',
        loggedIn: current !== undefined,
        error,
        opensAt: error === 'closed' && opensAt !== undefined ? formatOpening(opensAt, lang, deps.timeZone) : undefined,
        fallback: error === 'closed' || error === 'unsupported' ? config?.fallback : undefined,
        retry: error === 'auth-failed' ? 'login-again' : error && RETRYABLE.includes(error) && lastRequest ? 'again' : undefined,
        callAgain: state === 'ended' && closeFailed,
        muted, digits, elapsed: elapsed(), inCall,
        // SIP INFO digits need the WebSocket; RTP ones only the media, which carries on while it reconnects.
        keysWork: inCall && !(state === 'reconnecting' && config?.dtmf === 'info'),
      };
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    start() {
      const decision = decideStart({
        link, config, remembered, location: deps.location, referrer: deps.referrer, framed: deps.framed ?? false,
        canAuthorize: deps.createAuthorizer !== undefined, webrtc: deps.webrtc ?? true, now: now(),
      });
      switch (decision.kind) {
        case 'fail':
          if (decision.code === 'closed' && config?.officeHours) opensAt = nextOpening(config.officeHours, now() * 1000);
          return fail(decision.code);
        case 'call': return dial(decision.proof);
        case 'ask':
          asking = decision.proof;
          showLogin();
          return holdConfirm();
        case 'login': return showLogin();
      }
    },
    submitLogin({ account, password, remember }) {
      if (!link) return undefined;
      if (!account || !password) return 'missing';
      // This call uses the password itself; later calls rely on the HA1 kept once this one connects.
      toRemember = remember ? { account, password } : undefined;
      placeCall({ destnumber: link.destnumber, account, password });
      return undefined;
    },
    confirm() {
      if (!asking || Date.now() < heldUntil) return;
      const proof = asking;
      asking = undefined;
      dial(proof);
    },
    holdConfirm,
    hangup() {
      if (phone && isCallActive(state)) phone.hangup();
    },
    toggleMute() {
      if (!IN_CALL.includes(state)) return;
      muted = !muted;
      phone?.setMuted(muted);
      changed();
    },
    pressKey(tone) {
      if (!IN_CALL.includes(state) || !phone?.sendDtmf(tone)) return;
      digits = (digits + tone).slice(-14); // what fits on one line at 230 px
      changed();
    },
    logout() {
      forgetLogin(deps.storage);
      toRemember = undefined;
      asking = undefined;
      // Detach first: the ended call must not close the window under the login form.
      const p = phone;
      phone = undefined;
      if (p && isCallActive(state)) p.hangup();
      timers.forEach(clearTimeout);
      showLogin();
    },
    loginAgain: showLogin,
    again() {
      if (lastRequest) placeCall(lastRequest);
    },
    close() {
      deps.closeWindow();
    },
    setLanguage(next) {
      lang = next;
      changed();
    },
    dispose() {
      if (phone && isCallActive(state)) phone.hangup();
      deps.ringback?.stop();
      timers.forEach(clearTimeout);
      clearInterval(tick);
      listeners.length = 0;
    },
  };
}
