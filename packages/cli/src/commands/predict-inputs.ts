import { FileError } from '@cvf/core';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** What a folder given to `cvf predict` contributes: images by extension, and extension-less files (DICOM often has none). */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.dcm', '.dicom']);

/** One file to predict, or an input that gave none (an empty folder), with why. */
export type PredictInput = { readonly file: string } | { readonly file: string; readonly error: FileError };

function looksLikeImage(name: string): boolean {
  if (name.startsWith('.') || name === 'DICOMDIR') return false;
  const extension = extname(name).toLowerCase();
  return extension === '' || IMAGE_EXTENSIONS.has(extension);
}

/**
 * The files `cvf predict` reads, in order: a file argument as it is (decoding says what is wrong
 * with it), a folder as its images sorted by path — with `recursive`, those of its subfolders too.
 * Hidden files and folders are passed over.
 */
export async function expandPredictInputs(inputs: readonly string[], options: { recursive: boolean }): Promise<PredictInput[]> {
  const out: PredictInput[] = [];
  for (const input of inputs) {
    const isFolder = await stat(input).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isFolder) {
      out.push({ file: input });
      continue;
    }
    const entries = await readdir(input, { recursive: options.recursive, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && looksLikeImage(e.name))
      .map((e) => join(e.parentPath, e.name))
      .filter((path) => relative(input, path).split(sep).every((part) => !part.startsWith('.')))
      .sort();
    if (files.length > 0) out.push(...files.map((file) => ({ file })));
    else {
      const hasFolders = entries.some((e) => e.isDirectory());
      const hint = !options.recursive && hasFolders ? '; its subfolders are read with -r' : '';
      out.push({ file: input, error: new FileError(`folder "${input}" holds no images (${[...IMAGE_EXTENSIONS].join(', ')} or files without an extension)${hint}`) });
    }
  }
  return out;
}
