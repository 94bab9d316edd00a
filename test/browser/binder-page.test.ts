import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// The built binder on a big page in a real Chromium: one delegated listener, however many links.
const links = (n: number) => Array.from({ length: n }, (_, i) => `<a href="#" data-vodia-call="${1000 + i}">call ${i}</a>`).join('\n');
const page = (n: number) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script><body>${links(n)}</body>`;
// A popup page that posts nothing of its own: the real one would report its own states (a failure without
// a configuration) in among those the test posts.
const STUB_POPUP = '<!doctype html><title>popup</title>';
// The script tag's options for the caller context and the call events, read by the built binder.
const EVENTS_PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__events = []; document.addEventListener('vodia-call:state', (e) => window.__events.push(e.detail));</script>
<script src="/vodia-call.js" data-popup-url="/stub/makecall.html" data-page-query data-datalayer defer></script>
<body><a href="#" data-vodia-call="100" data-vodia-context="Sales">call</a></body>`;
let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': resolve(REPO_ROOT, 'dist') }, files: { '/big.html': page(10_000), '/events.html': EVENTS_PAGE, '/stub/makecall.html': STUB_POPUP } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the binder on a page of 10,000 links', () => {
  it('adds one click and one keydown listener to the document, none to the links, and opens the right popup', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${server.url}/big.html`);
    await p.waitForFunction(() => 'VodiaCall' in window);
    const cdp = await context.newCDPSession(p);
    const listenersOf = async (expression: string) => {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      return listeners.map((l: { type: string }) => l.type).sort();
    };
    expect(await listenersOf('document')).toEqual(['click', 'keydown']);
    expect(await listenersOf('document.querySelector("a[data-vodia-call]")')).toEqual([]);
    expect(await listenersOf('document.querySelectorAll("a[data-vodia-call]")[9999]')).toEqual([]);
    const [popup] = await Promise.all([context.waitForEvent('page'), p.click('a[data-vodia-call="10999"]')]);
    expect(popup.url()).toBe(`${server.url}/makecall.html?destnumber=10999&page=${encodeURIComponent(`${server.url}/big.html`)}`);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the binder\'s caller context and call events, as a site uses them', () => {
  it('data-page-query and data-vodia-context reach the popup URL; its messages become vodia-call:state events and dataLayer entries', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${server.url}/events.html?utm_source=news#section`);
    await p.waitForFunction(() => 'VodiaCall' in window);
    const [popup] = await Promise.all([context.waitForEvent('page'), p.click('a[data-vodia-call]')]);
    const opened = new URL(popup.url());
    expect(opened.searchParams.get('page')).toBe(`${server.url}/events.html?utm_source=news`);
    expect(opened.searchParams.get('context')).toBe('Sales');
    // The popup page reports as the real one does (its own call is not what this test is about).
    await popup.evaluate(() => {
      window.opener.postMessage({ source: 'vodia-call', state: 'connecting' }, '*');
      window.opener.postMessage({ source: 'vodia-call', state: 'failed', error: 'busy' }, '*');
    });
    await p.waitForFunction(() => (window as unknown as { __events: unknown[] }).__events.length === 2);
    expect(await p.evaluate(() => (window as unknown as { __events: unknown[] }).__events)).toEqual([
      { number: '100', state: 'connecting' }, { number: '100', state: 'failed', error: 'busy' },
    ]);
    expect(await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer)).toEqual([
      { event: 'vodia_call', vodia_call_state: 'connecting', vodia_call_number: '100' },
      { event: 'vodia_call', vodia_call_state: 'failed', vodia_call_number: '100' },
    ]);
    // VodiaCall.call() tells the popup the page too. A window of its own name: a window.open by the old name
    // while the closed popup is still going away would reuse it and open no new page (seen as a 30 s timeout).
    await popup.close();
    const [second] = await Promise.all([context.waitForEvent('page'), p.evaluate(() => { (window as unknown as { VodiaCall: { call(n: string, o: object): void } }).VodiaCall.call('200', { windowName: 'second' }); })]);
    expect(new URL(second.url()).searchParams.get('page')).toBe(`${server.url}/events.html?utm_source=news`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
