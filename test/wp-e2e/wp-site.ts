// The WordPress site and the PBX stack that scripts/wp/test-wp-e2e.sh started, and small helpers to talk to
// them as a browser, a visitor or someone holding a signed link would. Read from
//   VODIA_WP_SITE_JSON  the WordPress stack's site.json (URL, admin and subscriber logins)
//   VODIA_PBX_RUN_DIR   the PBX stack's run folder (stack.json: ws URL, domain, accounts, numbers)
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { readStack } from '../../scripts/pbx/baresip-control.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

export interface Site {
  url: string;
  admin: { user: string; password: string };
  subscriber: { user: string; password: string };
}
/** The parts of the PBX stack's stack.json these tests use. */
export interface Stack {
  ws: string; domain: string;
  accounts: { user: string; password: string }[];
  numbers: Record<'echo' | 'tone' | 'hangup' | 'noAnswer' | 'pcmuEcho', string>;
  baresipCtrl: { host: string; port: number };
  hangupAfterMs: number;
}
export interface BaresipEvent { type: string; param?: string; [k: string]: unknown }
/** The far end's control connection (scripts/pbx/baresip-control.mjs). */
export interface Baresip {
  mark(): number;
  waitFor(pred: (e: BaresipEvent) => boolean, timeoutMs?: number, opts?: { since?: number }): Promise<BaresipEvent>;
  hangupAll(): Promise<void>;
  close(): void;
  settle(quietMs?: number): Promise<void>;
}

export const site: Site = JSON.parse(fs.readFileSync(process.env.VODIA_WP_SITE_JSON ?? path.join(REPO_ROOT, '.run/wp/site.json'), 'utf8'));
export const pbx: Stack = readStack(process.env.VODIA_PBX_RUN_DIR);
export const account = pbx.accounts.find((a) => a.user === '40') ?? pbx.accounts[0];
export const PASSWORD = account.password;
export const SHOTS = path.join(REPO_ROOT, 'test-output/wp-e2e');

export async function login(context: BrowserContext, user: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site.url}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
  return page;
}

/** Every text the browser received from WordPress, checked for the password at the end. */
export const seen: { url: string; body: string }[] = [];

/** Records every response body from the site (HTML, JSON) for the password check. */
export function recordResponses(context: BrowserContext): void {
  context.on('response', async (r) => {
    if (!r.url().startsWith(site.url)) return;
    const type = r.headers()['content-type'] ?? '';
    if (!/html|json|javascript|text/.test(type)) return;
    try {
      seen.push({ url: r.url(), body: await r.text() });
    } catch {
      // Redirects and aborted loads have no body.
    }
  });
}

export interface SignedLink { destnumber: string; user: string; time: string; duration: string; pass: string }

/**
 * A link signed with the extension's password, as someone who obtained one earlier (or the site itself) would
 * hold it; fields may be changed before signing (a line break in them, say).
 */
export function signLink(destnumber: string, changes: Partial<Omit<SignedLink, 'pass'>> = {}): SignedLink {
  const fields = { destnumber, user: `${account.user}@${pbx.domain}`, time: String(Math.floor(Date.now() / 1000)), duration: '600', ...changes };
  const pass = crypto.createHash('md5').update(fields.user + PASSWORD + fields.destnumber + fields.time + fields.duration).digest('hex');
  return { ...fields, pass };
}

/** The digest endpoint's answer: its status and JSON body (undefined when the body is not JSON). */
export interface Authorized { status: number; body: { code?: string; value?: string } | undefined }

/** Posts to the digest endpoint as the popup would, for a signed link, and returns status and body. */
export async function authorize(context: BrowserContext, link: SignedLink, changes: Record<string, unknown> = {}): Promise<Authorized> {
  const r = await context.request.post(`${site.url}/wp-json/vodia-call/v1/authorize`, {
    data: {
      ...link, method: 'INVITE', uri: `sip:${link.destnumber}@${pbx.domain}`, status: 407,
      challenge: `Digest realm="${pbx.domain}", nonce="e2e${Date.now()}", qop="auth"`, ...changes,
    },
  });
  return { status: r.status(), body: await r.json().catch(() => undefined) };
}

export async function restNonce(page: Page): Promise<string> {
  const r = await page.request.get(`${site.url}/wp-admin/admin-ajax.php?action=rest-nonce`);
  expect(r.status()).toBe(200);
  return (await r.text()).trim();
}

/**
 * Serves `html` from another origin (another port on loopback: Chromium keeps public pages from framing or
 * reaching loopback at all) while `run` gets its URL; closed afterwards.
 */
export async function withOtherSite(html: string, run: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
