// Test helpers for the network lab (scripts/lab/lab.sh). Dependency-free Node ES module; types in lab.d.mts.
//
//   import { readLab, setFirewall, inNamespace, probe, keepLabLogs } from '../../scripts/lab/lab.mjs';
//   const lab = readLab();                                   // RUN/lab.json (VODIA_LAB_RUN_DIR or .run/lab)
//   await setFirewall('udp-blocked');                        // open | udp-blocked | tcp443-only | offline
//   const r = await probe(lab, 'sip-options', ['--to', '203.0.113.10:15060']);   // runs in the visitor namespace
//   const { stdout } = await inNamespace(lab, 'visitor', 'curl', ['-sS', '--cacert', lab.tls.ca, lab.pageBaseUrl]);
//   keepLabLogs(lab, 'my test');                             // copies every service's log to test-output/lab-logs/
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { turnCredentials } from './probe.mjs';
import { launchBrowser } from '../lib/browsers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const LAB_SH = path.join(HERE, 'lab.sh');
export const PROBE = path.join(HERE, 'probe.mjs');
export const LAB_LOG_DIR = path.join(REPO_ROOT, 'test-output', 'lab-logs');
export const FIREWALL_MODES = ['open', 'udp-blocked', 'tcp443-only', 'offline'];

export const labRunDir = (runDir) => path.resolve(runDir || process.env.VODIA_LAB_RUN_DIR || path.join(REPO_ROOT, '.run', 'lab'));
const labEnv = (runDir, extra = {}) => ({ ...process.env, ...extra, VODIA_LAB_RUN_DIR: labRunDir(runDir) });

/** Brings a lab up (taking down one left in the same run folder first) and returns its lab.json. */
export function labUp({ runDir, env = {} } = {}) {
  const out = execFileSync('bash', [LAB_SH, 'up'], { env: labEnv(runDir, env), stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.toString());
}

/** Takes the lab of a run folder down; harmless when there is none. */
export function labDown({ runDir } = {}) {
  execFileSync('bash', [LAB_SH, 'down'], { env: labEnv(runDir), stdio: ['ignore', 'ignore', 'inherit'] });
}

/** lab.json of a running lab. */
export function readLab(runDir) {
  return JSON.parse(fs.readFileSync(path.join(labRunDir(runDir), 'lab.json'), 'utf8'));
}

function run(cmd, args, { env, timeoutMs = 30000, input } = {}) {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), killed: Boolean(err?.killed) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Sets the router's firewall mode (atomic; return traffic of allowed flows always passes). */
export async function setFirewall(mode, runDir) {
  if (!FIREWALL_MODES.includes(mode)) throw new Error(`unknown firewall mode ${mode}`);
  const r = await run('bash', [LAB_SH, 'firewall', mode], { env: labEnv(runDir) });
  if (r.code !== 0) throw new Error(`lab.sh firewall ${mode} failed: ${r.stderr}`);
}

/** The current firewall mode. */
export function firewallMode(runDir) {
  return fs.readFileSync(path.join(labRunDir(runDir), 'firewall.mode'), 'utf8').trim();
}

/** The router's rules with packet and byte counters (iptables -L -v -n -x of FORWARD, LAB_OUT, LAB_IN, nat). */
export async function firewallCounters(runDir) {
  const r = await run('bash', [LAB_SH, 'counters'], { env: labEnv(runDir) });
  return r.stdout;
}

/** Runs a command in one of the lab's namespaces ('visitor', 'router', 'inet'); resolves { code, stdout, stderr }. */
export function inNamespace(lab, ns, cmd, args = [], opts = {}) {
  const name = lab.namespaces[ns];
  if (!name) throw new Error(`no namespace '${ns}' in lab.json`);
  return run('ip', ['netns', 'exec', name, cmd, ...args], opts);
}

/**
 * Runs probe.mjs COMMAND ARGS in a namespace (default the visitor's) and returns its JSON answer
 * ({ ok, ... }; see probe.mjs for the commands: sip-options, tcp, turn, ws, ws-idle).
 */
export async function probe(lab, command, args = [], { ns = 'visitor', timeoutMs = 60000 } = {}) {
  const r = await inNamespace(lab, ns, process.execPath, [PROBE, command, ...args], { timeoutMs });
  const line = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`probe ${command} gave no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
}

/**
 * Copies every service's log (PBX, coturn, nginx), lab.json and the router's counters to
 * test-output/lab-logs/NAME/, for a failed test. Returns the folder.
 */
export function keepLabLogs(lab, name) {
  const dir = path.join(LAB_LOG_DIR, String(name).replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100));
  fs.mkdirSync(dir, { recursive: true });
  const copyDir = (from, prefix) => {
    if (!from || !fs.existsSync(from)) return;
    for (const f of fs.readdirSync(from)) {
      const p = path.join(from, f);
      if (fs.statSync(p).isFile()) fs.copyFileSync(p, path.join(dir, `${prefix}${f}`));
    }
  };
  copyDir(lab.logs.dir, '');
  copyDir(lab.logs.pbxDir, 'pbx-');
  fs.writeFileSync(path.join(dir, 'lab.json'), `${JSON.stringify(lab, null, 2)}\n`);
  try {
    const counters = execFileSync('bash', [LAB_SH, 'counters'], { env: labEnv(lab.runDir), stdio: ['ignore', 'pipe', 'pipe'] });
    fs.writeFileSync(path.join(dir, 'router-counters.txt'), counters);
  } catch (e) {
    fs.writeFileSync(path.join(dir, 'router-counters.txt'), `lab.sh counters failed: ${e.message}\n`);
  }
  return dir;
}

/**
 * A visitor's browser (`chromium` or `firefox`) in the lab's visitor namespace. The lab's certificates come
 * from its own CA, which the browser is told to trust (a visitor's browser would trust a real one).
 */
export function launchVisitorBrowser(lab, kind) {
  return launchBrowser({
    kind, netns: lab.namespaces.visitor, ignoreHTTPSErrors: true, trustCaFiles: [lab.tls.ca],
    args: kind === 'chromium' ? ['--ignore-certificate-errors'] : [],
  });
}
