import { describe, expect, it, vi } from 'vitest';
import { createHttpAuthorizer } from '../../../src/phone/http-authorizer.js';
import { AuthorizeError } from '../../../src/phone/phone.js';

const link = { destnumber: '100', user: '40@pbx.test', pass: '0123456789abcdef0123456789abcdef', time: '1', duration: '2' };
const request = { method: 'INVITE' as const, uri: 'sip:100@pbx.test', status: 407 as const, challenge: 'Digest realm="pbx.test", nonce="n"' };
const reply = (status: number, body: unknown) => vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('createHttpAuthorizer', () => {
  it('posts the link and the challenge, and returns the header', async () => {
    const fetchFn = reply(200, { header: 'Proxy-Authorization', value: 'Digest username="40"' });
    const answer = await createHttpAuthorizer('https://site.test/auth', link, fetchFn as typeof fetch).authorize(request);
    expect(answer).toEqual({ header: 'Proxy-Authorization', value: 'Digest username="40"' });
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://site.test/auth');
    expect(init.credentials).toBe('omit');
    expect(JSON.parse(String(init.body))).toEqual({ ...link, ...request });
  });

  it.each([
    [403, { code: 'expired' }, 'link-expired'], [403, { code: 'bad-signature' }, 'link-invalid'],
    [403, { code: 'wrong-destination' }, 'link-invalid'], [400, { code: 'malformed' }, 'link-invalid'],
    [429, { code: 'rate-limited' }, 'rejected'], [500, {}, 'rejected'],
    [200, { header: 'X-Evil', value: 'v' }, 'rejected'], [200, { header: 'Authorization', value: 'a\r\nVia: x' }, 'rejected'],
  ])('HTTP %i %j -> %s', async (status, body, code) => {
    const p = createHttpAuthorizer('https://site.test/auth', link, reply(status, body) as typeof fetch).authorize(request);
    await expect(p).rejects.toBeInstanceOf(AuthorizeError);
    await expect(p).rejects.toMatchObject({ code });
  });

  it('an unreachable endpoint is a network error', async () => {
    const fetchFn = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
    await expect(createHttpAuthorizer('https://site.test/auth', link, fetchFn as typeof fetch).authorize(request)).rejects.toMatchObject({ code: 'network' });
  });
});
