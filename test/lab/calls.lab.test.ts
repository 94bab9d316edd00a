import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { addInitScript, BROWSERS, ensureBrowsers, onNewPage } from '../../scripts/lib/browsers.mjs';
import { inNamespace, keepLabLogs, launchVisitorBrowser, readLab, REPO_ROOT, setFirewall, turnCredentials, type FirewallMode, type Lab } from '../../scripts/lab/lab.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { connectBaresip } from '../../scripts/pbx/baresip-control.mjs';
import { onTestFailed } from 'vitest';
import { mediaStats, TRACK_PEER_CONNECTIONS, waitState, type Baresip } from '../e2e/call-harness.js';

// Calls from where visitors are (scripts/lab/lab.sh): the browser in the visitor's namespace behind a NAT
// router with firewall modes; the page, the popup and the PBX WebSocket behind an nginx TLS proxy with a
// short idle timeout; coturn for TURN; the reference PBX on its own address. Every test in both browsers.

type Kind = 'chromium' | 'firefox';

let lab: Lab;
let baresip: Baresip;
const SHOTS = resolve(REPO_ROOT, 'test-output/screenshots/lab');
const account = () => lab.pbx.accounts[0];

/** The site: built binder and popup, a page with one link per number, and the popup's configuration. */
function writeSite(config: Record<string, unknown>): void {
  for (const f of ['vodia-call.js', 'makecall.html', 'makecall.js', 'makecall.css']) copyFileSync(resolve(REPO_ROOT, 'dist', f), resolve(lab.www, f));
  writeFileSync(resolve(lab.www, 'makecall.config.json'), JSON.stringify({ domain: lab.pbx.domain, server: lab.ws.proxied, ...config }));
  const links = Object.entries(lab.pbx.numbers).map(([name, n]) => `<li><a href="#" id="${name}" data-vodia-call="${n}">${name}</a></li>`).join('');
  // Each state the popup reports, with the time the page heard of it: the call's timeline.
  writeFileSync(resolve(lab.www, 'page.html'), `<!doctype html><meta charset="utf-8"><title>lab</title><link rel="icon" href="data:,">
<script>window.__states = []; addEventListener('message', (e) => { if (e.data && e.data.source === 'vodia-call') window.__states.push([e.data.state, Date.now()]); });</script>
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script><ul>${links}</ul>`);
}

async function visitor(browser: Browser, name: string) {
  const context = await browser.createBrowserContext();
  const consoleLines: string[] = [];
  const problems: string[] = [];
  // Pages that open while a test waits for its popup go to it; the site page itself to no one.
  const waiting: ((p: Page) => void)[] = [];
  await onNewPage(context, (p: Page) => {
    p.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${m.text()}`);
      // Chromium logs a WebSocket that broke or could not connect (reconnect tests break it on purpose).
      if (m.type() === 'error' && !/WebSocket connection to .* failed/.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => {
      consoleLines.push(`[pageerror] ${String(e)}`);
      // Firefox reports a WebSocket that broke or could not connect as a page error of its own (a reconnect
      // test breaks it on purpose); Chromium logs it to the console. Anything else is a problem.
      if (!/connection to wss:\/\/|establish a connection to the server at wss:\/\//.test(String(e))) problems.push(String(e));
    });
    waiting.shift()?.(p);
  });
  await addInitScript(context, TRACK_PEER_CONNECTIONS);
  onTestFailed(() => {
    const dir = keepLabLogs(lab, name);
    writeFileSync(resolve(dir, 'browser-console.log'), consoleLines.join('\n') + '\n');
  });
  const page = await context.newPage();
  await page.goto(`${lab.pageBaseUrl}page.html`);
  return {
    context, page, problems,
    /** Clicks a link; resolves with the popup it opened, logged in and asked to call. */
    async call(link: string): Promise<Page> {
      const next = new Promise<Page>((r) => waiting.push(r));
      await page.click(`#${link}`);
      const popup = await next;
      await popup.waitForSelector('form[name="login"]', { timeout: 10_000 });
      await popup.evaluate((user: string, pass: string) => {
        const form = document.querySelector<HTMLFormElement>('form[name="login"]')!;
        (form.elements.namedItem('account') as HTMLInputElement).value = user;
        (form.elements.namedItem('password') as HTMLInputElement).value = pass;
        form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      }, account().user, account().password);
      return popup;
    },
    /** [state, ms] as the opener heard them. */
    timeline: () => page.evaluate(() => (window as unknown as { __states: [string, number][] }).__states),
    /** Waits until the opener has heard these states in this order (a reconnect may take only tens of ms). */
    heard: (states: string[], timeout = 15_000) => page.waitForFunction((want: string[]) => {
      const got = (window as unknown as { __states: [string, number][] }).__states.map(([s]) => s);
      let i = 0;
      for (const s of got) if (s === want[i]) i++;
      return i === want.length;
    }, { timeout, polling: 50 }, states),
    close: () => context.close(),
  };
}

const alertCode = (popup: Page) => popup.$eval('[role="alert"]', (el) => el.getAttribute('data-error'));

/** Audio flows both ways now: packets both ways, and the echo of the visitor's microphone comes back with energy. */
async function expectAudioBothWays(popup: Page, label: string) {
  // Audio may trail an answer or an ICE restart by a moment (checks, DTLS, a relay): wait until packets arrive.
  const t0 = Date.now();
  const first = (await mediaStats(popup)).inbound;
  while (Math.abs((await mediaStats(popup)).inbound - first) < 10 && Date.now() - t0 < 6000) await new Promise((r) => setTimeout(r, 100));
  if (Date.now() - t0 > 300) console.log(`[lab] ${label}: inbound audio after ${Date.now() - t0} ms`);
  const a = await mediaStats(popup);
  await new Promise((r) => setTimeout(r, 2000));
  const b = await mediaStats(popup);
  expect(b.inbound - a.inbound, `${label}: RTP packets received in 2 s`).toBeGreaterThan(50);
  expect(b.outbound - a.outbound, `${label}: RTP packets sent in 2 s`).toBeGreaterThan(50);
  expect(b.energy - a.energy, `${label}: energy of the echo heard in 2 s`).toBeGreaterThan(0);
  return b;
}

/** Whether RTP from the far end reaches the popup within `ms`. */
async function inboundWithin(popup: Page, ms: number): Promise<boolean> {
  const t0 = Date.now();
  const first = (await mediaStats(popup)).inbound;
  while (Date.now() - t0 < ms) {
    if ((await mediaStats(popup)).inbound - first >= 10) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** What baresip's last RTCP report says it sent, for the log. */
function farEndSent(): string {
  const rtcp = [...baresip.events].reverse().find((e) => e.type === 'CALL_RTCP') as { rtcp_stats?: { tx?: { sent?: number } } } | undefined;
  return rtcp ? `last RTCP tx ${rtcp.rtcp_stats?.tx?.sent}` : 'no RTCP report yet';
}

/** Kills the visitor's TCP connections to the web/proxy address: a WebSocket blip as a NAT or proxy restart makes it. */
async function cutWebSocket() {
  const r = await inNamespace(lab, 'visitor', 'ss', ['-K', 'dst', lab.addresses.web, 'dport', '=', '443']);
  expect(r.code, r.stderr).toBe(0);
}

/** The far end hangs up: the popup shows "ended" and closes itself. */
async function farEndHangsUp(popup: Page) {
  const closed = new Promise((r) => popup.once('close', r));
  await baresip.hangupAll();
  await waitState(popup, 'ended', 5000);
  await closed;
}

/** Moves the visitor to another address of its LAN (the route out stays through the router). */
async function renumberVisitor(from: string, to: string) {
  // Without promote_secondaries, deleting the first address of a subnet deletes the second with it.
  const steps = [['sysctl', '-qw', 'net.ipv4.conf.eth0.promote_secondaries=1'], ['ip', 'addr', 'add', `${to}/24`, 'dev', 'eth0'],
    ['ip', 'addr', 'del', `${from}/24`, 'dev', 'eth0'], ['ip', 'route', 'replace', 'default', 'via', lab.addresses.routerLan]];
  for (const [cmd, ...args] of steps) {
    const r = await inNamespace(lab, 'visitor', cmd, args);
    expect(r.code, `${cmd} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

function shot(popup: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  return popup.screenshot({ path: resolve(SHOTS, `${name}.png`) as `${string}.png` });
}

/** PHP: the WordPress plugin's own TURN REST minting (wp-plugin/includes/ice-servers.php), outside WordPress. */
function pluginTurnCredential(secret: string): { username: string; credential: string } {
  const code = 'define("ABSPATH", "/"); define("HOUR_IN_SECONDS", 3600); require $argv[1];'
    + ' echo json_encode(vodia_call_turn_credential($argv[2], time() + VODIA_CALL_TURN_TTL));';
  return JSON.parse(execFileSync('php', ['-r', code, resolve(REPO_ROOT, 'wp-plugin/includes/ice-servers.php'), secret]).toString());
}

beforeAll(async () => {
  lab = readLab();
  ensureBrowsers();
  // The TURN/TLS test mints its credential with the plugin's PHP: on a fresh machine PHP comes with the
  // WordPress suites, which run later.
  execFileSync('bash', ['-c', 'source scripts/lib/common.sh && ensure_debian_packages php-cli'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  baresip = await connectBaresip({ path: lab.pbx.baresipCtrl.path });
});
afterAll(() => baresip?.close());

describe.each(BROWSERS as Kind[])('%s in the lab', (kind) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchVisitorBrowser(lab, kind);
  }, 60_000);
  afterAll(async () => { await browser?.close(); });
  afterEach(async () => {
    await baresip.hangupAll().catch(() => undefined);
    await setFirewall('open');
  });

  async function placed(name: string, firewall: FirewallMode, config: Record<string, unknown>, link = 'echo') {
    await baresip.settle();
    await setFirewall(firewall);
    writeSite(config);
    const v = await visitor(browser, `${kind} ${name}`);
    const popup = await v.call(link);
    return { v, popup };
  }

  it('a call held for three proxy idle timeouts keeps audio both ways; the far end\'s hangup still closes the popup', async () => {
    const { v, popup } = await placed('idle proxy', 'open', {});
    await waitState(popup, 'established');
    const holdMs = 3 * lab.ws.proxyIdleTimeoutS * 1000 + 2000;
    await new Promise((r) => setTimeout(r, holdMs));
    expect((await v.timeline()).map(([s]) => s), 'no reconnect was needed').toEqual(['connecting', 'ringing', 'established']);
    await expectAudioBothWays(popup, `after ${holdMs} ms`);
    await farEndHangsUp(popup);
    expect(v.problems).toEqual([]);
    await v.close();
  }, 3 * readLab().ws.proxyIdleTimeoutS * 1000 + 40_000); // lab.json exists here: the global setup wrote it

  it('UDP blocked and no TURN server: media-blocked within 5 s of the answer, and the far end is hung up', async () => {
    const { v, popup } = await placed('media blocked', 'udp-blocked', {});
    const since = baresip.mark();
    await waitState(popup, 'failed', 15_000);
    expect(await alertCode(popup)).toBe('media-blocked');
    const t = Object.fromEntries(await v.timeline());
    expect(t.failed - t.established, 'answer to media-blocked, ms').toBeLessThan(5000);
    console.log(`[lab] ${kind}: answer -> media-blocked in ${t.failed - t.established} ms`);
    await baresip.waitFor((e) => e.type === 'CALL_CLOSED', 5000, { since });
    await shot(popup, `${kind}-media-blocked`);
    expect(v.problems).toEqual([]);
    await v.close();
  });

  // A static site publishes a static credential; the WordPress plugin mints one per call window (PHP, its own code).
  it.each([
    ['TCP', 'all', () => ({ urls: lab.turn.urls.tcp, ...turnCredentials(lab.turn.secret, 'static-site') })],
    ['TLS', 'relay', () => ({ urls: lab.turn.urls.tlsByName, ...pluginTurnCredential(lab.turn.secret) })],
  ] as const)('only TCP 443 open: TURN over %s on 443 relays the call, audio both ways (ICE policy %s)', async (transport, policy, server) => {
    // The far end (baresip) sometimes starts no encoder for a call that follows another closely: its log
    // shows a decoder and a player but no encoder and no source, its RTCP tx stays 0, while rtpengine counts
    // every packet the browser sent through coturn. Seen three times in CI on this test, with the echo and with
    // the tone. That is the test stack's fault, not the relay's: one more call, after a longer pause, says so
    // in the log; a relay that carries nothing fails both.
    const config = { iceServers: [server()], iceTransportPolicy: policy };
    let { v, popup } = await placed(`turn ${transport}`, 'tcp443-only', config, 'tone');
    await waitState(popup, 'established');
    if (!(await inboundWithin(popup, 6000))) {
      console.log(`[lab] ${kind} TURN/${transport}: no audio from the far end in 6 s (baresip: ${farEndSent()}); calling once more`);
      await popup.click('[data-action="hangup"]').catch(() => undefined);
      await v.close();
      await baresip.settle(2000);
      ({ v, popup } = await placed(`turn ${transport} again`, 'tcp443-only', config, 'tone'));
      await waitState(popup, 'established');
    }
    const s = await expectAudioBothWays(popup, `TURN/${transport}`);
    expect(s.relay, `candidate pair in use: ${s.pair}`).toBe(true);
    await popup.click('[data-action="hangup"]');
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it('a WebSocket cut mid-call: reconnecting, back with the media untouched, and the far end\'s hangup still closes the popup', async () => {
    const { v, popup } = await placed('ws cut far hangup', 'open', {});
    await waitState(popup, 'established');
    const before = await mediaStats(popup);
    const cutAt = Date.now();
    await cutWebSocket();
    await v.heard(['established', 'reconnecting', 'established']);
    const t = await v.timeline();
    const lost = t.find(([s]) => s === 'reconnecting')![1];
    const back = t.filter(([s]) => s === 'established')[1]![1];
    console.log(`[lab] ${kind}: WebSocket cut -> reconnecting ${lost - cutAt} ms -> established again ${back - cutAt} ms`);
    const after = await expectAudioBothWays(popup, 'after the reconnect');
    expect(after.inbound - before.inbound, 'packets kept coming through the reconnect').toBeGreaterThan(((Date.now() - cutAt) / 20) * 0.8);
    // A digit still reaches the far end, and so does the far end's BYE, over the new connection.
    const since = baresip.mark();
    await popup.click('[data-dtmf="7"]');
    await baresip.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === '7', 5000, { since });
    await farEndHangsUp(popup);
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it('after a reconnect the visitor\'s hangup reaches the far end', async () => {
    const { v, popup } = await placed('ws cut local hangup', 'open', {});
    await waitState(popup, 'established');
    await cutWebSocket();
    await v.heard(['established', 'reconnecting', 'established']);
    const since = baresip.mark();
    await popup.click('[data-action="hangup"]');
    await baresip.waitFor((e) => e.type === 'CALL_CLOSED', 5000, { since });
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it('the visitor changes networks mid-call (a new address): reconnect with an ICE restart, audio comes back', async () => {
    const { v, popup } = await placed('new address ice restart', 'open', {});
    await waitState(popup, 'established');
    const ufrag = () => popup.evaluate(() => /a=ice-ufrag:(\S+)/.exec((window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(-1)[0]?.localDescription?.sdp ?? '')?.[1]);
    const before = await ufrag();
    const moved = '198.51.100.11';
    try {
      // As Wi-Fi to mobile data: the old address goes, and with it the WebSocket and the media path.
      await renumberVisitor(lab.addresses.visitor, moved);
      await cutWebSocket();
      await v.heard(['established', 'reconnecting', 'established'], 15_000);
      expect(await ufrag(), 'new ICE credentials: the re-INVITE restarted ICE').not.toBe(before);
      await expectAudioBothWays(popup, 'after the ICE restart');
      await farEndHangsUp(popup);
      expect(v.problems).toEqual([]);
    } finally {
      await renumberVisitor(moved, lab.addresses.visitor);
      await v.close();
    }
  }, 40_000);

  it('a WebSocket that cannot come back within 15 s ends the call with network', async () => {
    const { v, popup } = await placed('ws gone', 'open', {});
    await waitState(popup, 'established');
    await setFirewall('offline');
    await cutWebSocket();
    await v.heard(['established', 'reconnecting'], 5000);
    await waitState(popup, 'failed', 20_000);
    expect(await alertCode(popup)).toBe('network');
    const t = Object.fromEntries(await v.timeline());
    expect(t.failed - t.reconnecting, 'reconnecting -> network, ms').toBeGreaterThanOrEqual(14_000);
    expect(t.failed - t.reconnecting, 'reconnecting -> network, ms').toBeLessThan(17_000);
    await shot(popup, `${kind}-network-after-reconnect`);
    expect(v.problems).toEqual([]);
    await v.close();
  }, 40_000);
});
