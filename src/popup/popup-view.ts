import type { CallState } from '../core/call-state.js';
import type { ErrorCode } from '../core/error-codes.js';
import { checkUrl } from '../core/connection-verdicts.js';
import { LANGUAGE_NAMES, SUPPORTED_LANGUAGES, translator, type MessageKey, type Translate } from '../core/i18n.js';
import { h } from './h.js';
import type { PopupModel } from './popup-controller.js';

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
/** Failures after which the connection test (?check) may show the cause. */
const CHECK_HELPS: readonly ErrorCode[] = ['mic-denied', 'no-mic', 'pbx-unreachable', 'network', 'media-blocked'];

export interface PopupView {
  /** Draws the model in `t`'s language: changes only what differs, so the live region and the focused control survive. */
  update(model: PopupModel, t: Translate): void;
  /** The login form's message ("Enter your account and password"), with the focus on the empty field. */
  showMissingLogin(field: 'account' | 'password'): void;
  /** Removes what the view added. */
  remove(): void;
}

type Screen = PopupModel['screen'];

/**
 * The popup's DOM, built once: a header (number, the `role=status` live region, the call timer)
 * and one section per screen, attached while shown. Texts follow the model's language in place,
 * so switching languages keeps what was typed.
 */
export function createPopupView(root: HTMLElement, location = root.ownerDocument.location.href): PopupView {
  let t: Translate = translator();
  /** Re-applies every translated text and label for the current language. */
  const texts: (() => void)[] = [];
  const text = <E extends HTMLElement>(el: E, key: MessageKey, attr?: string): E => {
    const apply = () => (attr ? el.setAttribute(attr, t(key)) : (el.textContent = t(key)));
    texts.push(apply);
    return el;
  };
  // The connection test, in the same window: the same link with `check` added.
  const checkLink = () => text(h('a', { class: 'vc-link', href: checkUrl(location) }), 'chk.link');
  const button = (action: string, key: MessageKey, cls = '') =>
    text(h('button', { type: 'button', 'data-action': action, class: `vc-btn ${cls}`.trim() }), key);

  // The number is the window's heading: what a screen reader's user hears first, and can jump to.
  const number = h('h1', { class: 'vc-number' });
  const status = h('div', { class: 'vc-status', role: 'status', 'aria-live': 'polite' });
  // The timer's line is kept from dialling on, so the keypad does not jump when the call connects.
  const timer = text(h('div', { class: 'vc-timer', role: 'timer' }), 'callTime', 'aria-label');
  const head = h('header', { class: 'vc-head' }, number, status, timer);

  const login = h('form', { name: 'login', class: 'vc-form', novalidate: true },
    text(h('label', { for: 'vc-account' }), 'account'),
    text(h('input', { id: 'vc-account', name: 'account', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' }), 'accountHint', 'placeholder'),
    text(h('label', { for: 'vc-password' }), 'password'),
    h('input', { id: 'vc-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('div', { class: 'vc-row' },
      text(h('label', { for: 'vc-lang' }), 'language'),
      h('select', { name: 'lang', id: 'vc-lang' },
        ...SUPPORTED_LANGUAGES.map((code) => h('option', { value: code }, LANGUAGE_NAMES[code])))),
    h('div', { class: 'vc-row vc-check' },
      h('input', { id: 'vc-remember', name: 'remember', type: 'checkbox', value: '1' }),
      text(h('label', { for: 'vc-remember' }), 'remember')),
    h('p', { class: 'vc-form-msg', id: 'vc-form-msg', 'aria-live': 'polite' }),
    text(h('button', { type: 'submit', class: 'vc-btn vc-primary' }), 'call'),
    checkLink());
  const field = (name: string) => login.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const formMsg = login.querySelector('.vc-form-msg')!;
  function clearMissing(): void {
    formMsg.textContent = '';
    for (const f of ['account', 'password']) {
      field(f).removeAttribute('aria-invalid');
      field(f).removeAttribute('aria-describedby');
    }
  }

  const question = h('p', { class: 'vc-confirm', id: 'vc-confirm', tabindex: '-1' });
  // "Call" names whom it calls: a screen reader that lands on it hears the question too.
  const confirmCall = text(h('button', { type: 'submit', class: 'vc-btn vc-primary', 'aria-describedby': 'vc-confirm' }), 'call');
  const confirmLogout = button('logout', 'logout', 'vc-link');
  const confirmClose = button('close', 'close', 'vc-link');
  const confirm = h('form', { name: 'confirm', class: 'vc-form' }, question, confirmCall);

  const alertMsg = h('strong');
  const alertHint = h('p');
  const alert = h('div', { class: 'vc-alert', role: 'alert' }, alertMsg, alertHint);
  const again = button('again', 'tryAgain', 'vc-primary');
  const loginAgain = button('login-again', 'loginAgain', 'vc-primary');
  // Stacked: side by side, the longer translations ("Erneut versuchen") would wrap.
  const failedActions = h('div', { class: 'vc-actions vc-stack' });
  const closeButton = button('close', 'close');
  // A closed office's or a call-less browser's other ways through (fallback). The contact page opens in
  // a tab of its own: this small window is the wrong size for it, and noopener keeps it from scripting us.
  const contact = text(h('a', { class: 'vc-btn', target: '_blank', rel: 'noopener' }), 'contactUs');
  const tel = h('a', { class: 'vc-btn' });
  const failed = h('div', { class: 'vc-part' }, alert, failedActions);
  // Offered where the visitor's microphone, network or path to the PBX may be the cause; a closed office, a
  // browser without WebRTC or a bad link is not a matter of the connection.
  const failedCheck = checkLink();

  const digits = text(h('output', { class: 'vc-digits' }), 'keypad', 'aria-label');
  const keys = KEYS.map((k) => h('button', { type: 'button', class: 'vc-key', 'data-dtmf': k, 'aria-label': k }, k));
  const keypad = text(h('div', { class: 'vc-keypad', role: 'group' }, ...keys), 'keypad', 'aria-label');
  // A toggle keeps its name; aria-pressed says whether it is on ("Mute, pressed"), not a second label.
  const mute = text(h('button', { type: 'button', class: 'vc-btn', 'data-action': 'mute', 'aria-pressed': 'false' }), 'mute');
  const hangup = button('hangup', 'hangup', 'vc-danger');
  const call = h('div', { class: 'vc-part' }, digits, keypad, h('div', { class: 'vc-actions' }, mute, hangup));

  const ended = h('div', { class: 'vc-actions vc-stack' }, button('again', 'callAgain', 'vc-primary'));
  const foot = h('footer', { class: 'vc-foot' }, button('logout', 'logout', 'vc-link'));

  const body = h('div', { class: 'vc-part' });
  // Hidden until the first update: before it, the frame has no texts in any language.
  const view = h('main', { class: 'vc', hidden: true }, head, body);
  root.append(view);

  let lang = '';
  let shown: Screen | undefined;

  /** Makes `body` hold exactly `wanted`, in order, moving nothing that is already in place. */
  function attach(wanted: HTMLElement[]): void {
    wanted.forEach((el, i) => {
      if (body.children[i] !== el) body.insertBefore(el, body.children[i] ?? null);
    });
    while (body.children.length > wanted.length) body.lastElementChild!.remove();
  }

  function focusPrimary(screen: Screen): void {
    let target: HTMLElement | null = hangup;
    // The question, not "Call": a key held down on the opening page must not land on the button.
    if (screen === 'confirm') target = question;
    else if (screen === 'login') target = field('account').value ? field('password') as HTMLElement : field('account') as HTMLElement;
    else if (screen === 'failed') target = failedActions.querySelector('.vc-primary') ?? closeButton;
    else if (screen === 'ended') target = ended.querySelector('button');
    target?.focus();
  }

  return {
    update(m, translate) {
      t = translate;
      if (m.lang !== lang) {
        lang = m.lang;
        texts.forEach((apply) => apply());
        field('lang').value = lang;
      }
      view.hidden = false;
      root.setAttribute('data-state', m.state);
      root.setAttribute('lang', m.lang);
      root.ownerDocument.documentElement.lang = m.lang;
      number.textContent = m.number;
      if (m.number) root.ownerDocument.title = t('title', { number: m.number });
      const statusKey: Partial<Record<CallState, MessageKey>> = {
        connecting: 'connecting', ringing: 'ringing', established: 'established', reconnecting: 'reconnecting', ended: 'ended',
      };
      const key = statusKey[m.state];
      // The same node every time: a screen reader announces its new text.
      const statusText = key ? t(key) : '';
      if (status.textContent !== statusText) status.textContent = statusText;
      timer.hidden = m.screen !== 'call';
      timer.textContent = m.elapsed || '\u00a0';

      const wanted: HTMLElement[] = [];
      if (m.screen === 'login') {
        if (shown !== 'login') {
          if (!field('account').value) field('account').value = m.account;
          field('password').value = ''; // back from a refused login: the wrong password goes
        }
        wanted.push(login);
      } else if (m.screen === 'confirm') {
        question.textContent = m.confirmAccount ? t('confirmCall', { number: m.number, account: m.confirmAccount }) : t('confirmSigned', { number: m.number });
        confirmCall.disabled = m.confirmHeld;
        const way = m.confirmAccount ? confirmLogout : confirmClose;
        if (confirm.lastElementChild !== way) {
          confirmLogout.remove();
          confirmClose.remove();
          confirm.append(way);
        }
        wanted.push(confirm);
      } else if (m.screen === 'failed' && m.error) {
        alert.setAttribute('data-error', m.error);
        if (CHECK_HELPS.includes(m.error)) failed.append(failedCheck);
        else failedCheck.remove();
        alertMsg.textContent = t(`err.${m.error}` as MessageKey);
        alertHint.textContent = m.error === 'closed' && m.opensAt ? t('opensAgain', m.opensAt) : t(`hint.${m.error}` as MessageKey);
        const ways: HTMLElement[] = m.retry === 'again' ? [again] : m.retry === 'login-again' ? [loginAgain] : [];
        if (m.error === 'closed' && m.fallback?.url) {
          contact.href = m.fallback.url;
          ways.push(contact);
        }
        if (m.fallback?.tel) {
          tel.href = `tel:${m.fallback.tel}`;
          tel.textContent = t('callTel', { tel: m.fallback.tel });
          ways.push(tel);
        }
        // The first way on is the primary one, and takes the focus.
        for (const way of [contact, tel]) way.classList.toggle('vc-primary', ways[0] === way);
        failedActions.replaceChildren(...ways, closeButton);
        wanted.push(failed);
      } else if (m.screen === 'call') {
        keys.forEach((k) => { k.disabled = !m.keysWork; });
        if (digits.textContent !== m.digits) digits.textContent = m.digits;
        mute.disabled = !m.inCall;
        mute.setAttribute('aria-pressed', String(m.muted));
        wanted.push(call);
      } else if (m.screen === 'ended' && m.callAgain) {
        wanted.push(ended);
      }
      if (m.state !== 'login' && m.loggedIn) wanted.push(foot);
      attach(wanted);

      // Focus moves only when the screen changes (or a failure replaces a failure): within a call,
      // "Hang up" keeps the focus from dialling to the end.
      const moved = m.screen !== shown || (m.screen === 'ended' && m.callAgain && !ended.contains(root.ownerDocument.activeElement));
      shown = m.screen;
      if (moved) {
        if (m.screen === 'login') clearMissing();
        focusPrimary(m.screen);
      }
    },
    showMissingLogin(name) {
      formMsg.textContent = t('missingLogin');
      for (const f of ['account', 'password']) {
        const empty = !field(f).value.trim();
        field(f).toggleAttribute('aria-invalid', empty);
        if (empty) field(f).setAttribute('aria-invalid', 'true');
        if (empty) field(f).setAttribute('aria-describedby', 'vc-form-msg');
        else field(f).removeAttribute('aria-describedby');
      }
      field(name).focus();
    },
    remove() {
      view.remove();
    },
  };
}
