import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// The built popup in a real Chromium, at the size the binder opens it. No PBX is needed to see
// the login form; calls are proven by the end-to-end suite.
const OUT = resolve(REPO_ROOT, 'test-output/screenshots');
// The closed and unsupported screens, for a person to look at.
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';
let browser: Browser;
let server: { url: string; close(): Promise<void> };
let config: unknown = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
  server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    files: { '/makecall.config.json': () => JSON.stringify(config) },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What a page does wrong (console errors, uncaught errors) and which WebSockets it opens, from now on. */
function watch(page: Page): { problems: string[]; sockets: string[] } {
  const seen = { problems: [] as string[], sockets: [] as string[] };
  page.on('console', (m: ConsoleMessage) => { if (m.type() === 'error') seen.problems.push(m.text()); });
  page.on('pageerror', (e) => seen.problems.push(String(e)));
  page.on('websocket', (ws) => seen.sockets.push(ws.url()));
  return seen;
}

async function openPopup(query: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 230, height: 300 } });
  const { problems } = watch(page);
  await page.goto(`${server.url}/makecall.html?${query}`);
  return { page, problems };
}

describe('the built makecall.html in Chromium at 230 x 300', () => {
  it('shows the login form with no console error, and everything fits', async () => {
    const { page, problems } = await openPopup('destnumber=1234567890');
    await page.waitForSelector('[data-state="login"] form[name="login"]');
    for (const name of ['account', 'password', 'lang', 'remember']) {
      expect(await page.locator(`form[name="login"] [name="${name}"]`).count(), name).toBe(1);
    }
    // Nothing scrolls or spills: the whole UI fits the window the binder opens.
    const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(size.w).toBeLessThanOrEqual(230);
    expect(size.h).toBeLessThanOrEqual(300);
    const submit = await page.locator('button[type="submit"]').boundingBox();
    expect(submit && submit.y + submit.height).toBeLessThanOrEqual(300);
    await page.screenshot({ path: resolve(OUT, 'login.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reaches every control by keyboard, each with an accessible name', async () => {
    const { page, problems } = await openPopup('destnumber=100');
    await page.waitForSelector('form[name="login"]');
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      names.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : '';
        return `${el.tagName.toLowerCase()}:${label || el.textContent || el.getAttribute('aria-label') || ''}`;
      }));
    }
    expect(names).toEqual(expect.arrayContaining(['input:Password', 'select:Language', 'input:Remember login information', 'button:Call']));
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([['the link', 'destnumber=100&lang=de', 'de-DE'], ['the browser', 'destnumber=100', 'de-DE']])(
    'speaks German when %s asks for it: the catalogue loads from i18n/de.json beside makecall.js', async (_c, query, locale) => {
      const context = await browser.newContext({ viewport: { width: 230, height: 300 }, locale });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(`${server.url}/makecall.html?${query}`);
      await page.waitForSelector('form[name="login"]');
      expect(await page.locator('form[name="login"] button[type="submit"]').innerText()).toBe('Anrufen');
      expect(await page.locator('label[for="vc-account"]').innerText()).toBe('Konto');
      expect(requests).toContain('/i18n/de.json');
      // Switching language loads the next one, and keeps what was typed.
      await page.fill('[name="account"]', '41');
      await page.selectOption('select[name="lang"]', 'fr');
      await page.waitForFunction(() => document.querySelector('button[type="submit"]')?.textContent === 'Appeler');
      expect(await page.inputValue('[name="account"]')).toBe('41');
      await context.close();
    });

  it('an English visitor loads no catalogue at all', async () => {
    const context = await browser.newContext({ viewport: { width: 230, height: 300 }, locale: 'en-US' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/makecall.html?destnumber=100`);
    await page.waitForSelector('form[name="login"]');
    expect(requests.filter((p) => p.includes('/i18n/'))).toEqual([]);
    await context.close();
  });

  it('a malformed link ends in a clear alert, not a blank popup', async () => {
    const { page, problems } = await openPopup('destnumber=12ab');
    const alert = page.locator('[role="alert"][data-error="link-invalid"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('This call link is not valid.');
    await page.screenshot({ path: resolve(OUT, 'link-invalid.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a broken configuration ends in the config alert', async () => {
    config = { server: 'http://wrong' };
    try {
      const { page, problems } = await openPopup('destnumber=100');
      await page.locator('[role="alert"][data-error="config"]').waitFor();
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      config = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };
    }
  });

  it('outside office hours: the closed screen in the visitor\'s zone, its fallbacks, and no microphone or WebSocket', async () => {
    config = {
      server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1',
      officeHours: { timeZone: 'Europe/Berlin', days: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } },
      fallback: { url: 'https://example.com/contact', tel: '+4930123456' },
    };
    // A visitor in Tokyo on Wednesday 2025-11-26 at 19:00 Berlin time (Thursday 03:00 in Tokyo).
    const context = await browser.newContext({ viewport: { width: 230, height: 300 }, timezoneId: 'Asia/Tokyo', locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date('2025-11-26T18:00:00Z'));
      await page.addInitScript(() => {
        const w = window as unknown as { micAsked: number };
        w.micAsked = 0;
        const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (c) => { w.micAsked++; return gum(c); };
      });
      const { problems, sockets } = watch(page);
      await page.goto(`${server.url}/makecall.html?destnumber=100`);
      const alert = page.locator('#vodia-call[data-state="failed"] [role="alert"][data-error="closed"]');
      await alert.waitFor();
      // Thursday 09:00 in Berlin is 17:00 in Tokyo.
      expect((await alert.innerText()).replace(/\n+/g, '\n')).toBe('We are closed now.\nWe open again on Thursday, November 27 at 5:00 PM.');
      expect(await page.getAttribute('a[href="https://example.com/contact"]', 'rel')).toBe('noopener');
      expect(await page.locator('a[href="tel:+4930123456"]').innerText()).toBe('Call +4930123456');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Contact us');
      expect(await page.locator('form').count()).toBe(0);
      const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
      expect(size.w).toBeLessThanOrEqual(230);
      expect(size.h).toBeLessThanOrEqual(300);
      await page.screenshot({ path: resolve(SHOTS, 'popup-closed.png') });
      expect(await page.evaluate(() => (window as unknown as { micAsked: number }).micAsked)).toBe(0);
      expect(sockets).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      config = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };
    }
  });

  it('a browser without WebRTC: unsupported, the tel: fallback, no login form and no WebSocket', async () => {
    config = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1', fallback: { tel: '+4930123456' } };
    const context = await browser.newContext({ viewport: { width: 230, height: 300 }, locale: 'de-DE' });
    try {
      const page = await context.newPage();
      // What WebKitGTK without WebRTC offers: no RTCPeerConnection at all.
      await page.addInitScript(() => { delete (window as Partial<Window & typeof globalThis>).RTCPeerConnection; });
      const { problems, sockets } = watch(page);
      await page.goto(`${server.url}/makecall.html?destnumber=100`);
      const alert = page.locator('#vodia-call[data-state="failed"] [role="alert"][data-error="unsupported"]');
      await alert.waitFor();
      expect((await alert.innerText()).replace(/\n+/g, '\n')).toBe('Mit diesem Browser sind keine Anrufe möglich.\nÖffnen Sie diese Seite in einem anderen Browser, etwa Firefox, Chrome, Edge oder Safari.');
      expect(await page.locator('a[href^="tel:"]').innerText()).toBe('+4930123456 anrufen');
      expect(await page.locator('form').count()).toBe(0);
      await page.screenshot({ path: resolve(SHOTS, 'popup-unsupported-de.png') });
      // English, as the WebKitGTK end-to-end test expects it.
      await page.goto(`${server.url}/makecall.html?destnumber=100&lang=en`);
      await page.locator('[role="alert"][data-error="unsupported"]').waitFor();
      expect(await page.locator('[role="alert"]').innerText()).toContain('This browser cannot place calls.');
      await page.screenshot({ path: resolve(SHOTS, 'popup-unsupported.png') });
      expect(sockets).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      config = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };
    }
  });

  it('an unreachable PBX ends in pbx-unreachable within 5 s', async () => {
    const { page, problems } = await openPopup('destnumber=100');
    await page.fill('[name="account"]', '40');
    await page.fill('[name="password"]', 'pw');
    const t0 = Date.now();
    await page.click('button[type="submit"]');
    await page.locator('[role="alert"][data-error="pbx-unreachable"]').waitFor({ timeout: 5000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    // Chromium itself logs the refused WebSocket; nothing of ours may throw.
    expect(problems.filter((p) => !/WebSocket connection to .* failed/.test(p))).toEqual([]);
    await page.close();
  });
});
