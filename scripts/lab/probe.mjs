#!/usr/bin/env node
// Small network probes for the lab, run inside a namespace (`lab.sh exec visitor node scripts/lab/probe.mjs ...`).
// Dependency-free. Each command prints one JSON line on stdout ({ ok: true|false, ... }) and exits 0 when ok, 1 when
// not (2 on bad usage): a blocked path is an answer, not a crash.
//
//   probe.mjs sip-options --to HOST:PORT [--timeout MS]                 SIP OPTIONS over UDP, reports the status
//   probe.mjs tcp --to HOST:PORT [--timeout MS]                         does a TCP connection open?
//   probe.mjs turn --server HOST --port N --transport udp|tcp|tls --secret S [--name N] [--ttl S]
//                  [--peer HOST:PORT] [--timeout MS]
//       TURN Allocate with REST credentials minted from the shared secret (username "<expiry>:<name>",
//       password base64(HMAC-SHA1(secret, username))). With --peer: CreatePermission, then a SIP OPTIONS sent
//       through the relay to the peer (the PBX's UDP port); the answer must come back through the relay.
//   probe.mjs ws --url ws[s]://HOST[:PORT]/PATH [--timeout MS] [--options]
//       WebSocket upgrade with subprotocol "sip"; with --options also a SIP OPTIONS over it (expects 200), to
//       --ruri sip:HOST[:PORT] (default: the URL's host and port; through a proxy, name the PBX).
//   probe.mjs ws-idle --url ... --every S --for S [--payload crlf|none]
//       Holds a WebSocket open for --for seconds, sending a double CRLF (RFC 5626 keep-alive) every --every s
//       (or nothing), and reports when it closed and how many single-CRLF pongs came back.
//
// Self-signed certificates are accepted (the lab makes its own): these probes test paths, not PKI.
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [cmd, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i < rest.length; i++) {
  if (!rest[i].startsWith('--')) continue;
  const k = rest[i].slice(2);
  if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) { args[k] = rest[i + 1]; i++; } else args[k] = true;
}
const timeoutMs = Number(args.timeout || 3000);

function hostPort(s, what = '--to') {
  const m = /^([^:]+):(\d+)$/.exec(String(s || ''));
  if (!m) usage(`${what} HOST:PORT`);
  return { host: m[1], port: Number(m[2]) };
}
function usage(msg) {
  process.stderr.write(`probe.mjs: ${msg}\n`);
  process.exit(2);
}
function done(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}

// ---------- SIP ----------

function sipOptions({ host, port, ruri }, via) {
  const branch = `z9hG4bK${crypto.randomBytes(6).toString('hex')}`;
  const tag = crypto.randomBytes(4).toString('hex');
  const callId = `${crypto.randomBytes(8).toString('hex')}@lab`;
  return [
    `OPTIONS ${ruri || `sip:${host}:${port}`} SIP/2.0`,
    `Via: SIP/2.0/${via.transport} ${via.host};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:lab-probe@${host}>;tag=${tag}`,
    `To: <${ruri || `sip:${host}:${port}`}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
const sipStatus = (text) => Number((/^SIP\/2\.0 (\d{3})/.exec(text) || [])[1] || 0);

function cmdSipOptions() {
  const to = hostPort(args.to);
  const sock = dgram.createSocket('udp4');
  const t0 = Date.now();
  const timer = setTimeout(() => { sock.close(); done({ ok: false, to: args.to, error: 'timeout', ms: Date.now() - t0 }); }, timeoutMs);
  sock.on('message', (msg) => {
    clearTimeout(timer);
    sock.close();
    const status = sipStatus(msg.toString());
    done({ ok: status === 200, to: args.to, status, ms: Date.now() - t0 });
  });
  sock.on('error', (e) => { clearTimeout(timer); done({ ok: false, to: args.to, error: e.message }); });
  sock.bind(0, () => {
    const a = sock.address();
    sock.send(sipOptions(to, { transport: 'UDP', host: `lab-probe.invalid:${a.port}` }), to.port, to.host);
  });
}

// ---------- TCP ----------

function cmdTcp() {
  const to = hostPort(args.to);
  const t0 = Date.now();
  const s = net.connect(to);
  const timer = setTimeout(() => { s.destroy(); done({ ok: false, to: args.to, error: 'timeout', ms: Date.now() - t0 }); }, timeoutMs);
  s.once('connect', () => { clearTimeout(timer); s.destroy(); done({ ok: true, to: args.to, ms: Date.now() - t0 }); });
  s.once('error', (e) => { clearTimeout(timer); done({ ok: false, to: args.to, error: e.code || e.message, ms: Date.now() - t0 }); });
}

// ---------- STUN / TURN (RFC 5389, 5766) ----------

const MAGIC = 0x2112a442;
const ATTR = {
  USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, LIFETIME: 0x000d, XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013, REALM: 0x0014, NONCE: 0x0015, XOR_RELAYED_ADDRESS: 0x0016, REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020, SOFTWARE: 0x8022,
};
const METHOD = { ALLOCATE: 0x003, REFRESH: 0x004, SEND: 0x006, DATA: 0x007, CREATE_PERMISSION: 0x008 };
// message type = method bits + class bits (request 0x000, indication 0x010, success 0x100, error 0x110)
const type = (method, cls) => method | cls;

function attr(t, value) {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16BE(t, 0);
  b.writeUInt16BE(value.length, 2);
  value.copy(b, 4);
  return b;
}
function xorAddress({ host, port }) {
  const b = Buffer.alloc(8);
  b.writeUInt8(0, 0);
  b.writeUInt8(1, 1); // IPv4
  b.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
  const ip = host.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  b.writeUInt32BE((ip ^ MAGIC) >>> 0, 4);
  return b;
}
function readXorAddress(v) {
  const port = v.readUInt16BE(2) ^ (MAGIC >>> 16);
  const ip = (v.readUInt32BE(4) ^ MAGIC) >>> 0;
  return { host: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
}
/** Builds a STUN message; with key, appends MESSAGE-INTEGRITY over it. */
function stunMessage(msgType, attrs, key) {
  const txid = crypto.randomBytes(12);
  let body = Buffer.concat(attrs.map(([t, v]) => attr(t, v)));
  const header = (len) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(msgType, 0);
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(MAGIC, 4);
    txid.copy(h, 8);
    return h;
  };
  if (key) {
    const hmac = crypto.createHmac('sha1', key).update(Buffer.concat([header(body.length + 24), body])).digest();
    body = Buffer.concat([body, attr(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  return { txid, buf: Buffer.concat([header(body.length), body]) };
}
function parseStun(b) {
  if (b.length < 20 || b.readUInt32BE(4) !== MAGIC) return null;
  const msg = { type: b.readUInt16BE(0), txid: b.subarray(8, 20), attrs: new Map() };
  const end = 20 + b.readUInt16BE(2);
  for (let off = 20; off + 4 <= end;) {
    const t = b.readUInt16BE(off);
    const len = b.readUInt16BE(off + 2);
    if (!msg.attrs.has(t)) msg.attrs.set(t, b.subarray(off + 4, off + 4 + len));
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  const ec = msg.attrs.get(ATTR.ERROR_CODE);
  if (ec) msg.error = { code: (ec[2] & 7) * 100 + ec[3], reason: ec.subarray(4).toString() };
  return msg;
}

/** A STUN transport: send(buf), and an onMessage hook; stream transports are framed by the STUN length. */
function openTransport(transport, server) {
  return new Promise((resolve, reject) => {
    const listeners = new Set();
    const emit = (m) => { for (const l of listeners) l(m); };
    if (transport === 'udp') {
      const s = dgram.createSocket('udp4');
      s.on('message', (b) => emit(b));
      s.once('error', reject);
      s.connect(server.port, server.host, () => resolve({ send: (b) => s.send(b), listeners, close: () => s.close() }));
      return;
    }
    const s = transport === 'tls'
      ? tls.connect({ ...server, rejectUnauthorized: false, servername: undefined })
      : net.connect(server);
    let buf = Buffer.alloc(0);
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 20) {
        const len = 20 + buf.readUInt16BE(2);
        if (buf.length < len) break;
        emit(buf.subarray(0, len));
        buf = buf.subarray(len);
      }
    });
    const timer = setTimeout(() => { s.destroy(); reject(new Error('connect timeout')); }, timeoutMs);
    s.once('error', (e) => { clearTimeout(timer); reject(e); });
    s.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      s.on('error', () => {});
      resolve({ send: (b) => s.write(b), listeners, close: () => s.destroy(), tlsProtocol: s.getProtocol?.() });
    });
  });
}

function request(t, msg, ms) {
  return new Promise((resolve, reject) => {
    const l = (b) => {
      const m = parseStun(b);
      if (m && m.txid.equals(msg.txid)) { clearTimeout(timer); t.listeners.delete(l); resolve(m); }
    };
    const timer = setTimeout(() => { t.listeners.delete(l); reject(new Error('no STUN answer (timeout)')); }, ms);
    t.listeners.add(l);
    t.send(msg.buf);
  });
}

/** TURN REST credentials (draft-uberti-behave-turn-rest): what a web server would hand the browser. */
export function turnCredentials(secret, name = 'lab', ttlS = 3600) {
  const username = `${Math.floor(Date.now() / 1000) + ttlS}:${name}`;
  return { username, credential: crypto.createHmac('sha1', secret).update(username).digest('base64') };
}

async function cmdTurn() {
  const server = { host: args.server, port: Number(args.port || 3478) };
  const transport = String(args.transport || 'udp');
  if (!server.host || !['udp', 'tcp', 'tls'].includes(transport) || !args.secret) usage('turn --server HOST --port N --transport udp|tcp|tls --secret S');
  const out = { ok: false, server: `${server.host}:${server.port}`, transport };
  const t0 = Date.now();
  let t;
  try {
    t = await openTransport(transport, server);
    if (t.tlsProtocol) out.tls = t.tlsProtocol;
    const { username, credential } = turnCredentials(String(args.secret), String(args.name || 'lab'), Number(args.ttl || 3600));
    out.username = username;
    const reqTransport = Buffer.from([17, 0, 0, 0]); // UDP relay
    // 1. unauthenticated Allocate: 401 with realm and nonce
    const first = await request(t, stunMessage(type(METHOD.ALLOCATE, 0), [[ATTR.REQUESTED_TRANSPORT, reqTransport]]), timeoutMs);
    if (first.error?.code !== 401) throw new Error(`expected 401 to the first Allocate, got ${first.error ? first.error.code : 'success'}`);
    const realm = first.attrs.get(ATTR.REALM).toString();
    const nonce = first.attrs.get(ATTR.NONCE);
    out.realm = realm;
    const key = crypto.createHash('md5').update(`${username}:${realm}:${credential}`).digest();
    const auth = [[ATTR.USERNAME, Buffer.from(username)], [ATTR.REALM, Buffer.from(realm)], [ATTR.NONCE, nonce]];
    // 2. authenticated Allocate
    const alloc = await request(t, stunMessage(type(METHOD.ALLOCATE, 0), [[ATTR.REQUESTED_TRANSPORT, reqTransport], ...auth], key), timeoutMs);
    if (alloc.error) throw new Error(`Allocate refused: ${alloc.error.code} ${alloc.error.reason}`);
    out.relayed = readXorAddress(alloc.attrs.get(ATTR.XOR_RELAYED_ADDRESS));
    out.mapped = alloc.attrs.has(ATTR.XOR_MAPPED_ADDRESS) ? readXorAddress(alloc.attrs.get(ATTR.XOR_MAPPED_ADDRESS)) : null;
    out.lifetime = alloc.attrs.get(ATTR.LIFETIME)?.readUInt32BE(0);
    out.allocated = true;
    // 3. optional: relay a SIP OPTIONS to a peer and get its answer back through the relay
    if (args.peer) {
      const peer = hostPort(args.peer, '--peer');
      const perm = await request(t, stunMessage(type(METHOD.CREATE_PERMISSION, 0), [[ATTR.XOR_PEER_ADDRESS, xorAddress(peer)], ...auth], key), timeoutMs);
      if (perm.error) throw new Error(`CreatePermission refused: ${perm.error.code} ${perm.error.reason}`);
      const answer = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the peer through the relay')), timeoutMs);
        t.listeners.add((b) => {
          const m = parseStun(b);
          if (m?.type === type(METHOD.DATA, 0x010)) { clearTimeout(timer); resolve(m.attrs.get(ATTR.DATA).toString()); }
        });
      });
      const sip = sipOptions(peer, { transport: 'UDP', host: `${out.relayed.host}:${out.relayed.port}` });
      t.send(stunMessage(type(METHOD.SEND, 0x010), [[ATTR.XOR_PEER_ADDRESS, xorAddress(peer)], [ATTR.DATA, Buffer.from(sip)]]).buf);
      out.peerStatus = sipStatus(await answer);
    }
    // 4. release the allocation (Refresh with lifetime 0)
    await request(t, stunMessage(type(METHOD.REFRESH, 0), [[ATTR.LIFETIME, Buffer.from([0, 0, 0, 0])], ...auth], key), timeoutMs).catch(() => {});
    out.ok = !args.peer || out.peerStatus === 200;
  } catch (e) {
    out.error = e.code || e.message;
  } finally {
    t?.close();
  }
  out.ms = Date.now() - t0;
  done(out);
}

// ---------- WebSocket (RFC 6455), client side ----------

function wsFrame(opcode, payload) {
  const mask = crypto.randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len])
    : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
  return Buffer.concat([head, mask, body]);
}

/** Opens a WebSocket; resolves { status, protocol, send(text), onText hook set, close(), closed promise }. */
function wsOpen(urlText) {
  const url = new URL(urlText);
  const secure = url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  return new Promise((resolve, reject) => {
    const s = secure
      ? tls.connect({ host: url.hostname, port, rejectUnauthorized: false })
      : net.connect({ host: url.hostname, port });
    const key = crypto.randomBytes(16).toString('base64');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const texts = new Set();
    let closedResolve;
    const closed = new Promise((r) => { closedResolve = r; });
    const timer = setTimeout(() => { s.destroy(); reject(new Error('no upgrade (timeout)')); }, timeoutMs);
    s.once(secure ? 'secureConnect' : 'connect', () => {
      s.write([
        `GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: sip', '', '',
      ].join('\r\n'));
    });
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        clearTimeout(timer);
        const status = Number((/^HTTP\/1\.1 (\d{3})/.exec(head) || [])[1] || 0);
        const protocol = (/\r\nsec-websocket-protocol:\s*(\S+)/i.exec(head) || [])[1] || null;
        const accept = (/\r\nsec-websocket-accept:\s*(\S+)/i.exec(head) || [])[1];
        const want = crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        if (status !== 101 || accept !== want) {
          s.destroy();
          resolve({ status, protocol, upgraded: false, head });
          return;
        }
        upgraded = true;
        resolve({
          status, protocol, upgraded: true, texts, closed,
          send: (text) => s.write(wsFrame(1, Buffer.from(text))),
          close: () => { try { s.write(wsFrame(8, Buffer.alloc(0))); } catch { /* gone */ } s.destroy(); },
        });
      }
      // server frames are unmasked
      while (buf.length >= 2) {
        let len = buf[1] & 127;
        let off = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
        if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
        if (buf.length < off + len) return;
        const opcode = buf[0] & 15;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === 1 || opcode === 2) for (const f of texts) f(payload.toString());
        if (opcode === 9) s.write(wsFrame(10, payload)); // ping -> pong
        if (opcode === 8) s.destroy();
      }
    });
    s.once('error', (e) => { clearTimeout(timer); if (!upgraded) reject(e); });
    s.once('close', () => { clearTimeout(timer); closedResolve(Date.now()); });
  });
}

async function cmdWs() {
  const out = { ok: false, url: args.url };
  const t0 = Date.now();
  try {
    const ws = await wsOpen(String(args.url));
    Object.assign(out, { status: ws.status, protocol: ws.protocol, upgraded: ws.upgraded });
    if (ws.upgraded && args.options) {
      const u = new URL(String(args.url));
      const got = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no SIP answer over the WebSocket')), timeoutMs);
        ws.texts.add((t) => { clearTimeout(timer); resolve(sipStatus(t)); });
      });
      ws.send(sipOptions({ host: u.hostname, port: Number(u.port || 443), ruri: args.ruri }, { transport: u.protocol === 'wss:' ? 'WSS' : 'WS', host: 'lab-probe.invalid' }));
      out.sipStatus = await got;
    }
    ws.close?.();
    out.ok = ws.upgraded && ws.protocol === 'sip' && (!args.options || out.sipStatus === 200);
  } catch (e) {
    out.error = e.code || e.message;
  }
  out.ms = Date.now() - t0;
  done(out);
}

async function cmdWsIdle() {
  const everyS = Number(args.every || 0);
  const forS = Number(args.for || 30);
  const payload = args.payload === 'none' ? null : '\r\n\r\n';
  const out = { ok: false, url: args.url, everyS, forS, payload: payload ? 'crlf' : 'none', sent: 0, pongs: 0, otherTexts: 0 };
  const t0 = Date.now();
  try {
    const ws = await wsOpen(String(args.url));
    if (!ws.upgraded) throw new Error(`no upgrade: HTTP ${ws.status}`);
    ws.texts.add((t) => { if (t === '\r\n') out.pongs++; else out.otherTexts++; });
    const timer = everyS > 0 && payload ? setInterval(() => { ws.send(payload); out.sent++; }, everyS * 1000) : null;
    const closedAt = await Promise.race([ws.closed, new Promise((r) => setTimeout(() => r(0), forS * 1000))]);
    if (timer) clearInterval(timer);
    out.closedAfterS = closedAt ? Math.round((closedAt - t0) / 100) / 10 : null;
    out.survived = !closedAt;
    ws.close();
    out.ok = true;
  } catch (e) {
    out.error = e.code || e.message;
  }
  done(out);
}

const commands = { 'sip-options': cmdSipOptions, tcp: cmdTcp, turn: cmdTurn, ws: cmdWs, 'ws-idle': cmdWsIdle };
// the CLI runs only when this file is the program (lab.mjs imports turnCredentials from it)
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!commands[cmd]) usage(`unknown command '${cmd ?? ''}'; one of ${Object.keys(commands).join(', ')}`);
  commands[cmd]();
}
