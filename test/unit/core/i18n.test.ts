import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/core/error-codes.js';
import { CATALOGUES } from '../../../src/core/catalogues.js';
import { BINDER_LANGUAGES, binderStrings } from '../../../src/core/binder-strings.js';
import { LANGUAGE_NAMES, pickLanguage, SUPPORTED_LANGUAGES, translator } from '../../../src/core/i18n.js';

const en = CATALOGUES.en;
const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

describe('catalogues', () => {
  it('offers twelve languages: English, German, French, Spanish, Italian, Dutch, Portuguese, Polish, Swedish, Danish, Czech, Turkish', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(['cs', 'da', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'sv', 'tr']);
    expect(SUPPORTED_LANGUAGES.slice().sort()).toEqual(Object.keys(CATALOGUES).sort());
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual(Object.keys(CATALOGUES).sort());
    expect(BINDER_LANGUAGES.slice().sort()).toEqual(Object.keys(CATALOGUES).sort());
  });

  it.each(Object.keys(CATALOGUES))('%s has every key, non-empty, with the same placeholders as English', (lang) => {
    const cat = CATALOGUES[lang];
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(cat)) {
      expect(v.trim(), `${lang}.${k}`).not.toBe('');
      expect(placeholders(v), `${lang}.${k}`).toEqual(placeholders(en[k as keyof typeof en]));
    }
    const b = binderStrings(lang);
    for (const v of Object.values(b)) expect(v.trim(), `binder ${lang}`).not.toBe('');
    if (lang !== 'en') expect(b.popupBlocked).not.toBe(binderStrings('en').popupBlocked);
  });

  it('has a message and a hint for every error code', () => {
    for (const code of ERROR_CODES) {
      expect(en).toHaveProperty(`err.${code}`);
      expect(en).toHaveProperty(`hint.${code}`);
    }
  });

  // Words these languages borrowed from English as they are.
  const BORROWED: Record<string, string[]> = { it: ['account', 'password'], nl: ['account'] };
  it.each(Object.keys(CATALOGUES).filter((l) => l !== 'en'))('translates %s for real, not as a copy of English', (lang) => {
    const same = Object.keys(en).filter((k) => CATALOGUES[lang][k as keyof typeof en] === en[k as keyof typeof en]);
    expect(same).toEqual(BORROWED[lang] ?? []);
  });
});

describe('pickLanguage and translator', () => {
  it('takes the first supported candidate, by base language', () => {
    expect(pickLanguage([undefined, 'xx', 'de-AT', 'fr'])).toBe('de');
    expect(pickLanguage(['NL'])).toBe('nl');
    expect(pickLanguage(['pt-BR', null])).toBe('pt');
    expect(pickLanguage(['ja-JP', null])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('fills placeholders and falls back to English for an unknown language', () => {
    expect(translator(CATALOGUES.fr)('title', { number: '100' })).toBe('Appeler 100');
    expect(translator(undefined)('hangup')).toBe('Hang up');
  });
});
