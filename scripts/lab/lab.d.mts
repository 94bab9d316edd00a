// Types for lab.mjs (plain JavaScript, so TypeScript tests can import it).

export type FirewallMode = 'open' | 'udp-blocked' | 'tcp443-only' | 'offline';
export type LabNamespace = 'visitor' | 'router' | 'inet';

/** stack.json of the PBX stack running in the inet namespace (see scripts/pbx/pbx-stack.sh). */
export interface LabPbxStack {
  ws: string; wss: string; sipUdp: string; domain: string; realm: string; qop: string;
  wrongPasswordResponse: number; digestUriMismatchResponse: number;
  accounts: { user: string; password: string }[];
  numbers: Record<'echo' | 'tone' | 'hangup' | 'busy' | 'notFound' | 'noAnswer' | 'pcmuEcho', string>;
  hangupAfterMs: number; toneHz: number;
  /** `path` is the control hub's Unix socket: use it from the root namespace */
  baresipCtrl: { host: string; port: number; path?: string };
  recordings: string; tlsCert: string;
  rtpengine: { ng: string; offerFromWs: string; answerToWs: string };
  logs: Record<'kamailio' | 'rtpengine' | 'baresip' | 'baresipEvents' | 'hub', string>;
  pids: Record<'rtpengine' | 'kamailio' | 'baresip' | 'hub', number>;
  runDir: string; startMs: number;
}

/** lab.json, written by `lab.sh up` (stdout and RUN/lab.json). */
export interface Lab {
  id: string;
  runDir: string;
  labSh: string;
  namespaces: Record<LabNamespace, string>;
  /** argv prefixes: [...lab.exec.visitor, 'curl', ...] */
  exec: Record<LabNamespace, string[]>;
  addresses: { inetGateway: string; routerWan: string; routerLan: string; visitor: string; pbx: string; turn: string; web: string };
  /** https://203.0.113.30/ : nginx serves `www` there */
  pageBaseUrl: string;
  www: string;
  ws: { proxied: string; direct: string; directTls: string; proxyIdleTimeoutS: number };
  turn: {
    host: string; realm: string; secret: string;
    urls: { stun: string; udp: string; tcp: string; tls: string; tlsByName: string };
    ports: { udp: number; tcp: number; tls: number };
    allowedPeers: string;
  };
  firewall: { modes: FirewallMode[]; initial: FirewallMode; modeFile: string; setCommand: string; countersCommand: string[]; countersShell: string };
  /** the lab CA (signs web and turn), and base64 SHA-256 SPKI hashes (Chromium's --ignore-certificate-errors-spki-list) */
  tls: { ca: string; web: string; turn: string; pbx: string; spki: { web: string; turn: string; pbx: string } };
  logs: Record<'kamailio' | 'rtpengine' | 'baresip' | 'baresipEvents' | 'hub' | 'pbxStack' | 'coturn' | 'nginxError' | 'nginxAccess' | 'firewall' | 'dir' | 'pbxDir', string>;
  pids: { coturn: number; nginx: number };
  pbx: LabPbxStack;
  startMs: number;
}

export interface RunResult { code: number; stdout: string; stderr: string; killed: boolean }
export interface ProbeResult { ok: boolean; error?: string; ms?: number; [key: string]: unknown }

export const REPO_ROOT: string;
export const LAB_SH: string;
export const PROBE: string;
export const LAB_LOG_DIR: string;
export const FIREWALL_MODES: FirewallMode[];
export function labRunDir(runDir?: string): string;
export function labUp(opts?: { runDir?: string; env?: Record<string, string> }): Lab;
export function labDown(opts?: { runDir?: string }): void;
export function readLab(runDir?: string): Lab;
export function setFirewall(mode: FirewallMode, runDir?: string): Promise<void>;
export function firewallMode(runDir?: string): FirewallMode;
export function firewallCounters(runDir?: string): Promise<string>;
export function inNamespace(lab: Lab, ns: LabNamespace, cmd: string, args?: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string }): Promise<RunResult>;
export function probe(lab: Lab, command: 'sip-options' | 'tcp' | 'turn' | 'ws' | 'ws-idle', args?: string[], opts?: { ns?: LabNamespace; timeoutMs?: number }): Promise<ProbeResult>;
export function keepLabLogs(lab: Lab, name: string): string;
/** TURN REST credentials: username "<unix expiry>:<name>", credential base64(HMAC-SHA1(secret, username)) */
export function turnCredentials(secret: string, name?: string, ttlS?: number): { username: string; credential: string };
/** A visitor's browser in the lab's visitor namespace, trusting the lab's CA. */
export function launchVisitorBrowser(lab: Lab, kind: 'chromium' | 'firefox'): Promise<import('puppeteer-core').Browser>;
