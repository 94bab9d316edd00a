// The demo site: the built binder and popup, a page with every way to make a call link, and a
// live feed of what the far end (baresip) hears, so a visitor sees their keypad digits arrive.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { connectBaresip, readStack } from './pbx/baresip-control.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const REPO = resolve(import.meta.dirname, '..');
const own = process.env.VODIA_DEMO_CONFIG;
const stack = own ? undefined : readStack();
const config = own ? JSON.parse(readFileSync(own, 'utf8')) : { server: stack.ws, domain: stack.domain };
const numbers = stack?.numbers ?? JSON.parse(process.env.VODIA_DEMO_NUMBERS ?? '{"echo":"100"}');
// The WordPress that scripts/demo.sh started and set up (scripts/demo/configure-wp.php), if any.
const wp = process.env.VODIA_DEMO_WP_JSON ? JSON.parse(readFileSync(process.env.VODIA_DEMO_WP_JSON, 'utf8')) : undefined;

async function firstFreePort(from) {
  for (let p = from; p < from + 100; p++) {
    const free = await new Promise((ok) => {
      const s = createServer().once('error', () => ok(false)).listen(p, '127.0.0.1', () => s.close(() => ok(true)));
    });
    if (free) return p;
  }
  throw new Error(`no free port from ${from}`);
}

// Server-sent events (/far-end): every far-end event, for the page's "far end" panel.
const listeners = new Set();
let baresip;
if (stack) {
  baresip = await connectBaresip(stack.baresipCtrl);
  const seen = { n: 0 };
  setInterval(() => {
    for (; seen.n < baresip.events.length; seen.n++) {
      const e = baresip.events[seen.n];
      const line = `data: ${JSON.stringify({ type: e.type, param: e.param ?? '', number: String(e.accountaor ?? '').replace(/^sip:|@.*$/g, '') })}\n\n`;
      for (const res of listeners) res.write(line);
    }
  }, 100);
}

const page = readFileSync(resolve(REPO, 'scripts/demo/index.html'), 'utf8')
  .replaceAll('{{NUMBERS}}', JSON.stringify(numbers))
  .replaceAll('{{ACCOUNT}}', stack ? stack.accounts[0].user : 'your extension')
  .replaceAll('{{PASSWORD}}', stack ? stack.accounts[0].password : '(your password)');

const server = await startStaticServer({
  port: await firstFreePort(Number(process.env.VODIA_DEMO_PORT ?? 18000)),
  mounts: { '/call/': resolve(REPO, 'dist') },
  files: {
    '/': page,
    '/index.html': page,
    '/call/makecall.config.json': JSON.stringify(config),
  },
  routes: {
    '/far-end': (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.write(': far end events\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
    },
  },
});
console.log(`
  Vodia Click-to-Call demo
  ------------------------
  Open:      ${server.url}/
${wp ? `  WordPress: ${wp.page}  (the plugin's shortcodes and block; this site signs the calls, no login asked)
  WP admin:  ${wp.url}/wp-admin/  user ${wp.admin.user}  password ${wp.admin.password}
` : ''}  PBX:       ${config.server} (domain ${config.domain})${own ? `  [from ${own}]` : ''}
  Account:   ${stack ? `${stack.accounts[0].user}  password ${stack.accounts[0].password}` : 'your own'}
  Numbers:   ${Object.entries(numbers).map(([k, v]) => `${v} ${k}`).join(', ')}
  Logs:      ${stack ? `${stack.runDir}/logs` : '-'}

  Ctrl-C stops the site${wp ? ', WordPress (PHP, MariaDB)' : ''}${own ? '' : ' and the PBX stack'}.
`);
// For scripts/demo.sh --check: where the site is, once it answers.
if (process.env.VODIA_DEMO_STATE) writeFileSync(process.env.VODIA_DEMO_STATE, JSON.stringify({ url: server.url, wp }));

function shutdown() {
  for (const res of listeners) res.end();
  baresip?.close();
  void server.close().then(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
