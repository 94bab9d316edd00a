/**
 * A ringback tone made with Web Audio (425 Hz, 1 s on, 4 s off, as in most of Europe): no sound file to ship.
 * It starts after a short delay: creating an AudioContext blocks the page for tens of milliseconds,
 * and a far end that answers at once should not be delayed by it (nor greeted by a beep fragment).
 */
export interface Ringback {
  start(): void;
  stop(): void;
}

export function createRingback(delayMs = 400): Ringback {
  let ctx: AudioContext | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const beep = (c: AudioContext) => {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.frequency.value = 425;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(c.destination);
    osc.start();
    osc.stop(c.currentTime + 1);
  };
  return {
    start() {
      if (timer !== undefined || pending !== undefined) return;
      const Ctor = globalThis.AudioContext;
      if (!Ctor) return; // no Web Audio: ring silently, the status text still says "Ringing"
      pending = setTimeout(() => {
        try {
          ctx = new Ctor();
          beep(ctx);
          timer = setInterval(() => ctx && beep(ctx), 5000);
        } catch {
          ctx = undefined;
        }
      }, delayMs);
    },
    stop() {
      clearTimeout(pending);
      pending = undefined;
      clearInterval(timer);
      timer = undefined;
      void ctx?.close().catch(() => undefined);
      ctx = undefined;
    },
  };
}
