import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  captureFilter, dtmfDigits, parseRtp, parseSdp, readPcap, sdpFromSip, startCapture, telephoneEventPayloadTypes,
  type UdpPacket,
} from '../../../scripts/pbx/rtp-events.mjs';

// Synthetic captures, written here byte by byte: a pcap writer, IPv4/UDP, link layers, RTP, SIP.

const LINK = { NULL: 0, EN10MB: 1, LOOP: 108, LINUX_SLL: 113, LINUX_SLL2: 276 } as const;
type Link = keyof typeof LINK;
interface Dgram { ts: number; src?: string; dst?: string; sport: number; dport: number; payload: Buffer; proto?: number; fragment?: boolean }

const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));

function ipv4Udp(d: Dgram): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(d.sport, 0);
  udp.writeUInt16BE(d.dport, 2);
  udp.writeUInt16BE(8 + d.payload.length, 4);
  const l4 = Buffer.concat([udp, d.payload]);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + l4.length, 2);
  ip.writeUInt16BE(d.fragment ? 0x2000 : 0x4000, 6); // MF for a fragment, else DF
  ip[8] = 64;
  ip[9] = d.proto ?? 17;
  ip4(d.src ?? '127.0.0.1').copy(ip, 12);
  ip4(d.dst ?? '127.0.0.1').copy(ip, 16);
  return Buffer.concat([ip, l4]);
}

function linkFrame(link: Link, ip: Buffer, le: boolean, ethertype = 0x0800): Buffer {
  switch (link) {
    case 'EN10MB': { const h = Buffer.alloc(14); h.writeUInt16BE(ethertype, 12); return Buffer.concat([h, ip]); }
    case 'LINUX_SLL': { const h = Buffer.alloc(16); h.writeUInt16BE(772, 2); h.writeUInt16BE(ethertype, 14); return Buffer.concat([h, ip]); }
    case 'LINUX_SLL2': { const h = Buffer.alloc(20); h.writeUInt16BE(ethertype, 0); h.writeUInt16BE(772, 8); return Buffer.concat([h, ip]); }
    case 'NULL': { const h = Buffer.alloc(4); if (le) h.writeUInt32LE(2, 0); else h.writeUInt32BE(2, 0); return Buffer.concat([h, ip]); }
    case 'LOOP': { const h = Buffer.alloc(4); h.writeUInt32BE(2, 0); return Buffer.concat([h, ip]); }
  }
}

/** A classic pcap file; ts in ms (fractional). */
function pcap(frames: { ts: number; frame: Buffer }[], { le = true, nano = false, link = 'EN10MB' as Link } = {}): Buffer {
  const w32 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const w16 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const head = Buffer.alloc(24);
  w32(head, nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(head, 2, 4);
  w16(head, 4, 6);
  w32(head, 262144, 16);
  w32(head, LINK[link], 20);
  const parts: Buffer[] = [head];
  for (const { ts, frame } of frames) {
    const rec = Buffer.alloc(16);
    const sec = Math.floor(ts / 1000);
    const frac = Math.round((ts - sec * 1000) * (nano ? 1e6 : 1e3));
    w32(rec, sec, 0);
    w32(rec, frac, 4);
    w32(rec, frame.length, 8);
    w32(rec, frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

const file = (ds: Dgram[], opts: { le?: boolean; nano?: boolean; link?: Link } = {}) =>
  pcap(ds.map((d) => ({ ts: d.ts, frame: linkFrame(opts.link ?? 'EN10MB', ipv4Udp(d), opts.le ?? true) })), opts);

function rtp({ pt, seq = 0, timestamp, ssrc = 0x1234, marker = false, payload }: { pt: number; seq?: number; timestamp: number; ssrc?: number; marker?: boolean; payload: Buffer }): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(timestamp >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, payload]);
}
function te(event: number, duration: number, end = false, volume = 10): Buffer {
  const b = Buffer.alloc(4);
  b[0] = event;
  b[1] = (end ? 0x80 : 0) | volume;
  b.writeUInt16BE(duration, 2);
  return b;
}

const T0 = 1_764_153_600_000;
const KAM = 19060;
const BARESIP_SIP = 19065;
const RTPE_PORT = 31000; // rtpengine's port towards baresip (the offer's m= port)
const BARESIP_RTP = 40002; // baresip's RTP port (the answer's m= port)

interface EventSpec { event: number; at: number; timestamp: number; durations: number[]; ends?: number; step?: number; pt?: number; ssrc?: number; dport?: number }
/** Packets of one event: durations[i] at at + i*step ms; the last one has the E bit and is sent `ends` times. */
function eventPackets({ event, at, timestamp, durations, ends = 3, step = 20, pt = 126, ssrc = 0x1234, dport = BARESIP_RTP }: EventSpec): Dgram[] {
  const out: Dgram[] = [];
  durations.forEach((d, i) => {
    const last = i === durations.length - 1;
    const copies = last ? ends : 1;
    for (let c = 0; c < copies; c++) {
      out.push({
        ts: at + i * step + c * 5, sport: RTPE_PORT, dport,
        payload: rtp({ pt, timestamp, ssrc, marker: i === 0 && c === 0, seq: i + c, payload: te(event, d, last) }),
      });
    }
  });
  return out;
}

const sip = (lines: string[], body = '') =>
  Buffer.from(lines.join('\r\n') + `\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` + body);

const OFFER_SDP = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  `m=audio ${RTPE_PORT} RTP/AVP 111 63 9 0 8 13 110 126`,
  'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:63 red/48000/2',
  'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000', 'a=rtpmap:126 telephone-event/8000', 'a=sendrecv', '',
].join('\r\n');
const answerSdp = (codec: 'opus' | 'pcmu', tePt = 126, teClock = 8000) => [
  'v=0', 'o=- 3 4 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  codec === 'opus' ? `m=audio ${BARESIP_RTP} RTP/AVP 111 ${tePt}` : `m=audio ${BARESIP_RTP} RTP/AVP 0 ${tePt}`,
  ...(codec === 'opus' ? ['a=rtpmap:111 opus/48000/2'] : []),
  `a=rtpmap:${tePt} telephone-event/${teClock}`, `a=fmtp:${tePt} 0-15`, 'a=sendrecv', '',
].join('\r\n');

function callSetup(at: number, callId: string, answer: string): Dgram[] {
  const invite = sip([
    'INVITE sip:100@127.0.0.1:19065 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${KAM};branch=z9hG4bK1`, 'From: <sip:40@127.0.0.1>;tag=a',
    'To: <sip:100@127.0.0.1>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE', 'Content-Type: application/sdp',
  ], OFFER_SDP);
  const ok = sip([
    'SIP/2.0 200 OK', `Via: SIP/2.0/UDP 127.0.0.1:${KAM};branch=z9hG4bK1`, 'From: <sip:40@127.0.0.1>;tag=a',
    'To: <sip:100@127.0.0.1>;tag=b', `i: ${callId}`, 'CSeq: 1 INVITE', 'c: application/sdp',
  ], answer);
  const trying = sip(['SIP/2.0 100 Trying', `Call-ID: ${callId}`, 'CSeq: 1 INVITE']);
  return [
    { ts: at, sport: KAM, dport: BARESIP_SIP, payload: invite },
    { ts: at + 1, sport: BARESIP_SIP, dport: KAM, payload: trying },
    { ts: at + 5, sport: BARESIP_SIP, dport: KAM, payload: ok },
    { ts: at + 505, sport: BARESIP_SIP, dport: KAM, payload: ok }, // a retransmission
  ];
}

/** Opus audio packets both ways (and RTCP), so the events have company. */
function audio(at: number, n: number): Dgram[] {
  const out: Dgram[] = [];
  for (let i = 0; i < n; i++) {
    const opus = Buffer.alloc(40 + (i % 7), 0x0a); // starts like an event (code 10, R bit 0): only its length tells
    out.push({ ts: at + i * 20, sport: RTPE_PORT, dport: BARESIP_RTP, payload: rtp({ pt: 111, seq: 1000 + i, timestamp: i * 960, payload: opus }) });
    out.push({ ts: at + i * 20 + 1, sport: BARESIP_RTP, dport: RTPE_PORT, payload: rtp({ pt: 111, seq: 5000 + i, timestamp: i * 960, ssrc: 0x9999, payload: opus }) });
  }
  const rtcp = Buffer.alloc(28);
  rtcp[0] = 0x80;
  rtcp[1] = 200; // sender report
  out.push({ ts: at + 3, sport: RTPE_PORT + 1, dport: BARESIP_RTP + 1, payload: rtcp });
  out.push({ ts: at + 4, sport: RTPE_PORT, dport: BARESIP_RTP, payload: Buffer.from([0x80, 126, 0]) }); // too short for RTP
  return out;
}

const byTs = (ds: Dgram[]) => [...ds].sort((a, b) => a.ts - b.ts);
const PCMU_160 = [160, 320, 480, 640, 800, 960, 1120, 1280]; // 160 ms at 8 kHz, one packet each 20 ms

describe('readPcap', () => {
  const ds: Dgram[] = [
    { ts: T0 + 0.123, src: '10.0.0.1', dst: '10.0.0.2', sport: 5060, dport: 40000, payload: Buffer.from('hello') },
    { ts: T0 + 20.5, src: '127.0.0.1', dst: '127.0.0.1', sport: 31000, dport: 40001, payload: Buffer.from([1, 2, 3]) },
  ];
  it.each([
    ['little endian, µs', { le: true, nano: false }],
    ['big endian, µs', { le: false, nano: false }],
    ['little endian, ns', { le: true, nano: true }],
    ['big endian, ns', { le: false, nano: true }],
  ])('reads %s', (_n, opts) => {
    const got = readPcap(file(ds, opts));
    expect(got.map(({ ts, ...r }) => ({ ...r, payload: [...r.payload], ts: Math.round(ts * 1000) }))).toEqual([
      { src: '10.0.0.1', dst: '10.0.0.2', sport: 5060, dport: 40000, payload: [...Buffer.from('hello')], ts: Math.round((T0 + 0.123) * 1000) },
      { src: '127.0.0.1', dst: '127.0.0.1', sport: 31000, dport: 40001, payload: [1, 2, 3], ts: Math.round((T0 + 20.5) * 1000) },
    ]);
  });

  it('keeps nanoseconds', () => {
    // near 1970, where a double holds nanoseconds of milliseconds (at today's dates it holds about 0.2 µs)
    const [p] = readPcap(file([{ ...ds[0], ts: 1000.000789 }], { nano: true }));
    expect(p.ts).toBeCloseTo(1000.000789, 9);
    const [q] = readPcap(file([{ ...ds[0], ts: 1000.000789 }], { nano: false }));
    expect(q.ts).toBeCloseTo(1000.001, 9); // µs file: rounded to the microsecond
  });

  it.each(['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'NULL', 'LOOP'] as const)('reads link type %s', (link) => {
    for (const le of [true, false]) {
      const got = readPcap(file(ds, { link, le }));
      expect(got.map((p) => [p.src, p.dport, p.payload.toString('latin1')])).toEqual([
        ['10.0.0.1', 40000, 'hello'], ['127.0.0.1', 40001, '\x01\x02\x03'],
      ]);
    }
  });

  it('skips what is not IPv4/UDP: TCP, ARP, fragments; stops at a truncated record', () => {
    const udp = ds[0];
    const frames = [
      { ts: T0, frame: linkFrame('EN10MB', ipv4Udp({ ...udp, proto: 6 }), true) },
      { ts: T0 + 1, frame: linkFrame('EN10MB', ipv4Udp(udp), true, 0x0806) },
      { ts: T0 + 2, frame: linkFrame('EN10MB', ipv4Udp({ ...udp, fragment: true }), true) },
      { ts: T0 + 3, frame: linkFrame('EN10MB', ipv4Udp({ ...udp, sport: 1111 }), true) },
      { ts: T0 + 4, frame: linkFrame('EN10MB', ipv4Udp({ ...udp, sport: 2222 }), true) },
    ];
    const buf = pcap(frames);
    expect(readPcap(buf).map((p) => p.sport)).toEqual([1111, 2222]);
    expect(readPcap(buf.subarray(0, buf.length - 3)).map((p) => p.sport)).toEqual([1111]);
  });

  it('refuses pcapng and other files', () => {
    const ng = Buffer.alloc(28);
    ng.writeUInt32BE(0x0a0d0d0a, 0);
    expect(() => readPcap(ng)).toThrow(/pcapng/);
    expect(() => readPcap(Buffer.from('not a capture at all, no way'))).toThrow(/not a pcap/);
  });
});

describe('SDP from SIP', () => {
  it('parses the INVITE offer and the 200 OK answer (compact headers too)', () => {
    const [invite, trying, ok] = callSetup(T0, 'call-1', answerSdp('opus'));
    const offer = sdpFromSip(invite.payload)!;
    expect(offer).toMatchObject({ kind: 'request', method: 'INVITE', callId: 'call-1', cseq: 1 });
    expect(offer.sdp.media[0]).toMatchObject({ type: 'audio', port: RTPE_PORT, address: '127.0.0.1', formats: [111, 63, 9, 0, 8, 13, 110, 126] });
    expect(offer.sdp.media[0].payloadTypes[110]).toEqual({ encoding: 'telephone-event', clock: 48000, channels: 1 });
    expect(offer.sdp.media[0].payloadTypes[111]).toEqual({ encoding: 'opus', clock: 48000, channels: 2 });
    expect(sdpFromSip(trying.payload)).toBeNull(); // no body
    expect(sdpFromSip(ok.payload)).toMatchObject({ kind: 'response', status: 200, callId: 'call-1' });
    expect(sdpFromSip(Buffer.from('not sip'))).toBeNull();
  });

  it('knows static payload types without rtpmap, and media-level c= over session-level', () => {
    const sdp = parseSdp('v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0 8 101\r\nc=IN IP4 10.0.0.9\r\na=rtpmap:101 telephone-event/8000\r\nm=audio 5000 RTP/AVP 0\r\n');
    expect(sdp.media[0].address).toBe('10.0.0.9');
    expect(sdp.media[1].address).toBe('10.0.0.1');
    expect(sdp.media[0].payloadTypes[0]).toEqual({ encoding: 'PCMU', clock: 8000, channels: 1 });
    expect(sdp.media[0].payloadTypes[8].encoding).toBe('PCMA');
    expect(sdp.media[0].payloadTypes[101].clock).toBe(8000);
  });

  it('maps payload types per RTP address:port, with roles; a retransmitted 200 OK counts once', () => {
    const maps = telephoneEventPayloadTypes(readPcap(file(callSetup(T0, 'call-1', answerSdp('pcmu', 101)))));
    expect(maps).toHaveLength(2);
    const [offer, answer] = maps;
    expect(offer).toMatchObject({
      role: 'offer', sip: 'INVITE', callId: 'call-1', address: '127.0.0.1', port: RTPE_PORT,
      from: `127.0.0.1:${KAM}`, to: `127.0.0.1:${BARESIP_SIP}`,
      telephoneEvents: [{ pt: 110, clock: 48000, fmtp: null }, { pt: 126, clock: 8000, fmtp: null }],
      audio: { pt: 111, encoding: 'opus', clock: 48000, channels: 2 },
    });
    expect(answer).toMatchObject({
      role: 'answer', sip: 200, port: BARESIP_RTP, from: `127.0.0.1:${BARESIP_SIP}`,
      telephoneEvents: [{ pt: 101, clock: 8000, fmtp: '0-15' }],
      audio: { pt: 0, encoding: 'PCMU', clock: 8000 },
    });
  });
});

describe('dtmfDigits', () => {
  const parse = (ds: Dgram[]): UdpPacket[] => readPcap(file(byTs(ds)));

  it('a PCMU digit of 160 ms: 8 packets 20 ms apart, the end sent three times', () => {
    const ds = [...callSetup(T0, 'c', answerSdp('pcmu')), ...eventPackets({ event: 5, at: T0 + 1000, timestamp: 8000, durations: PCMU_160 })];
    const pk = parse(ds);
    const [d, ...rest] = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      digit: '5', event: 5, packets: 10, endPackets: 3, ended: true, durationField: 1280, firstDurationField: 160,
      clock: 8000, durationMs: 160, pt: 126, ssrc: 0x1234, timestamp: 8000, marker: true, callId: 'c',
      dst: `127.0.0.1:${BARESIP_RTP}`,
    });
    expect(d.firstMs).toBeCloseTo(T0 + 1000, 3);
    expect(d.endMs! - d.firstMs).toBeCloseTo(140, 3);
    expect(d.spanMs).toBeCloseTo(140, 3);
    expect(d.lastMs - d.firstMs).toBeCloseTo(150, 3); // the retransmissions came later; span stops at the first end
  });

  it('the Opus bug shape: 2 packets 20 ms apart whose field reads 1920 at 8 kHz (240 ms)', () => {
    const ds = [
      ...callSetup(T0, 'c', answerSdp('opus')), ...audio(T0 + 900, 30),
      ...eventPackets({ event: 1, at: T0 + 1000, timestamp: 48000, durations: [960, 1920] }),
    ];
    const pk = parse(ds);
    const [d, ...rest] = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ digit: '1', packets: 4, endPackets: 3, durationField: 1920, clock: 8000, durationMs: 240, ended: true });
    expect(d.spanMs).toBeCloseTo(20, 3);
  });

  it('two digits, and the same digit twice, in arrival order', () => {
    const ds = [
      ...callSetup(T0, 'c', answerSdp('pcmu')),
      ...eventPackets({ event: 11, at: T0 + 2000, timestamp: 24000, durations: PCMU_160 }),
      ...eventPackets({ event: 2, at: T0 + 1000, timestamp: 16000, durations: PCMU_160 }),
      ...eventPackets({ event: 2, at: T0 + 1500, timestamp: 20000, durations: PCMU_160.slice(0, 4) }),
    ];
    const pk = parse(ds);
    const got = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(got.map((d) => [d.digit, d.durationMs])).toEqual([['2', 160], ['2', 80], ['#', 160]]);
  });

  it('an event whose end never arrived: spanMs up to its last packet, ended false', () => {
    const ds = [...callSetup(T0, 'c', answerSdp('pcmu')), ...eventPackets({ event: 10, at: T0 + 1000, timestamp: 8000, durations: [160, 320, 480, 640], ends: 0 })];
    const pk = parse(ds);
    const [d] = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(d).toMatchObject({ digit: '*', ended: false, endMs: null, packets: 3, durationField: 480 });
    expect(d.spanMs).toBeCloseTo(40, 3);
  });

  it('durationField is the largest one seen, when a packet arrives late (after the end)', () => {
    const late: Dgram = { ts: T0 + 1200, sport: RTPE_PORT, dport: BARESIP_RTP, payload: rtp({ pt: 126, timestamp: 8000, seq: 2, payload: te(0, 480) }) };
    const ds = [...callSetup(T0, 'c', answerSdp('pcmu')), ...eventPackets({ event: 0, at: T0 + 1000, timestamp: 8000, durations: [160, 320, 640] }), late];
    const pk = parse(ds);
    const [d] = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(d).toMatchObject({ digit: '0', packets: 6, durationField: 640, firstDurationField: 160, ended: true });
    expect(d.spanMs).toBeCloseTo(40, 3);
    expect(d.lastMs - d.firstMs).toBeCloseTo(200, 3);
  });

  it('the clock comes from the answer: telephone-event/48000 reads the field in 48 kHz units', () => {
    const ds = [...callSetup(T0, 'c', answerSdp('opus', 110, 48000)), ...eventPackets({ event: 9, at: T0 + 1000, timestamp: 48000, durations: [960, 1920, 7680], pt: 110 })];
    const pk = parse(ds);
    const [d] = dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) });
    expect(d).toMatchObject({ digit: '9', clock: 48000, durationMs: 160, pt: 110 });
    expect(dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk), clock: 8000 })[0].durationMs).toBe(960);
  });

  it('only towards the answerer by default; toOfferer, both and toPort choose otherwise', () => {
    const ds = [
      ...callSetup(T0, 'c', answerSdp('pcmu')),
      ...eventPackets({ event: 3, at: T0 + 1000, timestamp: 8000, durations: PCMU_160 }),
      ...eventPackets({ event: 4, at: T0 + 1100, timestamp: 9000, durations: PCMU_160, dport: RTPE_PORT, ssrc: 0x9999 }),
    ];
    const pk = parse(ds);
    const sdpMaps = telephoneEventPayloadTypes(pk);
    expect(dtmfDigits(pk, { sdpMaps }).map((d) => d.digit)).toEqual(['3']);
    expect(dtmfDigits(pk, { sdpMaps, direction: 'toOfferer' }).map((d) => d.digit)).toEqual(['4']);
    expect(dtmfDigits(pk, { sdpMaps, direction: 'both' }).map((d) => d.digit)).toEqual(['3', '4']);
    expect(dtmfDigits(pk, { eventPt: 126, toPort: RTPE_PORT }).map((d) => d.digit)).toEqual(['4']);
  });

  it('ignores what is not a telephone-event: SIP, Opus audio, RTCP, short datagrams, other PTs', () => {
    const ds = [
      ...callSetup(T0, 'c', answerSdp('opus')), ...audio(T0 + 900, 50),
      ...eventPackets({ event: 7, at: T0 + 1000, timestamp: 48000, durations: PCMU_160 }),
      ...eventPackets({ event: 8, at: T0 + 1200, timestamp: 96000, durations: PCMU_160, pt: 110 }), // not in the answer
    ];
    const pk = parse(ds);
    expect(pk.length).toBeGreaterThan(100);
    expect(dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) }).map((d) => d.digit)).toEqual(['7']);
    // Without an SDP: a dynamic PT whose every packet is a 4-byte event; Opus (111) is not mistaken for one.
    expect(dtmfDigits(pk).map((d) => [d.digit, d.pt])).toEqual([['7', 126], ['8', 110]]);
    expect(dtmfDigits(pk, { eventPt: 110 }).map((d) => d.digit)).toEqual(['8']);
    expect(parseRtp(Buffer.from('INVITE sip:100@127.0.0.1 SIP/2.0\r\n'))).toBeNull();
    const rtcp = Buffer.alloc(28);
    rtcp[0] = 0x80;
    rtcp[1] = 201; // receiver report
    expect(parseRtp(rtcp)).toBeNull();
    expect(parseRtp(rtp({ pt: 101, timestamp: 1, payload: te(1, 160) }))).toMatchObject({ pt: 101, timestamp: 1, ssrc: 0x1234 });
  });

  it('a later call on the same port uses its own SDP', () => {
    const ds = [
      ...callSetup(T0, 'first', answerSdp('pcmu', 101)),
      ...eventPackets({ event: 1, at: T0 + 1000, timestamp: 8000, durations: PCMU_160, pt: 101 }),
      ...callSetup(T0 + 5000, 'second', answerSdp('opus', 126)),
      ...eventPackets({ event: 2, at: T0 + 6000, timestamp: 8000, durations: [960, 1920], pt: 126, ssrc: 0x4321 }),
      ...eventPackets({ event: 3, at: T0 + 7000, timestamp: 16000, durations: PCMU_160, pt: 101, ssrc: 0x4321 }), // 101 means nothing now
    ];
    const pk = parse(ds);
    expect(dtmfDigits(pk, { sdpMaps: telephoneEventPayloadTypes(pk) }).map((d) => [d.digit, d.callId, d.durationMs]))
      .toEqual([['1', 'first', 160], ['2', 'second', 240]]);
  });
});

describe('startCapture', () => {
  it('builds the filter from the ports and refuses bad ones', () => {
    expect(captureFilter({ sip: 19065, rtpMin: 40000, rtpMax: 44999 })).toBe('udp and (port 19065 or portrange 40000-44999)');
    expect(() => captureFilter({ sip: 0, rtpMin: 40000, rtpMax: 44999 })).toThrow(/ports.sip/);
  });

  // A real tcpdump on lo (installed if missing): needs root for the capture.
  it.skipIf(process.getuid?.() !== 0)('captures what is sent on lo, and the file is complete after stop()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-events-'));
    try {
      const receiver = createSocket('udp4');
      await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
      const port = receiver.address().port;
      const cap = await startCapture({ file: join(dir, 'c.pcap'), filter: `udp and dst port ${port}` });
      const sender = createSocket('udp4');
      for (const [i, d] of [160, 320, 480, 480, 480].entries()) {
        const payload = rtp({ pt: 101, seq: i, timestamp: 8000, payload: te(6, d, i >= 2) });
        await new Promise<void>((r, j) => sender.send(payload, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      }
      sender.close();
      receiver.close();
      await cap.stop();
      expect(cap.stats?.captured).toBe(5);
      const [d, ...rest] = dtmfDigits(readPcap(readFileSync(cap.file)), { eventPt: 101 });
      expect(rest).toEqual([]);
      expect(d).toMatchObject({ digit: '6', packets: 5, endPackets: 3, durationField: 480, durationMs: 60 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
