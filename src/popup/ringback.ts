/** A ringback tone made with Web Audio (425 Hz, 1 s on, 4 s off, as in most of Europe): no sound file to ship. */
export interface Ringback {
  start(): void;
  stop(): void;
}

export function createRingback(): Ringback {
  let ctx: AudioContext | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
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
      if (timer !== undefined) return;
      const Ctor = globalThis.AudioContext;
      if (!Ctor) return; // no Web Audio: ring silently, the status text still says "Ringing"
      try {
        ctx = new Ctor();
        beep(ctx);
        timer = setInterval(() => ctx && beep(ctx), 5000);
      } catch {
        ctx = undefined;
      }
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      void ctx?.close().catch(() => undefined);
      ctx = undefined;
    },
  };
}
