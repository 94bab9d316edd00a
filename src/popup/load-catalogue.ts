import type { Catalogue } from '../core/i18n.js';

/**
 * A language's catalogue from `i18n/<lang>.json` beside the popup's script (the build writes one
 * per language but English, which the bundle carries). Undefined when it cannot be had: the popup
 * then speaks English rather than nothing.
 */
export async function loadCatalogue(lang: string, scriptUrl: string): Promise<Catalogue | undefined> {
  if (!/^[a-z]{2}$/.test(lang) || lang === 'en') return undefined;
  try {
    const res = await fetch(new URL(`i18n/${lang}.json`, scriptUrl), { credentials: 'same-origin' });
    if (!res.ok) return undefined;
    const data: unknown = await res.json();
    if (typeof data !== 'object' || data === null) return undefined;
    // Strings only: a key the file lacks falls back to English key by key.
    return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string')) as Catalogue;
  } catch {
    return undefined;
  }
}

/**
 * `loadCatalogue` for an entry whose catalogues lie beside `scriptUrl`, one request per language
 * however often the popup asks (its first guess loads while the configuration does).
 */
export function catalogueLoader(scriptUrl: string): (lang: string) => Promise<Catalogue | undefined> {
  const loaded = new Map<string, Promise<Catalogue | undefined>>();
  return (lang) => {
    if (!loaded.has(lang)) loaded.set(lang, loadCatalogue(lang, scriptUrl));
    return loaded.get(lang)!;
  };
}
