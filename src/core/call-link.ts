/** The parameters of a makecall link (docs/design.md §2), decoded. */
export interface CallLinkParams {
  destnumber: string;
  user?: string;
  /** The signature: 32 lowercase hex digits. */
  pass?: string;
  time?: string;
  duration?: string;
  lang?: string;
}

/** A link that carries a signature: every signing field present. */
export interface SignedCallLink extends CallLinkParams {
  user: string;
  pass: string;
  time: string;
  duration: string;
}

export const DESTNUMBER_PATTERN = /^[0-9+*#]{1,32}$/;
/** An account: `user` or `user@domain`, no spaces or line breaks (it ends up in a SIP header). */
export const USER_PATTERN = /^[^\s@]{1,64}(?:@[^\s@]{1,253})?$/;
const LANG_PATTERN = /^[a-z]{2}(?:-[A-Za-z]{2})?$/;
const FIELDS = ['destnumber', 'user', 'pass', 'time', 'duration', 'lang'] as const;

export function isSigned(params: CallLinkParams): params is SignedCallLink {
  return params.user !== undefined && params.pass !== undefined &&
    params.time !== undefined && params.duration !== undefined;
}

/**
 * Reads a makecall link (full URL, `?query` or bare query string).
 * Returns undefined for a malformed link, like SIP.js's makeURI: bad input is not exceptional.
 */
export function parseCallLink(urlOrQuery: string): CallLinkParams | undefined {
  let query = urlOrQuery;
  const q = query.indexOf('?');
  if (q >= 0) query = query.slice(q + 1);
  const hash = query.indexOf('#');
  // A '#' in a destnumber travels as %23; a raw '#' starts the fragment.
  if (hash >= 0) query = query.slice(0, hash);
  let search: URLSearchParams;
  try {
    // URLSearchParams turns a raw '+' into a space; the spec encodes '+' as %2B, but hand-written
    // links often carry a raw '+' in destnumber, so keep it a plus.
    search = new URLSearchParams(query.replace(/\+/g, '%2B'));
  } catch {
    return undefined;
  }
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const key of FIELDS) {
    const all = search.getAll(key);
    if (all.length > 1) return undefined; // two values for one field: ambiguous, refuse
    if (all.length === 1) out[key] = all[0];
  }
  const { destnumber } = out;
  if (destnumber === undefined || !DESTNUMBER_PATTERN.test(destnumber)) return undefined;
  if (out.lang !== undefined && !LANG_PATTERN.test(out.lang)) delete out.lang; // harmless: fall back
  const signing = [out.user, out.pass, out.time, out.duration].filter((v) => v !== undefined).length;
  // A user alone is a login hint (unsigned link); any signing field needs all of them.
  if ((out.pass !== undefined || out.time !== undefined || out.duration !== undefined) && signing !== 4) return undefined;
  if (out.pass !== undefined && !/^[0-9a-f]{32}$/.test(out.pass)) return undefined;
  if (out.user !== undefined && !USER_PATTERN.test(out.user)) return undefined;
  return { destnumber, ...out };
}

/** Appends makecall parameters to a popup URL, each value percent-encoded (docs/design.md §2). */
export function appendLinkParams(popupUrl: string, params: readonly (readonly [string, string])[]): string {
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const base = popupUrl.split('#')[0];
  return base + (base.includes('?') ? '&' : '?') + query;
}

/** An unsigned link: what the binder makes from `data-vodia-call`. No md5 needed. */
export function unsignedCallLink(popupUrl: string, destnumber: string, lang?: string): string {
  if (!DESTNUMBER_PATTERN.test(destnumber)) {
    throw new RangeError(`not a destnumber: ${JSON.stringify(destnumber)}`);
  }
  return appendLinkParams(popupUrl, lang ? [['destnumber', destnumber], ['lang', lang]] : [['destnumber', destnumber]]);
}
