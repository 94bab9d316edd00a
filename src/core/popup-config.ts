import { iceServerKinds } from './ice-gathering-policy.js';
import { parseOfficeHours, type OfficeHours } from './office-hours.js';
import { DEFAULT_REMEMBER_DAYS } from './remembered-login.js';

/**
 * The popup's deployment configuration: `makecall.config.json` beside makecall.html, or
 * `window.vodiaCallConfig` from the page that serves it. Never from the link (docs/design.md §2):
 * a link that could name the server could send a remembered password anywhere.
 */
export interface PopupConfig {
  /** The PBX's SIP-over-WebSocket URL, `wss://` (or `ws://` on loopback). */
  server: string;
  /** The SIP domain: calls go to `sip:DESTNUMBER@domain`. */
  domain: string;
  /** The digest realm for a remembered login's HA1; default: `domain`. */
  realm: string;
  /** Default: none (host candidates only). */
  iceServers: RTCIceServer[];
  /** Keypad digits as RFC 4733 events (default) or SIP INFO. */
  dtmf: 'rfc4733' | 'info';
  /** Milliseconds per keypad digit; default 160 (with Opus, baresip drops RFC 4733 digits shorter than about 130 ms). */
  dtmfDuration: number;
  /** Seconds of ringing before the popup gives up with `no-answer`; default 60. */
  ringTimeout: number;
  /** Milliseconds to wait for ICE candidates; default 500, as an unreachable STUN server must not stall setup. */
  iceGatheringTimeout: number;
  /** `relay`: media only through the TURN servers (hides the visitor's addresses); default `all`. */
  iceTransportPolicy: RTCIceTransportPolicy;
  /**
   * Seconds between keep-alives (a double CRLF, RFC 5626) on the WebSocket; 0 turns them off.
   * Default 15: nothing else crosses the WebSocket during a call, and proxies close idle ones
   * (nginx and AWS ALB after 60 s, Cloudflare after 100 s).
   */
  keepAliveInterval: number;
  /** A server that answers digest challenges for signed links (docs/design.md §5), if any. */
  authorizeUrl?: string;
  /** The deployment's default UI language. */
  lang?: string;
  /**
   * Origins whose pages may open the popup and have it dial at once (a signed link or a remembered
   * login); the popup's own origin always may. From anywhere else the visitor confirms the call first.
   * Only https:// origins (http:// on loopback): a page on plain http can be changed on the way.
   */
  trustedOrigins: string[];
  /** Days a remembered login lasts; default 30. Its HA1 is as good as the password for SIP digest. */
  rememberDays: number;
  /** Whether the INVITE carries X-Call-Page and X-Call-Context (caller-context.ts); default true. */
  callerContext: boolean;
  /** When calls are taken; absent: always. Outside them the popup fails with `closed` and places no call. */
  officeHours?: OfficeHours;
  /** Other ways to reach the site owner, offered when the office is closed or the browser cannot call. */
  fallback?: Fallback;
}

export interface Fallback {
  /** A contact page: https:// (http:// only on loopback). */
  url?: string;
  /** A phone number for a `tel:` link. */
  tel?: string;
}

/** A number a phone can dial from a `tel:` link: digits, an optional leading "+". */
export const FALLBACK_TEL_PATTERN = /^\+?[0-9]{3,20}$/;

export type ConfigResult = { ok: true; config: PopupConfig } | { ok: false; problems: string[] };

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
/** A SIP domain: a host name or address, or a bracketed IPv6 address; no port, user or path. */
export const DOMAIN_PATTERN = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])$/;
/**
 * An ICE server URL: stun:, turn: or turns: (browsers know no stuns:), nothing that could break out
 * of a quoted attribute or a header.
 */
export const ICE_SERVER_URL_PATTERN = /^(?:stun|turns?):[^\s"'<>\\]{1,250}$/;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Checks and completes a raw configuration object; lists every problem, not just the first. */
export function parsePopupConfig(raw: unknown): ConfigResult {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: ['configuration must be a JSON object'] };
  }
  const r = raw as Record<string, unknown>;
  let server = '';
  if (typeof r.server !== 'string') {
    problems.push('"server" (the PBX WebSocket URL) is missing');
  } else {
    try {
      // The URL parser drops tabs and line breaks; a value carrying them is a mistake or an attack.
      if (/[\u0000-\u001f\u007f]/.test(r.server)) throw new Error();
      const u = new URL(r.server);
      if (u.protocol !== 'wss:' && !(u.protocol === 'ws:' && isLoopbackHost(u.hostname))) {
        problems.push('"server" must be a wss:// URL (ws:// only on loopback)');
      }
      server = r.server;
    } catch {
      problems.push('"server" is not a URL');
    }
  }
  const domain = typeof r.domain === 'string' ? r.domain.replace(/^ +| +$/g, '') : '';
  if (!DOMAIN_PATTERN.test(domain)) problems.push('"domain" (the SIP domain) is missing or not a host name');
  const realm = r.realm === undefined ? domain : r.realm;
  if (r.realm !== undefined && (typeof realm !== 'string' || realm === '' || /[\u0000-\u001f\u007f"\\]/.test(realm))) {
    problems.push('"realm" must be a non-empty string without quotes, backslashes or control characters');
  }
  const iceServers = r.iceServers === undefined ? [] : r.iceServers;
  if (!Array.isArray(iceServers) || !iceServers.every(isIceServer)) problems.push('"iceServers" must be a list of { urls, username?, credential? }');
  const dtmf = r.dtmf === undefined ? 'rfc4733' : r.dtmf;
  if (dtmf !== 'rfc4733' && dtmf !== 'info') problems.push('"dtmf" must be "rfc4733" or "info"');
  const dtmfDuration = numberIn(r.dtmfDuration, 160, 40, 2000, 'dtmfDuration', problems);
  const ringTimeout = numberIn(r.ringTimeout, 60, 1, 600, 'ringTimeout', problems);
  const iceGatheringTimeout = numberIn(r.iceGatheringTimeout, 500, 50, 10000, 'iceGatheringTimeout', problems);
  const keepAliveInterval = numberIn(r.keepAliveInterval, 15, 0, 300, 'keepAliveInterval', problems);
  const rememberDays = numberIn(r.rememberDays, DEFAULT_REMEMBER_DAYS, 1, 365, 'rememberDays', problems);
  const iceTransportPolicy = r.iceTransportPolicy === undefined ? 'all' : r.iceTransportPolicy;
  if (iceTransportPolicy !== 'all' && iceTransportPolicy !== 'relay') problems.push('"iceTransportPolicy" must be "all" or "relay"');
  if (iceTransportPolicy === 'relay' && Array.isArray(iceServers) && iceServers.every(isIceServer) && !iceServerKinds(iceServers).turn) {
    problems.push('"iceTransportPolicy": "relay" needs a TURN server in "iceServers"');
  }
  let authorizeUrl: string | undefined;
  if (r.authorizeUrl !== undefined) {
    try {
      if (/[\u0000-\u001f\u007f]/.test(String(r.authorizeUrl))) throw new Error();
      const u = new URL(String(r.authorizeUrl));
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) throw new Error();
      authorizeUrl = u.href;
    } catch {
      problems.push('"authorizeUrl" must be an https:// URL (http:// only on loopback)');
    }
  }
  const lang = typeof r.lang === 'string' && /^[a-z]{2}$/.test(r.lang) ? r.lang : undefined;
  const trustedOrigins: string[] = [];
  if (r.trustedOrigins !== undefined) {
    const list = Array.isArray(r.trustedOrigins) ? r.trustedOrigins : [null];
    for (const o of list) {
      const origin = typeof o === 'string' ? originOf(o) : undefined;
      const secure = origin !== undefined && (origin.startsWith('https:') || isLoopbackHost(new URL(origin).hostname));
      if (origin && secure && origin === o.replace(/\/$/, '')) trustedOrigins.push(origin);
      else problems.push('"trustedOrigins" must be a list of https:// origins like "https://www.example.com" (http:// only on loopback)');
    }
  }
  const callerContext = r.callerContext ?? true;
  if (typeof callerContext !== 'boolean') problems.push('"callerContext" must be true or false');
  let officeHours: OfficeHours | undefined;
  if (r.officeHours !== undefined) {
    const parsed = parseOfficeHours(r.officeHours);
    if (parsed.ok) officeHours = parsed.hours;
    else problems.push(...parsed.problems);
  }
  const fallback = parseFallback(r.fallback, problems);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: {
      server, domain, realm: realm as string, iceServers: iceServers as RTCIceServer[],
      dtmf: dtmf as PopupConfig['dtmf'], dtmfDuration, ringTimeout, iceGatheringTimeout,
      iceTransportPolicy: iceTransportPolicy as RTCIceTransportPolicy, keepAliveInterval, authorizeUrl, lang, trustedOrigins, rememberDays,
      callerContext: callerContext as boolean,
      officeHours, fallback,
    },
  };
}

/** The origin of an http(s) URL, or undefined. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function parseFallback(raw: unknown, problems: string[]): Fallback | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('"fallback" must be an object like { "url": "https://…", "tel": "+4930123456" }');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const fallback: Fallback = {};
  if (r.url !== undefined) {
    try {
      if (typeof r.url !== 'string' || /[\u0000-\u001f\u007f]/.test(r.url)) throw new Error();
      const u = new URL(r.url);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) throw new Error();
      fallback.url = u.href;
    } catch {
      problems.push('"fallback.url" must be an https:// URL (http:// only on loopback)');
    }
  }
  if (r.tel !== undefined) {
    if (typeof r.tel === 'string' && FALLBACK_TEL_PATTERN.test(r.tel)) fallback.tel = r.tel;
    else problems.push('"fallback.tel" must be a phone number of 3 to 20 digits, optionally after "+", like "+4930123456"');
  }
  return fallback;
}

function isIceServer(s: unknown): boolean {
  if (typeof s !== 'object' || s === null) return false;
  const urls = (s as { urls?: unknown }).urls;
  const list = Array.isArray(urls) ? urls : [urls];
  return list.length > 0 && list.every((u) => typeof u === 'string' && ICE_SERVER_URL_PATTERN.test(u));
}

function numberIn(v: unknown, fallback: number, min: number, max: number, name: string, problems: string[]): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    problems.push(`"${name}" must be a number from ${min} to ${max}`);
    return fallback;
  }
  return v;
}
