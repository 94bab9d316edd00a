import { describe, expect, it } from 'vitest';
import type { SignedCallLink } from '../../../src/core/call-link.js';
import * as api from '../../../src/entries/index.js';
import { signingVectors } from '../../support/shared-fixtures.js';

// The ESM API as a Node server that signs links uses it (the build bundles exactly this entry).
describe('the ESM API (src/entries/index.ts)', () => {
  it.each(signingVectors().map((v) => [v.name, v] as const))('passes the shared vector "%s"', (_n, v) => {
    expect(api.signLink({ user: v.user, password: v.password, destnumber: v.dest, time: v.time, duration: v.duration })).toBe(v.hash);
    const link = api.parseCallLink(v.query)!;
    expect(link).toEqual({ destnumber: v.dest, user: v.user, pass: v.hash, time: v.time, duration: v.duration });
    expect(api.checkSignedLink(link, { password: v.password, now: Number(v.time) })).toEqual({ ok: true });
  });

  it('rejects the digit-sliding forgery of docs/design.md §2', () => {
    const time = 1764153600;
    const url = api.buildCallLink('https://pbx.example.com/makecall.htm', { destnumber: '12345', user: '40@pbx.example.com', password: 's3cret', time, duration: 3600 });
    const genuine = api.parseCallLink(url) as SignedCallLink;
    const forged = { ...genuine, destnumber: '1234', time: `5${genuine.time}` };
    expect(api.signLink({ ...forged, password: 's3cret' })).toBe(genuine.pass); // same hash...
    expect(api.checkSignedLink(forged, { password: 's3cret', now: time })).toEqual({ ok: false, reason: 'future' }); // ...refused
    expect(api.checkSignedLink(genuine, { password: 's3cret', now: time })).toEqual({ ok: true });
  });

  it('has no side effects on import: no global, no binding', () => {
    expect((globalThis as { VodiaCall?: unknown }).VodiaCall).toBeUndefined();
    expect(typeof api.bindCallLinks).toBe('function');
  });
});
