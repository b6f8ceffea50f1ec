// The benchmark series in each transfer syntax: dcmtk's encoders (RLE, JPEG-LS, JPEG lossless,
// JPEG extended 12-bit) where dcmtk is installed, and the OpenJPEG/OpenJPH WebAssembly encoders
// for JPEG 2000 and HTJ2K. Those two are slow to encode (~0.3 s per 512² slice for OpenJPEG), so
// they encode every `stride`-th slice and repeat it: the file still holds N frames to decode.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransferSyntax } from '@cvf/medical';
import { buildPart10 } from '@cvf/medical/testing';
import { SIZE, seriesElements } from './ct-phantom-series.js';

export interface Variant {
  name: string;
  transferSyntaxUID: string;
  file: Uint8Array;
}

const DCMTK: [string, string, string[], string][] = [
  ['RLE Lossless (dcmcrle)', 'dcmcrle', [], TransferSyntax.RLELossless],
  ['JPEG-LS Lossless (dcmcjpls)', 'dcmcjpls', ['+el'], TransferSyntax.JPEGLSLossless],
  ['JPEG Lossless SV1 (dcmcjpeg)', 'dcmcjpeg', ['+e1'], TransferSyntax.JPEGLosslessSV1],
  ['JPEG Extended 12-bit (dcmcjpeg)', 'dcmcjpeg', ['+ee', '+q', '90'], TransferSyntax.JPEGExtended12Bit],
];

/** dcmtk-encoded variants of `native`; a note for each encoder that is missing or fails. */
export function dcmtkVariants(native: Uint8Array, notes: string[]): Variant[] {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-dicom-'));
  try {
    const source = join(dir, 'native.dcm');
    writeFileSync(source, native);
    const out: Variant[] = [];
    for (const [name, tool, args, uid] of DCMTK) {
      const target = join(dir, `${tool}${args.join('')}.dcm`);
      try {
        execFileSync(tool, [...args, source, target], { stdio: 'ignore' });
        out.push({ name, transferSyntaxUID: uid, file: new Uint8Array(readFileSync(target)) });
      } catch (error) {
        notes.push(`${name}: skipped, ${tool} failed or is not installed (${(error as Error).message.split('\n')[0]})`);
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface WasmEncoder {
  getDecodedBuffer(info: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean; isUsingColorTransform: boolean }): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

/** JPEG 2000 and HTJ2K lossless variants, encoded every `stride` slices. */
export async function wasmVariants(slices: Uint16Array[], stride: number): Promise<Variant[]> {
  // A fresh argument object for each module: Emscripten attaches the module's exports to it.
  const quiet = () => ({ print: () => {}, printErr: () => {} });
  const openjpeg = (await (await import('@cornerstonejs/codec-openjpeg/wasmjs' as string)).default(quiet())) as { J2KEncoder: new () => WasmEncoder };
  const openjph = (await import('@cornerstonejs/codec-openjph/wasmjs')).default;
  const htj2k = await openjph(quiet());
  const encodeAll = (make: () => WasmEncoder) => {
    const cache = new Map<number, Uint8Array>();
    return slices.map((_, z) => {
      const key = z - (z % stride);
      let encoded = cache.get(key);
      if (!encoded) {
        const encoder = make();
        encoder.getDecodedBuffer({ width: SIZE, height: SIZE, bitsPerSample: 16, componentCount: 1, isSigned: false, isUsingColorTransform: false }).set(new Uint8Array(slices[key]!.buffer));
        encoder.encode();
        encoded = encoder.getEncodedBuffer().slice();
        encoder.delete();
        cache.set(key, encoded);
      }
      return encoded;
    });
  };
  const build = (name: string, uid: string, frames: Uint8Array[]): Variant => ({
    name,
    transferSyntaxUID: uid,
    file: buildPart10(seriesElements(slices.length), { transferSyntaxUID: uid, encapsulatedFrames: frames, basicOffsetTable: true }),
  });
  return [
    build(`JPEG 2000 Lossless (OpenJPEG, 1 in ${stride} slices encoded)`, TransferSyntax.JPEG2000Lossless, encodeAll(() => new openjpeg.J2KEncoder())),
    build(`HTJ2K Lossless (OpenJPH, 1 in ${stride} slices encoded)`, TransferSyntax.HTJ2KLossless, encodeAll(() => new htj2k.HTJ2KEncoder())),
  ];
}
