import * as namespace from 'dicom-parser';

/**
 * dicom-parser ships a UMD bundle: Node's ESM loader exposes it only as the default export, while
 * bundlers (esbuild, Vite) may expose named exports. This resolves either to the same object.
 */
export const dicomParser: typeof namespace = (namespace as unknown as { default?: typeof namespace }).default ?? namespace;
