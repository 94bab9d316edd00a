import type { MessageKey } from './i18n.js';

/**
 * The connection test (`makecall.html?check`): what the measurements of the browser mean for a
 * call, in plain words with what to do. Pure, so each verdict is tested without a browser.
 */
export type Level = 'running' | 'ok' | 'warn' | 'bad';

export interface Verdict {
  level: Level;
  /** `chk.<part>.<code>`: the message, which says what to do; also the row's `data-code`. */
  code: string;
}

/**
 * What the microphone test saw: `silent` until a sound comes (a muted or dead microphone); `on`: granted,
 * and the level meter waits for a click (browsers that start audio only after one).
 */
export type MicResult = 'asking' | 'ok' | 'on' | 'denied' | 'no-mic' | 'silent' | 'unsupported';
export type PbxResult = 'opening' | 'ok' | 'unreachable' | 'config';
/** The candidate types gathered (host, srflx, relay); `unsupported`: no RTCPeerConnection. */
export type IceResult =
  | 'gathering' | 'unsupported' | 'config'
  | { types: readonly string[]; turnRefused?: boolean };

/** A level of the meter (0..1, RMS) above which the microphone is taken to hear something. */
export const SOUND_LEVEL = 0.01;
/** Milliseconds of silence before the microphone is called silent. */
export const SILENT_AFTER_MS = 3000;
/** Milliseconds the PBX WebSocket and the ICE gathering get. */
export const CHECK_TIMEOUT_MS = 5000;

const LEVELS: Record<string, Level> = {
  asking: 'running', opening: 'running', gathering: 'running', ok: 'ok', on: 'ok', relay: 'ok', silent: 'warn', 'turn-down': 'warn', unknown: 'warn',
};

function verdict(part: string, code: string, level = LEVELS[code] ?? 'bad'): Verdict {
  return { level, code: `${part}.${code}` };
}

export function micVerdict(r: MicResult): Verdict {
  return verdict('mic', r);
}

export function pbxVerdict(r: PbxResult): Verdict {
  return verdict('pbx', r);
}

/**
 * Which candidates came, against what the site configured. A server-reflexive candidate means UDP
 * reaches a STUN server (direct audio works through most NATs), which only a server asked over UDP
 * can tell; a relay candidate that the TURN server allocated (audio works through any network that
 * lets it be reached). No TURN server configured is the site owner's choice, not the visitor's
 * fault; with no STUN or TURN server there is nothing to test against.
 */
export function iceVerdict(r: IceResult, servers: readonly RTCIceServer[], policy: RTCIceTransportPolicy = 'all'): Verdict {
  if (typeof r === 'string') return verdict('ice', r);
  const urls = servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const udp = urls.some((u) => /^stun:|^turn:(?!.*transport=tcp)/i.test(u));
  const turn = urls.some((u) => /^turns?:/i.test(u));
  const has = (t: string) => r.types.includes(t);
  const blocked = udp && !has('srflx');
  if (!r.types.length) return verdict('ice', 'offline');
  if (has('relay')) return verdict('ice', blocked && policy === 'all' ? 'relay' : 'ok');
  if (turn && r.turnRefused) return verdict('ice', 'turn-refused', blocked || policy === 'relay' ? 'bad' : 'warn');
  if (turn) return verdict('ice', policy === 'relay' ? 'turn-needed' : blocked ? 'blocked-turn' : 'turn-down');
  return verdict('ice', has('srflx') ? 'ok' : blocked ? 'blocked' : 'unknown');
}

/** The line on top: the worst of the rows, or "testing" while one still runs. */
export function summaryVerdict(rows: readonly Verdict[]): Verdict {
  for (const level of ['running', 'bad', 'warn'] as const) if (rows.some((v) => v.level === level)) return { level, code: `sum.${level}` };
  return { level: 'ok', code: 'sum.ok' };
}

/** The message of a verdict. */
export const verdictKey = (v: Verdict) => `chk.${v.code}` as MessageKey;

/** The popup's URL with `check` added: the same link (number, language), as a connection test. */
export function checkUrl(href: string): string {
  const u = new URL(href);
  u.searchParams.set('check', '');
  u.hash = '';
  return u.href.replace(/([?&])check=(?=&|$)/, '$1check');
}

/** Back from the test: the same URL without `check`, when it names a number to call; else undefined. */
export function callUrl(href: string): string | undefined {
  const u = new URL(href);
  if (!u.searchParams.get('destnumber')) return undefined;
  u.searchParams.delete('check');
  return u.href;
}
