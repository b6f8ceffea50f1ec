import { collectStages, type Bundle } from '../../bundle/bundle.js';
import { bundleDigest } from '../../bundle/digest.js';
import type { UnsealedManifest } from '../../bundle/manifest.js';
import { STAGE_KINDS } from '../../bundle/stage-table.js';
import type { ModelVersion } from '../../tracking/types.js';
import type { TrainingEnvironment } from '../training-environment.js';

/**
 * The averaged model as one servable bundle, registered as the next version of the model: the
 * challenger's bundle (its features, case index, decision and drift reference serve as they are)
 * with an `ensemble` stage holding the champion's whole bundle, whose probabilities the Predictor
 * averages in. Written where the retraining run's bundles go.
 */
export async function registerEnsemble(
  env: TrainingEnvironment,
  runId: string,
  parts: { readonly challenger: { version: ModelVersion; bundle: Bundle }; readonly champion: { version: ModelVersion; bundle: Bundle }; readonly testMetrics: Readonly<Record<string, number>> },
): Promise<ModelVersion> {
  const { challenger, champion } = parts;
  const primary = challenger.bundle;
  const ensemble = collectStages([STAGE_KINDS.ensemble.save(champion.bundle, primary.manifest.classes, { name: champion.version.name, version: champion.version.version })]);
  const { files: _sealed, ...fields } = primary.manifest;
  const manifest: UnsealedManifest = {
    ...fields,
    version: null,
    createdAt: new Date().toISOString(),
    stages: [...primary.manifest.stages, ...ensemble.stages],
    // Measured on the held-out set the selector judged on; the members' validation does not describe the average.
    metrics: { test: { ...parts.testMetrics } },
  };
  const written = await env.writeBundle(runId, manifest, new Map([...primary.files, ...ensemble.files]));
  return env.registry.registerVersion(challenger.version.name, {
    runId,
    bundle: written.location,
    metrics: parts.testMetrics,
    bundleDigest: await bundleDigest(written.manifest),
    ...(challenger.version.configHash ? { configHash: challenger.version.configHash } : {}),
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
  });
}
