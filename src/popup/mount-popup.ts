import { SUPPORTED_LANGUAGES, translator, type Catalogue } from '../core/i18n.js';
import { createPopupController, type PopupDeps } from './popup-controller.js';
import { createPopupView, KEYS } from './popup-view.js';

export type { PopupDeps } from './popup-controller.js';
export { CONFIRM_GUARD_MS } from './popup-controller.js';

/**
 * Mounts the makecall popup into `root` and runs its flow: the controller decides and calls, the
 * view draws, and this wires the visitor's input to the controller.
 * Returns the cleanup: hangs up a running call and removes everything it added.
 */
export function mountPopup(root: HTMLElement, deps: PopupDeps): () => void {
  /** Catalogues by language: undefined once asked for and missing (English then). */
  const catalogues = new Map<string, Catalogue | undefined>([['en', undefined]]);
  const loading = new Set<string>();
  // The binder asks before a second link cuts this call off; it carries no catalogue, so the question is ours.
  const controller = createPopupController({
    ...deps,
    onState: (state) => {
      const { lang, error } = controller.model();
      deps.onState?.(state, translator(catalogues.get(lang))('callInProgress'), state === 'failed' ? error : undefined);
    },
  });
  const view = createPopupView(root, deps.location);
  const doc = root.ownerDocument;
  let disposed = false;

  // The view waits for the model's language: a screen reader must not hear English first.
  function render(): void {
    const model = controller.model();
    if (catalogues.has(model.lang)) return view.update(model, translator(catalogues.get(model.lang)));
    if (loading.has(model.lang)) return;
    loading.add(model.lang);
    const got = deps.catalogue?.(model.lang);
    if (!(got instanceof Promise)) {
      catalogues.set(model.lang, got);
      return render();
    }
    got.catch(() => undefined).then((cat) => {
      catalogues.set(model.lang, cat);
      if (!disposed) render();
    });
  }
  controller.subscribe(render);

  // Delegated listeners on the root: one each, whatever the view shows.
  const onClick = (e: Event) => {
    const el = (e.target as Element).closest<HTMLElement>('[data-action], [data-dtmf]');
    if (!el || !root.contains(el) || (el as HTMLButtonElement).disabled) return;
    const tone = el.getAttribute('data-dtmf');
    if (tone) return controller.pressKey(tone);
    switch (el.getAttribute('data-action')) {
      case 'hangup': return controller.hangup();
      case 'mute': return controller.toggleMute();
      case 'logout': return controller.logout();
      case 'login-again': return controller.loginAgain();
      case 'again': return controller.again();
      case 'close': return controller.close();
    }
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.name === 'confirm') return controller.confirm();
    const data = new FormData(form);
    const account = String(data.get('account') ?? '').trim();
    if (controller.submitLogin({ account, password: String(data.get('password') ?? ''), remember: data.get('remember') !== null }) === 'missing') {
      view.showMissingLogin(account ? 'password' : 'account');
    }
  };
  const onChange = (e: Event) => {
    const el = e.target as HTMLSelectElement;
    if (el.name === 'lang' && SUPPORTED_LANGUAGES.includes(el.value)) controller.setLanguage(el.value);
  };
  // The physical keypad works during a call, as on a desk phone.
  const onKey = (e: KeyboardEvent) => {
    if (KEYS.includes(e.key) && !(e.target instanceof HTMLInputElement)) controller.pressKey(e.key);
  };
  // Coming back to the window (focus, or a tab made visible) holds the confirmation's "Call" again.
  const onAttention = () => {
    if (doc.visibilityState !== 'hidden') controller.holdConfirm();
  };
  const win = doc.defaultView;
  root.addEventListener('click', onClick);
  root.addEventListener('submit', onSubmit);
  root.addEventListener('change', onChange);
  doc.addEventListener('keydown', onKey);
  doc.addEventListener('visibilitychange', onAttention);
  win?.addEventListener('focus', onAttention);

  controller.start();

  return () => {
    disposed = true;
    controller.dispose();
    root.removeEventListener('click', onClick);
    root.removeEventListener('submit', onSubmit);
    root.removeEventListener('change', onChange);
    doc.removeEventListener('keydown', onKey);
    doc.removeEventListener('visibilitychange', onAttention);
    win?.removeEventListener('focus', onAttention);
    view.remove();
    root.removeAttribute('data-state');
    root.removeAttribute('lang');
  };
}
