import { DESTNUMBER_PATTERN, USER_PATTERN } from './call-link.js';
import { CANONICAL_NUMBER_PATTERN, DEFAULT_MAX_DURATION, MAX_FUTURE_SKEW } from './check-signed-link.js';
import { SUPPORTED_LANGUAGES } from './i18n.js';
import { DOMAIN_PATTERN, ICE_SERVER_URL_PATTERN } from './popup-config.js';

/**
 * The rules the TypeScript and the PHP side must agree on, from their one source here. The build
 * writes them for the WordPress plugin (wp-plugin/generated/shared-rules.php) and its block
 * (shared-rules.json), so neither side keeps a copy by hand. Patterns are JavaScript regex sources
 * anchored with ^ and $; the build turns `$` into PHP's `\z` (a bare `$` in PHP accepts a final "\n").
 */
export const SHARED_RULES = {
  /** What a destination number may be. */
  destnumberPattern: DESTNUMBER_PATTERN.source,
  /** A link's `user`. */
  userPattern: USER_PATTERN.source,
  /** `time` and `duration`: digits in their one canonical spelling. */
  canonicalNumberPattern: CANONICAL_NUMBER_PATTERN.source,
  /** A SIP domain. */
  domainPattern: DOMAIN_PATTERN.source,
  /** An ICE server URL (each of an entry's urls). */
  iceServerUrlPattern: ICE_SERVER_URL_PATTERN.source,
  /** Seconds a link's time may lie ahead of the checking clock. */
  maxFutureSkew: MAX_FUTURE_SKEW,
  /** The longest link validity, seconds. */
  maxDuration: DEFAULT_MAX_DURATION,
  /** UI languages of the popup, the binder and the plugin's language choices. */
  languages: SUPPORTED_LANGUAGES,
} as const;
