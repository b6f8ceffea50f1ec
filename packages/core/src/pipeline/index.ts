export { assertBundlePath, MANIFEST_FILE, openBundle, sealBundle, type Bundle } from './bundle.js';
export { BUNDLE_SCHEMA_VERSION, bundleManifestSchema, type BundleManifest, type BundleStage } from './bundle-manifest.js';
export { sha256Hex } from './sha256.js';
