import { isSigned, type CallLinkParams } from './call-link.js';
import { checkLinkFormat, checkLinkRules } from './check-signed-link.js';
import type { ErrorCode } from './error-codes.js';
import { isOpen } from './office-hours.js';
import { originOf, type PopupConfig } from './popup-config.js';
import type { RememberedLogin } from './remembered-login.js';

/** Who vouches for the call: the site's authorizing server (a signed link) or the remembered login. */
export type CallerProof = 'signed-link' | 'remembered-login';

/**
 * What the popup does when it opens: dial at once, ask "Call N?" first, show the login form,
 * or fail with a code. No DOM and no SIP: the popup's whole start policy, testable with plain objects.
 */
export type StartDecision =
  | { kind: 'call'; proof: CallerProof }
  | { kind: 'ask'; proof: CallerProof }
  | { kind: 'login' }
  | { kind: 'fail'; code: ErrorCode };

export interface StartInput {
  /** The parsed link; undefined when the popup's URL is no valid makecall link. */
  link: CallLinkParams | undefined;
  /** The checked configuration; undefined when it is missing or broken. */
  config: PopupConfig | undefined;
  /** The login remembered for this realm and still fresh, if any. */
  remembered: RememberedLogin | undefined;
  /** The popup's own URL. */
  location: string;
  /** The page that opened the popup (document.referrer); empty or undefined when unknown. */
  referrer: string | undefined;
  /** The popup runs inside a frame of another page. */
  framed: boolean;
  /** A server can vouch for signed links (config.authorizeUrl and an authorizer to reach it). */
  canAuthorize: boolean;
  /** The browser has RTCPeerConnection and navigator.mediaDevices.getUserMedia. */
  webrtc: boolean;
  /** Seconds since 1970. */
  now: number;
}

/**
 * Whether the page that opened the popup may have it dial without asking: pages of the popup's
 * own origin and of the configured trusted origins. Anything else (another site, a stripped
 * referrer) could open the popup with any number, so the visitor confirms first (toll fraud,
 * and a visitor who once allowed the microphone would be heard by the callee without a click).
 */
export function isTrustedOpener(referrer: string | undefined, location: string, trustedOrigins: readonly string[]): boolean {
  const from = referrer ? originOf(referrer) : undefined;
  return from !== undefined && (from === originOf(location) || trustedOrigins.includes(from));
}

export function decideStart(input: StartInput): StartDecision {
  const { link, config } = input;
  // A framing page could lay its own buttons over ours (clickjacking); nothing runs in a frame.
  if (input.framed) return { kind: 'fail', code: 'framed' };
  if (!config) return { kind: 'fail', code: 'config' };
  // Neither failure asks for anything first: no login form, no microphone, no WebSocket.
  if (!input.webrtc) return { kind: 'fail', code: 'unsupported' };
  if (config.officeHours && !isOpen(config.officeHours, input.now * 1000)) return { kind: 'fail', code: 'closed' };
  if (!link) return { kind: 'fail', code: 'link-invalid' };
  const trusted = isTrustedOpener(input.referrer, input.location, config.trustedOrigins);
  if (isSigned(link)) {
    if (config.authorizeUrl && input.canAuthorize) {
      // The server that vouches judges the time window by its own clock; a visitor's clock may be off.
      if (!checkLinkFormat(link).ok) return { kind: 'fail', code: 'link-invalid' };
      return { kind: trusted ? 'call' : 'ask', proof: 'signed-link' };
    }
    const rules = checkLinkRules(link, input.now);
    if (!rules.ok) return { kind: 'fail', code: rules.reason === 'expired' ? 'link-expired' : 'link-invalid' };
    return { kind: 'login' }; // no server here can vouch for the signature: the visitor logs in
  }
  if (input.remembered) return { kind: trusted ? 'call' : 'ask', proof: 'remembered-login' };
  return { kind: 'login' };
}
