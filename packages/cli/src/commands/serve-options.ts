import { CvfError } from '@cvf/core';
import { readRegularFile } from '@cvf/core/node';
import { EDGE_SERVER_DEFAULTS } from '@cvf/edge-runtime';
import { InvalidArgumentError } from 'commander';

/** What `cvf serve` parses from its command line. */
export interface ServeOptions {
  host: string;
  port: number;
  store?: string;
  apiKey?: string[];
  apiKeysFile?: string;
  maxBody: number;
  maxPixels: number;
  maxBatch: number;
  maxQueueDelayMs: number;
  maxQueue: number;
  requestTimeoutMs: number;
  reloadIntervalMs: number;
  decodeWorkers: number;
  /** Threads that search each model's flat case index together (0: one per core). */
  threads: number;
  inferenceThread: (typeof SERVE_INFERENCE_THREADS)[number];
  /** ONNX Runtime threads per model run (0: one per physical core). */
  ortThreads: number;
  /** Predictions per drift check of each model (0: no checks). */
  driftWindow: number;
  device: (typeof SERVE_DEVICE_KINDS)[number];
  allowSoftware?: boolean;
  publicKey?: string;
  inferenceLog: boolean;
  /** false with --no-audit: decisions are not appended to the store's audit trail. */
  audit: boolean;
  inferenceLogDir?: string;
  /** A pipeline YAML whose `monitor` section the server applies (feedback and the performance trigger). */
  config?: string;
  /** A DICOMweb root: the SR of each answered DICOM prediction is stored there (STOW-RS). */
  stow?: string;
  /** --stow-capture: the overlay capture goes to the PACS with each SR. */
  stowCapture?: boolean;
  logLevel: string;
}

export const SERVE_DEVICE_KINDS = ['auto', 'cpu', 'webgpu'] as const;
export const SERVE_INFERENCE_THREADS = ['auto', 'worker'] as const;
export const SERVE_LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export { EDGE_SERVER_DEFAULTS as SERVE_DEFAULTS };

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** A byte count: digits with an optional unit (KiB, MiB, GiB, KB, MB, GB), e.g. 50MiB. */
export function byteSizeOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new InvalidArgumentError('expected a size in bytes, e.g. 52428800, 50MiB or 2GB');
  return bytes;
}

/** A pixel count: digits with an optional M (millions) or K (thousands), e.g. 64M. */
export function pixelCountOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmM]?)(?:px)?$/.exec(value.trim());
  const pixels = match ? Math.floor(Number(match[1]) * (match[2]?.toLowerCase() === 'm' ? 1e6 : match[2]?.toLowerCase() === 'k' ? 1e3 : 1)) : Number.NaN;
  if (!Number.isSafeInteger(pixels) || pixels < 1) throw new InvalidArgumentError('expected a pixel count, e.g. 64000000 or 64M');
  return pixels;
}

/** A whole number ≥ `min`. */
export function integerOption(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

/** A number of milliseconds ≥ 0 (fractions allowed). */
export function millisecondsOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected milliseconds ≥ 0, e.g. 2 or 0.5');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
export { collect as collectOption };

/**
 * The API keys of `--api-key` (repeatable) and `--api-keys-file` (one key a line; blank lines and
 * lines starting with # are skipped). The file is read as a bounded regular file.
 */
export async function readApiKeys(options: Pick<ServeOptions, 'apiKey' | 'apiKeysFile'>): Promise<string[]> {
  const keys = [...(options.apiKey ?? [])];
  if (options.apiKeysFile !== undefined) {
    const text = new TextDecoder().decode(await readRegularFile(options.apiKeysFile, { what: 'API keys file', maxBytes: 1 << 20 }));
    const fromFile = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    if (fromFile.length === 0) throw new CvfError('SERVE_OPTIONS_INVALID', `${options.apiKeysFile} holds no API key (one key a line; # starts a comment)`);
    keys.push(...fromFile);
  }
  return keys;
}
