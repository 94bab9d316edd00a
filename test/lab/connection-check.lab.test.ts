import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { BROWSERS, ensureBrowsers } from '../../scripts/lib/browsers.mjs';
import { keepLabLogs, launchVisitorBrowser, readLab, REPO_ROOT, setFirewall, turnCredentials, type FirewallMode, type Lab } from '../../scripts/lab/lab.mjs';

// The connection test (makecall.html?check) from where visitors are (scripts/lab/lab.sh): the browser in the
// visitor's namespace behind the NAT router, the PBX WebSocket through nginx, coturn for STUN and TURN. Each
// network the router can make gets the verdicts a visitor there should read; the page passes axe and fits
// 230 x 300. Screenshots: /tmp/shots/check-BROWSER-NAME.png.

type Kind = 'chromium' | 'firefox';
const SHOTS = '/tmp/shots';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let lab: Lab;

beforeAll(() => {
  lab = readLab();
  ensureBrowsers();
  for (const f of ['makecall.html', 'makecall.js', 'connection-check.js', 'makecall.css']) copyFileSync(resolve(REPO_ROOT, 'dist', f), resolve(lab.www, f));
  mkdirSync(resolve(lab.www, 'i18n'), { recursive: true });
  copyFileSync(resolve(REPO_ROOT, 'dist/i18n/de.json'), resolve(lab.www, 'i18n/de.json'));
  mkdirSync(SHOTS, { recursive: true });
});

interface Result {
  summary: string; summaryLevel: string;
  rows: Record<'mic' | 'pbx' | 'ice', { code: string; level: string; text: string }>;
  found: string;
}

describe.each(BROWSERS as Kind[])('%s: the connection test in the lab', (kind) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchVisitorBrowser(lab, kind);
  }, 60_000);
  afterAll(async () => { await browser?.close(); });
  afterEach(async () => { await setFirewall('open'); });

  const turn = (urls: string | string[], name = 'check') => ({ urls, ...turnCredentials(lab.turn.secret, name) });

  /** Opens the test in a 230 x 300 window on this network with this configuration; resolves when every row has its verdict. */
  async function check(name: string, firewall: FirewallMode, config: Record<string, unknown>, query = 'check') {
    await setFirewall(firewall);
    writeFileSync(resolve(lab.www, 'makecall.config.json'), JSON.stringify({ domain: lab.pbx.domain, server: lab.ws.proxied, ...config }));
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const problems: string[] = [];
    // Firefox reports a WebSocket that cannot connect as a page error of its own (one test is about that).
    page.on('pageerror', (e) => { if (!/connection to wss:\/\/|establish a connection to the server at wss:\/\//.test(String(e))) problems.push(String(e)); });
    page.on('console', (m) => {
      // A WebSocket that cannot connect is what one test is about; browsers log it.
      if (m.type() === 'error' && !/WebSocket/.test(m.text())) problems.push(m.text());
    });
    onTestFailed(() => { keepLabLogs(lab, `check ${kind} ${name}`); });
    await page.setViewport({ width: 230, height: 300 });
    const t0 = Date.now();
    await page.goto(`${lab.pageBaseUrl}makecall.html?${query}`);
    await page.waitForSelector('#vodia-call[data-check="done"]', { timeout: 15_000 });
    const ms = Date.now() - t0;
    const result: Result = await page.evaluate(() => {
      const row = (part: string) => {
        const el = document.querySelector(`[data-part="${part}"]`)!;
        return { code: el.getAttribute('data-code')!, level: el.getAttribute('data-verdict')!, text: el.querySelector('.vc-verdict')!.textContent! };
      };
      const sum = document.querySelector('[role="status"]')!;
      return {
        summary: sum.textContent!, summaryLevel: sum.getAttribute('data-verdict')!,
        rows: { mic: row('mic'), pbx: row('pbx'), ice: row('ice') }, found: document.querySelector('.vc-found')!.textContent!,
      };
    });
    console.log(`[lab] ${kind} ${name}: ${ms} ms, ${result.summaryLevel}; mic ${result.rows.mic.code}, pbx ${result.rows.pbx.code}, ice ${result.rows.ice.code} (${result.found})`);
    return { page, result, problems, close: () => context.close() };
  }

  /** axe finds nothing serious; nothing sticks out sideways or is cut off in the 230 px window. */
  async function accessibleAndFits(page: Page) {
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    const overflowing = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll<HTMLElement>('#vodia-call h1, #vodia-call h2, #vodia-call p, #vodia-call label, #vodia-call button, #vodia-call a, #vodia-call meter')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 || el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.tagName} ${el.textContent}`);
    });
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(230);
  }

  /** The window as the visitor sees it once they scroll the list to the network's verdict (the summary and buttons stay). */
  async function shot(page: Page, path: string) {
    await page.$eval('.vc-checks', (list) => { list.scrollTop = list.scrollHeight; });
    // Not beyond the viewport: Chromium would grow the window for the capture, and the list would no longer scroll.
    await page.screenshot({ path: path as `${string}.png`, captureBeyondViewport: false });
  }

  it('an open network: microphone, PBX, STUN and TURN all work; all green', async () => {
    const { page, result, problems, close } = await check('open', 'open', {
      iceServers: [{ urls: lab.turn.urls.stun }, turn([lab.turn.urls.udp, lab.turn.urls.tcp])],
    }, 'check&destnumber=100');
    expect(result.rows.pbx.code).toBe('pbx.ok');
    expect(result.rows.ice.code).toBe('ice.ok');
    expect(result.found).toBe('Found: local address, public address (STUN), relay (TURN).');
    // Chromium's fake microphone plays a tone, and the meter shows it. Firefox here has no audio device, so its
    // AudioContext never starts, not even after a click (a visitor's Firefox starts it at the first click): the
    // microphone is "on", which is no failure, rather than a false "silent".
    if (kind === 'chromium') {
      expect(result.rows.mic.code).toBe('mic.ok');
      await page.waitForFunction(() => Number(document.querySelector('meter')!.getAttribute('value')) > 0.01, { timeout: 5000 });
    } else {
      expect(result.rows.mic.code).toBe('mic.on');
      expect(result.rows.mic.text).toBe('The microphone is on. Click anywhere on this page to see its level.');
    }
    expect(result.summaryLevel).toBe('ok');
    expect(result.summary).toBe('Your browser and network are ready for calls.');
    expect(await page.$eval('a[data-action="back"]', (a) => a.getAttribute('href'))).toBe(`${lab.pageBaseUrl}makecall.html?destnumber=100`);
    await accessibleAndFits(page);
    await shot(page, `${SHOTS}/check-${kind}-open.png`);
    expect(problems).toEqual([]);
    await close();
  });

  it('UDP blocked, TURN over TCP and TLS reachable: no public address, the relay works, calls work through it', async () => {
    const { page, result, problems, close } = await check('udp blocked turn tcp', 'udp-blocked', {
      iceServers: [{ urls: lab.turn.urls.stun }, turn([lab.turn.urls.udp, lab.turn.urls.tcp, lab.turn.urls.tlsByName])],
    });
    expect(result.rows.pbx.code).toBe('pbx.ok');
    expect(result.rows.ice.code).toBe('ice.relay');
    expect(result.found).toBe('Found: local address, relay (TURN).');
    expect(result.rows.ice.text).toContain('calls will work through the site’s relay (TURN) server');
    expect(result.summaryLevel).toBe('ok');
    await accessibleAndFits(page);
    await shot(page, `${SHOTS}/check-${kind}-relay.png`);
    expect(problems).toEqual([]);
    await close();
  });

  it('UDP blocked and only STUN configured: the audio is blocked, ask for a TURN server', async () => {
    const { page, result, problems, close } = await check('udp blocked no turn', 'udp-blocked', { iceServers: [{ urls: lab.turn.urls.stun }] });
    expect(result.rows.pbx.code).toBe('pbx.ok');
    expect(result.rows.ice.code).toBe('ice.blocked');
    expect(result.rows.ice.text).toBe('Your network blocks call audio. Try another network (mobile data, say), or ask the site owner for a TURN server.');
    expect(result.summaryLevel).toBe('bad');
    await accessibleAndFits(page);
    await shot(page, `${SHOTS}/check-${kind}-blocked.png`);
    expect(problems).toEqual([]);
    await close();
  });

  it('UDP blocked and the TURN server only over UDP: blocked, and the TURN server could not be reached (in German)', async () => {
    const { page, result, problems, close } = await check('udp blocked turn udp', 'udp-blocked', {
      iceServers: [{ urls: lab.turn.urls.stun }, turn(lab.turn.urls.udp)],
    }, 'check&lang=de');
    expect(result.rows.ice.code).toBe('ice.blocked-turn');
    expect(result.rows.ice.text).toContain('TURN-Server war nicht erreichbar');
    expect(result.summaryLevel).toBe('bad');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await accessibleAndFits(page);
    await shot(page, `${SHOTS}/check-${kind}-blocked-turn-de.png`);
    expect(problems).toEqual([]);
    await close();
  });

  it('only TCP 443 open: the PBX on its own port cannot be reached within 5 s; TURN over TLS on 443 still relays', async () => {
    const { page, result, problems, close } = await check('pbx unreachable', 'tcp443-only', {
      server: lab.ws.directTls,
      iceServers: [{ urls: lab.turn.urls.stun }, turn(lab.turn.urls.tlsByName)],
    });
    expect(result.rows.pbx.code).toBe('pbx.unreachable');
    expect(result.rows.pbx.text).toContain('The phone system cannot be reached.');
    expect(result.rows.ice.code).toBe('ice.relay');
    expect(result.summaryLevel).toBe('bad');
    await accessibleAndFits(page);
    await shot(page, `${SHOTS}/check-${kind}-pbx-unreachable.png`);
    expect(problems).toEqual([]);
    await close();
  });

  it('a TURN credential the server refuses, on an open network: named, calls still work directly', async () => {
    const { result, problems, close } = await check('turn refused', 'open', {
      iceServers: [{ urls: lab.turn.urls.stun }, { urls: lab.turn.urls.udp, username: '1:expired', credential: 'wrong' }],
    });
    expect(result.found).toBe('Found: local address, public address (STUN).');
    // Chromium reports the TURN server's 401; where a browser does not, it is still "could not be reached".
    expect(['ice.turn-refused', 'ice.turn-down']).toContain(result.rows.ice.code);
    expect(result.rows.ice.level).toBe('warn');
    expect(problems).toEqual([]);
    await close();
  });
});
