import { errorForLinkRejection } from '../core/error-codes.js';
import type { SignedCallLink } from '../core/call-link.js';
import { AuthorizeError, type DigestAnswer, type DigestAuthorizer, type DigestChallengeRequest } from './phone.js';

/**
 * Asks the site that signed a link to answer the PBX's challenge (docs/design.md §5):
 * POST { link fields, method, uri, status, challenge } -> { header, value }.
 * The URL comes from the deployment's configuration, never from the link.
 */
export function createHttpAuthorizer(url: string, link: SignedCallLink, fetchFn: typeof fetch = fetch): DigestAuthorizer {
  return {
    async authorize(request: DigestChallengeRequest): Promise<DigestAnswer> {
      let response: Response;
      try {
        response = await fetchFn(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'omit',
          body: JSON.stringify({
            destnumber: link.destnumber, user: link.user, pass: link.pass, time: link.time, duration: link.duration,
            ...request,
          }),
        });
      } catch (e) {
        throw new AuthorizeError('network', `authorize endpoint unreachable: ${String(e)}`);
      }
      const body = (await response.json().catch(() => ({}))) as { code?: string; header?: unknown; value?: unknown };
      if (response.ok && typeof body.header === 'string' && typeof body.value === 'string' &&
        /^(?:Proxy-)?Authorization$/i.test(body.header) && !/[\r\n]/.test(body.value)) {
        return { header: body.header, value: body.value };
      }
      if (response.status === 403 || response.status === 400) throw new AuthorizeError(errorForLinkRejection(body.code), body.code);
      throw new AuthorizeError('rejected', `authorize endpoint answered ${response.status}`);
    },
  };
}
