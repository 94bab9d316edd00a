import type { TestProject } from 'vitest/node';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startWebKit } from '../../scripts/lib/webkit.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** WebKitWebDriver's address; each test file opens its MiniBrowser sessions there (openSession). */
    webkitDriverUrl: string;
  }
}

// One Xvfb and one WebKitWebDriver for the suite. The returned teardown runs even when tests fail, and
// ends whatever MiniBrowser a failed test left open (it is in the driver's process group).
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const webkit = await startWebKit();
  project.provide('webkitDriverUrl', webkit.driverUrl);
  return () => webkit.stop();
}
