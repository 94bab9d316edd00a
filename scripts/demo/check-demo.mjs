// `scripts/demo.sh --check`: the running demo as a visitor meets it, in headless Chromium. The static demo page
// and its popup configuration answer; on the WordPress page the plugin's links are there (shortcodes, block,
// the "Pricing page" context), and a click on the echo link gets a real call established through the
// demo PBX, then hung up; the printed admin login opens the plugin's settings, set up for that PBX. Screenshots: VODIA_DEMO_SHOTS (default test-output/demo/), demo-wp*.png.
// Ends with "N passed, M failed" like the other suites' logs.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../lib/chromium.mjs';

const REPO = resolve(import.meta.dirname, '../..');
const state = JSON.parse(readFileSync(process.env.VODIA_DEMO_STATE ?? resolve(REPO, '.run/demo.json'), 'utf8'));
const shots = process.env.VODIA_DEMO_SHOTS ?? resolve(REPO, 'test-output/demo');
mkdirSync(shots, { recursive: true });

let passed = 0;
let failed = 0;
async function check(name, run) {
  try {
    await run();
    passed++;
    console.log(`  ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}: ${String(e?.message ?? e).split('\n')[0]}`);
  }
}
function expect(ok, why) {
  if (!ok) throw new Error(why);
}

await check('the static demo page and its popup configuration answer', async () => {
  const page = await fetch(`${state.url}/`);
  expect(page.ok && (await page.text()).includes('/call/vodia-call.js'), `${state.url}/ answered ${page.status} without the binder`);
  const config = await fetch(`${state.url}/call/makecall.config.json`).then((r) => r.json());
  expect(typeof config.server === 'string' && typeof config.domain === 'string', 'makecall.config.json has no server or domain');
  for (const f of ['vodia-call.js', 'makecall.html', 'makecall.js', 'makecall.css', 'i18n/de.json']) {
    const r = await fetch(`${state.url}/call/${f}`);
    expect(r.ok, `/call/${f} answered ${r.status}`);
  }
});

if (state.wp) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await check('the WordPress page shows the shortcode and block links', async () => {
      const r = await page.goto(state.wp.page);
      expect(r?.ok(), `${state.wp.page} answered ${r?.status()}`);
      const links = await page.$$eval('[data-vodia-call]', (els) => els.map((e) => ({ number: e.getAttribute('data-vodia-call'), text: e.textContent?.trim(), context: e.getAttribute('data-vodia-context') })));
      console.log(`        links: ${JSON.stringify(links)}`);
      expect(links.some((l) => l.text === 'Echo test'), 'no shortcode link "Echo test"');
      expect(links.some((l) => l.text === 'Call sales'), 'no shortcode link "Call sales"');
      expect(await page.locator('.wp-block-vodia-call-click-to-call [data-vodia-call]').count() === 1, 'no block link');
      expect(await page.locator('script[src*="vodia-click-to-call/assets/dist/vodia-call.js"]').count() === 1, 'the binder is not on the page');
      await page.screenshot({ path: resolve(shots, 'demo-wp-page.png'), fullPage: true });
    });

    await check('the link with context="Pricing page" carries it for the PBX (data-vodia-context)', async () => {
      expect(await page.locator('[data-vodia-context="Pricing page"]').count() === 1, 'no link with data-vodia-context="Pricing page"');
    });

    await check('a click on the echo link: the popup gets a real call established, then hangs up', async () => {
      const link = page.getByText('Echo test', { exact: true });
      const [popup] = await Promise.all([page.waitForEvent('popup', { timeout: 10_000 }), link.click()]);
      popup.on('pageerror', (e) => errors.push(`popup: ${e}`));
      try {
        await popup.waitForSelector('#vodia-call[data-state="established"]', { timeout: 30_000 });
      } catch (e) {
        const got = await popup.getAttribute('#vodia-call', 'data-state').catch(() => '?');
        const error = await popup.getAttribute('[role="alert"]', 'data-error').catch(() => null);
        await popup.screenshot({ path: resolve(shots, 'demo-wp-popup-failed.png') }).catch(() => {});
        throw new Error(`the popup reached "${got}"${error ? ` (${error})` : ''}, not "established"`);
      }
      await popup.screenshot({ path: resolve(shots, 'demo-wp-popup-established.png') });
      await page.screenshot({ path: resolve(shots, 'demo-wp-calling.png') });
      const closed = popup.waitForEvent('close', { timeout: 15_000 });
      await popup.click('[data-action="hangup"]');
      await closed;
    });

    await check('the printed admin login opens the settings page, set up for the demo PBX', async () => {
      const admin = await browser.newPage();
      await admin.goto(`${state.wp.url}/wp-login.php`);
      await admin.fill('#user_login', state.wp.admin.user);
      await admin.fill('#user_pass', state.wp.admin.password);
      await Promise.all([admin.waitForURL(/wp-admin/), admin.click('#wp-submit')]);
      await admin.goto(`${state.wp.url}/wp-admin/options-general.php?page=vodia-click-to-call`);
      const config = await fetch(`${state.url}/call/makecall.config.json`).then((r) => r.json());
      const server = await admin.inputValue('#vodia_call_server');
      expect(server === config.server, `the settings page shows server ${JSON.stringify(server)}, the demo PBX is ${config.server}`);
      expect(await admin.inputValue('#vodia_call_domain') === config.domain, 'the settings page shows another domain');
      await admin.screenshot({ path: resolve(shots, 'demo-wp-settings.png'), fullPage: true });
      await admin.close();
    });

    await check('no script errors on the WordPress page or in the popup', async () => {
      expect(errors.length === 0, errors.join('; '));
    });
  } finally {
    await browser.close();
  }
} else {
  console.log('  (no WordPress in this demo run)');
}

console.log(`demo check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
