import { parsePopupConfig, type ConfigResult } from '../core/popup-config.js';

declare global {
  interface Window { vodiaCallConfig?: unknown }
}

/**
 * The deployment's configuration: `window.vodiaCallConfig` when the serving page injects it
 * (the WordPress plugin), else `makecall.config.json` beside the popup. Never the link.
 */
export async function loadConfig(win: Window = window): Promise<ConfigResult> {
  if (win.vodiaCallConfig !== undefined) return parsePopupConfig(win.vodiaCallConfig);
  const url = new URL('makecall.config.json', win.location.href);
  try {
    // Revalidated every time: a site owner's edit must take effect at the next call.
    const res = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
    if (!res.ok) return { ok: false, problems: [`${url.pathname} answered HTTP ${res.status}`] };
    return parsePopupConfig(await res.json());
  } catch (e) {
    return { ok: false, problems: [`${url.pathname} could not be read: ${String(e)}`] };
  }
}
