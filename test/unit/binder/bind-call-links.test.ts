// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindCallLinks, callUrlFor, DEFAULT_FEATURES } from '../../../src/binder/bind-call-links.js';

const POPUP = 'https://calls.example/makecall.html';
/** The page the links are on, as the binder tells the popup: origin and path, no query or fragment. */
const PAGE_URL = 'https://shop.example/contact/?q=shoes#top';
const PAGE = `&page=${encodeURIComponent('https://shop.example/contact/')}`;
let cleanup: (() => void) | undefined;
let open: ReturnType<typeof vi.fn>;
let popup: { closed: boolean; focus: ReturnType<typeof vi.fn> };

function clickOn(el: Element, init: MouseEventInit = {}) {
  const e = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
  el.dispatchEvent(e);
  return e;
}

/** A click the binder leaves alone moves happy-dom's document to the link's URL: back to the page. */
const backToPage = () => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(PAGE_URL);

beforeEach(() => {
  backToPage();
  document.body.innerHTML = '';
  popup = { closed: false, focus: vi.fn() };
  open = vi.fn(() => popup);
  window.open = open as unknown as typeof window.open;
  window.confirm = vi.fn(() => true); // happy-dom has none
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  popup.closed = true; // the page's one call window outlives a test: close it
});

describe('data-vodia-call elements', () => {
  it('opens the popup with the spec window features, from one listener on the root', () => {
    document.body.innerHTML = '<p><a href="#" data-vodia-call="1234567890"><b>John Smith</b></a></p>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const e = clickOn(document.querySelector('b')!);
    expect(e.defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith(`${POPUP}?destnumber=1234567890${PAGE}`, 'vodiacall', DEFAULT_FEATURES);
    expect(DEFAULT_FEATURES).toBe('width=230,height=300,left=200,location=0');
    expect(popup.focus).toHaveBeenCalled();
  });

  it('passes data-lang, and lets the window features be overridden', () => {
    document.body.innerHTML = '<button data-vodia-call="+4930123" data-lang="de">Call</button>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, features: 'width=300,height=400' });
    clickOn(document.querySelector('button')!);
    expect(open).toHaveBeenCalledWith(`${POPUP}?destnumber=%2B4930123&lang=de${PAGE}`, 'vodiacall', 'width=300,height=400');
  });

  it('opens the href of a link that already is a popup link on the popup\'s origin (the WordPress plugin style)', () => {
    document.body.innerHTML = '<a href="/?vodia_call_popup=1&destnumber=100" data-vodia-call="100">x</a>';
    const popupUrl = new URL('/?vodia_call_popup=1', document.baseURI).href;
    cleanup = bindCallLinks(document, { popupUrl });
    clickOn(document.querySelector('a')!);
    expect(open.mock.calls[0]).toEqual([new URL('/?vodia_call_popup=1&destnumber=100', document.baseURI).href + PAGE, 'vodiacall', DEFAULT_FEATURES]);
  });

  it('works for links added after binding', () => {
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    document.body.insertAdjacentHTML('beforeend', '<a href="#" data-vodia-call="42">late</a>');
    clickOn(document.querySelector('a')!);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['an invalid number', '<a href="#x" data-vodia-call="12ab">bad</a>'],
    ['a popup link of another origin', '<a href="https://evil.example/fake-call.html?destnumber=100" data-vodia-call="100">x</a>'],
  ])('opens nothing for %s, and leaves the click to the browser', (_c, html) => {
    document.body.innerHTML = html;
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    let left = true;
    // Record what the binder did, then stop happy-dom from following the link away from this document.
    document.addEventListener('click', (e) => { left = !e.defaultPrevented; e.preventDefault(); }, { once: true });
    clickOn(document.querySelector('a')!);
    expect(left).toBe(true);
    expect(open).not.toHaveBeenCalled();
  });

  it('keeps ctrl/cmd/shift-click and middle-click for the browser', () => {
    document.body.innerHTML = `<a href="${POPUP}?destnumber=1">x</a>`;
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const a = document.querySelector('a')!;
    for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { button: 1 }]) {
      expect(clickOn(a, init).defaultPrevented).toBe(false);
    }
    expect(open).not.toHaveBeenCalled();
  });

  it('makes elements added later, and <a> without href, keyboard buttons too', async () => {
    document.body.innerHTML = '<a data-vodia-call="100">no href</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const bare = document.querySelector('a')!;
    expect([bare.getAttribute('role'), bare.getAttribute('tabindex')]).toEqual(['button', '0']);
    document.body.insertAdjacentHTML('beforeend', '<div><span data-vodia-call="200">late</span></div>');
    await new Promise((r) => setTimeout(r, 0)); // MutationObserver callbacks run as a microtask
    const late = document.querySelector('span')!;
    expect([late.getAttribute('role'), late.getAttribute('tabindex')]).toEqual(['button', '0']);
    late.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    bare.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true }));
    expect(open.mock.calls.map((c) => c[0])).toEqual([`${POPUP}?destnumber=200${PAGE}`, `${POPUP}?destnumber=100${PAGE}`]);
  });

  it('makes plain elements keyboard buttons (role, tabindex, Enter and Space)', () => {
    document.body.innerHTML = '<span data-vodia-call="100">Sales</span><span data-vodia-call="101" tabindex="-1">x</span>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const [span, own] = Array.from(document.querySelectorAll('span'));
    expect(span.getAttribute('role')).toBe('button');
    expect(span.getAttribute('tabindex')).toBe('0');
    expect(own.getAttribute('tabindex')).toBe('-1'); // the page's own choice stands
    for (const key of ['Enter', ' ']) {
      const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
      span.dispatchEvent(e);
      expect(e.defaultPrevented).toBe(true);
    }
    expect(open).toHaveBeenCalledTimes(2);
    span.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(open).toHaveBeenCalledTimes(2);
  });
});

describe('makecall and tel: links', () => {
  it('opens our own makecall.html as a popup that reports back (window.opener set)', () => {
    const href = 'https://calls.example/path/makecall.html?destnumber=100';
    document.body.innerHTML = `<a href="${href}">call</a>`;
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    expect(clickOn(document.querySelector('a')!).defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith(href + PAGE, 'vodiacall', DEFAULT_FEATURES);
  });

  it.each([
    ['a Vodia makecall.htm link on the PBX', 'https://pbx.example.com/makecall.htm?destnumber=1&user=40&pass=0123456789abcdef0123456789abcdef&time=1&duration=2', POPUP],
    ['a makecall.html of some other host', 'https://evil.example/makecall.html?destnumber=100', POPUP],
    ['any makecall.html when no popup is configured', 'https://calls.example/makecall.html?destnumber=100', undefined],
  ])('opens %s as a popup with noopener (no reverse tab-nabbing)', (_c, href, popupUrl) => {
    document.body.innerHTML = `<a href="${href}">call</a>`;
    cleanup = bindCallLinks(document, { popupUrl });
    expect(clickOn(document.querySelector('a')!).defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith(href, '_blank', `${DEFAULT_FEATURES},noopener`);
    expect(document.querySelector('[data-vodia-call-blocked]')).toBeNull(); // null is no sign of a blocker here
  });

  it('leaves other links alone', () => {
    document.body.innerHTML = '<a href="https://example.com/makecall.html.bak">x</a><a href="https://example.com/about">y</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    for (const a of Array.from(document.querySelectorAll('a'))) expect(clickOn(a).defaultPrevented).toBe(false);
  });

  it('binds tel: links only when opted in, cleaning the number', () => {
    document.body.innerHTML = '<a href="tel:+49 (30) 123-456">call</a>';
    const a = document.querySelector('a')!;
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    expect(clickOn(a).defaultPrevented).toBe(false);
    backToPage();
    cleanup();
    cleanup = bindCallLinks(document, { popupUrl: POPUP, bindTel: true });
    expect(clickOn(a).defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith(`${POPUP}?destnumber=%2B4930123456${PAGE}`, 'vodiacall', DEFAULT_FEATURES);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.domain)//?destnumber=1'],
    ['data:', 'data:text/html,<script>alert(1)</script>?destnumber=1'],
  ])('never opens a %s href; the number is called through the popup page instead', (_c, href) => {
    document.body.innerHTML = '<a data-vodia-call="100">x</a>';
    document.querySelector('a')!.setAttribute('href', href);
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    clickOn(document.querySelector('a')!);
    expect(open).toHaveBeenCalledWith(`${POPUP}?destnumber=100${PAGE}`, 'vodiacall', DEFAULT_FEATURES);
  });

  it('survives broken hrefs and escapes without throwing', () => {
    document.body.innerHTML = '<a href="tel:%E0%A4%A">t</a><a href="http://[bad">b</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, bindTel: true });
    for (const a of Array.from(document.querySelectorAll('a'))) expect(clickOn(a).defaultPrevented).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });

  it('callUrlFor returns undefined for an element that is no call link', () => {
    document.body.innerHTML = '<div id="d"></div>';
    expect(callUrlFor(document.getElementById('d')!, { popupUrl: POPUP })).toBeUndefined();
  });
});

describe('popup blocker and running calls', () => {
  it('a blocked popup leaves a visible, clickable fallback link', () => {
    open.mockReturnValue(null);
    document.body.innerHTML = '<a href="#" data-vodia-call="100">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, lang: 'de' });
    clickOn(document.querySelector('a')!);
    const notice = document.querySelector('[data-vodia-call-blocked]')!;
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('Ihr Browser hat das Anruffenster blockiert.');
    const fallback = notice.querySelector('a')!;
    expect(fallback.getAttribute("href")).toBe(`${POPUP}?destnumber=100&lang=de${PAGE}`);
    expect(fallback.getAttribute('target')).toBe('vodiacall');
    // a second blocked click replaces the notice instead of stacking them
    clickOn(document.querySelector('a[data-vodia-call]')!);
    expect(document.querySelectorAll('[data-vodia-call-blocked]')).toHaveLength(1);
  });

  it('asks before a second link cuts a running call off, and keeps the call when told to', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">a</a><a href="#" data-vodia-call="200">b</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const [a, b] = Array.from(document.querySelectorAll('a'));
    clickOn(a);
    // The popup states its state and, in its own language, the question to ask.
    window.dispatchEvent(new MessageEvent('message', {
      data: { source: 'vodia-call', state: 'established', ask: 'Ein Anruf läuft. Beenden und {number} anrufen?' },
      source: popup as unknown as Window, origin: 'https://calls.example',
    }));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    clickOn(b);
    expect(confirm).toHaveBeenCalledWith('Ein Anruf läuft. Beenden und 200 anrufen?');
    expect(open).toHaveBeenCalledTimes(1);
    expect(popup.focus).toHaveBeenCalledTimes(2);
    confirm.mockReturnValue(true);
    clickOn(b);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('does not ask when the call has ended or the window is closed, or for messages from elsewhere', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">a</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const a = document.querySelector('a')!;
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    clickOn(a);
    const ask = 'End {number}?';
    window.dispatchEvent(new MessageEvent('message', { data: { source: 'vodia-call', state: 'established', ask }, source: {} as Window, origin: 'https://calls.example' }));
    clickOn(a);
    // The right window, but another origin (the popup navigated away): not ours either.
    window.dispatchEvent(new MessageEvent('message', { data: { source: 'vodia-call', state: 'established', ask }, source: popup as unknown as Window, origin: 'https://evil.example' }));
    clickOn(a);
    window.dispatchEvent(new MessageEvent('message', { data: { source: 'vodia-call', state: 'ended', ask }, source: popup as unknown as Window, origin: 'https://calls.example' }));
    clickOn(a);
    expect(confirm).not.toHaveBeenCalled();
    expect(open).toHaveBeenCalledTimes(4);
  });

  it('a running call whose popup sent no question is kept: the popup comes forward instead', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">a</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    clickOn(document.querySelector('a')!);
    window.dispatchEvent(new MessageEvent('message', { data: { source: 'vodia-call', state: 'ringing' }, source: popup as unknown as Window, origin: 'https://calls.example' }));
    clickOn(document.querySelector('a')!);
    expect(confirm).not.toHaveBeenCalled();
    expect(open).toHaveBeenCalledTimes(1);
    expect(popup.focus).toHaveBeenCalledTimes(2);
  });

  it('the blocked notice can be dismissed (button or Escape), and gives the focus back to the link', () => {
    open.mockReturnValue(null);
    document.body.innerHTML = '<a href="#" data-vodia-call="100">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, lang: 'fr' });
    const link = document.querySelector<HTMLElement>('a[data-vodia-call]')!;
    clickOn(link);
    let notice = document.querySelector('[data-vodia-call-blocked]')!;
    const dismiss = notice.querySelector('button')!;
    expect(dismiss.getAttribute('aria-label')).toBe('Fermer');
    expect(document.activeElement).toBe(notice.querySelector('a'));
    dismiss.click();
    expect(document.querySelector('[data-vodia-call-blocked]')).toBeNull();
    expect(document.activeElement).toBe(link);
    clickOn(link);
    notice = document.querySelector('[data-vodia-call-blocked]')!;
    notice.querySelector('a')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.querySelector('[data-vodia-call-blocked]')).toBeNull();
    expect(document.activeElement).toBe(link);
    clickOn(link);
    notice = document.querySelector('[data-vodia-call-blocked]')!;
    const fallback = notice.querySelector('a')!;
    fallback.addEventListener('click', (e) => e.preventDefault()); // happy-dom would follow it
    fallback.click(); // "Open the call window": the notice goes, the focus is not left on <body>
    expect(document.querySelector('[data-vodia-call-blocked]')).toBeNull();
    expect(document.activeElement).toBe(link);
  });
});

describe('cleanup', () => {
  it('removes the listeners and the attributes it added', () => {
    document.body.innerHTML = '<span data-vodia-call="100">x</span><a href="#" data-vodia-call="1">y</a>';
    const before = document.body.innerHTML;
    const stop = bindCallLinks(document, { popupUrl: POPUP });
    expect(document.body.innerHTML).not.toBe(before);
    stop();
    expect(document.body.innerHTML).toBe(before);
    clickOn(document.querySelector('a')!);
    document.querySelector('span')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(open).not.toHaveBeenCalled();
  });

  it('binds only inside the given root', () => {
    document.body.innerHTML = '<div id="in"><a href="#" data-vodia-call="1">in</a></div><a id="out" href="#" data-vodia-call="2">out</a>';
    cleanup = bindCallLinks(document.getElementById('in')!, { popupUrl: POPUP });
    clickOn(document.getElementById('out')!);
    expect(open).not.toHaveBeenCalled();
    clickOn(document.querySelector('#in a')!);
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('caller context: where the visitor clicked', () => {
  const openedUrl = () => new URL(open.mock.calls[0][0] as string);

  it('adds the page (origin and path) and the element\'s data-vodia-context, encoded', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100" data-vodia-context="Sales & Support, Zürich">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    clickOn(document.querySelector('a')!);
    expect(open.mock.calls[0][0]).toBe(`${POPUP}?destnumber=100${PAGE}&context=Sales%20%26%20Support%2C%20Z%C3%BCrich`);
  });

  it('with pageQuery, the page\'s query string too, never its fragment', () => {
    document.body.innerHTML = '<button data-vodia-call="100">x</button>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, pageQuery: true });
    clickOn(document.querySelector('button')!);
    expect(openedUrl().searchParams.get('page')).toBe('https://shop.example/contact/?q=shoes');
  });

  it('carries a hostile context as data: one parameter, its line breaks encoded, nothing else added', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">x</a>';
    document.querySelector('a')!.setAttribute('data-vodia-context', 'a\r\nX-Evil: 1&destnumber=999');
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    clickOn(document.querySelector('a')!);
    const url = openedUrl();
    expect(url.searchParams.getAll('destnumber')).toEqual(['100']);
    expect(url.searchParams.getAll('context')).toEqual(['a\r\nX-Evil: 1&destnumber=999']);
    expect(open.mock.calls[0][0]).not.toMatch(/[\r\n]/);
  });

  it('appends to the plugin\'s signed link without touching its own parameters', () => {
    const signed = '/?vodia_call_popup=1&destnumber=%2B4930123&user=40&pass=0123456789abcdef0123456789abcdef&time=1764153600&duration=3600&lang=de';
    document.body.innerHTML = `<a href="${signed.replace(/&/g, '&amp;')}" data-vodia-call="+4930123" data-vodia-context="Team">x</a>`;
    cleanup = bindCallLinks(document, { popupUrl: new URL('/?vodia_call_popup=1', document.baseURI).href });
    clickOn(document.querySelector('a')!);
    expect(open.mock.calls[0][0]).toBe(`${new URL(signed, document.baseURI).href}${PAGE}&context=Team`);
  });

  it('adds the page to our own makecall.html links and tel: links, but tells another host\'s makecall page nothing', () => {
    document.body.innerHTML = `<a id="own" href="${POPUP}?destnumber=1" data-vodia-context="own">a</a>`
      + '<a id="tel" href="tel:+4930123">b</a><a id="other" href="https://evil.example/makecall.html?destnumber=1" data-vodia-context="x">c</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, bindTel: true });
    for (const id of ['own', 'tel', 'other']) clickOn(document.getElementById(id)!);
    expect(open.mock.calls.map((c) => c[0])).toEqual([
      `${POPUP}?destnumber=1${PAGE}&context=own`,
      `${POPUP}?destnumber=%2B4930123${PAGE}`,
      'https://evil.example/makecall.html?destnumber=1',
    ]);
  });

  it('an empty data-vodia-context adds no context', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100" data-vodia-context="">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    clickOn(document.querySelector('a')!);
    expect(openedUrl().searchParams.has('context')).toBe(false);
  });
});

describe('call events: vodia-call:state and dataLayer', () => {
  type Detail = { number: string; state: string; error?: string };
  let events: Detail[];
  const onState = (e: Event) => events.push((e as CustomEvent<Detail>).detail);
  const layer = () => (window as unknown as { dataLayer?: unknown[] }).dataLayer;
  const say = (data: Record<string, unknown>, from: { source?: unknown; origin?: string } = {}) =>
    window.dispatchEvent(new MessageEvent('message', {
      data: { source: 'vodia-call', ...data },
      source: (from.source ?? popup) as Window,
      origin: from.origin ?? 'https://calls.example',
    }));

  beforeEach(() => {
    events = [];
    document.addEventListener('vodia-call:state', onState);
    delete (window as unknown as { dataLayer?: unknown[] }).dataLayer;
  });
  afterEach(() => document.removeEventListener('vodia-call:state', onState));

  it('tells the page every state of its call, with the number, and the error of a failed one', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="+4930123">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    clickOn(document.querySelector('a')!);
    for (const state of ['connecting', 'ringing', 'established', 'ended']) say({ state });
    say({ state: 'failed', error: 'busy' });
    expect(events).toEqual([
      { number: '+4930123', state: 'connecting', error: undefined },
      { number: '+4930123', state: 'ringing', error: undefined },
      { number: '+4930123', state: 'established', error: undefined },
      { number: '+4930123', state: 'ended', error: undefined },
      { number: '+4930123', state: 'failed', error: 'busy' },
    ]);
    expect(layer()).toBeUndefined(); // no dataLayer unless asked for
  });

  it('ignores messages from another window, another origin, or of another kind', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, dataLayer: true });
    clickOn(document.querySelector('a')!);
    say({ state: 'established' }, { source: {} });
    say({ state: 'established' }, { origin: 'https://evil.example' });
    window.dispatchEvent(new MessageEvent('message', { data: { source: 'other', state: 'established' }, source: popup as unknown as Window, origin: 'https://calls.example' }));
    expect(events).toEqual([]);
    expect(layer()).toBeUndefined();
  });

  it('with dataLayer, pushes each state to window.dataLayer, made if missing, kept if there', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">x</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP, dataLayer: true });
    clickOn(document.querySelector('a')!);
    say({ state: 'connecting' });
    expect(layer()).toEqual([{ event: 'vodia_call', vodia_call_state: 'connecting', vodia_call_number: '100' }]);
    const mine = [{ event: 'gtm.js' }];
    (window as unknown as { dataLayer: unknown[] }).dataLayer = mine;
    say({ state: 'failed', error: 'no-answer' });
    expect(layer()).toBe(mine);
    expect(mine).toEqual([{ event: 'gtm.js' }, { event: 'vodia_call', vodia_call_state: 'failed', vodia_call_number: '100' }]);
  });

  it('the events follow the newest call window: a second call\'s number', () => {
    document.body.innerHTML = '<a href="#" data-vodia-call="100">a</a><a href="#" data-vodia-call="200">b</a>';
    cleanup = bindCallLinks(document, { popupUrl: POPUP });
    const [a, b] = Array.from(document.querySelectorAll('a'));
    clickOn(a);
    say({ state: 'ended' });
    clickOn(b);
    say({ state: 'connecting' });
    expect(events.map((e) => `${e.number} ${e.state}`)).toEqual(['100 ended', '200 connecting']);
  });
});
