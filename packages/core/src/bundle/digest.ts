import type { BundleManifest } from './manifest.js';
import { sha256Hex } from './sha256.js';

/**
 * The bundle digest: SHA-256 of the manifest in canonical JSON (keys sorted by code unit, no
 * spaces). The manifest lists every other file with its SHA-256, so the digest seals the whole
 * bundle — classes, preprocessing and all. The registry version number is left out: it is
 * registry metadata, filled in when a version is exported, and must not change the digest.
 */
export function bundleDigest(manifest: BundleManifest): Promise<string> {
  const { version: _version, ...content } = manifest;
  return sha256Hex(new TextEncoder().encode(canonicalJson(content)));
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
