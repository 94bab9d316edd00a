// Types for rtp-events.mjs (plain JavaScript, so TypeScript tests can import it without @ts-expect-error).

export interface CapturePorts { sip: number; rtpMin: number; rtpMax: number }
export interface CaptureOptions {
  /** network interface, default 'lo' */
  iface?: string;
  /** builds the filter 'udp and (port SIP or portrange MIN-MAX)'; not needed when `filter` is given */
  ports?: CapturePorts;
  /** pcap file tcpdump writes */
  file: string;
  /** run tcpdump inside this network namespace (ip netns exec NS tcpdump ...) */
  netns?: string;
  /** a tcpdump filter expression of your own instead of the one from `ports` */
  filter?: string;
  /** kernel capture buffer (tcpdump -B), default 8192 KiB */
  bufferKiB?: number;
  /** how long to wait for "listening on", default 15000 */
  startTimeoutMs?: number;
}
export interface Capture {
  pid: number | undefined;
  file: string;
  filter: string;
  /** tcpdump's closing counts, set by stop() */
  stats: { captured: number | null; receivedByFilter: number | null; droppedByKernel: number | null } | null;
  stderr(): string;
  /**
   * Waits until the file has not grown for settleMs (default 150; at most maxWaitMs, default 3000), sends SIGINT
   * and waits for tcpdump to exit: the file is complete when this resolves.
   */
  stop(options?: { settleMs?: number; maxWaitMs?: number }): Promise<void>;
}
export function ensureTcpdump(): Promise<string>;
export function captureFilter(ports: CapturePorts): string;
export function startCapture(options: CaptureOptions): Promise<Capture>;

export interface UdpPacket {
  /** capture time, milliseconds since 1970 (fractional) */
  ts: number;
  src: string; dst: string; sport: number; dport: number;
  payload: Buffer;
}
export function readPcap(buffer: Buffer | Uint8Array): UdpPacket[];

export interface RtpHeader { marker: boolean; pt: number; seq: number; timestamp: number; ssrc: number; payload: Buffer }
export function parseRtp(payload: Buffer): RtpHeader | null;
export function parseTelephoneEvent(payload: Buffer): { event: number; end: boolean; volume: number; duration: number } | null;
export function eventDigit(code: number): string | null;

export interface PayloadType { encoding: string; clock: number; channels: number }
export interface SdpMedia {
  type: string; port: number; proto: string; formats: number[]; address: string | null;
  payloadTypes: Record<number, PayloadType>; fmtp: Record<number, string>; direction: string;
}
export interface Sdp { address: string | null; media: SdpMedia[] }
export interface SipMessage {
  kind: 'request' | 'response';
  method?: string; status?: number;
  callId: string; cseq?: number; cseqMethod?: string;
  headers: Record<string, string>;
  body: string;
}
export function parseSip(payload: Buffer | string): SipMessage | null;
export function parseSdp(text: string): Sdp;
export function sdpFromSip(payload: Buffer | string): (SipMessage & { sdp: Sdp }) | null;

/** One audio m= line of one SDP in the capture: what address:port receives, with which payload types. */
export interface SdpEndpoint {
  ts: number;
  callId: string;
  role: 'offer' | 'answer';
  /** request method or response status that carried it */
  sip: string | number;
  /** who sent / received the SIP message, 'ip:port' */
  from: string; to: string;
  address: string | null; port: number; proto: string;
  payloadTypes: Record<number, PayloadType>;
  telephoneEvents: { pt: number; clock: number; fmtp: string | null }[];
  /** first audio codec of the m= line (not telephone-event, CN or red) */
  audio: ({ pt: number } & PayloadType) | null;
}
export function telephoneEventPayloadTypes(packets: UdpPacket[]): SdpEndpoint[];

export interface DtmfOptions {
  sdpMaps?: SdpEndpoint[];
  /** clock for durationMs; default: the rtpmap's (with sdpMaps), else 8000 */
  clock?: number;
  /** the telephone-event payload type(s); without sdpMaps, or to narrow them */
  eventPt?: number | number[];
  toPort?: number;
  toAddress?: string;
  /** with sdpMaps: streams to the answerer (default), to the offerer, or both */
  direction?: 'toAnswerer' | 'toOfferer' | 'both';
}
export interface DtmfEvent {
  /** '0'-'9', '*', '#', 'A'-'D'; null for event codes above 15 */
  digit: string | null;
  event: number;
  /** packets of this event, end retransmissions included */
  packets: number;
  /** packets with the E bit */
  endPackets: number;
  firstMs: number; lastMs: number;
  /** arrival of the first E-bit packet, null if none arrived */
  endMs: number | null;
  /** endMs - firstMs, or lastMs - firstMs when no end packet arrived */
  spanMs: number;
  /** largest duration field seen, in RTP clock units */
  durationField: number;
  firstDurationField: number;
  clock: number;
  /** durationField / clock * 1000 */
  durationMs: number;
  ended: boolean;
  ssrc: number; pt: number; timestamp: number; marker: boolean; volume: number;
  src: string; dst: string;
  callId: string | null;
}
export function dtmfDigits(packets: UdpPacket[], options?: DtmfOptions): DtmfEvent[];
