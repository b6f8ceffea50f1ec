import { existsSync } from 'node:fs';
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

/** Why browser tests cannot run here, or null. In CI on Linux a missing Chromium is a failure. */
export function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (scripts/setup.sh installs Debian's chromium)`;
  if (process.env.CI === 'true' && process.platform === 'linux') throw new Error(`CI=true on Linux requires Chromium: ${reason}`);
  console.warn(reason);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}
