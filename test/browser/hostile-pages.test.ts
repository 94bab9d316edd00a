import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// What a hostile website can do with the built popup and binder in a real Chromium: open the
// popup with a number of its choosing, have the visitor hold Enter or double-click into it, frame
// it, or get the binder to open its own page with window.opener set. The site is one origin
// (127.0.0.1:A), the attacker another (127.0.0.1:B). No PBX: a call that starts shows itself as
// a WebSocket to the configured server, and none may start unasked.
type Server = { url: string; close(): Promise<void> };
let browser: Browser;
let site: Server;
let evil: Server;
let context: BrowserContext;
let config: Record<string, unknown> = {};
const NUMBER = '0900123456';

const pageHtml = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  site = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    files: {
      '/makecall.config.json': () => JSON.stringify(config),
      '/blank.html': pageHtml(''),
    },
  });
  // The attacker's pages name the site's popup and binder by their full URLs.
  evil = await startStaticServer({
    files: {
      '/open.html': () => pageHtml(`<button id="go" onclick="window.open('${site.url}/makecall.html?destnumber=${NUMBER}', 'x', 'width=230,height=300')">Win a prize</button>`),
      '/frame.html': () => pageHtml(`<iframe id="f" src="${site.url}/makecall.html?destnumber=${NUMBER}" width="230" height="300"></iframe>`),
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await evil?.close();
});
afterEach(async () => {
  await context?.close();
});

/** A fresh visitor whose popup origin remembers a login (saved now), unless told otherwise. */
async function visitor(remember = true): Promise<BrowserContext> {
  config = { server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' };
  context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  if (remember) {
    const p = await context.newPage();
    await p.goto(`${site.url}/blank.html`);
    await p.evaluate(() => localStorage.setItem('vodia-call.login', JSON.stringify({
      account: '40', ha1: 'a'.repeat(32), realm: '127.0.0.1', savedAt: Math.floor(Date.now() / 1000),
    })));
    await p.close();
  }
  return context;
}

/** Counts WebSockets a page opens: each is a call attempt. */
function watchCalls(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on('websocket', () => { seen.count++; });
  return seen;
}

async function popupFrom(opener: Page, action: () => Promise<void>): Promise<Page> {
  const [popup] = await Promise.all([opener.context().waitForEvent('page'), action()]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

describe('a hostile website against the popup', () => {
  it('opening the popup with a remembered login: it asks "Call N as A?" and dials only on a later click', async () => {
    const ctx = await visitor();
    const page = await ctx.newPage();
    await page.goto(`${evil.url}/open.html`);
    const popup = await popupFrom(page, () => page.click('#go'));
    const calls = watchCalls(popup);
    const question = popup.locator('form[name="confirm"] .vc-confirm');
    await question.waitFor();
    expect(await question.innerText()).toBe(`Call ${NUMBER} as 40?`);
    // The question has the focus, not "Call".
    expect(await popup.evaluate(() => document.activeElement?.className)).toBe('vc-confirm');
    await popup.waitForTimeout(1500);
    expect(calls.count).toBe(0);
    // The test can see a call: a click after the guard places one.
    await Promise.all([popup.waitForEvent('websocket', { timeout: 5000 }), popup.click('form[name="confirm"] [type="submit"]')]);
    expect(calls.count).toBe(1);
  });

  it('opening a signed link (the WordPress mode): it asks "Call N?" and reaches no server unasked', async () => {
    const ctx = await visitor(false);
    config = { ...config, authorizeUrl: 'http://127.0.0.1:9/wp-json/vodia-call/v1/authorize' };
    const page = await ctx.newPage();
    const signed = `${site.url}/makecall.html?destnumber=${NUMBER}&user=40&pass=${'0'.repeat(32)}&time=${Math.floor(Date.now() / 1000)}&duration=3600`;
    await page.goto(`${evil.url}/open.html`);
    const popup = await popupFrom(page, () => page.evaluate((u) => { window.open(u, 'x', 'width=230,height=300'); }, signed));
    const calls = watchCalls(popup);
    const requests: string[] = [];
    popup.on('request', (r) => { if (r.url().includes('/authorize')) requests.push(r.url()); });
    await popup.locator('form[name="confirm"]').waitFor();
    expect(await popup.locator('.vc-confirm').innerText()).toBe(`Call ${NUMBER}?`);
    await popup.waitForTimeout(1500);
    expect([calls.count, requests.length]).toEqual([0, 0]);
  });

  it('the visitor holds Enter or double-clicks: the repeat that lands in the popup does not dial', async () => {
    const ctx = await visitor();
    const page = await ctx.newPage();
    await page.goto(`${evil.url}/open.html`);
    await page.focus('#go');
    const popup = await popupFrom(page, () => page.keyboard.press('Enter'));
    const calls = watchCalls(popup);
    const submit = popup.locator('form[name="confirm"] [type="submit"]');
    await submit.waitFor();
    // Auto-repeat of the held key and the double-click's second click, as they reach the new
    // window: Enter on whatever has the focus, then a click right on "Call".
    for (let i = 0; i < 10; i++) await popup.keyboard.press('Enter');
    const box = (await submit.boundingBox())!;
    await popup.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await popup.keyboard.press('Space');
    await popup.waitForTimeout(1200);
    expect(calls.count).toBe(0);
    expect(await popup.getAttribute('#vodia-call', 'data-state')).toBe('login');
  });

  it('framing the popup: it refuses to run (framed), from another origin and from its own', async () => {
    const ctx = await visitor();
    const page = await ctx.newPage();
    const calls = watchCalls(page);
    await page.goto(`${evil.url}/frame.html`);
    const frame = page.frameLocator('#f');
    await frame.locator('[role="alert"][data-error="framed"]').waitFor();
    expect(await frame.locator('form').count()).toBe(0);
    await page.goto(`${site.url}/blank.html`);
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, `${site.url}/makecall.html?destnumber=${NUMBER}`);
    await page.frameLocator('iframe').locator('[data-error="framed"]').waitFor();
    expect(calls.count).toBe(0);
  });
});

describe('the Content-Security-Policy the README gives site owners', () => {
  it('runs the popup under it, login to the PBX connection, without one violation', async () => {
    // The policy as the README prints it for nginx, with the test's PBX address for the example one.
    const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
    const documented = readme.match(/add_header Content-Security-Policy "([^"]+)"/)![1];
    const policy = documented.replace('wss://pbx.example.com', 'ws://127.0.0.1:9');
    expect(policy).toContain("frame-ancestors 'self'");
    const strict = await startStaticServer({
      mounts: { '/': resolve(REPO_ROOT, 'dist') },
      files: { '/makecall.config.json': () => JSON.stringify({ server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' }) },
      headers: { 'Content-Security-Policy': policy },
    });
    try {
      const ctx = await visitor(false);
      const page = await ctx.newPage();
      await page.addInitScript(() => {
        (window as unknown as { violations: string[] }).violations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const calls = watchCalls(page);
      await page.goto(`${strict.url}/makecall.html?destnumber=100`);
      await page.fill('[name="account"]', '40');
      await page.fill('[name="password"]', 'pw');
      await page.click('button[type="submit"]');
      await page.locator('[data-error="pbx-unreachable"]').waitFor({ timeout: 8000 });
      expect(calls.count).toBe(1); // the WebSocket was allowed out, and refused by the closed port
      expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});

describe('the binder on the site', () => {
  it('opens its own popup with window.opener, any other host\'s makecall page without it', async () => {
    const ctx = await visitor(false);
    const page = await ctx.newPage();
    await page.goto(`${site.url}/blank.html`);
    await page.evaluate(({ siteUrl, evilUrl }) => {
      document.body.innerHTML = `<a id="own" href="${siteUrl}/makecall.html?destnumber=100">own</a>` +
        `<a id="other" href="${evilUrl}/makecall.html?destnumber=100">other</a>`;
      const s = document.createElement('script');
      s.src = `${siteUrl}/vodia-call.js`;
      document.head.append(s);
      return new Promise((r) => s.addEventListener('load', r));
    }, { siteUrl: site.url, evilUrl: evil.url });
    const own = await popupFrom(page, () => page.click('#own'));
    expect(await own.evaluate(() => window.opener !== null)).toBe(true);
    await own.close();
    const other = await popupFrom(page, () => page.click('#other'));
    expect(await other.evaluate(() => window.opener)).toBeNull();
    expect(other.url()).toBe(`${evil.url}/makecall.html?destnumber=100`);
  });
});
