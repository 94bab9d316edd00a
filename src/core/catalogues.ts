import { en, type Catalogue } from './i18n.js';
import { de } from './i18n/de.js';
import { es } from './i18n/es.js';
import { fr } from './i18n/fr.js';
import { it } from './i18n/it.js';
import { nl } from './i18n/nl.js';

/**
 * Every language's catalogue, for tests, the build (which writes each as dist/i18n/<lang>.json)
 * and the ESM API. The popup bundle never imports this: it loads the one language it needs.
 */
export const CATALOGUES: Record<string, Catalogue> = { en, de, fr, es, it, nl };
