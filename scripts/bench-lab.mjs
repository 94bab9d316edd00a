// npm run bench, second part (root only): call setup from the visitor's namespace of the network lab
// (scripts/lab/lab.sh), through the nginx TLS proxy, in Debian's Chromium. Click to first inbound RTP:
//   - open network, no ICE servers (the lab's baseline);
//   - only TCP 443 open, TURN over TCP on 443, relay only;
//   - open network with an unreachable TURN server configured (nothing answers at its address).
// Writes test-output/bench-lab.json.   BENCH_LAB_CALLS=5  calls of each kind (after one warm-up).
import md5 from 'blueimp-md5';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addInitScript, launchBrowser } from './lib/browsers.mjs';
import { labDown, labUp, setFirewall, turnCredentials } from './lab/lab.mjs';
import { connectBaresip } from './pbx/baresip-control.mjs';
import { OURS, PROBE } from './bench/probes.mjs';

const REPO = resolve(import.meta.dirname, '..');
const N = Number(process.env.BENCH_LAB_CALLS ?? 5);
const RUN_DIR = resolve(REPO, '.run/lab-bench');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const log = (...a) => console.error('[bench-lab]', ...a);

async function main(lab) {
  const { user, password } = lab.pbx.accounts[0];
  for (const f of ['vodia-call.js', 'makecall.html', 'makecall.js', 'makecall.css']) copyFileSync(resolve(REPO, 'dist', f), resolve(lab.www, f));
  writeFileSync(resolve(lab.www, 'ours.html'), OURS.replace('DEST', lab.pbx.numbers.echo));
  const setConfig = (over) => writeFileSync(resolve(lab.www, 'makecall.config.json'), JSON.stringify({ server: lab.ws.proxied, domain: lab.pbx.domain, ...over }));
  const baresip = await connectBaresip({ path: lab.pbx.baresipCtrl.path });
  const browser = await launchBrowser({ kind: 'chromium', netns: lab.namespaces.visitor, ignoreHTTPSErrors: true, args: ['--ignore-certificate-errors'] });
  const context = await browser.createBrowserContext();
  await addInitScript(context, PROBE);
  // A remembered login, as in the loopback bench: no typing inside the measurement.
  const ha1 = md5(`${user}:${lab.pbx.realm}:${password}`);
  await addInitScript(context, `localStorage.setItem('vodia-call.login', ${JSON.stringify(JSON.stringify({ account: user, ha1, realm: lab.pbx.realm, savedAt: Math.floor(Date.now() / 1000) }))});`);
  const page = await context.newPage();
  await page.goto(`${lab.pageBaseUrl}ours.html`);

  async function oneCall() {
    const popupTarget = browser.waitForTarget((t) => t.url().includes('makecall.html'), { timeout: 10_000 });
    await page.click('#call');
    const popup = await (await popupTarget).page();
    await page.waitForFunction(() => window.__t.firstRtp, { timeout: 20_000, polling: 20 });
    const t = await page.evaluate(() => window.__t);
    const closed = new Promise((r) => popup.once('close', r));
    await popup.click('[data-action="hangup"]');
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    if (!popup.isClosed()) await popup.close();
    await baresip.hangupAll().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    return t.firstRtp - t.t0;
  }
  async function series(label, firewall, config) {
    await setFirewall(firewall, RUN_DIR);
    setConfig(config);
    await oneCall(); // warm-up: HTTP cache, TLS session, TURN allocation path
    const runs = [];
    for (let i = 0; i < N; i++) runs.push(await oneCall());
    log(`${label}: ${runs.join(', ')} ms`);
    return { median: median(runs), runs };
  }

  const turn = { urls: lab.turn.urls.tcp, ...turnCredentials(lab.turn.secret, 'bench', 3600) };
  const summary = {
    date: new Date().toISOString(),
    browser: `Chromium ${await browser.version()}`,
    calls: N,
    open: await series('open network, no ICE servers', 'open', {}),
    turnTcpRelay: await series('only TCP 443 open, TURN/TCP on 443, relay only', 'tcp443-only', { iceServers: [turn], iceTransportPolicy: 'relay' }),
    unreachableTurn: await series('unreachable TURN server configured', 'open', {
      iceServers: [{ urls: 'turn:203.0.113.99:3478?transport=udp', ...turnCredentials('nobody-knows', 'bench', 3600) }],
    }),
  };
  mkdirSync(resolve(REPO, 'test-output'), { recursive: true });
  writeFileSync(resolve(REPO, 'test-output/bench-lab.json'), JSON.stringify(summary, null, 2) + '\n');
  const f = (x) => `${Math.round(x)} ms`.padStart(9);
  console.log(`
Network lab (visitor behind NAT, page and WebSocket behind the nginx TLS proxy), ${summary.browser}
Click to first inbound RTP, medians of ${N} calls
  open network, no ICE servers                       ${f(summary.open.median)}
  only TCP 443 open, TURN over TCP 443, relay only   ${f(summary.turnTcpRelay.median)}
  unreachable TURN server configured                 ${f(summary.unreachableTurn.median)}
`);
  await browser.close();
  baresip.close();
}

const lab = labUp({ runDir: RUN_DIR });
try {
  await main(lab);
} finally {
  labDown({ runDir: RUN_DIR });
}
