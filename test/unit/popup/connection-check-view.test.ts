// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CATALOGUES } from '../../../src/core/catalogues.js';
import { CHECK_TIMEOUT_MS, SILENT_AFTER_MS } from '../../../src/core/connection-verdicts.js';
import { parsePopupConfig, type ConfigResult } from '../../../src/core/popup-config.js';
import { mountConnectionCheck, type ConnectionCheckDeps } from '../../../src/popup/mount-connection-check.js';
import { mountPopup } from '../../../src/popup/mount-popup.js';
import { fakeApis, FakePeer, FakeSocket, type FakeMic } from '../../support/fake-check-apis.js';
import { FakePhone } from '../../support/fake-phone.js';

const SERVERS = [{ urls: 'stun:turn.example.com' }, { urls: 'turn:turn.example.com', username: 'u', credential: 'c' }];
const CONFIG = parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', iceServers: SERVERS });
const BASE = 'https://www.example.com/makecall.html';

let root: HTMLElement;
let mic: FakeMic;
let cleanup: (() => void) | undefined;

function mount(location = `${BASE}?check`, over: Partial<ConnectionCheckDeps> = {}) {
  cleanup = mountConnectionCheck(root, { config: CONFIG, location, languages: ['en-US'], catalogue: (l) => CATALOGUES[l], apis: mic.apis, ...over });
}
const row = (part: string) => root.querySelector<HTMLElement>(`[data-part="${part}"]`)!;
const verdict = (part: string) => [row(part).getAttribute('data-code'), row(part).querySelector('.vc-verdict')!.textContent];
const summary = () => root.querySelector('[role="status"]')!.textContent;
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = '<div id="vodia-call"></div>';
  root = document.getElementById('vodia-call')!;
  mic = fakeApis();
  FakeSocket.last = FakePeer.last = undefined;
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.useRealTimers();
});

describe('the connection test page', () => {
  it('tests the microphone, the PBX and the network without logging in, and sums up', async () => {
    mount();
    await tick(0);
    expect(root.querySelector('form')).toBeNull();
    expect(root.querySelector('h1')!.textContent).toBe('Connection test');
    expect(document.title).toBe('Connection test');
    expect(root.getAttribute('data-check')).toBe('running');
    expect(summary()).toBe('Testing…');
    expect(verdict('mic')).toEqual(['mic.asking', 'Allow the microphone when your browser asks.']);
    expect(FakeSocket.last!.url).toBe('wss://pbx.example.com/ws');
    expect(FakePeer.last!.config.iceServers).toEqual(SERVERS);

    mic.grant();
    mic.level = 0.3;
    FakeSocket.last!.open();
    FakePeer.last!.candidate('host');
    FakePeer.last!.candidate('srflx');
    FakePeer.last!.candidate('relay');
    await tick(200);
    expect(verdict('mic')).toEqual(['mic.ok', 'Your microphone works.']);
    expect(Number(root.querySelector('meter')!.getAttribute('value'))).toBeCloseTo(0.3);
    expect(verdict('pbx')).toEqual(['pbx.ok', 'The phone system can be reached.']);
    expect(verdict('ice')).toEqual(['ice.ok', 'Calls will work.']);
    expect(row('ice').querySelector('.vc-found')!.textContent).toBe('Found: local address, public address (STUN), relay (TURN).');
    expect(summary()).toBe('Your browser and network are ready for calls.');
    expect(root.getAttribute('data-check')).toBe('done');
    for (const part of ['mic', 'pbx', 'ice']) expect(row(part).getAttribute('data-verdict')).toBe('ok');
  });

  it('a blocked network and an unreachable PBX: what to do, in the visitor\'s language', async () => {
    mount(`${BASE}?check&lang=de`);
    await tick(0);
    mic.refuse('NotAllowedError');
    FakeSocket.last!.fail();
    FakePeer.last!.candidate('host');
    await tick(CHECK_TIMEOUT_MS);
    expect(root.getAttribute('lang')).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    expect(verdict('mic')).toEqual(['mic.denied', CATALOGUES.de['chk.mic.denied']]);
    expect(verdict('pbx')).toEqual(['pbx.unreachable', CATALOGUES.de['chk.pbx.unreachable']]);
    expect(verdict('ice')).toEqual(['ice.blocked-turn', CATALOGUES.de['chk.ice.blocked-turn']]);
    expect(summary()).toBe(CATALOGUES.de['chk.sum.bad']);
    expect(root.querySelector('[role="status"]')!.getAttribute('data-verdict')).toBe('bad');
  });

  it('UDP blocked with TURN over TCP reachable: calls work through the relay; a silent microphone is a warning', async () => {
    mount();
    await tick(0);
    mic.grant();
    FakeSocket.last!.open();
    FakePeer.last!.candidate('host');
    FakePeer.last!.candidate('relay');
    FakePeer.last!.complete();
    await tick(SILENT_AFTER_MS + 100);
    expect(verdict('ice')[0]).toBe('ice.relay');
    expect(row('ice').getAttribute('data-verdict')).toBe('ok');
    expect(verdict('mic')[0]).toBe('mic.silent');
    expect(summary()).toBe('Calls should work. See the notes below.');
  });

  it('a browser without WebRTC gets verdicts, not an exception', async () => {
    mount(undefined, { apis: { WebSocket: mic.apis.WebSocket } });
    await tick(0);
    expect(verdict('mic')).toEqual(['mic.unsupported', 'This browser cannot place calls. Open this page in another browser.']);
    expect(verdict('ice')).toEqual(['ice.unsupported', 'This browser cannot place calls. Open this page in another browser.']);
  });

  it('a broken configuration: the microphone is still tested, the rest says what is wrong', async () => {
    mount(undefined, { config: parsePopupConfig({ domain: 'x' }) as ConfigResult });
    await tick(0);
    expect(verdict('pbx')[0]).toBe('pbx.config');
    expect(verdict('ice')[0]).toBe('ice.config');
    expect(FakeSocket.last).toBeUndefined();
    expect(summary()).toBe('Testing…'); // the microphone is still being asked for
    mic.grant();
    mic.level = 0.1;
    await tick(100);
    expect(verdict('mic')[0]).toBe('mic.ok');
    expect(summary()).toBe('Calls will not work yet. See below what to do.');
  });

  it('"Test again" stops the running tests and starts new ones', async () => {
    mount();
    await tick(0);
    const [ws, pc] = [FakeSocket.last!, FakePeer.last!];
    mic.grant();
    await tick(100);
    root.querySelector<HTMLButtonElement>('[data-action="check-again"]')!.click();
    expect(root.querySelector('[data-action="check-again"]')!.textContent).toBe('Test again');
    expect(ws.closed && pc.closed).toBe(true);
    expect(mic.tracksStopped).toBe(1);
    expect(FakeSocket.last).not.toBe(ws);
    expect(FakePeer.last).not.toBe(pc);
    expect(summary()).toBe('Testing…');
  });

  it('"Back to the call" when the URL names a number: the same URL without check', async () => {
    mount(`${BASE}?destnumber=100&check&lang=en`);
    await tick(0);
    const back = root.querySelector<HTMLAnchorElement>('a[data-action="back"]')!;
    expect(back.textContent).toBe('Back to the call');
    expect(back.getAttribute('href')).toBe(`${BASE}?destnumber=100&lang=en`);
    cleanup?.();
    mount();
    await tick(0);
    expect(root.querySelector('a[data-action="back"]')).toBeNull();
  });

  it('accessible: a labelled meter, headings, polite live regions', async () => {
    mount();
    await tick(0);
    const meter = root.querySelector('meter')!;
    expect(root.querySelector(`label[for="${meter.id}"]`)!.textContent).toBe('Microphone level');
    expect([...root.querySelectorAll('h2')].map((e) => e.textContent)).toEqual(['Microphone', 'Phone system', 'Network']);
    expect(root.querySelector('[role="status"]')!.getAttribute('aria-live') ?? 'polite').toBe('polite');
    for (const el of root.querySelectorAll('.vc-verdict')) expect(el.getAttribute('aria-live')).toBe('polite');
    expect(root.querySelector('[aria-live="assertive"], [role="alert"]')).toBeNull();
  });

  it('draws nothing until the language is there', async () => {
    let done!: (c: typeof CATALOGUES.fr) => void;
    mount(`${BASE}?check&lang=fr`, { catalogue: () => new Promise((r) => { done = r; }) });
    await tick(0);
    expect(root.querySelector('main')!.hidden).toBe(true);
    done(CATALOGUES.fr);
    await tick(0);
    expect(root.querySelector('main')!.hidden).toBe(false);
    expect(root.querySelector('h1')!.textContent).toBe(CATALOGUES.fr['chk.title']);
  });

  it('the cleanup stops everything and leaves nothing behind', async () => {
    mount();
    await tick(0);
    mic.grant();
    await tick(100);
    cleanup!();
    cleanup = undefined;
    expect(FakeSocket.last!.closed && FakePeer.last!.closed).toBe(true);
    expect(mic.tracksStopped).toBe(1);
    expect(root.outerHTML).toBe('<div id="vodia-call"></div>');
  });
});

describe('"Test my connection" in the popup', () => {
  it('on the login and failure screens: the popup\'s URL with check, in the same window', async () => {
    const location = `${BASE}?destnumber=100&lang=en`;
    const phones: FakePhone[] = [];
    cleanup = mountPopup(root, {
      config: CONFIG, location, referrer: '', storage: { getItem: () => null, setItem() {}, removeItem() {} } as unknown as Storage,
      createPhone: () => { const p = new FakePhone(); phones.push(p); return p; },
      languages: ['en'], closeWindow() {}, isClosed: () => false, catalogue: (l) => CATALOGUES[l],
    } as Parameters<typeof mountPopup>[1]);
    await tick(0);
    const link = () => [...root.querySelectorAll<HTMLAnchorElement>('a')].find((a) => a.textContent === 'Test my connection');
    expect(root.querySelector('form[name="login"]')!.contains(link()!)).toBe(true);
    expect(link()!.getAttribute('href')).toBe(`${location}&check`);
    expect(link()!.hasAttribute('target')).toBe(false);
    // Log in, and the call fails: the link is on the failure screen too.
    const form = root.querySelector<HTMLFormElement>('form[name="login"]')!;
    (form.elements.namedItem('account') as HTMLInputElement).value = '40';
    (form.elements.namedItem('password') as HTMLInputElement).value = 'pw';
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    phones[0].delegate.onFailed?.('media-blocked');
    await tick(0);
    expect(root.getAttribute('data-state')).toBe('failed');
    expect(root.querySelector('form[name="login"]')).toBeNull();
    expect(link()!.getAttribute('href')).toBe(`${location}&check`);
    // Focus still goes to the way on, not to the link.
    expect(document.activeElement!.getAttribute('data-action')).toBe('again');
    // A busy line is no matter of the connection: no link there.
    root.querySelector<HTMLButtonElement>('[data-action="again"]')!.click();
    phones[1].delegate.onFailed?.('busy');
    await tick(0);
    expect(root.querySelector('[role="alert"]')!.getAttribute('data-error')).toBe('busy');
    expect(link()).toBeUndefined();
  });
});
