import { describe, expect, it } from 'vitest';
import { parseCallLink } from '../../../src/core/call-link.js';
import { checkLinkFormat } from '../../../src/core/check-signed-link.js';
import { parsePopupConfig } from '../../../src/core/popup-config.js';
import { signLink } from '../../../src/core/sign-link.js';

// A validator whose pattern ends in a bare `$` may accept a final line break (PHP without `D`
// does); a value that carries one can end up in a SIP header. Every field, every break.
const BREAKS = [['\\n', '\n', '%0a'], ['\\r\\n', '\r\n', '%0d%0a'], ['\\r', '\r', '%0d']] as const;
const NOW = 1764153600;
const fields = {
  destnumber: '100', user: '40', time: String(NOW), duration: '3600',
  pass: signLink({ user: '40', password: 'pw', destnumber: '100', time: NOW, duration: 3600 }),
};
const query = (f: Record<string, string>, raw: Record<string, string> = {}) =>
  Object.entries(f).map(([k, v]) => `${k}=${raw[k] ?? encodeURIComponent(v)}`).join('&');

describe('line breaks at the end of a value are refused, never trimmed into acceptance', () => {
  it('the untouched link is accepted (so the refusals below are about the break)', () => {
    expect(parseCallLink(query(fields))).toEqual(fields);
  });

  describe.each(Object.keys(fields))('link field %s', (field) => {
    it.each(BREAKS)('with %s, raw in the parameters and percent-encoded in the URL', (_n, brk, encoded) => {
      expect(checkLinkFormat({ ...fields, [field]: fields[field as keyof typeof fields] + brk }).ok).toBe(false);
      const value = encodeURIComponent(fields[field as keyof typeof fields]) + encoded;
      // What the popup does with a URL: read it, then check the signing fields' shapes.
      const link = parseCallLink(`https://h.test/makecall.html?${query(fields, { [field]: value })}`);
      expect(link === undefined || !checkLinkFormat(link).ok).toBe(true);
    });
  });

  it.each(BREAKS)('lang with %s falls back instead of travelling on', (_n, _brk, encoded) => {
    expect(parseCallLink(`?destnumber=100&lang=de${encoded}`)).toEqual({ destnumber: '100' });
  });

  const good = { server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com' };
  describe.each([
    ['server', { server: 'wss://pbx.example.com/ws' }],
    ['domain', { domain: 'pbx.example.com' }],
    ['realm', { realm: 'pbx.example.com' }],
    ['authorizeUrl', { authorizeUrl: 'https://site.example/wp-json/vodia-call/v1/authorize' }],
    ['lang', { lang: 'de' }],
    ['trustedOrigins', { trustedOrigins: ['https://www.example.com'] }],
  ])('config field %s', (field, value) => {
    it('is accepted without the break', () => {
      const r = parsePopupConfig({ ...good, ...value });
      expect(r.ok).toBe(true);
    });
    it.each(BREAKS)('with %s is refused or dropped', (_n, brk) => {
      const v = (value as Record<string, unknown>)[field];
      const broken = Array.isArray(v) ? [`${v[0]}${brk}`] : `${v}${brk}`;
      const r = parsePopupConfig({ ...good, [field]: broken });
      if (field === 'lang') expect(r.ok && r.config.lang).toBeUndefined(); // falls back to the visitor's languages
      else expect(r.ok).toBe(false);
    });
  });
});
