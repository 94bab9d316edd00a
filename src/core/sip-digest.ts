import md5 from 'blueimp-md5';

/**
 * HA1 = md5(username:realm:password): what SIP digest needs in place of the password,
 * and all a remembered login keeps (docs/design.md §3).
 */
export function computeHa1(username: string, realm: string, password: string): string {
  return md5(`${username}:${realm}:${password}`);
}

/** The digest username of an account written `ext` or `ext@domain`. */
export function accountUser(account: string): string {
  const at = account.indexOf('@');
  return at < 0 ? account : account.slice(0, at);
}

/** The domain part of `ext@domain`, if any. */
export function accountDomain(account: string): string | undefined {
  const at = account.indexOf('@');
  return at < 0 ? undefined : account.slice(at + 1);
}
