import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { addInitScript, BROWSERS as SELECTED, launchBrowser, onNewPage } from '../../scripts/lib/browsers.mjs';

type BrowserKind = 'chromium' | 'firefox';
const BROWSERS = SELECTED as BrowserKind[];

// scripts/lib/browsers.mjs itself, in each browser: what the call tests and the lab tests rely on.

/** A site on 127.0.0.1: a page with a link that opens a popup, and one that opens a window unasked. */
function startSite(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    if (req.url === '/popup') res.end('<title>popup</title><script>console.log("popup runs; init:", String(window.__init))</script>');
    else if (req.url === '/unasked') res.end('<title>unasked</title><script>window.__opened = String(window.open("/popup", "u", "width=200,height=200"))</script>');
    else res.end('<title>site</title><a id="open" href="#" onclick="window.open(\'/popup\', \'p\', \'width=230,height=300\'); return false">open</a>');
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const getUserMedia = (page: Page) => page.evaluate(async () => {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return `granted ${stream.getAudioTracks().length}`;
  } catch (e) {
    return (e as Error).name;
  }
});

describe.each(BROWSERS)('%s via browsers.mjs', (kind: BrowserKind) => {
  let site: Awaited<ReturnType<typeof startSite>>;
  let browser: Browser;
  beforeAll(async () => {
    site = await startSite();
    browser = await launchBrowser({ kind });
  });
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  it('an init script and a page listener reach the popup of their context from its first line, and no other context', async () => {
    const context = await browser.createBrowserContext();
    const other = await browser.createBrowserContext();
    try {
      const lines: string[] = [];
      const popups: Page[] = [];
      await onNewPage(context, (p: Page) => {
        popups.push(p);
        p.on('console', (m) => lines.push(m.text()));
      });
      await addInitScript(context, () => { (window as unknown as { __init: string }).__init = 'yes'; });
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      await page.click('#open');
      await expect.poll(() => lines, { timeout: 10_000 }).toContain('popup runs; init: yes');
      // Firefox may report the popup's URL (about:blank first) a moment after its first console line.
      await expect.poll(() => popups.some((p) => p.url().endsWith('/popup')), { timeout: 5000 }).toBe(true);
      const popup = popups.find((p) => p.url().endsWith('/popup'))!;
      // the popup's window features hold: 230 x 300, not a viewport puppeteer imposed
      expect(await popup.evaluate(() => innerWidth)).toBe(230);
      const elsewhere = await other.newPage();
      await elsewhere.goto(`${site.url}/`);
      expect(await elsewhere.evaluate(() => String((window as unknown as { __init?: string }).__init))).toBe('undefined');
    } finally {
      await context.close();
      await other.close();
    }
  });

  it('the popup blocker is on: a window opened unasked is refused', async () => {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/unasked`);
      expect(await page.evaluate(() => (window as unknown as { __opened: string }).__opened)).toBe('null');
    } finally {
      await context.close();
    }
  });

  it('the fake microphone is granted; denyMicrophone refuses it with NotAllowedError', async () => {
    const context = await browser.createBrowserContext();
    const denying: Browser = await launchBrowser({ kind, denyMicrophone: true });
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      expect(await getUserMedia(page)).toBe('granted 1');
      const refused = await denying.newPage();
      await refused.goto(`${site.url}/`);
      expect(await getUserMedia(refused)).toBe('NotAllowedError');
    } finally {
      await context.close();
      await denying.close();
    }
  });
});

// A browser inside a network namespace of its own, which has nothing but its own loopback: the page
// it loads is served on 127.0.0.1 in there, a port nobody listens on in the root namespace.
describe.runIf(process.getuid?.() === 0)('in a network namespace (root only)', () => {
  const ns = `vcb-test-${process.pid}`;
  let port = 0;
  let server: ChildProcess | undefined;
  const removeNamespace = () => {
    try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* not there */ }
  };
  const pidsInside = () => execFileSync('ip', ['netns', 'pids', ns]).toString().split('\n').filter(Boolean).map(Number);

  beforeAll(async () => {
    // Removed even if the run dies before afterAll.
    process.once('exit', removeNamespace);
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    // A port free in the root namespace (then the page can only have come from inside).
    port = await new Promise<number>((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => ok(p));
      });
    });
    const code = `const os = require('node:os');
require('node:http').createServer((q, r) => r.end('<title>inside ' + Object.keys(os.networkInterfaces()).join(',') + '</title>'))
  .listen(${port}, '127.0.0.1', () => console.log('ready'));`;
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      server!.stdout!.once('data', () => ok());
      server!.once('exit', (c) => fail(new Error(`server in ${ns} exited with ${c}`)));
    });
  });
  afterAll(() => {
    server?.kill();
    removeNamespace();
    process.removeListener('exit', removeNamespace);
  });

  it('the root namespace cannot reach the server in there', async () => {
    const refused = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); ok(false); });
      s.once('error', () => ok(true));
    });
    expect(refused).toBe(true);
  });

  it.each(BROWSERS)('%s loads the page from inside, and leaves nothing running there when closed', async (kind) => {
    const browser: Browser = await launchBrowser({ kind, netns: ns });
    let closed = false;
    try {
      expect(pidsInside().length, 'processes in the namespace with the browser up').toBeGreaterThan(1);
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await page.title()).toBe('inside lo');
      await browser.close();
      closed = true;
      // the browser, and for Firefox the relay of its BiDi connection, are gone: only the server is left
      await expect.poll(pidsInside, { timeout: 5000 }).toEqual([server!.pid]);
    } finally {
      if (!closed) await browser.close();
    }
  });
});
