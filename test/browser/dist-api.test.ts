import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, signingVectors } from '../support/shared-fixtures.js';

// The built ESM API, as a Node server that signs links imports it: dist/index.mjs, not src/.
const api = await import(pathToFileURL(resolve(REPO_ROOT, 'dist/index.mjs')).href);

describe('dist/index.mjs', () => {
  it.each(signingVectors().map((v) => [v.name, v] as const))('passes the shared vector "%s"', (_n, v) => {
    expect(api.signLink({ user: v.user, password: v.password, destnumber: v.dest, time: v.time, duration: v.duration })).toBe(v.hash);
    const link = api.parseCallLink(v.query);
    expect(link).toEqual({ destnumber: v.dest, user: v.user, pass: v.hash, time: v.time, duration: v.duration });
    expect(api.checkSignedLink(link, { password: v.password, now: Number(v.time) })).toEqual({ ok: true });
  });

  it('rejects the digit-sliding forgery of docs/design.md §2', () => {
    const time = 1764153600;
    const url = api.buildCallLink('https://pbx.example.com/makecall.htm', { destnumber: '12345', user: '40@pbx.example.com', password: 's3cret', time, duration: 3600 });
    const genuine = api.parseCallLink(url);
    const forged = { ...genuine, destnumber: '1234', time: `5${genuine.time}` };
    expect(api.signLink({ ...forged, password: 's3cret' })).toBe(genuine.pass); // same hash...
    expect(api.checkSignedLink(forged, { password: 's3cret', now: time })).toEqual({ ok: false, reason: 'future' }); // ...refused
    expect(api.checkSignedLink(genuine, { password: 's3cret', now: time })).toEqual({ ok: true });
  });

  it('has type declarations and no side effects on import', () => {
    expect(readFileSync(resolve(REPO_ROOT, 'dist/index.d.ts'), 'utf8')).toContain('export *');
    expect(readFileSync(resolve(REPO_ROOT, 'dist/types/core/sign-link.d.ts'), 'utf8')).toContain('export declare function signLink');
    expect((globalThis as { VodiaCall?: unknown }).VodiaCall).toBeUndefined();
  });
});

describe('dist/vodia-call.js', () => {
  const binder = readFileSync(resolve(REPO_ROOT, 'dist/vodia-call.js'), 'utf8');
  it('does not carry SIP.js or md5', () => {
    for (const marker of ['SIP/2.0', 'UserAgent', 'Inviter', 'WebSocket', 'RTCPeerConnection']) expect(binder).not.toContain(marker);
    expect(binder).not.toMatch(/0x67452301|1732584193/); // md5's initial state, in hex or decimal
  });
  it('stays within its 3 KB gzip budget', () => {
    const sizes = JSON.parse(readFileSync(resolve(REPO_ROOT, 'dist/sizes.json'), 'utf8')) as { file: string; gzip: number }[];
    expect(sizes.find((s) => s.file === 'dist/vodia-call.js')!.gzip).toBeLessThanOrEqual(3 * 1024);
    expect(sizes.find((s) => s.file === 'dist/makecall.js')!.gzip).toBeLessThanOrEqual(65 * 1024);
  });
});
