import { describe, expect, it } from 'vitest';
import { isSigned, parseCallLink, unsignedCallLink } from '../../../src/core/call-link.js';

const H = '0123456789abcdef0123456789abcdef';

describe('parseCallLink', () => {
  it('reads a full URL, a ?query and a bare query', () => {
    const want = { destnumber: '1234567890' };
    expect(parseCallLink('https://h.test/makecall.html?destnumber=1234567890')).toEqual(want);
    expect(parseCallLink('?destnumber=1234567890')).toEqual(want);
    expect(parseCallLink('destnumber=1234567890')).toEqual(want);
  });

  it('keeps a raw plus in the number (hand-written links) and decodes %2B and %23', () => {
    expect(parseCallLink('destnumber=+4930')?.destnumber).toBe('+4930');
    expect(parseCallLink('destnumber=%2B4930%23')?.destnumber).toBe('+4930#');
  });

  it('ignores a fragment', () => {
    expect(parseCallLink('destnumber=12#34')?.destnumber).toBe('12');
  });

  it('reads a signed link and the optional language', () => {
    const p = parseCallLink(`destnumber=1&user=40%40pbx.test&pass=${H}&time=1&duration=2&lang=de`);
    expect(p).toEqual({ destnumber: '1', user: '40@pbx.test', pass: H, time: '1', duration: '2', lang: 'de' });
    expect(p && isSigned(p)).toBe(true);
  });

  it('keeps a user alone as a login hint, unsigned', () => {
    const p = parseCallLink('destnumber=1&user=40');
    expect(p).toEqual({ destnumber: '1', user: '40' });
    expect(p && isSigned(p)).toBe(false);
  });

  it.each([
    ['no destnumber', 'user=40'],
    ['empty destnumber', 'destnumber='],
    ['letters in destnumber', 'destnumber=12ab'],
    ['a script in destnumber', 'destnumber=%3Cscript%3E'],
    ['33 digits', `destnumber=${'1'.repeat(33)}`],
    ['two destnumbers', 'destnumber=1&destnumber=2'],
    ['half a signature', `destnumber=1&user=40&pass=${H}`],
    ['a signature that is not hex', `destnumber=1&user=40&pass=${'z'.repeat(32)}&time=1&duration=2`],
    ['a user with spaces', `destnumber=1&user=4%200&pass=${H}&time=1&duration=2`],
    ['bad percent-encoding', 'destnumber=%E0%A4%A'],
  ])('returns undefined for %s', (_case, q) => {
    expect(parseCallLink(q)).toBeUndefined();
  });

  it('drops a language that is not a language tag', () => {
    expect(parseCallLink('destnumber=1&lang=%3Cx%3E')).toEqual({ destnumber: '1' });
  });
});

describe('unsignedCallLink', () => {
  it('encodes the number and appends to an existing query', () => {
    expect(unsignedCallLink('https://h.test/makecall.html', '*97#')).toBe('https://h.test/makecall.html?destnumber=*97%23');
    expect(unsignedCallLink('https://h.test/p?x=1', '1', 'fr')).toBe('https://h.test/p?x=1&destnumber=1&lang=fr');
  });
});
