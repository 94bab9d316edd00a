import { describe, expect, it } from 'vitest';
import { callerContext, CONTEXT_MAX, contextHeaderValue, pageHeaderValue, PAGE_MAX } from '../../../src/core/caller-context.js';

const POPUP = 'https://calls.example/makecall.html?destnumber=100';
/** The popup URL as the binder builds it: each value encoded with encodeURIComponent. */
const popupWith = (params: Record<string, string>) =>
  POPUP + Object.entries(params).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
/** A header line is one line of printable ASCII: nothing in it can start another header. */
const SAFE_LINE = /^X-Call-(?:Page|Context): [\x21-\x7e]+$/;

describe('callerContext', () => {
  it('makes the two header lines from the page and the context', () => {
    const got = callerContext(popupWith({ page: 'https://shop.example/contact/', context: 'Sales, Germany' }));
    expect(got).toEqual({
      headers: ['X-Call-Page: https://shop.example/contact/', 'X-Call-Context: Sales%2C%20Germany'],
      problems: [],
    });
  });

  it('sends nothing when the link carries neither (a hand-written makecall link)', () => {
    expect(callerContext(POPUP)).toEqual({ headers: [], problems: [] });
    expect(callerContext('not a url')).toEqual({ headers: [], problems: [] });
  });

  it.each([
    ['CR LF and a header', 'Sales\r\nX-Evil: 1'],
    ['a bare LF', 'Sales\nX-Evil: 1'],
    ['a bare CR', 'Sales\rX-Evil: 1'],
    ['a NUL', 'Sales\u0000'],
    ['a tab', 'Sales\tTeam'],
    ['a C1 control (NEL)', 'Sales\u0085X-Evil: 1'],
  ])('refuses a context with %s: no X-Call-Context at all, and says why', (_name, context) => {
    const got = callerContext(popupWith({ page: 'https://shop.example/', context }));
    expect(got.headers).toEqual(['X-Call-Page: https://shop.example/']);
    expect(got.problems).toEqual(['"context" holds control characters or broken text']);
  });

  it('reads an encoded %0d%0a as the line break it stands for, and refuses it', () => {
    // The raw URL, as a hostile page would write it by hand.
    const got = callerContext(`${POPUP}&context=a%0d%0aX-Evil:%201&page=https://shop.example/`);
    expect(got.headers).toEqual(['X-Call-Page: https://shop.example/']);
    expect(got.problems).toHaveLength(1);
  });

  it('keeps a literal "%0d%0a" text as text: encoded again, so the PBX decodes it back to those six characters', () => {
    const got = callerContext(popupWith({ context: 'a%0d%0aX-Evil: 1' }));
    expect(got.headers).toEqual(['X-Call-Context: a%250d%250aX-Evil%3A%201']);
    expect(decodeURIComponent(got.headers[0].slice('X-Call-Context: '.length))).toBe('a%0d%0aX-Evil: 1');
  });

  it('cuts a long context to CONTEXT_MAX characters, not mid-character', () => {
    expect(CONTEXT_MAX).toBe(256);
    const long = 'x'.repeat(255) + '😀' + 'y'.repeat(100);
    const value = contextHeaderValue(long)!;
    expect(decodeURIComponent(value)).toBe('x'.repeat(255) + '😀');
    expect(Array.from(decodeURIComponent(value))).toHaveLength(256);
    expect(contextHeaderValue('z'.repeat(10_000))).toBe('z'.repeat(256));
  });

  it('encodes unicode as UTF-8 percent-escapes, as encodeURIComponent does', () => {
    const got = callerContext(popupWith({ context: 'Rückruf – Vertrieb 日本' }));
    expect(got.headers).toEqual([`X-Call-Context: ${encodeURIComponent('Rückruf – Vertrieb 日本')}`]);
    expect(got.headers[0]).toMatch(SAFE_LINE);
  });

  it('refuses a lone surrogate (no text a page could mean) instead of throwing', () => {
    expect(contextHeaderValue('a\ud800b')).toBeUndefined();
  });

  it('treats an empty context as none, without a problem', () => {
    expect(callerContext(popupWith({ context: '' }))).toEqual({ headers: [], problems: [] });
  });

  it('refuses a parameter given twice (which one would the site owner mean?)', () => {
    const got = callerContext(`${POPUP}&context=a&context=b&page=https://a.example/&page=https://b.example/`);
    expect(got.headers).toEqual([]);
    expect(got.problems).toEqual(['"page" given twice', '"context" given twice']);
  });
});

describe('pageHeaderValue', () => {
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<b>x</b>'],
    ['file:', 'file:///home/visitor/secret.html'],
    ['a relative path', '/contact'],
    ['no URL', 'hello world'],
    ['a CR LF (which the URL parser would silently drop)', 'https://shop.example/\r\nX-Evil: 1'],
    ['a tab', 'https://shop.example/\tx'],
  ])('refuses %s', (_name, page) => {
    expect(pageHeaderValue(page)).toBeUndefined();
  });

  it('refuses one longer than PAGE_MAX', () => {
    expect(pageHeaderValue(`https://shop.example/${'a'.repeat(PAGE_MAX)}`)).toBeUndefined();
    expect(pageHeaderValue(`https://shop.example/${'a'.repeat(PAGE_MAX - 30)}`)).toMatch(/^https:/);
  });

  it('percent-encodes what is not printable ASCII: spaces, unicode paths, unicode hosts (punycode)', () => {
    expect(pageHeaderValue('https://shop.example/über uns?q=a b"c')).toBe('https://shop.example/%C3%BCber%20uns?q=a%20b%22c');
    expect(pageHeaderValue('https://bücher.example/')).toBe('https://xn--bcher-kva.example/');
    // A fragment's spaces too (the binder never sends one, a hand-written link might).
    expect(pageHeaderValue('http://127.0.0.1:8080/a#b c')).toBe('http://127.0.0.1:8080/a#b%20c');
  });

  it('gives a line that is one printable-ASCII token for any of these', () => {
    for (const page of ['https://a.example/ä ö', 'https://a.example/?x=\u2028\u2029', 'https://a.example/%0d%0a']) {
      expect(`X-Call-Page: ${pageHeaderValue(page)}`).toMatch(SAFE_LINE);
    }
  });

  it('in callerContext, a refused page is left out with a problem; the context still goes', () => {
    const got = callerContext(popupWith({ page: 'javascript:alert(1)', context: 'Support' }));
    expect(got.headers).toEqual(['X-Call-Context: Support']);
    expect(got.problems).toEqual([`"page" is no http(s) URL of at most ${PAGE_MAX} characters`]);
  });
});
