// bench/batch: a distributed batch job (`cvf batch predict --queue` with `cvf worker` processes on
// a real Redis) over the Fashion-MNIST test set (10,000 PNGs in a folder), with 1 worker and with
// 2 workers (child processes, each ONNX Runtime session on 1 intra-op thread), beside the
// single-process `cvf predict --json` of the same folder — the peer whose output every run must
// equal, line for line.
// Goal (issue 16): 2 workers ≥ 1.6× the images/s of 1 worker on a 2-core machine, outputs identical.
// images/s is the producer's: from enqueueing the shards to the last one done (workers started and
// ready beforehand, each loading the bundle on its first shard, as a long-running worker would).
// Usage: npm run bench:batch -- [--images N] [--shard-size N]
import { encodePng, imageTensor } from '@cvf/core';
import { startRedis } from '@cvf/core/testing';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fashionImages } from '../edge/bundles.js';
import { CPU_ONLY_ENV, cvfArgs, REPO } from '../edge/cvf-cli.js';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const imageCount = Number(option('--images') ?? 10_000);
const shardSize = Number(option('--shard-size') ?? 500);
const WORKER_COUNTS = [1, 2] as const;
const env = { ...process.env, ...CPU_ONLY_ENV };

const work = mkdtempSync(join(tmpdir(), 'cvf-bench-batch-'));
const store = join(work, '.cvf');
const run = promisify(execFile);

/** `cvf ...args` in a child process, as a user runs it; its stdout. */
async function cvf(...cvfArguments: string[]): Promise<string> {
  try {
    return (await run(process.execPath, cvfArgs(...cvfArguments), { cwd: REPO, env, maxBuffer: 1 << 30 })).stdout;
  } catch (error) {
    // cvf predict exits 1 when a file fails; its output still says which.
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    if (failed.code === 1 && failed.stdout) return failed.stdout;
    throw new Error(`cvf ${cvfArguments.join(' ')} failed (${failed.code}): ${failed.stderr ?? error}`);
  }
}

/** A `cvf worker --json` child process, resolved once it says it is ready. */
function startWorker(queue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, cvfArgs('worker', '--queue', queue, '--threads', '1', '--device', 'cpu', '--json'), { cwd: REPO, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"type":"ready"')) resolve(child);
    });
    child.on('close', (code) => reject(new Error(`cvf worker exited with ${code} before it was ready`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<number | null> {
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.kill('SIGTERM');
  return closed;
}

const loadAtStart = loadavg();
console.log(`bench/batch in ${work}: ${imageCount} Fashion-MNIST test images, shards of ${shardSize}; load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}`);

console.log('training the Fashion-MNIST bundle (cvf train configs/fashion-mnist/train.yaml, 6,000 images, 3 epochs) ...');
const trained = JSON.parse(
  (await cvf('train', 'configs/fashion-mnist/train.yaml', '--set', 'data.limit=6000', '--set', 'train.epochs=3', '--set', `tracking.store=${store}`, '--set', 'registry.register=false', '--json')).trim().split('\n').at(-1)!,
) as { bundle: string };
const bundle = trained.bundle;

console.log(`writing ${imageCount} PNGs ...`);
const images = join(work, 'images');
mkdirSync(images);
for (const [i, { pixels }] of fashionImages(imageCount).entries()) {
  writeFileSync(join(images, `${String(i).padStart(5, '0')}.png`), await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, pixels)));
}

type Row = { run: string; processes: string; images: number; seconds: number; 'img/s': number; 'vs 1 worker': number | string; 'identical to cvf predict': string };
const rows: Row[] = [];

console.log('cvf predict --json (one process, ONNX Runtime threads as it chooses) ...');
const started = performance.now();
const reference = (JSON.parse(await cvf('predict', bundle, images, '--device', 'cpu', '--no-audit', '--json')) as unknown[]).map((line) => JSON.stringify(line));
const referenceSeconds = (performance.now() - started) / 1000;
rows.push({ run: 'cvf predict (the peer, incl. start-up)', processes: '1', images: reference.length, seconds: referenceSeconds, 'img/s': reference.length / referenceSeconds, 'vs 1 worker': '-', 'identical to cvf predict': '-' });

const redis = await startRedis();
const perWorkers = new Map<number, number>();
try {
  for (const count of WORKER_COUNTS) {
    console.log(`cvf batch predict --queue with ${count} worker(s) ...`);
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(redis.url)));
    const out = join(work, `out-${count}`);
    let summary: { images: number; imagesPerSecond: number; failed: unknown[] };
    try {
      const stdout = await cvf('batch', 'predict', bundle, images, '--out', out, '--queue', redis.url, '--shard-size', String(shardSize), '--store', store, '--json');
      summary = JSON.parse(stdout.slice(stdout.indexOf('{\n')));
    } finally {
      const codes = await Promise.all(workers.map(stopWorker));
      if (codes.some((code) => code !== 0)) console.warn(`a worker exited with ${codes.join(', ')} after SIGTERM`);
    }
    if (summary.failed.length > 0) throw new Error(`shards failed: ${JSON.stringify(summary.failed)}`);
    const lines = readFileSync(join(out, 'predictions.jsonl'), 'utf8').split('\n').filter(Boolean);
    const identical = lines.length === reference.length && lines.every((line, i) => line === reference[i]);
    perWorkers.set(count, summary.imagesPerSecond);
    rows.push({
      run: `cvf batch predict --queue, ${count} worker(s)`,
      processes: String(count),
      images: summary.images,
      seconds: summary.images / summary.imagesPerSecond,
      'img/s': summary.imagesPerSecond,
      'vs 1 worker': summary.imagesPerSecond / perWorkers.get(1)!,
      'identical to cvf predict': identical ? 'yes' : 'NO',
    });
  }
} finally {
  await redis.stop();
}

printTable(rows);
const ratio = perWorkers.get(2)! / perWorkers.get(1)!;
const identical = rows.every((row) => row['identical to cvf predict'] !== 'NO');
const goals = {
  '2 workers ≥ 1.6× the images/s of 1 worker': { value: ratio, limit: 1.6, met: ratio >= 1.6 },
  'outputs identical to a single-process cvf predict run': { met: identical },
};
console.log(`goal: 2 workers / 1 worker = ${ratio.toFixed(2)}× (≥ 1.6×) — ${ratio >= 1.6 ? 'met' : 'not met'}`);
console.log(`goal: outputs identical to cvf predict --json — ${identical ? 'met' : 'not met'}`);
const loadAtEnd = loadavg();
console.log(`load average at the end: ${loadAtEnd.map((l) => l.toFixed(1)).join(' ')}`);
console.log(`results: ${writeResults('batch', { machine: machine(), loadAverage: { start: loadAtStart, end: loadAtEnd }, images: imageCount, shardSize, rows, ratio, goals })}`);
rmSync(work, { recursive: true, force: true });
