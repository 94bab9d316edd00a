/**
 * How long to ask the browser's RTCDTMFSender for, so that a keypad digit really lasts
 * `wantedMs` on the wire.
 *
 * Chromium and Firefox count an RFC 4733 event's duration in the audio codec's clock units but
 * stop at a target computed in telephone-event clock units. When the answer pairs Opus (48 kHz)
 * with `telephone-event/8000`, as most PBXs answer, a 160 ms digit therefore leaves as packets
 * spanning about 40 ms whose duration field (1920) reads 240 ms: a receiver that times the
 * packets sees a short digit (and under load drops it), one that reads the field a long one.
 * Asking for `wantedMs * audioClock / eventClock` makes the packets span `wantedMs`; the field
 * then reads longer than `wantedMs`, which no receiver treats as a shorter or a second digit.
 * When the clocks agree (PCMU with telephone-event/8000, Opus with telephone-event/48000) the
 * request is left as it is.
 */
export function insertDtmfDuration(answerSdp: string | undefined, wantedMs: number): number {
  const clocks = answerSdp ? audioClocks(answerSdp) : undefined;
  if (!clocks || !clocks.events.length || clocks.events.includes(clocks.audio)) return wantedMs;
  const ratio = clocks.audio / clocks.events[0];
  // insertDTMF refuses durations above 6000 ms.
  return Math.min(MAX_INSERT_DTMF_MS, Math.round(wantedMs * ratio));
}

export const MAX_INSERT_DTMF_MS = 6000;

/**
 * The clock of the audio codec the answer puts first (the one the browser sends) and the clocks
 * of its telephone-event formats, from the first audio section of an SDP answer.
 */
export function audioClocks(sdp: string): { audio: number; events: number[] } | undefined {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('m=audio '));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('m='));
  const section = lines.slice(start, end < 0 ? undefined : end);
  const payloads = section[0].trim().split(/\s+/).slice(3);
  const formats = new Map<string, { name: string; clock: number }>();
  for (const line of section) {
    const m = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
    if (m) formats.set(m[1], { name: m[2].toLowerCase(), clock: Number(m[3]) });
  }
  const audio = payloads.map((p) => formats.get(p) ?? STATIC_FORMATS[p]).find((f) => f && !NOT_AUDIO.includes(f.name));
  if (!audio) return undefined;
  const events = payloads.map((p) => formats.get(p)).filter((f) => f?.name === 'telephone-event').map((f) => f!.clock);
  return { audio: audio.clock, events };
}

/** Formats that may come first in an answer but are not the voice codec. */
const NOT_AUDIO = ['telephone-event', 'cn', 'red', 'ulpfec', 'rtx'];
/** Static payload types (RFC 3551) that an answer may use without an rtpmap line. */
const STATIC_FORMATS: Record<string, { name: string; clock: number }> = {
  0: { name: 'pcmu', clock: 8000 }, 8: { name: 'pcma', clock: 8000 }, 9: { name: 'g722', clock: 8000 }, 18: { name: 'g729', clock: 8000 },
};
