// What the Node side can observe of memory: this process's rss/external/heap (and, on WebGPU, the
// Device's GPU buffer bytes), and the resident memory of the processes it started (Chromium).
import { readdirSync, readFileSync } from 'node:fs';
import { WebGpuDevice, type Device } from '@cvf/core';
import type { MemoryProbe } from './resnet-epoch-train.js';

/** A probe keeping the peak of every figure it reads; a timer samples too, between kernels. */
export class PeakMemory implements MemoryProbe {
  readonly peaks: Record<string, number> = {};
  readonly #read: () => Record<string, number>;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(read: () => Record<string, number>) {
    this.#read = read;
  }

  /** This process (rss, external, heap used) and, on WebGPU, the Device's buffers. */
  static ofProcess(device: Device): PeakMemory {
    return new PeakMemory(() => {
      const { rss, external, heapUsed } = process.memoryUsage();
      const gpu = device instanceof WebGpuDevice ? device.bufferBytes : null;
      return { ...(gpu ? { 'gpu in use': gpu.allocated - gpu.idle, 'gpu allocated': gpu.allocated } : {}), rss, external, 'heap used': heapUsed };
    });
  }

  /** The summed resident memory of this process's descendants (Chromium's browser, GPU and renderer processes). */
  static ofChildren(): PeakMemory {
    return new PeakMemory(() => ({ 'chromium processes rss': descendantsRss(process.pid) }));
  }

  current(): Record<string, number> {
    return this.#read();
  }

  sample(): void {
    for (const [name, bytes] of Object.entries(this.#read())) this.peaks[name] = Math.max(this.peaks[name] ?? 0, bytes);
  }

  start(everyMs = 200): this {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.sample();
  }
}

/** Σ VmRSS of every process below `root` (Linux /proc; shared pages are counted once per process). */
function descendantsRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOrNull(`/proc/${entry}/stat`);
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let bytes = 0;
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readOrNull(`/proc/${pid}/status`) ?? '');
    if (rss) bytes += Number(rss[1]) * 1024;
    queue.push(...(children.get(pid) ?? []));
  }
  return bytes;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process ended between the listing and the read.
    return null;
  }
}
