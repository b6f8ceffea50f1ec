import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs one mode of peers.py (FAISS and hnswlib under /usr/bin/python3) on `threads` BLAS/OpenMP threads and parses its JSON. */
export function peer<T>(threads: number, ...args: string[]): T {
  const script = fileURLToPath(new URL('./peers.py', import.meta.url));
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const run = spawnSync('/usr/bin/python3', [script, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`peers.py ${args[0]} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
