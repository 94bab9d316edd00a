import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { connectBaresip, readStack } from '../../scripts/pbx/baresip-control.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';
import { E2E_LOG_DIR, E2E_RUN_DIR } from './global-setup.js';

const SHOT_DIR = resolve(REPO_ROOT, 'test-output/screenshots');

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
  close(): void;
}

export const stack = (): Stack => readStack(E2E_RUN_DIR) as Stack;

/** The page a site would have: the binder, and one data-vodia-call link per number. */
export function openerPage(numbers: Record<string, string>): string {
  const links = Object.entries(numbers).map(([name, n]) => `<li><a href="#" id="${name}" data-vodia-call="${n}">${name} (${n})</a></li>`).join('');
  return `<!doctype html><meta charset="utf-8"><title>e2e</title><link rel="icon" href="data:,">
<script>window.__states = []; addEventListener('message', (e) => { if (e.data && e.data.source === 'vodia-call') window.__states.push(e.data.state); });</script>
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script><ul>${links}</ul>`;
}

/** Per-suite fixtures: the site server (whose popup config a test may change), a browser, baresip. */
export async function startHarness() {
  const s = stack();
  let config: Record<string, unknown> = { server: s.ws, domain: s.domain };
  const server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    // starHash: a service-code style number with '#', which must reach the PBX escaped as %23.
    files: { '/makecall.config.json': () => JSON.stringify(config), '/page.html': openerPage({ ...s.numbers, starHash: '*31#' }) },
  });
  const browser: Browser = await launchChromium();
  const baresip: Baresip = await connectBaresip(s.baresipCtrl);
  return {
    stack: s, server, browser, baresip,
    setConfig(over: Record<string, unknown>) { config = { server: s.ws, domain: s.domain, ...over }; },
    async close() {
      baresip.close();
      await browser.close();
      await server.close();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * A browser context for one test, with its console collected; on failure the console and the
 * stack's logs are kept under test-output/e2e-logs/TEST-NAME/ (the README says where).
 */
export async function newVisitor(h: Harness, name: string, options: { browser?: Browser; ignoreHTTPSErrors?: boolean } = {}) {
  const context: BrowserContext = await (options.browser ?? h.browser).newContext({ ignoreHTTPSErrors: options.ignoreHTTPSErrors });
  const consoleLines: string[] = [];
  const problems: string[] = [];
  context.on('page', (p: Page) => watch(p));
  function watch(p: Page) {
    p.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${p.url().split('?')[0]} ${m.text()}`);
      if (m.type() === 'error' && !/WebSocket connection to .* failed/.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => { consoleLines.push(`[pageerror] ${String(e)}`); problems.push(String(e)); });
  }
  onTestFailed(() => {
    const dir = resolve(E2E_LOG_DIR, name.replace(/[^\w.-]+/g, '-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    for (const file of Object.values(h.stack.logs)) if (existsSync(file)) copyFileSync(file, resolve(dir, file.split('/').pop()!));
  });
  const page = await context.newPage();
  await page.goto(`${h.server.url}/page.html`);
  return {
    context, page, problems, consoleLines,
    /** Clicks a link on the site page; resolves with the popup window it opened. */
    async click(id: string): Promise<Page> {
      const [popup] = await Promise.all([context.waitForEvent('page'), page.click(`#${id}`)]);
      await popup.waitForLoadState('domcontentloaded');
      return popup;
    },
    /** The states the popup reported to the page that opened it. */
    states: () => page.evaluate(() => (window as unknown as { __states: string[] }).__states),
  };
}

export async function login(popup: Page, account: string, password: string, remember = false): Promise<void> {
  await popup.waitForSelector('[data-state="login"] form[name="login"]');
  await popup.fill('[name="account"]', account);
  await popup.fill('[name="password"]', password);
  if (remember) await popup.check('[name="remember"]');
  await popup.click('form[name="login"] button[type="submit"]');
}

export async function waitState(popup: Page, state: string, timeout = 10_000): Promise<void> {
  await popup.waitForSelector(`#vodia-call[data-state="${state}"]`, { timeout });
}

/** Inbound and outbound RTP packet counts of the popup's call, from getStats. */
export async function rtpCounts(popup: Page): Promise<{ inbound: number; outbound: number }> {
  return popup.evaluate(async () => {
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    let inbound = 0;
    let outbound = 0;
    for (const pc of pcs) {
      (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') inbound += r.packetsReceived ?? 0;
        if (r.type === 'outbound-rtp' && r.kind === 'audio') outbound += r.packetsSent ?? 0;
      });
    }
    return { inbound, outbound };
  });
}

/** Lets a test read getStats of the page's peer connections (SIP.js keeps them private). */
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

export function screenshotDirReady(): string {
  mkdirSync(SHOT_DIR, { recursive: true });
  return SHOT_DIR;
}
