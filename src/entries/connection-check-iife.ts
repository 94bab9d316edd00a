// The connection test's entry (makecall.html?check). makecall.js loads this file only in that mode, so a
// visitor who calls never downloads it: the popup bundle stays within its budget.
import { pickLanguage } from '../core/i18n.js';
import { browserApis } from '../popup/connection-check.js';
import { catalogueLoader } from '../popup/load-catalogue.js';
import { loadConfig } from '../popup/load-config.js';
import { mountConnectionCheck } from '../popup/mount-connection-check.js';

// The catalogues lie beside this script, as beside makecall.js.
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
const catalogue = catalogueLoader(scriptUrl);
const languages = navigator.languages ?? [navigator.language];
catalogue(pickLanguage([new URLSearchParams(location.search).get('lang'), ...languages]));

async function main(): Promise<void> {
  const root = document.getElementById('vodia-call') ?? document.body.appendChild(Object.assign(document.createElement('div'), { id: 'vodia-call' }));
  const config = await loadConfig();
  const stop = mountConnectionCheck(root, { config, location: location.href, languages, catalogue, apis: browserApis() });
  window.addEventListener('pagehide', stop, { once: true });
}

void main();
