import type { UnlabelledSource } from '../config/sections/data.js';
import { DatasetError } from '../errors.js';
import type { DatasetContext, LabeledSample, Sample } from './dataset.js';
import { readIdxImages } from './idx-dataset.js';
import { extensionOf, extensionSet, joinPath, resolvePath } from './paths.js';
import { seededSubset } from './split-samples.js';

/** Reads one kind of unlabelled source into samples (their `label` is ''). */
export type UnlabelledSourceOpener = (source: UnlabelledSource, context: DatasetContext) => Promise<readonly Sample[]>;

export interface OpenUnlabelledOptions extends DatasetContext {
  /** Readers for kinds core does not read itself (`dicom-folder`, from @cvf/medical). */
  readonly openers?: Partial<Record<UnlabelledSource['kind'], UnlabelledSourceOpener>>;
  /** Seed of the `limit` subset. */
  readonly seed: number;
}

const BUILT_IN: Partial<Record<UnlabelledSource['kind'], UnlabelledSourceOpener>> = {
  images: (source, context) => openImages(source as Extract<UnlabelledSource, { kind: 'images' }>, context),
  idx: async (source, { files, baseDir }) => {
    const images = await readIdxImages(files, resolvePath(baseDir, (source as Extract<UnlabelledSource, { kind: 'idx' }>).images));
    return Array.from({ length: images.count }, (_, i) => ({ id: images.idOf(i), label: '', load: async () => images.load(i) }));
  },
};

/**
 * The pool of `data.unlabelled`: samples with class index −1, which trainers leave out of the loss
 * until pseudo-labelling gives them a class. `limit` keeps a seeded random subset.
 */
export async function openUnlabelled(source: UnlabelledSource, options: OpenUnlabelledOptions): Promise<LabeledSample[]> {
  const opener = options.openers?.[source.kind] ?? BUILT_IN[source.kind];
  if (!opener) {
    throw new DatasetError('DATASET_SOURCE_UNSUPPORTED', `no reader for unlabelled source kind "${source.kind}" here; DICOM sources need the openers of @cvf/medical`);
  }
  const samples = await opener(source, options);
  if (samples.length === 0) throw new DatasetError('DATASET_EMPTY', `data.unlabelled (${source.kind}): no images`);
  return seededSubset(samples, source.limit, options.seed).map((sample) => ({ ...sample, label: '', classIndex: -1, load: () => sample.load() }));
}

async function openImages(source: Extract<UnlabelledSource, { kind: 'images' }>, { files, decoder, baseDir }: DatasetContext): Promise<Sample[]> {
  const root = resolvePath(baseDir, source.root);
  const extensions = extensionSet(source.extensions);
  return (await files.listFiles(root))
    .filter((file) => extensions.has(extensionOf(file)))
    .map((file) => {
      const path = joinPath(root, file);
      return { id: file, label: '', load: async () => decoder.decode(await files.readFile(path)) };
    });
}
