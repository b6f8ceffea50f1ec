import { BundleError } from '../errors.js';
import { assertBundlePath, MANIFEST_FILE } from './bundle-path.js';
import { verifyInPlace, type InPlaceFiles, type InPlaceFolder } from './in-place.js';
import { bundleManifestSchema, BUNDLE_SCHEMA_VERSION, type BundleManifest, type UnsealedManifest } from './manifest.js';
import { isManifestV1, upgradeManifestV1 } from './manifest-v1.js';
import { sha256Hex } from './sha256.js';
import type { SavedStage, StageFiles, StageRecord } from './stage-kind.js';
import type { BundleStage, StageKindName, StageOfKind } from './stage-table.js';

/** A bundle in memory: its manifest (in the current schema) and the verified bytes of each file. */
export interface Bundle {
  readonly manifest: BundleManifest;
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** `manifest.sig`, when the bundle is signed (see signature.ts); travels with the bundle. */
  readonly signature?: Uint8Array;
  /** Files verified where they lie in the bundle folder and not in `files` (a disk index's table, see in-place.ts). */
  readonly inPlace?: InPlaceFiles;
}

/** The stages of a bundle and all their files, in the order given; two stages may not write one file. */
export function collectStages(saved: readonly (SavedStage<BundleStage> | BundleStage)[]): { stages: BundleStage[]; files: Map<string, Uint8Array> } {
  const stages: BundleStage[] = [];
  const files = new Map<string, Uint8Array>();
  for (const item of saved) {
    const { stage, files: own } = 'stage' in item ? item : { stage: item, files: new Map<string, Uint8Array>() };
    for (const [path, bytes] of own) {
      if (files.has(path)) throw new BundleError('BUNDLE_INVALID', `stages "${stage.kind}" and another both write "${path}"`);
      files.set(path, bytes);
    }
    stages.push(stage);
  }
  return { stages, files };
}

/** Completes a manifest with the size and checksum of every file, validates it, and serializes it. */
export async function sealBundle(manifest: UnsealedManifest, files: ReadonlyMap<string, Uint8Array>): Promise<{ manifest: BundleManifest; manifestBytes: Uint8Array }> {
  const entries: BundleManifest['files'] = {};
  for (const [path, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    assertBundlePath(path);
    entries[path] = { size: bytes.byteLength, sha256: await sha256Hex(bytes) };
  }
  const parsed = bundleManifestSchema.safeParse({ ...manifest, files: entries });
  if (!parsed.success) throw new BundleError('BUNDLE_INVALID', `the bundle being written is not valid: ${issues(parsed.error)}`);
  return { manifest: parsed.data, manifestBytes: new TextEncoder().encode(`${JSON.stringify(parsed.data, null, 2)}\n`) };
}

/** `manifest.json` bytes → the manifest in the current schema (older versions are upgraded), or BUNDLE_INVALID / BUNDLE_VERSION_UNSUPPORTED. */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== 1 && version !== BUNDLE_SCHEMA_VERSION) {
    throw new BundleError('BUNDLE_VERSION_UNSUPPORTED', `bundle schema version ${version} is not supported by this @cvf/core (it reads versions 1 to ${BUNDLE_SCHEMA_VERSION})`);
  }
  let current: unknown = raw;
  if (isManifestV1(raw)) {
    const upgraded = upgradeManifestV1(raw);
    if (!upgraded.success) throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} (schema version 1) does not describe a bundle: ${issues(upgraded.error)}`);
    current = upgraded.data;
  }
  const parsed = bundleManifestSchema.safeParse(current);
  if (!parsed.success) throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} does not describe a bundle: ${issues(parsed.error)}`);
  return parsed.data;
}

/**
 * Checks a bundle read from anywhere (folder, tar, HTTP, IndexedDB): the manifest's schema and
 * version, and that every file is present with its recorded size and checksum. A missing or
 * altered file is BUNDLE_CORRUPT naming it. With `inPlace` (a bundle folder on this machine), the
 * files of a disk index are verified there by streaming and left out of `files` (see in-place.ts).
 */
export async function openBundle(manifestBytes: Uint8Array, readFile: (path: string, size: number) => Promise<Uint8Array | null>, inPlace?: InPlaceFolder): Promise<Bundle> {
  const manifest = parseManifest(manifestBytes);
  const verifiedInPlace = inPlace ? await verifyInPlace(manifest, inPlace) : null;
  const files = new Map<string, Uint8Array>();
  for (const [path, expected] of Object.entries(manifest.files)) {
    if (verifiedInPlace?.paths.has(path)) continue;
    const bytes = await readFile(path, expected.size);
    if (!bytes) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" is missing`);
    if (bytes.byteLength !== expected.size || (await sha256Hex(bytes)) !== expected.sha256) {
      throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" does not match its checksum (damaged or edited after the bundle was written)`);
    }
    files.set(path, bytes);
  }
  return verifiedInPlace ? { manifest, files, inPlace: verifiedInPlace } : { manifest, files };
}

/** The bundle's stage of a kind, typed by that kind; undefined when the bundle has none. */
export function findStage<K extends StageKindName>(manifest: BundleManifest, kind: K): StageOfKind<K> | undefined {
  return manifest.stages.find((stage): stage is StageOfKind<K> => stage.kind === kind);
}

export function requireStage<K extends StageKindName>(manifest: BundleManifest, kind: K): StageOfKind<K> {
  const stage = findStage(manifest, kind);
  if (!stage) throw new BundleError('BUNDLE_INVALID', `bundle "${manifest.name}" has no "${kind}" stage`);
  return stage;
}

/** The verified bytes of each file of a stage, by role; files kept in place (`bundle.inPlace`) are left out, for the stage to open where they lie. */
export function stageFiles<S extends StageRecord>(bundle: Bundle, stage: S): StageFiles<S> {
  const out: Record<string, Uint8Array> = {};
  for (const [role, path] of Object.entries(stage.files)) {
    if (bundle.inPlace?.paths.has(path)) continue;
    const bytes = bundle.files.get(path);
    if (!bytes) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" (${stage.kind} ${role}) is missing`);
    out[role] = bytes;
  }
  // Every role of the stage's record was filled above.
  return out as StageFiles<S>;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
