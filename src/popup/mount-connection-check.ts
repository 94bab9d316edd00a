import {
  callUrl, iceVerdict, micVerdict, pbxVerdict, summaryVerdict, verdictKey, type Verdict,
} from '../core/connection-verdicts.js';
import { pickLanguage, translator, type Catalogue, type MessageKey, type Translate } from '../core/i18n.js';
import type { ConfigResult } from '../core/popup-config.js';
import { checkIce, checkMicrophone, checkPbx, type CheckApis } from './connection-check.js';
import { h } from './h.js';

export interface ConnectionCheckDeps {
  config: ConfigResult;
  /** The page's URL: its `lang`, and `destnumber` for the way back to the call. */
  location: string;
  languages: readonly string[];
  catalogue?(lang: string): Catalogue | undefined | Promise<Catalogue | undefined>;
  apis: CheckApis;
}

type Part = 'mic' | 'pbx' | 'ice';

/**
 * The connection test (`makecall.html?check`): microphone, phone system and network, each with a
 * verdict that says what to do, and a summary on top. No login, no call. Returns the cleanup,
 * which stops the microphone, the socket and the peer connection.
 */
export function mountConnectionCheck(root: HTMLElement, deps: ConnectionCheckDeps): () => void {
  const config = deps.config.ok ? deps.config.config : undefined;
  const lang = pickLanguage([new URL(deps.location).searchParams.get('lang'), config?.lang, ...deps.languages]);
  let t: Translate = translator();
  let disposed = false;
  let stops: (() => void)[] = [];
  const verdicts = {} as Record<Part, Verdict>;
  let types: readonly string[] = [];

  const summary = h('p', { class: 'vc-check-sum', role: 'status' });
  const level = h('meter', { id: 'vc-level', min: '0', max: '1', value: '0' });
  const found = h('p', { class: 'vc-found' });
  const rows = Object.fromEntries((['mic', 'pbx', 'ice'] as const).map((part) => [part, h('li', { 'data-part': part },
    h('h2', {}), part === 'mic' && h('label', { for: 'vc-level' }), part === 'mic' && level,
    // Each row's verdict is announced when it comes, after what is being said (polite).
    h('p', { class: 'vc-verdict', 'aria-live': 'polite' }), part === 'ice' && found)])) as Record<Part, HTMLLIElement>;
  const back = callUrl(deps.location);
  const view = h('main', { class: 'vc vc-conn', hidden: true },
    h('h1', { class: 'vc-number' }), summary,
    // Focusable: in a short window the list scrolls, and a keyboard must be able to scroll it.
    h('ul', { class: 'vc-checks', tabindex: '0' }, rows.mic, rows.pbx, rows.ice),
    h('div', { class: 'vc-actions vc-stack' },
      h('button', { type: 'button', class: 'vc-btn vc-primary', 'data-action': 'check-again' }),
      back && h('a', { class: 'vc-link', href: back, 'data-action': 'back' })));
  root.append(view);

  function draw(): void {
    if (view.hidden) return;
    const labels: [string, MessageKey][] = [
      ['h1', 'chk.title'], ['[data-part=mic] h2', 'chk.mic'], ['[data-part=pbx] h2', 'chk.pbx'], ['[data-part=ice] h2', 'chk.ice'],
      ['label', 'chk.level'], ['[data-action=check-again]', 'chk.again'], ['[data-action=back]', 'chk.back'],
    ];
    for (const [sel, key] of labels) {
      const el = view.querySelector(sel);
      if (el && el.textContent !== t(key)) el.textContent = t(key);
    }
    for (const part of ['mic', 'pbx', 'ice'] as const) {
      const v = verdicts[part];
      rows[part].setAttribute('data-verdict', v.level);
      rows[part].setAttribute('data-code', v.code);
      setText(rows[part].querySelector('.vc-verdict')!, t(verdictKey(v)));
    }
    const names = types.map((type) => t(`chk.type.${type}` as MessageKey));
    setText(found, names.length ? t('chk.found', { list: names.join(', ') }) : '');
    const s = summaryVerdict(Object.values(verdicts));
    summary.setAttribute('data-verdict', s.level);
    setText(summary, t(verdictKey(s)));
    root.setAttribute('data-check', s.level === 'running' ? 'running' : 'done');
  }
  const set = (part: Part, v: Verdict) => {
    verdicts[part] = v;
    draw();
  };

  function run(): void {
    stops.forEach((stop) => stop());
    types = [];
    level.setAttribute('value', '0');
    stops = [checkMicrophone(deps.apis, (r) => set('mic', micVerdict(r)), (v) => level.setAttribute('value', v.toFixed(3)))];
    if (!config) {
      set('pbx', pbxVerdict('config'));
      set('ice', iceVerdict('config', []));
      return;
    }
    stops.push(checkPbx(deps.apis, config.server, (r) => set('pbx', pbxVerdict(r))));
    stops.push(checkIce(deps.apis, config.iceServers, (r) => {
      if (typeof r !== 'string') types = r.types;
      set('ice', iceVerdict(r, config.iceServers, config.iceTransportPolicy));
    }));
  }

  const onClick = (e: Event) => {
    if ((e.target as Element).closest('[data-action=check-again]')) run();
  };
  root.addEventListener('click', onClick);
  root.setAttribute('lang', lang);
  root.ownerDocument.documentElement.lang = lang;

  // Drawn once the language is there: a screen reader must not hear English first.
  const show = (cat?: Catalogue) => {
    if (disposed) return;
    t = translator(cat);
    root.ownerDocument.title = t('chk.title');
    view.hidden = false;
    draw();
  };
  run();
  const got = deps.catalogue?.(lang);
  if (got instanceof Promise) got.catch(() => undefined).then(show);
  else show(got);

  return () => {
    disposed = true;
    stops.forEach((stop) => stop());
    root.removeEventListener('click', onClick);
    view.remove();
    root.removeAttribute('data-check');
    root.removeAttribute('lang');
  };
}

/** Changes a live region's text only when it differs, so it is not announced again. */
function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
