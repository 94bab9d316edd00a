import { en, type Catalogue } from './i18n.js';
import { cs } from './i18n/cs.js';
import { da } from './i18n/da.js';
import { de } from './i18n/de.js';
import { es } from './i18n/es.js';
import { fr } from './i18n/fr.js';
import { it } from './i18n/it.js';
import { nl } from './i18n/nl.js';
import { pl } from './i18n/pl.js';
import { pt } from './i18n/pt.js';
import { sv } from './i18n/sv.js';
import { tr } from './i18n/tr.js';

/**
 * Every language's catalogue, for tests, the build (which writes each as dist/i18n/<lang>.json)
 * and the ESM API. The popup bundle never imports this: it loads the one language it needs.
 */
export const CATALOGUES: Record<string, Catalogue> = { en, de, fr, es, it, nl, pt, pl, sv, da, cs, tr };
