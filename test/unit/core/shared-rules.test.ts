import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESTNUMBER_PATTERN } from '../../../src/core/call-link.js';
import { checkSignedLink } from '../../../src/core/check-signed-link.js';
import { DOMAIN_PATTERN, ICE_SERVER_URL_PATTERN, parsePopupConfig } from '../../../src/core/popup-config.js';
import { REPO_ROOT } from '../../support/shared-fixtures.js';

// The cases test/php/SharedRulesTest.php runs against the plugin too: the two sides cannot drift.
interface Fixture {
  signer: { user: string; password: string; maxDuration: number };
  links: { name: string; link: { destnumber: string } & Record<string, string>; now: number; result: string }[];
  numbers: { valid: string[]; invalid: string[] };
  iceServerUrls: { valid: string[]; invalid: string[] };
  domains: { valid: string[]; invalid: string[] };
}
const fixture = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/shared-rules.json'), 'utf8')) as Fixture;

describe('shared rule fixtures (test/fixtures/shared-rules.json)', () => {
  it.each(fixture.links.map((c) => [c.name, c] as const))('link: %s', (_n, c) => {
    const r = checkSignedLink(c.link, { password: fixture.signer.password, now: c.now, maxDuration: fixture.signer.maxDuration });
    expect(r.ok ? 'ok' : r.reason).toBe(c.result);
  });

  it.each(fixture.numbers.valid.map((n) => [JSON.stringify(n), n]))('number %s is valid', (_j, n) => expect(DESTNUMBER_PATTERN.test(n)).toBe(true));
  it.each(fixture.numbers.invalid.map((n) => [JSON.stringify(n), n]))('number %s is not', (_j, n) => expect(DESTNUMBER_PATTERN.test(n)).toBe(false));

  it.each(fixture.iceServerUrls.valid.map((u) => [JSON.stringify(u), u]))('ICE server URL %s is taken', (_j, u) => {
    expect(ICE_SERVER_URL_PATTERN.test(u)).toBe(true);
    expect(parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', iceServers: [{ urls: u, username: 'u', credential: 'c' }] }).ok).toBe(true);
  });
  it.each(fixture.iceServerUrls.invalid.map((u) => [JSON.stringify(u), u]))('ICE server URL %s is refused', (_j, u) => {
    expect(parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', iceServers: [{ urls: u }] }).ok).toBe(false);
  });

  it.each(fixture.domains.valid.map((d) => [JSON.stringify(d), d]))('domain %s is taken', (_j, d) => {
    expect(DOMAIN_PATTERN.test(d)).toBe(true);
    expect(parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: d }).ok).toBe(true);
  });
  it.each(fixture.domains.invalid.map((d) => [JSON.stringify(d), d]))('domain %s is refused', (_j, d) => {
    expect(parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: d }).ok).toBe(false);
  });
});
