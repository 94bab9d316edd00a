import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { CATALOGUES } from '../../src/core/catalogues.js';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// Every state in every language must fit the 230 x 300 window the binder opens: translations run
// longer than English. A screenshot of each lands in test-output/screenshots/states/.
const OUT = resolve(REPO_ROOT, 'test-output/screenshots/states');
const STATES = [
  'login', 'confirm', 'confirm-signed', 'ringing', 'established', 'reconnecting', 'ended',
  'failed:auth-failed', 'failed:mic-denied', 'failed:pbx-unreachable', 'failed:link-expired', 'failed:media-blocked', 'failed:framed',
];
let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const bundle = await build({ entryPoints: [resolve(REPO_ROOT, 'test/browser/fixtures/popup-states-entry.ts')], bundle: true, write: false, format: 'iife', target: 'es2020' });
  const html = readFileSync(resolve(REPO_ROOT, 'src/popup/makecall.html'), 'utf8').replace('makecall.js', 'states.js');
  server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    files: { '/states.html': html, '/states.js': bundle.outputFiles[0].text },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(Object.keys(CATALOGUES))('popup in %s at 230 x 300', (lang) => {
  it.each(STATES)('%s fits, with nothing cut off', async (show) => {
    const page = await browser.newPage({ viewport: { width: 230, height: 300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/states.html?lang=${lang}&show=${encodeURIComponent(show)}`);
    await page.waitForSelector(`#vodia-call[data-state="${show.startsWith('confirm') ? 'login' : show.split(':')[0]}"]`);
    const overflow = await page.evaluate(() => {
      const doc = document.documentElement;
      // Any control whose text is clipped or wraps onto a second line.
      const clipped = Array.from(document.querySelectorAll<HTMLElement>('button, select, label, .vc-status, .vc-number'))
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || (el.tagName === 'BUTTON' && el.getClientRects().length && el.offsetHeight > 40))
        .map((el) => `${el.tagName.toLowerCase()}:${el.textContent?.trim()}`);
      return { w: doc.scrollWidth, h: doc.scrollHeight, clipped };
    });
    await page.screenshot({ path: resolve(OUT, `${lang}-${show.replace(':', '-')}.png`) });
    expect(overflow.w, 'page width').toBeLessThanOrEqual(230);
    expect(overflow.h, 'page height').toBeLessThanOrEqual(300);
    expect(overflow.clipped, 'clipped or wrapped controls').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
