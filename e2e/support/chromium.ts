import { existsSync } from 'node:fs';
import { requireInCi } from '@cvf/core/testing';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CVF_CHROMIUM ?? '/usr/bin/chromium';

// WebGPU in headless Chromium (a SwiftShader adapter on CPU-only machines), and no network chatter:
// this machine's closed network refuses Chromium's background connections.
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why browser tests cannot run here, or undefined (a failure in CI on Linux, `requireInCi`). */
export function chromiumUnavailable(): string | undefined {
  return requireInCi("Chromium (Debian's chromium)", existsSync(CHROMIUM_PATH) || `no Chromium at ${CHROMIUM_PATH}`);
}

/** Headless Chromium with the flags above, and `extraArgs` (e.g. a fake camera) after them. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...FLAGS, ...extraArgs], headless: true });
}
