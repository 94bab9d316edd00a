// Debian's Chromium driven by playwright-core, with the flags of docs/design.md §6.3: headless, fake
// media devices, loopback WebRTC, and no background traffic to hosts this machine cannot reach.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];

/**
 * @param {{ args?: string[], denyMicrophone?: boolean }} [options] extra flags; denyMicrophone
 *   drops the fake-accept flag and refuses permission prompts, as a visitor who clicks "Block".
 */
export function launchChromium(options = {}) {
  const base = options.denyMicrophone
    ? [...CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts']
    : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...base, ...(options.args ?? [])] });
}
