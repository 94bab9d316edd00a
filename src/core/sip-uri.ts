/**
 * The user part of a SIP URI for a dialled number. `#` is not allowed there unescaped (RFC 3261
 * section 25.1): SIP.js refuses `sip:*31#@host`, so it travels as `%23`; digits, `+` and `*` may stand.
 */
export function sipUserForNumber(destnumber: string): string {
  return destnumber.replace(/#/g, '%23');
}
