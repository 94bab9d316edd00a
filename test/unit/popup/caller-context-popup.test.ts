// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parsePopupConfig } from '../../../src/core/popup-config.js';
import { memoryStore } from '../../../src/core/remembered-login.js';
import { mountPopup, type PopupDeps } from '../../../src/popup/mount-popup.js';
import { FakePhone } from '../../support/fake-phone.js';

// The popup's part of the caller context and of the call events: what it hands the phone, and what it tells the opener.
const LINK = 'https://h.test/makecall.html?destnumber=100&page=https%3A%2F%2Fshop.example%2Fcontact%2F&context=Sales%0D%0AX-Evil%3A%201';
let root: HTMLElement;
let phones: FakePhone[];
let told: unknown[][];
let cleanup: (() => void) | undefined;

function mount(location: string, config: Record<string, unknown> = {}) {
  const deps: PopupDeps = {
    config: parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', ...config }),
    location,
    referrer: 'https://h.test/contact.html',
    createPhone: () => { const p = new FakePhone(); phones.push(p); return p; },
    storage: memoryStore(),
    languages: ['en-US'],
    closeWindow: () => undefined,
    isClosed: () => false,
    onState: (...args) => told.push(args),
  };
  cleanup = mountPopup(root, deps);
}
function login() {
  const form = root.querySelector<HTMLFormElement>('form[name="login"]')!;
  (form.elements.namedItem('account') as HTMLInputElement).value = '40';
  (form.elements.namedItem('password') as HTMLInputElement).value = 'pw';
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

beforeEach(() => {
  document.body.innerHTML = '<div id="vodia-call"></div>';
  root = document.getElementById('vodia-call')!;
  phones = [];
  told = [];
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

describe('the caller context in the popup', () => {
  it('hands the phone the page header; a context with a line break is left out, with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    mount(LINK);
    login();
    expect(phones[0].request?.headers).toEqual(['X-Call-Page: https://shop.example/contact/']);
    expect(warn).toHaveBeenCalledWith('vodia-call: caller context left out:', ['"context" holds control characters or broken text']);
  });

  it('hands both headers for a good link, and the same again for "Call again"', () => {
    mount('https://h.test/makecall.html?destnumber=100&page=https%3A%2F%2Fshop.example%2F&context=Support%20%C3%BC');
    login();
    const expected = ['X-Call-Page: https://shop.example/', 'X-Call-Context: Support%20%C3%BC'];
    expect(phones[0].request?.headers).toEqual(expected);
    phones[0].delegate.onFailed?.('busy');
    root.querySelector<HTMLElement>('[data-action="again"]')!.click();
    expect(phones[1].request?.headers).toEqual(expected);
  });

  it('"callerContext": false sends none', () => {
    mount('https://h.test/makecall.html?destnumber=100&page=https%3A%2F%2Fshop.example%2F&context=Support', { callerContext: false });
    login();
    expect(phones[0].request).toEqual({ destnumber: '100', account: '40', password: 'pw' });
  });

  it('"callerContext" must be true or false', () => {
    const got = parsePopupConfig({ server: 'wss://pbx.test/ws', domain: 'pbx.test', callerContext: 'no' });
    expect(got).toEqual({ ok: false, problems: ['"callerContext" must be true or false'] });
  });
});

describe('the popup tells the opener each state, and the error of a failed one', () => {
  it('connecting, ringing, failed with its code; no error on the others', () => {
    mount('https://h.test/makecall.html?destnumber=100');
    login();
    phones[0].delegate.onProgress?.('ringing');
    phones[0].delegate.onFailed?.('busy');
    expect(told.map(([state, , error]) => [state, error])).toEqual([
      ['connecting', undefined], ['ringing', undefined], ['failed', 'busy'],
    ]);
    // The binder's question rides along as before.
    expect(told.every(([, ask]) => typeof ask === 'string')).toBe(true);
  });

  it('a failure before any call (a broken link) carries its code too', () => {
    mount('https://h.test/makecall.html?destnumber=12ab');
    expect(told.map(([state, , error]) => [state, error])).toEqual([['failed', 'link-invalid']]);
  });
});
