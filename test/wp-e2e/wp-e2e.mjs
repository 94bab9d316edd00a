// Browser test of the WordPress plugin against a real WordPress and the reference PBX (SPEC 4, 5, 6).
// Run it with scripts/wp/test-wp-e2e.sh, which starts and stops both stacks; it reads
//   VODIA_WP_SITE_JSON  the WordPress stack's site.json (URL, admin and subscriber logins)
//   VODIA_PBX_RUN_DIR   the PBX stack's run folder (stack.json: ws URL, domain, accounts, numbers)
//
// What it shows: an admin saves the settings and the password appears in no page, popup or REST answer
// afterwards; a post with the shortcode and one with the block are published; an anonymous visitor clicks
// the link, the popup (served by the plugin, signed at click time) places the call, Kamailio challenges the
// INVITE, the plugin's endpoint answers the challenge, the call is established, a keypad digit reaches the far
// end, and the far end's hangup closes the popup; a subscriber cannot open the settings page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { connectBaresip, readStack, stackAors } from '../../scripts/pbx/baresip-control.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const site = JSON.parse(fs.readFileSync(process.env.VODIA_WP_SITE_JSON ?? path.join(REPO, '.run/wp/site.json'), 'utf8'));
const pbx = readStack(process.env.VODIA_PBX_RUN_DIR);
const account = pbx.accounts.find((a) => a.user === '40') ?? pbx.accounts[0];
const PASSWORD = account.password;
const SHOTS = path.join(REPO, 'test-output/wp-e2e');

let browser;
let baresip;
/** Every text the browser received from WordPress, checked for the password at the end. */
const seen = [];

async function login(context, user, password) {
  const page = await context.newPage();
  await page.goto(`${site.url}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
  return page;
}

/** Records every response body from the site (HTML, JSON) for the password check. */
function recordResponses(context) {
  context.on('response', async (r) => {
    if (!r.url().startsWith(site.url)) return;
    const type = r.headers()['content-type'] ?? '';
    if (!/html|json|javascript|text/.test(type)) return;
    try {
      seen.push({ url: r.url(), body: await r.text() });
    } catch {
      // Redirects and aborted loads have no body.
    }
  });
}

async function restNonce(page) {
  const r = await page.request.get(`${site.url}/wp-admin/admin-ajax.php?action=rest-nonce`);
  assert.equal(r.status(), 200);
  return (await r.text()).trim();
}

describe('WordPress plugin end to end', { timeout: 180_000 }, () => {
  let admin;
  const posts = {};

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    baresip = await connectBaresip({ ...pbx.baresipCtrl, aors: stackAors(pbx) });
    admin = await browser.newContext();
    recordResponses(admin);
  });

  after(async () => {
    baresip?.close();
    await browser?.close();
  });

  it('admin saves the settings; the password is write-only', async () => {
    const page = await login(admin, site.admin.user, site.admin.password);
    await page.goto(`${site.url}/wp-admin/options-general.php?page=vodia-click-to-call`);
    await page.fill('#vodia_call_server', pbx.ws);
    await page.fill('#vodia_call_domain', pbx.domain);
    await page.fill('#vodia_call_extension', account.user);
    await page.fill('#vodia_call_password', PASSWORD);
    await page.fill('#vodia_call_duration', '600');
    await page.selectOption('#vodia_call_mode', 'popup');
    await page.selectOption('#vodia_call_dtmf', 'rfc4733');
    await page.selectOption('#vodia_call_lang', 'en');
    await Promise.all([page.waitForURL(/settings-updated=true/), page.click('#submit')]);
    assert.match(await page.content(), /Settings saved/);
    assert.equal(await page.inputValue('#vodia_call_password'), '');
    assert.equal(await page.inputValue('#vodia_call_server'), pbx.ws);
    assert.match(await page.textContent('#vodia_call_password + .description'), /A password is stored/);
    // The test account's password is short by this plugin's measure: the page says so.
    assert.match(await page.content(), /easy to guess/);
    await page.screenshot({ path: path.join(SHOTS, 'settings.png'), fullPage: true });
  });

  it('publishes a post with the shortcode and one with the block', async () => {
    const page = admin.pages()[0];
    // The block is available in the editor (built by wp-scripts, no react-jsx-runtime needed).
    await page.goto(`${site.url}/wp-admin/post-new.php`);
    await page.waitForFunction(() => window.wp?.blocks?.getBlockType?.('vodia-call/click-to-call'), null, { timeout: 30_000 });
    const nonce = await restNonce(page);
    const create = async (slug, content, status = 'publish') => {
      const r = await page.request.post(`${site.url}/wp-json/wp/v2/posts`, {
        headers: { 'X-WP-Nonce': nonce },
        data: { title: slug, slug, status, content },
      });
      assert.equal(r.status(), 201, await r.text());
      return (await r.json()).link;
    };
    posts.shortcode = await create('call-shortcode', `[vodia_call number="${pbx.numbers.echo}"]Call the echo[/vodia_call]`);
    posts.block = await create('call-block',
      `<!-- wp:vodia-call/click-to-call {"number":"${pbx.numbers.hangup}","label":"Call the hangup line"} /-->`);
    // A draft's number is not offered: the popup page refuses to sign it.
    await create('call-draft', `[vodia_call number="${pbx.numbers.tone}"]x[/vodia_call]`, 'draft');
  });

  /**
   * Content-Security-Policy violations in a context's pages, reported by the browser's own event (and its
   * console message), and the policy the served popup page carried.
   */
  async function watchCsp(context) {
    const csp = { violations: [], popupPolicy: undefined };
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
      });
    });
    context.on('console', (m) => {
      if (/CSP violation|Content Security Policy|Refused to/i.test(m.text())) csp.violations.push(m.text());
    });
    context.on('response', (r) => {
      if (/[?&]vodia_call_popup=1&/.test(r.url()) && /[?&]pass=/.test(r.url()) && r.status() === 200) {
        csp.popupPolicy = r.headers()['content-security-policy'];
      }
    });
    return csp;
  }

  /** An anonymous visitor opens a post, clicks its call link, and gets the popup. */
  async function visitorCall(postUrl, number, name) {
    const context = await browser.newContext();
    recordResponses(context);
    const csp = await watchCsp(context);
    const authorized = [];
    context.on('response', (r) => {
      if (r.url().includes('/wp-json/vodia-call/v1/authorize')) authorized.push(r.status());
    });
    const page = await context.newPage();
    await page.goto(postUrl);
    const link = page.locator(`a[data-vodia-call="${number}"]`);
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match(await link.getAttribute('href'), new RegExp(`vodia_call_popup=1&destnumber=${number}`));
    assert.doesNotMatch(await link.getAttribute('href'), /pass=/);
    const mark = baresip.mark();
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await popup.waitForSelector('[data-state="established"]', { timeout: 20_000 });
    // Signed at click time, then called through Kamailio's challenge answered by the plugin's endpoint.
    assert.match(popup.url(), /[?&]pass=[0-9a-f]{32}/);
    assert.deepEqual(authorized, [200]);
    // The popup ran under its strict policy, and nothing it needed for the call was refused.
    assert.match(csp.popupPolicy ?? '', /^default-src 'none'; script-src \S+\/assets\/dist\/makecall\.js 'sha256-[A-Za-z0-9+/=]+'; style-src \S+\/assets\/dist\/makecall\.css; img-src data:; connect-src ws:\/\/\S+ \S+\/wp-json\/vodia-call\/v1\/authorize; base-uri 'none'; form-action 'none'; frame-ancestors 'self'$/);
    assert.deepEqual(csp.violations, []);
    // The popup knows the post opened it (the signing redirect kept the referrer), and trusts the site's origin,
    // so it dials without asking "Call N?".
    const origin = new URL(site.url).origin;
    assert.equal(await popup.evaluate(() => document.referrer), postUrl);
    assert.deepEqual(await popup.evaluate(() => window.vodiaCallConfig.trustedOrigins), [origin]);
    await popup.screenshot({ path: path.join(SHOTS, `${name}-established.png`) });
    return { context, page, popup, mark, csp };
  }

  it('a visitor calls from the shortcode post: established, a digit arrives, far-end hangup closes the popup', async () => {
    const { context, popup, mark, csp } = await visitorCall(posts.shortcode, pbx.numbers.echo, 'shortcode');
    await baresip.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000, { since: mark });
    await popup.click('[data-dtmf="5"]');
    await baresip.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === '5', 10_000, { since: mark });
    const closed = popup.waitForEvent('close', { timeout: 15_000 });
    await baresip.hangupAll();
    await closed;
    // Through the whole call (media, keypad, hangup) the policy refused nothing.
    assert.deepEqual(csp.violations, []);
    await context.close();
  });

  it('a visitor calls from the block post; the far end hangs up and the popup closes', async () => {
    const { context, popup } = await visitorCall(posts.block, pbx.numbers.hangup, 'block');
    // The hangup number's far end ends the call by itself after a few seconds.
    await popup.waitForEvent('close', { timeout: pbx.hangupAfterMs + 15_000 });
    await context.close();
  });

  it('the popup page signs no number that no published content offers', async () => {
    const context = await browser.newContext();
    const r = await context.request.get(`${site.url}/?vodia_call_popup=1&destnumber=${pbx.numbers.tone}`, { maxRedirects: 0 });
    assert.equal(r.status(), 404);
    assert.doesNotMatch(r.headers().location ?? '', /pass=/);
    await context.close();
  });

  it('another site cannot frame the popup page (no clickjacking of the call window)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const popupUrl = `${site.url}/?vodia_call_popup=1&destnumber=${pbx.numbers.echo}`;
    // Another origin (another port on loopback: Chromium keeps public pages from framing loopback at all).
    const attacker = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><iframe src="${popupUrl}"></iframe>`);
    });
    await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const served = page.waitForResponse((r) => /[?&]pass=/.test(r.url()) && r.status() === 200);
      await page.goto(`http://127.0.0.1:${attacker.address().port}/`);
      const r = await served;
      assert.match(r.headers()['content-security-policy'], /^default-src 'none';.*; frame-ancestors 'self'$/);
      assert.equal(r.headers()['x-frame-options'], 'SAMEORIGIN');
      await page.waitForTimeout(500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the iframe exists');
      assert.equal(await frame.locator('#vodia-call').count(), 0, `the popup rendered inside ${frame.url()}`);
    } finally {
      attacker.closeAllConnections?.();
      attacker.close();
      await context.close();
    }
  });

  it('a subscriber cannot open the settings page', async () => {
    const context = await browser.newContext();
    recordResponses(context);
    const page = await login(context, site.subscriber.user, site.subscriber.password);
    const r = await page.goto(`${site.url}/wp-admin/options-general.php?page=vodia-click-to-call`);
    assert.equal(r.status(), 403);
    assert.doesNotMatch(await page.content(), /vodia_call_settings\[/);
    await context.close();
  });

  it('the password appears in no page, popup or REST answer', async () => {
    const page = admin.pages()[0];
    // A few more places an option could leak through.
    for (const p of ['/wp-json/wp/v2/settings', '/wp-json/', '/wp-admin/options.php']) {
      await page.goto(`${site.url}${p}`).catch(() => undefined);
    }
    assert.ok(seen.length > 10, `only ${seen.length} responses recorded`);
    const leaks = seen.filter((s) => s.body.includes(PASSWORD) || s.body.includes(encodeURIComponent(PASSWORD)));
    assert.deepEqual(leaks.map((l) => l.url), []);
  });
});
