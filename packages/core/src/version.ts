/**
 * The version of @cvf/core, as in packages/core/package.json (version.test.ts keeps the two equal).
 * A constant, not a read of package.json, so the browser bundle has it too; bundles record it.
 */
export const CORE_VERSION = '0.1.0';
