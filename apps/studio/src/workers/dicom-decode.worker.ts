/// <reference lib="webworker" />
// The viewer's decode worker: parses DICOM (and PNG/JPEG) files and decodes frames on request,
// off the main thread. The WebAssembly codecs load lazily, from the URLs Vite emits for them.
import { BrowserImageDecoder, sniffMediaType, type ImageTensor } from '@cvf/core';
import { configureWasmCodecs, decodeFrames, deriveDisplayParams, parseDicom, readImagePixelModule, Tag, type DicomFile, type DisplayParams } from '@cvf/medical';
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import libjpegTurboWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';
import openjphWasm from '@cornerstonejs/codec-openjph/wasm?url';
import { modelDisplayParams } from './dicom-model-display.js';
import type { DecodedFrame, DecodeRequest, DecodeResponse, DecodeResult, OpenedImageInfo } from './decode-protocol.js';

declare const self: DedicatedWorkerGlobalScope;

const CODEC_WASM: Readonly<Record<string, string>> = {
  'charlswasm_decode.wasm': charlsWasm,
  'openjpegwasm_decode.wasm': openjpegWasm,
  'libjpegturbowasm_decode.wasm': libjpegTurboWasm,
  'openjphjs.wasm': openjphWasm,
};
configureWasmCodecs({ locateFile: (fileName, scriptDirectory) => CODEC_WASM[fileName] ?? `${scriptDirectory}${fileName}` });

type Opened = { readonly kind: 'dicom'; readonly file: DicomFile } | { readonly kind: 'raster'; readonly image: ImageTensor<'u8'> };

const opened = new Map<number, Opened>();
let nextFileId = 1;
const rasterDecoder = new BrowserImageDecoder();

async function open(fileName: string, bytes: Uint8Array): Promise<OpenedImageInfo> {
  const fileId = nextFileId++;
  if (sniffMediaType(bytes) !== 'application/dicom') {
    const image = await rasterDecoder.decode(bytes, { depth: 8 });
    opened.set(fileId, { kind: 'raster', image });
    const [rows, columns, channels] = image.shape as [number, number, number];
    return {
      fileId,
      fileName,
      kind: 'raster',
      studyUid: 'raster-images',
      seriesUid: `raster:${fileId}`,
      studyDescription: 'Images (PNG, JPEG, WebP)',
      seriesDescription: fileName,
      seriesNumber: fileId,
      instanceNumber: 1,
      modality: 'OT',
      rows,
      columns,
      frames: 1,
      samplesPerPixel: channels,
      photometric: channels === 1 ? 'MONOCHROME2' : 'RGB',
      bitsStored: 8,
      display: null,
      patient: { name: '', id: '', birthDate: '' },
      warnings: [],
    };
  }
  const file = parseDicom(bytes);
  const pixel = readImagePixelModule(file);
  const grayscale = pixel.samplesPerPixel === 1;
  const display: DisplayParams | null = grayscale ? deriveDisplayParams(file) : null;
  opened.set(fileId, { kind: 'dicom', file });
  const text = (tag: string) => file.string(tag) ?? '';
  return {
    fileId,
    fileName,
    kind: 'dicom',
    // A file without UIDs still opens: it becomes its own study and series.
    studyUid: text(Tag.StudyInstanceUID) || `file:${fileId}`,
    seriesUid: text(Tag.SeriesInstanceUID) || `file:${fileId}`,
    ...(text(Tag.SOPInstanceUID) && { sopInstanceUid: text(Tag.SOPInstanceUID) }),
    studyDescription: text(Tag.StudyDescription),
    seriesDescription: text(Tag.SeriesDescription),
    seriesNumber: file.number('00200011') ?? 0,
    instanceNumber: file.number(Tag.InstanceNumber) ?? 0,
    modality: text(Tag.Modality),
    rows: pixel.rows,
    columns: pixel.columns,
    frames: pixel.numberOfFrames,
    samplesPerPixel: grayscale ? 1 : 3,
    photometric: pixel.photometricInterpretation,
    bitsStored: pixel.bitsStored,
    display,
    patient: { name: text(Tag.PatientName), id: text(Tag.PatientID), birthDate: text('00100030') },
    warnings: [...file.warnings, ...(display?.warnings ?? [])],
  };
}

function entry(fileId: number): Opened {
  const found = opened.get(fileId);
  if (!found) throw Object.assign(new Error(`file ${fileId} is not open (open files: ${[...opened.keys()].join(', ') || 'none'})`), { code: 'VIEWER_FILE_CLOSED' });
  return found;
}

async function frame(fileId: number, index: number): Promise<DecodedFrame> {
  const found = entry(fileId);
  if (found.kind === 'raster') {
    const [rows, columns, channels] = found.image.shape as [number, number, number];
    return { fileId, frame: 0, rows, columns, samplesPerPixel: channels, pixels: found.image.data.slice() };
  }
  const decoded = await decodeFrames(found.file, { frames: [index] });
  return { fileId, frame: index, rows: decoded.rows, columns: decoded.columns, samplesPerPixel: decoded.samplesPerPixel, pixels: decoded.data[0]! };
}

async function handle(request: DecodeRequest): Promise<DecodeResult> {
  switch (request.type) {
    case 'open':
      return open(request.fileName, new Uint8Array(request.bytes));
    case 'frame':
      return frame(request.fileId, request.frame);
    case 'model-display': {
      const found = entry(request.fileId);
      return found.kind === 'dicom' && readImagePixelModule(found.file).samplesPerPixel === 1 ? modelDisplayParams(found.file, request.window, request.frame) : null;
    }
  }
}

self.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { id } = event.data;
  let response: DecodeResponse;
  try {
    const result = await handle(event.data);
    response = { id, ok: true, result };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    response = { id, ok: false, error: { name: e.name ?? 'Error', code: e.code ?? 'VIEWER_DECODE_FAILED', message: e.message ?? String(error) } };
  }
  // A frame's pixels own their buffer (decoders copy out of the file): hand it over instead of copying it.
  const pixels = response.ok && response.result && 'pixels' in response.result ? response.result.pixels : null;
  const transfer = pixels && pixels.byteLength === pixels.buffer.byteLength ? [pixels.buffer as ArrayBuffer] : [];
  self.postMessage(response, transfer);
};
