/** The failures of docs/design.md §3, as the popup's `data-error` values. */
export const ERROR_CODES = [
  'auth-failed', 'link-expired', 'link-invalid', 'mic-denied', 'no-mic', 'pbx-unreachable',
  'busy', 'not-found', 'rejected', 'no-answer', 'network',
  // Answered, but no audio path: ICE failed (UDP blocked and no TURN). Its own code, since the
  // fix is the visitor's network or the site's TURN server, not trying again.
  'media-blocked',
  // Not a call failure but a deployment one: makecall.config.json missing or broken.
  'config',
  // The popup was loaded inside another page's frame, where that page could lay its own
  // buttons over ours (clickjacking); it refuses to run there.
  'framed',
  // Outside the configured office hours: no call is placed; the popup says when it opens again.
  'closed',
  // The browser has no WebRTC (no RTCPeerConnection or getUserMedia): no call can work in it.
  'unsupported',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Maps a final SIP response of an INVITE to an error code.
 * `credentialsSent`: a second 401/407 after credentials went out means a wrong password;
 * many PBXs (Kamailio among them) challenge again instead of answering 403.
 */
export function errorForSipStatus(status: number, credentialsSent: boolean): ErrorCode {
  switch (status) {
    case 401: case 407: return 'auth-failed';
    case 403: return credentialsSent ? 'auth-failed' : 'rejected';
    case 486: case 600: return 'busy';
    case 404: case 484: case 604: return 'not-found';
    case 408: case 480: case 487: return 'no-answer';
    case 502: case 503: case 504: return 'pbx-unreachable';
    default: return 'rejected';
  }
}

/** getUserMedia's errors, by DOMException name. */
export function errorForMicrophone(name: string | undefined): ErrorCode {
  switch (name) {
    case 'NotFoundError': case 'OverconstrainedError': case 'DevicesNotFoundError': return 'no-mic';
    // NotReadableError: the device exists but another program holds it; the fix is the same
    // as for a denial (close the other program or allow access), so say it the same way.
    default: return 'mic-denied';
  }
}

/** A rejection from the server that vouches for signed links, by its `code`. */
export function errorForLinkRejection(code: string | undefined): ErrorCode {
  return code === 'expired' ? 'link-expired' : 'link-invalid';
}
