import type { ErrorCode } from './error-codes.js';

/**
 * The one string catalogue's English: complete, and the fallback. The other languages live in
 * core/i18n/<lang>.ts with every key (a unit test checks); the popup bundle carries English only
 * and loads the visitor's language as a file the build writes (dist/i18n/<lang>.json), so twelve
 * languages cost a visitor one. `{name}` placeholders are filled by `format`.
 */
export const en = {
  title: 'Call {number}',
  account: 'Account',
  accountHint: 'e.g. 40 or 40@domain',
  password: 'Password',
  language: 'Language',
  remember: 'Remember login information',
  call: 'Call',
  confirmCall: 'Call {number} as {account}?',
  confirmSigned: 'Call {number}?',
  missingLogin: 'Enter your account and password.',
  connecting: 'Connecting…',
  microphone: 'Waiting for the microphone…',
  ringing: 'Ringing…',
  established: 'Connected',
  reconnecting: 'Reconnecting…',
  ended: 'Call ended',
  hangup: 'Hang up',
  mute: 'Mute',
  keypad: 'Keypad',
  callTime: 'Call time',
  logout: 'Log out',
  callAgain: 'Call again',
  tryAgain: 'Try again',
  loginAgain: 'Log in again',
  close: 'Close',
  callInProgress: 'A call is in progress. End it and call {number}?',
  'err.auth-failed': 'Wrong account or password.',
  'hint.auth-failed': 'Check the account and password, then log in again.',
  'err.link-expired': 'This call link has expired.',
  'hint.link-expired': 'Reload the page that has the link and click it again.',
  'err.link-invalid': 'This call link is not valid.',
  'hint.link-invalid': 'Ask the site owner for a working link.',
  'err.mic-denied': 'Microphone access was denied.',
  'hint.mic-denied': 'Allow the microphone for this site (the icon in the address bar), then try again.',
  'err.no-mic': 'No microphone was found.',
  'hint.no-mic': 'Connect a headset or microphone, then try again.',
  'err.pbx-unreachable': 'The phone system cannot be reached.',
  'hint.pbx-unreachable': 'Check your internet connection or try again later.',
  'err.busy': 'The line is busy.',
  'hint.busy': 'Try again in a few minutes.',
  'err.not-found': 'This number does not exist.',
  'hint.not-found': 'Check the number on the page.',
  'err.rejected': 'The call was rejected.',
  'hint.rejected': 'Try again later.',
  'err.no-answer': 'Nobody answered.',
  'hint.no-answer': 'Try again later.',
  'err.network': 'The connection was lost.',
  'hint.network': 'Check your internet connection, then call again.',
  'err.media-blocked': 'Your network blocks the call’s audio.',
  'hint.media-blocked': 'Try another network (mobile data, say), or ask the site owner to set up a TURN server.',
  'err.config': 'This call page is not set up correctly.',
  'hint.config': 'The site owner must fix makecall.config.json.',
  'err.framed': 'This call window cannot run inside another page.',
  'hint.framed': 'Open the call link directly in your browser.',
  // Office hours and browsers without WebRTC: the closed and unsupported failures, their fallback actions
  'err.closed': 'We are closed now.',
  'hint.closed': 'Please try again during our office hours.',
  opensAgain: 'We open again on {day} at {time}.',
  'err.unsupported': 'This browser cannot place calls.',
  'hint.unsupported': 'Open this page in another browser, such as Firefox, Chrome, Edge or Safari.',
  contactUs: 'Contact us',
  callTel: 'Call {tel}',
  // The connection test (makecall.html?check)
  'chk.link': 'Test my connection',
  'chk.title': 'Connection test',
  'chk.again': 'Test again',
  'chk.back': 'Back to the call',
  'chk.mic': 'Microphone',
  'chk.level': 'Microphone level',
  'chk.pbx': 'Phone system',
  'chk.ice': 'Network',
  'chk.found': 'Found: {list}.',
  'chk.type.host': 'local address',
  'chk.type.srflx': 'public address (STUN)',
  'chk.type.relay': 'relay (TURN)',
  'chk.sum.running': 'Testing…',
  'chk.sum.ok': 'Your browser and network are ready for calls.',
  'chk.sum.warn': 'Calls should work. See the notes below.',
  'chk.sum.bad': 'Calls will not work yet. See below what to do.',
  'chk.mic.asking': 'Allow the microphone when your browser asks.',
  'chk.mic.ok': 'Your microphone works.',
  'chk.mic.on': 'The microphone is on. Click anywhere on this page to see its level.',
  'chk.mic.silent': 'The microphone hears nothing. Say something, and check that it is not muted.',
  'chk.mic.denied': 'Microphone access was denied. Allow it for this site (the icon in the address bar), then test again.',
  'chk.mic.no-mic': 'No microphone was found. Connect a headset or microphone, then test again.',
  'chk.mic.unsupported': 'This browser cannot place calls. Open this page in another browser.',
  'chk.pbx.opening': 'Connecting to the phone system…',
  'chk.pbx.ok': 'The phone system can be reached.',
  'chk.pbx.unreachable': 'The phone system cannot be reached. Check your internet connection; if other sites work, your network may block it: tell the site owner.',
  'chk.pbx.config': 'Not tested: this call page is not set up correctly. The site owner must fix makecall.config.json.',
  'chk.ice.gathering': 'Testing how call audio can pass your network…',
  'chk.ice.unsupported': 'This browser cannot place calls. Open this page in another browser.',
  'chk.ice.config': 'Not tested: this call page is not set up correctly.',
  'chk.ice.offline': 'No network connection was found. Check your internet connection.',
  'chk.ice.ok': 'Calls will work.',
  'chk.ice.relay': 'Your network blocks direct audio, but calls will work through the site’s relay (TURN) server.',
  'chk.ice.blocked': 'Your network blocks call audio. Try another network (mobile data, say), or ask the site owner for a TURN server.',
  'chk.ice.blocked-turn': 'Your network blocks call audio, and the TURN server could not be reached. Try another network, or tell the site owner.',
  'chk.ice.turn-down': 'The TURN server could not be reached: tell the site owner. Calls work only where the network lets audio through directly.',
  'chk.ice.turn-needed': 'Calls need the site’s TURN server, and it could not be reached. Tell the site owner.',
  'chk.ice.turn-refused': 'The TURN server refused its login: tell the site owner.',
  'chk.ice.unknown': 'No STUN or TURN server is set up, so this test cannot tell whether call audio can pass your network.',
};
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;


/** Language names in their own language, for the login form's select. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', it: 'Italiano', nl: 'Nederlands',
  pt: 'Português', pl: 'Polski', sv: 'Svenska', da: 'Dansk', cs: 'Čeština', tr: 'Türkçe',
};

export const SUPPORTED_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'cs', 'tr'];

/** The first supported language among the candidates (`de-AT` counts as `de`), else English. */
export function pickLanguage(candidates: readonly (string | undefined | null)[]): string {
  for (const c of candidates) {
    if (!c) continue;
    const base = c.toLowerCase().split(/[-_]/)[0];
    if (SUPPORTED_LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function format(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => params[name] ?? m);
}

export type Translate = (key: MessageKey, params?: Record<string, string>) => string;

/** A translator for a catalogue (none: English); falls back to English key by key. */
export function translator(catalogue?: Partial<Catalogue>): Translate {
  return (key, params) => format(catalogue?.[key] ?? en[key], params);
}

export function errorMessageKeys(code: ErrorCode): [MessageKey, MessageKey] {
  return [`err.${code}`, `hint.${code}`];
}
