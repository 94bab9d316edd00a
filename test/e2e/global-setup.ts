import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../support/shared-fixtures.js';

// One reference PBX stack for the whole suite, in its own run folder and port range, so a demo
// or a developer's stack on the default ports does not collide with it.
export const E2E_RUN_DIR = resolve(REPO_ROOT, '.run/pbx-e2e');
/** A failing test's browser console and stack logs, of this run only. */
export const E2E_LOG_DIR = resolve(REPO_ROOT, 'test-output/e2e-logs');

/** Starts or stops the suite's stack; stop is idempotent. */
export function pbxStack(cmd: 'start' | 'stop'): void {
  execFileSync('bash', [resolve(REPO_ROOT, 'scripts/pbx/pbx-stack.sh'), cmd], {
    env: { ...process.env, VODIA_PBX_RUN_DIR: E2E_RUN_DIR, VODIA_PBX_PORT_BASE: process.env.VODIA_PBX_PORT_BASE ?? '17060' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export default function setup(): () => void {
  rmSync(E2E_LOG_DIR, { recursive: true, force: true });
  pbxStack('stop'); // a stack left over from an interrupted run
  pbxStack('start');
  return () => pbxStack('stop');
}
