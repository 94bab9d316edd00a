import type { ErrorCode } from '../core/error-codes.js';

/**
 * The phone as the UI sees it. The popup talks only to this interface, so its tests run
 * against a fake phone; the SIP.js implementation is `sip-phone.ts`.
 */
export interface Phone {
  /** Places a call; progress and the outcome arrive through the delegate. */
  call(request: CallRequest, delegate: PhoneDelegate): void;
  /** Ends the call (or stops it ringing); the delegate then hears `onEnded('local')`. */
  hangup(): void;
  /** Sends one keypad digit; false when no call can carry it. */
  sendDtmf(tone: string): boolean;
  setMuted(muted: boolean): void;
}

export interface CallRequest {
  destnumber: string;
  /** The caller's account, `ext` or `ext@domain`. */
  account: string;
  /** The password, or HA1 = md5(user:realm:password); none when an authorizer vouches instead. */
  password?: string;
  ha1?: string;
  /** Answers digest challenges on the server's side (signed links, docs/design.md §5). */
  authorizer?: DigestAuthorizer;
  /** Header lines for the INVITE (the caller context), already safe to send as they are. */
  headers?: string[];
}

export type CallProgress = 'ringing' | 'established' | 'reconnecting';

export interface PhoneDelegate {
  onProgress?(state: CallProgress): void;
  /** The call ended after it was set up, or was stopped by the visitor. */
  onEnded?(by: 'local' | 'remote'): void;
  onFailed?(code: ErrorCode): void;
}

/** A PBX's digest challenge to an INVITE, as the server that vouches for a link needs it. */
export interface DigestChallengeRequest {
  method: 'INVITE';
  /** The request URI of the challenged INVITE, e.g. `sip:100@pbx.example.com`. */
  uri: string;
  status: 401 | 407;
  /** The raw `WWW-Authenticate` or `Proxy-Authenticate` value. */
  challenge: string;
}

export interface DigestAnswer {
  /** `Authorization` or `Proxy-Authorization`. */
  header: string;
  value: string;
}

/**
 * Where the popup asks for a digest answer instead of holding a password. The WordPress
 * plugin's endpoint is one (`http-authorizer.ts`). Rejects with an `AuthorizeError`.
 */
export interface DigestAuthorizer {
  authorize(request: DigestChallengeRequest): Promise<DigestAnswer>;
}

export class AuthorizeError extends Error {
  constructor(readonly code: ErrorCode, message?: string) {
    super(message ?? code);
    this.name = 'AuthorizeError';
  }
}
