// The peer decoder: @cornerstonejs/dicom-image-loader's decodeImageFrame (the function its web
// workers run), called directly in Node after dicom-parser's parse, with frames extracted the way
// its wadouri loader does. Its codecs load their .wasm through `wasmBasePath`, so the files its own
// codec versions need are copied into one folder.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dicomParser, { type DataSet } from 'dicom-parser';
import { inflateSync } from 'fflate';

type DecodeImageFrame = (imageFrame: object, transferSyntax: string, pixelData: Uint8Array, decodeConfig: object, options: object) => Promise<{ pixelData: ArrayLike<number> }>;

export interface CornerstonePeer {
  version: string;
  /** Parses with dicom-parser and decodes every frame; resolves to the number of frames. */
  decodeAll(bytes: Uint8Array): Promise<number>;
}

export async function loadCornerstonePeer(): Promise<CornerstonePeer> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@cornerstonejs/dicom-image-loader/package.json');
  const version = (require(packageJson) as { version: string }).version;
  // Resolve each codec from the loader's own folder: it may pin other versions than ours.
  const fromLoader = createRequire(packageJson);
  const wasmDir = mkdtempSync(join(tmpdir(), 'cvf-cornerstone-wasm-'));
  for (const spec of ['@cornerstonejs/codec-charls/decodewasm', '@cornerstonejs/codec-openjpeg/decodewasm', '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm', '@cornerstonejs/codec-openjph/wasm']) {
    const file = fromLoader.resolve(spec);
    copyFileSync(file, join(wasmDir, basename(file)));
  }
  const worker = join(dirname(packageJson), 'dist/esm/decodeImageFrameWorker.js');
  const { decodeImageFrame } = (await import(pathToFileURL(worker).href)) as { decodeImageFrame: DecodeImageFrame };
  const log = console.log;

  return {
    version,
    async decodeAll(bytes) {
      const ds = dicomParser.parseDicom(bytes, { inflater: (b: Uint8Array, p: number) => inflate(b, p) } as never);
      const transferSyntax = ds.string('x00020010')!;
      const frames = ds.intString('x00280008') ?? 1;
      const imageFrame = {
        rows: ds.uint16('x00280010'),
        columns: ds.uint16('x00280011'),
        bitsAllocated: ds.uint16('x00280100'),
        bitsStored: ds.uint16('x00280101'),
        pixelRepresentation: ds.uint16('x00280103'),
        samplesPerPixel: ds.uint16('x00280002'),
        photometricInterpretation: ds.string('x00280004'),
        planarConfiguration: ds.uint16('x00280006'),
      };
      const element = ds.elements.x7fe00010!;
      // OpenJPEG inside the loader prints [INFO] lines through console.log.
      console.log = () => {};
      try {
        for (let f = 0; f < frames; f++) {
          const pixelData = element.encapsulatedPixelData ? encapsulatedFrame(ds, f, frames) : nativeFrame(ds, f, imageFrame);
          await decodeImageFrame({ ...imageFrame }, transferSyntax, pixelData, { wasmBasePath: wasmDir }, { preScale: { enabled: false } });
        }
      } finally {
        console.log = log;
      }
      return frames;
    },
  };
}

function inflate(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position));
  full.set(inflated, position);
  return full;
}

function encapsulatedFrame(ds: DataSet, frame: number, frames: number): Uint8Array {
  const element = ds.elements.x7fe00010!;
  if (element.basicOffsetTable && element.basicOffsetTable.length > 0) return dicomParser.readEncapsulatedImageFrame(ds, element, frame) as Uint8Array;
  if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, 0, element.fragments!.length) as Uint8Array;
  return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, frame) as Uint8Array;
}

function nativeFrame(ds: DataSet, frame: number, f: { rows?: number; columns?: number; bitsAllocated?: number; samplesPerPixel?: number }): Uint8Array {
  const element = ds.elements.x7fe00010!;
  const size = (f.rows! * f.columns! * f.samplesPerPixel! * f.bitsAllocated!) / 8;
  const bytes = ds.byteArray as Uint8Array;
  return new Uint8Array(bytes.buffer, bytes.byteOffset + element.dataOffset + frame * size, size);
}
