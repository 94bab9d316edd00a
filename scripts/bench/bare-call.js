// The baseline for the benchmark: the least a page can do to place the same call with SIP.js.
// Bundled by scripts/bench.mjs; everything happens on click, as in our popup.
import { Inviter, SessionState, UserAgent } from 'sip.js';

const params = new URLSearchParams(location.search);
window.__t = {};

document.getElementById('call').addEventListener('click', async () => {
  const cfg = await (await fetch('/makecall.config.json', { cache: 'no-store' })).json();
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${params.get('user')}@${cfg.domain}`),
    transportOptions: { server: cfg.server },
    authorizationUsername: params.get('user'),
    authorizationPassword: params.get('password'),
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: cfg.iceServers ?? [] } },
    logLevel: 'error',
  });
  await ua.start();
  const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${params.get('dest')}@${cfg.domain}`), {
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  });
  inviter.stateChange.addListener((s) => { if (s === SessionState.Established) window.__t.established = Date.now(); });
  window.__hangup = async () => { await inviter.bye(); await ua.stop(); };
  await inviter.invite();
});
