/**
 * A fake SIP transport for driving SipPhone's SIP.js in plain Node: it keeps every message SIP.js
 * sends, and the test plays the PBX by handing it raw SIP text. Plus the few helpers a test needs to
 * read a request and write the PBX's answer to it.
 */
import { EmitterImpl } from 'sip.js/lib/api/emitter.js';
import type { Transport } from 'sip.js/lib/api/transport.js';
import { TransportState } from 'sip.js/lib/api/transport-state.js';

export interface SipMessage {
  raw: string;
  /** Requests: the method; responses: undefined. */
  method?: string;
  /** Responses: the status code; requests: undefined. */
  status?: number;
  /** Requests: the Request-URI. */
  uri?: string;
  headers: Array<[name: string, value: string]>;
  body: string;
}

export function parseSip(raw: string): SipMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const [start, ...lines] = head.split('\r\n');
  const headers = lines.map((l): [string, string] => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).trim(), l.slice(colon + 1).trim()];
  });
  const response = /^SIP\/2\.0 (\d{3}) /.exec(start);
  if (response) return { raw, status: Number(response[1]), headers, body };
  const [method, uri] = start.split(' ');
  return { raw, method, uri, headers, body };
}

/** Every value of a header, by its name in any case. */
export function headers(m: SipMessage, name: string): string[] {
  return m.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export function header(m: SipMessage, name: string): string | undefined {
  return headers(m, name)[0];
}

/** `CSeq: 2 INVITE` -> 2 */
export function cseq(m: SipMessage): number {
  return Number(header(m, 'CSeq')?.split(' ')[0]);
}

export function tagOf(nameAddr: string | undefined): string | undefined {
  return /;tag=([^;>\s]+)/.exec(nameAddr ?? '')?.[1];
}

/** The URI inside `<...>` of a name-addr such as a Contact. */
export function uriOf(nameAddr: string | undefined): string {
  return /<([^>]+)>/.exec(nameAddr ?? '')?.[1] ?? nameAddr ?? '';
}

const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 407: 'Proxy Authentication Required', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 491: 'Request Pending', 503: 'Service Unavailable',
};

export interface ReplyOptions {
  /** The far end's dialog tag; set on every response but 100. */
  toTag?: string;
  headers?: string[];
  /** An SDP body. */
  sdp?: string;
}

export const FAR_TAG = 'far-1';
export const FAR_CONTACT = '<sip:100@192.0.2.20:5060;transport=ws>';

/** The PBX's response to a request SIP.js sent: Via, From, To, Call-ID and CSeq as RFC 3261 section 8.2.6 says. */
export function reply(request: SipMessage, status: number, options: ReplyOptions = {}): string {
  let to = header(request, 'To') ?? '';
  if (status > 100 && !tagOf(to)) to += `;tag=${options.toTag ?? FAR_TAG}`;
  const lines = [
    `SIP/2.0 ${status} ${REASONS[status] ?? 'Whatever'}`,
    ...headers(request, 'Via').map((v) => `Via: ${v}`),
    `From: ${header(request, 'From')}`,
    `To: ${to}`,
    `Call-ID: ${header(request, 'Call-ID')}`,
    `CSeq: ${header(request, 'CSeq')}`,
  ];
  // A dialog-creating response names where the far end takes in-dialog requests.
  if (request.method === 'INVITE' && status > 100 && status < 300) lines.push(`Contact: ${FAR_CONTACT}`);
  lines.push(...(options.headers ?? []));
  return withBody(lines, options.sdp);
}

/** A request of the far end inside the dialog that `invite` (our INVITE) and its 2xx set up. */
export function farRequest(invite: SipMessage, method: string, cseqNumber: number, options: { sdp?: string; headers?: string[] } = {}): string {
  const lines = [
    `${method} ${uriOf(header(invite, 'Contact'))} SIP/2.0`,
    `Via: SIP/2.0/WSS 192.0.2.20;branch=z9hG4bK-far-${method}-${cseqNumber}`,
    'Max-Forwards: 70',
    `From: ${header(invite, 'To')};tag=${FAR_TAG}`,
    `To: ${header(invite, 'From')}`,
    `Call-ID: ${header(invite, 'Call-ID')}`,
    `CSeq: ${cseqNumber} ${method}`,
    ...(options.headers ?? []),
  ];
  if (method === 'INVITE') lines.push(`Contact: ${FAR_CONTACT}`);
  return withBody(lines, options.sdp);
}

function withBody(lines: string[], sdp: string | undefined): string {
  if (sdp) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${sdp ? Buffer.byteLength(sdp) : 0}`);
  return `${lines.join('\r\n')}\r\n\r\n${sdp ?? ''}`;
}

/**
 * A transport SIP.js takes for its WebSocket one (UserAgentOptions.transportConstructor). It keeps to the
 * state rules of SIP.js's Transport interface, connects at once unless told to refuse, and can drop.
 */
export class FakeTransport implements Transport {
  /** Every instance made, newest last: the test's handle on the one inside SipPhone's user agent. */
  static made: FakeTransport[] = [];

  readonly protocol = 'WSS';
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  /** What SIP.js sent, in order, across reconnections. */
  readonly sent: SipMessage[] = [];
  /** Calls of connect() that had to connect (the first one included). */
  connects = 0;
  /** While true, connecting fails (a PBX or network that is down). */
  refuse = false;
  disposed = false;
  private current: TransportState = TransportState.Disconnected;

  constructor(_logger: unknown, readonly options: unknown) {
    FakeTransport.made.push(this);
  }

  get state(): TransportState {
    return this.current;
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected;
  }

  connect(): Promise<void> {
    if (this.current === TransportState.Connected) return Promise.resolve();
    this.connects++;
    this.move(TransportState.Connecting);
    // Like a WebSocket: the outcome comes later, never within the call.
    return Promise.resolve().then(() => {
      if (this.current !== TransportState.Connecting) throw new Error('connect superseded');
      if (this.refuse) {
        this.move(TransportState.Disconnected);
        throw new Error('connection refused');
      }
      this.move(TransportState.Connected);
    });
  }

  disconnect(): Promise<void> {
    if (this.current === TransportState.Connected || this.current === TransportState.Connecting) {
      this.move(TransportState.Disconnecting);
      this.move(TransportState.Disconnected);
    }
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    this.disposed = true;
    return this.disconnect();
  }

  send(message: string): Promise<void> {
    if (!this.isConnected()) return Promise.reject(new Error('not connected'));
    this.sent.push(parseSip(message));
    return Promise.resolve();
  }

  /** The network takes the connection away (not our own disconnect: with an error). */
  drop(): void {
    if (!this.isConnected()) throw new Error('drop: not connected');
    this.move(TransportState.Disconnected, new Error('connection lost'));
  }

  /** A message from the PBX. */
  receive(raw: string): void {
    if (!this.isConnected()) throw new Error('receive: not connected');
    this.onMessage?.(raw);
  }

  private move(next: TransportState, error?: Error): void {
    const was = this.current;
    this.current = next;
    this.stateChange.emit(next);
    if (next === TransportState.Connected) this.onConnect?.();
    if (was === TransportState.Connected) this.onDisconnect?.(error);
  }
}
