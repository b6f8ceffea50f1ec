import { collectStages, type Bundle } from '../../bundle/bundle.js';
import type { BundleManifest, UnsealedManifest } from '../../bundle/manifest.js';
import { STAGE_KINDS } from '../../bundle/stage-table.js';
import type { TrainingEnvironment } from '../training-environment.js';

/**
 * The averaged model as one servable bundle: the challenger's bundle (its features, case index,
 * decision and drift reference serve as they are) with an `ensemble` stage holding the champion's
 * whole bundle, whose probabilities the Predictor averages in. Written where `runId`'s bundles go.
 */
export async function writeEnsembleBundle(
  env: TrainingEnvironment,
  runId: string,
  parts: { readonly primary: Bundle; readonly member: Bundle; readonly memberVersion: { name: string; version: number }; readonly testMetrics: Readonly<Record<string, number>> },
): Promise<{ location: string; manifest: BundleManifest }> {
  const { primary, member } = parts;
  const ensemble = collectStages([STAGE_KINDS.ensemble.save(member, primary.manifest.classes, parts.memberVersion)]);
  const { files: _sealed, ...fields } = primary.manifest;
  const manifest: UnsealedManifest = {
    ...fields,
    version: null,
    createdAt: new Date().toISOString(),
    stages: [...primary.manifest.stages, ...ensemble.stages],
    // Measured on the held-out set the selector judged on; the members' validation does not describe the average.
    metrics: { test: { ...parts.testMetrics } },
  };
  return env.writeBundle(runId, manifest, new Map([...primary.files, ...ensemble.files]));
}
