import * as z from 'zod';
import { BundleError } from '../errors.js';

export const MANIFEST_FILE = 'manifest.json';
/** The optional Ed25519 signature of the bundle digest, beside the manifest (see signature.ts). */
export const SIGNATURE_FILE = 'manifest.sig';

/** The manifest and its signature: files of every bundle that the manifest itself does not list. */
export function isBundleMetaFile(path: string): boolean {
  return path === MANIFEST_FILE || path === SIGNATURE_FILE;
}

/** Why `path` cannot name a file of a bundle, or null when it can. */
function bundlePathProblem(path: string): string | null {
  if (isBundleMetaFile(path)) return `it is the name of the manifest or its signature`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute';
  if (path.includes('\\')) return 'it contains a backslash';
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return 'it has an empty, "." or ".." segment';
  return null;
}

/**
 * Bundle file names are relative paths confined to the bundle: they become paths on disk, tar
 * entries, URL paths and IndexedDB keys, so a `../` or absolute name could reach outside it.
 */
export function assertBundlePath(path: string): void {
  const problem = bundlePathProblem(path);
  if (problem) throw new BundleError('BUNDLE_INVALID', `bundle file name "${path}" is refused: ${problem} (names are relative paths inside the bundle)`);
}

/** A manifest field naming a bundle file. */
export const bundlePathSchema = z.string().superRefine((path, ctx) => {
  const problem = bundlePathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${path}" is not a bundle file name: ${problem}` });
});
