import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { openSession } from '../../scripts/lib/webkit.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// A visitor whose browser cannot place calls: WebKitGTK as Debian builds it, with getUserMedia but no
// RTCPeerConnection. The popup must say so at once (data-error="unsupported"), ask for nothing, offer the
// phone number when the site has one, and leave no error behind, whether opened directly or by the binder.

interface Session {
  navigate(url: string): Promise<void>;
  url(): Promise<string>;
  execute<T = unknown>(script: string, args?: unknown[]): Promise<T>;
  waitFor<T = unknown>(script: string, options?: { timeout?: number; message?: string }): Promise<T>;
  click(selector: string): Promise<void>;
  windowHandle(): Promise<string>;
  windowHandles(): Promise<string[]>;
  switchToWindow(handle: string): Promise<void>;
  screenshot(): Promise<Buffer>;
  quit(): Promise<void>;
}

/** What the popup shows, read in one go. */
interface PopupView {
  state: string | null;
  error: string | null;
  alert: string;
  lang: string;
  login: boolean;
  tel: string | null;
  close: boolean;
}

const OUT = resolve(REPO_ROOT, 'test-output/screenshots');
const TEL = '+4930123456';
const BASE_CONFIG = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };
let config: object = BASE_CONFIG;

// Runs first in each page we serve, before the page's own scripts: records uncaught errors, failed
// resources, rejected promises nobody handled, console.error, and every microphone request. WebDriver
// classic has no console log of its own, so the page keeps the record and the test reads it.
const OBSERVER = `<script>(() => {
  const seen = window.__vodiaSeen = { problems: [], microphone: 0 };
  addEventListener('error', (e) => seen.problems.push(e.target === window
    ? 'uncaught: ' + e.message + (e.error && e.error.stack ? ' at ' + e.error.stack : '')
    : 'failed to load: ' + (e.target.src || e.target.href || e.target.tagName)), true);
  addEventListener('unhandledrejection', (e) => seen.problems.push('unhandled rejection: ' + String(e.reason)));
  const error = console.error;
  console.error = function (...args) { seen.problems.push('console.error: ' + args.map(String).join(' ')); return error.apply(this, args); };
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const ask = media.getUserMedia;
    media.getUserMedia = function (...args) { seen.microphone++; return ask.apply(this, args); };
  }
})();</script>`;

/** The built makecall.html exactly as shipped, with the observer as the first thing in its head. */
const popupHtml = () => readFileSync(resolve(REPO_ROOT, 'dist/makecall.html'), 'utf8').replace('<head>', `<head>\n${OBSERVER}`);

const binderPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contact</title>
<link rel="icon" href="data:,">${OBSERVER}
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script></head>
<body><p>Questions? <a href="#" data-vodia-call="100">Call us</a></p></body></html>`;

// A page that does every wrong thing the observer is there to catch.
const noisyPage = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${OBSERVER}
<script>console.error('noisy console'); Promise.reject(new Error('noisy rejection'));</script>
<script src="/missing.js"></script><script>setTimeout(() => { throw new Error('noisy throw'); });</script>`;

let server: { url: string; close(): Promise<void> };
const sessions: Session[] = [];

beforeAll(async () => {
  if (!existsSync(resolve(REPO_ROOT, 'dist/makecall.html'))) throw new Error('no dist/makecall.html: run node build.mjs first');
  mkdirSync(OUT, { recursive: true });
  server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    files: {
      '/makecall.html': popupHtml,
      '/makecall.config.json': () => JSON.stringify(config),
      '/contact.html': binderPage,
      '/noisy.html': noisyPage,
      '/blank.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>blank</title>',
    },
  });
});
afterEach(async () => {
  config = BASE_CONFIG;
  await Promise.allSettled(sessions.splice(0).map((s) => s.quit()));
});
afterAll(async () => {
  await server?.close();
});

async function browser(): Promise<Session> {
  const session = (await openSession(inject('webkitDriverUrl'))) as Session;
  sessions.push(session);
  return session;
}

/**
 * Waits up to 8 s for the popup to fail with an alert (today's popup never does: it shows its login form),
 * then reads what it shows, so a failing test says what the visitor saw instead.
 */
async function popupView(s: Session): Promise<PopupView> {
  await s.waitFor('return document.querySelector(\'#vodia-call[data-state="failed"] [role="alert"]\')', { timeout: 8_000 })
    .catch(() => undefined);
  return s.execute<PopupView>(`
    const root = document.getElementById('vodia-call');
    const alert = root && root.querySelector('[role="alert"]');
    const tel = root && root.querySelector('a[href^="tel:"]');
    return {
      state: root && root.getAttribute('data-state'),
      error: alert && alert.getAttribute('data-error'),
      alert: alert ? alert.textContent.trim() : '',
      lang: document.documentElement.lang,
      login: !!document.querySelector('form[name="login"]'),
      tel: tel && tel.getAttribute('href'),
      close: !!(root && root.querySelector('button[data-action="close"]')),
    };`);
}

/** Reads until `done` says so or 8 s have passed, and returns the last reading either way. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 8_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

const seen = (s: Session) => s.execute<{ problems: string[]; microphone: number }>('return window.__vodiaSeen');

describe('WebKitGTK, a real browser without WebRTC', () => {
  it('is one: no RTCPeerConnection, but getUserMedia (so the popup must not rely on the microphone API alone)', async () => {
    const s = await browser();
    await s.navigate(`${server.url}/blank.html`);
    const api = await s.execute<Record<string, string>>(`return {
      pc: typeof RTCPeerConnection, webkitPc: typeof webkitRTCPeerConnection,
      gum: typeof (navigator.mediaDevices && navigator.mediaDevices.getUserMedia), secure: String(isSecureContext) };`);
    expect(api).toEqual({ pc: 'undefined', webkitPc: 'undefined', gum: 'function', secure: 'true' });
  });

  it('the observer the other tests rely on does catch errors, rejections, failed loads and console.error', async () => {
    const s = await browser();
    await s.navigate(`${server.url}/noisy.html`);
    const { problems } = await s.waitFor<{ problems: string[] }>(
      'const seen = window.__vodiaSeen; return seen.problems.length >= 4 && seen;', { message: 'four problems recorded' });
    expect(problems).toEqual(expect.arrayContaining([
      'console.error: noisy console',
      expect.stringMatching(/^unhandled rejection: .*noisy rejection/),
      expect.stringMatching(/^failed to load: .*\/missing\.js$/),
      expect.stringMatching(/^uncaught: .*noisy throw/),
    ]));
  });
});

describe('makecall.html in WebKitGTK', () => {
  it('says at once that this browser cannot place calls, offers the phone number and Close, asks for nothing', async () => {
    config = { ...BASE_CONFIG, fallback: { tel: TEL } };
    const s = await browser();
    await s.navigate(`${server.url}/makecall.html?destnumber=100`);
    const view = await popupView(s);
    expect(view).toMatchObject({ state: 'failed', error: 'unsupported', lang: 'en', login: false, close: true });
    expect(view.alert).toContain('This browser cannot place calls.');
    expect(view.tel).toMatch(/^tel:(\+|%2B)4930123456$/);
    expect(await seen(s)).toEqual({ problems: [], microphone: 0 });
  });

  it('without a fallback in the config offers no phone link, and still Close', async () => {
    const s = await browser();
    await s.navigate(`${server.url}/makecall.html?destnumber=100`);
    const view = await popupView(s);
    expect(view).toMatchObject({ state: 'failed', error: 'unsupported', login: false, close: true, tel: null });
    expect(view.alert).toContain('This browser cannot place calls.');
    expect(await seen(s)).toEqual({ problems: [], microphone: 0 });
  });

  it('speaks German when the link asks for it', async () => {
    config = { ...BASE_CONFIG, fallback: { tel: TEL } };
    const s = await browser();
    await s.navigate(`${server.url}/makecall.html?destnumber=100&lang=de`);
    // The catalogue loads after the first paint: wait for the German text, not just the alert.
    await s.waitFor('return document.documentElement.lang === "de"', { timeout: 8_000 }).catch(() => undefined);
    const view = await popupView(s);
    expect(view).toMatchObject({ state: 'failed', error: 'unsupported', lang: 'de', login: false, close: true });
    expect(view.alert).not.toBe('');
    expect(view.alert).not.toContain('This browser cannot place calls.');
    expect(await seen(s)).toEqual({ problems: [], microphone: 0 });
  });
});

describe('the binder on a site page in WebKitGTK', () => {
  it('opens the popup from a click, and the popup gives the visitor the clear answer', async () => {
    config = { ...BASE_CONFIG, fallback: { tel: TEL } };
    const s = await browser();
    await s.navigate(`${server.url}/contact.html`);
    await s.waitFor('return "VodiaCall" in window', { message: 'the binder loaded' });
    const page = await s.windowHandle();
    await s.click('a[data-vodia-call]');
    // The popup is a window of its own: the driver lists it beside the page.
    const handles = await poll(() => s.windowHandles(), (h) => h.length > 1);
    const others = handles.filter((h) => h !== page);
    expect(others, 'the click opened one new window').toHaveLength(1);
    await s.switchToWindow(others[0]);
    await s.waitFor('return location.pathname === "/makecall.html" && document.readyState === "complete"', { message: 'the popup page loaded' });
    const url = new URL(await s.url());
    expect(url.searchParams.get('destnumber')).toBe('100');
    const view = await popupView(s);
    writeFileSync(resolve(OUT, 'webkit-unsupported.png'), await s.screenshot());
    expect(view).toMatchObject({ state: 'failed', error: 'unsupported', login: false, close: true });
    expect(view.alert).toContain('This browser cannot place calls.');
    expect(view.tel).toMatch(/^tel:(\+|%2B)4930123456$/);
    expect(await seen(s)).toEqual({ problems: [], microphone: 0 });
    // Close closes it: the binder opened it, so the popup may. The window goes during the click, so the
    // driver may answer that it has no window any more.
    await s.click('button[data-action="close"]').catch((e: unknown) => {
      if (!/no such window/.test(String(e))) throw e;
    });
    expect(await poll(() => s.windowHandles(), (h) => h.length === 1)).toEqual([page]);
    await s.switchToWindow(page);
    expect(await seen(s)).toEqual({ problems: [], microphone: 0 });
  });
});
