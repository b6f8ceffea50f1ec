import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Artifact } from '../../tracking/types.js';
import { assertArtifactPath } from '../../tracking/validate.js';

// The files of runs, laid out the same for every store kind under its root folder:
// `artifacts/<runId>/<path>` and the bundle folder training writes, `bundles/<runId>`.

export function artifactFilePath(root: string, runId: string, path: string): string {
  assertArtifactPath(path);
  return join(root, 'artifacts', runId, ...path.split('/'));
}

/** Writes an artifact's bytes; returns its record (size and SHA-256). */
export function writeArtifactFile(root: string, runId: string, path: string, bytes: Uint8Array): Artifact {
  const target = artifactFilePath(root, runId, path);
  mkdirSync(dirname(target), { recursive: true });
  // Written beside the target then renamed: a crash leaves the old file or the new, never half of one.
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, target);
  return { path, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Removes a deleted run's artifacts and its bundle folder, unless one of `versions` still uses the bundle. */
export function removeRunFiles(root: string, runId: string, versions: readonly { bundle: string }[]): void {
  rmSync(join(root, 'artifacts', runId), { recursive: true, force: true });
  const bundles = resolve(root, 'bundles', runId);
  if (!versions.some((v) => resolve(v.bundle) === bundles || resolve(v.bundle).startsWith(bundles + sep))) rmSync(bundles, { recursive: true, force: true });
}
