import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

// One reference PBX stack for the whole suite, in its own run folder and port range, so a demo
// or a developer's stack on the default ports does not collide with it.
const REPO = resolve(import.meta.dirname, '../..');
export const E2E_RUN_DIR = resolve(REPO, '.run/pbx-e2e');

function stack(cmd: 'start' | 'stop'): void {
  execFileSync('bash', [resolve(REPO, 'scripts/pbx/pbx-stack.sh'), cmd], {
    env: { ...process.env, VODIA_PBX_RUN_DIR: E2E_RUN_DIR, VODIA_PBX_PORT_BASE: process.env.VODIA_PBX_PORT_BASE ?? '17060' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export default function setup(): () => void {
  rmSync(resolve(REPO, 'test-output/e2e-logs'), { recursive: true, force: true }); // logs of this run only
  stack('stop'); // a stack left over from an interrupted run
  stack('start');
  return () => stack('stop');
}
