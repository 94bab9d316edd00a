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
let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': resolve(REPO_ROOT, 'dist') }, files: { '/big.html': page(10_000) } });
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
    expect(popup.url()).toBe(`${server.url}/makecall.html?destnumber=10999`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
