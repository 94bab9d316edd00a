// What the benchmarks put in their pages: shared by bench.mjs (loopback) and bench-lab.mjs (network lab).

// Both kinds of page get the same probe: the time of the first inbound RTP packet, by getStats.
export const PROBE = () => {
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(c) {
      super(c);
      const poll = setInterval(async () => {
        if (this.connectionState === 'closed') return clearInterval(poll);
        let got = 0;
        (await this.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') got += r.packetsReceived ?? 0; });
        if (got > 0) {
          clearInterval(poll);
          const msg = { source: 'bench', firstRtp: Date.now() };
          (window.opener ?? window).postMessage(msg, '*');
          window.postMessage(msg, '*');
        }
      }, 5);
    }
  };
};
// The opener page: the click time, and what the popup reports.
export const OURS = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>ours</title>
<script>window.__t = {}; document.addEventListener('click', () => { window.__t = { t0: Date.now() }; }, true);
addEventListener('message', (e) => { const d = e.data || {};
  if (d.source === 'vodia-call' && d.state === 'established') window.__t.established = Date.now();
  if (d.source === 'bench' && !window.__t.firstRtp) window.__t.firstRtp = d.firstRtp; });</script>
<script src="/vodia-call.js" data-popup-url="/makecall.html" defer></script><a href="#" id="call" data-vodia-call="DEST">call</a>`;
