// Vitest global setup for the lab suites (vitest.lab.config.ts): one lab for the whole run, up before the first
// test file and down after the last, also when tests fail. A lab left by an interrupted run is taken down by up.
import fs from 'node:fs';
import { LAB_LOG_DIR, labDown, labUp } from './lab.mjs';

export default function setup() {
  fs.rmSync(LAB_LOG_DIR, { recursive: true, force: true });
  const t0 = Date.now();
  const lab = labUp();
  process.stderr.write(`[lab] up in ${Date.now() - t0} ms (lab.sh: ${lab.startMs} ms): ${lab.id}, ${lab.pageBaseUrl}\n`);
  return () => {
    const t1 = Date.now();
    labDown();
    process.stderr.write(`[lab] down in ${Date.now() - t1} ms\n`);
  };
}
