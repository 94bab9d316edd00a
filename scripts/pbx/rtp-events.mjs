// What RFC 4733 telephone-events arrive at the far end (baresip), measured on the wire: dependency-free Node
// ES module. Types: rtp-events.d.mts beside it.
//
//   import { startCapture, readPcap, telephoneEventPayloadTypes, dtmfDigits } from '../../scripts/pbx/rtp-events.mjs';
//   const cap = await startCapture({ ports: { sip: BARESIP_SIP_PORT, rtpMin: 40000, rtpMax: 44999 }, file: '/tmp/x.pcap' });
//   ... place a call, press keys ...
//   await cap.stop();                                        // tcpdump ended, file flushed
//   const packets = readPcap(fs.readFileSync('/tmp/x.pcap'));
//   const sdpMaps = telephoneEventPayloadTypes(packets);     // PT -> codec per RTP address:port, from the SIP SDPs
//   dtmfDigits(packets, { sdpMaps });                       // [{ digit: '1', packets: 9, spanMs: 160, durationField: 1280, ... }]
//
// Why on the wire: baresip's CALL_DTMF_START says a digit was recognised, not how long it was. Browsers pair Opus
// (48 kHz) with telephone-event/8000 and may count the event duration in the wrong clock; only the packets show it.
//
// Direction: dtmfDigits looks, by default, only at RTP sent TO the answerer, i.e. to the address:port in the
// SDP of the 200 OK (for the calls the browser places: rtpengine -> baresip). The capture filter of
// startCapture sees baresip's SIP port and its RTP range, so that is the leg it holds. `toPort` (and `toAddress`)
// pick a stream by hand instead; `direction: 'both'` looks at every stream an SDP describes.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COMMON_SH = path.join(HERE, '..', 'lib', 'common.sh');

// ---------------------------------------------------------------------------------------------------------
// Capture

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) }));
  });
}

/** Installs tcpdump when it is missing (as root; otherwise ensure_debian_packages prints the apt-get line and fails). */
export async function ensureTcpdump() {
  const found = await run('bash', ['-c', 'command -v tcpdump']);
  if (found.ok) return found.stdout.trim();
  const inst = await run('bash', ['-c', `source "${COMMON_SH}" && ensure_debian_packages tcpdump`]);
  if (!inst.ok) throw new Error(`tcpdump is missing and could not be installed:\n${inst.stderr}`);
  const again = await run('bash', ['-c', 'command -v tcpdump']);
  if (!again.ok) throw new Error('tcpdump is still missing after installing it');
  return again.stdout.trim();
}

/** The tcpdump filter for a SIP port and an RTP port range. */
export function captureFilter({ sip, rtpMin, rtpMax }) {
  for (const [k, v] of Object.entries({ sip, rtpMin, rtpMax })) {
    if (!Number.isInteger(v) || v < 1 || v > 65535) throw new Error(`startCapture: ports.${k} must be a port number, got ${v}`);
  }
  return `udp and (port ${sip} or portrange ${rtpMin}-${rtpMax})`;
}

/**
 * Starts tcpdump writing FILE (immediate mode, packet-buffered -U) and resolves once it captures ("listening on" on stderr).
 * stop() waits until the file has stopped growing for settleMs (tcpdump loses what it has not read yet when
 * SIGINT ends its loop), sends SIGINT and waits for tcpdump to exit: the file is complete when it resolves.
 * As root tcpdump keeps root (-Z root): Debian's tcpdump otherwise drops to the user tcpdump before it opens FILE.
 */
export async function startCapture({ iface = 'lo', ports, file, netns, filter, bufferKiB = 8192, startTimeoutMs = 15000 } = {}) {
  if (!file) throw new Error('startCapture: file is required');
  const expr = filter ?? captureFilter(ports ?? {});
  const tcpdump = await ensureTcpdump();
  // --immediate-mode: without it libpcap's TPACKET_V3 ring hands packets over per block (up to 1 s late), and
  // packets still in the ring when SIGINT arrives never reach the file.
  // -B: a bigger kernel buffer than the default 2 MiB; one write per packet (-U) on a busy 2-core machine
  // otherwise loses packets ("dropped by kernel") in a call with Firefox's audio.
  const args = ['-i', iface, '--immediate-mode', '-U', '-n', '-s', '0', '-B', String(bufferKiB), '-w', file];
  if (process.getuid?.() === 0) args.push('-Z', 'root');
  args.push(expr);
  const [cmd, argv] = netns ? ['ip', ['netns', 'exec', netns, tcpdump, ...args]] : [tcpdump, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('close', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tcpdump did not start capturing in ${startTimeoutMs} ms: ${stderr.trim()}`));
    }, startTimeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/listening on /.test(stderr)) { clearTimeout(timer); resolve(); }
    });
    exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code ?? signal}) before capturing: ${stderr.trim()}`));
    });
  });
  const capture = {
    pid: child.pid,
    file,
    filter: expr,
    /** Filled in by stop(): tcpdump's closing counts. */
    stats: null,
    stderr: () => stderr,
    async stop({ settleMs = 150, maxWaitMs = 3000 } = {}) {
      // tcpdump drops what it has not read yet when SIGINT breaks its loop: first wait until the file (written per
      // packet, -U) has stopped growing for settleMs.
      let size = -1;
      let stableSince = Date.now();
      const t0 = Date.now();
      while (!exited && Date.now() - t0 < maxWaitMs) {
        let now = 0;
        try { now = fs.statSync(file).size; } catch { /* not created yet */ }
        if (now !== size) { size = now; stableSince = Date.now(); }
        else if (Date.now() - stableSince >= settleMs) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      if (!exited) child.kill('SIGINT');
      const { code, signal } = await exit;
      const n = (re) => { const m = stderr.match(re); return m ? Number(m[1]) : null; };
      capture.stats = {
        captured: n(/(\d+) packets? captured/),
        receivedByFilter: n(/(\d+) packets? received by filter/),
        droppedByKernel: n(/(\d+) packets? dropped by kernel/),
      };
      if (code !== 0 && signal !== 'SIGINT') throw new Error(`tcpdump ended with ${code ?? signal}: ${stderr.trim()}`);
    },
  };
  return capture;
}

// ---------------------------------------------------------------------------------------------------------
// pcap

const LINKTYPE = { NULL: 0, EN10MB: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 };

/**
 * Classic pcap (not pcapng), either byte order, microsecond or nanosecond timestamps. Returns the IPv4 and IPv6
 * UDP datagrams, in file order. Link types: EN10MB (Linux lo is Ethernet with zero MACs; 802.1Q tags skipped),
 * LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW. IP fragments are skipped (SIP and RTP on loopback never fragment).
 */
export function readPcap(buffer) {
  const buf = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer);
  if (buf.length < 24) throw new Error('readPcap: shorter than a pcap file header');
  const magicBE = buf.readUInt32BE(0);
  const magicLE = buf.readUInt32LE(0);
  let le;
  let nano;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) { le = true; nano = magicLE === 0xa1b23c4d; }
  else if (magicBE === 0xa1b2c3d4 || magicBE === 0xa1b23c4d) { le = false; nano = magicBE === 0xa1b23c4d; }
  else if (magicBE === 0x0a0d0d0a) throw new Error('readPcap: pcapng is not supported (tcpdump -w writes classic pcap)');
  else throw new Error(`readPcap: not a pcap file (magic 0x${magicBE.toString(16)})`);
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linktype = u32(20) & 0x0fffffff;
  const packets = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const sec = u32(off);
    const frac = u32(off + 4);
    const incl = u32(off + 8);
    off += 16;
    if (off + incl > buf.length) break; // truncated file: the last record was cut off
    const frame = buf.subarray(off, off + incl);
    off += incl;
    const ts = sec * 1000 + (nano ? frac / 1e6 : frac / 1e3);
    const ip = networkLayer(frame, linktype, le);
    if (!ip) continue;
    const udp = ip.version === 4 ? udpOfIpv4(ip.data) : udpOfIpv6(ip.data);
    if (udp) packets.push({ ts, ...udp });
  }
  return packets;
}

function networkLayer(f, linktype, fileLE) {
  let type; // ethertype
  let data;
  switch (linktype) {
    case LINKTYPE.EN10MB: {
      if (f.length < 14) return null;
      let o = 12;
      type = f.readUInt16BE(o);
      while ((type === 0x8100 || type === 0x88a8) && f.length >= o + 6) { o += 4; type = f.readUInt16BE(o); }
      data = f.subarray(o + 2);
      break;
    }
    case LINKTYPE.LINUX_SLL:
      if (f.length < 16) return null;
      type = f.readUInt16BE(14);
      data = f.subarray(16);
      break;
    case LINKTYPE.LINUX_SLL2:
      if (f.length < 20) return null;
      type = f.readUInt16BE(0);
      data = f.subarray(20);
      break;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (f.length < 4) return null;
      // NULL: AF_ value in the byte order of the host that wrote the file; LOOP: network order.
      const fam = linktype === LINKTYPE.LOOP ? f.readUInt32BE(0) : (fileLE ? f.readUInt32LE(0) : f.readUInt32BE(0));
      if (fam === 2) type = 0x0800;
      else if ([10, 24, 28, 30].includes(fam)) type = 0x86dd; // AF_INET6 on Linux, BSDs, macOS
      else return null;
      data = f.subarray(4);
      break;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      if (f.length < 1) return null;
      type = f[0] >> 4 === 6 ? 0x86dd : 0x0800;
      data = f;
      break;
    default:
      return null;
  }
  if (type === 0x0800 && data.length >= 20 && data[0] >> 4 === 4) return { version: 4, data };
  if (type === 0x86dd && data.length >= 40 && data[0] >> 4 === 6) return { version: 6, data };
  return null;
}

function udpOfIpv4(ip) {
  const ihl = (ip[0] & 0x0f) * 4;
  if (ihl < 20 || ip.length < ihl + 8 || ip[9] !== 17) return null;
  const flagsFrag = ip.readUInt16BE(6);
  if ((flagsFrag & 0x3fff) !== 0) return null; // a fragment (MF set or offset > 0)
  const total = Math.min(ip.readUInt16BE(2) || ip.length, ip.length);
  const src = `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
  const dst = `${ip[16]}.${ip[17]}.${ip[18]}.${ip[19]}`;
  return udp(ip.subarray(ihl, total), src, dst);
}

function ipv6Text(b) {
  const parts = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(i).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

function udpOfIpv6(ip) {
  if (ip[6] !== 17) return null; // UDP right after the fixed header only (no extension headers)
  const plen = ip.readUInt16BE(4);
  const end = Math.min(40 + plen, ip.length);
  return udp(ip.subarray(40, end), ipv6Text(ip.subarray(8, 24)), ipv6Text(ip.subarray(24, 40)));
}

function udp(seg, src, dst) {
  if (seg.length < 8) return null;
  const len = seg.readUInt16BE(4);
  const end = len >= 8 ? Math.min(len, seg.length) : seg.length;
  return { src, dst, sport: seg.readUInt16BE(0), dport: seg.readUInt16BE(2), payload: seg.subarray(8, end) };
}

// ---------------------------------------------------------------------------------------------------------
// RTP

/** The RTP header of a datagram, or null when it is not RTP version 2 (SIP text, STUN, DTLS) or is RTCP. */
export function parseRtp(payload) {
  const b = payload;
  if (!b || b.length < 12 || b[0] >> 6 !== 2) return null;
  if (b[1] >= 192 && b[1] <= 223) return null; // RTCP (RFC 5761 payload type range 64-95 with the marker bit)
  const cc = b[0] & 0x0f;
  let o = 12 + cc * 4;
  if (b[0] & 0x10) {
    if (b.length < o + 4) return null;
    o += 4 + b.readUInt16BE(o + 2) * 4;
  }
  let end = b.length;
  if (b[0] & 0x20) end -= b[b.length - 1];
  if (o > end) return null;
  return {
    marker: (b[1] & 0x80) !== 0,
    pt: b[1] & 0x7f,
    seq: b.readUInt16BE(2),
    timestamp: b.readUInt32BE(4),
    ssrc: b.readUInt32BE(8),
    payload: b.subarray(o, end),
  };
}

/** An RFC 4733 event payload (the first 4 bytes), or null when it cannot be one. */
export function parseTelephoneEvent(p) {
  if (!p || p.length < 4) return null;
  return { event: p[0], end: (p[1] & 0x80) !== 0, volume: p[1] & 0x3f, duration: p.readUInt16BE(2) };
}

const DIGITS = '0123456789*#ABCD';
/** '0'-'9', '*', '#', 'A'-'D' for event codes 0-15; null for other events (flash, tones). */
export const eventDigit = (code) => (code >= 0 && code < 16 ? DIGITS[code] : null);

// ---------------------------------------------------------------------------------------------------------
// SIP and SDP

const STATIC_PT = {
  0: { encoding: 'PCMU', clock: 8000, channels: 1 }, 3: { encoding: 'GSM', clock: 8000, channels: 1 },
  4: { encoding: 'G723', clock: 8000, channels: 1 }, 8: { encoding: 'PCMA', clock: 8000, channels: 1 },
  9: { encoding: 'G722', clock: 8000, channels: 1 }, 18: { encoding: 'G729', clock: 8000, channels: 1 },
};

const COMPACT = { i: 'call-id', c: 'content-type', l: 'content-length', f: 'from', t: 'to', v: 'via', m: 'contact' };

/** A SIP message's start line, headers (lower-case names, compact forms expanded) and body; null if not SIP. */
export function parseSip(payload) {
  const text = Buffer.isBuffer(payload) ? payload.toString('latin1') : String(payload);
  const req = /^([A-Z]+) (\S+) SIP\/2\.0\r?\n/.exec(text);
  const res = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)\r?\n/.exec(text);
  if (!req && !res) return null;
  const sep = text.search(/\r?\n\r?\n/);
  const head = sep < 0 ? text : text.slice(0, sep);
  let body = sep < 0 ? '' : text.slice(sep).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.split(/\r?\n/).slice(1)) {
    const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = COMPACT[m[1].toLowerCase()] ?? m[1].toLowerCase();
    headers[name] ??= m[2].trim();
  }
  const len = Number(headers['content-length']);
  if (Number.isInteger(len) && len >= 0 && len <= body.length) body = body.slice(0, len);
  const cseq = /^(\d+)\s+([A-Z]+)/.exec(headers.cseq ?? '');
  return {
    kind: req ? 'request' : 'response',
    method: req ? req[1] : undefined,
    status: res ? Number(res[1]) : undefined,
    callId: headers['call-id'] ?? '',
    cseq: cseq ? Number(cseq[1]) : undefined,
    cseqMethod: cseq ? cseq[2] : undefined,
    headers,
    body,
  };
}

/** The media sections of an SDP: per m= line its port, c= address (media level, else session level) and PT map. */
export function parseSdp(text) {
  const session = { address: null, media: [] };
  let cur = null;
  for (const raw of String(text).split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^([a-z])=(.*)$/.exec(line);
    if (!m) continue;
    const [, key, val] = m;
    if (key === 'm') {
      const [type, port, proto, ...fmts] = val.split(/\s+/);
      cur = { type, port: Number(port), proto, formats: fmts.map(Number).filter(Number.isInteger), address: null, payloadTypes: {}, fmtp: {}, direction: 'sendrecv' };
      for (const f of cur.formats) if (STATIC_PT[f]) cur.payloadTypes[f] = { ...STATIC_PT[f] };
      session.media.push(cur);
    } else if (key === 'c') {
      const addr = val.split(/\s+/)[2]?.split('/')[0] ?? null;
      if (cur) cur.address = addr; else session.address = addr;
    } else if (key === 'a' && cur) {
      const rm = /^rtpmap:(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(val);
      const fm = /^fmtp:(\d+)\s+(.*)$/.exec(val);
      if (rm) cur.payloadTypes[Number(rm[1])] = { encoding: rm[2], clock: Number(rm[3]), channels: rm[4] ? Number(rm[4]) : 1 };
      else if (fm) cur.fmtp[Number(fm[1])] = fm[2];
      else if (/^(sendrecv|sendonly|recvonly|inactive)$/.test(val)) cur.direction = val;
    }
  }
  for (const media of session.media) media.address ??= session.address;
  return session;
}

/** The SIP message and its parsed SDP body, or null when the datagram is not SIP or carries no SDP. */
export function sdpFromSip(payload) {
  const sip = parseSip(payload);
  if (!sip || !sip.body) return null;
  const ctype = (sip.headers['content-type'] ?? '').toLowerCase();
  if (!ctype.startsWith('application/sdp') && !(!ctype && /^v=0/.test(sip.body))) return null;
  return { ...sip, sdp: parseSdp(sip.body) };
}

const isTelephoneEvent = (p) => p?.encoding.toLowerCase() === 'telephone-event';

/**
 * Every SDP in the capture's SIP over UDP, one entry per audio m= line: which address:port receives that
 * stream, and its PT map. role 'offer' for an INVITE/UPDATE (or a response answering an INVITE that had no SDP),
 * 'answer' for the response to it (or an ACK). Retransmissions are kept once.
 */
export function telephoneEventPayloadTypes(packets) {
  const out = [];
  const seen = new Set();
  const requestHadSdp = new Map(); // callId/cseq -> boolean
  for (const pk of packets) {
    const sip = parseSip(pk.payload);
    if (!sip) continue;
    const txn = `${sip.callId}/${sip.cseq}`;
    const withSdp = sdpFromSip(pk.payload);
    if (sip.kind === 'request' && sip.method !== 'ACK') {
      if (!requestHadSdp.has(txn)) requestHadSdp.set(txn, !!withSdp);
    }
    if (!withSdp) continue;
    let role;
    if (sip.kind === 'request') role = sip.method === 'ACK' ? 'answer' : 'offer';
    else if (sip.status >= 300) continue;
    else role = requestHadSdp.get(txn) === false ? 'offer' : 'answer';
    for (const media of withSdp.sdp.media) {
      if (media.type !== 'audio' || !media.port) continue;
      const pts = media.payloadTypes;
      const telephoneEvents = media.formats.filter((f) => isTelephoneEvent(pts[f])).map((pt) => ({ pt, clock: pts[pt].clock, fmtp: media.fmtp[pt] ?? null }));
      const audioPt = media.formats.find((f) => pts[f] && !isTelephoneEvent(pts[f]) && !/^(CN|red)$/i.test(pts[f].encoding));
      const entry = {
        ts: pk.ts,
        callId: sip.callId,
        role,
        sip: sip.kind === 'request' ? sip.method : sip.status,
        from: `${pk.src}:${pk.sport}`,
        to: `${pk.dst}:${pk.dport}`,
        address: media.address,
        port: media.port,
        proto: media.proto,
        payloadTypes: pts,
        telephoneEvents,
        audio: audioPt === undefined ? null : { pt: audioPt, ...pts[audioPt] },
      };
      const key = JSON.stringify([entry.callId, role, entry.address, entry.port, entry.sip, pts]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(entry);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// DTMF

/** The newest SDP entry (not newer than the packet) describing what address:port receives. */
function endpointFor(sdpMaps, addr, port, ts) {
  let before = null; // newest one not newer than the packet
  let after = null; // else the oldest (an SDP the capture saw late)
  for (const e of sdpMaps) {
    if (e.port !== port || (e.address && e.address !== addr)) continue;
    if (e.ts <= ts) { if (!before || e.ts >= before.ts) before = e; }
    else if (!after || e.ts < after.ts) after = e;
  }
  return before ?? after;
}

/**
 * The RFC 4733 events in a capture, in order of their first packet. One event = the packets of one SSRC, PT
 * and RTP timestamp (the end packet and its retransmissions share it).
 *
 * Which packets are telephone-events:
 *  - with sdpMaps (telephoneEventPayloadTypes): the PT is telephone-event in the SDP of the receiving side
 *    (matched by destination address:port), clock from its rtpmap. By default only streams to the answerer
 *    (direction 'toAnswerer': for the browser's calls, rtpengine -> baresip); 'toOfferer' or 'both' otherwise.
 *  - eventPt: that PT (or any of those PTs), clock from `clock` (default 8000).
 *  - neither: a dynamic PT (96-127) all of whose packets in the stream are 4-byte event payloads (codes 0-15).
 * toPort / toAddress restrict to packets sent to that port / address, in every case.
 */
export function dtmfDigits(packets, { sdpMaps, clock, eventPt, toPort, toAddress, direction = 'toAnswerer' } = {}) {
  const rtp = [];
  for (const pk of packets) {
    if (toPort !== undefined && pk.dport !== toPort) continue;
    if (toAddress !== undefined && pk.dst !== toAddress) continue;
    const h = parseRtp(pk.payload);
    if (h) rtp.push({ pk, h });
  }
  const pts = eventPt === undefined ? null : new Set([eventPt].flat());
  let classify;
  if (sdpMaps) {
    const roles = direction === 'both' ? null : direction === 'toOfferer' ? 'offer' : 'answer';
    const maps = roles ? sdpMaps.filter((e) => e.role === roles) : sdpMaps;
    classify = ({ pk, h }) => {
      const ep = endpointFor(maps, pk.dst, pk.dport, pk.ts);
      const p = ep?.payloadTypes[h.pt];
      if (!isTelephoneEvent(p) || (pts && !pts.has(h.pt))) return null;
      return { clock: clock ?? p.clock, callId: ep.callId };
    };
  } else if (pts) {
    classify = ({ h }) => (pts.has(h.pt) ? { clock: clock ?? 8000, callId: null } : null);
  } else {
    // Guess: per stream (SSRC + PT), dynamic PT whose every packet is a plausible 4-byte event.
    const plausible = new Map();
    for (const { pk, h } of rtp) {
      const k = `${pk.dst}:${pk.dport}/${h.ssrc}/${h.pt}`;
      const ok = h.pt >= 96 && h.pt <= 127 && h.payload.length === 4 && h.payload[0] < 16 && (h.payload[1] & 0x40) === 0;
      plausible.set(k, (plausible.get(k) ?? true) && ok);
    }
    classify = ({ pk, h }) => (plausible.get(`${pk.dst}:${pk.dport}/${h.ssrc}/${h.pt}`) ? { clock: clock ?? 8000, callId: null } : null);
  }

  const events = new Map();
  for (const item of rtp) {
    const c = classify(item);
    if (!c) continue;
    const { pk, h } = item;
    const te = parseTelephoneEvent(h.payload);
    if (!te) continue;
    const key = `${pk.dst}:${pk.dport}/${h.ssrc}/${h.pt}/${h.timestamp}`;
    let ev = events.get(key);
    if (!ev) {
      ev = {
        digit: eventDigit(te.event), event: te.event, packets: 0, endPackets: 0,
        firstMs: pk.ts, lastMs: pk.ts, endMs: null, spanMs: 0,
        durationField: 0, firstDurationField: te.duration, clock: c.clock, durationMs: 0, ended: false,
        ssrc: h.ssrc, pt: h.pt, timestamp: h.timestamp, marker: h.marker, volume: te.volume,
        src: `${pk.src}:${pk.sport}`, dst: `${pk.dst}:${pk.dport}`, callId: c.callId,
      };
      events.set(key, ev);
    }
    ev.packets += 1;
    ev.lastMs = Math.max(ev.lastMs, pk.ts);
    ev.durationField = Math.max(ev.durationField, te.duration);
    if (te.end) {
      ev.endPackets += 1;
      if (!ev.ended) { ev.ended = true; ev.endMs = pk.ts; }
    }
  }
  const out = [...events.values()];
  for (const ev of out) {
    ev.spanMs = (ev.ended ? ev.endMs : ev.lastMs) - ev.firstMs;
    ev.durationMs = (ev.durationField / ev.clock) * 1000;
  }
  return out.sort((a, b) => a.firstMs - b.firstMs);
}
