import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pbxStack } from './global-setup.js';
import {
  BROWSERS, click, getAttribute, login, newVisitor, screenshotPath, sleep, startHarness, waitState,
  type BrowserKind, type Harness, type Visitor,
} from './call-harness.js';

// The caller context and the call events through real calls: a site page with the built binder, the
// built popup, Kamailio logging what each INVITE carried (scripts/pbx/kamailio.cfg.tmpl, "call-context:"
// lines: the header values, and how many header lines of each name, X-Evil included).

/** Link texts a hostile page could give data-vodia-context, each trying to start a header of its own. */
const HOSTILE: Record<string, string> = {
  crlf: 'Sales\r\nX-Evil: 1',
  lf: 'Sales\nX-Evil: 1',
  encoded: 'Sales%0d%0aX-Evil: 1',
  lineSeparator: 'Sales\u2028X-Evil: 1',
  long: `${'A'.repeat(250)}\r\nX-Evil: 1${'B'.repeat(300)}`,
  longPlain: `${'A'.repeat(250)}X-Evil: 1${'B'.repeat(300)}`,
};
const GOOD_CONTEXT = 'Vertrieb – Zürich 😀 "A&B"';

/** The site page: events and dataLayer recorded; `query`: the binder sends the page's query too. */
function sitePage(numbers: { echo: string; busy: string }, query: boolean): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
  const hostile = Object.entries(HOSTILE).map(([id, text]) => `<a href="#" id="${id}" data-vodia-call="${numbers.busy}" data-vodia-context="${attr(text)}">${id}</a>`).join(' ');
  return `<!doctype html><meta charset="utf-8"><title>context</title><link rel="icon" href="data:,">
<script>window.__events = []; document.addEventListener('vodia-call:state', (e) => window.__events.push(e.detail));</script>
<script src="/vodia-call.js" data-popup-url="/makecall.html" data-datalayer${query ? ' data-page-query' : ''} defer></script>
<a href="#" id="good" data-vodia-call="${numbers.echo}" data-vodia-context="${attr(GOOD_CONTEXT)}">good</a>
<a href="#" id="plain" data-vodia-call="${numbers.busy}">plain</a> ${hostile}`;
}

interface Logged { cseq: number; auth: number; pages: number; contexts: number; evil: number; page: string; context: string; decoded: string }

/** calls.e2e.test.ts ends by killing and stopping the suite's stack; this file may run after it. */
let stackFresh = false;

describe.each(BROWSERS)('%s', (kind: BrowserKind) => {
  let h: Harness;
  const account = () => h.stack.accounts[0];

  beforeAll(async () => {
    if (!stackFresh) {
      pbxStack('stop');
      pbxStack('start');
      stackFresh = true;
    }
    h = await startHarness(kind, {
      files: {
        '/context.html': () => sitePage(h.stack.numbers, false),
        '/context-query.html': () => sitePage(h.stack.numbers, true),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The "call-context:" lines Kamailio logs from now on, for the INVITEs of one call. */
  function kamailioLog() {
    const file = h.stack.logs.kamailio;
    const from = statSync(file).size;
    const read = (): Logged[] => readFileSync(file).subarray(from).toString('utf8').split('\n')
      .map((l) => /call-context: cseq=(\d+) auth=(\d+) pages=(\d+) contexts=(\d+) evil=(\d+) page=\[(.*?)\] context=\[(.*?)\] decoded=\[(.*)\]$/s.exec(l)) // s: a decoded U+2028 is no line end here
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ cseq: +m[1], auth: +m[2], pages: +m[3], contexts: +m[4], evil: +m[5], page: m[6], context: m[7], decoded: m[8] }));
    return {
      /** Waits for the challenged INVITE and its authorized repeat. */
      async invites(): Promise<Logged[]> {
        for (let waited = 0; waited < 5000 && read().length < 2; waited += 100) await sleep(100);
        return read();
      },
    };
  }

  /** Opens `path` on the visitor's page, clicks `id`, logs in; resolves with the popup. */
  async function callFrom(v: Visitor, path: string, id: string) {
    await v.page.goto(`${h.server.url}${path}`);
    await v.page.waitForFunction(() => 'VodiaCall' in window);
    const popup = await v.click(id);
    await login(popup, account().user, account().password);
    return popup;
  }
  const events = (v: Visitor) => v.page.evaluate(() => (window as unknown as { __events: unknown[] }).__events);
  const dataLayer = (v: Visitor) => v.page.evaluate(() => (window as unknown as { dataLayer?: unknown[] }).dataLayer);

  it('the page and the context reach the PBX, on the challenged INVITE and on its authorized repeat; the page hears connecting..established..ended', async () => {
    const v = await newVisitor(h, 'caller context');
    const log = kamailioLog();
    const popup = await callFrom(v, '/context.html?utm_source=mail#top', 'good');
    await waitState(popup, 'established');
    const invites = await log.invites();
    const expected = {
      pages: 1, contexts: 1, evil: 0,
      // origin and path only: no query (no data-page-query), never the fragment
      page: `${h.server.url}/context.html`,
      context: encodeURIComponent(GOOD_CONTEXT),
      decoded: GOOD_CONTEXT, // Kamailio's {s.urldecode.param}, as the README shows it
    };
    expect(invites.map((i) => ({ cseq: i.cseq, auth: i.auth }))).toEqual([{ cseq: 1, auth: 0 }, { cseq: 2, auth: 1 }]);
    for (const i of invites) expect(i).toMatchObject(expected);
    await popup.screenshot({ path: screenshotPath(h, 'caller-context-established') });
    await click(popup, '[data-action="hangup"]');
    await v.page.waitForFunction(() => (window as unknown as { __events: { state: string }[] }).__events.some((e) => e.state === 'ended'), { timeout: 10_000 });
    const got = (await events(v)) as { number: string; state: string; error?: string }[];
    const states = got.map((e) => e.state);
    // ringing only if the far end rang before it answered
    expect(states.filter((s) => s !== 'ringing')).toEqual(['connecting', 'established', 'ended']);
    expect(got.every((e) => e.number === h.stack.numbers.echo && e.error === undefined)).toBe(true);
    expect(((await dataLayer(v)) as { vodia_call_state: string }[]).map((e) => e.vodia_call_state)).toEqual(states);
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it('a failed call: the page hears failed with its error, and dataLayer gets it', async () => {
    const v = await newVisitor(h, 'failed event');
    const popup = await callFrom(v, '/context.html', 'plain');
    await waitState(popup, 'failed');
    expect(await getAttribute(popup, '[role="alert"]', 'data-error')).toBe('busy');
    await v.page.waitForFunction(() => (window as unknown as { __events: { state: string }[] }).__events.some((e) => e.state === 'failed'), { timeout: 5000 });
    expect(await events(v)).toEqual([
      { number: h.stack.numbers.busy, state: 'connecting' },
      { number: h.stack.numbers.busy, state: 'failed', error: 'busy' },
    ]);
    expect(await dataLayer(v)).toEqual([
      { event: 'vodia_call', vodia_call_state: 'connecting', vodia_call_number: h.stack.numbers.busy },
      { event: 'vodia_call', vodia_call_state: 'failed', vodia_call_number: h.stack.numbers.busy },
    ]);
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it.each(Object.keys(HOSTILE))('a hostile link context (%s) creates no header of its own', async (id) => {
    const v = await newVisitor(h, `hostile ${id}`);
    const log = kamailioLog();
    const popup = await callFrom(v, '/context.html', id);
    await waitState(popup, 'failed'); // the busy number: the INVITEs are what matters here
    const invites = await log.invites();
    expect(invites).toHaveLength(2);
    for (const i of invites) {
      expect(i.evil, 'X-Evil header lines').toBe(0);
      expect(i.pages).toBe(1);
      expect(i.page).toBe(`${h.server.url}/context.html`);
      const text = HOSTILE[id];
      if (/[\r\n]/.test(text)) {
        // refused by the popup: no context at all rather than a cleaned-up guess
        expect(i.contexts).toBe(0);
      } else {
        // harmless as text: it arrives encoded, one header line, and decodes back to what the page said
        // (its first 256 characters)
        const sent = Array.from(text).slice(0, 256).join('');
        expect(i.contexts).toBe(1);
        expect(i.context).toBe(encodeURIComponent(sent));
        expect(i.decoded).toBe(sent);
      }
    }
    expect(v.problems).toEqual([]);
    await v.close();
  });

  it('with data-page-query, a hostile query string arrives percent-encoded in X-Call-Page, no header of its own', async () => {
    const v = await newVisitor(h, 'page query');
    const log = kamailioLog();
    const popup = await callFrom(v, '/context-query.html?q=%0d%0aX-Evil:%201&lang=%E6%97%A5', 'plain');
    await waitState(popup, 'failed');
    const invites = await log.invites();
    expect(invites).toHaveLength(2);
    for (const i of invites) {
      expect(i).toMatchObject({ pages: 1, contexts: 0, evil: 0, page: `${h.server.url}/context-query.html?q=%0d%0aX-Evil:%201&lang=%E6%97%A5` });
    }
    await v.close();
  });

  it('"callerContext": false sends neither header', async () => {
    h.setConfig({ callerContext: false });
    try {
      const v = await newVisitor(h, 'caller context off');
      const log = kamailioLog();
      const popup = await callFrom(v, '/context.html', 'encoded');
      await waitState(popup, 'failed');
      const invites = await log.invites();
      expect(invites).toHaveLength(2);
      for (const i of invites) expect(i).toMatchObject({ pages: 0, contexts: 0, evil: 0 });
      await v.close();
    } finally {
      h.setConfig({});
    }
  });
});
