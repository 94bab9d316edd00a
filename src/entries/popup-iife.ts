// The makecall popup's entry: the only popup file with side effects.
import { createHttpAuthorizer } from '../phone/http-authorizer.js';
import { SipPhone } from '../phone/sip-phone.js';
import { pickLanguage } from '../core/i18n.js';
import { catalogueLoader } from '../popup/load-catalogue.js';
import { loadConfig } from '../popup/load-config.js';
import { mountPopup } from '../popup/mount-popup.js';
import { createRingback } from '../popup/ringback.js';
import { safeStorage } from '../popup/safe-storage.js';

// Only while this script first runs does the page say where it came from; the catalogues lie beside it.
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
const catalogue = catalogueLoader(scriptUrl);
// makecall.html?check: the connection test instead of a call (no login, nobody is called). It is a file of
// its own beside this one, loaded only here, so callers do not download it; it loads its own language.
const check = new URLSearchParams(location.search).has('check');
if (check) document.head.append(Object.assign(document.createElement('script'), { src: new URL('connection-check.js', scriptUrl).href }));
// Else the visitor's likely language loads while the configuration does (the popup may still pick
// another, from a remembered login or the configuration).
else catalogue(pickLanguage([new URLSearchParams(location.search).get('lang'), ...(navigator.languages ?? [navigator.language])]));

async function main(): Promise<void> {
  let root = document.getElementById('vodia-call');
  if (!root) {
    root = document.createElement('div');
    root.id = 'vodia-call';
    document.body.append(root);
  }
  performance.mark('vc:script');
  const config = await loadConfig();
  performance.mark('vc:config');
  const cleanup = mountPopup(root, {
    config,
    location: location.href,
    referrer: document.referrer,
    // Another page's frame could lay its own buttons over ours; makecall.html cannot send
    // frame-ancestors itself (a meta tag cannot), so the script refuses to run there.
    framed: window.top !== window.self,
    webrtc: typeof RTCPeerConnection === 'function' && (!isSecureContext || typeof navigator.mediaDevices?.getUserMedia === 'function'),
    createPhone: (c) => new SipPhone({ config: c }),
    createAuthorizer: (url, link) => createHttpAuthorizer(url, link),
    storage: safeStorage(),
    languages: navigator.languages ?? [navigator.language],
    closeWindow: () => window.close(),
    isClosed: () => window.closed,
    ringback: createRingback(),
    catalogue,
    // The state is no secret, and the opener may be any site that links here.
    // The error code too, so the page's analytics can tell a closed office from a refused microphone.
    onState: (state, ask, error) => window.opener?.postMessage({ source: 'vodia-call', state, ask, error }, '*'),
  });
  // Closing the popup hangs up, so the PBX never keeps a call nobody can hear.
  window.addEventListener('pagehide', cleanup, { once: true });
}

if (!check) void main();
