// npm run bench: call setup of our binder + popup against a bare SIP.js page, against the same
// reference stack and number, alternating; and setup with an unreachable STUN server.
// Prints medians and the ratio (README, Performance: within 1.2x), writes test-output/bench.json.
//   BENCH_CALLS=10  calls of each kind (after one warm-up of each)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { connectBaresip, readStack } from './pbx/baresip-control.mjs';
import { OURS, PROBE } from './bench/probes.mjs';

const REPO = resolve(import.meta.dirname, '..');
const RUN_DIR = resolve(REPO, '.run/pbx-bench');
const N = Number(process.env.BENCH_CALLS ?? 10);
const stackEnv = { ...process.env, VODIA_PBX_RUN_DIR: RUN_DIR, VODIA_PBX_PORT_BASE: process.env.VODIA_PBX_PORT_BASE ?? '19060' };
const stackCmd = (cmd) => execFileSync('bash', [resolve(REPO, 'scripts/pbx/pbx-stack.sh'), cmd], { env: stackEnv, stdio: ['ignore', 'ignore', 'inherit'] });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const log = (...a) => console.error('[bench]', ...a);

const BARE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bare</title>
<button id="call">call</button><script>document.addEventListener('click', () => { window.__t = { t0: Date.now() }; }, true);
addEventListener('message', (e) => { const d = e.data || {}; if (d.source === 'bench' && !window.__t.firstRtp) window.__t.firstRtp = d.firstRtp; });</script>
<script src="/bare.js"></script>`;

async function main() {
  const sizes = JSON.parse(readFileSync(resolve(REPO, 'dist/sizes.json'), 'utf8'));
  const bare = await build({ entryPoints: [resolve(REPO, 'scripts/bench/bare-call.js')], bundle: true, minify: true, write: false, format: 'iife', target: 'es2020' });
  stackCmd('stop');
  stackCmd('start');
  const stack = readStack(RUN_DIR);
  const { user, password } = stack.accounts[0];
  const dest = stack.numbers.echo;
  let config = { server: stack.ws, domain: stack.domain };
  const server = await startStaticServer({
    mounts: { '/': resolve(REPO, 'dist') },
    files: {
      '/makecall.config.json': () => JSON.stringify(config),
      '/ours.html': OURS.replace('DEST', dest),
      '/bare.html': BARE,
      '/bare.js': bare.outputFiles[0].text,
    },
  });
  const baresip = await connectBaresip(stack.baresipCtrl);
  const browser = await launchChromium();
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  // Our popup calls with a remembered login (HA1), as a returning visitor does: no typing in the measurement.
  const ha1 = (await import('blueimp-md5')).default(`${user}:${stack.realm}:${password}`);
  await context.addInitScript(([u, h, r]) => localStorage.setItem('vodia-call.login', JSON.stringify({ account: u, ha1: h, realm: r, savedAt: Math.floor(Date.now() / 1000) })), [user, ha1, stack.realm]);
  const oursPage = await context.newPage();
  await oursPage.goto(`${server.url}/ours.html`);
  const barePage = await context.newPage();
  await barePage.goto(`${server.url}/bare.html?user=${user}&password=${encodeURIComponent(password)}&dest=${dest}`);

  // BENCH_TRACE=1: the SIP messages of each call on the wire, in ms after the click.
  const trace = [];
  const traceSocket = (ws) => {
    const note = (dir) => (f) => trace.push(`${Date.now()} ${dir} ${String(f.payload).split('\r\n')[0]}`);
    ws.on('framesent', note('>'));
    ws.on('framereceived', note('<'));
  };
  if (process.env.BENCH_TRACE) {
    context.on('page', (p) => p.on('websocket', traceSocket)); // popups opened later
    for (const p of [oursPage, barePage]) p.on('websocket', traceSocket);
  }
  function printTrace(label, t0) {
    if (!process.env.BENCH_TRACE) return;
    log(`${label} trace:`);
    for (const line of trace.splice(0)) { const [t, ...rest] = line.split(' '); log(`  ${String(Number(t) - t0).padStart(5)} ms ${rest.join(' ')}`); }
  }

  async function farEndIdle() {
    const mark = baresip.mark();
    if (baresip.openCalls().length) await baresip.waitFor((e) => e.type === 'CALL_CLOSED', 5000, { since: mark }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150));
  }
  const times = (page) => page.evaluate(() => window.__t);
  async function waitTimes(page, timeout = 15000) {
    await page.waitForFunction(() => window.__t.established && window.__t.firstRtp, null, { timeout });
    const t = await times(page);
    return { established: t.established - t0Of(t), firstRtp: t.firstRtp - t0Of(t) };
  }
  const t0Of = (t) => t.t0;

  // Where the popup's time goes: its performance marks, as milliseconds after the click.
  const STEPS = ['window', 'vc:script', 'vc:config', 'vc:mic', 'vc:ws', 'vc:invite', 'vc:established'];
  async function oneOurs() {
    const [popup] = await Promise.all([context.waitForEvent('page'), oursPage.click('#call')]);
    const r = await waitTimes(oursPage);
    const t0 = (await times(oursPage)).t0;
    printTrace('ours', t0);
    r.steps = await popup.evaluate(([start, steps]) => Object.fromEntries(steps.map((n) => {
      const m = n === 'window' ? { startTime: 0 } : performance.getEntriesByName(n).pop();
      return [n, m ? Math.round(performance.timeOrigin + m.startTime - start) : null];
    })), [t0, STEPS]);
    await popup.click('[data-action="hangup"]');
    await popup.waitForEvent('close', { timeout: 5000 }).catch(() => popup.close());
    await farEndIdle();
    return r;
  }
  async function oneBare() {
    await barePage.click('#call');
    const r = await waitTimes(barePage);
    printTrace('bare', (await times(barePage)).t0);
    await barePage.evaluate(() => window.__hangup());
    await farEndIdle();
    return r;
  }

  log(`stack up; ${N} calls of each kind to ${dest}, alternating, after one warm-up each`);
  await oneOurs();
  await oneBare();
  const ours = [];
  const bareRuns = [];
  for (let i = 0; i < N; i++) {
    ours.push(await oneOurs());
    bareRuns.push(await oneBare());
    log(`call ${i + 1}: ours ${ours[i].established}/${ours[i].firstRtp} ms, bare ${bareRuns[i].established}/${bareRuns[i].firstRtp} ms (established/first RTP)`);
  }

  // An unreachable STUN server: a UDP port on loopback that swallows every request.
  const blackhole = createSocket('udp4');
  await new Promise((ok) => blackhole.bind(0, '127.0.0.1', ok));
  config = { server: stack.ws, domain: stack.domain, iceServers: [{ urls: `stun:127.0.0.1:${blackhole.address().port}` }] };
  const stunOurs = [];
  const stunBare = [];
  for (let i = 0; i < 3; i++) {
    stunOurs.push(await oneOurs());
    stunBare.push(await oneBare());
  }
  blackhole.close();

  // The binder's cost on pages of 100 and 10,000 links: one delegated listener, so binding should
  // not grow with the page (README, Performance). Median of 21 bind() + cleanup() rounds in the page.
  const bindCost = {};
  for (const n of [100, 10_000]) {
    const links = Array.from({ length: n }, (_, i) => `<a href="#" data-vodia-call="${1000 + i}">call ${i}</a>`).join('');
    const p = await context.newPage();
    await p.setContent(`<script src="${server.url}/vodia-call.js" data-popup-url="${server.url}/makecall.html"></script>${links}`, { waitUntil: 'load' });
    bindCost[n] = await p.evaluate(() => {
      const runs = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        window.VodiaCall.bind(document)();
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b)[10];
    });
    await p.close();
  }

  const summary = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Chromium ${browser.version()}`,
    calls: N,
    ours: { established: median(ours.map((r) => r.established)), firstRtp: median(ours.map((r) => r.firstRtp)) },
    bare: { established: median(bareRuns.map((r) => r.established)), firstRtp: median(bareRuns.map((r) => r.firstRtp)) },
    unreachableStun: {
      ours: { established: median(stunOurs.map((r) => r.established)), firstRtp: median(stunOurs.map((r) => r.firstRtp)) },
      bare: { established: median(stunBare.map((r) => r.established)), firstRtp: median(stunBare.map((r) => r.firstRtp)) },
    },
    bindMs: bindCost,
    sizes: Object.fromEntries(sizes.map((s) => [s.file, { min: s.min, gzip: s.gzip }])),
    raw: { ours, bare: bareRuns, stunOurs, stunBare },
  };
  summary.ratio = { established: summary.ours.established / summary.bare.established, firstRtp: summary.ours.firstRtp / summary.bare.firstRtp };
  mkdirSync(resolve(REPO, 'test-output'), { recursive: true });
  writeFileSync(resolve(REPO, 'test-output/bench.json'), JSON.stringify(summary, null, 2) + '\n');

  const f = (x) => `${Math.round(x)} ms`.padStart(9);
  console.log(`
Call setup, medians of ${N} calls each (${summary.machine}); static files HTTP-cached as on a real site
                                 established   first inbound RTP
  binder + popup (click)          ${f(summary.ours.established)}        ${f(summary.ours.firstRtp)}
  bare SIP.js page (click)        ${f(summary.bare.established)}        ${f(summary.bare.firstRtp)}
  ratio popup / bare               ${summary.ratio.established.toFixed(2).padStart(8)}x        ${summary.ratio.firstRtp.toFixed(2).padStart(8)}x   (budget: first RTP within 1.2x)

Where the popup's time goes (median ms after the click)
${STEPS.map((n) => `  ${n.replace('vc:', '').padEnd(12)} ${String(median(ours.map((r) => r.steps[n] ?? NaN))).padStart(5)}`).join('\n')}

Unreachable STUN server configured, medians of 3
  binder + popup                  ${f(summary.unreachableStun.ours.established)}        ${f(summary.unreachableStun.ours.firstRtp)}
  bare SIP.js page (defaults)     ${f(summary.unreachableStun.bare.established)}        ${f(summary.unreachableStun.bare.firstRtp)}

Binder: bind() + cleanup() on a page of 100 links ${bindCost[100].toFixed(2)} ms, of 10,000 links ${bindCost[10000].toFixed(2)} ms

Bundles (min / gzip)
${sizes.map((s) => `  ${s.file.padEnd(22)} ${(s.min / 1024).toFixed(1).padStart(6)} KB / ${(s.gzip / 1024).toFixed(2)} KB`).join('\n')}
`);
  // The budget is for click to first inbound audio; "established" is shown for insight only.
  if (summary.ratio.firstRtp > 1.2) console.log('WARNING: popup/bare ratio for first inbound RTP is over the 1.2x budget');
  await browser.close();
  baresip.close();
  await server.close();
}

try {
  await main();
} finally {
  stackCmd('stop');
}
