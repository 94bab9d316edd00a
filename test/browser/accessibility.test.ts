import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { CATALOGUES } from '../../src/core/catalogues.js';
import { ERROR_CODES } from '../../src/core/error-codes.js';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// Every popup state, in every language, light and dark, at the size the binder opens (230 x 300)
// and at 200 % zoom (the same window shows 115 x 150 CSS pixels): axe-core finds no serious or
// critical violation, no control is out of reach sideways, no English is left in a translated
// window; and at 230 x 300 everything fits without scrolling and no control is clipped or wraps
// (translations run longer than English). Screenshots: test-output/screenshots/states/ (230 x 300,
// light) and zoom/ (a few states at 200 %).
const OUT = resolve(REPO_ROOT, 'test-output/screenshots/zoom');
const STATES_OUT = resolve(REPO_ROOT, 'test-output/screenshots/states');
const STATES = [
  'login', 'login-missing', 'confirm', 'confirm-signed', 'connecting', 'ringing', 'established', 'reconnecting', 'ended', 'ended-again',
  ...ERROR_CODES.map((c) => `failed:${c}`),
];
const SIZES = [
  { name: '230x300', viewport: { width: 230, height: 300 }, deviceScaleFactor: 1 },
  { name: 'zoom200', viewport: { width: 115, height: 150 }, deviceScaleFactor: 2 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  mkdirSync(STATES_OUT, { recursive: true });
  const bundle = await build({ entryPoints: [resolve(REPO_ROOT, 'test/browser/fixtures/popup-states-entry.ts')], bundle: true, write: false, format: 'iife', target: 'es2020' });
  const html = readFileSync(resolve(REPO_ROOT, 'src/popup/makecall.html'), 'utf8').replace('makecall.js', 'states.js');
  server = await startStaticServer({
    mounts: { '/': resolve(REPO_ROOT, 'dist') },
    files: { '/states.html': html, '/states.js': bundle.outputFiles[0].text, '/axe.js': axeSource },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Finding { state: string; problems: string[] }

/** Every English string of the catalogue that this language translates differently: none may show. */
function untranslated(lang: string): string[] {
  if (lang === 'en') return [];
  const en = CATALOGUES.en;
  return Object.entries(en).filter(([k, v]) => CATALOGUES[lang][k as keyof typeof en] !== v && !v.includes('{')).map(([, v]) => v);
}

async function checkState(page: Page, lang: string, state: string, zoomed: boolean): Promise<string[]> {
  // One page per language, scheme and size; each state is mounted in place of the last.
  await page.evaluate(([s, l]) => (window as unknown as { showState(s: string, l: string): void }).showState(s, l), [state, lang]);
  const dataState = state.startsWith('confirm') || state === 'login-missing' ? 'login' : state.split(':')[0].replace('ended-again', 'ended');
  await page.waitForSelector(`#vodia-call[data-state="${dataState}"] main:not([hidden])`);
  if (state === 'ended-again') await page.waitForSelector('[data-action="again"]');
  if (state.startsWith('confirm')) await page.waitForSelector('form[name="confirm"] [type="submit"]:not([disabled])');
  const result = await page.evaluate(async ({ zoomed, english }) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    const problems = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `axe ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    const controls = Array.from(document.querySelectorAll<HTMLElement>('button, input, select, a[href], [tabindex]'))
      .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0);
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < -1 || r.right > width + 1) problems.push(`${zoomed ? 'zoomed: ' : ''}${el.tagName.toLowerCase()} "${el.textContent?.trim() || el.getAttribute('aria-label')}" reaches ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    }
    // Accessible names and visible texts, none of them English in a translated window.
    const shown = new Set<string>();
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      for (const a of ['aria-label', 'placeholder', 'title']) { const v = el.getAttribute(a); if (v) shown.add(v.trim()); }
      if (el.children.length === 0 && el.textContent?.trim()) shown.add(el.textContent.trim());
    }
    if (document.title) shown.add(document.title);
    for (const e of english) if (shown.has(e)) problems.push(`English left: "${e}"`);
    if (!zoomed) {
      // The window the binder opens: nothing scrolls, no control's text is clipped or wraps to a second line.
      if (document.documentElement.scrollHeight > document.documentElement.clientHeight) problems.push(`scrolls: ${document.documentElement.scrollHeight} > ${document.documentElement.clientHeight}`);
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, select, label, .vc-status, .vc-number'))) {
        if (el.offsetParent === null) continue;
        if (el.scrollWidth > el.clientWidth + 1 || (el.tagName === 'BUTTON' && el.getClientRects().length && el.offsetHeight > 40)) {
          problems.push(`clipped or wrapped: ${el.tagName.toLowerCase()} "${el.textContent?.trim()}"`);
        }
      }
    }
    return problems;
  }, { zoomed, english: untranslated(lang) });
  return result;
}

// Two windows at a time: on two cores that halves the wall time, and axe and layout are per page.
describe.concurrent.each(SIZES.map((s) => [s.name, s] as const))('popup at %s', (sizeName, size) => {
  describe.each(SCHEMES.map((s) => [s]))('%s scheme', (scheme) => {
    it.each(Object.keys(CATALOGUES).map((l) => [l]))('%s: every state passes axe (no serious or critical), reaches every control, speaks its language', async (lang) => {
      const context = await browser.newContext({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor, colorScheme: scheme });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}/states.html?lang=${lang}`);
      await page.addScriptTag({ url: `${server.url}/axe.js` });
      const findings: Finding[] = [];
      for (const state of STATES) {
        const problems = await checkState(page, lang, state, sizeName === 'zoom200');
        if (problems.length) findings.push({ state, problems });
        if (sizeName === 'zoom200' && scheme === 'light' && ['de', 'en', 'pl'].includes(lang) && ['login', 'established', 'failed:config', 'confirm'].includes(state)) {
          await page.screenshot({ path: resolve(OUT, `${lang}-${state.replace(':', '-')}.png`), fullPage: true });
        }
        if (sizeName === '230x300' && scheme === 'light') await page.screenshot({ path: resolve(STATES_OUT, `${lang}-${state.replace(':', '-')}.png`) });
      }
      await context.close();
      expect(findings).toEqual([]);
      expect(errors).toEqual([]);
    }, 120_000);
  });
});

describe('the binder on a page', () => {
  it('makes late and href-less call elements keyboard buttons; its blocked notice passes axe, is dismissed, gives the focus back', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    // A popup blocker: window.open gives nothing, so the binder shows its notice.
    await page.addInitScript(() => { window.open = () => null; });
    await page.goto(`${server.url}/states.html`); // any page of the site; the binder goes on it below
    await page.evaluate(async (src) => {
      document.body.innerHTML = '<main><h1>Contact</h1><p><a data-vodia-call="100">Sales, no href</a></p></main>';
      const s = document.createElement('script');
      s.src = src;
      s.dataset.popupUrl = '/makecall.html';
      s.dataset.lang = 'de';
      document.head.append(s);
      await new Promise((r) => s.addEventListener('load', r));
      // Added after the binder ran, as a page's own script or a lazy section would.
      document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p><span data-vodia-call="200">Support, added later</span></p>');
    }, `${server.url}/vodia-call.js`);
    const focused: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => `${document.activeElement?.getAttribute('role')}:${document.activeElement?.textContent}`));
    }
    expect(focused).toEqual(['button:Sales, no href', 'button:Support, added later']);
    await page.keyboard.press('Enter'); // on "Support": blocked, so the notice
    const notice = page.locator('[data-vodia-call-blocked]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Ihr Browser hat das Anruffenster blockiert.');
    await page.addScriptTag({ url: `${server.url}/axe.js` });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string }[] }> } }).axe;
      return (await axe.run(document, { resultTypes: ['violations'] })).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
    expect(await page.getAttribute('[data-vodia-call-blocked] button', 'aria-label')).toBe('Schließen');
    await page.keyboard.press('Escape');
    await notice.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Support, added later');
    await context.close();
  });
});
