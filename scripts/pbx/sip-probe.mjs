#!/usr/bin/env node
// A tiny SIP user agent (UAC) for the stack self-test: UDP, WebSocket (ws) or secure WebSocket (wss), digest auth
// with qop, CANCEL, BYE both ways, SIP INFO and RFC 4733 DTMF, plain RTP (PCMU) for media on UDP.
// Dependency-free. Not a general SIP stack: just enough to prove what the reference PBX promises.
//
//   node scripts/pbx/sip-probe.mjs [--stack .run/pbx/stack.json] [--transports udp,ws,wss]
// prints "PASS <check>" or "FAIL <check>: why" per check; exit code = number of failures (capped at 100).
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectBaresip, latestRecording, wavStats } from './baresip-control.mjs';

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');
const rnd = (n = 8) => crypto.randomBytes(n).toString('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------- transports ----------
// Each gives: send(text), onmessage = (text) => {}, via(branch), contact, close().

async function udpTransport(host, port) {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const lport = sock.address().port;
  const t = {
    name: 'udp',
    onmessage: () => {},
    send: (text) => sock.send(Buffer.from(text), port, host),
    via: (branch) => `SIP/2.0/UDP 127.0.0.1:${lport};branch=${branch};rport`,
    contact: `<sip:probe@127.0.0.1:${lport}>`,
    close: () => sock.close(),
  };
  sock.on('message', (m) => t.onmessage(m.toString()));
  return t;
}

// WebSocket client on a raw socket (RFC 6455), subprotocol "sip" (RFC 7118). Text frames only.
async function wsTransport(url) {
  const u = new URL(url);
  const secure = u.protocol === 'wss:';
  const port = Number(u.port || (secure ? 443 : 80));
  const sock = await new Promise((res, rej) => {
    const s = secure
      ? tls.connect({ host: u.hostname, port, rejectUnauthorized: false }, () => res(s))
      : net.connect({ host: u.hostname, port }, () => res(s));
    s.once('error', rej);
  });
  sock.setNoDelay(true);
  const key = crypto.randomBytes(16).toString('base64');
  sock.write(`GET ${u.pathname || '/'} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n`);
  let buf = Buffer.alloc(0);
  let open = false;
  const host = `${rnd(4)}.invalid`;
  const t = {
    name: secure ? 'wss' : 'ws',
    onmessage: () => {},
    send(text) {
      const payload = Buffer.from(text);
      const mask = crypto.randomBytes(4);
      let head;
      if (payload.length < 126) head = Buffer.from([0x81, 0x80 | payload.length]);
      else if (payload.length < 65536) { head = Buffer.alloc(4); head[0] = 0x81; head[1] = 0x80 | 126; head.writeUInt16BE(payload.length, 2); }
      else { head = Buffer.alloc(10); head[0] = 0x81; head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(payload.length), 2); }
      const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      sock.write(Buffer.concat([head, mask, body]));
    },
    via: (branch) => `SIP/2.0/${secure ? 'WSS' : 'WS'} ${host};branch=${branch}`,
    contact: `<sip:probe@${host};transport=ws>`,
    close: () => sock.destroy(),
  };
  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('websocket handshake timeout')), 3000);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!open) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        if (!/^HTTP\/1\.1 101/.test(head)) { clearTimeout(timer); rej(new Error(`websocket refused: ${head.split('\r\n')[0]}`)); return; }
        open = true;
        buf = buf.subarray(end + 4);
        clearTimeout(timer);
        res();
      }
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
        if (buf.length < off + len) return;
        const opcode = buf[0] & 0x0f;
        const data = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === 1 || opcode === 2) t.onmessage(data.toString());
      }
    });
    sock.once('error', (e) => { clearTimeout(timer); rej(e); });
  });
  return t;
}

// ---------- SIP messages ----------

function parse(text) {
  const sep = text.indexOf('\r\n\r\n');
  const head = (sep < 0 ? text : text.slice(0, sep)).split('\r\n');
  const body = sep < 0 ? '' : text.slice(sep + 4);
  const first = head.shift();
  const headers = {};
  const compact = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };
  for (const line of head) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    let name = line.slice(0, i).trim().toLowerCase();
    name = compact[name] || name;
    (headers[name] ||= []).push(line.slice(i + 1).trim());
  }
  const m = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(first);
  if (m) return { isResponse: true, status: Number(m[1]), reason: m[2], headers, body, raw: text };
  const [method, uri] = first.split(' ');
  return { isResponse: false, method, uri, headers, body, raw: text };
}
const hdr = (msg, name) => (msg.headers[name.toLowerCase()] || [])[0];
const tagOf = (h) => (/;tag=([^;>\s]+)/.exec(h || '') || [])[1];

function digest(challenge, { user, password, method, uri }) {
  const p = {};
  for (const m of challenge.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1].toLowerCase()] = m[2] ?? m[3];
  const ha1 = md5(`${user}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = (p.qop || '').split(',').map((s) => s.trim()).includes('auth') ? 'auth' : null;
  const cnonce = rnd(8);
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${p.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
  let h = `Digest username="${user}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", response="${response}", algorithm=MD5`;
  if (qop) h += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (p.opaque !== undefined) h += `, opaque="${p.opaque}"`;
  return h;
}

// A call leg: one Call-ID, one transport. Keeps what it needs for ACK, CANCEL, BYE, INFO.
class Leg {
  constructor(transport, stack, number, { fromUser = '40' } = {}) {
    this.t = transport;
    this.stack = stack;
    this.ruri = `sip:${number}@${stack.domain}`;
    this.callId = `${rnd(10)}@probe`;
    this.fromTag = rnd(6);
    this.from = `<sip:${fromUser}@${stack.domain}>;tag=${this.fromTag}`;
    this.to = `<${this.ruri}>`;
    this.cseq = 0;
    this.waiters = [];
    this.inbox = [];
    this.t.onmessage = (text) => this.onMessage(parse(text));
  }

  onMessage(msg) {
    if (!msg.isResponse && msg.method !== 'ACK') {
      // a request from the far end (BYE, INFO, re-INVITE): answer 200 right away
      const lines = [`SIP/2.0 200 OK`];
      for (const v of msg.headers.via || []) lines.push(`Via: ${v}`);
      lines.push(`From: ${hdr(msg, 'from')}`, `To: ${hdr(msg, 'to')}`, `Call-ID: ${hdr(msg, 'call-id')}`, `CSeq: ${hdr(msg, 'cseq')}`, 'Content-Length: 0', '', '');
      this.t.send(lines.join('\r\n'));
    }
    this.inbox.push({ msg, at: Date.now() });
    for (const w of [...this.waiters]) w(msg);
  }

  wait(pred, timeoutMs = 5000, what = 'message') {
    const found = this.inbox.find(({ msg }) => pred(msg));
    if (found) return Promise.resolve(found.msg);
    return new Promise((res, rej) => {
      const w = (m) => { if (pred(m)) { clearTimeout(timer); this.waiters = this.waiters.filter((x) => x !== w); res(m); } };
      const timer = setTimeout(() => { this.waiters = this.waiters.filter((x) => x !== w); rej(new Error(`timeout waiting for ${what}`)); }, timeoutMs);
      this.waiters.push(w);
    });
  }

  request(method, { uri = this.ruri, cseq, branch = `z9hG4bK${rnd(8)}`, headers = [], body = '', contentType, to = this.to, route = [] } = {}) {
    const lines = [
      `${method} ${uri} SIP/2.0`,
      `Via: ${this.t.via(branch)}`,
      'Max-Forwards: 70',
      ...route.map((r) => `Route: ${r}`),
      `From: ${this.from}`,
      `To: ${to}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: ${this.t.contact}`,
      'User-Agent: vodia-call-sip-probe',
      ...headers,
    ];
    if (contentType) lines.push(`Content-Type: ${contentType}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
    this.t.send(lines.join('\r\n'));
    return branch;
  }

  // INVITE until a final response; answers one 407 with credentials when given. Returns the final response.
  async invite({ sdp = '', auth = null, digestUri = null, onProvisional = null, timeoutMs = 8000 } = {}) {
    this.inviteCseq = ++this.cseq;
    this.sdp = sdp;
    this.inviteBranch = this.request('INVITE', { cseq: this.inviteCseq, body: sdp, contentType: sdp ? 'application/sdp' : undefined });
    let final = await this.finalFor(this.inviteCseq, 'INVITE', timeoutMs, onProvisional);
    this.responses = [final.status];
    if (final.status === 407 && auth) {
      this.ackFailure(final);
      const challenge = hdr(final, 'proxy-authenticate');
      const cred = digest(challenge, { ...auth, method: 'INVITE', uri: digestUri || this.ruri });
      this.inviteCseq = ++this.cseq;
      this.inviteBranch = this.request('INVITE', {
        cseq: this.inviteCseq, body: sdp, contentType: sdp ? 'application/sdp' : undefined, headers: [`Proxy-Authorization: ${cred}`],
      });
      final = await this.finalFor(this.inviteCseq, 'INVITE', timeoutMs, onProvisional);
      this.responses.push(final.status);
    }
    if (final.status >= 300) this.ackFailure(final);
    else if (final.status >= 200) this.ack2xx(final);
    this.final = final;
    return final;
  }

  async finalFor(cseq, method, timeoutMs, onProvisional) {
    const isMine = (m) => m.isResponse && hdr(m, 'cseq') === `${cseq} ${method}`;
    if (onProvisional) {
      const seen = new Set();
      const w = (m) => { if (isMine(m) && m.status < 200 && !seen.has(m.status)) { seen.add(m.status); onProvisional(m); } };
      this.waiters.push(w);
    }
    return this.wait((m) => isMine(m) && m.status >= 200, timeoutMs, `final response to ${method}`);
  }

  ackFailure(resp) { // same transaction as the INVITE: same branch and CSeq, To with the response's tag
    this.request('ACK', { cseq: this.inviteCseq, branch: this.inviteBranch, to: hdr(resp, 'to') });
  }

  ack2xx(resp) { // a new transaction within the dialog
    this.dialogTo = hdr(resp, 'to');
    this.remoteTarget = (/<([^>]+)>/.exec(hdr(resp, 'contact') || '') || [])[1];
    this.routeSet = (resp.headers['record-route'] || []).flatMap((h) => h.split(/,(?=\s*<)/).map((s) => s.trim())).reverse();
    this.answer = resp.body;
    this.request('ACK', { uri: this.remoteTarget, cseq: this.inviteCseq, to: this.dialogTo, route: this.routeSet });
  }

  async inDialog(method, { headers = [], body = '', contentType } = {}) {
    const cseq = ++this.cseq;
    this.request(method, { uri: this.remoteTarget, cseq, to: this.dialogTo, route: this.routeSet, headers, body, contentType });
    return this.finalFor(cseq, method, 5000);
  }

  async cancel() {
    const lines = [
      `CANCEL ${this.ruri} SIP/2.0`, `Via: ${this.t.via(this.inviteBranch)}`, 'Max-Forwards: 70', `From: ${this.from}`, `To: ${this.to}`,
      `Call-ID: ${this.callId}`, `CSeq: ${this.inviteCseq} CANCEL`, 'Content-Length: 0', '', '',
    ];
    this.t.send(lines.join('\r\n'));
    return this.finalFor(this.inviteCseq, 'CANCEL', 5000);
  }
}

// ---------- media (UDP only) ----------

function linearToUlaw(sample) {
  const BIAS = 0x84;
  let sign = (sample >> 8) & 0x80;
  if (sign) sample = -sample;
  if (sample > 32635) sample = 32635;
  sample += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (sample & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
  const mantissa = (sample >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

async function rtpSocket() {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  s.received = [];
  s.on('message', (m) => s.received.push({ pt: m[1] & 0x7f, len: m.length, at: Date.now() }));
  return s;
}

function sdpOffer(port) {
  return ['v=0', `o=probe ${Date.now()} 1 IN IP4 127.0.0.1`, 's=probe', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16',
    'a=ptime:20', 'a=sendrecv', ''].join('\r\n');
}

function remoteMedia(sdp) {
  const ip = (/c=IN IP4 (\S+)/.exec(sdp) || [])[1];
  const m = /m=audio (\d+) (\S+) ([\d ]+)/.exec(sdp);
  const rtpmaps = [...sdp.matchAll(/a=rtpmap:(\d+) ([^\s/]+)\//g)].map((x) => ({ pt: Number(x[1]), name: x[2] }));
  return m ? { ip, port: Number(m[1]), proto: m[2], pts: m[3].trim().split(' ').map(Number), rtpmaps } : null;
}

// Sends ms of a 1 kHz PCMU tone, then optional RFC 4733 digits (each durMs long), 20 ms packets.
async function sendMedia(sock, dest, { ms = 1000, digits = '', durMs = 200, tePt = 101 } = {}) {
  const ssrc = crypto.randomBytes(4).readUInt32BE();
  let seq = Math.floor(Math.random() * 1000);
  let ts = Math.floor(Math.random() * 100000);
  const pkt = (pt, payload, marker = false) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80; h[1] = (marker ? 0x80 : 0) | pt; h.writeUInt16BE(seq++ & 0xffff, 2); h.writeUInt32BE(ts >>> 0, 4); h.writeUInt32BE(ssrc, 8);
    sock.send(Buffer.concat([h, payload]), dest.port, dest.ip);
  };
  let phase = 0;
  const t0 = Date.now();
  for (let i = 0; i < ms / 20; i++) {
    const p = Buffer.alloc(160);
    for (let k = 0; k < 160; k++) { p[k] = linearToUlaw(Math.round(8000 * Math.sin(phase))); phase += (2 * Math.PI * 1000) / 8000; }
    pkt(0, p);
    ts += 160;
    await sleep(Math.max(0, t0 + (i + 1) * 20 - Date.now()));
  }
  const codes = { '*': 10, '#': 11 };
  for (const d of digits) {
    const ev = codes[d] ?? Number(d);
    const start = ts;
    const steps = Math.ceil(durMs / 20);
    for (let i = 1; i <= steps; i++) {
      const b = Buffer.alloc(4); b[0] = ev; b[1] = 10; b.writeUInt16BE(i * 160, 2);
      ts = start; pkt(tePt, b, i === 1);
      await sleep(20);
    }
    for (let r = 0; r < 3; r++) { // end packet, sent three times as RFC 4733 says
      const b = Buffer.alloc(4); b[0] = ev; b[1] = 0x80 | 10; b.writeUInt16BE(steps * 160, 2);
      ts = start; pkt(tePt, b);
    }
    ts = start + steps * 160;
    await sleep(100);
  }
}

// ---------- the checks ----------

async function main() {
  process.stdout.on('error', () => {});
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
  const stackPath = opt('stack', path.join(process.env.VODIA_PBX_RUN_DIR || '.run/pbx', 'stack.json'));
  const stack = JSON.parse(fs.readFileSync(stackPath, 'utf8'));
  const transports = opt('transports', 'udp,ws,wss').split(',');
  const [acc] = stack.accounts;
  const auth = { user: acc.user, password: acc.password };
  const N = stack.numbers;
  const [udpHost, udpPort] = /sip:([\d.]+):(\d+)/.exec(stack.sipUdp).slice(1);
  const bs = await connectBaresip(stack.baresipCtrl);
  let failures = 0;
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      const note = await fn();
      console.log(`PASS ${name}${note ? ` (${note})` : ''} [${Date.now() - t0} ms]`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
  };
  const expect = (cond, msg) => { if (!cond) throw new Error(msg); };
  const open = (kind) => (kind === 'udp' ? udpTransport(udpHost, Number(udpPort)) : wsTransport(kind === 'ws' ? stack.ws : stack.wss));
  const leg = async (kind, number, fn) => {
    const t = await open(kind);
    try { return await fn(new Leg(t, stack, number)); } finally { t.close(); }
  };

  for (const kind of transports) {
    await check(`${kind}: INVITE without credentials gets 407`, () => leg(kind, N.echo, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9) });
      expect(r.status === 407, `got ${r.status}`);
      expect(/realm="127\.0\.0\.1"/.test(hdr(r, 'proxy-authenticate') || ''), `challenge: ${hdr(r, 'proxy-authenticate')}`);
    }));

    await check(`${kind}: right password reaches echo (200), BYE from us ends it`, () => leg(kind, N.echo, async (l) => {
      const mark = bs.mark();
      const rtp = await rtpSocket();
      try {
        const r = await l.invite({ sdp: sdpOffer(rtp.address().port), auth });
        expect(r.status === 200, `got ${l.responses.join(' then ')}`);
        await bs.waitFor((e) => e.type === 'CALL_ESTABLISHED' && e.accountaor === `sip:${N.echo}@${stack.domain}`, 3000, { since: mark });
        let note = '';
        if (kind === 'udp') {
          const m = remoteMedia(l.answer);
          expect(m && m.proto === 'RTP/AVP', `answer media: ${JSON.stringify(m)}`);
          await sendMedia(rtp, m, { ms: 1200 });
          const got = rtp.received.length;
          expect(got > 20, `only ${got} RTP packets came back`);
          note = `${got} RTP packets in`;
        }
        const bye = await l.inDialog('BYE');
        expect(bye.status === 200, `BYE got ${bye.status}`);
        await bs.waitFor((e) => e.type === 'CALL_CLOSED' && e.accountaor === `sip:${N.echo}@${stack.domain}`, 3000, { since: mark });
        if (kind === 'udp') {
          await sleep(100);
          const rec = latestRecording(stack.recordings, 'dec', { newerThanMs: Date.now() - 10000 });
          expect(rec, 'no recording of the call');
          const s = wavStats(rec.path);
          expect(s.rms > 0.01, `recording is silent (rms ${s.rms.toFixed(4)})`);
          note += `, baresip recorded ${s.seconds.toFixed(1)} s at rms ${s.rms.toFixed(3)}`;
        }
        return note;
      } finally { rtp.close(); }
    }));

    await check(`${kind}: wrong password is refused`, () => leg(kind, N.echo, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth: { ...auth, password: 'wrong' } });
      expect(r.status === 407 || r.status === 403, `got ${l.responses.join(' then ')}`);
      return `${l.responses.join(' then ')}`;
    }));

    await check(`${kind}: unknown account is refused`, () => leg(kind, N.echo, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth: { user: '999', password: 'x' } });
      expect(r.status === 407 || r.status === 403, `got ${l.responses.join(' then ')}`);
    }));

    await check(`${kind}: busy gives 486`, () => leg(kind, N.busy, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth });
      expect(r.status === 486, `got ${l.responses.join(' then ')}`);
    }));

    await check(`${kind}: unknown number gives 404`, () => leg(kind, '5550199', async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth });
      expect(r.status === 404, `got ${l.responses.join(' then ')}`);
    }));

    await check(`${kind}: digest uri for another number is refused with 403`, () => leg(kind, N.tone, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth, digestUri: `sip:${N.echo}@${stack.domain}` });
      expect(r.status === 403, `got ${l.responses.join(' then ')}`);
    }));

    await check(`${kind}: noAnswer rings (180) until CANCEL (200, then 487)`, () => leg(kind, N.noAnswer, async (l) => {
      let ringing;
      const ring = new Promise((r) => { ringing = r; });
      const inv = l.invite({ sdp: sdpOffer(9), auth, onProvisional: (m) => { if (m.status === 180) ringing(); }, timeoutMs: 10000 });
      await Promise.race([ring, sleep(3000).then(() => { throw new Error('no 180 Ringing'); })]);
      await sleep(300);
      const c = await l.cancel();
      expect(c.status === 200, `CANCEL got ${c.status}`);
      const r = await inv;
      expect(r.status === 487, `INVITE ended with ${r.status}`);
    }));

    await check(`${kind}: hangup number answers, then hangs up by itself (BYE to us)`, () => leg(kind, N.hangup, async (l) => {
      const r = await l.invite({ sdp: sdpOffer(9), auth });
      expect(r.status === 200, `got ${l.responses.join(' then ')}`);
      const t0 = Date.now();
      await l.wait((m) => !m.isResponse && m.method === 'BYE', (stack.hangupAfterMs || 3000) + 3000, 'BYE from the far end');
      return `BYE after ${Date.now() - t0} ms`;
    }));

    await check(`${kind}: SIP INFO digits reach baresip`, () => leg(kind, N.echo, async (l) => {
      const mark = bs.mark();
      const r = await l.invite({ sdp: sdpOffer(9), auth });
      expect(r.status === 200, `got ${l.responses.join(' then ')}`);
      for (const d of ['5', '#']) {
        const info = await l.inDialog('INFO', { contentType: 'application/dtmf-relay', body: `Signal=${d}\r\nDuration=160\r\n` });
        expect(info.status === 200, `INFO got ${info.status}`);
        await bs.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === d, 2000, { since: mark });
      }
      await l.inDialog('BYE');
    }));

    await check(`${kind}: REGISTER is challenged, then accepted`, () => leg(kind, acc.user, async (l) => {
      l.ruri = `sip:${stack.domain}`;
      l.to = `<sip:${acc.user}@${stack.domain}>`;
      l.from = `<sip:${acc.user}@${stack.domain}>;tag=${l.fromTag}`;
      l.request('REGISTER', { cseq: 1, headers: ['Expires: 60'] });
      const r1 = await l.finalFor(1, 'REGISTER', 3000);
      expect(r1.status === 407, `first REGISTER got ${r1.status}`);
      const cred = digest(hdr(r1, 'proxy-authenticate'), { ...auth, method: 'REGISTER', uri: l.ruri });
      l.request('REGISTER', { cseq: 2, headers: ['Expires: 0', `Proxy-Authorization: ${cred}`] });
      const r2 = await l.finalFor(2, 'REGISTER', 3000);
      expect(r2.status === 200, `REGISTER with credentials got ${r2.status}`);
    }));

    if (kind === 'udp') {
      await check(`${kind}: tone answers with audio`, () => leg(kind, N.tone, async (l) => {
        const rtp = await rtpSocket();
        try {
          const r = await l.invite({ sdp: sdpOffer(rtp.address().port), auth });
          expect(r.status === 200, `got ${l.responses.join(' then ')}`);
          await sendMedia(rtp, remoteMedia(l.answer), { ms: 600 });
          expect(rtp.received.length > 10, `only ${rtp.received.length} RTP packets came`);
          await l.inDialog('BYE');
          return `${rtp.received.length} RTP packets in`;
        } finally { rtp.close(); }
      }));

      await check(`${kind}: pcmuEcho answers PCMU only, RFC 4733 digits reach baresip`, () => leg(kind, N.pcmuEcho, async (l) => {
        const mark = bs.mark();
        const rtp = await rtpSocket();
        try {
          const r = await l.invite({ sdp: sdpOffer(rtp.address().port), auth });
          expect(r.status === 200, `got ${l.responses.join(' then ')}`);
          const m = remoteMedia(l.answer);
          const names = m.rtpmaps.map((x) => x.name.toUpperCase());
          expect(!names.includes('OPUS') && names.includes('PCMU'), `answer codecs: ${names}`);
          await sendMedia(rtp, m, { ms: 300, digits: '19', durMs: 120 });
          for (const d of '19') await bs.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === d, 2000, { since: mark });
          expect(rtp.received.length > 5, `only ${rtp.received.length} RTP packets came back`);
          await l.inDialog('BYE');
        } finally { rtp.close(); }
      }));
    }
  }
  await bs.hangupAll();
  bs.close();
  process.exitCode = Math.min(failures, 100);
}

export { Leg, udpTransport, wsTransport, digest, parse, sdpOffer };

// Run the checks only when executed, not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => { console.log(`FAIL probe crashed: ${e.stack || e}`); process.exitCode = 100; });
}
