import type { DataSource } from '../config/sections/data.js';
import { DatasetError } from '../errors.js';
import type { Dataset, DatasetContext, Sample } from './dataset.js';
import { extensionOf, extensionSet, joinPath, resolvePath } from './paths.js';

export type FolderSource = Extract<DataSource, { kind: 'folder' }>;

/**
 * A folder per class: `root/<label>/…/<image>`. Every file under a class folder whose extension is
 * listed (case-insensitive) is a sample; its id is its path relative to `root`.
 */
export async function openFolderDataset(source: FolderSource, { files, decoder, baseDir }: DatasetContext): Promise<Dataset> {
  const root = resolvePath(baseDir, source.root);
  const extensions = extensionSet(source.extensions);
  const samples: Sample[] = [];
  for (const label of await files.listFolders(root)) {
    for (const file of await files.listFiles(joinPath(root, label))) {
      if (!extensions.has(extensionOf(file))) continue;
      const path = joinPath(root, label, file);
      samples.push({ id: `${label}/${file}`, label, load: async () => decoder.decode(await files.readFile(path)) });
    }
  }
  if (samples.length === 0) {
    throw new DatasetError('DATASET_EMPTY', `${root}: no class folder holds an image with extension ${[...extensions].join(', ')}`);
  }
  return { description: `folder ${root}`, samples };
}
