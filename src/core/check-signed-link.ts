import { DESTNUMBER_PATTERN, isSigned, USER_PATTERN, type CallLinkParams } from './call-link.js';
import { signLink } from './sign-link.js';

export type LinkRejection = 'malformed' | 'bad-signature' | 'expired' | 'future' | 'too-long';
export type LinkCheck = { ok: true } | { ok: false; reason: LinkRejection };

export interface CheckOptions {
  /** The extension password the link was signed with. */
  password: string;
  /** Seconds since 1970; defaults to now. */
  now?: number;
  /** The longest duration accepted, seconds; default 86400. */
  maxDuration?: number;
}

/** Accepted clock skew for links made on a server whose clock runs ahead. */
export const MAX_FUTURE_SKEW = 300;
export const DEFAULT_MAX_DURATION = 86400;

// No sign, spaces, leading zeros or fraction: each number has exactly one spelling, so digits
// cannot slide between fields of the separator-less signature. Twelve digits: a time until the
// year 33658, far beyond any duration; the PHP side has always allowed twelve (TypeScript had 15).
export const CANONICAL_NUMBER_PATTERN = /^(?:0|[1-9][0-9]{0,11})$/;

/** The shape rules of docs/design.md §2: every signing field present and spelt canonically. */
export function checkLinkFormat(params: CallLinkParams): LinkCheck {
  if (!isSigned(params)) return { ok: false, reason: 'malformed' };
  const { destnumber, user, time, duration, pass } = params;
  if (!DESTNUMBER_PATTERN.test(destnumber) || !USER_PATTERN.test(user) || !CANONICAL_NUMBER_PATTERN.test(time) || !CANONICAL_NUMBER_PATTERN.test(duration) ||
    !/^[0-9a-f]{32}$/.test(pass)) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true };
}

/**
 * The rules of docs/design.md §2 that need no password: field shapes and the time window, by the
 * clock given. Where a server vouches for links, only it should judge time (a visitor's clock may be off).
 */
export function checkLinkRules(params: CallLinkParams, now: number, maxDuration = DEFAULT_MAX_DURATION): LinkCheck {
  const format = checkLinkFormat(params);
  if (!format.ok || !isSigned(params)) return format;
  const t = Number(params.time);
  const d = Number(params.duration);
  if (t > now + MAX_FUTURE_SKEW) return { ok: false, reason: 'future' };
  if (d > maxDuration) return { ok: false, reason: 'too-long' };
  if (now > t + d) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/**
 * Every rule of docs/design.md §2: the shape, then the signature (compared in constant time), then
 * the clock, so "expired", "future" and "too-long" are only ever said of links the signer made (or
 * digit-sliding forgeries of them, which the clock rules stop). The PHP side checks in the same
 * order; test/fixtures/shared-rules.json holds the cases both run.
 */
export function checkSignedLink(params: CallLinkParams, options: CheckOptions): LinkCheck {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const format = checkLinkFormat(params);
  if (!format.ok || !isSigned(params)) return format.ok ? { ok: false, reason: 'malformed' } : format;
  const expected = signLink({ ...params, password: options.password });
  if (!constantTimeEqual(expected, params.pass)) return { ok: false, reason: 'bad-signature' };
  return checkLinkRules(params, now, options.maxDuration);
}

/** Compares two strings without an early exit, so timing does not reveal the matching prefix. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}
