import type { CaseIndex } from '../bundle/kinds/case-index.js';
import type { BundleManifest } from '../bundle/manifest.js';
import { BundleError } from '../errors.js';
import type { Pca } from '../features/pca/pca.js';
import type { LoadedHead } from '../bundle/kinds/head.js';

/**
 * Checks that a bundle's stages agree with each other and with its manifest, before it serves: the
 * head answers one probability per listed class, the index holds vectors of the size the head and
 * PCA give, and every indexed case has a listed class. A manifest edited by hand (a class deleted,
 * renamed, reordered into another count) is refused here rather than served with wrong labels.
 */
export async function assertStagesAgree(manifest: BundleManifest, parts: { pca: Pca | null; caseIndex: CaseIndex; head: LoadedHead | null }): Promise<void> {
  const invalid = (why: string) => new BundleError('BUNDLE_INVALID', `bundle "${manifest.name}" is inconsistent: ${why}`);
  const { index, cases } = parts.caseIndex;
  if (parts.pca && parts.pca.state.componentCount !== index.dim) {
    throw invalid(`PCA gives ${parts.pca.state.componentCount} components but the case index holds vectors of ${index.dim}`);
  }
  const classes = new Set(manifest.classes);
  const stray = cases.labels.find((label) => !classes.has(label));
  if (stray !== undefined) throw invalid(`the case index has a case labelled "${stray}", which is not one of the manifest's classes (${manifest.classes.join(', ')})`);
  for (const id of await index.ids()) {
    if (id >= cases.ids.length) throw invalid(`the case index holds id ${id} but its case list has ${cases.ids.length} entries`);
  }
  if (parts.head) {
    const { session, spec } = parts.head;
    if (spec.classes !== manifest.classes.length || spec.inputDim !== index.dim) {
      throw invalid(`the saved head maps ${spec.inputDim} features to ${spec.classes} classes, but the index holds ${index.dim} features and the manifest lists ${manifest.classes.length} classes`);
    }
    // One run on zeros: the graph must answer one finite probability per listed class.
    const out = await session.run({ [session.inputNames[0]!]: { type: 'float32', dims: [1, index.dim], data: new Float32Array(index.dim) } });
    const probabilities = out[session.outputNames[0]!]!.data;
    if (probabilities.length !== manifest.classes.length) throw invalid(`the head outputs ${probabilities.length} probabilities but the manifest lists ${manifest.classes.length} classes`);
    if (!Array.from(probabilities as ArrayLike<number>).every(Number.isFinite)) throw invalid('the head outputs non-finite probabilities (NaN or infinite weights)');
  }
}
