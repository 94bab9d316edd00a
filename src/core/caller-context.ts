/** At most this many characters (code points) of the link's context text travel to the PBX. */
export const CONTEXT_MAX = 256;
/** A page URL longer than this is no page a site links from: refused, it only bloats the INVITE. */
export const PAGE_MAX = 2048;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export interface CallerContext {
  /** The SIP header lines for the INVITE, e.g. `X-Call-Page: https://shop.example/contact`. */
  headers: string[];
  /** What was left out and why, for the console: a bad value never stops the call. */
  problems: string[];
}

/**
 * Reads the `page` and `context` parameters of the popup's URL (the binder adds them) and makes the
 * INVITE's X-Call-Page and X-Call-Context lines. Both values come from any page that links here, so
 * each is percent-encoded down to printable ASCII without spaces: no CR/LF can start another header.
 * A refused value is left out (and listed in `problems`); the call still goes.
 */
export function callerContext(popupUrl: string): CallerContext {
  const out: CallerContext = { headers: [], problems: [] };
  let search: URLSearchParams;
  try {
    search = new URL(popupUrl).searchParams;
  } catch {
    return out;
  }
  const page = single(search, 'page', out.problems);
  if (page !== undefined) {
    const href = pageHeaderValue(page);
    if (href) out.headers.push(`X-Call-Page: ${href}`);
    else out.problems.push(`"page" is no http(s) URL of at most ${PAGE_MAX} characters`);
  }
  const context = single(search, 'context', out.problems);
  if (context !== undefined) {
    const value = contextHeaderValue(context);
    if (value) out.headers.push(`X-Call-Context: ${value}`);
    else if (context !== '') out.problems.push('"context" holds control characters or broken text');
  }
  return out;
}

/**
 * The page URL as a header value: http(s) only (no javascript:, data: or file: paths of the visitor's
 * disk), with everything outside printable ASCII percent-encoded; undefined when refused.
 */
export function pageHeaderValue(page: string): string | undefined {
  // The URL parser silently drops tabs and line breaks: a value carrying them is refused, not cleaned.
  if (CONTROL.test(page) || page.length > PAGE_MAX) return undefined;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // The parser already encodes most; spaces and anything else unprintable it leaves are done here.
  const href = url.href.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return href.length <= PAGE_MAX ? href : undefined;
}

/**
 * The context text as a header value: cut to CONTEXT_MAX characters, then percent-encoded like
 * encodeURIComponent (UTF-8); undefined when empty, when it holds control characters, or a lone
 * surrogate (text no page could mean).
 * Cut, not refused, when long: it is the site owner's own label (the WordPress plugin cuts it the
 * same way), and a long label is a mistake worth a shorter header, not a call without context.
 */
export function contextHeaderValue(context: string): string | undefined {
  if (context === '' || CONTROL.test(context)) return undefined;
  try {
    return encodeURIComponent(Array.from(context).slice(0, CONTEXT_MAX).join(''));
  } catch {
    return undefined; // a lone surrogate
  }
}

/** One value, or undefined when absent; two values are ambiguous and refused. */
function single(search: URLSearchParams, name: string, problems: string[]): string | undefined {
  const all = search.getAll(name);
  if (all.length > 1) problems.push(`"${name}" given twice`);
  return all.length === 1 ? all[0] : undefined;
}
