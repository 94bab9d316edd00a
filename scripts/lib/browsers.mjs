// Debian's Chromium and Firefox ESR, both driven by puppeteer-core, so one test code path runs in both:
// Chromium over CDP (a pipe), Firefox over WebDriver BiDi (its own WebSocket; no geckodriver). Headless,
// fake microphone, loopback WebRTC, a fresh profile each launch, no background traffic to hosts this
// machine cannot reach; optionally inside a Linux network namespace (the network lab's).
//
//   const browser = await launchBrowser({ kind: 'firefox' });
//   const context = await browser.createBrowserContext();
//   await addInitScript(context, () => { window.__seen = true; });   // popups of the context get it too
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

export { CHROMIUM_PATH };
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Every browser kind launchBrowser knows, and the Debian package each comes from. */
export const ALL_BROWSERS = /** @type {const} */ (['chromium', 'firefox']);
export const DEBIAN_PACKAGES = { chromium: 'chromium', firefox: 'firefox-esr' };

/**
 * @param {string | undefined} list comma-separated kinds ('chromium,firefox'); empty or unset: all
 * @returns {('chromium' | 'firefox')[]}
 */
export function parseBrowserList(list) {
  const kinds = (list ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (kinds.length === 0) return [...ALL_BROWSERS];
  for (const k of kinds) {
    if (!ALL_BROWSERS.includes(/** @type {never} */ (k))) throw new Error(`unknown browser '${k}' (known: ${ALL_BROWSERS.join(', ')})`);
  }
  return /** @type {('chromium' | 'firefox')[]} */ ([...new Set(kinds)]);
}

/** The kinds the test suites run in: VODIA_E2E_BROWSERS=chromium,firefox (default: both). */
export const BROWSERS = parseBrowserList(process.env.VODIA_E2E_BROWSERS);

/**
 * Installs the Debian packages of these browser kinds when they are missing (as root; otherwise fails
 * with the exact apt-get line), through scripts/lib/common.sh. Idempotent and quick when installed.
 * @param {readonly ('chromium' | 'firefox')[]} [kinds]
 */
export function ensureBrowsers(kinds = BROWSERS) {
  ensureDebianPackages(kinds.map((k) => DEBIAN_PACKAGES[k]));
}

const COMMON_SH = resolve(dirname(fileURLToPath(import.meta.url)), 'common.sh');
function ensureDebianPackages(packages) {
  execFileSync('bash', ['-c', 'source "$0"; ensure_debian_packages "$@"', COMMON_SH, ...packages], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Firefox preferences for tests on this machine, on top of puppeteer's own (which already point
 * telemetry, updates, normandy, remote settings and safe browsing at dummy hosts). Exported so a lab
 * test can read or extend them; launchBrowser's `prefs` option overrides any of them.
 */
export const FIREFOX_PREFS = Object.freeze({
  // Fake microphone, no prompt (denyMicrophone below turns the prompt on and answers it "Block").
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // WebRTC on a loopback-only stack: loopback candidates, and real host addresses instead of mDNS names.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Remote audio may play without a gesture, as Chromium's --autoplay-policy=no-user-gesture-required.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // The popup blocker on, as a visitor has it (puppeteer turns it off): a click may open a popup, a script not.
  'dom.disable_open_during_load': true,
  // No background traffic: this machine reaches nothing but loopback.
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.checkInstallTime': false,
  'app.update.disabledForTesting': true,
  'browser.discovery.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.search.update': false,
  'browser.topsites.contile.enabled': false,
  'browser.translations.enable': false,
  'browser.urlbar.quicksuggest.enabled': false,
  'captivedetect.canonicalURL': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'dom.push.connection.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.update.enabled': false,
  'geo.provider.network.url': '',
  'identity.fxaccounts.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-gmpopenh264.autoupdate': false,
  'media.gmp-provider.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.http.http3.enable': false,
  'network.http.speculative-parallel-limit': 0,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.updatePing.enabled': false,
});

/**
 * Launches a headless browser with a fresh profile (removed on close).
 *
 * @param {{
 *   kind: 'chromium' | 'firefox',
 *   netns?: string,            // run inside this network namespace (`ip netns exec`; root only)
 *   denyMicrophone?: boolean,  // a visitor who answers the microphone prompt "Block": getUserMedia -> NotAllowedError
 *   ignoreHTTPSErrors?: boolean, // accept self-signed certificates (wss:// to the test stack), the whole browser
 *   args?: string[],           // extra command-line arguments
 *   prefs?: Record<string, string | number | boolean>, // extra Firefox preferences (ignored for Chromium)
 *   dumpio?: boolean,          // the browser's stdout/stderr to ours
 *   trustCaFiles?: string[],   // Firefox: PEM CA certificates its profile trusts (TURN over TLS checks the
 *                              // certificate whatever acceptInsecureCerts says); Chromium: ignored (--ignore-certificate-errors)
 * }} options
 * @returns {Promise<import('puppeteer-core').Browser>}
 */
export async function launchBrowser(options) {
  const { kind, netns, denyMicrophone = false, ignoreHTTPSErrors = false, args = [], prefs = {}, dumpio = false, trustCaFiles = [] } = options ?? {};
  if (!ALL_BROWSERS.includes(/** @type {never} */ (kind))) throw new Error(`launchBrowser: kind must be one of ${ALL_BROWSERS.join(', ')}, not '${kind}'`);
  if (netns !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(netns)) throw new Error(`launchBrowser: bad network namespace name '${netns}'`);
  if (netns !== undefined && process.getuid?.() !== 0) throw new Error('launchBrowser: netns needs root (ip netns exec)');
  const realPath = kind === 'chromium' ? CHROMIUM_PATH : FIREFOX_PATH;
  // A wrapper executable in a folder of its own when the browser runs in a namespace.
  const wrapDir = netns !== undefined ? mkdtempSync(join(tmpdir(), `vodia-${kind}-netns-`)) : undefined;
  const executablePath = wrapDir ? writeNetnsWrapper(wrapDir, kind, netns, realPath) : realPath;
  const common = {
    headless: true,
    executablePath,
    // Pages keep the size of their window: a popup opened with width=230,height=300 is 230 x 300.
    defaultViewport: null,
    acceptInsecureCerts: ignoreHTTPSErrors,
    dumpio,
    timeout: 60_000,
  };
  let browser;
  try {
    if (kind === 'chromium') {
      const base = denyMicrophone
        ? [...CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts']
        : CHROMIUM_ARGS;
      browser = await puppeteer.launch({
        ...common,
        browser: 'chrome',
        pipe: true,
        args: [...base, ...args],
        // The popup blocker stays on, as in Firefox and for a real visitor: the binder opens its popup from a click.
        ignoreDefaultArgs: ['--disable-popup-blocking'],
      });
    } else {
      const micPrefs = denyMicrophone
        ? { 'media.navigator.permission.disabled': false, 'permissions.default.microphone': 2 }
        : {};
      const profile = trustCaFiles.length ? firefoxProfileTrusting(trustCaFiles) : undefined;
      browser = await puppeteer.launch({
        ...common,
        browser: 'firefox',
        args,
        userDataDir: profile,
        // Without it a release build ignores the remote-settings server preference (puppeteer's dummy
        // one) and fetches from Mozilla's server. (MOZ_DISABLE_NONLOCAL_CONNECTIONS would do it too, but
        // makes Firefox crash on purpose at a connection to any public address: the lab's hosts have such.)
        env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
        extraPrefsFirefox: { ...FIREFOX_PREFS, ...micPrefs, ...prefs },
      });
      if (profile) browser.once('disconnected', () => rmSync(profile, { recursive: true, force: true }));
    }
  } finally {
    // The wrapper has been read and has started the browser by now (puppeteer is connected to it): gone,
    // so that nothing is left behind even if this process dies before closing the browser.
    if (wrapDir) rmSync(wrapDir, { recursive: true, force: true });
  }
  return browser;
}

/** A new Firefox profile folder whose certificate store trusts these CAs (NSS certutil, Debian libnss3-tools). */
function firefoxProfileTrusting(caFiles) {
  ensureDebianPackages(['libnss3-tools']);
  const dir = mkdtempSync(join(tmpdir(), 'vodia-firefox-profile-'));
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  caFiles.forEach((file, i) => execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', `test-ca-${i}`, '-t', 'C,,', '-i', file]));
  return dir;
}

// Run by the Firefox wrapper inside the namespace, once per connection: stdin/stdout <-> 127.0.0.1:PORT there.
const RELAY = `const s = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
process.stdin.pipe(s); s.pipe(process.stdout);
s.on('error', () => process.exit(1)); s.on('close', () => process.exit(0)); process.stdin.on('end', () => s.end());`;

/**
 * Writes the executable puppeteer launches instead of the browser, and returns its path.
 * Chromium: talks CDP over inherited pipes (fds 3 and 4), which `ip netns exec` passes on.
 * Firefox: BiDi is a WebSocket on 127.0.0.1:PORT inside the namespace, which the root namespace cannot
 * reach. The wrapper listens on a free root-namespace port P, starts Firefox with
 * --remote-debugging-port=P (so the URL Firefox prints is right from this side too), and relays each
 * connection through `ip netns exec NS node` to 127.0.0.1:P in there. It ends with Firefox, relays
 * included; puppeteer kills its whole process group on a forced close.
 */
function writeNetnsWrapper(dir, kind, netns, realPath) {
  // .cjs: the Firefox wrapper is CommonJS whatever package.json may sit above the temp folder.
  const file = join(dir, kind === 'chromium' ? 'chromium' : 'firefox.cjs');
  if (kind === 'chromium') {
    writeFileSync(file, `#!/bin/sh\nexec ip netns exec '${netns}' '${realPath}' "$@"\n`);
  } else {
    writeFileSync(file, `#!${process.execPath}
// Written by scripts/lib/browsers.mjs: Firefox in network namespace ${netns}, its BiDi port relayed out.
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const NS = ${JSON.stringify(netns)}, FIREFOX = ${JSON.stringify(realPath)}, RELAY = ${JSON.stringify(RELAY)};
const relays = new Set();
const server = createServer((socket) => {
  const relay = spawn('ip', ['netns', 'exec', NS, process.execPath, '-e', RELAY, String(port)], { stdio: ['pipe', 'pipe', 'ignore'] });
  relays.add(relay);
  socket.pipe(relay.stdin);
  relay.stdout.pipe(socket);
  relay.stdin.on('error', () => {});
  socket.on('error', () => relay.kill());
  socket.on('close', () => relay.kill());
  relay.on('exit', () => { relays.delete(relay); socket.destroy(); });
});
let port = 0;
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  const args = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--remote-debugging-port') { i++; args.push('--remote-debugging-port=' + port); }
    else if (argv[i].startsWith('--remote-debugging-port=')) args.push('--remote-debugging-port=' + port);
    else args.push(argv[i]);
  }
  const firefox = spawn('ip', ['netns', 'exec', NS, FIREFOX, ...args], { stdio: 'inherit' });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => firefox.kill(sig));
  firefox.on('exit', (code, signal) => {
    server.close();
    for (const r of relays) r.kill('SIGKILL');
    process.exit(code ?? (signal ? 128 : 1));
  });
});
`);
  }
  chmodSync(file, 0o755);
  return file;
}

/**
 * Runs `script` in every page of `context` opened from now on, popups included, before the page's own
 * scripts (as playwright's context.addInitScript). Chromium: Page.addScriptToEvaluateOnNewDocument on
 * each new page's session while it still waits for the debugger; Firefox: a BiDi preload script for the
 * context's user context.
 *
 * @param {import('puppeteer-core').BrowserContext} context
 * @param {(() => void) | string} script a function (run with no arguments) or the text of statements
 */
export async function addInitScript(context, script) {
  const fnText = typeof script === 'function' ? String(script) : `() => {\n${script}\n}`;
  if (context.browser().protocol === 'webDriverBiDi') {
    // puppeteer keeps the BiDi user context and session in fields it does not document; used here
    // because puppeteer has no context-wide init script, and BiDi's preload script for a user context is one.
    const userContext = /** @type {any} */ (context).userContext;
    if (!userContext?.browser?.addPreloadScript) throw new Error('addInitScript: this puppeteer version lays out its BiDi objects differently');
    await userContext.browser.addPreloadScript(fnText, { userContexts: [userContext.id] });
    return;
  }
  (await cdpHooks(context)).scripts.push(`(${fnText})();`);
}

/**
 * Calls `listener` with every page `context` gets from now on (its own and popups), before that page
 * runs anything, so a console or pageerror listener added then misses nothing. puppeteer's 'popup'
 * event comes too late for that in Chromium: the popup has run (and logged) by then.
 * Chromium: the new target is resumed only once puppeteer's page for it exists and the listener ran;
 * Firefox: BiDi reports the new browsing context before any of its events.
 *
 * @param {import('puppeteer-core').BrowserContext} context
 * @param {(page: import('puppeteer-core').Page) => void} listener
 */
export async function onNewPage(context, listener) {
  if (context.browser().protocol === 'webDriverBiDi') {
    context.on('targetcreated', (target) => {
      if (target.type() === 'page') void target.page().then((page) => page && listener(page));
    });
    return;
  }
  (await cdpHooks(context)).listeners.push(listener);
}

/**
 * @typedef {{ scripts: string[], listeners: ((page: import('puppeteer-core').Page) => void)[] }} CdpHooks
 * @type {WeakMap<object, Promise<Map<object, CdpHooks>>>} browser -> (context -> its hooks)
 */
const cdpBrowsers = new WeakMap();

/** @returns {Promise<CdpHooks>} */
async function cdpHooks(context) {
  const browser = context.browser();
  let registry = cdpBrowsers.get(browser);
  if (!registry) {
    registry = watchNewCdpTargets(browser);
    cdpBrowsers.set(browser, registry);
  }
  const contexts = await registry;
  let hooks = contexts.get(context);
  if (!hooks) contexts.set(context, (hooks = { scripts: [], listeners: [] }));
  return hooks;
}

/**
 * puppeteer attaches to every new target while Chromium holds it (waitForDebuggerOnStart) and then
 * sends Runtime.runIfWaitingForDebugger on the target's session. That one send is intercepted: first
 * the context's init scripts go out on the same session (CDP keeps a session's order), then its
 * page listeners get puppeteer's page, then the target runs.
 */
async function watchNewCdpTargets(browser) {
  /** @type {Map<object, CdpHooks>} */
  const contexts = new Map();
  const connection = (await browser.target().createCDPSession()).connection();
  if (!connection) throw new Error('addInitScript/onNewPage: no CDP connection');
  connection.on('sessionattached', (session) => {
    const send = session.send.bind(session);
    session.send = (method, ...rest) => {
      if (method !== 'Runtime.runIfWaitingForDebugger') return send(method, ...rest);
      session.send = send;
      let target;
      try { target = session.target(); } catch { /* a session puppeteer made no target for */ }
      const hooks = target?.type() === 'page' ? contexts.get(target.browserContext()) : undefined;
      if (!hooks) return send(method, ...rest);
      for (const source of hooks.scripts) send('Page.addScriptToEvaluateOnNewDocument', { source }).catch(() => {});
      if (hooks.listeners.length === 0) return send(method, ...rest);
      return target.page().then(
        (page) => { if (page) for (const listener of hooks.listeners) listener(page); },
        () => {},
      ).then(() => send(method, ...rest));
    };
  });
  return contexts;
}
