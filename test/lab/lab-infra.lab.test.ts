import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  REPO_ROOT, type FirewallMode, type Lab, firewallCounters, firewallMode, inNamespace, keepLabLogs, labDown, labUp,
  probe, readLab, setFirewall,
} from '../../scripts/lab/lab.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts (as in test/e2e)
import { connectBaresip } from '../../scripts/pbx/baresip-control.mjs';

// The lab itself, proven with plain tools from the visitor's namespace (curl, and probe.mjs's small SIP, TURN
// and WebSocket clients): no browser. The global setup (scripts/lab/vitest-global-setup.mjs) brought it up.

const DROP_MS = '1500'; // how long a probe waits before calling a path dropped

let lab: Lab;
let sipTo: string; // the PBX's SIP UDP host:port
let sipRuri: string; // a Request-URI Kamailio takes as its own (OPTIONS get 200)

beforeAll(() => {
  lab = readLab();
  const m = /^sip:([\d.]+):(\d+)/.exec(lab.pbx.sipUdp);
  if (!m) throw new Error(`lab.json pbx.sipUdp: ${lab.pbx.sipUdp}`);
  sipTo = `${m[1]}:${m[2]}`;
  sipRuri = `sip:${sipTo}`;
});

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(() => {
    const dir = keepLabLogs(lab, task.name);
    process.stderr.write(`[lab] logs of the failed test in ${dir}\n`);
  });
});

afterEach(async () => {
  if (lab) await setFirewall('open');
});

const curl = (url: string, extra: string[] = []) =>
  inNamespace(lab, 'visitor', 'curl', ['-sS', '--max-time', '5', '--cacert', lab.tls.ca, '-D', '-', ...extra, url]);

const rootShows = (args: string[]) => execFileSync('ip', args).toString();

describe('network lab', () => {
  it('has the namespaces lab.json names; the root namespace gets no lab address or route', async () => {
    for (const ns of Object.values(lab.namespaces)) {
      expect(ns).toContain(lab.id);
      expect(existsSync(`/run/netns/${ns}`)).toBe(true);
    }
    for (const range of ['203.0.113.', '198.51.100.']) {
      expect(rootShows(['-4', '-o', 'addr'])).not.toContain(range);
      expect(rootShows(['-4', 'route', 'show', 'table', 'all'])).not.toContain(range);
    }
    const addr = await inNamespace(lab, 'visitor', 'ip', ['-o', 'addr']);
    expect(addr.stdout).toContain(`inet ${lab.addresses.visitor}/24`);
    expect(addr.stdout).not.toMatch(/inet6/); // IPv6 off: no link-local addresses either
    const route = await inNamespace(lab, 'visitor', 'ip', ['route']);
    expect(route.stdout).toContain(`default via ${lab.addresses.routerLan}`);
    const fwd = await inNamespace(lab, 'router', 'sysctl', ['-n', 'net.ipv4.ip_forward']);
    expect(fwd.stdout.trim()).toBe('1');
    const status = spawnSync('bash', [lab.labSh, 'status'], { env: { ...process.env, VODIA_LAB_RUN_DIR: lab.runDir } });
    expect(status.status, `${status.stdout}${status.stderr}`).toBe(0);
    expect(firewallMode()).toBe('open');
  });

  for (const mode of ['open', 'udp-blocked', 'tcp443-only'] as FirewallMode[]) {
    it(`serves a page over HTTPS through the NAT (${mode}), never cached`, async () => {
      await setFirewall(mode);
      const token = randomBytes(8).toString('hex');
      writeFileSync(join(lab.www, `page-${token}.html`), `<p>${token}</p>\n`);
      writeFileSync(join(lab.www, 'makecall.config.json'), JSON.stringify({ server: lab.ws.proxied, domain: lab.pbx.domain }));
      const page = await curl(`${lab.pageBaseUrl}page-${token}.html`);
      expect(page.code, page.stderr).toBe(0);
      expect(page.stdout).toMatch(/^HTTP\/1\.1 200/);
      expect(page.stdout).toMatch(/\r\ncache-control: no-store\r\n/i);
      expect(page.stdout).toContain(`<p>${token}</p>`);
      const config = await curl(`${lab.pageBaseUrl}makecall.config.json`);
      expect(config.stdout).toMatch(/\r\ncontent-type: application\/json\r\n/i);
      expect(config.stdout).toMatch(/\r\ncache-control: no-store\r\n/i);
      // the web server saw the router's public address: the request went through the NAT
      const access = readFileSync(lab.logs.nginxAccess, 'utf8').split('\n').filter((l) => l.includes(`page-${token}`));
      expect(access[0]).toMatch(new RegExp(`^${lab.addresses.routerWan.replace(/\./g, '\\.')} `));
    });
  }

  it('lets UDP to the PBX\'s SIP port through when open (OPTIONS 200), drops it when UDP is blocked', async () => {
    const open = await probe(lab, 'sip-options', ['--to', sipTo]);
    expect(open).toMatchObject({ ok: true, status: 200 });
    await setFirewall('udp-blocked');
    const blocked = await probe(lab, 'sip-options', ['--to', sipTo, '--timeout', DROP_MS]);
    expect(blocked).toMatchObject({ ok: false, error: 'timeout' });
    // the router's UDP drop rule counted it
    const counters = await firewallCounters();
    const udpDrop = /^\s*(\d+)\s+\d+\s+DROP\s+(?:17|udp)\b/m.exec(counters.slice(counters.indexOf('Chain LAB_OUT')));
    expect(Number(udpDrop?.[1] ?? 0), counters).toBeGreaterThan(0);
    // and back: a mode is not sticky
    await setFirewall('open');
    expect(await probe(lab, 'sip-options', ['--to', sipTo])).toMatchObject({ ok: true, status: 200 });
  });

  it('tcp443-only: TCP to 443 passes; TCP to 3478 and UDP are dropped', async () => {
    await setFirewall('tcp443-only');
    const [web, turn443, turn3478, sip] = await Promise.all([
      probe(lab, 'tcp', ['--to', `${lab.addresses.web}:443`]),
      probe(lab, 'tcp', ['--to', `${lab.turn.host}:443`]),
      probe(lab, 'tcp', ['--to', `${lab.turn.host}:3478`, '--timeout', DROP_MS]),
      probe(lab, 'sip-options', ['--to', sipTo, '--timeout', DROP_MS]),
    ]);
    expect(web.ok).toBe(true);
    expect(turn443.ok).toBe(true);
    expect(turn3478).toMatchObject({ ok: false, error: 'timeout' });
    expect(sip).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('allocates a TURN relay over UDP 3478 with REST credentials, and relays SIP to the PBX through it', async () => {
    const r = await probe(lab, 'turn', ['--server', lab.turn.host, '--port', String(lab.turn.ports.udp), '--transport', 'udp',
      '--secret', lab.turn.secret, '--name', 'visitor', '--peer', sipTo]);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, allocated: true, realm: lab.turn.realm, peerStatus: 200 });
    expect(r.relayed).toMatchObject({ host: lab.turn.host });
    expect(r.mapped).toMatchObject({ host: lab.addresses.routerWan }); // the visitor as the internet sees it
    expect(String(r.username)).toMatch(/^\d{10}:visitor$/);
    // the secret is checked: credentials minted from another one are refused
    const wrong = await probe(lab, 'turn', ['--server', lab.turn.host, '--port', '3478', '--transport', 'udp', '--secret', 'not-the-secret']);
    expect(wrong).toMatchObject({ ok: false, error: 'Allocate refused: 401 Unauthorized' });
  });

  it('allocates TURN relays over TCP 443 and TLS 443 when only TCP 443 leaves the LAN, not over UDP 3478', async () => {
    await setFirewall('tcp443-only');
    const turn = (transport: string, port: number, extra: string[] = []) => probe(lab, 'turn', ['--server', lab.turn.host,
      '--port', String(port), '--transport', transport, '--secret', lab.turn.secret, ...extra]);
    const [tcp, tls, udp] = await Promise.all([
      turn('tcp', lab.turn.ports.tcp, ['--peer', sipTo]),
      turn('tls', lab.turn.ports.tls, ['--peer', sipTo]),
      turn('udp', lab.turn.ports.udp, ['--timeout', DROP_MS]),
    ]);
    expect(tcp, JSON.stringify(tcp)).toMatchObject({ ok: true, allocated: true, peerStatus: 200 });
    expect(tls, JSON.stringify(tls)).toMatchObject({ ok: true, allocated: true, peerStatus: 200 });
    expect(String(tls.tls)).toMatch(/^TLSv1\.[23]$/);
    expect(udp).toMatchObject({ ok: false, error: 'no STUN answer (timeout)' });
  });

  it('upgrades the WebSocket through nginx and carries SIP to Kamailio, in open and tcp443-only', async () => {
    for (const mode of ['open', 'tcp443-only'] as FirewallMode[]) {
      await setFirewall(mode);
      const r = await probe(lab, 'ws', ['--url', lab.ws.proxied, '--options', '--ruri', sipRuri]);
      expect(r, `${mode}: ${JSON.stringify(r)}`).toMatchObject({ ok: true, status: 101, protocol: 'sip', sipStatus: 200 });
    }
    // Kamailio's own ws and wss answer as well (open mode)
    await setFirewall('open');
    for (const url of [lab.ws.direct, lab.ws.directTls]) {
      expect(await probe(lab, 'ws', ['--url', url, '--options', '--ruri', sipRuri])).toMatchObject({ ok: true, sipStatus: 200 });
    }
  });

  it('nginx closes an idle WebSocket after proxyIdleTimeoutS; double-CRLF keep-alives keep it open, each answered', async () => {
    const idle = lab.ws.proxyIdleTimeoutS;
    const every = Math.max(1, Math.floor(idle / 3));
    const hold = String(idle + 5);
    const timeoutMs = (idle + 20) * 1000; // the probe's own limit, above its hold (60 s would cut a 60 s proxy's)
    const [silent, keptAlive] = await Promise.all([
      probe(lab, 'ws-idle', ['--url', lab.ws.proxied, '--payload', 'none', '--for', hold], { timeoutMs }),
      probe(lab, 'ws-idle', ['--url', lab.ws.proxied, '--every', String(every), '--for', hold], { timeoutMs }),
    ]);
    expect(silent.survived, JSON.stringify(silent)).toBe(false);
    expect(Number(silent.closedAfterS)).toBeGreaterThanOrEqual(idle - 0.5);
    expect(Number(silent.closedAfterS)).toBeLessThan(idle + 2);
    expect(keptAlive.survived, JSON.stringify(keptAlive)).toBe(true);
    expect(Number(keptAlive.sent)).toBeGreaterThanOrEqual(3);
    expect(keptAlive.pongs).toBe(keptAlive.sent); // Kamailio answers each "\r\n\r\n" with "\r\n" (RFC 5626)
  }, readLab().ws.proxyIdleTimeoutS * 1000 + 30_000); // lab.json exists here: the global setup wrote it

  it('reaches the PBX\'s baresip control hub from the root namespace over its Unix socket', async () => {
    expect(lab.pbx.baresipCtrl.path).toBe(join(lab.runDir, 'pbx', 'ctrl.sock'));
    const bs = await connectBaresip({ path: lab.pbx.baresipCtrl.path });
    try {
      const r = await bs.command('listcalls');
      expect(r.ok).toBe(true);
      expect(r.data).toMatch(/Active calls \(0\)/);
    } finally {
      bs.close();
    }
  });

  it('a second lab in its own run folder coexists; up cleans a lab left there first; down removes only its own', async () => {
    const runDir = resolve(REPO_ROOT, `.run/lab-infra-second-${process.pid}`);
    const nsGone = (l: Lab) => Object.values(l.namespaces).every((ns) => !existsSync(`/run/netns/${ns}`));
    const nsThere = (l: Lab) => Object.values(l.namespaces).every((ns) => existsSync(`/run/netns/${ns}`));
    const procGone = (pid: number) => {
      try {
        const st = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
        return st === 'Z' || st === 'X';
      } catch {
        return true;
      }
    };
    let second: Lab | null = null;
    try {
      const first = labUp({ runDir });
      expect(first.id).not.toBe(lab.id);
      expect(nsThere(first)).toBe(true);
      // a lab left over (never taken down): the next up in that folder takes it down first
      second = labUp({ runDir });
      expect(second.id).not.toBe(first.id);
      expect(nsGone(first)).toBe(true);
      for (const pid of [first.pids.coturn, first.pids.nginx, ...Object.values(first.pbx.pids)]) expect(procGone(pid)).toBe(true);
      // both labs work side by side, with the same addresses inside
      expect(await probe(second, 'tcp', ['--to', `${second.addresses.web}:443`])).toMatchObject({ ok: true });
      labDown({ runDir });
      expect(nsGone(second)).toBe(true);
      for (const pid of [second.pids.coturn, second.pids.nginx, ...Object.values(second.pbx.pids)]) expect(procGone(pid)).toBe(true);
      // logs stay
      expect(existsSync(join(runDir, 'logs', 'coturn.log'))).toBe(true);
      second = null;
      // the suite's lab is untouched
      expect(nsThere(lab)).toBe(true);
      expect(await probe(lab, 'sip-options', ['--to', sipTo])).toMatchObject({ ok: true, status: 200 });
    } finally {
      if (second) labDown({ runDir });
      rmSync(runDir, { recursive: true, force: true });
    }
  }, 60_000);
});
