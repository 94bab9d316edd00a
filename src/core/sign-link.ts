import md5 from 'blueimp-md5';
import { appendLinkParams, DESTNUMBER_PATTERN, unsignedCallLink } from './call-link.js';

export interface SignInput {
  user: string;
  password: string;
  destnumber: string;
  time: string | number;
  duration: string | number;
}

/**
 * pass = md5(user + password + destnumber + time + duration), UTF-8, lowercase hex.
 * No separators: that is the Vodia format, and why checkSignedLink's rules matter.
 */
export function signLink(input: SignInput): string {
  return md5(`${input.user}${input.password}${input.destnumber}${input.time}${input.duration}`);
}

export interface BuildLinkInput {
  destnumber: string;
  user?: string;
  password?: string;
  /** Seconds since 1970; defaults to now. */
  time?: number;
  /** Seconds the link stays valid; defaults to 3600. */
  duration?: number;
  lang?: string;
}

/** Builds a makecall link; signed when a password is given. Every value percent-encoded. */
export function buildCallLink(popupUrl: string, input: BuildLinkInput): string {
  if (input.password === undefined) {
    const link = unsignedCallLink(popupUrl, input.destnumber, input.lang);
    return input.user ? appendLinkParams(link, [['user', input.user]]) : link;
  }
  if (!DESTNUMBER_PATTERN.test(input.destnumber)) {
    throw new RangeError(`destnumber must match ${DESTNUMBER_PATTERN}: ${JSON.stringify(input.destnumber)}`);
  }
  if (!input.user) throw new TypeError('signing a link needs the user it signs for');
  const time = String(input.time ?? Math.floor(Date.now() / 1000));
  const duration = String(input.duration ?? 3600);
  const pass = signLink({ user: input.user, password: input.password, destnumber: input.destnumber, time, duration });
  const parts: [string, string][] = [
    ['destnumber', input.destnumber], ['user', input.user], ['pass', pass], ['time', time], ['duration', duration],
  ];
  if (input.lang) parts.push(['lang', input.lang]);
  return appendLinkParams(popupUrl, parts);
}
