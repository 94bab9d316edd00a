import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { onTestFailed } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { connectBaresip, readStack } from '../../scripts/pbx/baresip-control.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { addInitScript, BROWSERS as SELECTED, launchBrowser, onNewPage } from '../../scripts/lib/browsers.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';
import { E2E_LOG_DIR, E2E_RUN_DIR } from './global-setup.js';

// Real calls in real browsers, one code path for Debian's Chromium and Firefox ESR (puppeteer-core:
// CDP and WebDriver BiDi). A test gets a harness per browser kind, a visitor (a browser context with
// the site page open) per test, and the popup a click on a link opens.

const SHOT_DIR = resolve(REPO_ROOT, 'test-output/screenshots');

export type BrowserKind = 'chromium' | 'firefox';
/** The kinds to run in: VODIA_E2E_BROWSERS=chromium,firefox (default: both). */
export const BROWSERS = SELECTED as BrowserKind[];

export interface Stack {
  ws: string; wss: string; domain: string; realm: string; tlsCert: string; recordings: string;
  accounts: { user: string; password: string }[];
  numbers: Record<'echo' | 'tone' | 'hangup' | 'busy' | 'notFound' | 'noAnswer' | 'pcmuEcho', string>;
  baresipCtrl: { host: string; port: number };
  logs: Record<string, string>;
  hangupAfterMs: number;
}
export interface BaresipEvent { type: string; param?: string; receivedAt: number; [k: string]: unknown }
export interface Baresip {
  events: BaresipEvent[];
  mark(): number;
  waitFor(pred: (e: BaresipEvent) => boolean, timeoutMs?: number, opts?: { since?: number }): Promise<BaresipEvent>;
  hangupAll(): Promise<void>;
  /** Until no call is open and the last one closed a moment ago (the echo's audio bridge is torn down). */
  settle(quietMs?: number): Promise<void>;
  close(): void;
}
export interface LaunchOptions { denyMicrophone?: boolean; ignoreHTTPSErrors?: boolean; args?: string[]; prefs?: Record<string, unknown> }

export const stack = (): Stack => readStack(E2E_RUN_DIR) as Stack;

/** The page a site would have: the binder, and one data-vodia-call link per number. */
export function openerPage(numbers: Record<string, string>): string {
  const links = Object.entries(numbers).map(([name, n]) => `<li><a href="#" id="${name}" data-vodia-call="${n}">${name} (${n})</a></li>`).join('');
  return `<!doctype html><meta charset="utf-8"><title>e2e</title><link rel="icon" href="data:,">
<script>window.__states = []; addEventListener('message', (e) => { if (e.data && e.data.source === 'vodia-call') window.__states.push(e.data.state); });</script>
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script><ul>${links}</ul>`;
}

/**
 * Per-suite fixtures for one browser kind: the site server (whose popup config a test may change; `files`:
 * more pages it serves), a browser of that kind, baresip. `launch` starts another browser of the same kind (closed with the harness).
 */
export async function startHarness(kind: BrowserKind, options: { files?: Record<string, string | (() => string)> } = {}) {
  const s = stack();
  let config: Record<string, unknown> = { server: s.ws, domain: s.domain };
  const server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    // starHash: a service-code style number with '#', which must reach the PBX escaped as %23.
    files: { '/makecall.config.json': () => JSON.stringify(config), '/page.html': openerPage({ ...s.numbers, starHash: '*31#' }), ...options.files },
  });
  const extra = new Set<Browser>();
  const browser: Browser = await launchBrowser({ kind });
  const baresip: Baresip = await connectBaresip(s.baresipCtrl);
  return {
    kind, stack: s, server, browser, baresip,
    setConfig(over: Record<string, unknown>) { config = { server: s.ws, domain: s.domain, ...over }; },
    async launch(options: LaunchOptions = {}): Promise<Browser> {
      const b: Browser = await launchBrowser({ kind, ...options });
      extra.add(b);
      b.once('disconnected', () => extra.delete(b));
      return b;
    },
    async close() {
      baresip.close();
      await Promise.all([browser, ...extra].map((b) => b.close().catch(() => undefined)));
      await server.close();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * The browser's own report of a WebSocket it could not open (the PBX down): no problem of the page.
 * Chromium logs it as a console error; Firefox as an error of the page (puppeteer's 'pageerror').
 */
const REFUSED_WEBSOCKET = {
  console: /WebSocket connection to .* failed/,
  pageerror: /^Error: Firefox can.t establish a connection to the server at wss?:\/\//,
};

/**
 * A browser context for one test, with the site page open and the console of every page in it (the
 * popup's from its first line) collected; on failure the console and the stack's logs are kept under
 * test-output/e2e-logs/NAME-KIND/ (the README says where).
 *
 * options.browser: use this browser instead of the harness's; denyMicrophone, ignoreHTTPSErrors, args,
 * prefs: a browser of its own launched so (closed by close()); initScripts: run in every page of the
 * context, popups included, before the page's own scripts.
 */
export async function newVisitor(h: Harness, name: string, options: LaunchOptions & { browser?: Browser; initScripts?: (() => void)[] } = {}) {
  const { browser: given, initScripts = [], ...launchOptions } = options;
  await h.baresip.settle();
  const wantsOwn = Object.values(launchOptions).some((v) => v !== undefined && v !== false);
  const own = !given && wantsOwn ? await h.launch(launchOptions) : undefined;
  const browser = given ?? own ?? h.browser;
  const context: BrowserContext = await browser.createBrowserContext();
  const consoleLines: string[] = [];
  const problems: string[] = [];
  const popupWaiters: ((p: Page) => void)[] = [];
  await onNewPage(context, (p: Page) => {
    p.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${p.url().split('?')[0]} ${m.text()}`);
      if (m.type() === 'error' && !REFUSED_WEBSOCKET.console.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => {
      consoleLines.push(`[pageerror] ${String(e)}`);
      if (!REFUSED_WEBSOCKET.pageerror.test(String(e))) problems.push(String(e));
    });
    popupWaiters.shift()?.(p);
  });
  for (const script of initScripts) await addInitScript(context, script);
  const dirName = `${name}-${h.kind}`.replace(/[^\w.-]+/g, '-');
  onTestFailed(() => {
    const dir = resolve(E2E_LOG_DIR, dirName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    for (const file of Object.values(h.stack.logs)) if (existsSync(file)) copyFileSync(file, resolve(dir, file.split('/').pop()!));
  });
  const page = await context.newPage();
  await page.goto(`${h.server.url}/page.html`);
  return {
    browser, context, page, problems, consoleLines,
    /** Clicks a link on the site page; resolves with the popup window it opened, its document loaded. */
    async click(id: string): Promise<Page> {
      let waiter: (p: Page) => void = () => undefined;
      const opened = new Promise<Page>((ok) => popupWaiters.push((waiter = ok)));
      await page.click(`#${id}`);
      const popup = await withTimeout(opened, 10_000, `no popup opened by a click on #${id}`)
        .finally(() => { if (popupWaiters.includes(waiter)) popupWaiters.splice(popupWaiters.indexOf(waiter), 1); });
      await popup.waitForFunction(() => location.href !== 'about:blank' && document.readyState !== 'loading', { polling: 50, timeout: 10_000 });
      return popup;
    },
    /** The states the popup reported to the page that opened it. */
    states: () => page.evaluate(() => (window as unknown as { __states: string[] }).__states),
    /** Closes the context, and the browser if the visitor launched its own. */
    async close() {
      await context.close();
      if (own) await own.close();
    },
  };
}
export type Visitor = Awaited<ReturnType<typeof newVisitor>>;

export async function login(popup: Page, account: string, password: string, remember = false): Promise<void> {
  await popup.waitForSelector('[data-state="login"] form[name="login"]', { visible: true });
  await fill(popup, '[name="account"]', account);
  await fill(popup, '[name="password"]', password);
  if (remember) await check(popup, '[name="remember"]');
  await click(popup, 'form[name="login"] button[type="submit"]');
}

export async function waitState(popup: Page, state: string, timeout = 10_000): Promise<void> {
  await popup.waitForSelector(`#vodia-call[data-state="${state}"]`, { visible: true, timeout });
}

// Small page helpers with playwright's waiting: each waits for its element (visible, for actions).

/** Clicks an element once it is visible and enabled. */
export async function click(page: Page, selector: string): Promise<void> {
  await page.locator(selector).click();
}

/** Replaces an input's value, as typing would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).fill(value);
}

/** Ticks a checkbox (a click, as a visitor does) unless it already is. */
export async function check(page: Page, selector: string): Promise<void> {
  const box = (await page.waitForSelector(selector, { visible: true }))!;
  if (!(await box.evaluate((e) => (e as HTMLInputElement).checked))) await box.click();
  if (!(await box.evaluate((e) => (e as HTMLInputElement).checked))) throw new Error(`${selector} did not become checked`);
}

export async function textContent(page: Page, selector: string): Promise<string | null> {
  return (await page.waitForSelector(selector))!.evaluate((e) => e.textContent);
}

export async function innerText(page: Page, selector: string): Promise<string> {
  return (await page.waitForSelector(selector))!.evaluate((e) => (e as HTMLElement).innerText);
}

export async function getAttribute(page: Page, selector: string, name: string): Promise<string | null> {
  return (await page.waitForSelector(selector))!.evaluate((e, n) => e.getAttribute(n), name);
}

/** How many elements match now (no waiting). */
export async function count(page: Page, selector: string): Promise<number> {
  return (await page.$$(selector)).length;
}

/** Resolves when the page (a popup that closes itself, say) is closed. */
export function waitClosed(page: Page, timeout: number): Promise<void> {
  if (page.isClosed()) return Promise.resolve();
  return withTimeout(new Promise<void>((ok) => page.once('close', () => ok())), timeout, `page ${page.url()} still open after ${timeout} ms`);
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, fail) => { timer = setTimeout(() => fail(new Error(message)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The popup's calls, from getStats: audio RTP packets both ways, the energy of the audio received, and the
 * candidate pair in use (`relay` when it goes through TURN). Needs TRACK_PEER_CONNECTIONS.
 */
export function mediaStats(popup: Page): Promise<{ inbound: number; outbound: number; energy: number; relay: boolean; pair: string }> {
  return popup.evaluate(async () => {
    const out = { inbound: 0, outbound: 0, energy: 0, relay: false, pair: '' };
    for (const pc of (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? []) {
      const stats: Record<string, Record<string, unknown>> = {};
      (await pc.getStats()).forEach((r: Record<string, unknown>) => { stats[r.id as string] = r; });
      for (const r of Object.values(stats)) {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') {
          out.inbound += (r.packetsReceived as number) ?? 0;
          out.energy += (r.totalAudioEnergy as number) ?? 0;
        }
        if (r.type === 'outbound-rtp' && r.kind === 'audio') out.outbound += (r.packetsSent as number) ?? 0;
        // The pair in use: Chromium names it on the transport, Firefox marks it selected.
        const inUse = r.type === 'candidate-pair' && r.state === 'succeeded'
          && (r.selected === true || Object.values(stats).some((t) => t.type === 'transport' && t.selectedCandidatePairId === r.id));
        if (inUse) {
          const local = stats[r.localCandidateId as string];
          out.pair = `${local?.candidateType}/${local?.relayProtocol ?? local?.protocol}`;
          out.relay = local?.candidateType === 'relay';
        }
      }
    }
    return out;
  });
}

/** Init script: lets a test read getStats of the page's peer connections (SIP.js keeps them private). */
export const TRACK_PEER_CONNECTIONS = () => {
  const Native = window.RTCPeerConnection;
  const list: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = list;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      list.push(this);
    }
  };
};

/**
 * Init script: records the page's WebSockets (their URLs) and every frame the page sends on them, for
 * webSocketLog(). What playwright's websocket events told, in a way both browsers allow.
 */
export const RECORD_WEBSOCKETS = () => {
  const log = { urls: [] as string[], sent: [] as string[] };
  (window as unknown as { __ws: typeof log }).__ws = log;
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    log.sent.push(typeof data === 'string' ? data : `[binary ${String((data as Blob).size ?? (data as ArrayBuffer).byteLength)} bytes]`);
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      log.urls.push(this.url);
    }
  };
};

/** The page's WebSockets and the frames it sent, as RECORD_WEBSOCKETS saw them. */
export async function webSocketLog(page: Page): Promise<{ urls: string[]; sent: string[] }> {
  return page.evaluate(() => {
    const log = (window as unknown as { __ws?: { urls: string[]; sent: string[] } }).__ws;
    if (!log) throw new Error('RECORD_WEBSOCKETS is not an init script of this page');
    return { urls: [...log.urls], sent: [...log.sent] };
  });
}

/** Where a screenshot of this browser kind goes: test-output/screenshots/NAME-KIND.png. */
export function screenshotPath(h: Harness, name: string): string {
  mkdirSync(SHOT_DIR, { recursive: true });
  return resolve(SHOT_DIR, `${name}-${h.kind}.png`);
}
