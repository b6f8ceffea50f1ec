import * as z from 'zod';
import { BundleError } from '../../errors.js';
import { openBundle, type Bundle } from '../bundle.js';
import { bundlePathSchema, MANIFEST_FILE } from '../bundle-path.js';
import type { SavedStage, StageFiles } from '../stage-kind.js';

/** The folder of a bundle that holds its ensemble member. */
export const ENSEMBLE_MEMBER_FOLDER = 'member';

/**
 * A second model averaged with this bundle's own (`cvf retrain`'s ensemble selector): the member is
 * a whole bundle stored under `member/` — its manifest and every file, each listed here by its
 * path in the member (the role) and checksummed by the outer manifest — so the Predictor loads it
 * from the same source (folder, tar, HTTP, IndexedDB) and averages its class probabilities with
 * this bundle's, equal weights. Similar cases, features and drift reference stay this bundle's.
 */
export const ensembleStageSchema = z.strictObject({
  kind: z.literal('ensemble'),
  params: z.strictObject({
    member: z
      .strictObject({ name: z.string().min(1), version: z.int().positive().nullable() })
      .describe('the registered model (and version) whose probabilities are averaged with this bundle\'s, equal weights'),
  }),
  files: z
    .record(z.string().min(1), bundlePathSchema)
    .refine((files) => MANIFEST_FILE in files, { message: `the member's ${MANIFEST_FILE} is not listed` })
    .describe("the member's files by their path inside the member, manifest.json included"),
});
export type EnsembleStage = z.output<typeof ensembleStageSchema>;

/** The member bundle under `member/` (`registered`: its registry name and version); its classes must be this bundle's, in the same order. */
export function saveEnsembleStage(member: Bundle, classes: readonly string[], registered: EnsembleStage['params']['member']): SavedStage<EnsembleStage> {
  assertSameClasses(member, classes);
  const files = new Map<string, Uint8Array>();
  const roles: Record<string, string> = {};
  const add = (path: string, bytes: Uint8Array) => {
    roles[path] = `${ENSEMBLE_MEMBER_FOLDER}/${path}`;
    files.set(roles[path], bytes);
  };
  add(MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(member.manifest, null, 2)}\n`));
  for (const [path, bytes] of member.files) add(path, bytes);
  return { stage: { kind: 'ensemble', params: { member: registered }, files: roles }, files };
}

/** The member bundle, verified against its own manifest's checksums as any bundle is. */
export async function loadEnsembleStage(stage: EnsembleStage, files: StageFiles<EnsembleStage>): Promise<Bundle> {
  const manifest = files[MANIFEST_FILE];
  if (!manifest) throw new BundleError('BUNDLE_INVALID', `the ensemble stage does not list its member's ${MANIFEST_FILE}`);
  return openBundle(manifest, async (path) => files[path] ?? null);
}

export function assertSameClasses(member: Bundle, classes: readonly string[]): void {
  const theirs = member.manifest.classes;
  if (theirs.length !== classes.length || theirs.some((c, i) => c !== classes[i])) {
    throw new BundleError('BUNDLE_INVALID', `ensemble member ${member.manifest.name} has the classes [${theirs.join(', ')}], the bundle [${classes.join(', ')}]; both must list the same classes in the same order`);
  }
}
