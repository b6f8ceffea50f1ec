import { bundleDigest } from '../../bundle/digest.js';
import type { BundleManifest } from '../../bundle/manifest.js';
import type { StageRun } from './context.js';

/** With `registry.register`: a new version of the model (bundle and its digest, test metrics, config hash, git SHA), and the configured alias moved to it. */
export async function registerModel({ config, env, runId }: StageRun, bundle: { manifest: BundleManifest; location: string; configHash: string; metrics: Record<string, number> }): Promise<{ name: string; version: number } | null> {
  if (!config.registry.register) return null;
  // The digest seals the manifest as written: loading the version by NAME@ALIAS checks it.
  const digest = await bundleDigest(bundle.manifest);
  const version = await env.registry.registerVersion(bundle.manifest.name, { runId, bundle: bundle.location, metrics: bundle.metrics, configHash: bundle.configHash, bundleDigest: digest, ...(env.gitSha ? { gitSha: env.gitSha } : {}) });
  if (config.registry.alias) await env.registry.setAlias(version.name, version.version, config.registry.alias);
  return { name: version.name, version: version.version };
}
