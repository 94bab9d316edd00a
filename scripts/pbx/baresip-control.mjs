// Test helper for the reference PBX's far end (baresip): dependency-free Node ES module.
//
//   import { readStack, stackAors, connectBaresip, latestRecording, wavStats } from '../../scripts/pbx/baresip-control.mjs';
//   const stack = readStack();                          // .run/pbx/stack.json (or VODIA_PBX_RUN_DIR)
//   const bs = await connectBaresip({ ...stack.baresipCtrl, aors: stackAors(stack) }); // the control hub
//   const mark = bs.mark();
//   ... place a call, press a key ...
//   const ev = await bs.waitFor((e) => e.type === 'CALL_DTMF_START' && e.param === '5', 5000, { since: mark });
//   await bs.hangupAll();
//   const rec = latestRecording(stack.recordings, 'dec');  // what baresip received in the latest call
//   wavStats(rec.path).rms > 0.01;                          // non-silent
//   bs.close();
//
// Events are baresip's ctrl_tcp events, e.g.
//   { event: true, class: 'call', type: 'CALL_DTMF_START', param: '5', accountaor: 'sip:100@127.0.0.1',
//     direction: 'incoming', peeruri: 'sip:40@127.0.0.1', id: '...', receivedAt: 1764153600123 }
// `id` is the SIP Call-ID of the call (filter by it when several tests share the stack), `receivedAt` is Date.now()
// when the event arrived here. Types seen (baresip 1.0): CALL_REMOTE_SDP, CALL_LOCAL_SDP, CALL_ESTABLISHED,
// CALL_RTPESTAB (first RTP from the caller), CALL_DTMF_START (param = digit; RFC 4733 and SIP INFO alike),
// CALL_DTMF_END, CALL_CLOSED (param = reason). CALL_INCOMING only for the noAnswer number: baresip 1.0 sends
// none for calls it answers automatically.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The AORs of baresip's UAs (one per number it answers), e.g. for hangupAll. */
export function stackAors(stack) {
  const n = stack.numbers;
  return [n.echo, n.tone, n.hangup, n.noAnswer, n.pcmuEcho].map((u) => `sip:${u}@${stack.domain}`);
}

/** Reads stack.json written by pbx-stack.sh start. */
export function readStack(runDir = process.env.VODIA_PBX_RUN_DIR || path.join(HERE, '..', '..', '.run', 'pbx')) {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'stack.json'), 'utf8'));
}

function frame(obj) {
  const s = Buffer.from(JSON.stringify(obj));
  return Buffer.concat([Buffer.from(`${s.length}:`), s, Buffer.from(',')]);
}

/**
 * Connects to the baresip control port (the hub published as stack.baresipCtrl): `{ host, port }`, or `{ path }`
 * for its Unix socket (a stack in the network lab's namespace, unreachable by address from here). A `path`
 * wins when both are given.
 * @returns {Promise<{events: object[], mark(): number, waitFor(pred: (e: object) => boolean, timeoutMs?: number,
 *   opts?: {since?: number}): Promise<object>, command(name: string, params?: string): Promise<{ok: boolean, data: string}>,
 *   hangupAll(): Promise<void>, close(): void}>}
 */
export function connectBaresip({ host = '127.0.0.1', port, path: sockPath, aors = [] } = {}) {
  return new Promise((resolve, reject) => {
    const sock = sockPath ? net.connect({ path: sockPath }) : net.connect({ host, port });
    sock.setNoDelay(true);
    const events = [];
    const waiters = new Set();
    const pending = new Map();
    let seq = 0;
    let buf = Buffer.alloc(0);

    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const colon = buf.indexOf(0x3a);
        if (colon < 0) break;
        const len = Number(buf.subarray(0, colon).toString());
        if (buf.length < colon + len + 2) break;
        const msg = JSON.parse(buf.subarray(colon + 1, colon + 1 + len).toString());
        buf = buf.subarray(colon + len + 2);
        if (msg.response) {
          const p = pending.get(msg.token);
          pending.delete(msg.token);
          p?.(msg);
        } else if (msg.event) {
          msg.receivedAt = Date.now();
          events.push(msg);
          for (const w of [...waiters]) w(msg, events.length - 1);
        }
      }
    });
    sock.once('error', reject);
    sock.once('connect', () => {
      sock.off('error', reject);
      sock.on('error', () => {});
      resolve(api);
    });

    const api = {
      events,
      /** Index to pass as { since } so that waitFor ignores events received before now. */
      mark: () => events.length,
      /** Resolves with the first event (already received from `since` on, or future) matching pred. */
      waitFor(pred, timeoutMs = 5000, { since = 0 } = {}) {
        for (let i = since; i < events.length; i++) if (pred(events[i])) return Promise.resolve(events[i]);
        return new Promise((res, rej) => {
          const w = (e, i) => {
            if (i >= since && pred(e)) { clearTimeout(t); waiters.delete(w); res(e); }
          };
          const t = setTimeout(() => {
            waiters.delete(w);
            rej(new Error(`baresip: no matching event within ${timeoutMs} ms; got: ${events.slice(since).map((e) => `${e.type}(${e.param ?? ''})`).join(' ')}`));
          }, timeoutMs);
          waiters.add(w);
        });
      },
      /** Runs a baresip command (menu commands: hangup, listcalls, uafind, dial, accept, ...). */
      command(name, params, timeoutMs = 5000) {
        return new Promise((res, rej) => {
          const token = `t${++seq}`;
          const t = setTimeout(() => { pending.delete(token); rej(new Error(`baresip: no response to ${name}`)); }, timeoutMs);
          pending.set(token, (m) => { clearTimeout(t); res(m); });
          const msg = { command: name, token };
          if (params !== undefined && params !== null && params !== '') msg.params = String(params);
          sock.write(frame(msg));
        });
      },
      /**
       * Hangs up every call of the given baresip UAs (default: those passed to connectBaresip as `aors`, plus every
       * UA seen in events). baresip 1.0's hangup ends the current call of the current UA, so: select, count, hang up.
       */
      async hangupAll(list) {
        const all = new Set([...(list || aors), ...events.map((e) => e.accountaor).filter(Boolean)]);
        for (const aor of all) {
          const found = await api.command('uafind', aor);
          if (!found.ok) continue;
          for (let i = 0; i < 32; i++) {
            const calls = await api.command('listcalls');
            const n = Number((/Active calls \((\d+)\)/.exec(calls.data || '') || [])[1] || 0);
            if (!n) break;
            await api.command('hangup');
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      },
      close() { sock.destroy(); },
    };

    // Calls with an incoming/established event and no CALL_CLOSED yet, by call id.
    function openCalls() {
      const byId = new Map();
      for (const e of events) {
        if (e.class !== 'call' || !e.id) continue;
        if (e.type === 'CALL_CLOSED') byId.delete(e.id);
        else if (e.type === 'CALL_INCOMING' || e.type === 'CALL_ESTABLISHED' || e.type === 'CALL_RINGING') byId.set(e.id, e);
      }
      return [...byId.values()];
    }
    api.openCalls = openCalls;

    /**
     * Waits until baresip has no open call and its last call closed at least `quietMs` ago. Back-to-back calls
     * to the echo number can otherwise meet the previous call's audio bridge still being torn down: the new call
     * is answered and receives, but never starts sending (seen in the lab once: established, 0 packets back).
     */
    api.settle = async (quietMs = 500, timeoutMs = 5000) => {
      const t0 = Date.now();
      for (;;) {
        const closed = events.filter((e) => e.type === 'CALL_CLOSED').pop();
        const quiet = !closed || Date.now() - closed.receivedAt >= quietMs;
        if ((!openCalls().length && quiet) || Date.now() - t0 > timeoutMs) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
  });
}

/**
 * The newest recording sndfile wrote: kind 'dec' is what baresip received (the caller's audio),
 * 'enc' what it sent. Files are named dump-YYYY-MM-DD-hh-mm-ss-(enc|dec).wav, one pair per call.
 */
export function latestRecording(dir, kind = 'dec', { newerThanMs = 0 } = {}) {
  const files = fs.readdirSync(dir)
    .filter((f) => f.endsWith(`-${kind}.wav`))
    .map((f) => ({ path: path.join(dir, f), mtimeMs: fs.statSync(path.join(dir, f)).mtimeMs }))
    .filter((f) => f.mtimeMs >= newerThanMs)
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  return files[0] || null;
}

/** Parses a PCM wav (16-bit or 32-bit float) and returns { sampleRate, channels, seconds, rms, peak } (0..1). */
export function wavStats(file) {
  const b = fs.readFileSync(file);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a wav`);
  let off = 12;
  let fmt = null;
  let data = null;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    let size = b.readUInt32LE(off + 4);
    // a file still being written may carry a zero or oversized data size: take what is there
    if (id === 'data' && (size === 0 || off + 8 + size > b.length)) size = b.length - off - 8;
    if (id === 'fmt ') fmt = { format: b.readUInt16LE(off + 8), channels: b.readUInt16LE(off + 10), sampleRate: b.readUInt32LE(off + 12), bits: b.readUInt16LE(off + 22) };
    if (id === 'data') { data = b.subarray(off + 8, off + 8 + size); break; }
    off += 8 + size + (size & 1);
  }
  if (!fmt || !data) throw new Error(`${file}: no fmt or data chunk`);
  const bytes = fmt.bits / 8;
  const n = Math.floor(data.length / bytes);
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = fmt.format === 3 ? data.readFloatLE(i * bytes) : fmt.bits === 16 ? data.readInt16LE(i * 2) / 32768 : data.readInt32LE(i * 4) / 2147483648;
    sum += v * v;
    if (Math.abs(v) > peak) peak = Math.abs(v);
  }
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    seconds: n / fmt.channels / fmt.sampleRate,
    rms: n ? Math.sqrt(sum / n) : 0,
    peak,
  };
}

/** Convenience: stats of the newest recording of a kind, or null when there is none. */
export function latestRecordingStats(dir, kind = 'dec', opts) {
  const r = latestRecording(dir, kind, opts);
  return r ? { ...r, ...wavStats(r.path) } : null;
}
