// @vitest-environment happy-dom
import md5 from 'blueimp-md5';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../src/core/error-codes.js';
import { CATALOGUES } from '../../../src/core/catalogues.js';
import { parsePopupConfig, type ConfigResult } from '../../../src/core/popup-config.js';
import { LOGIN_KEY, memoryStore } from '../../../src/core/remembered-login.js';
import { signLink } from '../../../src/core/sign-link.js';
import type { DigestAuthorizer } from '../../../src/phone/phone.js';
import { CONFIRM_GUARD_MS, mountPopup, type PopupDeps } from '../../../src/popup/mount-popup.js';
import { FakePhone } from '../../support/fake-phone.js';

const CONFIG = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test' });
const NOW = 1764153600;

let root: HTMLElement;
let phones: FakePhone[];
let cleanup: (() => void) | undefined;
let closed: boolean;
let closeCalls: number;
let states: string[];
let ring: { start: ReturnType<typeof vi.fn<() => void>>; stop: ReturnType<typeof vi.fn<() => void>> };

function mount(location: string, over: Partial<PopupDeps> = {}, store = memoryStore()) {
  const deps: PopupDeps = {
    config: CONFIG,
    location,
    referrer: 'https://h.test/contact.html', // the binder on the site's own page
    createPhone: () => { const p = new FakePhone(); phones.push(p); return p; },
    storage: store,
    languages: ['en-US'],
    closeWindow: () => { closeCalls++; },
    isClosed: () => closed,
    ringback: ring,
    onState: (s) => states.push(s),
    now: () => NOW,
    closeDelay: 1000,
    catalogue: (lang) => CATALOGUES[lang],
    ...over,
  };
  cleanup = mountPopup(root, deps);
  return { store, deps };
}
const phone = () => phones[phones.length - 1];
const state = () => root.getAttribute('data-state');
const q = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel);
function login(account = '40', password = 'pw', remember = false) {
  const form = q<HTMLFormElement>('form[name="login"]')!;
  (form.elements.namedItem('account') as HTMLInputElement).value = account;
  (form.elements.namedItem('password') as HTMLInputElement).value = password;
  (form.elements.namedItem('remember') as HTMLInputElement).checked = remember;
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}
function click(sel: string) {
  q<HTMLElement>(sel)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
}

beforeEach(() => {
  document.body.innerHTML = '<div id="vodia-call"></div>';
  root = document.getElementById('vodia-call')!;
  phones = [];
  closed = false;
  closeCalls = 0;
  states = [];
  ring = { start: vi.fn<() => void>(), stop: vi.fn<() => void>() };
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

describe('login form (DOM contract)', () => {
  it('shows form[name=login] with account, password, lang, remember and an accessible submit', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    expect(state()).toBe('login');
    const form = q<HTMLFormElement>('form[name="login"]')!;
    for (const name of ['account', 'password', 'lang', 'remember']) expect(form.elements.namedItem(name), name).not.toBeNull();
    // every field has a label
    for (const el of Array.from(form.querySelectorAll('input, select'))) {
      expect(form.querySelector(`label[for="${el.id}"]`), el.getAttribute('name')!).not.toBeNull();
    }
    expect(form.querySelector('button[type="submit"]')?.textContent).toBe('Call');
    expect(document.title).toBe('Call 100');
    expect(phones).toHaveLength(0);
  });

  it('prefills the account from the link and asks for what is missing', () => {
    mount('https://h.test/makecall.html?destnumber=100&user=40%40pbx.test');
    expect((q<HTMLInputElement>('input[name="account"]'))!.value).toBe('40@pbx.test');
    login('40@pbx.test', '');
    expect(state()).toBe('login');
    expect(q('.vc-form-msg')!.textContent).toBe('Enter your account and password.');
    expect(phones).toHaveLength(0);
  });

  it('switches language in place and keeps what was typed', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    (q<HTMLInputElement>('input[name="account"]'))!.value = '41';
    const select = q<HTMLSelectElement>('select[name="lang"]')!;
    select.value = 'de';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(q('button[type="submit"]')!.textContent).toBe('Anrufen');
    expect(q<HTMLInputElement>('input[name="account"]')!.value).toBe('41');
    expect(root.getAttribute('lang')).toBe('de');
  });

  it('a missing field is marked aria-invalid and described by the message, until the form shows again', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    const form = q<HTMLFormElement>('form[name="login"]')!;
    (form.elements.namedItem('account') as HTMLInputElement).value = '40';
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    const password = q('input[name="password"]')!;
    expect(q('.vc-form-msg')!.textContent).toBe('Enter your account and password.');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(password.getAttribute('aria-describedby')).toBe(q('.vc-form-msg')!.id);
    expect(q('input[name="account"]')!.hasAttribute('aria-invalid')).toBe(false);
    expect(document.activeElement).toBe(password);
    expect(phones).toHaveLength(0);
  });

  it.each([['lang parameter', 'destnumber=1&lang=fr', ['en'], 'Appeler'], ['browser language', 'destnumber=1', ['nl-BE', 'en'], 'Bellen']])(
    'picks the language from the %s', (_c, query, languages, callLabel) => {
      mount(`https://h.test/makecall.html?${query}`, { languages });
      expect(q('button[type="submit"]')!.textContent).toBe(callLabel);
    });
});

describe('a call from the login form', () => {
  it('goes connecting -> ringing -> established, with ringback only while ringing and a timer', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login('40', 'pw');
    expect(state()).toBe('connecting');
    expect(phone().request).toEqual({ destnumber: '100', account: '40', password: 'pw' });
    phone().delegate.onProgress?.('ringing');
    expect(state()).toBe('ringing');
    expect(ring.start).toHaveBeenCalledTimes(1);
    expect(q('.vc-status')!.textContent).toBe('Ringing…');
    phone().delegate.onProgress?.('established');
    expect(state()).toBe('established');
    expect(ring.stop).toHaveBeenCalled();
    vi.advanceTimersByTime(65_000);
    expect(q('.vc-timer')!.textContent).toBe('01:05');
    expect(states).toEqual(['connecting', 'ringing', 'established']);
  });

  it('sends keypad digits only once established, shows them, and has all twelve keys', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    const keys = Array.from(root.querySelectorAll('[data-dtmf]')).map((k) => k.getAttribute('data-dtmf'));
    expect(keys.sort()).toEqual(['#', '*', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    click('[data-dtmf="5"]'); // disabled while connecting
    expect(phone().tones).toEqual([]);
    phone().delegate.onProgress?.('established');
    for (const k of ['1', '2', '3', '*', '#', '0']) click(`[data-dtmf="${k}"]`);
    expect(phone().tones).toEqual(['1', '2', '3', '*', '#', '0']);
    expect(q('.vc-digits')!.textContent).toBe('123*#0');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: '7', bubbles: true }));
    expect(phone().tones[phone().tones.length - 1]).toBe('7');
  });

  it('mutes and unmutes, with aria-pressed', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    click('[data-action="mute"]');
    expect(phone().muted).toEqual([true]);
    // A toggle keeps its name; aria-pressed alone says it is on (not "Unmute, pressed").
    expect(q('[data-action="mute"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(q('[data-action="mute"]')!.textContent).toBe('Mute');
    click('[data-action="mute"]');
    expect(phone().muted).toEqual([true, false]);
    expect(q('[data-action="mute"]')!.getAttribute('aria-pressed')).toBe('false');
  });

  it('far-end hangup: ended, "Call ended", then window.close() after about a second', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    phone().delegate.onEnded?.('remote');
    expect(state()).toBe('ended');
    expect(q('.vc-status')!.textContent).toBe('Call ended');
    expect(closeCalls).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(closeCalls).toBe(1);
    closed = true;
    vi.advanceTimersByTime(500);
    expect(q('[data-action="again"]')).toBeNull();
  });

  it('local hangup ends the call the same way', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    click('[data-action="hangup"]');
    expect(phone().hangups).toBe(1);
    expect(state()).toBe('ended');
    vi.advanceTimersByTime(1000);
    expect(closeCalls).toBe(1);
  });

  it('a window that cannot close stays on "ended" with "Call again", which calls again', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login('40', 'pw');
    phone().delegate.onProgress?.('established');
    phone().delegate.onEnded?.('remote');
    vi.advanceTimersByTime(1300);
    expect(state()).toBe('ended');
    click('[data-action="again"]');
    expect(phones).toHaveLength(2);
    expect(phone().request).toEqual({ destnumber: '100', account: '40', password: 'pw' });
    expect(state()).toBe('connecting');
  });

  it('a WebSocket drop shows "Reconnecting…" with the keypad, timer and hangup still there, then the call again', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    vi.advanceTimersByTime(65_000);
    phone().delegate.onProgress?.('reconnecting');
    expect(state()).toBe('reconnecting');
    expect(q('.vc-status')!.textContent).toBe('Reconnecting…');
    expect(q('.vc-timer')!.textContent).toBe('01:05');
    expect(q<HTMLButtonElement>('[data-dtmf="5"]')!.disabled).toBe(false);
    click('[data-dtmf="5"]');
    expect(phone().tones).toEqual(['5']);
    vi.advanceTimersByTime(2000);
    phone().delegate.onProgress?.('established');
    expect(state()).toBe('established');
    // the same call: its timer was not reset
    expect(q('.vc-timer')!.textContent).toBe('01:07');
    vi.advanceTimersByTime(1000);
    expect(q('.vc-timer')!.textContent).toBe('01:08');
    expect(states).toEqual(['connecting', 'established', 'reconnecting', 'established']);
  });

  it('with SIP INFO digits the keypad waits out a reconnect (INFO needs the WebSocket)', () => {
    mount('https://h.test/makecall.html?destnumber=100', { config: parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', dtmf: 'info' }) });
    login();
    phone().delegate.onProgress?.('established');
    expect(q<HTMLButtonElement>('[data-dtmf="5"]')!.disabled).toBe(false);
    phone().delegate.onProgress?.('reconnecting');
    expect(q<HTMLButtonElement>('[data-dtmf="5"]')!.disabled).toBe(true);
    expect(q<HTMLButtonElement>('[data-action="hangup"]')!.disabled).toBe(false);
  });

  it('hangup while reconnecting ends the call; a failed reconnect ends in network', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    phone().delegate.onProgress?.('reconnecting');
    click('[data-action="hangup"]');
    expect(phone().hangups).toBe(1);
    expect(state()).toBe('ended');
    expect(q('[data-action="again"]')).toBeNull(); // not while the window closes
    vi.advanceTimersByTime(1300);
    click('[data-action="again"]');
    phone().delegate.onProgress?.('established');
    phone().delegate.onProgress?.('reconnecting');
    phone().delegate.onFailed?.('network');
    expect(state()).toBe('failed');
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('network');
  });

  it('ignores a late report from an earlier phone', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onFailed?.('busy');
    const first = phone();
    click('[data-action="again"]');
    first.delegate.onProgress?.('established');
    first.delegate.onFailed?.('network');
    expect(state()).toBe('connecting');
  });
});

describe('the frame is built once (screen readers hear each state; the focus stays put)', () => {
  it('keeps one role=status node from dialling to the end, its text following the state', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    const status = q('[role="status"]')!;
    login();
    const seen: string[] = [];
    for (const s of ['ringing', 'established', 'reconnecting', 'established'] as const) {
      phone().delegate.onProgress?.(s);
      expect(q('[role="status"]')).toBe(status);
      seen.push(status.textContent!);
    }
    phone().delegate.onEnded?.('remote');
    expect(q('[role="status"]')).toBe(status);
    expect([...seen, status.textContent]).toEqual(['Ringing…', 'Connected', 'Reconnecting…', 'Connected', 'Call ended']);
  });

  it('"Hang up" keeps the focus through ringing, the answer and a reconnect, and the keypad stays the same nodes', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    const hangup = q('[data-action="hangup"]')!;
    const key5 = q('[data-dtmf="5"]')!;
    expect(document.activeElement).toBe(hangup);
    phone().delegate.onProgress?.('ringing');
    phone().delegate.onProgress?.('established');
    key5.focus();
    phone().delegate.onProgress?.('reconnecting');
    phone().delegate.onProgress?.('established');
    vi.advanceTimersByTime(3000); // the timer ticks without moving anything
    expect(q('[data-action="hangup"]')).toBe(hangup);
    expect(q('[data-dtmf="5"]')).toBe(key5);
    expect(document.activeElement).toBe(key5);
    expect(q('.vc-timer')!.textContent).toBe('00:03');
  });
});

describe('every failure has its alert, message and way out', () => {
  const RETRY = ['mic-denied', 'no-mic', 'pbx-unreachable', 'busy', 'not-found', 'rejected', 'no-answer', 'network', 'media-blocked'];
  it.each(ERROR_CODES.filter((c) => !['config', 'link-expired', 'link-invalid', 'framed', 'closed', 'unsupported'].includes(c)).map((c) => [c]))('%s', (code) => {
    mount('https://h.test/makecall.html?destnumber=100&lang=de');
    login();
    phone().delegate.onFailed?.(code as ErrorCode);
    expect(state()).toBe('failed');
    const alert = q('[role="alert"]')!;
    expect(alert.getAttribute('data-error')).toBe(code);
    expect(alert.textContent).toContain(CATALOGUES.de[`err.${code}` as keyof typeof CATALOGUES.de]);
    expect(alert.textContent).toContain(CATALOGUES.de[`hint.${code}` as keyof typeof CATALOGUES.de]);
    if (RETRY.includes(code)) {
      click('[data-action="again"]');
      expect(state()).toBe('connecting');
    } else {
      expect(code).toBe('auth-failed');
      click('[data-action="login-again"]');
      expect(state()).toBe('login');
    }
  });

  it('no call is placed and no error thrown when the configuration is broken', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    mount('https://h.test/makecall.html?destnumber=100', { config: parsePopupConfig({}) as ConfigResult });
    expect(state()).toBe('failed');
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('config');
    expect(q('[data-action="again"]')).toBeNull();
    expect(phones).toHaveLength(0);
    expect(warn).toHaveBeenCalled();
  });

  it('inside a frame it refuses to run: framed, no call, no form (clickjacking)', () => {
    const store = memoryStore();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW }));
    mount('https://h.test/makecall.html?destnumber=100', { framed: true }, store);
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('framed');
    expect(q('form')).toBeNull();
    expect(q('[data-action="again"]')).toBeNull();
    expect(phones).toHaveLength(0);
  });

  it.each([['no destnumber', 'user=40'], ['a bad number', 'destnumber=12ab'], ['half a signature', 'destnumber=1&pass=x']])(
    'a malformed link (%s) is link-invalid', (_c, query) => {
      mount(`https://h.test/makecall.html?${query}`);
      expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-invalid');
      expect(phones).toHaveLength(0);
    });
});

describe('office hours and browsers without WebRTC: no call, other ways through', () => {
  // NOW is Wednesday 2025-11-26, 10:40 UTC: 11:40 in Berlin.
  const withHours = (wed: string[], extra: Record<string, unknown> = {}) => parsePopupConfig({
    server: 'wss://pbx.test/ws', domain: 'pbx.test',
    officeHours: { timeZone: 'Europe/Berlin', days: { wed, thu: ['09:00-17:00'] }, closed: ['2025-11-27'] },
    fallback: { url: 'https://h.test/contact', tel: '+4930123456' }, ...extra,
  });
  const remembered = () => {
    const store = memoryStore();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW }));
    return store;
  };

  it('closed: the message, the next opening in the visitor\'s zone, the contact page, the number, Close; no call, no form', () => {
    // A remembered login from the site's own page would dial at once: closed wins.
    mount('https://h.test/makecall.html?destnumber=100', { config: withHours(['13:00-17:00']), timeZone: 'Asia/Tokyo' }, remembered());
    expect(state()).toBe('failed');
    const alert = q('[role="alert"]')!;
    expect(alert.getAttribute('data-error')).toBe('closed');
    // 13:00 in Berlin is 21:00 in Tokyo, the same Wednesday.
    expect(alert.textContent).toBe('We are closed now.We open again on Wednesday, November 26 at 9:00 PM.');
    const contact = q<HTMLAnchorElement>('a[href="https://h.test/contact"]')!;
    expect(contact.textContent).toBe('Contact us');
    expect([contact.target, contact.rel]).toEqual(['_blank', 'noopener']);
    const tel = q<HTMLAnchorElement>('a[href^="tel:"]')!;
    expect([tel.getAttribute('href'), tel.textContent]).toEqual(['tel:+4930123456', 'Call +4930123456']);
    expect(q('[data-action="close"]')).not.toBeNull();
    expect(q('[data-action="again"]')).toBeNull();
    expect(q('form')).toBeNull();
    expect(document.activeElement).toBe(contact); // the first way on
    expect(phones).toHaveLength(0); // no phone: no microphone prompt, no WebSocket
    expect(states).toEqual(['failed']);
    click('[data-action="close"]');
    expect(closeCalls).toBe(1);
  });

  it('closed after hours skips the closed date and speaks the visitor\'s language, in Los Angeles', () => {
    mount('https://h.test/makecall.html?destnumber=100&lang=de', { config: withHours(['09:00-11:00']), timeZone: 'America/Los_Angeles' });
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('closed');
    // Thursday the 27th is closed; the next Wednesday opens 09:00 Berlin = 00:00 in Los Angeles.
    expect(q('[role="alert"] p')!.textContent).toBe('Wir sind am Mittwoch, 3. Dezember um 00:00 wieder erreichbar.');
    expect(q('[role="alert"] strong')!.textContent).toBe('Wir haben gerade geschlossen.');
    expect(q('a[href^="tel:"]')!.textContent).toBe('+4930123456 anrufen');
  });

  it('closed with no opening in two weeks and no fallback: the general hint and Close only', () => {
    mount('https://h.test/makecall.html?destnumber=100', {
      config: parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', officeHours: { timeZone: 'Europe/Berlin', days: {} } }),
    });
    expect(q('[role="alert"] p')!.textContent).toBe('Please try again during our office hours.');
    expect(q('a')).toBeNull();
    expect(document.activeElement).toBe(q('[data-action="close"]'));
  });

  it('open hours call as before, from the login form', () => {
    mount('https://h.test/makecall.html?destnumber=100', { config: withHours(['09:00-12:30']) });
    expect(state()).toBe('login');
    login();
    expect(phones).toHaveLength(1);
    expect(state()).toBe('connecting');
  });

  it('unsupported: the message, another browser, the tel: link and Close; no contact page, no call, no form', () => {
    mount('https://h.test/makecall.html?destnumber=100', { config: withHours(['09:00-12:30']), webrtc: false }, remembered());
    const alert = q('[role="alert"]')!;
    expect(alert.getAttribute('data-error')).toBe('unsupported');
    expect(alert.textContent).toBe('This browser cannot place calls.Open this page in another browser, such as Firefox, Chrome, Edge or Safari.');
    const tel = q<HTMLAnchorElement>('a[href^="tel:"]')!;
    expect(tel.getAttribute('href')).toBe('tel:+4930123456');
    expect(tel.classList.contains('vc-primary')).toBe(true);
    expect(document.activeElement).toBe(tel);
    expect(q('a[href^="https:"]')).toBeNull();
    expect(q('form')).toBeNull();
    expect(phones).toHaveLength(0);
  });

  it('unsupported comes before closed, and without a fallback offers Close alone', () => {
    mount('https://h.test/makecall.html?destnumber=100', { config: withHours([], { fallback: undefined }), webrtc: false });
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('unsupported');
    expect(q('a')).toBeNull();
    expect(Array.from(root.querySelectorAll('button')).map((b) => b.textContent)).toEqual(['Close']);
    expect(phones).toHaveLength(0);
  });

  it('the fallback actions and the opening speak the link\'s language (French; Wednesday empty, Thursday closed)', () => {
    mount('https://h.test/makecall.html?destnumber=100&lang=fr', { config: withHours([]), timeZone: 'Europe/Paris' });
    expect(q('a[href^="https:"]')!.textContent).toBe('Nous contacter');
    expect(q('a[href^="tel:"]')!.textContent).toBe('Appeler le +4930123456');
    expect(q('[role="alert"] p')!.textContent).toBe('Nous rouvrons le jeudi 4 décembre à 09:00.');
  });
});

describe('signed links', () => {
  function signedUrl(time = NOW, duration = 3600, dest = '100') {
    const user = '40@pbx.test';
    const pass = signLink({ user, password: 'secret', destnumber: dest, time, duration });
    return `https://h.test/makecall.html?destnumber=${dest}&user=${encodeURIComponent(user)}&pass=${pass}&time=${time}&duration=${duration}`;
  }
  const authorizeConfig = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', authorizeUrl: 'https://site.test/wp-json/vodia-call/v1/authorize' });

  it('with a server that vouches: calls at once through the authorizer, no password anywhere', () => {
    const authorizer: DigestAuthorizer = { authorize: vi.fn() };
    const createAuthorizer = vi.fn(() => authorizer);
    mount(signedUrl(), { config: authorizeConfig, createAuthorizer });
    expect(state()).toBe('connecting');
    expect(createAuthorizer).toHaveBeenCalledWith('https://site.test/wp-json/vodia-call/v1/authorize', expect.objectContaining({ destnumber: '100', user: '40@pbx.test' }));
    expect(phone().request).toEqual({ destnumber: '100', account: '40@pbx.test', authorizer });
  });

  it.each([
    ['another site', 'https://evil.example/premium.html'],
    ['no referrer at all', ''],
  ])('with a server, opened from %s: asks "Call N?" first, and dials only on a click after the guard', (_c, referrer) => {
    const authorizer: DigestAuthorizer = { authorize: vi.fn() };
    mount(signedUrl(), { config: authorizeConfig, createAuthorizer: () => authorizer, referrer });
    expect(state()).toBe('login');
    expect(phones).toHaveLength(0);
    const confirm = q<HTMLFormElement>('form[name="confirm"]')!;
    expect(confirm.querySelector('.vc-confirm')!.textContent).toBe('Call 100?');
    expect(confirm.querySelector('[data-action="close"]')).not.toBeNull();
    expect(confirm.querySelector('[data-action="logout"]')).toBeNull();
    confirm.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(phones).toHaveLength(0); // inside the guard: ignored
    vi.advanceTimersByTime(CONFIRM_GUARD_MS);
    confirm.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(state()).toBe('connecting');
    expect(phone().request).toEqual({ destnumber: '100', account: '40@pbx.test', authorizer });
  });

  it('with a server, a trusted origin of the configuration (WordPress: the home URL) dials at once', () => {
    const config = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', authorizeUrl: 'https://site.test/wp-json/x', trustedOrigins: ['https://www.site.test'] });
    mount(signedUrl(), { config, createAuthorizer: () => ({ authorize: vi.fn() }), referrer: 'https://www.site.test/contact/' });
    expect(state()).toBe('connecting');
  });

  it('without such a server: the login form, account filled in', () => {
    mount(signedUrl());
    expect(state()).toBe('login');
    expect(q<HTMLInputElement>('input[name="account"]')!.value).toBe('40@pbx.test');
  });

  it('without such a server, an expired link says so and places no call', () => {
    mount(signedUrl(NOW - 7200));
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-expired');
    expect(phones).toHaveLength(0);
  });

  it('without such a server, a link from the future or too long-lived is invalid', () => {
    mount(signedUrl(NOW + 3600));
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-invalid');
    cleanup!();
    mount(signedUrl(NOW, 90000));
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-invalid');
  });

  it('with a server, the visitor\'s clock does not judge the link: the server does', () => {
    // A visitor whose clock runs two hours fast would see a fresh link as expired.
    mount(signedUrl(NOW - 7200), { config: authorizeConfig, createAuthorizer: () => ({ authorize: vi.fn() }) });
    expect(state()).toBe('connecting');
    phone().delegate.onFailed?.('link-expired'); // what the server's 403 "expired" becomes
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-expired');
  });

  it('with a server, a malformed signed link still fails at once', () => {
    const url = signedUrl().replace(/time=(\d+)/, 'time=0$1');
    mount(url, { config: authorizeConfig, createAuthorizer: () => ({ authorize: vi.fn() }) });
    expect(q('[role="alert"]')!.getAttribute('data-error')).toBe('link-invalid');
    expect(phones).toHaveLength(0);
  });
});

describe('remembered login', () => {
  it('remember keeps HA1 only, once the call connects; the next popup calls without the form', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'hunter2', true);
    expect(store.map.has(LOGIN_KEY)).toBe(false); // not before the PBX accepted it
    phone().delegate.onProgress?.('established');
    expect(store.map.get(LOGIN_KEY)).not.toContain('hunter2');
    expect(JSON.parse(store.map.get(LOGIN_KEY)!).ha1).toBe(md5('40:pbx.test:hunter2'));
    cleanup!();
    mount('https://h.test/makecall.html?destnumber=101', {}, store);
    expect(state()).toBe('connecting');
    expect(phone().request).toEqual({ destnumber: '101', account: '40', ha1: md5('40:pbx.test:hunter2') });
  });

  it('a wrong password with "remember" ticked is not kept', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'wrong', true);
    phone().delegate.onFailed?.('auth-failed');
    expect(store.map.size).toBe(0);
  });

  it('"remember" survives a retry after busy, and is kept when the retry connects', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'pw', true);
    phone().delegate.onFailed?.('busy');
    click('[data-action="again"]');
    phone().delegate.onProgress?.('established');
    expect(store.map.has(LOGIN_KEY)).toBe(true);
  });

  it.each([
    ['another site', 'https://evil.example/page.html'],
    ['no referrer at all', ''],
  ])('opened from %s, a remembered login asks before it dials', (_c, referrer) => {
    const store = memoryStore();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW }));
    mount('https://h.test/makecall.html?destnumber=0900123456', { referrer }, store);
    expect(state()).toBe('login');
    expect(phones).toHaveLength(0);
    const confirm = q<HTMLFormElement>('form[name="confirm"]')!;
    expect(confirm.textContent).toContain('Call 0900123456 as 40?');
    // Not "Call": a key held down on the opening page would land on it.
    expect(document.activeElement).toBe(confirm.querySelector('.vc-confirm'));
    const submit = confirm.querySelector<HTMLButtonElement>('[type="submit"]')!;
    expect(submit.disabled).toBe(true);
    confirm.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(phones).toHaveLength(0);
    vi.advanceTimersByTime(CONFIRM_GUARD_MS);
    expect(submit.disabled).toBe(false);
    confirm.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(state()).toBe('connecting');
    expect(phone().request).toEqual({ destnumber: '0900123456', account: '40', ha1: 'a'.repeat(32) });
  });

  it('a trusted origin from the configuration dials at once; logout from the question shows the form', () => {
    const store = memoryStore();
    const login40 = JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW });
    store.setItem(LOGIN_KEY, login40);
    const config = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', trustedOrigins: ['https://www.example.com'] });
    mount('https://h.test/makecall.html?destnumber=100', { referrer: 'https://www.example.com/team/', config }, store);
    expect(state()).toBe('connecting');
    cleanup!();
    mount('https://h.test/makecall.html?destnumber=100', { referrer: 'https://other.example/' }, store);
    click('form[name="confirm"] [data-action="logout"]');
    expect(store.map.has(LOGIN_KEY)).toBe(false);
    expect(q('form[name="login"]')).not.toBeNull();
    expect(phones).toHaveLength(1);
  });

  it('focusing the window or showing its tab again re-arms the guard', () => {
    const store = memoryStore();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW }));
    mount('https://h.test/makecall.html?destnumber=100', { referrer: '' }, store);
    const confirm = q<HTMLFormElement>('form[name="confirm"]')!;
    const submit = () => confirm.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    vi.advanceTimersByTime(CONFIRM_GUARD_MS + 500);
    window.dispatchEvent(new Event('focus'));
    submit();
    expect(phones).toHaveLength(0);
    vi.advanceTimersByTime(CONFIRM_GUARD_MS);
    document.dispatchEvent(new Event('visibilitychange'));
    vi.advanceTimersByTime(CONFIRM_GUARD_MS - 1);
    submit();
    expect(phones).toHaveLength(0);
    vi.advanceTimersByTime(1);
    submit();
    expect(phones).toHaveLength(1);
  });

  it('a login older than rememberDays (30 by default) is forgotten; the form shows', () => {
    const store = memoryStore();
    const entry = (days: number) => JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'pbx.test', savedAt: NOW - days * 86400 });
    store.setItem(LOGIN_KEY, entry(29));
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    expect(state()).toBe('connecting');
    cleanup!();
    store.setItem(LOGIN_KEY, entry(31));
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    expect(state()).toBe('login');
    expect(q('form[name="login"]')).not.toBeNull();
    expect(store.map.has(LOGIN_KEY)).toBe(false);
    cleanup!();
    store.setItem(LOGIN_KEY, entry(31));
    const config = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', rememberDays: 90 });
    mount('https://h.test/makecall.html?destnumber=100', { config }, store);
    expect(state()).toBe('connecting');
  });

  it('without "remember" nothing is kept', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'pw', false);
    expect(store.map.size).toBe(0);
  });

  it('logout forgets it and brings the form back, hanging up a running call', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'pw', true);
    phone().delegate.onProgress?.('established');
    click('[data-action="logout"]');
    expect(phone().hangups).toBe(1);
    expect(state()).toBe('login');
    expect(store.map.has(LOGIN_KEY)).toBe(false);
    vi.advanceTimersByTime(3000);
    expect(closeCalls).toBe(0); // the ended call must not close the window under the form
  });

  it('a remembered login that fails auth is forgotten; a typed password that fails leaves it', () => {
    const store = memoryStore();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    login('40', 'pw', true);
    phone().delegate.onProgress?.('established');
    cleanup!();
    mount('https://h.test/makecall.html?destnumber=100', {}, store);
    expect(phone().request?.ha1).toBeDefined(); // called with the remembered login
    phone().delegate.onFailed?.('auth-failed');
    expect(store.map.has(LOGIN_KEY)).toBe(false);

    // A signed link with no server to vouch shows the form even with a remembered login; a typo
    // typed there must not cost the visitor the login they remembered.
    const remembered = JSON.stringify({ account: '40', ha1: '0'.repeat(32), realm: 'pbx.test', savedAt: NOW });
    store.setItem(LOGIN_KEY, remembered);
    cleanup!();
    const pass = signLink({ user: '40', password: 'secret', destnumber: '100', time: NOW, duration: 3600 });
    mount(`https://h.test/makecall.html?destnumber=100&user=40&pass=${pass}&time=${NOW}&duration=3600`, {}, store);
    expect(state()).toBe('login');
    login('40', 'typo');
    phone().delegate.onFailed?.('auth-failed');
    expect(store.map.get(LOGIN_KEY)).toBe(remembered);
  });
});

describe('cleanup', () => {
  it('hangs up a running call and leaves nothing behind', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phone().delegate.onProgress?.('established');
    const p = phone();
    cleanup!();
    cleanup = undefined;
    expect(p.hangups).toBe(1);
    expect(root.innerHTML).toBe('');
    expect(root.getAttributeNames()).toEqual(['id']);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
    expect(p.tones).toEqual([]);
  });
});
