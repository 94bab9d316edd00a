import { isSigned, parseCallLink, type CallLinkParams } from '../core/call-link.js';
import { assertTransition, isCallActive, type CallState } from '../core/call-state.js';
import type { ErrorCode } from '../core/error-codes.js';
import { CATALOGUES, LANGUAGE_NAMES, pickLanguage, translator, type MessageKey } from '../core/i18n.js';
import type { ConfigResult } from '../core/popup-config.js';
import { forgetLogin, recallLogin, rememberLogin, type KeyValueStore } from '../core/remembered-login.js';
import { decideStart, type CallerProof } from '../core/start-decision.js';
import type { CallRequest, DigestAuthorizer, Phone } from '../phone/phone.js';
import { h } from './h.js';
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
  /** Told of every state, for the page that opened the popup (the binder's running-call guard). */
  onState?(state: CallState): void;
  /** The page that opened the popup (document.referrer): whether the popup may dial without asking. */
  referrer?: string;
  /** The popup was loaded inside a frame (window.top !== window): it refuses to run. */
  framed?: boolean;
  /** Seconds since 1970. */
  now?(): number;
  /** Milliseconds "Call ended" stays on screen before the window closes. */
  closeDelay?: number;
}

/** Failures the visitor can retry as they are; the others need a new link or a new login. */
const RETRYABLE: readonly ErrorCode[] = [
  'mic-denied', 'no-mic', 'pbx-unreachable', 'busy', 'not-found', 'rejected', 'no-answer', 'network',
  'media-blocked', // the visitor may have moved to another network meanwhile
];
/**
 * How long a confirmation ignores input after it is shown, focused or made visible: a page that
 * has the visitor double-click or hold Enter must not land the repeat on "Call" (clickjacking).
 */
export const CONFIRM_GUARD_MS = 1000;
/** States with a call that can carry keypad digits and mute: the media keeps flowing while the WebSocket reconnects. */
const IN_CALL: readonly CallState[] = ['established', 'reconnecting'];
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * Mounts the makecall popup into `root` and runs its flow (SPEC section 3).
 * Returns the cleanup: hangs up a running call and removes everything it added.
 */
export function mountPopup(root: HTMLElement, deps: PopupDeps): () => void {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const link = parseCallLink(deps.location);
  const config = deps.config.ok ? deps.config.config : undefined;
  // What storage holds now: logout or a refused login may forget what the popup started with.
  const recall = () => config && recallLogin(deps.storage, config.realm, { now: now(), maxAgeDays: config.rememberDays });
  const remembered = recall();
  let lang = pickLanguage([link?.lang, remembered?.lang, config?.lang, ...deps.languages]);
  let t = translator(lang);
  let state: CallState = 'login';
  let phone: Phone | undefined;
  let lastRequest: CallRequest | undefined;
  let error: ErrorCode | undefined;
  let muted = false;
  let digits = '';
  let startedAt = 0;
  let closeFailed = false;
  /** "Remember login information" was ticked: kept once the call connects, never for a wrong password. */
  let toRemember: { account: string; password: string } | undefined;
  /** The call waits for the visitor's "Call" (the opener is not trusted): what would vouch for it. */
  let asking: CallerProof | undefined;
  /** Date.now() before which the confirmation ignores input. */
  let guardUntil = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let tick: ReturnType<typeof setInterval> | undefined;

  const view = h('div', { class: 'vc' });
  root.append(view);

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
      tick = setInterval(updateTimer, 1000);
    }
    render();
    deps.onState?.(next);
  }

  function fail(code: ErrorCode): void {
    error = code;
    if (code === 'auth-failed') {
      toRemember = undefined;
      // A remembered login that the PBX refuses is useless; a typed password's failure leaves it alone.
      if (lastRequest?.ha1) forgetLogin(deps.storage);
    }
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
    current.call(request, {
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
          render();
        }
      }, 200));
    }, deps.closeDelay ?? 1000));
  }

  function hangup(): void {
    if (phone && isCallActive(state)) phone.hangup();
  }

  function logout(): void {
    forgetLogin(deps.storage);
    toRemember = undefined;
    asking = undefined;
    // Detach first: the ended call must not close the window under the login form.
    const p = phone;
    phone = undefined;
    if (p && isCallActive(state)) p.hangup();
    timers.forEach(clearTimeout);
    showLogin();
  }

  function showLogin(): void {
    error = undefined;
    if (state !== 'login') setState('login');
    else render();
  }

  function submitLogin(form: HTMLFormElement): void {
    const data = new FormData(form);
    const account = String(data.get('account') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!account || !password) {
      const msg = form.querySelector('.vc-form-msg');
      if (msg) msg.textContent = t('missingLogin');
      (form.elements.namedItem(account ? 'password' : 'account') as HTMLInputElement | null)?.focus();
      return;
    }
    // This call uses the password itself; later calls rely on the HA1 kept once this one connects.
    toRemember = data.get('remember') ? { account, password } : undefined;
    placeCall({ destnumber: link!.destnumber, account, password });
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

  function start(): void {
    const decision = decideStart({
      link, config, remembered, location: deps.location, referrer: deps.referrer, framed: deps.framed ?? false,
      canAuthorize: deps.createAuthorizer !== undefined, now: now(),
    });
    switch (decision.kind) {
      case 'fail':
        if (decision.code === 'config') console.warn('vodia-call: configuration problems:', deps.config.ok ? [] : deps.config.problems);
        return fail(decision.code);
      case 'call': return dial(decision.proof);
      case 'ask':
        asking = decision.proof;
        return showLogin();
      case 'login': return showLogin();
    }
  }

  /** Holds the confirmation's "Call" for CONFIRM_GUARD_MS from now (shown, focused or made visible). */
  function guardConfirm(): void {
    const submit = view.querySelector<HTMLButtonElement>('form[name="confirm"] [type="submit"]');
    if (!submit) return;
    guardUntil = Date.now() + CONFIRM_GUARD_MS;
    submit.disabled = true;
    timers.push(setTimeout(() => {
      if (Date.now() >= guardUntil) submit.disabled = false;
    }, CONFIRM_GUARD_MS));
  }

  function elapsed(): string {
    const s = Math.max(0, Math.floor((Date.now() - startedAt) / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  function updateTimer(): void {
    const el = view.querySelector('.vc-timer');
    if (el) el.textContent = elapsed();
  }

  function button(action: string, key: MessageKey, cls = ''): HTMLButtonElement {
    return h('button', { type: 'button', 'data-action': action, class: `vc-btn ${cls}`.trim() }, t(key));
  }

  function render(): void {
    root.setAttribute('data-state', state);
    root.setAttribute('lang', lang);
    document.documentElement.lang = lang;
    const number = link?.destnumber ?? '';
    if (number) document.title = t('title', { number });
    const status: Partial<Record<CallState, MessageKey>> = {
      connecting: 'connecting', ringing: 'ringing', established: 'established', reconnecting: 'reconnecting', ended: 'ended',
    };
    const statusKey = status[state];
    const head = h('header', { class: 'vc-head' },
      h('div', { class: 'vc-number' }, number),
      h('div', { class: 'vc-status', role: 'status', 'aria-live': 'polite' }, statusKey ? t(statusKey) : ''),
      // The timer's line is kept from dialling on, so the keypad does not jump when the call connects.
      isCallActive(state) ? h('div', { class: 'vc-timer', 'aria-label': 'Call time' }, IN_CALL.includes(state) ? elapsed() : '\u00a0') : undefined);
    const body: Node[] = [];
    const current = recall();

    if (state === 'login') {
      if (asking === 'signed-link') body.push(confirmForm());
      else if (asking === 'remembered-login' && current) body.push(confirmForm(current.account));
      else body.push(loginForm());
    }
    if (state === 'failed' && error) {
      const [msg, hint] = [t(`err.${error}` as MessageKey), t(`hint.${error}` as MessageKey)];
      body.push(h('div', { class: 'vc-alert', role: 'alert', 'data-error': error }, h('strong', {}, msg), h('p', {}, hint)));
      // Stacked: side by side, the longer translations ("Erneut versuchen") would wrap.
      const actions = h('div', { class: 'vc-actions vc-stack' });
      if (error === 'auth-failed') actions.append(button('login-again', 'loginAgain', 'vc-primary'));
      else if (RETRYABLE.includes(error) && lastRequest) actions.append(button('again', 'tryAgain', 'vc-primary'));
      actions.append(button('close', 'close'));
      body.push(actions);
    }
    if (isCallActive(state)) {
      const inCall = IN_CALL.includes(state);
      // SIP INFO digits need the WebSocket; RTP ones only the media, which carries on while it reconnects.
      const keysWork = inCall && !(state === 'reconnecting' && config?.dtmf === 'info');
      const keypad = h('div', { class: 'vc-keypad', role: 'group', 'aria-label': t('keypad') },
        ...KEYS.map((k) => h('button', { type: 'button', class: 'vc-key', 'data-dtmf': k, disabled: !keysWork, 'aria-label': k }, k)));
      body.push(h('output', { class: 'vc-digits', 'aria-label': t('keypad') }, digits), keypad,
        h('div', { class: 'vc-actions' },
          h('button', { type: 'button', class: 'vc-btn', 'data-action': 'mute', 'aria-pressed': String(muted), disabled: !inCall }, t(muted ? 'unmute' : 'mute')),
          button('hangup', 'hangup', 'vc-danger')));
    }
    if (state === 'ended' && closeFailed) body.push(h('div', { class: 'vc-actions vc-stack' }, button('again', 'callAgain', 'vc-primary')));
    const foot = state !== 'login' && current
      ? h('footer', { class: 'vc-foot' }, button('logout', 'logout', 'vc-link')) : undefined;
    view.replaceChildren(head, ...body, ...(foot ? [foot] : []));
    guardConfirm();
    focusPrimary();
  }

  function focusPrimary(): void {
    let selector = '[data-action="hangup"]';
    if (state === 'login' && view.querySelector('form[name="confirm"]')) {
      // The question, not "Call": a key held down on the opening page must not land on the button.
      selector = '.vc-confirm';
    } else if (state === 'login') {
      const account = view.querySelector<HTMLInputElement>('input[name="account"]');
      selector = account?.value ? 'input[name="password"]' : 'input[name="account"]';
    } else if (state === 'failed' || state === 'ended') {
      selector = '.vc-primary, [data-action="close"]';
    }
    view.querySelector<HTMLElement>(selector)?.focus();
  }

  /** "Call N as A?" for a remembered login (with "Log out"), "Call N?" for a signed link (with "Close"). */
  function confirmForm(account?: string): HTMLFormElement {
    const number = link?.destnumber ?? '';
    return h('form', { name: 'confirm', class: 'vc-form' },
      h('p', { class: 'vc-confirm', tabindex: '-1' }, account ? t('confirmCall', { number, account }) : t('confirmSigned', { number })),
      h('button', { type: 'submit', class: 'vc-btn vc-primary' }, t('call')),
      account ? button('logout', 'logout', 'vc-link') : button('close', 'close', 'vc-link'));
  }

  function loginForm(): HTMLFormElement {
    const account = remembered?.account ?? link?.user ?? '';
    const select = h('select', { name: 'lang', id: 'vc-lang' },
      ...Object.keys(CATALOGUES).map((code) => h('option', { value: code, selected: code === lang }, LANGUAGE_NAMES[code])));
    const form = h('form', { name: 'login', class: 'vc-form', novalidate: true },
      h('label', { for: 'vc-account' }, t('account')),
      h('input', { id: 'vc-account', name: 'account', autocomplete: 'username', placeholder: t('accountHint'), required: true, autocapitalize: 'off', spellcheck: 'false' }),
      h('label', { for: 'vc-password' }, t('password')),
      h('input', { id: 'vc-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      h('div', { class: 'vc-row' },
        h('label', { for: 'vc-lang' }, t('language')), select),
      h('div', { class: 'vc-row' },
        h('input', { id: 'vc-remember', name: 'remember', type: 'checkbox', value: '1' }),
        h('label', { for: 'vc-remember' }, t('remember'))),
      h('p', { class: 'vc-form-msg', 'aria-live': 'polite' }),
      h('button', { type: 'submit', class: 'vc-btn vc-primary' }, t('call')));
    (form.elements.namedItem('account') as HTMLInputElement).value = account;
    return form;
  }

  // Delegated listeners on the root: re-rendering never leaves stale handlers behind.
  const onClick = (e: Event) => {
    const el = (e.target as Element).closest<HTMLElement>('[data-action], [data-dtmf]');
    if (!el || !root.contains(el) || (el as HTMLButtonElement).disabled) return;
    const tone = el.getAttribute('data-dtmf');
    if (tone) return pressKey(tone);
    switch (el.getAttribute('data-action')) {
      case 'hangup': return hangup();
      case 'mute':
        muted = !muted;
        phone?.setMuted(muted);
        el.setAttribute('aria-pressed', String(muted));
        el.textContent = t(muted ? 'unmute' : 'mute');
        return;
      case 'logout': return logout();
      case 'login-again': return showLogin();
      case 'again': return lastRequest && placeCall(lastRequest);
      case 'close': return deps.closeWindow();
    }
  };
  const pressKey = (tone: string) => {
    if (!IN_CALL.includes(state) || !phone?.sendDtmf(tone)) return;
    digits = (digits + tone).slice(-14); // what fits on one line at 230 px
    const out = view.querySelector('.vc-digits');
    if (out) out.textContent = digits;
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.name === 'confirm') {
      if (!asking || Date.now() < guardUntil) return;
      const proof = asking;
      asking = undefined;
      return dial(proof);
    }
    submitLogin(form);
  };
  const onChange = (e: Event) => {
    const el = e.target as HTMLSelectElement;
    if (el.name !== 'lang' || !(el.value in CATALOGUES)) return;
    // Keep what was typed while the form is drawn again in the new language.
    const form = el.form!;
    const kept = { account: (form.elements.namedItem('account') as HTMLInputElement).value, remember: (form.elements.namedItem('remember') as HTMLInputElement).checked };
    lang = el.value;
    t = translator(lang);
    render();
    const again = view.querySelector<HTMLFormElement>('form[name="login"]');
    if (again) {
      (again.elements.namedItem('account') as HTMLInputElement).value = kept.account;
      (again.elements.namedItem('remember') as HTMLInputElement).checked = kept.remember;
      (again.elements.namedItem('lang') as HTMLSelectElement).focus();
    }
  };
  // Coming back to the window (focus, or a tab made visible) re-arms the confirmation's guard.
  const onAttention = () => {
    if (root.ownerDocument.visibilityState !== 'hidden') guardConfirm();
  };
  // The physical keypad works during a call, as on a desk phone.
  const onKey = (e: KeyboardEvent) => {
    if (IN_CALL.includes(state) && KEYS.includes(e.key) && !(e.target instanceof HTMLInputElement)) pressKey(e.key);
  };
  root.addEventListener('click', onClick);
  root.addEventListener('submit', onSubmit);
  root.addEventListener('change', onChange);
  root.ownerDocument.addEventListener('keydown', onKey);
  const win = root.ownerDocument.defaultView;
  win?.addEventListener('focus', onAttention);
  root.ownerDocument.addEventListener('visibilitychange', onAttention);

  start();

  return () => {
    hangup();
    deps.ringback?.stop();
    timers.forEach(clearTimeout);
    clearInterval(tick);
    root.removeEventListener('click', onClick);
    root.removeEventListener('submit', onSubmit);
    root.removeEventListener('change', onChange);
    root.ownerDocument.removeEventListener('keydown', onKey);
    win?.removeEventListener('focus', onAttention);
    root.ownerDocument.removeEventListener('visibilitychange', onAttention);
    view.remove();
    root.removeAttribute('data-state');
  };
}
