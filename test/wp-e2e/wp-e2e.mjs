// Browser test of the WordPress plugin against a real WordPress and the reference PBX (SPEC 4, 5, 6).
// Run it with scripts/wp/test-wp-e2e.sh, which starts and stops both stacks; it reads
//   VODIA_WP_SITE_JSON  the WordPress stack's site.json (URL, admin and subscriber logins)
//   VODIA_PBX_RUN_DIR   the PBX stack's run folder (stack.json: ws URL, domain, accounts, numbers)
//
// What it shows: an admin saves the settings and the password appears in no page, popup or REST answer
// afterwards; a post with the shortcode and one with the block are published; an anonymous visitor clicks
// the link, the popup (served by the plugin, signed at click time, under its strict Content-Security-Policy)
// places the call, Kamailio challenges the INVITE, the plugin's endpoint answers the challenge, the call is
// established, a keypad digit reaches the far end, and the far end's hangup closes the popup, with no CSP
// violation on the way; an author's post offers its number only once the admin allows authors; line breaks in
// the popup's query and the endpoint's body are refused; a subscriber cannot open the settings page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
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

/**
 * A link signed with the extension's password, as someone who obtained one earlier (or the site itself) would
 * hold it; fields may be changed before signing (a line break in them, say).
 */
function signLink(destnumber, changes = {}) {
  const link = { destnumber, user: `${account.user}@${pbx.domain}`, time: String(Math.floor(Date.now() / 1000)), duration: '600', ...changes };
  link.pass = crypto.createHash('md5').update(link.user + PASSWORD + link.destnumber + link.time + link.duration).digest('hex');
  return link;
}

/** Posts to the digest endpoint as the popup would, for a signed link, and returns status and body. */
async function authorize(context, link, changes = {}) {
  const r = await context.request.post(`${site.url}/wp-json/vodia-call/v1/authorize`, {
    data: {
      ...link, method: 'INVITE', uri: `sip:${link.destnumber}@${pbx.domain}`, status: 407,
      challenge: `Digest realm="${pbx.domain}", nonce="e2e${Date.now()}", qop="auth"`, ...changes,
    },
  });
  return { status: r.status(), body: await r.json().catch(() => undefined) };
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
    assert.match(csp.popupPolicy ?? '', /^default-src 'none'; script-src \S+\/assets\/dist\/makecall\.js 'sha256-[A-Za-z0-9+/=]+'; style-src \S+\/assets\/dist\/makecall\.css; img-src data:; connect-src ws:\/\/\S+ \S+\/wp-json\/vodia-call\/v1\/authorize \S+\/assets\/dist\/i18n\/; base-uri 'none'; form-action 'none'; frame-ancestors 'self'$/);
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

  it('an author\'s post offers its number only after the administrator allows authors', async () => {
    const page = admin.pages()[0];
    const number = pbx.numbers.pcmuEcho;
    // The administrator adds an author; the author logs in and publishes a post with a call link.
    const authorPass = crypto.randomBytes(12).toString('hex');
    const created = await page.request.post(`${site.url}/wp-json/wp/v2/users`, {
      headers: { 'X-WP-Nonce': await restNonce(page) },
      data: { username: 'author', password: authorPass, email: 'author@example.com', roles: ['author'] },
    });
    assert.equal(created.status(), 201, await created.text());
    const authorContext = await browser.newContext();
    recordResponses(authorContext);
    const authorPage = await login(authorContext, 'author', authorPass);
    const published = await authorPage.request.post(`${site.url}/wp-json/wp/v2/posts`, {
      headers: { 'X-WP-Nonce': await restNonce(authorPage) },
      data: { title: 'author-call', slug: 'author-call', status: 'publish', content: `[vodia_call number="${number}"]Call the author's number[/vodia_call]` },
    });
    assert.equal(published.status(), 201, await published.text());
    const postUrl = (await published.json()).link;
    await authorContext.close();

    // An anonymous visitor: the popup page signs nothing for it, and the endpoint answers no link for it,
    // not even one signed with the password.
    const visitor = await browser.newContext();
    const r = await visitor.request.get(`${site.url}/?vodia_call_popup=1&destnumber=${number}`, { maxRedirects: 0 });
    assert.equal(r.status(), 404);
    assert.doesNotMatch(r.headers().location ?? '', /pass=/);
    const signed = signLink(number);
    const served = await visitor.request.get(`${site.url}/?vodia_call_popup=1&${new URLSearchParams(signed)}`, { maxRedirects: 0 });
    assert.equal(served.status(), 404);
    assert.deepEqual(await authorize(visitor, signed), { status: 403, body: { code: 'number-not-offered' } });
    await visitor.close();

    // The administrator allows authors: the same post's number is offered, and a visitor calls it.
    await page.goto(`${site.url}/wp-admin/options-general.php?page=vodia-click-to-call`);
    assert.equal(await page.isChecked('#vodia_call_allow_authors'), false);
    await page.check('#vodia_call_allow_authors');
    await Promise.all([page.waitForURL(/settings-updated=true/), page.click('#submit')]);
    assert.equal(await page.isChecked('#vodia_call_allow_authors'), true);
    const { context, popup, mark } = await visitorCall(postUrl, number, 'author');
    await baresip.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000, { since: mark });
    const closed = popup.waitForEvent('close', { timeout: 15_000 });
    await baresip.hangupAll();
    await closed;
    await context.close();

    // And unticked again: refused at once.
    await page.goto(`${site.url}/wp-admin/options-general.php?page=vodia-click-to-call`);
    await page.uncheck('#vodia_call_allow_authors');
    await Promise.all([page.waitForURL(/settings-updated=true/), page.click('#submit')]);
    const again = await browser.newContext();
    assert.equal((await again.request.get(`${site.url}/?vodia_call_popup=1&destnumber=${number}`, { maxRedirects: 0 })).status(), 404);
    assert.deepEqual(await authorize(again, signLink(number)), { status: 403, body: { code: 'number-not-offered' } });
    await again.close();
  });

  it('line breaks (%0a, %0d%0a, \\n) in the popup page\'s query and the endpoint\'s body are refused over HTTP', async () => {
    const context = await browser.newContext();
    const number = pbx.numbers.echo;
    const popupPage = (query) => context.request.get(`${site.url}/?vodia_call_popup=1&${query}`, { maxRedirects: 0 });
    for (const br of ['%0a', '%0d%0a']) {
      assert.equal((await popupPage(`destnumber=${number}${br}`)).status(), 400, `destnumber${br}`);
      const r = await popupPage(`destnumber=${number}&lang=de${br}`);
      assert.equal(r.status(), 302, `lang=de${br}`);
      assert.doesNotMatch(r.headers().location, /%0a|%0d|lang=de/i);
      for (const field of ['time', 'duration']) {
        // Signed over the value with the line break: the format rule, not only the signature, refuses it.
        const link = signLink(number);
        const broken = signLink(number, { [field]: link[field] + decodeURIComponent(br) });
        const served = await popupPage(new URLSearchParams(broken).toString());
        assert.equal(served.status(), 302, `${field}${br}: signed afresh, not served`);
        assert.doesNotMatch(served.headers().location, /%0a|%0d/i);
        assert.deepEqual(await authorize(context, broken), { status: 400, body: { code: 'malformed' } }, `${field}${br}`);
      }
    }
    const link = signLink(number);
    for (const uri of [`sip:${number}@${pbx.domain}\n`, `sip:${number}@${pbx.domain}\r\n`, `sip:${number}%0a@${pbx.domain}`, `sip:${number}@${pbx.domain}%0a`]) {
      assert.deepEqual(await authorize(context, link, { uri }), { status: 403, body: { code: 'wrong-destination' } }, JSON.stringify(uri));
    }
    const numberWithBreak = signLink(`${number}\n`);
    assert.deepEqual(await authorize(context, numberWithBreak, { uri: `sip:${number}%0A@${pbx.domain}` }), { status: 400, body: { code: 'malformed' } });
    assert.equal((await authorize(context, link, { challenge: `Digest realm="${pbx.domain}", nonce="n\nVia: x", qop="auth"` })).status, 400);
    assert.deepEqual(await authorize(context, link, { challenge: `Digest realm="${pbx.domain}", nonce="a:b", qop="auth"` }), { status: 403, body: { code: 'bad-nonce' } });
    // The same link, unbroken, is answered: the refusals above were for the line breaks alone.
    const ok = await authorize(context, link);
    assert.equal(ok.status, 200);
    assert.doesNotMatch(ok.body.value, /[\r\n]/);
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
