import { appendLinkParams, DESTNUMBER_PATTERN, unsignedCallLink } from '../core/call-link.js';
import { isCallActive, type CallState } from '../core/call-state.js';
import { BINDER_LANGUAGES, binderStrings, type BinderStrings } from '../core/binder-strings.js';

export interface BinderOptions {
  /** The makecall popup page, for `data-vodia-call` elements and `tel:` links. */
  popupUrl?: string;
  /** Also turn `tel:` links into calls (off by default: many sites want the phone app). */
  bindTel?: boolean;
  /** window.open features; default `width=230,height=300,left=200,location=0` (docs/design.md §4). */
  features?: string;
  /** The popup window's name: one call window per site visit. */
  windowName?: string;
  lang?: string;
  /** The `page` the popup is told includes the query string (`data-page-query`); off, as queries carry search terms and tokens. */
  pageQuery?: boolean;
  /** Each call state also goes to `window.dataLayer` (`data-datalayer`), for Google Tag Manager. */
  dataLayer?: boolean;
}

export const DEFAULT_FEATURES = 'width=230,height=300,left=200,location=0';
/** Call elements the browser does not make focusable or activate by itself (an <a> without href is neither). */
const PLAIN = '[data-vodia-call]:not(a[href]):not(button)';
const MAKECALL_PATH = /\/makecall\.html?$/i;

/** What every binding on a page shares: the one call window and what it last told us. */
interface CallWindow {
  ref: Window | null;
  /** The popup's origin: only its messages count. */
  origin?: string;
  state?: CallState;
  /** The popup's question before a second call cuts this one off, in the popup's language. */
  ask?: string;
  /** The number of the window's call, for the page's events. */
  number?: string;
  /** Its states go to window.dataLayer too. */
  dl?: boolean;
}
const windows = new WeakMap<Window, CallWindow>();
function callWindowOf(win: Window): CallWindow {
  let w = windows.get(win);
  if (!w) {
    w = { ref: null };
    windows.set(win, w);
    // The popup reports its state, so a click elsewhere does not silently cut a running call off.
    win.addEventListener('message', (e: MessageEvent) => {
      const data = e.data as { source?: string; state?: CallState; ask?: unknown; error?: string } | null;
      if (data?.source === 'vodia-call' && w!.ref && e.source === w!.ref && e.origin === w!.origin) {
        const { state, error } = data;
        const number = w!.number;
        w!.state = state;
        w!.ask = typeof data.ask === 'string' ? data.ask : undefined;
        // The page hears every state of its call (analytics, its own UI); only messages of our own popup.
        win.document.dispatchEvent(new CustomEvent('vodia-call:state', { detail: { number, state, error } }));
        if (w!.dl) ((win as unknown as { dataLayer?: object[] }).dataLayer ||= []).push({ event: 'vodia_call', vodia_call_state: state, vodia_call_number: number });
      }
    });
  }
  return w;
}

/**
 * The popup URL an element stands for, or undefined when it is no call link. Our own popup also
 * learns where the visitor clicked; another host's makecall page gets the link as it is.
 */
export function callUrlFor(el: Element, options: BinderOptions): string | undefined {
  const doc = el.ownerDocument;
  const url = linkOf(el, options, doc.baseURI);
  return url && isOwnPopupUrl(url, options, doc.baseURI) ? withPage(url, doc, options, el.getAttribute('data-vodia-context')) : url;
}

/**
 * Adds `page` (this page's origin and path, with `pageQuery` its query too; never the fragment,
 * where sign-in tokens travel) and the link's `context` text to a popup URL. The popup checks both.
 */
export function withPage(url: string, doc: Document, options: BinderOptions, context?: string | null): string {
  const u = doc.location;
  const params: [string, string][] = [['page', u.origin + u.pathname + (options.pageQuery ? u.search : '')]];
  if (context) params.push(['context', context]);
  return appendLinkParams(url, params);
}

function linkOf(el: Element, options: BinderOptions, base: string): string | undefined {
  const number = el.getAttribute('data-vodia-call');
  const href = el.tagName === 'A' ? el.getAttribute('href') : null;
  const url = href ? parseUrl(href, base) : undefined;
  const web = url?.protocol === 'https:' || url?.protocol === 'http:';
  const popup = popupPage(options, base);
  if (number !== null) {
    // A link that already points at a popup page (the WordPress plugin's) opens as it is: only a
    // web address (never javascript: or data:) and only on the popup's own origin; another site's
    // page in a window we open could pose as the call window and ask for the PBX password.
    if (web && url!.searchParams.has('destnumber')) return popup && url!.origin === popup.origin ? url!.href : undefined;
    const n = number.trim();
    if (!DESTNUMBER_PATTERN.test(n) || !popup) return undefined;
    return unsignedCallLink(popup.href, n, el.getAttribute('data-lang') ?? options.lang);
  }
  if (!url) return undefined;
  if (web && MAKECALL_PATH.test(url.pathname)) return url.href;
  if (url.protocol === 'tel:' && options.bindTel && popup) {
    // tel:+49 (30) 123-456 -> +4930123456; anything else a phone would dial is not ours to guess.
    let n: string;
    try {
      n = decodeURIComponent(url.pathname).replace(/[\s().-]/g, '').split(';')[0];
    } catch {
      return undefined; // a broken %-escape
    }
    if (DESTNUMBER_PATTERN.test(n)) return unsignedCallLink(popup.href, n, options.lang);
  }
  return undefined;
}

/** A URL, or undefined for one the browser cannot read (a page's typo must not throw in a click). */
function parseUrl(href: string, base: string): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}

/** The configured popup page, resolved against the document, or undefined. */
function popupPage(options: BinderOptions, base: string): URL | undefined {
  return options.popupUrl ? parseUrl(options.popupUrl, base) : undefined;
}

/** Whether `url` is on the origin of the configured popup page: only those windows get `window.opener`. */
export function isOwnPopupUrl(url: string, options: BinderOptions, base: string): boolean {
  const popup = popupPage(options, base);
  return popup !== undefined && parseUrl(url, base)?.origin === popup.origin;
}

/**
 * Opens a call popup. A running call is not cut off without asking; a blocked popup leaves a
 * visible link on the page. Returns the window, or null when blocked, declined, or opened on
 * another origin (a makecall page of some other host opens with `noopener`: it must not be able
 * to navigate this page, reverse tab-nabbing, and the binder keeps no handle to it).
 */
export function openCall(url: string, options: BinderOptions, doc: Document = document, trigger?: HTMLElement): Window | null {
  const win = doc.defaultView!;
  const u = new URL(url, doc.baseURI);
  const number = u.searchParams.get('destnumber') ?? '';
  if (!isOwnPopupUrl(url, options, doc.baseURI)) {
    win.open(url, '_blank', `${options.features ?? DEFAULT_FEATURES},noopener`);
    return null;
  }
  const cw = callWindowOf(win);
  // The first language the binder speaks (`de-AT` counts as `de`), as i18n's pickLanguage, without its list.
  const lang = [options.lang, doc.documentElement.lang, win.navigator.language]
    .map((c) => c?.toLowerCase().split(/[-_]/)[0]).find((c) => BINDER_LANGUAGES.includes(c!));
  const s = binderStrings(lang ?? 'en');
  if (cw.ref && !cw.ref.closed && cw.state && isCallActive(cw.state)) {
    // Without the popup's question, keep the running call: it is not cut off unasked.
    // The number is digits, +, * and #: nothing a replacement pattern could misread.
    if (!cw.ask || !win.confirm(cw.ask.replace(/\{number\}/g, number))) {
      cw.ref.focus();
      return null;
    }
  }
  const name = options.windowName ?? 'vodiacall';
  const ref = win.open(url, name, options.features ?? DEFAULT_FEATURES);
  if (!ref) {
    showBlockedNotice(doc, url, name, s, trigger ?? (doc.activeElement as HTMLElement | null) ?? undefined);
    return null;
  }
  cw.ref = ref;
  cw.origin = u.origin;
  cw.number = number;
  cw.dl = options.dataLayer;
  cw.state = undefined;
  cw.ask = undefined;
  ref.focus();
  return ref;
}

function showBlockedNotice(doc: Document, url: string, name: string, s: BinderStrings, trigger?: HTMLElement): void {
  doc.querySelector('[data-vodia-call-blocked]')?.remove();
  const box = doc.createElement('div');
  box.setAttribute('data-vodia-call-blocked', '');
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;z-index:2147483647;right:1em;bottom:1em;max-width:22em;padding:.8em 2.2em .8em 1em;' +
    'background:#fff;color:#111;border:2px solid #b00020;border-radius:8px;font:15px/1.4 sans-serif';
  const text = doc.createElement('p');
  text.style.margin = '0 0 .4em';
  text.textContent = s.popupBlocked;
  const a = doc.createElement('a');
  a.href = url;
  a.target = name; // a real link: the browser lets a click on it open the window
  a.textContent = s.openCall;
  // Gone, the notice hands the focus back to the link the visitor clicked, not to <body>.
  const dismiss = () => {
    box.remove();
    trigger?.focus();
  };
  a.addEventListener('click', dismiss);
  const close = doc.createElement('button');
  close.type = 'button';
  close.textContent = '\u00d7';
  close.setAttribute('aria-label', s.dismiss);
  close.style.cssText = 'position:absolute;top:0;right:0;border:0;background:none;font:20px sans-serif;padding:.3em .5em';
  close.addEventListener('click', dismiss);
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') dismiss(); });
  box.append(text, a, close);
  doc.body.append(box);
  a.focus();
}

/**
 * Binds every call link inside `root`, now and later, with one delegated listener per event.
 * Returns the cleanup, which removes every listener and attribute the binding added.
 */
export function bindCallLinks(root: Document | Element, options: BinderOptions = {}): () => void {
  const doc = root.ownerDocument ?? (root as Document); // a document has none
  const open = (e: Event, el: Element) => {
    const url = callUrlFor(el, options);
    if (!url) return;
    e.preventDefault();
    openCall(url, options, doc, el as HTMLElement);
  };
  const onClick = (e: MouseEvent) => {
    // Ctrl/Cmd/Shift-click and middle-click keep the browser's meaning (a new tab).
    if (e.defaultPrevented || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const el = (e.target as Element | null)?.closest?.('[data-vodia-call], a[href]');
    if (el && root.contains(el)) open(e, el);
  };
  // Enter and Space on a call element the browser does not activate itself, as on a real button.
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const el = (e.target as Element | null)?.closest?.(PLAIN);
    if (el && root.contains(el)) open(e, el);
  };
  // Plain elements become keyboard-reachable buttons, those added later too; remember what we
  // changed, to undo it.
  const decorated: Element[] = [];
  const decorate = (scope: Element | Document) => {
    for (const el of [scope, ...scope.querySelectorAll(PLAIN)] as Element[]) {
      if (el.nodeType !== 1 || !el.matches(PLAIN) || el.hasAttribute('role') || el.hasAttribute('tabindex')) continue;
      el.setAttribute('role', 'button');
      el.setAttribute('tabindex', '0');
      decorated.push(el);
    }
  };
  decorate(root);
  const win = doc.defaultView;
  const observer = win?.MutationObserver
    ? new win.MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => n.nodeType === 1 && decorate(n as Element))))
    : undefined;
  observer?.observe(root, { childList: true, subtree: true });
  root.addEventListener('click', onClick as EventListener);
  root.addEventListener('keydown', onKey as EventListener);
  return () => {
    observer?.disconnect();
    root.removeEventListener('click', onClick as EventListener);
    root.removeEventListener('keydown', onKey as EventListener);
    for (const el of decorated) {
      el.removeAttribute('role');
      el.removeAttribute('tabindex');
    }
  };
}
