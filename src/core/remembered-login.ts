import { accountUser, computeHa1 } from './sip-digest.js';

/**
 * What "Remember login information" keeps: the account and HA1, never the password
 * (SIP digest accepts HA1 in its place), in localStorage, never in a cookie that travels.
 */
export interface RememberedLogin {
  account: string;
  ha1: string;
  /** The realm the HA1 was made for: a change of realm makes it useless. */
  realm: string;
  lang?: string;
  /** Seconds since 1970 when it was kept: an HA1 is password-equivalent, so it must not live for ever. */
  savedAt: number;
}

/** How long a remembered login lasts unless the configuration says otherwise (`rememberDays`). */
export const DEFAULT_REMEMBER_DAYS = 30;

/** The little of Web Storage that remembering needs, so Node tests pass a Map-backed object. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const LOGIN_KEY = 'vodia-call.login';

/** A store in memory: where the browser refuses localStorage, and in tests. `map` shows what it holds. */
export function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

export function rememberLogin(store: KeyValueStore, account: string, password: string, realm: string, lang?: string,
  now = Math.floor(Date.now() / 1000)): RememberedLogin {
  const login: RememberedLogin = { account, ha1: computeHa1(accountUser(account), realm, password), realm, lang, savedAt: now };
  store.setItem(LOGIN_KEY, JSON.stringify(login));
  return login;
}

export interface RecallOptions {
  /** Seconds since 1970; default now. */
  now?: number;
  /** Days a login stays remembered; default DEFAULT_REMEMBER_DAYS. */
  maxAgeDays?: number;
}

/**
 * The remembered login for this realm, or undefined (none, unreadable, made for another realm,
 * or older than `maxAgeDays`). Anything unusable is forgotten on the way.
 */
export function recallLogin(store: KeyValueStore, realm: string, options: RecallOptions = {}): RememberedLogin | undefined {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const maxAge = (options.maxAgeDays ?? DEFAULT_REMEMBER_DAYS) * 86400;
  let raw: string | null;
  try {
    raw = store.getItem(LOGIN_KEY);
  } catch {
    return undefined; // storage disabled by the browser: behave as if nothing is remembered
  }
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<RememberedLogin>;
    // A login kept without a date (version 0.1), or dated more than a clock adjustment ahead, counts as expired.
    const age = typeof v.savedAt === 'number' ? now - v.savedAt : NaN;
    if (typeof v.account === 'string' && typeof v.ha1 === 'string' && /^[0-9a-f]{32}$/.test(v.ha1) &&
      v.realm === realm && age >= -300 && age <= maxAge) {
      return { account: v.account, ha1: v.ha1, realm: v.realm, lang: typeof v.lang === 'string' ? v.lang : undefined, savedAt: v.savedAt! };
    }
  } catch { /* corrupt entry: forget it below */ }
  forgetLogin(store);
  return undefined;
}

export function forgetLogin(store: KeyValueStore): void {
  try {
    store.removeItem(LOGIN_KEY);
  } catch { /* storage disabled: nothing was kept */ }
}
