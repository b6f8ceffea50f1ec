import type { StageRun } from './context.js';

/** With `registry.register`: a new version of the model (bundle, test metrics, config hash, git SHA), and the configured alias moved to it. */
export async function registerModel({ config, env, runId }: StageRun, bundle: { name: string; location: string; configHash: string; metrics: Record<string, number> }): Promise<{ name: string; version: number } | null> {
  if (!config.registry.register) return null;
  const version = await env.registry.registerVersion(bundle.name, { runId, bundle: bundle.location, metrics: bundle.metrics, configHash: bundle.configHash, ...(env.gitSha ? { gitSha: env.gitSha } : {}) });
  if (config.registry.alias) await env.registry.setAlias(version.name, version.version, config.registry.alias);
  return { name: version.name, version: version.version };
}
