#!/usr/bin/env node
// baresip control hub, started by pbx-stack.sh. Dependency-free.
//
// Why: baresip 1.0's ctrl_tcp accepts a single client and drops the previous one when a new one connects.
// The hub holds that one connection and speaks the same protocol (netstring-framed JSON) on its own port to
// any number of clients: commands are forwarded (responses go back to the client that asked, with its token),
// events go to every client. It also plays the "hangup" destination: a call established on --hangup-aor is
// hung up by baresip after --hangup-after ms.
//
// node baresip-hub.mjs --baresip 127.0.0.1:PORT --listen 127.0.0.1:PORT [--listen-path /run/dir/ctrl.sock]
//                      [--hangup-aor sip:102@127.0.0.1] [--hangup-after 3000] [--events-log FILE]
//
// --listen-path serves the same protocol on a Unix socket too: a stack in another network namespace (the
// network lab's) is reachable there from the root namespace, where its address is not.
import net from 'node:net';
import fs from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const [bHost, bPort] = (args.baresip || '127.0.0.1:4444').split(':');
const [lHost, lPort] = (args.listen || '127.0.0.1:4445').split(':');
const lPath = args['listen-path'] || '';
const hangupAor = args['hangup-aor'] || '';
const hangupAfter = Number(args['hangup-after'] || 3000);
const eventsLog = args['events-log'] ? fs.createWriteStream(args['events-log'], { flags: 'a' }) : null;

const log = (...a) => console.log(new Date().toISOString(), ...a);

// Netstring framing: "LEN:PAYLOAD,". Returns a push(chunk) function that calls onMessage(obj) per frame.
function netstringReader(onMessage) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const colon = buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(buf.subarray(0, colon).toString());
      if (!Number.isInteger(len)) { buf = Buffer.alloc(0); return; }
      if (buf.length < colon + 1 + len + 1) return;
      const payload = buf.subarray(colon + 1, colon + 1 + len).toString();
      buf = buf.subarray(colon + 1 + len + 1);
      try { onMessage(JSON.parse(payload)); } catch (e) { log('bad frame', e.message); }
    }
  };
}
const frame = (obj) => {
  const s = Buffer.from(JSON.stringify(obj));
  return Buffer.concat([Buffer.from(`${s.length}:`), s, Buffer.from(',')]);
};

const clients = new Set();
const pending = new Map(); // hub token -> { client, token } ; client null = the hub itself
let seq = 0;
let baresip = null;

function sendToBaresip(command, params, client, token) {
  const hubToken = `hub${++seq}`;
  pending.set(hubToken, { client, token });
  const msg = { command, token: hubToken };
  if (params !== undefined && params !== null && params !== '') msg.params = String(params);
  baresip.write(frame(msg));
}

function onBaresipMessage(msg) {
  if (msg.response) {
    const p = pending.get(msg.token);
    pending.delete(msg.token);
    if (!p) return;
    if (p.client === null) { p.resolve?.(msg); return; }
    const out = { ...msg };
    if (p.token === undefined) delete out.token; else out.token = p.token;
    if (!p.client.destroyed) p.client.write(frame(out));
    return;
  }
  if (msg.event) {
    eventsLog?.write(`${JSON.stringify({ receivedAt: Date.now(), ...msg })}\n`);
    for (const c of clients) if (!c.destroyed) c.write(frame(msg));
    maybeAutoHangup(msg);
  }
}

// The "hangup" destination: baresip answers it, the hub hangs it up after a while.
function hubCommand(command, params) {
  return new Promise((resolve) => {
    const hubToken = `hub${++seq}`;
    pending.set(hubToken, { client: null, resolve });
    const msg = { command, token: hubToken };
    if (params) msg.params = params;
    baresip.write(frame(msg));
  });
}
function maybeAutoHangup(ev) {
  if (!hangupAor || ev.type !== 'CALL_ESTABLISHED' || ev.accountaor !== hangupAor) return;
  const id = ev.id;
  log(`auto hangup of ${id} in ${hangupAfter} ms`);
  setTimeout(async () => {
    // baresip 1.0's hangup ends the current call of the current UA: select the UA first.
    await hubCommand('uafind', hangupAor);
    const r = await hubCommand('hangup');
    log(`auto hangup of ${id}: ${JSON.stringify(r)}`);
  }, hangupAfter);
}

function connectBaresip(deadline) {
  const s = net.connect({ host: bHost, port: Number(bPort) });
  s.setNoDelay(true);
  s.once('connect', () => {
    baresip = s;
    log(`connected to baresip ctrl_tcp ${bHost}:${bPort}`);
    startServer();
  });
  s.on('data', netstringReader(onBaresipMessage));
  s.on('error', (e) => {
    if (!baresip && Date.now() < deadline) { setTimeout(() => connectBaresip(deadline), 50); return; }
    log('baresip connection error', e.message);
  });
  s.on('close', () => {
    if (baresip === s) { log('baresip closed the control connection; exiting'); process.exit(0); }
  });
}

const servers = [];
function onClient(c) {
  c.setNoDelay(true);
  clients.add(c);
  c.on('data', netstringReader((msg) => {
    if (typeof msg.command !== 'string') return;
    sendToBaresip(msg.command, msg.params, c, msg.token);
  }));
  c.on('close', () => clients.delete(c));
  c.on('error', () => clients.delete(c));
}
function startServer() {
  if (servers.length) return;
  const tcp = net.createServer(onClient);
  tcp.listen(Number(lPort), lHost, () => log(`listening on ${lHost}:${lPort}`));
  servers.push(tcp);
  if (lPath) {
    fs.rmSync(lPath, { force: true }); // a stale socket of a stack that died
    const unix = net.createServer(onClient);
    unix.listen(lPath, () => log(`listening on ${lPath}`));
    servers.push(unix);
  }
}

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    for (const c of clients) c.destroy();
    for (const s of servers) s.close();
    if (lPath) fs.rmSync(lPath, { force: true });
    baresip?.end();
    process.exit(0);
  });
}

connectBaresip(Date.now() + 10000);
