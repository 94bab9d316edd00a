// The link binder's entry: <script src=".../vodia-call.js" data-popup-url="..." defer>.
// The only binder file with side effects: it binds the document and defines window.VodiaCall.
import { bindCallLinks, openCall, withPage, type BinderOptions } from '../binder/bind-call-links.js';
import { unsignedCallLink } from '../core/call-link.js';

declare const __VERSION__: string;

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
const defaults: BinderOptions = {
  // Without data-popup-url the popup is expected beside this script, as the build ships them.
  popupUrl: data.popupUrl ?? (script?.src ? new URL('makecall.html', script.src).href : undefined),
  bindTel: data.bindTel !== undefined && data.bindTel !== 'false',
  features: data.features,
  lang: data.lang,
  pageQuery: data.pageQuery !== undefined,
  dataLayer: data.datalayer !== undefined,
};

function call(number: string, options: BinderOptions = {}): Window | null {
  const o = { ...defaults, ...options };
  if (!o.popupUrl) throw new Error('VodiaCall.call: no popup URL (set data-popup-url on the script tag)');
  return openCall(withPage(unsignedCallLink(o.popupUrl, number, o.lang), document, o), o);
}

function bind(root: Document | Element = document, options: BinderOptions = {}): () => void {
  return bindCallLinks(root, { ...defaults, ...options });
}

const api = { version: __VERSION__, call, bind };
declare global {
  interface Window { VodiaCall?: typeof api }
}
// Loaded twice (a theme and a plugin both add it)? Bind once.
if (!window.VodiaCall) {
  window.VodiaCall = api;
  bind(document);
}
