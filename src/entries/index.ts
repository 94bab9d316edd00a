// The ESM API, for sites that bundle their own code and for Node (signing links on a server).
// No side effects: importing it binds nothing.
export { isSigned, parseCallLink, unsignedCallLink, DESTNUMBER_PATTERN } from '../core/call-link.js';
export type { CallLinkParams, SignedCallLink } from '../core/call-link.js';
export { buildCallLink, signLink } from '../core/sign-link.js';
export type { BuildLinkInput, SignInput } from '../core/sign-link.js';
export { checkLinkRules, checkSignedLink, DEFAULT_MAX_DURATION, MAX_FUTURE_SKEW } from '../core/check-signed-link.js';
export type { CheckOptions, LinkCheck, LinkRejection } from '../core/check-signed-link.js';
export { ERROR_CODES, errorForSipStatus } from '../core/error-codes.js';
export type { ErrorCode } from '../core/error-codes.js';
export type { CallState } from '../core/call-state.js';
export { parsePopupConfig } from '../core/popup-config.js';
export type { PopupConfig } from '../core/popup-config.js';
export { computeHa1 } from '../core/sip-digest.js';
export { bindCallLinks, callUrlFor, openCall } from '../binder/bind-call-links.js';
export type { BinderOptions } from '../binder/bind-call-links.js';
export type { Phone, PhoneDelegate, CallRequest, DigestAuthorizer, DigestChallengeRequest, DigestAnswer } from '../phone/phone.js';
