#!/usr/bin/env node
// Throwaway WebRTC check of the reference PBX: headless Chromium + bare SIP.js (dev-call-page.html) calls the
// stack over ws and proves what the product's end-to-end suite will need: call established, inbound RTP
// (getStats), non-silent audio recorded at baresip, RFC 4733 and SIP INFO digits at baresip, BYE both ways,
// PCMU far end, tone, self-hanging-up number.
//
//   node scripts/pbx/dev-call.mjs [--keep] [--wss]   starts the stack when none runs (and stops it again unless --keep)
// Prints PASS/FAIL lines and facts (timings, which DTMF durations arrived); exit code = failures.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectBaresip, latestRecording, wavStats } from './baresip-control.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOP = path.resolve(HERE, '..', '..');
const RUN_DIR = process.env.VODIA_PBX_RUN_DIR || path.join(TOP, '.run', 'pbx');
const keep = process.argv.includes('--keep');
// --wss: call over wss; the stack's certificate is self-signed, so Chromium needs --ignore-certificate-errors.
const useWss = process.argv.includes('--wss');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'];

let startedStack = false;
function ensureStack() {
  const stackFile = path.join(RUN_DIR, 'stack.json');
  let up = false;
  try { execFileSync('bash', [path.join(HERE, 'pbx-stack.sh'), 'status'], { stdio: 'ignore' }); up = true; } catch { up = false; }
  if (!up) {
    execFileSync('bash', [path.join(HERE, 'pbx-stack.sh'), 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
    startedStack = true;
  }
  return JSON.parse(fs.readFileSync(stackFile, 'utf8'));
}

function serve() {
  const sipLib = path.join(TOP, 'node_modules', 'sip.js', 'lib');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = null;
    if (url.pathname === '/' || url.pathname === '/dev-call-page.html') file = path.join(HERE, 'dev-call-page.html');
    else if (url.pathname.startsWith('/sip.js/')) {
      file = path.join(sipLib, path.normalize(url.pathname.slice('/sip.js/'.length)));
      if (!file.startsWith(sipLib)) file = null;
    }
    if (!file || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

async function main() {
  const stack = ensureStack();
  const { chromium } = await import(path.join(TOP, 'node_modules', 'playwright-core', 'index.mjs'));
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: useWss ? [...CHROMIUM_ARGS, '--ignore-certificate-errors'] : CHROMIUM_ARGS,
  });
  const bs = await connectBaresip(stack.baresipCtrl);
  let failures = 0;
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      const note = await fn();
      console.log(`PASS ${name}${note ? ` (${note})` : ''} [${Date.now() - t0} ms]`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    }
  };
  const expect = (c, m) => { if (!c) throw new Error(m); };
  const N = stack.numbers;
  const T = useWss ? 'wss' : 'ws';
  const [acc] = stack.accounts;
  const aor = (n) => `sip:${n}@${stack.domain}`;

  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/dev-call-page.html`);
  await page.waitForFunction(() => window.devReady === true);
  await page.evaluate((c) => window.dev.start(c), { ws: useWss ? stack.wss : stack.ws, user: acc.user, password: acc.password, domain: stack.domain });
  const waitState = (s, ms = 5000) => page.waitForFunction((x) => window.dev.state() === x, s, { timeout: ms });
  const call = (n) => page.evaluate(([num, d]) => window.dev.call(num, d), [n, stack.domain]);

  // DTMF: which digits of a burst arrive at baresip (each digit distinct so they can be told apart).
  const dtmfProbe = async (tones, duration, since) => {
    await page.evaluate(([t, d]) => window.dev.dtmf(t, d), [tones, duration]);
    await sleep(tones.length * (duration + 70) + 600);
    return bs.events.slice(since).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
  };

  await check(`echo over ${T}: established, inbound RTP, audio at baresip, DTMF (RFC 4733 + INFO), BYE from browser`, async () => {
    const mark = bs.mark();
    const since = Date.now();
    await call(N.echo);
    await waitState('Established');
    const first = await page.evaluate(() => window.dev.firstInbound());
    expect(first !== null, 'no inbound RTP');
    await sleep(1500);
    const st = await page.evaluate(() => window.dev.stats());
    expect(st.packetsReceived > 20, `inbound packets ${st.packetsReceived}`);
    const facts = [`first inbound RTP ${first} ms after invite()`, `${st.packetsReceived} pkts in (${st.codec})`];
    // digits at 200 ms, 160 ms, 130 ms, 100 ms (SPEC 5 says Opus drops short ones)
    for (const [tones, dur] of [['123', 200], ['456', 160], ['789', 130], ['*0#', 100]]) {
      const got = await dtmfProbe(tones, dur, bs.mark());
      facts.push(`${dur}ms:${tones}->${got || '-'}`);
      if (dur >= 160) expect(got === tones, `RFC 4733 at ${dur} ms: sent ${tones}, baresip got ${got || 'nothing'}`);
    }
    const infoMark = bs.mark();
    await page.evaluate(() => window.dev.info('5'));
    await bs.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === '5', 2000, { since: infoMark });
    facts.push('INFO 5 ok');
    await page.evaluate(() => window.dev.bye());
    await waitState('Terminated');
    await bs.waitFor((e) => e.type === 'CALL_CLOSED' && e.accountaor === aor(N.echo), 3000, { since: mark });
    await sleep(200);
    const rec = latestRecording(stack.recordings, 'dec', { newerThanMs: since - 1000 });
    expect(rec, 'no recording at baresip');
    const w = wavStats(rec.path);
    expect(w.rms > 0.005, `baresip recording silent: rms ${w.rms}`);
    facts.push(`baresip heard rms ${w.rms.toFixed(3)} over ${w.seconds.toFixed(1)} s`);
    return facts.join('; ');
  });

  await check(`echo over ${T}: far end hangs up (ctrl_tcp hangup) and the browser session ends`, async () => {
    const mark = bs.mark();
    await call(N.echo);
    await waitState('Established');
    await bs.waitFor((e) => e.type === 'CALL_ESTABLISHED' && e.accountaor === aor(N.echo), 3000, { since: mark });
    await bs.hangupAll();
    await waitState('Terminated', 3000);
  });

  await check(`pcmuEcho over ${T}: PCMU, inbound RTP, short DTMF`, async () => {
    await call(N.pcmuEcho);
    await waitState('Established');
    const first = await page.evaluate(() => window.dev.firstInbound());
    expect(first !== null, 'no inbound RTP');
    await sleep(500);
    const st = await page.evaluate(() => window.dev.stats());
    expect(/pcmu/i.test(st.codec || ''), `codec ${st.codec}`);
    const facts = [`first inbound ${first} ms`, st.codec];
    for (const [tones, dur] of [['12', 100], ['34', 40]]) {
      facts.push(`${dur}ms:${tones}->${(await dtmfProbe(tones, dur, bs.mark())) || '-'}`);
    }
    await page.evaluate(() => window.dev.bye());
    await waitState('Terminated');
    return facts.join('; ');
  });

  await check(`tone over ${T}: audible inbound audio`, async () => {
    await call(N.tone);
    await waitState('Established');
    const first = await page.evaluate(() => window.dev.firstInbound());
    await sleep(1200);
    const st = await page.evaluate(() => window.dev.stats());
    expect(st.packetsReceived > 20, `inbound packets ${st.packetsReceived}`);
    await page.evaluate(() => window.dev.bye());
    await waitState('Terminated');
    return `first inbound RTP ${first} ms after invite(); ${st.packetsReceived} pkts, audioLevel ${st.audioLevel}`;
  });

  await check(`hangup number over ${T}: ends by itself after ~3 s`, async () => {
    await call(N.hangup);
    await waitState('Established');
    const t0 = Date.now();
    await waitState('Terminated', (stack.hangupAfterMs || 3000) + 3000);
    return `ended ${Date.now() - t0} ms after established`;
  });

  await check(`busy over ${T}: rejected with 486`, async () => {
    await call(N.busy);
    await waitState('Terminated');
    const r = await page.evaluate(() => window.dev.result());
    expect(r.final === 486, `final ${r.final}`);
  });

  await page.evaluate(() => window.dev.stop()).catch(() => {});
  await browser.close();
  bs.close();
  server.close();
  process.exitCode = failures;
}

main()
  .catch((e) => { console.log(`FAIL dev-call crashed: ${e.stack || e}`); process.exitCode = 100; })
  .finally(() => {
    if (startedStack && !keep) execFileSync('bash', [path.join(HERE, 'pbx-stack.sh'), 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
