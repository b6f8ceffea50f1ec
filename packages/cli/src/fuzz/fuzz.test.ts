import { CpuDevice, CvfError, decodedInputSize, decodeInput, disposeDecodedInput, isDeviceImage, memorySource, parsePipelineConfig, Predictor, Rng, type DecodedInput } from '@cvf/core';
import { createOrtNodeRuntime, sharpImageDecoder } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { decodeFrames, dicomInputDecoder, parseDicom } from '@cvf/medical';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { manyRleFrames, nestedSequences } from './hostile-dicom.js';
import { dicomCorpusAvailability, V1_BUNDLE, loadFuzzCorpus, type FuzzCorpus } from './fuzz-corpus.js';
import { mutateBytes, mutateDicomHeader, mutateManifest, mutateYaml, type Json, type Mutant } from './mutate.js';

// A seeded fuzz of every way untrusted bytes enter CV Factory: DICOM, YAML configs, bundles,
// images. Every case must end in a coded error (a CvfError with a stable code, never INTERNAL,
// no stack trace in its message) or a correct result, within CASE_LIMIT_MS, and the process must
// stay within the memory bounds. CVF_FUZZ_SEED runs another set of cases; a failure names its
// case seed, the Rng seed that picks the case's input and mutation.
const SEED = Number(process.env.CVF_FUZZ_SEED ?? 20261206);
const CASES = { dicom: 300, config: 100, bundle: 150, image: 100, cli: 50, hostile: 12 } as const;
type Family = keyof typeof CASES;
const FAMILY_OFFSET: Record<Family, number> = { dicom: 1, config: 2, bundle: 3, image: 4, cli: 5, hostile: 6 };
const CASE_LIMIT_MS = 3_000;
/** Peak growth over the RSS and heap measured before the first case. */
const RSS_GROWTH_LIMIT = 768 * 2 ** 20;
const HEAP_GROWTH_LIMIT = 384 * 2 ** 20;
/** An error message longer than this echoes input back (a 1 MB value must not come back whole). */
const MESSAGE_LIMIT = 64 * 1024;

const dicomSkip = requireInCi("pydicom's test files (python3-pydicom)", dicomCorpusAvailability());

interface Failure {
  readonly family: Family;
  readonly seed: number;
  readonly input: string;
  readonly mutation: string;
  readonly what: string;
}

const stats = {
  cases: 0,
  successes: 0,
  codes: new Map<string, number>(),
  failures: [] as Failure[],
  baseRss: 0,
  baseHeap: 0,
  peakRss: 0,
  peakHeap: 0,
};

function caseSeed(family: Family, index: number): number {
  return (SEED + FAMILY_OFFSET[family] * 1_000_003 + index * 7919) >>> 0;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

/** The code of an error that is one of CV Factory's coded errors, or why it is not. */
function codeOf(error: unknown): { code: string } | { wrong: string } {
  if (!(error instanceof CvfError)) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { wrong: `uncoded ${text.slice(0, 300)}` };
  }
  if (!/^[A-Z][A-Z0-9_]*$/.test(error.code) || error.code === 'INTERNAL') return { wrong: `code ${error.code}: ${error.message.slice(0, 300)}` };
  if (/\n\s+at \S/.test(error.message)) return { wrong: `${error.code} with a stack trace in its message` };
  if (error.message.length > MESSAGE_LIMIT) return { wrong: `${error.code} message of ${error.message.length} characters: ${error.message.slice(0, 120)}` };
  return { code: error.code };
}

function sampleMemory(): void {
  const { rss, heapUsed } = process.memoryUsage();
  stats.peakRss = Math.max(stats.peakRss, rss);
  stats.peakHeap = Math.max(stats.peakHeap, heapUsed);
}

class CaseTimeout extends Error {}

/** A coded error the CLI printed with --json, as a thrown CvfError, so runCase counts it as one. */
class CliError extends CvfError {}

/**
 * `cvf ...args --json`: undefined on success; a failure reported as `{"error":{"code","message"}}`
 * (exit code 1 or 2), or as such an entry of predict's per-file array, is thrown as a CliError;
 * anything else (no JSON, a stack trace) is wrong.
 */
async function cliCase(args: readonly string[]): Promise<string | undefined> {
  const { exitCode, stdout, stderr } = await runCli(...args, '--json');
  if (/\n\s+at \S/.test(stdout + stderr)) return `a stack trace in the output (exit ${exitCode})`;
  type Printed = { error?: { code?: unknown; message?: unknown } };
  let printed: Printed | Printed[];
  try {
    printed = JSON.parse(stdout) as typeof printed;
  } catch {
    return `stdout is not JSON (exit ${exitCode}): ${stdout.slice(0, 200)}`;
  }
  // `cvf predict` answers per file: an array whose failed entries carry their own coded error.
  const failures = (Array.isArray(printed) ? printed : [printed]).filter((entry) => entry.error !== undefined);
  if (exitCode === 0) return failures.length === 0 ? undefined : 'exit 0 with an error';
  const { code, message } = failures[0]?.error ?? {};
  if (typeof code !== 'string' || typeof message !== 'string') return `exit ${exitCode} without {"error":{"code","message"}}`;
  throw new CliError(code, message);
}

/**
 * Runs one case: `body` resolves to undefined for a correct result or to what is wrong with it, or
 * it fails as unanswered at CASE_LIMIT_MS (a timeout, like a test's; synchronous work that never
 * yields is bounded by the test's own timeout).
 */
async function runCase(family: Family, seed: number, input: string, mutation: string, body: () => Promise<string | undefined>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let what: string | undefined;
  try {
    const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CaseTimeout()), CASE_LIMIT_MS)));
    what = await Promise.race([body(), limit]);
    if (what === undefined) stats.successes++;
  } catch (error) {
    if (error instanceof CaseTimeout) what = `no answer within ${CASE_LIMIT_MS} ms`;
    else {
      const outcome = codeOf(error);
      if ('code' in outcome) stats.codes.set(outcome.code, (stats.codes.get(outcome.code) ?? 0) + 1);
      else what = outcome.wrong;
    }
  } finally {
    clearTimeout(timer);
  }
  stats.cases++;
  sampleMemory();
  if (what !== undefined) stats.failures.push({ family, seed, input, mutation, what });
}

/** The failures of a family: every one fails the suite. */
function failuresOf(family: Family): Failure[] {
  return stats.failures.filter((f) => f.family === family);
}

function describeFailures(failures: readonly Failure[]): string {
  return failures.map((f) => `seed ${f.seed} ${f.input} [${f.mutation}]: ${f.what}`).join('\n');
}

/**
 * Native transfer syntaxes: more Rows or Columns may still fit their Pixel Data (fewer, larger
 * frames). Each compressed frame is its own codestream, so one that decodes to more rows or
 * columns than it was encoded with had its missing samples invented.
 */
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);

/** What is wrong with a decoded input, if anything: a positive size, and samples that fill it. */
async function checkDecoded(device: CpuDevice, input: DecodedInput): Promise<string | undefined> {
  const { height, width, channels } = decodedInputSize(input);
  if (!(height > 0 && width > 0)) return `decoded to ${height}×${width}`;
  const data = isDeviceImage(input) ? ((await device.read(input.planar)) as Float32Array) : input.data;
  if (data.length !== height * width * channels) return `${data.length} samples for ${height}×${width}×${channels}`;
  for (const v of data) if (!Number.isFinite(v)) return `sample ${v}`;
  return undefined;
}

let corpus: FuzzCorpus;
const device = new CpuDevice();
beforeAll(async () => {
  corpus = await loadFuzzCorpus();
  const { rss, heapUsed } = process.memoryUsage();
  stats.baseRss = stats.peakRss = rss;
  stats.baseHeap = stats.peakHeap = heapUsed;
});

afterAll(() => {
  const codes = [...stats.codes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}=${n}`).join(' ');
  const coded = [...stats.codes.values()].reduce((a, b) => a + b, 0);
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `fuzz seed=${SEED}: ${stats.cases} cases, ${coded} coded errors (${codes}), ${stats.successes} correct results, ` +
      `${stats.failures.length} failures; ` +
      `peak RSS ${mib(stats.peakRss)} (+${mib(stats.peakRss - stats.baseRss)}), peak heap ${mib(stats.peakHeap)} (+${mib(stats.peakHeap - stats.baseHeap)})`,
  );
  if (stats.failures.length > 0) console.log(describeFailures(stats.failures));
});

describe('fuzz: every hostile input ends in a coded error or a correct result', () => {
  it.skipIf(dicomSkip)('mutated DICOM through parseDicom + decodeFrames and decodeInput', async () => {
    const names = [...corpus.dicom.keys()];
    for (let i = 0; i < CASES.dicom; i++) {
      const seed = caseSeed('dicom', i);
      const rng = new Rng(seed);
      const name = pick(rng, names);
      const original = corpus.dicom.get(name)!;
      // 40% of the cases lie in the Image Pixel module, the rest garble bytes anywhere.
      const header = rng.next() < 0.4 ? mutateDicomHeader(rng, original) : undefined;
      const { mutation, value } = header ?? mutateBytes(rng, original);
      // Even cases the parser and every frame; odd ones the way predict takes a file.
      await runCase('dicom', seed, name, mutation, async () => {
        if (i % 2 === 0) {
          const decoded = await decodeFrames(parseDicom(value));
          const samples = decoded.rows * decoded.columns * decoded.samplesPerPixel;
          if (decoded.data.length !== decoded.frames) return `${decoded.data.length} frames of data for ${decoded.frames}`;
          const short = decoded.data.findIndex((frame) => frame.length !== samples);
          if (short >= 0) return `frame ${short} has ${decoded.data[short]!.length} samples, not ${samples}`;
          return header?.grew && !NATIVE.has(decoded.transferSyntaxUID) ? `decoded ${decoded.rows}×${decoded.columns} from codestreams of fewer samples` : undefined;
        }
        const input = await decodeInput(value, undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder });
        try {
          const size = decodedInputSize(input);
          if (header?.grew && !NATIVE.has(parseDicom(value).transferSyntaxUID)) return `decoded ${size.height}×${size.width} from codestreams of fewer samples`;
          return await checkDecoded(device, input);
        } finally {
          disposeDecodedInput(input);
        }
      });
    }
    expect(describeFailures(failuresOf('dicom'))).toBe('');
  });

  it('mutated configs through parsePipelineConfig', async () => {
    const paths = [...corpus.configs.keys()];
    for (let i = 0; i < CASES.config; i++) {
      const seed = caseSeed('config', i);
      const rng = new Rng(seed);
      const path = pick(rng, paths);
      const { mutation, value } = mutateYaml(rng, corpus.configs.get(path)!);
      await runCase('config', seed, path, mutation, async () => {
        const config = parsePipelineConfig(value, path);
        return typeof config === 'object' && config !== null ? undefined : `parsed to ${typeof config}`;
      });
    }
    expect(describeFailures(failuresOf('config'))).toBe('');
  });

  it('tampered bundles through Predictor.load and predict', async () => {
    const onnxRuntime = await createOrtNodeRuntime();
    const manifest = JSON.parse(new TextDecoder().decode(corpus.bundle.get('manifest.json'))) as Json;
    const others = [...corpus.bundle.keys()].filter((n) => n !== 'manifest.json');
    for (let i = 0; i < CASES.bundle; i++) {
      const seed = caseSeed('bundle', i);
      const rng = new Rng(seed);
      const files = new Map(corpus.bundle);
      let target = 'manifest.json';
      let mutant: Mutant<unknown>;
      if (rng.next() < 0.5) {
        mutant = mutateManifest(rng, manifest);
        files.set('manifest.json', new TextEncoder().encode(JSON.stringify(mutant.value, null, 2)));
      } else {
        // Another file garbled; half the time the manifest is updated so the checksum passes and
        // the parser behind it is reached.
        target = pick(rng, others);
        const bytes = mutateBytes(rng, corpus.bundle.get(target)!);
        files.set(target, bytes.value);
        const resealed = rng.next() < 0.5;
        if (resealed) {
          const m = structuredClone(manifest) as { files: Record<string, { size: number; sha256: string }> };
          m.files[target] = { size: bytes.value.length, sha256: createHash('sha256').update(bytes.value).digest('hex') };
          files.set('manifest.json', new TextEncoder().encode(JSON.stringify(m, null, 2)));
        }
        mutant = { mutation: `${bytes.mutation}${resealed ? ', checksum updated' : ''}`, value: bytes.value };
      }
      const image = pick(rng, corpus.bundleInputs);
      await runCase('bundle', seed, target, mutant.mutation, async () => {
        const predictor = await Predictor.load(memorySource(files), { device, onnxRuntime });
        const input = await decodeInput(image, 'image/png', { device, decoder: sharpImageDecoder });
        try {
          const [prediction] = await predictor.predict([input]);
          const classes = predictor.bundle.manifest.classes;
          if (prediction!.probabilities.length !== classes.length) return `${prediction!.probabilities.length} probabilities for ${classes.length} classes`;
          if (!prediction!.probabilities.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)) return `probabilities ${JSON.stringify(prediction!.probabilities)}`;
          return classes.includes(prediction!.label) ? undefined : `label ${JSON.stringify(prediction!.label)} is not a class`;
        } finally {
          disposeDecodedInput(input);
          await predictor.release();
        }
      });
    }
    expect(describeFailures(failuresOf('bundle'))).toBe('');
  });

  it('mutated PNG and JPEG through decodeInput', async () => {
    const names = [...corpus.images.keys()];
    for (let i = 0; i < CASES.image; i++) {
      const seed = caseSeed('image', i);
      const rng = new Rng(seed);
      const name = pick(rng, names);
      const { mutation, value } = mutateBytes(rng, corpus.images.get(name)!);
      await runCase('image', seed, name, mutation, async () => {
        const input = await decodeInput(value, undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder });
        try {
          return await checkDecoded(device, input);
        } finally {
          disposeDecodedInput(input);
        }
      });
    }
    expect(describeFailures(failuresOf('image'))).toBe('');
  });

  it('hostile structures: sequences nested deep, very many frames', async () => {
    const files: [string, () => Uint8Array][] = [
      ...[100, 1_000, 5_000, 20_000].map((depth): [string, () => Uint8Array] => [`sequences nested ${depth} deep`, () => nestedSequences(depth)]),
      ...[1_000, 30_000].map((frames): [string, () => Uint8Array] => [`${frames} RLE frames of 1×1 with an offset table`, () => manyRleFrames(frames)]),
    ];
    expect(files.length * 2).toBe(CASES.hostile);
    for (const [i, [input, build]] of files.entries()) {
      const bytes = build();
      await runCase('hostile', caseSeed('hostile', 2 * i), input, 'parseDicom + decodeFrames', async () => {
        const decoded = await decodeFrames(parseDicom(bytes));
        return decoded.data.length === decoded.numberOfFrames ? undefined : `${decoded.data.length} frames of ${decoded.numberOfFrames}`;
      });
      await runCase('hostile', caseSeed('hostile', 2 * i + 1), input, 'decodeInput', async () => {
        const input = await decodeInput(bytes, undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder });
        try {
          return await checkDecoded(device, input);
        } finally {
          disposeDecodedInput(input);
        }
      });
    }
    expect(describeFailures(failuresOf('hostile'))).toBe('');
  });

  it.skipIf(dicomSkip)('mutated files through `cvf dicom inspect`, `cvf predict` and `cvf validate` with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-fuzz-'));
    try {
      const dicomNames = [...corpus.dicom.keys()];
      const configPaths = [...corpus.configs.keys()];
      for (let i = 0; i < CASES.cli; i++) {
        const seed = caseSeed('cli', i);
        const rng = new Rng(seed);
        const command = pick(rng, ['inspect', 'predict', 'validate'] as const);
        let input: string;
        let mutation: string;
        const path = join(dir, `case-${i}`);
        if (command === 'validate') {
          input = pick(rng, configPaths);
          const mutant = mutateYaml(rng, corpus.configs.get(input)!);
          // Some as UTF-16 with a byte order mark, as an editor on Windows may save them.
          const utf16 = rng.next() < 0.2;
          writeFileSync(path, utf16 ? Buffer.from(`\uFEFF${mutant.value}`, 'utf16le') : mutant.value);
          mutation = `${mutant.mutation}${utf16 ? ', UTF-16LE with BOM' : ''}`;
        } else {
          input = pick(rng, dicomNames);
          const mutant = mutateBytes(rng, corpus.dicom.get(input)!);
          writeFileSync(path, mutant.value);
          mutation = mutant.mutation;
        }
        const args = command === 'inspect' ? ['dicom', 'inspect', path] : command === 'predict' ? ['predict', V1_BUNDLE, path, '--device', 'cpu'] : ['validate', path];
        await runCase('cli', seed, `${command} ${input}`, mutation, () => cliCase(args));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(describeFailures(failuresOf('cli'))).toBe('');
  });

  it('stays within the memory bounds', () => {
    expect(stats.cases).toBeGreaterThan(0);
    expect(stats.peakRss - stats.baseRss).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(stats.peakHeap - stats.baseHeap).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});
