import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The physical cores this process may run on (Linux): the CPUs it is allowed
 * (`Cpus_allowed_list` in /proc/self/status), counted once per core (each CPU's thread siblings
 * in sysfs), at most `availableParallelism()`. Undefined where the topology cannot be read (not
 * Linux): callers then leave ONNX Runtime to its own default.
 *
 * Why not ORT's default: on Linux it is half the logical CPUs, which is one thread per core on a
 * host with two hardware threads per core, but half the machine on a VM whose vCPUs are cores of
 * their own — on this project's 2-vCPU dev box, one thread of two (docs/serving.md).
 */
export function physicalCores(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let allowed: number[];
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    allowed = parseCpuList(/^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1] ?? '');
  } catch {
    return undefined;
  }
  if (allowed.length === 0) return undefined;
  const cores = countPhysicalCores(allowed, (cpu) => {
    try {
      return readFileSync(`/sys/devices/system/cpu/cpu${cpu}/topology/thread_siblings_list`, 'utf8');
    } catch {
      return undefined;
    }
  });
  return Math.max(1, Math.min(cores, availableParallelism()));
}

/** Cores among `allowed` CPUs: CPUs that share a sibling list are one core; a CPU without one counts alone. */
export function countPhysicalCores(allowed: readonly number[], siblingsOf: (cpu: number) => string | undefined): number {
  const cores = new Set<string>();
  for (const cpu of allowed) {
    const siblings = siblingsOf(cpu);
    cores.add(siblings === undefined ? `cpu${cpu}` : parseCpuList(siblings).join(','));
  }
  return cores.size;
}

/** A kernel CPU list ("0-3,8,10-11") as CPU numbers; an unreadable part is left out. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) continue;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}
