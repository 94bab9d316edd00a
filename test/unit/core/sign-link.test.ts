import { describe, expect, it } from 'vitest';
import { parseCallLink } from '../../../src/core/call-link.js';
import { checkSignedLink } from '../../../src/core/check-signed-link.js';
import { buildCallLink, signLink } from '../../../src/core/sign-link.js';
import { signingVectors } from '../../support/shared-fixtures.js';

const vectors = signingVectors();

describe('shared signing vectors', () => {
  it('has vectors to test', () => expect(vectors.length).toBeGreaterThanOrEqual(5));

  it.each(vectors.map((v) => [v.name, v] as const))('%s: hash', (_name, v) => {
    expect(signLink({ user: v.user, password: v.password, destnumber: v.dest, time: v.time, duration: v.duration })).toBe(v.hash);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: the vector query parses to the raw values', (_name, v) => {
    expect(parseCallLink(v.query)).toEqual({ destnumber: v.dest, user: v.user, pass: v.hash, time: v.time, duration: v.duration });
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: buildCallLink makes a link with the same decoded values', (_name, v) => {
    const url = buildCallLink('https://pbx.example.com/call/makecall.html', {
      destnumber: v.dest, user: v.user, password: v.password, time: Number(v.time), duration: Number(v.duration),
    });
    expect(url.startsWith('https://pbx.example.com/call/makecall.html?destnumber=')).toBe(true);
    expect(url).not.toContain(v.password);
    expect(parseCallLink(url)).toEqual(parseCallLink(v.query));
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: checkSignedLink accepts it inside its window', (_name, v) => {
    const link = parseCallLink(v.query)!;
    expect(checkSignedLink(link, { password: v.password, now: Number(v.time) + 1 })).toEqual({ ok: true });
    expect(checkSignedLink(link, { password: `${v.password}x`, now: Number(v.time) + 1 })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('buildCallLink', () => {
  it('defaults time to now and duration to 3600', () => {
    const before = Math.floor(Date.now() / 1000);
    const link = parseCallLink(buildCallLink('https://x.test/makecall.html', { destnumber: '100', user: '40', password: 'pw' }))!;
    expect(Number(link.time)).toBeGreaterThanOrEqual(before);
    expect(Number(link.time)).toBeLessThanOrEqual(before + 2);
    expect(link.duration).toBe('3600');
    expect(checkSignedLink(link, { password: 'pw' })).toEqual({ ok: true });
  });

  it('makes an unsigned link without a password and keeps an existing query', () => {
    expect(buildCallLink('https://x.test/makecall.html?site=1#top', { destnumber: '+49#1', lang: 'de' }))
      .toBe('https://x.test/makecall.html?site=1&destnumber=%2B49%231&lang=de');
  });

  it('refuses a destnumber outside the pattern and signing without a user', () => {
    expect(() => buildCallLink('https://x.test/m.html', { destnumber: '12a' })).toThrow(RangeError);
    expect(() => buildCallLink('https://x.test/m.html', { destnumber: '12', password: 'p' })).toThrow(TypeError);
  });
});
