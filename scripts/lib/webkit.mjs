// Debian's WebKitGTK (its MiniBrowser) driven over classic WebDriver: a real browser that has
// getUserMedia but no RTCPeerConnection (Debian builds it without WebRTC), so the popup's answer for
// browsers that cannot call is tested where a visitor meets it. Xvfb gives it a display; WebKitWebDriver
// (webkit2gtk-driver) starts one MiniBrowser per session. The client below is a few fetch calls, no
// dependency: puppeteer-core speaks CDP and WebDriver BiDi, not this driver's classic protocol, and
// playwright drives only a WebKit build of its own, which would have to be downloaded.
// WEBKIT_MINIBROWSER=/path picks another browser binary (a local WebKit build, say).
//
//   const wk = await startWebKit();                  // Xvfb + WebKitWebDriver, both on free display/port
//   const s = await wk.newSession();                 // one MiniBrowser
//   await s.navigate('http://127.0.0.1:8080/'); await s.execute('return document.title');
//   await s.quit(); await wk.stop();                  // stop() also ends sessions left open
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Debian packages: the engine and its MiniBrowser, the WebDriver server, the virtual display. */
export const WEBKIT_PACKAGES = ['libwebkit2gtk-4.1-0', 'webkit2gtk-driver', 'xvfb'];

/**
 * MiniBrowser flags: getUserMedia on, with WebKit's mock microphone so nothing real is ever opened.
 * --automation is what lets WebKitWebDriver control it (the driver adds it only to its default browser).
 */
export const MINIBROWSER_ARGS = ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'];

const COMMON_SH = resolve(dirname(fileURLToPath(import.meta.url)), 'common.sh');

/** Installs the missing packages (as root; otherwise fails with the exact apt-get line). Quick when installed. */
export function ensureWebKit() {
  execFileSync('bash', ['-c', 'source "$0"; ensure_debian_packages "$@"', COMMON_SH, ...WEBKIT_PACKAGES], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** MiniBrowser lives in the library's private folder, not on PATH: found in the package's file list. */
export function miniBrowserPath() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  const files = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' }).split('\n');
  const found = files.find((f) => f.endsWith('/MiniBrowser'));
  if (!found) throw new Error('MiniBrowser is not in the file list of libwebkit2gtk-4.1-0');
  return found;
}

/**
 * Starts Xvfb on a display it picks itself (-displayfd: no race with another X server) and
 * WebKitWebDriver on a free loopback port. Everything started here runs in process groups of its own,
 * which stop() ends, and which are also ended if this process exits without calling it.
 *
 * @param {{ binary?: string, args?: string[] }} [options] the browser and its flags (MiniBrowser, MINIBROWSER_ARGS)
 * @returns {Promise<{ display: string, driverUrl: string, newSession: (capabilities?: object) => Promise<WebDriverSession>, stop: () => Promise<void> }>}
 */
export async function startWebKit(options = {}) {
  const binary = options.binary ?? miniBrowserPath();
  const args = options.args ?? MINIBROWSER_ARGS;
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const killAll = () => { for (const c of children) killGroup(c, 'SIGKILL'); };
  process.once('exit', killAll);
  /** @type {Set<WebDriverSession>} */
  const sessions = new Set();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled([...sessions].map((s) => s.quit()));
    for (const c of [...children].reverse()) await endGroup(c);
    process.off('exit', killAll);
  };
  try {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    children.push(xvfb);
    const display = `:${(await readLine(xvfb, 3, 'Xvfb', 15_000)).trim()}`;
    const port = await freePort();
    const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      detached: true, stdio: ['ignore', 'ignore', 'pipe'],
      // No accessibility bus and no portal on this machine: GTK would wait for them and warn.
      env: { ...process.env, DISPLAY: display, NO_AT_BRIDGE: '1', GTK_USE_PORTAL: '0' },
    });
    children.push(driver);
    const driverLog = collect(driver.stderr);
    const driverUrl = `http://127.0.0.1:${port}`;
    await waitForDriver(driverUrl, driver, driverLog);
    return {
      display,
      driverUrl,
      async newSession(capabilities = {}) {
        const s = await openSession(driverUrl, { binary, args, capabilities });
        sessions.add(s);
        s.onQuit = () => sessions.delete(s);
        return s;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A new MiniBrowser through a running WebKitWebDriver (a test worker's way to one the global setup started).
 * @param {string} driverUrl
 * @param {{ binary?: string, args?: string[], capabilities?: object }} [options]
 */
export function openSession(driverUrl, { binary = miniBrowserPath(), args = MINIBROWSER_ARGS, capabilities = {} } = {}) {
  // The driver waits for a page load after navigating and after a click that navigates, by default for
  // 300 s: a load that never ends must fail a test with the command's name, not outlast its timeout.
  const timeouts = { pageLoad: 15_000, script: 10_000, implicit: 0 };
  return WebDriverSession.create(driverUrl, { 'webkitgtk:browserOptions': { binary, args }, timeouts, ...capabilities });
}

/** One browser, through the classic WebDriver protocol (W3C, JSON over HTTP). */
export class WebDriverSession {
  /** @param {string} base the session's URL, driver URL + /session/ID */
  constructor(base) {
    this.base = base;
    this.closed = false;
    /** @type {(() => void) | undefined} called once the session has ended */
    this.onQuit = undefined;
  }

  /** @param {string} driverUrl @param {object} alwaysMatch */
  static async create(driverUrl, alwaysMatch) {
    const value = await request('POST', `${driverUrl}/session`, { capabilities: { alwaysMatch } });
    return new WebDriverSession(`${driverUrl}/session/${value.sessionId}`);
  }

  /** @param {'GET' | 'POST' | 'DELETE'} method @param {string} path @param {unknown} [body] */
  command(method, path, body) {
    return request(method, this.base + path, body);
  }

  navigate(url) { return this.command('POST', '/url', { url }); }
  url() { return this.command('GET', '/url'); }

  /** Runs `script` (a function body; `arguments` holds args) in the current window and returns its value. */
  execute(script, args = []) { return this.command('POST', '/execute/sync', { script, args }); }

  /**
   * Polls `script` (a function body) until it returns something truthy, and returns that.
   * @param {string} script @param {{ timeout?: number, message?: string }} [options]
   */
  async waitFor(script, { timeout = 10_000, message = script } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      const value = await this.execute(script);
      if (value) return value;
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for: ${message}`);
      await sleep(100);
    }
  }

  /** The element's WebDriver reference, or an error when there is none. */
  async find(selector) {
    const value = await this.command('POST', '/element', { using: 'css selector', value: selector });
    return value[ELEMENT_KEY];
  }

  /**
   * A real click: the driver's pointer input at the element's centre, so it counts as the visitor's gesture.
   * Through the actions API rather than Element Click, which afterwards waits for a navigation to end in the
   * current window: a click that opens or closes a window may leave that wait nothing to end (the likeliest
   * cause of a CI run's binder test timing out at 30 s; not seen here in 45 runs).
   */
  async click(selector) {
    const element = await this.find(selector);
    await this.command('POST', '/actions', {
      actions: [{
        type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', origin: { [ELEMENT_KEY]: element }, x: 0, y: 0 },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      }],
    });
  }

  windowHandle() { return this.command('GET', '/window'); }
  windowHandles() { return this.command('GET', '/window/handles'); }
  switchToWindow(handle) { return this.command('POST', '/window', { handle }); }
  setWindowRect(rect) { return this.command('POST', '/window/rect', rect); }

  /** The current window as PNG bytes. */
  async screenshot() {
    return Buffer.from(await this.command('GET', '/screenshot'), 'base64');
  }

  /** Ends the session (and its MiniBrowser). Idempotent. */
  async quit() {
    if (this.closed) return;
    this.closed = true;
    try {
      await request('DELETE', this.base);
    } finally {
      this.onQuit?.();
    }
  }
}

/** The W3C name of an element reference in WebDriver's JSON. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** How long one command may take: longer than the page-load timeout, shorter than a test's. */
const COMMAND_TIMEOUT_MS = 20_000;

/** One WebDriver command; its `value`, or an Error with the driver's error and message, or naming the command that hung. */
async function request(method, url, body) {
  let res;
  let text;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (e) {
    if (e?.name !== 'TimeoutError') throw e;
    throw new Error(`WebDriver ${method} ${new URL(url).pathname}: no answer in ${COMMAND_TIMEOUT_MS} ms`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`WebDriver ${method} ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  // A failed command is an HTTP error status; a script's own result may well hold an `error` field.
  if (!res.ok) {
    throw new Error(`WebDriver ${method} ${new URL(url).pathname}: ${json?.value?.error ?? res.status}: ${json?.value?.message ?? text.slice(0, 200)}`);
  }
  return json.value;
}

/** Waits until the driver answers /status with ready (or fails with what it printed). */
async function waitForDriver(driverUrl, driver, log) {
  const end = Date.now() + 15_000;
  for (;;) {
    if (driver.exitCode !== null || driver.signalCode !== null) throw new Error(`WebKitWebDriver exited: ${log().trim()}`);
    try {
      const value = await request('GET', `${driverUrl}/status`);
      if (value?.ready) return;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new Error(`WebKitWebDriver did not answer on ${driverUrl}: ${log().trim()}`);
    await sleep(100);
  }
}

/** The first line a child writes to its file descriptor `fd`. */
function readLine(child, fd, name, timeout) {
  const stream = /** @type {import('node:stream').Readable} */ (child.stdio[fd]);
  const errors = collect(/** @type {import('node:stream').Readable} */ (child.stderr));
  return new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start in ${timeout} ms: ${errors().trim()}`)), timeout);
    stream.on('data', (d) => {
      text += d;
      if (text.includes('\n')) { clearTimeout(timer); ok(text.split('\n')[0]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`${name} exited (${code}): ${errors().trim()}`)); });
  });
}

/** Keeps the last 4 KB a stream printed, for error messages. */
function collect(stream) {
  let text = '';
  stream?.on('data', (d) => { text = (text + d).slice(-4096); });
  return () => text;
}

/** A loopback TCP port nobody listens on now (the OS picks it; taken again within milliseconds, by the driver). */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => ok(port));
    });
  });
}

/** SIGTERM to the child's whole group (the driver's MiniBrowser and its web processes too), SIGKILL after 5 s. */
async function endGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return killGroup(child, 'SIGKILL'); // strays of the group
  const exited = new Promise((ok) => child.once('exit', ok));
  killGroup(child, 'SIGTERM');
  let timer;
  const late = new Promise((ok) => { timer = setTimeout(() => ok('late'), 5_000); });
  if ((await Promise.race([exited, late])) === 'late') killGroup(child, 'SIGKILL');
  clearTimeout(timer);
  killGroup(child, 'SIGKILL'); // whatever of the group outlived its leader
}

function killGroup(child, signal) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch { /* already gone */ }
}

function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}
