import { readFile } from 'node:fs/promises';
import { CpuDevice, createOrtFastMatmul, FeatureError, FileError, Pca, PCA_STRATEGIES, Tensor, type Device, type FastMatmul, type PcaStrategy } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime } from '@cvf/core/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

export interface BenchPcaOptions {
  /** Raw little-endian float32 samples, row-major. */
  readonly data: string;
  readonly dim: number;
  readonly components: number;
  /** Threads of the CPU matrix products (ONNX Runtime's intra-op threads). */
  readonly threads: number;
  readonly strategy: PcaStrategy;
  /** Fits timed; the fastest counts. */
  readonly repeat: number;
  /** `cpu`: host products in ONNX Runtime; `webgpu`: the device's gram/matmul kernels. */
  readonly device: 'cpu' | 'webgpu';
}

export interface BenchPcaResult {
  /** Wall time of the fastest fit (reading the file not included). */
  readonly seconds: number;
  /** Share of the variance the components explain, summed over them. */
  readonly explainedVarianceRatio: number;
  readonly samples: number;
  readonly strategy: string;
  readonly engine: string;
}

/** Fits a PCA on a raw float32 file `repeat` times and reports the fastest fit. */
export async function runBenchPca(options: BenchPcaOptions): Promise<BenchPcaResult> {
  const { dim, components, threads, repeat } = options;
  let bytes: Buffer;
  try {
    bytes = await readFile(options.data);
  } catch (cause) {
    throw new FileError(`cannot read --data ${options.data}: ${(cause as Error).message}`, { cause });
  }
  if (bytes.byteLength === 0 || bytes.byteLength % (4 * dim) !== 0) {
    throw new FeatureError('FEATURE_OPTION_INVALID', `--data ${options.data} has ${bytes.byteLength} bytes, not a whole number of ${dim}-value float32 rows (${4 * dim} bytes each)`);
  }
  const samples = bytes.byteLength / (4 * dim);
  // A copy aligned for Float32Array (Node's pooled buffers may start at any offset); little-endian host assumed.
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const data = Tensor.cpu('f32', [samples, dim], values);

  let device: Device;
  let fastMatmul: FastMatmul | undefined;
  if (options.device === 'webgpu') {
    device = await createNodeDevice({ prefer: 'webgpu' });
  } else {
    device = new CpuDevice();
    fastMatmul = createOrtFastMatmul(await createOrtNodeRuntime(), { threads });
  }
  try {
    let seconds = Infinity;
    let pca: Pca | undefined;
    for (let r = 0; r < repeat; r++) {
      pca?.dispose();
      pca = new Pca({ components, strategy: options.strategy }, fastMatmul ? { device, fastMatmul } : { device });
      const start = performance.now();
      await pca.fit(data);
      seconds = Math.min(seconds, (performance.now() - start) / 1000);
    }
    const state = pca!.state;
    pca!.dispose();
    return {
      seconds,
      explainedVarianceRatio: state.explainedVarianceRatio.reduce((a, b) => a + b, 0),
      samples,
      strategy: state.strategy,
      engine: fastMatmul ? fastMatmul.description : `${device.backend} device kernels`,
    };
  } finally {
    await fastMatmul?.release();
    device.destroy();
  }
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new FeatureError('FEATURE_OPTION_INVALID', `${flag} "${value}" must be a positive integer`);
  return n;
}

function oneOf<T extends string>(value: string, flag: string, options: readonly T[]): T {
  if (!(options as readonly string[]).includes(value)) throw new FeatureError('FEATURE_OPTION_INVALID', `${flag} "${value}" is not one of ${options.join(', ')}`);
  return value as T;
}

interface RawOptions {
  data: string;
  dim: string;
  components: string;
  threads: string;
  strategy: string;
  repeat: string;
  device: string;
  json?: boolean;
}

/**
 * `cvf bench pca --data F --dim D --components C [--threads T] [--json]`: times a PCA fit of the
 * raw float32 file F (row-major, D values per row) to C components and prints
 * `{"seconds","explainedVarianceRatio"}` (the ratio summed over the components). Bad arguments or
 * data exit 2 with `{"error":{"code","message"}}`.
 */
export function registerBenchPca(bench: Command): void {
  bench
    .command('pca')
    .description('time a PCA fit on a raw float32 file and print its seconds and explained variance ratio')
    .requiredOption('--data <file>', 'raw little-endian float32 samples, row-major')
    .requiredOption('--dim <d>', 'values per sample')
    .requiredOption('--components <c>', 'principal components to fit')
    .option('--threads <t>', 'threads of the CPU matrix products', '1')
    .option('--strategy <s>', `fit strategy: ${PCA_STRATEGIES.join(', ')}`, 'auto')
    .option('--repeat <n>', 'fits to time; the fastest counts', '1')
    .option('--device <d>', 'cpu (ONNX Runtime products) or webgpu (device kernels)', 'cpu')
    .option('--json', 'print {"seconds","explainedVarianceRatio"} (or {"error":{"code","message"}}) on stdout')
    .action((raw: RawOptions) => {
      const json = raw.json === true;
      return runAction(
        json,
        async () => {
          const result = await runBenchPca({
            data: raw.data,
            dim: positiveInteger(raw.dim, '--dim'),
            components: positiveInteger(raw.components, '--components'),
            threads: positiveInteger(raw.threads, '--threads'),
            strategy: oneOf(raw.strategy, '--strategy', PCA_STRATEGIES),
            repeat: positiveInteger(raw.repeat, '--repeat'),
            device: oneOf(raw.device, '--device', ['cpu', 'webgpu'] as const),
          });
          if (json) printJson({ seconds: result.seconds, explainedVarianceRatio: result.explainedVarianceRatio });
          else {
            process.stdout.write(
              `PCA ${result.samples}×${raw.dim} → ${raw.components} (${result.strategy}, ${result.engine}): ${result.seconds.toFixed(3)} s, explained variance ratio ${result.explainedVarianceRatio.toFixed(6)}\n`,
            );
          }
          return EXIT.ok;
        },
        EXIT.badInput,
      );
    });
}
